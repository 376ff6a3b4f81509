//! The PostgreSQL event store, for several `tabletop` instances on one database
//! (issue 17: `--store postgres://…`; the embedded SQLite store stays the default).
//!
//! The same contract as [`super::Store`]: a batch of an exercise's events is appended in
//! one transaction, and answered only after the commit; a log reads back in order. Like
//! SQLite's writer thread, one writer task takes every append waiting (up to
//! [`MAX_BATCH`], from any exercise), writes each in a savepoint (one bad job fails
//! alone) and commits once: PostgreSQL flushes its WAL once for the whole batch.
//!
//! The schema is versioned ([`MIGRATIONS`], table `tabletop_schema`) and brought up to
//! date at connect time under an advisory lock, so instances starting together migrate
//! once; a database written by a newer build is refused, not altered.

use std::sync::Arc;
use std::time::Instant;

use deadpool_postgres::{Manager, Pool};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::NoTls;

use super::log::{EventLog, StoreFuture};
use super::row::{self, Row};
use super::{FileRow, StoreError};
use crate::events::Recorded;
use crate::ids::ExerciseId;
use crate::metrics::Metrics;

/// Most appends committed in one transaction.
const MAX_BATCH: usize = 512;
/// Appends waiting for the writer before `append` waits for room.
const QUEUE: usize = 4096;
/// Connections in the pool (the writer takes one; readers share the rest).
const POOL_SIZE: usize = 8;
/// The advisory lock key taken while migrating ("tabletop" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x7461_626c_6574_6f70;

/// The schema, one entry per version: entry `n` takes a database from version `n` to
/// `n + 1`. Never edit a shipped entry; add one.
pub const MIGRATIONS: &[&str] = &["
CREATE TABLE events (
    exercise_id TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    wall_ms     BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (exercise_id, seq)
);
CREATE TABLE files (
    hash        TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BYTEA NOT NULL
);
"];

/// A cheap-to-clone handle to a PostgreSQL store: appends go to the writer task,
/// reads to the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    tx: mpsc::Sender<Job>,
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
    done: oneshot::Sender<Result<(), String>>,
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
    /// and starts the writer, which stops when every handle is dropped.
    pub async fn connect(url: &str, metrics: Arc<Metrics>) -> Result<(PgStore, JoinHandle<()>), StoreError> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| StoreError::Postgres(format!("{url:?}: {e}")))?;
        let manager = Manager::new(config, NoTls);
        let pool =
            Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError::Postgres(e.to_string()))?;
        migrate(&pool).await?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let writer = tokio::spawn(write_loop(pool.clone(), rx, metrics));
        Ok((PgStore { pool, tx }, writer))
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<usize, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row = client.query_one(SCHEMA_VERSION, &[]).await.map_err(pg)?;
        Ok(usize::try_from(row.get::<_, i32>(0)).unwrap_or(0))
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
        let rows = row::rows(events)?;
        let (done, committed) = oneshot::channel();
        self.tx.send(Job { exercise_id, rows, files, done }).await.map_err(|_| StoreError::Closed)?;
        committed.await.map_err(|_| StoreError::Closed)?.map_err(StoreError::Commit)
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

const SCHEMA_VERSION: &str = "SELECT coalesce(max(version), 0) FROM tabletop_schema";

async fn schema_version(tx: &tokio_postgres::Transaction<'_>) -> Result<usize, StoreError> {
    let row = tx.query_one(SCHEMA_VERSION, &[]).await.map_err(pg)?;
    Ok(usize::try_from(row.get::<_, i32>(0)).unwrap_or(0))
}

/// Brings the schema to the last version, under an advisory lock held for the
/// transaction (instances starting together migrate one after the other).
async fn migrate(pool: &Pool) -> Result<(), StoreError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await.map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(pg)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS tabletop_schema (version INTEGER NOT NULL)").await.map_err(pg)?;
    let at = schema_version(&tx).await?;
    if at > MIGRATIONS.len() {
        return Err(StoreError::Postgres(format!(
            "the database is at schema version {at}, newer than this build knows ({}): upgrade tabletop",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(at) {
        tx.batch_execute(sql).await.map_err(pg)?;
        tx.execute("INSERT INTO tabletop_schema (version) VALUES ($1)", &[&(i as i32 + 1)]).await.map_err(pg)?;
        tracing::info!(version = i + 1, "postgres schema migrated");
    }
    tx.commit().await.map_err(pg)
}

async fn write_loop(pool: Pool, mut rx: mpsc::Receiver<Job>, metrics: Arc<Metrics>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let results = match write_batch(&pool, &jobs).await {
            Ok(results) => results,
            Err(e) => {
                tracing::error!(error = %e, jobs = jobs.len(), "batch commit failed");
                jobs.iter().map(|_| Err(e.to_string())).collect()
            }
        };
        row::count(&metrics, started, jobs.iter().map(|j| j.rows.as_slice()).zip(&results));
        for (job, result) in jobs.into_iter().zip(results) {
            let _ = job.done.send(result);
        }
    }
    tracing::debug!("postgres writer stopped");
}

/// Writes every job in one transaction, each in a savepoint; one result per job.
async fn write_batch(pool: &Pool, jobs: &[Job]) -> Result<Vec<Result<(), String>>, StoreError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let mut tx = client.transaction().await.map_err(pg)?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let sp = tx.savepoint("job").await.map_err(pg)?;
        match insert(&sp, job).await {
            Ok(()) => {
                sp.commit().await.map_err(pg)?;
                results.push(Ok(()));
            }
            Err(e) => {
                sp.rollback().await.map_err(pg)?;
                tracing::error!(exercise = %job.exercise_id, error = %e, "event append refused");
                results.push(Err(e.to_string()));
            }
        }
    }
    tx.commit().await.map_err(pg)?;
    Ok(results)
}

/// One job's rows in one statement (arrays unnested), then its files.
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
    Ok(())
}
