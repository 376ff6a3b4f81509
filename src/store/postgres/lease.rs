//! Who owns an exercise when several instances share one database (issue 17).
//!
//! An exercise is live on one instance at a time: the one holding its row in
//! `exercise_leases`, until `expires_at`. The owner renews all its leases every third of
//! the lease's length; an expired lease may be claimed by any instance, which bumps the
//! row's `epoch`. Every append checks, in its own transaction, that this instance still
//! holds the lease at the epoch it claimed (the rows read `FOR SHARE`, so a claim waits
//! for a commit in progress and then sees it): an instance that lost its lease can no
//! longer append — two owners never both write (fencing). Time is PostgreSQL's own
//! `now()`, never an instance's clock.
//!
//! `instances` says where an instance can be reached (its `--advertise-url`), for the
//! redirects that send a client to the owner.

use std::collections::HashMap;
use std::time::Duration;

use dashmap::DashMap;

use super::{PgStore, pg, pool_error};
use crate::ids::ExerciseId;
use crate::store::StoreError;

/// A lease's length when none is set (`--lease-ms`).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(3);

/// This instance's identity and the leases it holds.
#[derive(Debug)]
pub struct Leases {
    /// A fresh id per process: a restarted instance is a new owner.
    instance: String,
    ttl: Duration,
    /// Exercise → the epoch this instance claimed it at.
    held: DashMap<ExerciseId, i64>,
}

impl Leases {
    pub(super) fn new(ttl: Duration) -> Self {
        Leases { instance: uuid::Uuid::now_v7().to_string(), ttl, held: DashMap::new() }
    }

    /// The epoch this instance holds `exercise` at, if it holds it.
    pub(super) fn epoch(&self, exercise: ExerciseId) -> Option<i64> {
        self.held.get(&exercise).map(|e| *e)
    }

    pub(super) fn instance(&self) -> &str {
        &self.instance
    }

    /// Forgets a lease (it was lost: appends to the exercise are refused from now on).
    pub(super) fn forget(&self, exercise: ExerciseId) {
        self.held.remove(&exercise);
    }

    fn ttl_ms(&self) -> f64 {
        self.ttl.as_secs_f64() * 1000.0
    }
}

/// Who owns an exercise, as the database says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Where the owner can be reached (`None`: it has not said yet).
    pub url: Option<String>,
    /// The lease has expired: any instance may claim it.
    pub expired: bool,
    /// The owner is this instance.
    pub mine: bool,
}

/// `now() + ttl`, in SQL, with `$n` the lease length in ms.
fn until(n: usize) -> String {
    format!("now() + ${n}::FLOAT8 * interval '1 millisecond'")
}

impl PgStore {
    /// This instance's id (fresh per process).
    pub fn instance_id(&self) -> &str {
        self.leases.instance()
    }

    /// A lease's length.
    pub fn lease_length(&self) -> Duration {
        self.leases.ttl
    }

    /// Claims `exercise` for this instance when nobody holds it, its lease has expired,
    /// or the row is this instance's but not held (a take-over that lost a race with the
    /// renewal); true when this instance owns it now, at a new epoch (anything still
    /// appending at an older one is fenced off). An exercise held already is not claimed
    /// again.
    pub async fn claim(&self, exercise: ExerciseId) -> Result<bool, StoreError> {
        if self.leases.epoch(exercise).is_some() {
            return Ok(true);
        }
        let client = self.pool.get().await.map_err(pool_error)?;
        let sql = format!(
            "INSERT INTO exercise_leases (exercise_id, instance_id, epoch, expires_at) VALUES ($1, $2, 1, {})
             ON CONFLICT (exercise_id) DO UPDATE
               SET instance_id = excluded.instance_id, epoch = exercise_leases.epoch + 1,
                   expires_at = excluded.expires_at
               WHERE exercise_leases.expires_at < now() OR exercise_leases.instance_id = excluded.instance_id
             RETURNING epoch",
            until(3)
        );
        let row = client
            .query_opt(&sql, &[&exercise.to_string(), &self.leases.instance, &self.leases.ttl_ms()])
            .await
            .map_err(pg)?;
        Ok(match row {
            Some(r) => {
                let epoch: i64 = r.get(0);
                self.leases.held.insert(exercise, epoch);
                tracing::info!(exercise = %exercise, epoch, "exercise lease claimed");
                true
            }
            None => false,
        })
    }

