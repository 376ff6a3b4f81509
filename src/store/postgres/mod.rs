//! The PostgreSQL event store, for several `tabletop` instances on one database
//! (issue 17: `--store postgres://…`; the embedded SQLite store stays the default).
//!
//! The same contract as [`super::Store`]: a batch of an exercise's events is appended in
//! one transaction, and answered only after the commit; a log reads back in order. Like
//! SQLite's writer thread, one writer task takes every append waiting (up to
//! [`MAX_BATCH`], from any exercise), writes each in a savepoint (one bad job fails
//! alone) and commits once: PostgreSQL flushes its WAL once for the whole batch.
//!
//! - [`schema`]: the versioned schema, migrated at connect time.
//! - [`meta`]: lifecycle changes and join codes.
//! - [`lease`]: which instance owns an exercise; every append is fenced by its lease.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, Pool};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::NoTls;

use super::log::{EventLog, StoreFuture};
use super::row::{self, Row};
use super::{Change, FileRow, Meta, StoreError};
use crate::events::Recorded;
use crate::ids::ExerciseId;
use crate::metrics::Metrics;

pub mod lease;
mod meta;
mod schema;

pub use lease::{DEFAULT_LEASE, Leases, Owner};
pub use schema::MIGRATIONS;

/// Most appends committed in one transaction.
const MAX_BATCH: usize = 512;
/// Appends waiting for the writer before `append` waits for room.
const QUEUE: usize = 4096;
/// Connections in the pool (the writer takes one; readers share the rest).
const POOL_SIZE: usize = 8;
/// A cheap-to-clone handle to a PostgreSQL store: appends go to the writer task,
/// reads to the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    tx: mpsc::Sender<Job>,
    leases: Arc<Leases>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

struct Job {
    exercise_id: ExerciseId,
    rows: Vec<Row>,
    files: Vec<FileRow>,
    changes: Vec<Change>,
    done: oneshot::Sender<Result<(), Refusal>>,
}

/// Why a job was not stored.
#[derive(Debug, Clone)]
enum Refusal {
    /// This instance does not hold the exercise's lease (any more).
    Fenced,
    /// PostgreSQL refused it.
    Failed(String),
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Fenced => StoreError::Fenced,
            Refusal::Failed(e) => StoreError::Commit(e),
        }
    }
}

