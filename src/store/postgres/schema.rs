//! The PostgreSQL schema, versioned: [`MIGRATIONS`] and the table `tabletop_schema`
//! recording how far a database is. Migrated at connect time under an advisory lock, so
//! instances starting together migrate once; a database written by a newer build is
//! refused, not altered.

use deadpool_postgres::Pool;

use super::{pg, pool_error};
use crate::store::StoreError;

/// The advisory lock key taken while migrating ("tabletop" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x7461_626c_6574_6f70;

/// The schema, one entry per version: entry `n` takes a database from version `n` to
/// `n + 1`. Never edit a shipped entry; add one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the event logs and the attachment files (as in SQLite).
    "
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
",
    // 2: what the store keeps beside the logs (archived, run again as, join codes: every
    // code, so instances never hand out one twice), the instances and their addresses,
    // and who owns each exercise (the lease, with the epoch every append checks).
    "
CREATE TABLE exercise_meta (
    exercise_id TEXT PRIMARY KEY,
    archived_ms BIGINT,
    successor   TEXT
);
CREATE TABLE join_codes (
    code        TEXT PRIMARY KEY,
    exercise_id TEXT NOT NULL
);
CREATE INDEX join_codes_by_exercise ON join_codes (exercise_id);
CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    url         TEXT,
    seen_at     TIMESTAMPTZ NOT NULL
);
CREATE TABLE exercise_leases (
    exercise_id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    epoch       BIGINT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX exercise_leases_by_instance ON exercise_leases (instance_id);
",
];

const SCHEMA_VERSION: &str = "SELECT coalesce(max(version), 0) FROM tabletop_schema";

/// The version a database is at.
pub(super) async fn version(pool: &Pool) -> Result<usize, StoreError> {
    let client = pool.get().await.map_err(pool_error)?;
    let row = client.query_one(SCHEMA_VERSION, &[]).await.map_err(pg)?;
    Ok(usize::try_from(row.get::<_, i32>(0)).unwrap_or(0))
}

/// Brings the schema to the last version, under an advisory lock held for the
/// transaction (instances starting together migrate one after the other).
pub(super) async fn migrate(pool: &Pool) -> Result<(), StoreError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await.map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(pg)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS tabletop_schema (version INTEGER NOT NULL)").await.map_err(pg)?;
    let row = tx.query_one(SCHEMA_VERSION, &[]).await.map_err(pg)?;
    let at = usize::try_from(row.get::<_, i32>(0)).unwrap_or(0);
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
