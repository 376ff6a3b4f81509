//! The embedded SQLite event store.
//!
//! Why one writer thread: SQLite allows one writer at a time, and an fsync costs the
//! same for one event as for a hundred. The writer takes every job waiting in its
//! queue, writes them in one transaction (a savepoint per job, so one bad job fails
//! alone) and commits once, then answers each job. Readers open their own connections;
//! WAL lets them read while the writer writes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

use rusqlite::{Connection, OpenFlags, params};
use tokio::sync::{mpsc, oneshot};

use super::StoreError;
use super::meta::{self, Change, DirLock, Meta};
use super::row::{self, Row};
use crate::events::Recorded;
use crate::ids::ExerciseId;
use crate::metrics::Metrics;

/// File name of the database in the data dir.
pub const DB_FILE: &str = "tabletop.db";
/// Most jobs committed in one transaction.
const MAX_BATCH: usize = 512;
/// Jobs waiting for the writer before `append` waits for room.
const QUEUE: usize = 4096;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    exercise_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    wall_ms     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (exercise_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    hash        TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BLOB NOT NULL
);
";

/// An attachment file to store beside a log: content-addressed, written once.
#[derive(Debug, Clone)]
pub struct FileRow {
    /// Lowercase hex SHA-256 of the bytes.
    pub hash: String,
    /// Its media type.
    pub media_type: String,
    /// The bytes.
    pub bytes: std::sync::Arc<[u8]>,
}

/// A cheap-to-clone handle to the store: appends go to the writer thread.
#[derive(Debug, Clone)]
pub struct Store {
    tx: mpsc::Sender<Job>,
    path: PathBuf,
    /// The writer's `max_page_count` asked by a fault test (0: SQLite's default); the
    /// writer applies it before its next batch. See [`Store::limit_pages`].
    page_limit: Arc<AtomicU64>,
    /// The data dir's shared lock, held while any handle lives (keeps the offline
    /// `tabletop exercises` commands out).
    _lock: std::sync::Arc<DirLock>,
}

/// A read-only connection that reads exercise logs.
#[derive(Debug)]
pub struct LogReader(Connection);

impl LogReader {
    /// Reads one exercise's log, in order (blocking).
    pub fn read(&self, exercise_id: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        read_log(&self.0, exercise_id)
    }
}

/// Owns the writer thread; [`WriterGuard::join`] waits until every handle is dropped
/// and the last batch is committed.
#[derive(Debug)]
pub struct WriterGuard(thread::JoinHandle<()>);

#[derive(Debug)]
struct Job {
    exercise_id: ExerciseId,
    rows: Vec<Row>,
    files: Vec<FileRow>,
    changes: Vec<Change>,
    done: oneshot::Sender<Result<(), String>>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and starts its writer.
    pub fn open(data_dir: &Path) -> Result<(Store, WriterGuard), StoreError> {
        Self::open_with_metrics(data_dir, Arc::default())
    }

