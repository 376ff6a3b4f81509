//! Durable storage of exercise event logs.
//!
//! [`backend::Backend`] is the store a server runs on. [`sqlite`] is the embedded default:
//! one SQLite file in the data dir, WAL with `synchronous=FULL`, written by one thread
//! that commits whole batches (group commit).
//! A call to [`Store::append`] returns only after its events are on disk; the actor
//! tells nobody about an event before that. [`backup`] copies the store while the
//! server runs (`tabletop backup`). Actors append through the [`EventLog`] trait
//! ([`log`]), so another store can stand in: [`faulty::Faulty`] fails on demand in tests,
//! and [`postgres::PgStore`] keeps the logs in PostgreSQL for several instances
//! (`--store postgres://…`, issue 17: the same contract, `tests/event_store.rs`, and
//! leases that fence a lost owner). [`row`] is an event as both stores write it.

pub mod backend;
pub mod backup;
pub mod faulty;
pub mod log;
pub mod meta;
pub mod postgres;
mod row;
pub mod sqlite;

pub use backend::{Backend, Writer};
pub use log::{EventLog, SharedLog, StoreFuture};
pub use meta::{Change, Meta};
pub use sqlite::{FileRow, Store, WriterGuard};

use crate::events::DecodeError;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data dir cannot be used.
    #[error("data dir {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A stored event cannot be read by this build.
    #[error("exercise {exercise} event {seq}: {source}")]
    Decode {
        /// The exercise.
        exercise: String,
        /// The event's seq.
        seq: u64,
        /// Why.
        source: DecodeError,
    },
    /// A batch could not be committed; nothing of it was stored.
    #[error("commit failed: {0}")]
    Commit(String),
    /// PostgreSQL refused an operation or cannot be reached.
    #[error("postgres: {0}")]
    Postgres(String),
    /// This instance does not own the exercise (any more): another instance claimed its
    /// lease, and nothing of the batch was stored (PostgreSQL, issue 17).
    #[error("this instance does not own the exercise")]
    Fenced,
    /// The writer thread has stopped (the server is shutting down).
    #[error("the store is closed")]
    Closed,
}
