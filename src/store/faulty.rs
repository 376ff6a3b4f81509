//! [`Faulty`]: an [`EventLog`] that fails appends on demand, wrapped around a real one.
//! For fault tests (`tests/faults.rs`): a failed append stores nothing and answers
//! [`StoreError::Commit`], as a full disk would; reads go through to the real store (the
//! actor reloads the truth from it).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::StoreError;
use super::log::{EventLog, SharedLog, StoreFuture};
use crate::events::Recorded;
use crate::ids::ExerciseId;

/// A store whose appends fail while [`Faulty::set_failing`] is on, or for the next
/// [`Faulty::fail_next`] appends.
#[derive(Debug)]
pub struct Faulty {
    inner: SharedLog,
    failing: AtomicBool,
    fail_next: AtomicU64,
    refused: AtomicU64,
    only: Mutex<Option<ExerciseId>>,
}

impl Faulty {
    /// Wraps `inner`; nothing fails until asked.
    pub fn new(inner: SharedLog) -> Self {
        Faulty {
            inner,
            failing: AtomicBool::new(false),
            fail_next: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            only: Mutex::new(None),
        }
    }

    /// Fails every append from now on (`true`) or none (`false`).
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    /// Fails the next `n` appends, then works again.
    pub fn fail_next(&self, n: u64) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    /// Faults hit only this exercise's appends (`None`: every exercise's).
    pub fn only(&self, exercise: Option<ExerciseId>) {
        *self.only.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = exercise;
    }

    /// Appends refused so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::SeqCst)
    }

    fn should_fail(&self, exercise: ExerciseId) -> bool {
        let only = *self.only.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if only.is_some_and(|o| o != exercise) {
            return false;
        }
        self.failing.load(Ordering::SeqCst)
            || self.fail_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
    }
}

impl EventLog for Faulty {
    fn append<'a>(&'a self, exercise_id: ExerciseId, events: &'a [Recorded]) -> StoreFuture<'a, ()> {
        if self.should_fail(exercise_id) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Box::pin(std::future::ready(Err(StoreError::Commit("injected fault: the disk is full".into()))));
        }
        self.inner.append(exercise_id, events)
    }

    fn load(&self, exercise_id: ExerciseId) -> StoreFuture<'_, Vec<Recorded>> {
        self.inner.load(exercise_id)
    }
}
