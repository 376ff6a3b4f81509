//! The exercise lifecycle: the list (live, ended, archived; searched), archive, run
//! again and delete. None of them adds an event: what they change is kept by the store
//! beside the logs (`store::meta`) and mirrored in the registry, so every exercise's log
//! stays as it was played.
//!
//! - **Archive** files an *ended* exercise away: it leaves the default list and stays
//!   readable (debrief, exports). A live one must be ended first: an archived exercise
//!   that still released injects, out of sight of the list, would surprise everyone.
//!   Its join code admits nobody new because the exercise has ended, not because it is
//!   archived.
//! - **Run again** starts a fresh exercise from the scenario snapshot stored in the old
//!   one's `exercise_created` (it plays the same even if the file changed) with the
//!   *same* join code, which leads to the re-run from then on: the QR code on the slides
//!   and the projector link (`/projector?code=…`) follow. The old exercise is not
//!   touched: not ended, no event added; whoever is still in it stays in it.
//! - **Delete** stops the actor, takes the exercise out of the registry, and removes
//!   its rows (events, lifecycle rows, files no other exercise names) in one
//!   transaction of the store's writer. A code it had taken over goes back to the
//!   exercise it was run again from.
//!
//! [`cli`] does the same offline on a stopped server's data dir.

pub mod cli;

use serde::Serialize;

use crate::events::{Event, Recorded};
use crate::exercise::{Phase, RequestError, State};
use crate::ids::{ExerciseId, new_secret, normalize_join_code};
use crate::server::{App, Created, ExerciseSummary};
use crate::store::{Change, StoreError};

/// Which exercises a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Live and ended, not archived (the default).
    #[default]
    Current,
    /// Not ended, not archived.
    Live,
    /// Ended, not archived.
    Ended,
    /// Archived only.
    Archived,
    /// Everything.
    All,
}

impl Status {
    /// From `?status=`: `current`, `live`, `ended`, `archived` or `all`.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "current" | "" => Status::Current,
            "live" => Status::Live,
            "ended" => Status::Ended,
            "archived" => Status::Archived,
            "all" => Status::All,
            _ => return None,
        })
    }

    fn admits(self, ended: bool, archived: bool) -> bool {
        match self {
            Status::Current => !archived,
            Status::Live => !archived && !ended,
            Status::Ended => !archived && ended,
            Status::Archived => archived,
            Status::All => true,
        }
    }
}

/// An exercise as the lifecycle list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// What every list shows.
    #[serde(flatten)]
    pub summary: ExerciseSummary,
    /// When it was archived (ms since the Unix epoch), if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived_wall_ms: Option<u64>,
    /// The exercise it was run again as (its join code leads there now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_again_as: Option<ExerciseId>,
    /// The exercise it is a re-run of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_again_from: Option<ExerciseId>,
}

/// Why a lifecycle request failed.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// No exercise with that id.
    #[error("no exercise with that id")]
    NotFound,
    /// Only an ended exercise is archived.
    #[error("end the exercise before archiving it")]
    NotEnded,
    /// It was run again already: run the re-run again.
    #[error("this exercise was run again already (as {0}); run that one again")]
    AlreadyRunAgain(ExerciseId),
    /// The stored log does not start with `exercise_created`.
    #[error("the exercise's log does not start with its creation")]
    NoCreation,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The exercise's actor stopped.
    #[error(transparent)]
    Gone(#[from] RequestError),
}

/// Whether `summary` matches a search: title, scenario id or join code (case and
/// separators ignored in codes).
pub fn matches(summary: &ExerciseSummary, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    let code = normalize_join_code(&q);
    summary.title.to_lowercase().contains(&q)
        || summary.scenario_id.to_lowercase().contains(&q)
        || (!code.is_empty() && summary.join_code.contains(&code))
}

/// Mirrors the store's lifecycle rows into the registry (at startup, after replay): a
/// handed-over join code leads to its re-run whatever order the logs were replayed in.
pub async fn restore(app: &App) -> Result<(), StoreError> {
    let meta = app.store.meta().await?;
    for (id, ms) in meta.archived {
        app.registry.set_archived(id, Some(ms));
    }
    for (from, to) in meta.successors {
        app.registry.set_successor(from, to);
    }
    for (code, id) in meta.codes {
        if app.registry.get(id).is_some() {
            app.registry.hand_over(&code, id);
        }
    }
    Ok(())
}

