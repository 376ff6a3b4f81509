//! An event as a stored row: the columns every store writes (`seq`, `wall_ms`, `kind`,
//! `version`, the JSON `payload`) and how a row reads back into a [`Recorded`].

use std::time::Instant;

use super::StoreError;
use crate::events::{EventKind, Recorded, decode};
use crate::ids::ExerciseId;
use crate::metrics::Metrics;

/// One event's columns.
#[derive(Debug)]
pub(super) struct Row {
    pub(super) seq: u64,
    pub(super) wall_ms: u64,
    pub(super) kind: &'static str,
    pub(super) version: u16,
    pub(super) payload: String,
}

/// The rows of `events`, in order.
pub(super) fn rows(events: &[Recorded]) -> Result<Vec<Row>, StoreError> {
    events
        .iter()
        .map(|r| {
            Ok(Row {
                seq: r.seq,
                wall_ms: r.wall_ms,
                kind: r.event.kind().as_str(),
                version: r.event.version(),
                payload: event_json(&r.event)?,
            })
        })
        .collect()
}

fn event_json(event: &crate::events::Event) -> Result<String, StoreError> {
    let mut json = Vec::with_capacity(512);
    serde_json::to_writer(&mut json, event).map_err(|e| StoreError::Commit(e.to_string()))?;
    String::from_utf8(json).map_err(|e| StoreError::Commit(e.to_string()))
}

/// A stored row read back (an unknown kind or version is a [`StoreError::Decode`]).
pub(super) fn recorded(
    exercise: ExerciseId,
    seq: u64,
    wall_ms: u64,
    kind: &str,
    version: u16,
    payload: &str,
) -> Result<Recorded, StoreError> {
    let event = decode(kind, version, payload).map_err(|source| StoreError::Decode {
        exercise: exercise.to_string(),
        seq,
        source,
    })?;
    Ok(Recorded { seq, wall_ms, event })
}

/// An exercise id column read back.
pub(super) fn exercise_id(id: String) -> Result<ExerciseId, StoreError> {
    id.parse().map_err(|_| StoreError::Decode {
        exercise: id.clone(),
        seq: 0,
        source: crate::events::DecodeError::Malformed { kind: "exercise_id".into(), reason: "not a UUID".into() },
    })
}

/// Counts a committed batch in the metrics: its commit time and the events (and answers)
/// of the jobs stored (`true`); a batch of which nothing was stored is a failed commit
/// (no jobs at all: nothing to count).
pub(super) fn count<'a>(metrics: &Metrics, started: Instant, jobs: impl Iterator<Item = (&'a [Row], bool)>) {
    let answer = EventKind::ResponseSubmitted.as_str();
    let (mut counted, mut stored_any, mut events, mut answers) = (false, false, 0, 0);
    for (rows, stored) in jobs {
        counted = true;
        if stored {
            stored_any = true;
            events += rows.len() as u64;
            answers += rows.iter().filter(|r| r.kind == answer).count() as u64;
        }
    }
    if !counted {
        return;
    }
    if stored_any {
        metrics.committed(started.elapsed(), events, answers);
    } else {
        metrics.commit_failed();
    }
}
