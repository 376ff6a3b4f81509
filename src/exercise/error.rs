//! Why a command was refused. Each variant has a stable wire `code`.

use super::clock::Phase;

/// A command the exercise refuses; nothing changes when one is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExerciseError {
    /// A participant tried a facilitator command.
    #[error("only the facilitator can {0}")]
    Forbidden(&'static str),
    /// No inject has this id.
    #[error("no inject \"{0}\" in this scenario")]
    UnknownInject(String),
    /// No group has this id.
    #[error("no group \"{0}\" in this scenario")]
    UnknownGroup(String),
    /// No participant has this id.
    #[error("no participant {0} in this exercise")]
    UnknownParticipant(String),
    /// The resume token or facilitator key does not match.
    #[error("the key or token does not match this exercise")]
    BadCredentials,
    /// Release or skip of an inject already released or skipped.
    #[error("inject \"{0}\" was already {1}")]
    InjectNotPending(String, &'static str),
    /// A response to an inject the participant's group has not received.
    #[error("inject \"{0}\" has not been released to your group")]
    InjectNotReleased(String),
    /// The command does not fit the exercise's phase (e.g. pause while paused).
    #[error("cannot {action} while the exercise is {}", phase.as_str())]
    WrongPhase {
        /// What was attempted.
        action: &'static str,
        /// The phase it was attempted in.
        phase: Phase,
    },
    /// The exercise has ended.
    #[error("the exercise has ended")]
    Ended,
    /// A speed outside the allowed range.
    #[error("speed must be between {min} and {max}")]
    InvalidSpeed {
        /// Lowest allowed.
        min: f64,
        /// Highest allowed.
        max: f64,
    },
    /// Text longer than allowed.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// Which field.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// Text that is empty or made of control characters.
    #[error("{0} is empty or not printable")]
    InvalidText(&'static str),
    /// The store could not commit; nothing was changed.
    #[error("the exercise could not be saved; try again")]
    Storage,
    /// The exercise has as many participants as allowed.
    #[error("the exercise is full ({0} participants)")]
    Full(usize),
}

impl ExerciseError {
    /// The stable code sent on the wire as `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ExerciseError::Forbidden(_) => "forbidden",
            ExerciseError::UnknownInject(_) => "unknown_inject",
            ExerciseError::UnknownGroup(_) => "unknown_group",
            ExerciseError::UnknownParticipant(_) => "unknown_participant",
            ExerciseError::BadCredentials => "bad_credentials",
            ExerciseError::InjectNotPending(..) => "inject_not_pending",
            ExerciseError::InjectNotReleased(_) => "inject_not_released",
            ExerciseError::WrongPhase { .. } => "wrong_phase",
            ExerciseError::Ended => "exercise_ended",
            ExerciseError::InvalidSpeed { .. } => "invalid_speed",
            ExerciseError::TooLong { .. } => "too_long",
            ExerciseError::InvalidText(_) => "invalid_text",
            ExerciseError::Full(_) => "exercise_full",
            ExerciseError::Storage => "storage_unavailable",
        }
    }
}
