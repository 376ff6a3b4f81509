//! `tabletop backup`: a consistent copy of the event store, taken while the server runs.
//!
//! SQLite's online backup API copies the database page by page. The copy reads one
//! snapshot: the source connection holds a read transaction for the whole copy, so the
//! result is the store as of the moment the backup began (every commit before it, none
//! after), and later commits by the running server neither restart the copy nor show
//! up half in it. In WAL mode a reader never blocks the writer: the server keeps
//! committing into the WAL meanwhile. The copy goes in steps of [`PAGES_PER_STEP`] pages
//! with a short sleep between them, so it takes disk bandwidth in small bites.
//!
//! The copy is written beside `--out` under a temporary name, switched to a rollback
//! journal (one self-contained file, no `-wal` beside it), checked with
//! `PRAGMA integrity_check`, synced, then renamed to `--out`. Restoring is copying it as
//! `<data-dir>/tabletop.db` with the server stopped (docs/operations.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::sqlite::DB_FILE;

/// Pages copied per step (4 KiB pages: 1 MiB).
pub const PAGES_PER_STEP: i32 = 256;
/// The pause between steps.
pub const PAUSE: Duration = Duration::from_millis(5);

/// `tabletop backup` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    /// Folder of the SQLite event store (the server's --data-dir).
    #[arg(long, env = "TABLETOP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The backup file to write (a SQLite database; restore it as <data-dir>/tabletop.db).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace --out when it exists.
    #[arg(long)]
    pub force: bool,
}

/// Why a backup failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The data dir holds no store.
    #[error("{0}: no tabletop data here (no {DB_FILE}); give the server's --data-dir")]
    NoStore(String),
    /// `--out` exists and `--force` was not given.
    #[error("{0} exists; give --force to replace it")]
    Exists(String),
    /// A file could not be written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The copy does not pass `PRAGMA integrity_check` (it is left out of `--out`).
    #[error("the copy failed its integrity check: {0}")]
    Integrity(String),
}

/// What a finished backup copied.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    /// Pages in the copy.
    pub pages: u64,
    /// Bytes of the backup file.
    pub bytes: u64,
    /// Steps taken (busy steps included).
    pub steps: u64,
    /// How long it took, checks included.
    pub took: Duration,
}

/// `tabletop backup`: runs it and prints the outcome on stderr.
pub fn command(args: &BackupArgs) -> ExitCode {
    match backup(&args.data_dir, &args.out, args.force) {
        Ok(done) => {
            eprintln!(
                "backed up {} to {} ({} pages, {} bytes, {} steps) in {} ms; integrity ok",
                args.data_dir.join(DB_FILE).display(),
                args.out.display(),
                done.pages,
                done.bytes,
                done.steps,
                done.took.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tabletop backup: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Copies `<data_dir>/tabletop.db` to `out` (see the module docs).
pub fn backup(data_dir: &Path, out: &Path, force: bool) -> Result<Done, BackupError> {
    let started = Instant::now();
    let source_path = data_dir.join(DB_FILE);
    if !source_path.is_file() {
        return Err(BackupError::NoStore(data_dir.display().to_string()));
    }
    if out.exists() && !force {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| BackupError::Io { path, source }
    };
    let partial = partial_path(out);
    let _ = std::fs::remove_file(&partial);
    let result = copy(&source_path, &partial);
    let (pages, steps) = match result {
        Ok(copied) => copied,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io(&partial))?;
    std::fs::rename(&partial, out).map_err(io(out))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename itself is durable once its folder is synced.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    let bytes = std::fs::metadata(out).map_err(io(out))?.len();
    Ok(Done { pages, bytes, steps, took: started.elapsed() })
}

/// The temporary name the copy is written under, beside `out`.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    out.with_file_name(name)
}

/// Copies the store at `source` into a new database at `dest`; returns pages and steps.
fn copy(source: &Path, dest: &Path) -> Result<(u64, u64), BackupError> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    src.busy_timeout(Duration::from_secs(5))?;
    // One snapshot for the whole copy: a read transaction held until the end.
    src.execute_batch("BEGIN")?;
    src.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    let mut dst = Connection::open(dest)?;
    let mut steps = 0;
    let pages = {
        let backup = Backup::new(&src, &mut dst)?;
        loop {
            steps += 1;
            // More, or busy/locked for a moment: pause, then go on.
            if backup.step(PAGES_PER_STEP)? == StepResult::Done {
                break;
            }
            std::thread::sleep(PAUSE);
        }
        u64::try_from(backup.progress().pagecount).unwrap_or(0)
    };
    src.execute_batch("COMMIT")?;
    drop(src);
    // One self-contained file: no WAL beside it (the server turns WAL on when it opens it).
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(BackupError::Integrity(check));
    }
    dst.close().map_err(|(_, e)| e)?;
    Ok((pages, steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_store_and_an_existing_out_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("copy.db");
        let err = backup(&dir.path().join("nowhere"), &out, false).unwrap_err();
        assert!(matches!(err, BackupError::NoStore(_)), "{err}");
        assert!(!out.exists());

        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        Connection::open(data.join(DB_FILE))
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        std::fs::write(&out, b"keep me").unwrap();
        assert!(matches!(backup(&data, &out, false), Err(BackupError::Exists(_))));
        assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
        backup(&data, &out, true).unwrap();
        let n: i64 = Connection::open(&out).unwrap().query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        assert!(!partial_path(&out).exists());
    }

    #[test]
    fn a_copy_in_many_steps_is_one_snapshot_while_another_connection_keeps_writing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DB_FILE);
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, pad BLOB)").unwrap();
        // About 4 MiB: several steps of PAGES_PER_STEP pages.
        for n in 0..1_000 {
            conn.execute("INSERT INTO t VALUES (?1, zeroblob(4000))", [n]).unwrap();
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writing = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut n = 1_000;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    conn.execute("INSERT INTO t VALUES (?1, zeroblob(4000))", [n]).unwrap();
                    n += 1;
                }
                n
            })
        };
        let out = dir.path().join("copy.db");
        let done = backup(dir.path(), &out, false).unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let written = writing.join().unwrap();
        assert!(done.steps > 1, "{done:?}");
        let copy = Connection::open(&out).unwrap();
        let (count, max): (i64, i64) =
            copy.query_row("SELECT count(*), max(n) FROM t", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(count, max + 1, "rows 0..=max, none missing: one snapshot");
        assert!(count >= 1_000 && count <= written, "{count} of {written}");
        let mode: String = copy.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "delete", "one self-contained file");
    }
}
