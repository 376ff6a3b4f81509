//! `tabletop exercises list|archive|unarchive|delete`: the lifecycle on a *stopped*
//! server's data dir.
//!
//! Why offline: the server holds the store (one writer) and a live exercise's actor
//! holds its state; changing the database under them would be undone or contradicted.
//! A serving store holds a shared lock on `tabletop.lock` in the data dir; these
//! commands take it exclusively and refuse at once, with a clear message, while a
//! server runs (use the console or the HTTP API then). The changes are the server's
//! own (`store::meta`), each in one transaction.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rusqlite::Connection;

use super::{Status, matches};
use crate::exercise::{Phase, State};
use crate::ids::ExerciseId;
use crate::store::meta::{self, Change, LockError};
use crate::store::sqlite::{DB_FILE, open_rw};

/// `tabletop exercises …`
#[derive(Debug, clap::Args)]
pub struct ExercisesArgs {
    /// Folder of the SQLite event store (the server must be stopped).
    #[arg(long, env = "TABLETOP_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub cmd: ExercisesCmd,
}

/// The lifecycle commands.
#[derive(Debug, clap::Subcommand)]
pub enum ExercisesCmd {
    /// List exercises, newest first: id, created, phase, join code, title.
    List {
        /// current (live and ended, the default), live, ended, archived or all.
        #[arg(long, default_value = "current")]
        status: String,
        /// Only those whose title, scenario id or join code contains this.
        #[arg(long)]
        q: Option<String>,
    },
    /// File an ended exercise away (hidden from the default list, still readable).
    Archive {
        /// The exercise id.
        id: String,
    },
    /// Bring an archived exercise back into the default list.
    Unarchive {
        /// The exercise id.
        id: String,
    },
    /// Delete an exercise and its data for good.
    Delete {
        /// The exercise id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// Runs a lifecycle command; prints errors on stderr.
pub fn run(args: &ExercisesArgs) -> ExitCode {
    match execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn execute(args: &ExercisesArgs) -> Result<(), String> {
    let dir = &args.data_dir;
    if !dir.join(DB_FILE).is_file() {
        return Err(format!("{}: no tabletop data here (no {DB_FILE})", dir.display()));
    }
    let _lock = meta::lock_dir(dir, true).map_err(|e| match e {
        LockError::Busy => format!(
            "{}: a tabletop server is running on this data dir; stop it first, or use the console \
             (or POST /api/exercises/ID/archive, DELETE /api/exercises/ID with the admin token)",
            dir.display()
        ),
        e => e.to_string(),
    })?;
    let mut conn = open_rw(&dir.join(DB_FILE)).map_err(|e| e.to_string())?;
    match &args.cmd {
        ExercisesCmd::List { status, q } => {
            let status = Status::parse(status)
                .ok_or_else(|| format!("--status {status}: one of current, live, ended, archived, all"))?;
            list(&conn, status, q.as_deref().unwrap_or(""))
        }
        ExercisesCmd::Archive { id } => {
            let id = parse_id(id)?;
            if replay(&conn, id)?.phase() != Phase::Ended {
                return Err(format!("exercise {id} has not ended: end it from the console before archiving it"));
            }
            let now = crate::time::WallClock::system().now_ms();
            change(&mut conn, Change::Archive(id, Some(now)))?;
            println!("archived {id}");
            Ok(())
        }
        ExercisesCmd::Unarchive { id } => {
            let id = parse_id(id)?;
            replay(&conn, id)?;
            change(&mut conn, Change::Archive(id, None))?;
            println!("unarchived {id}");
            Ok(())
        }
        ExercisesCmd::Delete { id, yes } => {
            let id = parse_id(id)?;
            let state = replay(&conn, id)?;
            if !yes
                && !confirm(&format!("Delete exercise {id} ({}), its log and files, for good?", state.scenario.title))?
            {
                return Err("not deleted".into());
            }
            change(&mut conn, Change::Delete(id))?;
            println!("deleted {id}");
            Ok(())
        }
    }
}

fn parse_id(id: &str) -> Result<ExerciseId, String> {
    id.trim().parse().map_err(|_| format!("\"{id}\" is not an exercise id (a UUID)"))
}

/// An exercise's state, from its log.
fn replay(conn: &Connection, id: ExerciseId) -> Result<State, String> {
    let log = crate::store::sqlite::read_log_with(conn, id).map_err(|e| e.to_string())?;
    if log.is_empty() {
        return Err(format!("no exercise {id} in this data dir"));
    }
    State::replay(&log).map_err(|e| format!("exercise {id}: {e}"))
}

fn change(conn: &mut Connection, change: Change) -> Result<(), String> {
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    meta::apply(&tx, &change).map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())
}

fn list(conn: &Connection, status: Status, q: &str) -> Result<(), String> {
    let meta = meta::read(conn).map_err(|e| e.to_string())?;
    let mut stmt = conn.prepare("SELECT DISTINCT exercise_id FROM events").map_err(|e| e.to_string())?;
    let ids: Vec<String> =
        stmt.query_map([], |r| r.get(0)).and_then(Iterator::collect).map_err(|e: rusqlite::Error| e.to_string())?;
    let mut rows = Vec::new();
    for id in ids {
        let id = parse_id(&id)?;
        let summary = crate::exercise::summary::summary(&replay(conn, id)?);
        let archived = meta.archived.contains_key(&id);
        if status.admits(summary.phase == Phase::Ended, archived) && matches(&summary, q) {
            rows.push((summary, archived, meta.successors.get(&id).copied()));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0.created_wall_ms));
    let mut out = std::io::stdout().lock();
    for (s, archived, next) in rows {
        let mut phase = s.phase.as_str().to_owned();
        if archived {
            phase.push_str(",archived");
        }
        let next = next.map(|n| format!("  (run again as {n})")).unwrap_or_default();
        let created = crate::time::rfc3339(s.created_wall_ms);
        let _ = writeln!(out, "{}  {created}  {phase:<16}  {}  {}{next}", s.exercise_id, s.join_code, s.title);
    }
    Ok(())
}

fn confirm(question: &str) -> Result<bool, String> {
    eprint!("{question} Type y to confirm: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
