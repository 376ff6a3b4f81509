//! Which exercises this instance runs when several instances share one PostgreSQL store
//! (issue 17; with SQLite every exercise is here and none of this does anything).
//!
//! An exercise is live on the instance holding its lease (`store::postgres::lease`).
//! [`App::locate`] answers a lookup: the exercise is here, or lives at another
//! instance's address (the websocket closes with 4307 and that address, the API answers
//! 307), or is nowhere. An exercise whose owner stopped renewing is taken over — claimed
//! at a new epoch, its log replayed, its actor started, its timers armed again — by the
//! first instance that looks for it: a lookup, or [`keep_leases`], which renews this
//! instance's leases, lets go of those it lost and takes over expired ones, every third
//! of a lease.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::exercise::{ExerciseHandle, State};
use crate::ids::ExerciseId;
use crate::server::App;
use crate::store::StoreError;

/// Expired leases taken over in one round of [`keep_leases`].
const TAKE_OVER_PER_ROUND: i64 = 32;

/// Where an exercise is live.
#[derive(Debug)]
pub enum Located {
    /// On this instance.
    Here(ExerciseHandle),
    /// On the instance at this base URL.
    There(String),
    /// Nowhere: no such exercise, or its owner cannot be reached yet (no address known).
    Nowhere,
}

impl App {
    /// Where the exercise with this id is live, taking it over when its owner stopped.
    pub async fn locate(&self, id: ExerciseId) -> Located {
        if let Some(handle) = self.registry.get(id).filter(|h| !h.is_stopped()) {
            return Located::Here(handle);
        }
        let Some(pg) = self.store.postgres() else { return Located::Nowhere };
        match pg.owner(id).await {
            Ok(Some(owner)) if owner.expired || owner.mine => match self.take_over(id).await {
                Ok(Some(handle)) => Located::Here(handle),
                Ok(None) => Box::pin(self.locate_elsewhere(id)).await,
                Err(e) => {
                    tracing::warn!(exercise = %id, error = %e, "taking over failed");
                    Located::Nowhere
                }
            },
            Ok(Some(owner)) => owner.url.map_or(Located::Nowhere, Located::There),
            Ok(None) => Located::Nowhere,
            Err(e) => {
                tracing::warn!(exercise = %id, error = %e, "looking up the owner failed");
                Located::Nowhere
            }
        }
    }

    /// After losing a race to take an exercise over: where the winner is.
    async fn locate_elsewhere(&self, id: ExerciseId) -> Located {
        if let Some(handle) = self.registry.get(id).filter(|h| !h.is_stopped()) {
            return Located::Here(handle);
        }
        let Some(pg) = self.store.postgres() else { return Located::Nowhere };
        match pg.owner(id).await {
            Ok(Some(owner)) if !owner.mine && !owner.expired => owner.url.map_or(Located::Nowhere, Located::There),
            _ => Located::Nowhere,
        }
    }

    /// Where the exercise a join code (normalized) leads to is live.
    pub async fn locate_code(&self, code: &str) -> Located {
        if let Some(handle) = self.registry.by_code(code).filter(|h| !h.is_stopped()) {
            return Located::Here(handle);
        }
        let Some(pg) = self.store.postgres() else { return Located::Nowhere };
        match pg.code_holder(code).await {
            Ok(Some(id)) => self.locate(id).await,
            Ok(None) => Located::Nowhere,
            Err(e) => {
                tracing::warn!(error = %e, "looking up a join code failed");
                Located::Nowhere
            }
        }
    }

    /// Claims an exercise whose lease is free and starts it here from its log; `None`
    /// when another instance holds it. One take-over at a time on an instance, so a
    /// lookup and the lease loop never start the same exercise twice.
    pub(crate) async fn take_over(&self, id: ExerciseId) -> Result<Option<ExerciseHandle>, StoreError> {
        let _one_at_a_time = self.taking_over.lock().await;
        if let Some(handle) = self.registry.get(id).filter(|h| !h.is_stopped()) {
            return Ok(Some(handle));
        }
        if !self.store.claim(id).await? {
            return Ok(None);
        }
        let log = self.store.load(id).await?;
        if log.is_empty() {
            // A creation that failed after its claim: nothing to run.
            if let Some(pg) = self.store.postgres() {
                pg.abandon(id).await?;
            }
            return Ok(None);
        }
        let state = State::replay(&log).map_err(|e| StoreError::Commit(format!("exercise {id}: {e}")))?;
        if let Some(stale) = self.registry.remove(id, None) {
            stale.stop().await;
        }
        let handle = self.start_actor(state);
        let meta = self.store.meta().await?;
        if let Some(ms) = meta.archived.get(&id) {
            self.registry.set_archived(id, Some(*ms));
        }
        if let Some(next) = meta.successors.get(&id) {
            self.registry.set_successor(id, *next);
        }
        self.metrics.taken_over();
        tracing::info!(exercise = %id, events = log.len(), "exercise taken over");
        Ok(Some(handle))
    }

    /// The other instances' base URLs (origins): their pages may open sockets here, and
    /// this instance's pages may open sockets there (CSP `connect-src`).
    pub fn peer_origins(&self) -> Vec<String> {
        self.peers.read().map(|p| p.clone()).unwrap_or_default()
    }

    /// Stops an exercise this instance no longer owns: its sockets close (1011) and
    /// reconnect, and a lookup sends them to the new owner.
    async fn let_go(&self, id: ExerciseId) {
        if let Some(handle) = self.registry.remove(id, None) {
            handle.stop().await;
            tracing::warn!(exercise = %id, "exercise let go: another instance owns it now");
        }
    }
}

/// Renews this instance's leases (and says where it is, `url`), lets go of the lost
/// ones and takes over expired ones, every third of a lease, until shutdown; then gives
/// every lease up so another instance takes over at once.
pub async fn keep_leases(app: Arc<App>, url: String, mut shutdown: watch::Receiver<bool>) {
    let Some(pg) = app.store.postgres().cloned() else { return };
    let every = pg.lease_length() / 3;
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(50)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.wait_for(|s| *s) => break,
        }
        match pg.renew(Some(&url)).await {
            Ok(lost) => {
                app.metrics.leases_lost(lost.len() as u64);
                for id in lost {
                    app.let_go(id).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "renewing leases failed"),
        }
        match pg.instance_urls().await {
            Ok(urls) => {
                let peers = urls.into_iter().filter(|u| *u != url).collect();
                if let Ok(mut held) = app.peers.write() {
                    *held = peers;
                }
            }
            Err(e) => tracing::warn!(error = %e, "reading the other instances' addresses failed"),
        }
        match pg.expired(TAKE_OVER_PER_ROUND).await {
            Ok(expired) => {
                for id in expired {
                    if let Err(e) = app.take_over(id).await {
                        tracing::warn!(exercise = %id, error = %e, "taking over failed");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "looking for expired leases failed"),
        }
    }
    if let Err(e) = pg.release_all().await {
        tracing::warn!(error = %e, "giving up the leases failed; they expire on their own");
    }
}
