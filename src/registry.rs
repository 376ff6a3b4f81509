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
    /// Claims a join code for an exercise about to be created. False when another
    /// exercise has it (claiming is atomic: two creations never get the same code).
    pub fn reserve_code(&self, code: &str, exercise: ExerciseId) -> bool {
        match self.by_code.entry(code.to_owned()) {
            dashmap::Entry::Occupied(_) => false,
            dashmap::Entry::Vacant(slot) => {
                slot.insert(exercise);
                true
            }
        }
    }

    /// Gives back a code reserved for an exercise that was not created after all.
    pub fn release_code(&self, code: &str, exercise: ExerciseId) {
        self.by_code.remove_if(code, |_, id| *id == exercise);
    }

    /// Adds a running exercise: always by id; by join code unless another exercise holds
    /// the code (returns false then: only old data can have such a pair, and the
    /// exercise is still reachable by id).
    pub fn insert(&self, handle: ExerciseHandle) -> bool {
        let id = handle.id;
        let code = handle.join_code.to_string();
        self.by_id.insert(id, handle);
        self.reserve_code(&code, id) || self.by_code.get(&code).is_some_and(|holder| *holder == id)
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