    /// [`Store::open`], counting commits (latency, events, answers) in `metrics`.
    pub fn open_with_metrics(data_dir: &Path, metrics: Arc<Metrics>) -> Result<(Store, WriterGuard), StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::Io { path: data_dir.display().to_string(), source })?;
        let lock = meta::lock_dir(data_dir, false).map_err(|e| StoreError::Io {
            path: data_dir.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let path = data_dir.join(DB_FILE);
        let conn = open_rw(&path)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let page_limit = Arc::new(AtomicU64::new(0));
        let limit = page_limit.clone();
        let writer = thread::Builder::new()
            .name("tabletop-writer".into())
            .spawn(move || write_loop(conn, rx, &metrics, &limit))
            .map_err(|source| StoreError::Io { path: path.display().to_string(), source })?;
        Ok((Store { tx, path, page_limit, _lock: std::sync::Arc::new(lock) }, WriterGuard(writer)))
    }

    /// Appends events to an exercise's log; returns once they are committed to disk.
    pub async fn append(&self, exercise_id: ExerciseId, events: &[Recorded]) -> Result<(), StoreError> {
        self.append_with_files(exercise_id, events, Vec::new()).await
    }

    /// Appends events together with the attachment files they name, in one transaction
    /// (an exercise is created with its scenario's files or not at all).
    pub async fn append_with_files(
        &self,
        exercise_id: ExerciseId,
        events: &[Recorded],
        files: Vec<FileRow>,
    ) -> Result<(), StoreError> {
        self.append_with_changes(exercise_id, events, files, Vec::new()).await
    }

    /// Appends events, their files and lifecycle changes in one transaction (a re-run is
    /// created and handed its join code at once, or not at all). A job of changes alone
    /// (no events) is how an exercise is archived or deleted.
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
        committed.await.map_err(|_| StoreError::Closed)?.map_err(StoreError::Commit)
    }

    /// The ids of every stored exercise (blocking).
    pub fn exercise_ids(&self) -> Result<Vec<ExerciseId>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare("SELECT DISTINCT exercise_id FROM events ORDER BY exercise_id")?;
        let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        ids.into_iter().map(row::exercise_id).collect()
    }

    /// A read-only connection for reading logs, one per thread (startup replays on
    /// every core).
    pub fn log_reader(&self) -> Result<LogReader, StoreError> {
        Ok(LogReader(self.reader()?))
    }

    /// Reads one exercise's log (blocking: call from `spawn_blocking`).
    pub fn load(&self, exercise_id: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        read_log(&self.reader()?, exercise_id)
    }

    /// An attachment file by its hash: media type and bytes (blocking).
    pub fn file(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT media_type, bytes FROM files WHERE hash = ?1")?;
        let mut rows = stmt.query([hash])?;
        Ok(match rows.next()? {
            Some(row) => Some((row.get(0)?, row.get(1)?)),
            None => None,
        })
    }

    /// Applies lifecycle changes in one commit through the writer.
    pub async fn change(&self, exercise_id: ExerciseId, changes: Vec<Change>) -> Result<(), StoreError> {
        self.append_with_changes(exercise_id, &[], Vec::new(), changes).await
    }

    /// What the store keeps beside the logs: archived, successors, handed-over codes (blocking).
    pub fn meta(&self) -> Result<Meta, StoreError> {
        Ok(meta::read(&self.reader()?)?)
    }

    fn reader(&self) -> Result<Connection, StoreError> {
        read_only(&self.path)
    }

    /// Fault tests only: caps the writer's database at `pages` pages (`PRAGMA
    /// max_page_count`; SQLite never goes below the pages in use), so a commit that needs
    /// a new page fails with `SQLITE_FULL` as on a full disk; `None` lifts the cap. Takes
    /// effect from the writer's next batch.
    #[doc(hidden)]
    pub fn limit_pages(&self, pages: Option<u64>) {
        self.page_limit.store(pages.map_or(UNLIMITED_PAGES, |p| p.max(1)), Ordering::SeqCst);
    }
}

/// `max_page_count` with no cap (SQLite clamps it to its own maximum).
const UNLIMITED_PAGES: u64 = 0xFFFF_FFFE;

/// Reads one exercise's log from a data dir without opening it for writing (no writer,
/// no schema set-up): `tabletop export` on a stopped or a running server.
pub fn read_exercise_log(data_dir: &Path, exercise_id: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
    let path = data_dir.join(DB_FILE);
    if !path.is_file() {
        let source = std::io::Error::new(std::io::ErrorKind::NotFound, format!("no tabletop data here (no {DB_FILE})"));
        return Err(StoreError::Io { path: data_dir.display().to_string(), source });
    }
    read_log(&read_only(&path)?, exercise_id)
}

/// Opens the database for writing: WAL, `synchronous=FULL`, the schema created or
/// completed (the writer, and the offline `tabletop exercises` commands).
pub fn open_rw(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(meta::SCHEMA)?;
    Ok(conn)
}

