//! Lifecycle changes and the tables beside the logs, in PostgreSQL: the same
//! [`Change`]s and [`Meta`] as SQLite's `store::meta`, plus every join code (instances
//! share one database, so a code is claimed there, not only in one process's registry).

use deadpool_postgres::Pool;
use tokio_postgres::Transaction;

use super::{pg, pool_error};
use crate::ids::ExerciseId;
use crate::store::{Change, Meta, StoreError};

/// Applies one change inside the caller's transaction (a job's savepoint).
pub(super) async fn apply(tx: &Transaction<'_>, change: &Change) -> Result<(), StoreError> {
    match change {
        Change::Archive(id, when) => {
            tx.execute(
                "INSERT INTO exercise_meta (exercise_id, archived_ms) VALUES ($1, $2)
                 ON CONFLICT (exercise_id) DO UPDATE SET archived_ms = excluded.archived_ms",
                &[&id.to_string(), &when.map(|ms| ms as i64)],
            )
            .await
            .map_err(pg)?;
        }
        Change::HandOver { from, to, code } => {
            tx.execute(
                "INSERT INTO exercise_meta (exercise_id, successor) VALUES ($1, $2)
                 ON CONFLICT (exercise_id) DO UPDATE SET successor = excluded.successor",
                &[&from.to_string(), &to.to_string()],
            )
            .await
            .map_err(pg)?;
            tx.execute(
                "INSERT INTO join_codes (code, exercise_id) VALUES ($1, $2)
                 ON CONFLICT (code) DO UPDATE SET exercise_id = excluded.exercise_id",
                &[code, &to.to_string()],
            )
            .await
            .map_err(pg)?;
        }
        // A plain insert: a code another instance claimed first fails the job.
        Change::ClaimCode { code, exercise } => {
            tx.execute("INSERT INTO join_codes (code, exercise_id) VALUES ($1, $2)", &[code, &exercise.to_string()])
                .await
                .map_err(pg)?;
        }
        Change::Delete(id) => delete(tx, &id.to_string()).await?,
    }
    Ok(())
}

async fn delete(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    // Attachment hashes are named in `exercise_created` only (the scenario snapshot).
    tx.execute(
        "DELETE FROM files WHERE hash IN (
            SELECT f.hash FROM files f JOIN events c
              ON c.exercise_id = $1 AND c.kind = 'exercise_created' AND strpos(c.payload, f.hash) > 0
            WHERE NOT EXISTS (
                SELECT 1 FROM events o
                WHERE o.kind = 'exercise_created' AND o.exercise_id <> $1 AND strpos(o.payload, f.hash) > 0))",
        &[&id],
    )
    .await
    .map_err(pg)?;
    let predecessor: Option<String> = tx
        .query_opt("SELECT exercise_id FROM exercise_meta WHERE successor = $1", &[&id])
        .await
        .map_err(pg)?
        .map(|r| r.get(0));
    match predecessor {
        Some(p) => {
            tx.execute("UPDATE join_codes SET exercise_id = $2 WHERE exercise_id = $1", &[&id, &p])
                .await
                .map_err(pg)?;
            tx.execute("UPDATE exercise_meta SET successor = NULL WHERE successor = $1", &[&id]).await.map_err(pg)?;
        }
        None => {
            tx.execute("DELETE FROM join_codes WHERE exercise_id = $1", &[&id]).await.map_err(pg)?;
        }
    }
    tx.execute("DELETE FROM exercise_meta WHERE exercise_id = $1", &[&id]).await.map_err(pg)?;
    tx.execute("DELETE FROM exercise_leases WHERE exercise_id = $1", &[&id]).await.map_err(pg)?;
    tx.execute("DELETE FROM events WHERE exercise_id = $1", &[&id]).await.map_err(pg)?;
    Ok(())
}

/// Reads the tables: archived, successors, and the codes handed over to a re-run (a
/// code its creator holds is not listed, as in SQLite).
pub(super) async fn read(pool: &Pool) -> Result<Meta, StoreError> {
    let client = pool.get().await.map_err(pool_error)?;
    let parse = |s: String| -> Option<ExerciseId> {
        let id = s.parse().ok();
        if id.is_none() {
            tracing::warn!(id = %s, "lifecycle row with a bad exercise id skipped");
        }
        id
    };
    let mut meta = Meta::default();
    for r in client.query("SELECT exercise_id, archived_ms, successor FROM exercise_meta", &[]).await.map_err(pg)? {
        let Some(id) = parse(r.get(0)) else { continue };
        if let Some(ms) = r.get::<_, Option<i64>>(1) {
            meta.archived.insert(id, ms as u64);
        }
        if let Some(next) = r.get::<_, Option<String>>(2).and_then(parse) {
            meta.successors.insert(id, next);
        }
    }
    let handed = "SELECT j.code, j.exercise_id FROM join_codes j
                  WHERE EXISTS (SELECT 1 FROM exercise_meta m WHERE m.successor = j.exercise_id)
                  ORDER BY j.code";
    for r in client.query(handed, &[]).await.map_err(pg)? {
        if let Some(id) = parse(r.get(1)) {
            meta.codes.push((r.get(0), id));
        }
    }
    Ok(meta)
}

/// The exercise a join code leads to, if any instance gave it out.
pub(super) async fn code_holder(pool: &Pool, code: &str) -> Result<Option<ExerciseId>, StoreError> {
    let client = pool.get().await.map_err(pool_error)?;
    let row = client.query_opt("SELECT exercise_id FROM join_codes WHERE code = $1", &[&code]).await.map_err(pg)?;
    Ok(row.and_then(|r| r.get::<_, String>(0).parse().ok()))
}
