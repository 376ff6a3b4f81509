//! The live exercises: id → handle, join code → id, and what the store keeps about them
//! beside their logs (archived, run again as; see `store::meta`).
//!
//! Only handles live here, never exercise state; clone a handle out and drop the map
//! guard before any `.await`. A re-run shares its join code with the exercise it was run
//! again from: the code leads to the re-run ([`Registry::hand_over`]).

use dashmap::DashMap;

use crate::exercise::ExerciseHandle;
use crate::ids::ExerciseId;

/// Live exercises by id and by join code.
#[derive(Debug, Default)]
pub struct Registry {
    by_id: DashMap<ExerciseId, ExerciseHandle>,
    by_code: DashMap<String, ExerciseId>,
    archived: DashMap<ExerciseId, u64>,
    successors: DashMap<ExerciseId, ExerciseId>,
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

    /// From now on `code` leads to `exercise` (a re-run takes over its code).
    pub fn hand_over(&self, code: &str, exercise: ExerciseId) {
        self.by_code.insert(code.to_owned(), exercise);
    }

    /// Takes an exercise out: its handle, its join code (back to `fallback`, the
    /// exercise it was run again from, when there is one) and what is known of it.
    pub fn remove(&self, id: ExerciseId, fallback: Option<ExerciseId>) -> Option<ExerciseHandle> {
        let handle = self.by_id.remove(&id).map(|(_, h)| h);
        let codes: Vec<String> = self.by_code.iter().filter(|e| *e.value() == id).map(|e| e.key().clone()).collect();
        for code in codes {
            match fallback.filter(|f| self.by_id.contains_key(f)) {
                Some(f) => self.hand_over(&code, f),
                None => {
                    self.by_code.remove_if(&code, |_, holder| *holder == id);
                }
            }
        }
        self.archived.remove(&id);
        self.successors.remove(&id);
        self.successors.retain(|_, next| *next != id);
        handle
    }

    /// Files an exercise away (`Some(when)`) or back (`None`).
    pub fn set_archived(&self, id: ExerciseId, when: Option<u64>) {
        match when {
            Some(ms) => self.archived.insert(id, ms),
            None => self.archived.remove(&id).map(|(_, ms)| ms),
        };
    }

    /// When the exercise was archived, if it is.
    pub fn archived(&self, id: ExerciseId) -> Option<u64> {
        self.archived.get(&id).map(|ms| *ms)
    }

    /// Records that `from` was run again as `to`.
    pub fn set_successor(&self, from: ExerciseId, to: ExerciseId) {
        self.successors.insert(from, to);
    }

    /// The exercise `id` was run again as, if it was.
    pub fn successor(&self, id: ExerciseId) -> Option<ExerciseId> {
        self.successors.get(&id).map(|next| *next)
    }

    /// The exercise `id` was run again from, if any.
    pub fn predecessor(&self, id: ExerciseId) -> Option<ExerciseId> {
        self.successors.iter().find(|e| *e.value() == id).map(|e| *e.key())
    }

    /// Drops every handle, so actors stop once their sockets are gone.
    pub fn clear(&self) {
        self.by_code.clear();
        self.by_id.clear();
    }
}
