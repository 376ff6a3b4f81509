//! [`Backend`]: the store a server runs on — the embedded SQLite file (the default) or
//! PostgreSQL shared by several instances (`--store postgres://…`, issue 17) — with one
//! async API for what the server asks of either: appends with files and lifecycle
//! changes, logs, attachment files, the lifecycle tables, and who owns an exercise.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::postgres::PgStore;
use super::{Change, FileRow, Meta, SharedLog, Store, StoreError, WriterGuard};
use crate::events::Recorded;
use crate::ids::ExerciseId;
use crate::metrics::Metrics;

/// The store of a server.
#[derive(Debug, Clone)]
pub enum Backend {
    /// One SQLite file in the data dir; this process is its only writer.
    Sqlite(Store),
    /// PostgreSQL; exercises are owned through leases ([`super::postgres::lease`]).
    Postgres(PgStore),
}

/// What to wait for at shutdown: the store's writer committing its last batch.
#[derive(Debug)]
pub enum Writer {
    /// SQLite's writer thread.
    Sqlite(WriterGuard),
    /// PostgreSQL's writer task.
    Postgres(tokio::task::JoinHandle<()>),
}

impl Writer {
    /// Waits until every handle is dropped and the last batch is committed.
    pub async fn join(self) {
        match self {
            Writer::Sqlite(guard) => {
                let _ = tokio::task::spawn_blocking(move || guard.join()).await;
            }
            Writer::Postgres(task) => {
                let _ = task.await;
            }
        }
    }
}

impl Backend {
    /// Opens PostgreSQL at `url` when given (leases of `lease`), else the SQLite store in
    /// `data_dir`.
    pub async fn open(
        url: Option<&str>,
        data_dir: &Path,
        lease: Duration,
        metrics: Arc<Metrics>,
    ) -> Result<(Backend, Writer), StoreError> {
        match url {
            Some(url) => {
                let (store, writer) = PgStore::connect_with_lease(url, metrics, lease).await?;
                Ok((Backend::Postgres(store), Writer::Postgres(writer)))
            }
            None => {
                let (store, writer) = Store::open_with_metrics(data_dir, metrics)?;
                Ok((Backend::Sqlite(store), Writer::Sqlite(writer)))
            }
        }
    }

    /// The store as the actors' event log.
    pub fn log(&self) -> SharedLog {
        match self {
            Backend::Sqlite(s) => Arc::new(s.clone()),
            Backend::Postgres(s) => Arc::new(s.clone()),
        }
    }

    /// PostgreSQL, when that is the store (ownership, redirects).
    pub fn postgres(&self) -> Option<&PgStore> {
        match self {
            Backend::Sqlite(_) => None,
            Backend::Postgres(s) => Some(s),
        }
    }

    /// Appends events with their files and lifecycle changes, in one transaction.
    pub async fn append_with_changes(
        &self,
        exercise_id: ExerciseId,
        events: &[Recorded],
        files: Vec<FileRow>,
        changes: Vec<Change>,
    ) -> Result<(), StoreError> {
        match self {
            Backend::Sqlite(s) => s.append_with_changes(exercise_id, events, files, changes).await,
            Backend::Postgres(s) => s.append_with_changes(exercise_id, events, files, changes).await,
        }
    }

    /// Applies lifecycle changes in one commit.
    pub async fn change(&self, exercise_id: ExerciseId, changes: Vec<Change>) -> Result<(), StoreError> {
        self.append_with_changes(exercise_id, &[], Vec::new(), changes).await
    }

    /// One exercise's stored log, in order.
    pub async fn load(&self, exercise_id: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        match self {
            Backend::Sqlite(s) => blocking(s, move |s| s.load(exercise_id)).await,
            Backend::Postgres(s) => s.load(exercise_id).await,
        }
    }

    /// The ids of every stored exercise.
    pub async fn exercise_ids(&self) -> Result<Vec<ExerciseId>, StoreError> {
        match self {
            Backend::Sqlite(s) => blocking(s, |s| s.exercise_ids()).await,
            Backend::Postgres(s) => s.exercise_ids().await,
        }
    }

    /// An attachment file by its hash: media type and bytes.
    pub async fn file(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        match self {
            Backend::Sqlite(s) => {
                let hash = hash.to_owned();
                blocking(s, move |s| s.file(&hash)).await
            }
            Backend::Postgres(s) => s.file(hash).await,
        }
    }

    /// What the store keeps beside the logs.
    pub async fn meta(&self) -> Result<Meta, StoreError> {
        match self {
            Backend::Sqlite(s) => blocking(s, |s| s.meta()).await,
            Backend::Postgres(s) => s.meta().await,
        }
    }

    /// Makes this instance the owner of `exercise` if it may be (always, with SQLite);
    /// false when another instance holds it.
    pub async fn claim(&self, exercise: ExerciseId) -> Result<bool, StoreError> {
        match self {
            Backend::Sqlite(_) => Ok(true),
            Backend::Postgres(s) => s.claim(exercise).await,
        }
    }
}

/// Runs a blocking SQLite read off the async threads.
async fn blocking<T: Send + 'static>(
    store: &Store,
    read: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || read(&store)).await.unwrap_or(Err(StoreError::Closed))
}