/// A PostgreSQL error with the server's own message when there is one.
fn pg(e: tokio_postgres::Error) -> StoreError {
    StoreError::Postgres(match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    })
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg(e),
        other => StoreError::Postgres(other.to_string()),
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`), brings the schema up to date
    /// and starts the writer, which stops when every handle is dropped. Leases last
    /// [`DEFAULT_LEASE`].
    pub async fn connect(url: &str, metrics: Arc<Metrics>) -> Result<(PgStore, JoinHandle<()>), StoreError> {
        Self::connect_with_lease(url, metrics, DEFAULT_LEASE).await
    }

    /// [`PgStore::connect`] with leases of `lease` (`--lease-ms`).
    pub async fn connect_with_lease(
        url: &str,
        metrics: Arc<Metrics>,
        lease: Duration,
    ) -> Result<(PgStore, JoinHandle<()>), StoreError> {
        let shown = crate::config::StoreUrl(url.to_owned());
        let config: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| StoreError::Postgres(format!("{shown}: {e}")))?;
        let manager = Manager::new(config, NoTls);
        let pool =
            Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError::Postgres(e.to_string()))?;
        schema::migrate(&pool).await?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let leases = Arc::new(Leases::new(lease));
        let writer = tokio::spawn(write_loop(pool.clone(), rx, metrics, leases.clone()));
        Ok((PgStore { pool, tx, leases }, writer))
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<usize, StoreError> {
        schema::version(&self.pool).await
    }

    /// Appends events to an exercise's log; returns once they are committed.
    pub async fn append(&self, exercise_id: ExerciseId, events: &[Recorded]) -> Result<(), StoreError> {
        self.append_with_files(exercise_id, events, Vec::new()).await
    }

    /// Appends events with the attachment files they name, in one transaction.
    pub async fn append_with_files(
        &self,
        exercise_id: ExerciseId,
        events: &[Recorded],
        files: Vec<FileRow>,
    ) -> Result<(), StoreError> {
        self.append_with_changes(exercise_id, events, files, Vec::new()).await
    }

    /// Appends events, their files and lifecycle changes in one transaction (see
    /// [`super::Store::append_with_changes`]). Refused with [`StoreError::Fenced`] unless
    /// this instance holds the exercise's lease ([`PgStore::claim`]).
    pub async fn append_with_changes(
        &self,
        exercise_id: ExerciseId,
        events: &[Recorded],
        files: Vec<FileRow>,
        changes: Vec<Change>,
    ) -> Result<(), StoreError> {
        let rows = row::rows(events)?;
        let (done, committed) = oneshot::channel();
        self.tx.send(Job { exercise_id, rows, files, changes, done }).await.map_err(|_| StoreError::Closed)?;
        committed.await.map_err(|_| StoreError::Closed)?.map_err(StoreError::from)
    }

    /// Applies lifecycle changes in one commit through the writer.
    pub async fn change(&self, exercise_id: ExerciseId, changes: Vec<Change>) -> Result<(), StoreError> {
        self.append_with_changes(exercise_id, &[], Vec::new(), changes).await
    }

    /// What the store keeps beside the logs: archived, successors, handed-over codes.
    pub async fn meta(&self) -> Result<Meta, StoreError> {
        meta::read(&self.pool).await
    }

    /// The exercise a join code leads to, whichever instance gave it out.
    pub async fn code_holder(&self, code: &str) -> Result<Option<ExerciseId>, StoreError> {
        meta::code_holder(&self.pool, code).await
    }

    /// One exercise's whole log, in order.
    pub async fn load(&self, exercise_id: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client
            .query(
                "SELECT seq, wall_ms, kind, version, payload FROM events WHERE exercise_id = $1 ORDER BY seq",
                &[&exercise_id.to_string()],
            )
            .await
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                let version = u16::try_from(r.get::<_, i32>(3)).unwrap_or(u16::MAX);
                row::recorded(
                    exercise_id,
                    r.get::<_, i64>(0) as u64,
                    r.get::<_, i64>(1) as u64,
                    r.get(2),
                    version,
                    r.get(4),
                )
            })
            .collect()
    }

    /// The ids of every stored exercise.
    pub async fn exercise_ids(&self) -> Result<Vec<ExerciseId>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows =
            client.query("SELECT DISTINCT exercise_id FROM events ORDER BY exercise_id", &[]).await.map_err(pg)?;
        rows.into_iter().map(|r| row::exercise_id(r.get(0))).collect()
    }

    /// An attachment file by its hash: media type and bytes.
    pub async fn file(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row =
            client.query_opt("SELECT media_type, bytes FROM files WHERE hash = $1", &[&hash]).await.map_err(pg)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }
}

impl EventLog for PgStore {
    fn append<'a>(&'a self, exercise_id: ExerciseId, events: &'a [Recorded]) -> StoreFuture<'a, ()> {
        Box::pin(PgStore::append(self, exercise_id, events))
    }

    fn load(&self, exercise_id: ExerciseId) -> StoreFuture<'_, Vec<Recorded>> {
        Box::pin(PgStore::load(self, exercise_id))
    }
}

async fn write_loop(pool: Pool, mut rx: mpsc::Receiver<Job>, metrics: Arc<Metrics>, leases: Arc<Leases>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let results = match write_batch(&pool, &jobs, &leases).await {
            Ok(results) => results,
            Err(e) => {
                tracing::error!(error = %e, jobs = jobs.len(), "batch commit failed");
                jobs.iter().map(|_| Err(Refusal::Failed(e.to_string()))).collect()
            }
        };
        // A fenced job is not a failing store (another instance owns the exercise).
        let fenced = results.iter().filter(|r| matches!(r, Err(Refusal::Fenced))).count();
        metrics.appends_fenced(fenced as u64);
        let counted = jobs.iter().zip(&results).filter(|(_, r)| !matches!(r, Err(Refusal::Fenced)));
        row::count(&metrics, started, counted.map(|(j, r)| (j.rows.as_slice(), r.is_ok())));
        for (job, result) in jobs.into_iter().zip(results) {
            let _ = job.done.send(result);
        }
    }
    tracing::debug!("postgres writer stopped");
}

/// Writes every job in one transaction, each in a savepoint; one result per job. A job
/// of an exercise whose lease this instance does not hold at the epoch it claimed is
/// refused ([`lease`]); the lease rows are read once for the batch.
async fn write_batch(pool: &Pool, jobs: &[Job], leases: &Leases) -> Result<Vec<Result<(), Refusal>>, StoreError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let mut tx = client.transaction().await.map_err(pg)?;
    let mut ids: Vec<String> = jobs.iter().map(|j| j.exercise_id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    let current: HashMap<String, (String, i64)> = lease::current(&tx, &ids).await?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let held = leases.epoch(job.exercise_id);
        let holds = |(instance, epoch): &(String, i64)| instance == leases.instance() && Some(*epoch) == held;
        if !current.get(&job.exercise_id.to_string()).is_some_and(holds) {
            tracing::warn!(exercise = %job.exercise_id, "append refused: this instance does not own the exercise");
            results.push(Err(Refusal::Fenced));
            continue;
        }
        let sp = tx.savepoint("job").await.map_err(pg)?;
        match insert(&sp, job).await {
            Ok(()) => {
                sp.commit().await.map_err(pg)?;
                results.push(Ok(()));
            }
            Err(e) => {
                sp.rollback().await.map_err(pg)?;
                tracing::error!(exercise = %job.exercise_id, error = %e, "event append refused");
                results.push(Err(Refusal::Failed(e.to_string())));
            }
        }
    }
    tx.commit().await.map_err(pg)?;
    Ok(results)
}

/// One job's rows in one statement (arrays unnested), then its files and changes.
async fn insert(tx: &tokio_postgres::Transaction<'_>, job: &Job) -> Result<(), StoreError> {
    if !job.rows.is_empty() {
        let seqs: Vec<i64> = job.rows.iter().map(|r| r.seq as i64).collect();
        let walls: Vec<i64> = job.rows.iter().map(|r| r.wall_ms as i64).collect();
        let kinds: Vec<&str> = job.rows.iter().map(|r| r.kind).collect();
        let versions: Vec<i32> = job.rows.iter().map(|r| i32::from(r.version)).collect();
        let payloads: Vec<&str> = job.rows.iter().map(|r| r.payload.as_str()).collect();
        tx.execute(
            "INSERT INTO events (exercise_id, seq, wall_ms, kind, version, payload)
             SELECT $1, * FROM UNNEST($2::BIGINT[], $3::BIGINT[], $4::TEXT[], $5::INTEGER[], $6::TEXT[])",
            &[&job.exercise_id.to_string(), &seqs, &walls, &kinds, &versions, &payloads],
        )
        .await
        .map_err(pg)?;
    }
    for f in &job.files {
        tx.execute(
            "INSERT INTO files (hash, media_type, bytes) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
            &[&f.hash, &f.media_type, &&f.bytes[..]],
        )
        .await
        .map_err(pg)?;
    }
    for change in &job.changes {
        meta::apply(tx, change).await?;
    }
    Ok(())
}
