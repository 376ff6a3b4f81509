//! The live exercises: id → handle, join code → id.
//!
//! Only handles live here, never exercise state; clone a handle out and drop the map
//! guard before any `.await`.

use dashmap::DashMap;

use crate::exercise::ExerciseHandle;
use crate::ids::ExerciseId;

/// Live exercises by id and by join code.
#[derive(Debug, Default)]
pub struct Registry {
    by_id: DashMap<ExerciseId, ExerciseHandle>,
    by_code: DashMap<String, ExerciseId>,
}

impl Registry {
    /// Adds a running exercise. Returns false (and adds nothing) when its join code is
    /// taken by another exercise.
    pub fn insert(&self, handle: ExerciseHandle) -> bool {
        match self.by_code.entry(handle.join_code.to_string()) {
            dashmap::Entry::Occupied(_) => false,
            dashmap::Entry::Vacant(slot) => {
                slot.insert(handle.id);
                self.by_id.insert(handle.id, handle);
                true
            }
        }
    }

    /// Whether a join code is in use.
    pub fn code_taken(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// The exercise with this id.
    pub fn get(&self, id: ExerciseId) -> Option<ExerciseHandle> {
        self.by_id.get(&id).map(|h| h.clone())
    }

    /// The exercise with this (normalized) join code.
    pub fn by_code(&self, code: &str) -> Option<ExerciseHandle> {
        let id = *self.by_code.get(code)?;
        self.get(id)
    }

    /// Ids of every exercise.
    pub fn ids(&self) -> Vec<ExerciseId> {
        let mut ids: Vec<_> = self.by_id.iter().map(|e| *e.key()).collect();
        ids.sort();
        ids
    }

    /// Drops every handle, so actors stop once their sockets are gone.
    pub fn clear(&self) {
        self.by_code.clear();
        self.by_id.clear();
    }
}