fn read_only(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

impl WriterGuard {
    /// Waits for the writer to commit its last batch and stop (after every `Store`
    /// handle is dropped).
    pub fn join(self) {
        let _ = self.0.join();
    }
}

/// An event's stored JSON (most are a few hundred bytes: start there, not from nothing).
/// Reads one exercise's log on an open connection (the offline commands).
pub fn read_log_with(conn: &Connection, exercise: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
    read_log(conn, exercise)
}

fn read_log(conn: &Connection, exercise: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, wall_ms, kind, version, payload FROM events WHERE exercise_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![exercise.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)? as u64,
            r.get::<_, i64>(1)? as u64,
            r.get::<_, String>(2)?,
            r.get::<_, u16>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    rows.map(|r| {
        let (seq, wall_ms, kind, version, payload) = r?;
        row::recorded(exercise, seq, wall_ms, &kind, version, &payload)
    })
    .collect()
}

fn write_loop(mut conn: Connection, mut rx: mpsc::Receiver<Job>, metrics: &Metrics, page_limit: &AtomicU64) {
    let mut applied_limit = 0;
    while let Some(first) = rx.blocking_recv() {
        let wanted = page_limit.load(Ordering::SeqCst);
        if wanted != applied_limit {
            match conn.pragma_update_and_check(None, "max_page_count", wanted as i64, |r| r.get::<_, i64>(0)) {
                Ok(now) => tracing::warn!(max_page_count = now, "store page cap changed (fault test)"),
                Err(e) => tracing::error!(error = %e, "cannot change the store's page cap"),
            }
            applied_limit = wanted;
        }
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let results = write_batch(&mut conn, &jobs);
        row::count(metrics, started, jobs.iter().map(|j| j.rows.as_slice()).zip(results.iter().map(Result::is_ok)));
        for (job, result) in jobs.into_iter().zip(results) {
            let _ = job.done.send(result);
        }
    }
    tracing::debug!("store writer stopped");
}

/// Writes every job in one transaction; returns one result per job.
fn write_batch(conn: &mut Connection, jobs: &[Job]) -> Vec<Result<(), String>> {
    let mut attempt = || -> Result<Vec<Result<(), String>>, rusqlite::Error> {
        let mut tx = conn.transaction()?;
        let mut results = Vec::with_capacity(jobs.len());
        for job in jobs {
            let sp = tx.savepoint()?;
            let written = insert_rows(&sp, job);
            match written {
                Ok(()) => {
                    sp.commit()?;
                    results.push(Ok(()));
                }
                Err(e) => {
                    drop(sp); // rolls the savepoint back
                    tracing::error!(exercise = %job.exercise_id, error = %e, "event append refused");
                    results.push(Err(e.to_string()));
                }
            }
        }
        tx.commit()?;
        Ok(results)
    };
    match attempt() {
        Ok(results) => results,
        Err(e) => {
            tracing::error!(error = %e, jobs = jobs.len(), "batch commit failed");
            jobs.iter().map(|_| Err(e.to_string())).collect()
        }
    }
}

fn insert_rows(conn: &Connection, job: &Job) -> Result<(), rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (exercise_id, seq, wall_ms, kind, version, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let exercise = job.exercise_id.to_string();
    for row in &job.rows {
        stmt.execute(params![exercise, row.seq as i64, row.wall_ms as i64, row.kind, row.version, row.payload])?;
    }
    if !job.files.is_empty() {
        let mut stmt =
            conn.prepare_cached("INSERT OR IGNORE INTO files (hash, media_type, bytes) VALUES (?1, ?2, ?3)")?;
        for f in &job.files {
            stmt.execute(params![f.hash, f.media_type, &f.bytes[..]])?;
        }
    }
    for change in &job.changes {
        meta::apply(conn, change)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Event;

    fn rec(seq: u64, event: Event) -> Recorded {
        Recorded { seq, wall_ms: 1_000 + seq, event }
    }

    #[tokio::test]
    async fn appended_events_read_back_in_order_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let ex = ExerciseId::new();
        {
            let (store, guard) = Store::open(dir.path()).unwrap();
            store.append(ex, &[rec(2, Event::ClockStarted), rec(3, Event::ClockPaused)]).await.unwrap();
            drop(store);
            guard.join();
        }
        let (store, _guard) = Store::open(dir.path()).unwrap();
        let log = store.load(ex).unwrap();
        assert_eq!(log, vec![rec(2, Event::ClockStarted), rec(3, Event::ClockPaused)]);
        assert_eq!(store.exercise_ids().unwrap(), [ex]);
        assert_eq!(store.log_reader().unwrap().read(ex).unwrap(), log);
    }

    #[tokio::test]
    async fn a_duplicate_seq_fails_alone_and_stores_nothing_of_its_job() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _guard) = Store::open(dir.path()).unwrap();
        let (a, b) = (ExerciseId::new(), ExerciseId::new());
        store.append(a, &[rec(2, Event::ClockStarted)]).await.unwrap();
        let bad = [rec(3, Event::ClockPaused), rec(2, Event::ClockStarted)];
        let good = [rec(2, Event::ClockStarted)];
        let (dup, ok) = tokio::join!(store.append(a, &bad), store.append(b, &good));
        assert!(matches!(dup, Err(StoreError::Commit(_))));
        ok.unwrap();
        assert_eq!(store.load(a).unwrap().len(), 1, "the failed job left nothing");
        assert_eq!(store.load(b).unwrap().len(), 1);
    }

    #[tokio::test]
    async fn an_unknown_future_kind_is_a_decode_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _guard) = Store::open(dir.path()).unwrap();
        let ex = ExerciseId::new();
        store.append(ex, &[rec(2, Event::ClockStarted)]).await.unwrap();
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute(
            "INSERT INTO events VALUES (?1, 3, 0, 'vote_cast', 1, '{\"kind\":\"vote_cast\"}')",
            params![ex.to_string()],
        )
        .unwrap();
        let err = store.log_reader().unwrap().read(ex).unwrap_err();
        assert!(err.to_string().contains("unknown event kind \"vote_cast\""), "{err}");
    }
}
