//! What the store keeps about exercises outside their logs: archived or not, which
//! exercise was run again as which, and who holds a join code that was handed over.
//!
//! Why beside the log and not in it: filing an exercise away or handing its join code to
//! a re-run is about the data dir, not about what happened in the exercise, and an
//! exercise's log stays byte for byte as it was played. Both tables start empty, so a
//! data dir written before them opens as it is (no row: not archived, no successor, the
//! code held by the exercise whose `exercise_created` names it).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::ids::ExerciseId;

/// The tables, created when missing (this is the whole migration of an older data dir).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS exercise_meta (
    exercise_id TEXT PRIMARY KEY,
    archived_ms INTEGER,
    successor   TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS join_codes (
    code        TEXT PRIMARY KEY,
    exercise_id TEXT NOT NULL
) WITHOUT ROWID;
";

/// A lifecycle change, written by the store's writer in the same transaction as the
/// events of its job (or alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Files the exercise away (`Some(when)`) or back (`None`).
    Archive(ExerciseId, Option<u64>),
    /// `to` is `from` run again: it holds `code` from now on.
    HandOver {
        /// The exercise run again.
        from: ExerciseId,
        /// Its re-run.
        to: ExerciseId,
        /// The join code they share.
        code: String,
    },
    /// A new exercise's join code. PostgreSQL keeps every code (several instances share
    /// one database: a code another instance gave out fails the creation); in SQLite the
    /// one process's registry is the only claimant and nothing is stored.
    ClaimCode {
        /// The code.
        code: String,
        /// The new exercise.
        exercise: ExerciseId,
    },
    /// Removes the exercise: its events, its files no other exercise names, its rows here
    /// (a code it held goes back to the exercise it was run again from, if any).
    Delete(ExerciseId),
}

/// Everything the tables say, as read at startup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Archived exercises and when (ms since the Unix epoch).
    pub archived: HashMap<ExerciseId, u64>,
    /// Exercise → the exercise it was run again as.
    pub successors: HashMap<ExerciseId, ExerciseId>,
    /// Join codes handed over, and who holds each.
    pub codes: Vec<(String, ExerciseId)>,
}

/// Applies one change (inside the caller's transaction or savepoint).
pub fn apply(conn: &Connection, change: &Change) -> Result<(), rusqlite::Error> {
    match change {
        Change::Archive(id, when) => {
            conn.execute(
                "INSERT INTO exercise_meta (exercise_id, archived_ms) VALUES (?1, ?2)
                 ON CONFLICT (exercise_id) DO UPDATE SET archived_ms = excluded.archived_ms",
                params![id.to_string(), when.map(|ms| ms as i64)],
            )?;
        }
        Change::HandOver { from, to, code } => {
            conn.execute(
                "INSERT INTO exercise_meta (exercise_id, successor) VALUES (?1, ?2)
                 ON CONFLICT (exercise_id) DO UPDATE SET successor = excluded.successor",
                params![from.to_string(), to.to_string()],
            )?;
            conn.execute(
                "INSERT INTO join_codes (code, exercise_id) VALUES (?1, ?2)
                 ON CONFLICT (code) DO UPDATE SET exercise_id = excluded.exercise_id",
                params![code, to.to_string()],
            )?;
        }
        Change::ClaimCode { .. } => {}
        Change::Delete(id) => delete(conn, &id.to_string())?,
    }
    Ok(())
}

fn delete(conn: &Connection, id: &str) -> Result<(), rusqlite::Error> {
    // Attachment hashes are named in `exercise_created` only (the scenario snapshot).
    conn.execute(
        "DELETE FROM files WHERE hash IN (
            SELECT f.hash FROM files f JOIN events c
              ON c.exercise_id = ?1 AND c.kind = 'exercise_created' AND instr(c.payload, f.hash) > 0
            WHERE NOT EXISTS (
                SELECT 1 FROM events o
                WHERE o.kind = 'exercise_created' AND o.exercise_id <> ?1 AND instr(o.payload, f.hash) > 0))",
        params![id],
    )?;
    let predecessor: Option<String> = conn
        .query_row("SELECT exercise_id FROM exercise_meta WHERE successor = ?1", params![id], |r| r.get(0))
        .optional()?;
    match predecessor {
        Some(p) => {
            conn.execute("UPDATE join_codes SET exercise_id = ?2 WHERE exercise_id = ?1", params![id, p])?;
            conn.execute("UPDATE exercise_meta SET successor = NULL WHERE successor = ?1", params![id])?;
        }
        None => {
            conn.execute("DELETE FROM join_codes WHERE exercise_id = ?1", params![id])?;
        }
    }
    conn.execute("DELETE FROM exercise_meta WHERE exercise_id = ?1", params![id])?;
    conn.execute("DELETE FROM events WHERE exercise_id = ?1", params![id])?;
    Ok(())
}

