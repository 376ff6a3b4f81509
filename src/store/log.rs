//! [`EventLog`]: what an exercise's actor needs of a store — append a batch of events
//! (all or nothing, answered once on disk) and read a log back (to reload after a failed
//! commit). The embedded SQLite [`super::Store`] and [`super::postgres::PgStore`]
//! implement it, and tests wrap either in [`super::faulty::Faulty`] to make commits fail
//! on demand.
//!
//! The calls return boxed futures so the trait is object-safe (`Arc<dyn EventLog>`); one
//! small allocation per committed batch, not per event.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::StoreError;
use crate::events::Recorded;
use crate::ids::ExerciseId;

/// A store call in flight.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// An event log shared by every actor of a server.
pub type SharedLog = Arc<dyn EventLog>;

/// The append path of an event store.
pub trait EventLog: Send + Sync + std::fmt::Debug + 'static {
    /// Appends `events` to an exercise's log in one transaction; resolves once they are
    /// durable. On an error nothing of them is stored.
    fn append<'a>(&'a self, exercise_id: ExerciseId, events: &'a [Recorded]) -> StoreFuture<'a, ()>;

    /// Reads one exercise's whole log, in order (the truth after a failed commit).
    fn load(&self, exercise_id: ExerciseId) -> StoreFuture<'_, Vec<Recorded>>;
}

impl EventLog for super::Store {
    fn append<'a>(&'a self, exercise_id: ExerciseId, events: &'a [Recorded]) -> StoreFuture<'a, ()> {
        Box::pin(super::Store::append(self, exercise_id, events))
    }

    fn load(&self, exercise_id: ExerciseId) -> StoreFuture<'_, Vec<Recorded>> {
        let store = self.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || store.load(exercise_id)).await.unwrap_or(Err(StoreError::Closed))
        })
    }
}
