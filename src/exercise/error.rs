//! Why a command was refused. Each variant has a stable wire `code`.

use super::clock::Phase;

/// A command the exercise refuses; nothing changes when one is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExerciseError {
    /// Someone tried a command their role may not send.
    #[error("only {who} can {action}")]
    Forbidden {
        /// What was attempted.
        action: &'static str,
        /// Who may do it.
        who: &'static str,
    },
    /// No inject has this id.
    #[error("no inject \"{0}\" in this scenario")]
    UnknownInject(String),
    /// No group has this id.
    #[error("no group \"{0}\" in this scenario")]
    UnknownGroup(String),
    /// No sector of the scenario has this id.
    #[error("no sector \"{0}\" in this scenario")]
    UnknownSector(String),
    /// No participant has this id.
    #[error("no participant {0} in this exercise")]
    UnknownParticipant(String),
    /// The resume token or facilitator key does not match.
    #[error("the key or token does not match this exercise")]
    BadCredentials,
    /// Release or skip of an inject already released or skipped.
    #[error("inject \"{0}\" was already {1}")]
    InjectNotPending(String, &'static str),
    /// Fire or cancel on an inject that has no condition.
    #[error("inject \"{0}\" has no condition")]
    NoCondition(String),
    /// Fire or cancel on a condition that no longer waits.
    #[error("the condition of inject \"{0}\" no longer waits: it was {1}")]
    ConditionNotArmed(String, &'static str),
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
    /// A display name that reads as a role of the room ("Facilitator", "admin"…).
    #[error("\"{0}\" reads as a role of the room: choose your own name")]
    ReservedName(String),
    /// The store could not commit; nothing was changed.
    #[error("the exercise could not be saved; try again")]
    Storage,
    /// The exercise has as many participants as allowed.
    #[error("the exercise is full ({0} participants)")]
    Full(usize),
    /// No objective has this id.
    #[error("no objective \"{0}\" in this scenario")]
    UnknownObjective(String),
    /// No improvement-plan item has this id.
    #[error("no improvement item \"{0}\" in this exercise")]
    UnknownItem(String),
    /// No self-assessment statement has this id, or it is another group's.
    #[error("no self-assessment statement \"{0}\" for your group")]
    UnknownStatement(String),
    /// The scenario has no self-assessment, or it is not open.
    #[error("the self-assessment is {0}")]
    SelfAssessmentUnavailable(&'static str),
    /// The adoption board is not open for votes.
    #[error("the adoption board is not open for votes")]
    AdoptionUnavailable,
    /// A vote set with more items than allowed.
    #[error("choose at most {max} priorities")]
    TooManyVotes {
        /// The most items in one vote set.
        max: usize,
    },
    /// A value outside what the field accepts (a score, a date).
    #[error("{0}")]
    InvalidValue(String),
    /// An option id the poll does not offer.
    #[error("inject \"{inject}\" has no option \"{option}\"")]
    UnknownOption {
        /// The poll.
        inject: String,
        /// The option sent.
        option: String,
    },
    /// Several options for a poll that takes one.
    #[error("{0}")]
    InvalidChoice(&'static str),
    /// Options for an inject that is not a poll, or a poll asked of a text inject.
    #[error("inject \"{0}\" is not a poll")]
    NotAPoll(String),
    /// The scribe edits the group's answer after the answer window closed.
    #[error("the answer window of inject \"{0}\" has closed: the group's answer stands")]
    WindowClosed(String),
    /// Only the scribe answers for the group; others contribute text.
    #[error("only your group's scribe answers for the group (a poll included); write a contribution instead")]
    NotScribe,
    /// The scenario has each member answer; there is no scribe.
    #[error("this exercise has no scribes: every member answers for themselves")]
    NoScribes,
    /// The participant is not in that group.
    #[error("participant {0} is not in group \"{1}\"")]
    NotInGroup(String, String),
    /// Too many answers from one participant in the last minute (all their sockets).
    #[error("too many answers in a minute: try again in {retry_after_secs} s")]
    RateLimited {
        /// Seconds until the next answer is taken.
        retry_after_secs: u64,
    },
    /// A participant's (or the exercise's) quota is used up.
    #[error("the limit of {max} {what} is reached")]
    QuotaExceeded {
        /// What the quota counts.
        what: &'static str,
        /// The quota.
        max: usize,
    },
    /// A client id already used by the same sender for something else.
    #[error("client_msg_id \"{0}\" was already used for another message")]
    DuplicateId(String),
    /// The facilitator removed this participant from the exercise.
    #[error("you were removed from this exercise by the facilitator")]
    Removed,
    /// The facilitator has locked joining.
    #[error("joining this exercise is locked by the facilitator")]
    JoiningLocked,
    /// As many observers, notes or items as allowed.
    #[error("this exercise has reached the limit of {max} {what}")]
    TooMany {
        /// What there are too many of.
        what: &'static str,
        /// The limit.
        max: usize,
    },
}

impl ExerciseError {
    /// The stable code sent on the wire as `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ExerciseError::Forbidden { .. } => "forbidden",
            ExerciseError::UnknownInject(_) => "unknown_inject",
            ExerciseError::UnknownGroup(_) => "unknown_group",
            ExerciseError::UnknownParticipant(_) => "unknown_participant",
            ExerciseError::UnknownSector(_) => "unknown_sector",
            ExerciseError::BadCredentials => "bad_credentials",
            ExerciseError::InjectNotPending(..) => "inject_not_pending",
            ExerciseError::InjectNotReleased(_) => "inject_not_released",
            ExerciseError::NoCondition(_) => "no_condition",
            ExerciseError::ConditionNotArmed(..) => "condition_not_armed",
            ExerciseError::WrongPhase { .. } => "wrong_phase",
            ExerciseError::Ended => "exercise_ended",
            ExerciseError::InvalidSpeed { .. } => "invalid_speed",
            ExerciseError::TooLong { .. } => "too_long",
            ExerciseError::InvalidText(_) | ExerciseError::ReservedName(_) => "invalid_text",
            ExerciseError::Full(_) => "exercise_full",
            ExerciseError::Storage => "storage_unavailable",
            ExerciseError::UnknownObjective(_) => "unknown_objective",
            ExerciseError::UnknownItem(_) => "unknown_item",
            ExerciseError::UnknownStatement(_) => "unknown_statement",
            ExerciseError::SelfAssessmentUnavailable(_) => "self_assessment_unavailable",
            ExerciseError::AdoptionUnavailable => "adoption_unavailable",
            ExerciseError::TooManyVotes { .. } => "too_many_votes",
            ExerciseError::InvalidValue(_) => "invalid_value",
            ExerciseError::TooMany { .. } => "too_many",
            ExerciseError::UnknownOption { .. } => "unknown_option",
            ExerciseError::InvalidChoice(_) => "invalid_choice",
            ExerciseError::NotAPoll(_) => "not_a_poll",
            ExerciseError::WindowClosed(_) => "window_closed",
            ExerciseError::NotScribe => "not_scribe",
            ExerciseError::NoScribes => "no_scribes",
            ExerciseError::NotInGroup(..) => "not_in_group",
            ExerciseError::RateLimited { .. } => "rate_limited",
            ExerciseError::QuotaExceeded { .. } => "quota_exceeded",
            ExerciseError::DuplicateId(_) => "duplicate_id",
            ExerciseError::Removed => "removed",
            ExerciseError::JoiningLocked => "joining_locked",
        }
    }
}