/// Reads the tables (rows naming an id that is not a UUID are skipped with a warning).
pub fn read(conn: &Connection) -> Result<Meta, rusqlite::Error> {
    let parse = |s: String| -> Option<ExerciseId> {
        let id = s.parse().ok();
        if id.is_none() {
            tracing::warn!(id = %s, "lifecycle row with a bad exercise id skipped");
        }
        id
    };
    let mut meta = Meta::default();
    if !has_tables(conn)? {
        return Ok(meta);
    }
    let mut stmt = conn.prepare("SELECT exercise_id, archived_ms, successor FROM exercise_meta")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get(2)?)))?;
    for row in rows {
        let (id, archived, successor): (String, Option<i64>, Option<String>) = row?;
        let Some(id) = parse(id) else { continue };
        if let Some(ms) = archived {
            meta.archived.insert(id, ms as u64);
        }
        if let Some(next) = successor.and_then(parse) {
            meta.successors.insert(id, next);
        }
    }
    let mut stmt = conn.prepare("SELECT code, exercise_id FROM join_codes ORDER BY code")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (code, id) = row?;
        if let Some(id) = parse(id) {
            meta.codes.push((code, id));
        }
    }
    Ok(meta)
}

/// Whether the lifecycle tables exist (a data dir of an older build opened read-only
/// has none).
fn has_tables(conn: &Connection) -> Result<bool, rusqlite::Error> {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'join_codes'", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n > 0)
}

/// Name of the lock file in the data dir: a serving store holds a shared lock on it, the
/// offline `tabletop exercises` commands an exclusive one.
pub const LOCK_FILE: &str = "tabletop.lock";

/// A held lock on a data dir (released when dropped).
#[derive(Debug)]
pub struct DirLock(#[allow(dead_code)] std::fs::File);

/// Why the data dir cannot be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it the other way.
    #[error("the data dir is in use by another tabletop process (a running server, or a `tabletop exercises` command)")]
    Busy,
    /// The lock file cannot be opened.
    #[error("lock file {0}: {1}")]
    Io(String, std::io::Error),
}

/// Takes the data dir's lock without waiting: shared (a server) or exclusive (an offline
/// change). On systems without `flock` no lock is taken.
pub fn lock_dir(data_dir: &Path, exclusive: bool) -> Result<DirLock, LockError> {
    let path = data_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| LockError::Io(path.display().to_string(), e))?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let how = if exclusive { libc::LOCK_EX } else { libc::LOCK_SH };
        // SAFETY: flock on a file descriptor we own; no memory is passed.
        if unsafe { libc::flock(file.as_raw_fd(), how | libc::LOCK_NB) } != 0 {
            let err = std::io::Error::last_os_error();
            return Err(if err.kind() == std::io::ErrorKind::WouldBlock {
                LockError::Busy
            } else {
                LockError::Io(path.display().to_string(), err)
            });
        }
    }
    #[cfg(not(unix))]
    let _ = exclusive;
    Ok(DirLock(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_lock_keeps_an_exclusive_one_out_and_two_shared_ones_agree() {
        let dir = tempfile::tempdir().unwrap();
        let a = lock_dir(dir.path(), false).unwrap();
        let _b = lock_dir(dir.path(), false).unwrap();
        assert!(matches!(lock_dir(dir.path(), true), Err(LockError::Busy)));
        drop(a);
        drop(_b);
        let _c = lock_dir(dir.path(), true).unwrap();
        assert!(matches!(lock_dir(dir.path(), false), Err(LockError::Busy)));
    }
}
