//! What an exercise list shows of one exercise: at startup (the banner) and in
//! `GET /api/exercises`, answered by the actor from the state it holds.

use super::{Phase, State};
use crate::ids::ExerciseId;

/// An exercise as listed at startup and by `GET /api/exercises`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExerciseSummary {
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// Its scenario id.
    pub scenario_id: String,
    /// Its scenario title.
    pub title: String,
    /// Its phase.
    pub phase: Phase,
    /// Its join code.
    pub join_code: String,
    /// Created at (ms since the Unix epoch).
    pub created_wall_ms: u64,
    /// Participants so far.
    pub participants: usize,
    /// The facilitator key (only in the startup banner, never in API lists).
    #[serde(skip)]
    pub facilitator_key: String,
}

/// A summary of an exercise's state.
pub fn summary(state: &State) -> ExerciseSummary {
    ExerciseSummary {
        exercise_id: state.exercise_id,
        scenario_id: state.scenario.id.clone(),
        title: state.scenario.title.to_string(),
        phase: state.phase(),
        join_code: state.join_code.clone(),
        created_wall_ms: state.created_wall_ms,
        participants: state.participants.len(),
        facilitator_key: state.facilitator_key.clone(),
    }
}