impl App {
    /// Exercises as `status` and the search `q` select them, newest first.
    pub async fn list(&self, status: Status, q: &str) -> Result<Vec<Listed>, RequestError> {
        let mut out = Vec::new();
        for id in self.registry.ids().into_iter().rev() {
            let archived_wall_ms = self.registry.archived(id);
            let Some(handle) = self.registry.get(id) else { continue };
            // Each actor answers from the state it holds: no log is read or replayed.
            let summary = match handle.summary().await {
                Ok(s) => s,
                Err(RequestError::Gone) => continue, // deleted meanwhile
                Err(e) => return Err(e),
            };
            if !status.admits(summary.phase == Phase::Ended, archived_wall_ms.is_some()) || !matches(&summary, q) {
                continue;
            }
            out.push(Listed {
                summary,
                archived_wall_ms,
                run_again_as: self.registry.successor(id),
                run_again_from: self.registry.predecessor(id),
            });
        }
        out.sort_by_key(|l| std::cmp::Reverse(l.summary.created_wall_ms));
        Ok(out)
    }

    /// Archives an ended exercise (`true`) or brings one back (`false`).
    pub async fn set_archived(&self, id: ExerciseId, archive: bool) -> Result<(), LifecycleError> {
        let handle = self.registry.get(id).ok_or(LifecycleError::NotFound)?;
        let when = if archive {
            if handle.summary().await?.phase != Phase::Ended {
                return Err(LifecycleError::NotEnded);
            }
            Some(self.registry.archived(id).unwrap_or_else(|| self.clock.now_ms()))
        } else {
            None
        };
        self.store.change(id, vec![Change::Archive(id, when)]).await?;
        self.registry.set_archived(id, when);
        tracing::info!(exercise = %id, archived = archive, "exercise filed");
        Ok(())
    }

    /// A fresh exercise of the old one's stored scenario, with its join code (which leads
    /// to the new one from now on). The old exercise's log is not touched.
    pub async fn run_again(&self, id: ExerciseId) -> Result<Created, LifecycleError> {
        self.registry.get(id).ok_or(LifecycleError::NotFound)?;
        if let Some(next) = self.registry.successor(id) {
            return Err(LifecycleError::AlreadyRunAgain(next));
        }
        let log = self.load_log(id).await?;
        let Some(Event::ExerciseCreated { scenario, join_code, .. }) = log.into_iter().next().map(|r| r.event) else {
            return Err(LifecycleError::NoCreation);
        };
        let exercise_id = ExerciseId::new();
        let facilitator_key = new_secret();
        let first = Recorded {
            seq: 1,
            wall_ms: self.clock.now_ms(),
            event: Event::ExerciseCreated {
                exercise_id,
                scenario,
                join_code: join_code.clone(),
                facilitator_key: facilitator_key.clone(),
            },
        };
        // The files are in the store already (named by the old exercise's snapshot).
        let hand_over = Change::HandOver { from: id, to: exercise_id, code: join_code.clone() };
        // The re-run is this instance's (with PostgreSQL: its lease, before its first event).
        self.store.claim(exercise_id).await?;
        self.store.append_with_changes(exercise_id, std::slice::from_ref(&first), Vec::new(), vec![hand_over]).await?;
        let state = State::created(&first).map_err(|_| LifecycleError::NoCreation)?;
        self.registry.hand_over(&join_code, exercise_id);
        self.registry.set_successor(id, exercise_id);
        self.start_actor(state);
        tracing::info!(exercise = %exercise_id, from = %id, "exercise run again");
        Ok(Created { exercise_id, join_code, facilitator_key })
    }

    /// Deletes an exercise: actor stopped, out of the registry, its rows gone.
    pub async fn delete_exercise(&self, id: ExerciseId) -> Result<(), LifecycleError> {
        let fallback = self.registry.predecessor(id);
        let handle = self.registry.remove(id, fallback).ok_or(LifecycleError::NotFound)?;
        // Once stopped, the actor stores nothing more: the delete is the last word.
        handle.stop().await;
        self.store.change(id, vec![Change::Delete(id)]).await?;
        tracing::info!(exercise = %id, "exercise deleted");
        Ok(())
    }
}