    /// Says where this instance is (`url`) and renews every lease it holds; returns the
    /// leases it lost (another instance claimed them after they expired), now forgotten.
    pub async fn renew(&self, url: Option<&str>) -> Result<Vec<ExerciseId>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        client
            .execute(
                "INSERT INTO instances (instance_id, url, seen_at) VALUES ($1, $2, now())
                 ON CONFLICT (instance_id) DO UPDATE SET url = excluded.url, seen_at = excluded.seen_at",
                &[&self.leases.instance, &url],
            )
            .await
            .map_err(pg)?;
        // Only what is held at this moment is renewed and judged: a claim committed while
        // this runs is the next round's (and a row of this instance's that it does not
        // hold, e.g. after a lost race, is left to expire).
        let held: Vec<(ExerciseId, i64)> = self.leases.held.iter().map(|e| (*e.key(), *e.value())).collect();
        let ids: Vec<String> = held.iter().map(|(id, _)| id.to_string()).collect();
        let sql = format!(
            "UPDATE exercise_leases SET expires_at = {} WHERE instance_id = $1 AND exercise_id IN (
                 SELECT exercise_id FROM exercise_leases WHERE instance_id = $1 AND exercise_id = ANY($3)
                 ORDER BY exercise_id FOR UPDATE)
             RETURNING exercise_id, epoch",
            until(2)
        );
        let rows = client.query(&sql, &[&self.leases.instance, &self.leases.ttl_ms(), &ids]).await.map_err(pg)?;
        let renewed: HashMap<String, i64> = rows.into_iter().map(|r| (r.get(0), r.get(1))).collect();
        let lost: Vec<ExerciseId> =
            held.iter().filter(|(id, epoch)| renewed.get(&id.to_string()) != Some(epoch)).map(|(id, _)| *id).collect();
        for id in &lost {
            // Forgotten only if still at the epoch judged (not claimed again meanwhile).
            self.leases.held.remove_if(id, |_, epoch| held.iter().any(|(h, e)| h == id && e == epoch));
            tracing::warn!(exercise = %id, "exercise lease lost to another instance");
        }
        Ok(lost)
    }

    /// The addresses of the instances seen in the last ten lease lengths (this one too).
    pub async fn instance_urls(&self) -> Result<Vec<String>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let sql = "SELECT DISTINCT url FROM instances
                   WHERE url IS NOT NULL AND seen_at > now() - 10 * $1::FLOAT8 * interval '1 millisecond'
                   ORDER BY url";
        let rows = client.query(sql, &[&self.leases.ttl_ms()]).await.map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    /// Up to `limit` exercises whose lease has expired (their owner stopped renewing),
    /// the longest expired first.
    pub async fn expired(&self, limit: i64) -> Result<Vec<ExerciseId>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client
            .query(
                "SELECT exercise_id FROM exercise_leases WHERE expires_at < now() ORDER BY expires_at LIMIT $1",
                &[&limit],
            )
            .await
            .map_err(pg)?;
        Ok(rows.into_iter().filter_map(|r| r.get::<_, String>(0).parse().ok()).collect())
    }

    /// Who owns `exercise` (`None`: nobody ever claimed it, or it was deleted).
    pub async fn owner(&self, exercise: ExerciseId) -> Result<Option<Owner>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row = client
            .query_opt(
                "SELECT l.instance_id, i.url, l.expires_at < now() FROM exercise_leases l
                 LEFT JOIN instances i ON i.instance_id = l.instance_id WHERE l.exercise_id = $1",
                &[&exercise.to_string()],
            )
            .await
            .map_err(pg)?;
        Ok(row.map(|r| Owner { mine: r.get::<_, String>(0) == self.leases.instance, url: r.get(1), expired: r.get(2) }))
    }

    /// Drops a lease claimed for an exercise whose creation failed (no log).
    pub async fn abandon(&self, exercise: ExerciseId) -> Result<(), StoreError> {
        self.leases.forget(exercise);
        let client = self.pool.get().await.map_err(pool_error)?;
        client
            .execute(
                "DELETE FROM exercise_leases WHERE exercise_id = $1
                 AND NOT EXISTS (SELECT 1 FROM events WHERE exercise_id = $1)",
                &[&exercise.to_string()],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    /// Gives up every lease at once (a clean shutdown), so another instance claims them
    /// without waiting for them to expire. Appends after this are refused.
    pub async fn release_all(&self) -> Result<(), StoreError> {
        self.leases.held.clear();
        let client = self.pool.get().await.map_err(pool_error)?;
        client
            .execute(
                "UPDATE exercise_leases SET expires_at = now() - interval '1 millisecond' WHERE exercise_id IN (
                     SELECT exercise_id FROM exercise_leases WHERE instance_id = $1 ORDER BY exercise_id FOR UPDATE)",
                &[&self.leases.instance],
            )
            .await
            .map_err(pg)?;
        client.execute("DELETE FROM instances WHERE instance_id = $1", &[&self.leases.instance]).await.map_err(pg)?;
        Ok(())
    }
}

/// The lease epochs of `exercises` as the database has them now, read `FOR SHARE` in
/// the caller's transaction (a claim waits until it commits): exercise → (instance, epoch).
/// Every statement that locks several lease rows locks them in `exercise_id` order, so
/// a batch's append and a renewal never deadlock (one did under load, 1 run in 6).
pub(super) async fn current(
    tx: &tokio_postgres::Transaction<'_>,
    exercises: &[String],
) -> Result<HashMap<String, (String, i64)>, StoreError> {
    let rows = tx
        .query(
            "SELECT exercise_id, instance_id, epoch FROM exercise_leases WHERE exercise_id = ANY($1)
             ORDER BY exercise_id FOR SHARE",
            &[&exercises],
        )
        .await
        .map_err(pg)?;
    Ok(rows.into_iter().map(|r| (r.get(0), (r.get(1), r.get(2)))).collect())
}
