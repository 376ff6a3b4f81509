//! Values stored inside events: who wrote a note or rating, P/S/M/U ratings, and
//! improvement-plan items, as they are written to disk.
//!
//! These are the stored format, not the types the core or the clients use (those live
//! in `exercise::evaluation` and `protocol`, converted at the edges). Readers tolerate
//! fields they do not know, so a later build may add optional fields freely; renaming,
//! removing or retyping a field needs a new event version (see [`super`]).

use serde::{Deserialize, Serialize};

use crate::ids::ObserverId;

/// How well an objective was met (HSEEP's P/S/M/U), as stored: the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

/// The capability element an improvement belongs to (POETE), as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Plans, policies, procedures.
    Planning,
    /// Structures, roles, staffing.
    Organisation,
    /// Systems, tools, supplies.
    Equipment,
    /// Training and awareness.
    Training,
    /// Exercising and testing.
    Exercise,
}

/// One line of the improvement plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImprovementItem {
    /// What went wrong or is missing.
    pub issue: String,
    /// What will be done about it.
    pub corrective_action: String,
    /// The resilience domain (group id) it belongs to.
    #[serde(default)]
    pub group_id: String,
    /// Planning, organisation, equipment, training or exercise.
    pub capability: Capability,
    /// The organisation responsible.
    #[serde(default)]
    pub responsible_org: String,
    /// The person or role who owns it.
    #[serde(default)]
    pub owner: String,
    /// Due date (the plan's completion date), `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub due: String,
    /// Start date, `YYYY-MM-DD`, or empty (added after dfs-v1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start: String,
    /// How urgent (added after dfs-v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Where the work stands: the plan's status column (added after dfs-v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

/// An improvement item's priority, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Do first.
    High,
    /// Do soon.
    Medium,
    /// Do when possible.
    Low,
}

/// Where an improvement item's work stands, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Not started.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Complete,
    /// Given up.
    Cancelled,
}

/// Who wrote a note or a rating, as stored: `{"role": "facilitator"}` or
/// `{"role": "observer", "observer_id": …}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Author {
    /// The facilitator.
    Facilitator,
    /// An observer (evaluator).
    Observer {
        /// Which one.
        observer_id: ObserverId,
    },
}

/// What a note says about performance, as stored: a strength, an area for
/// improvement, or (absent) an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCategory {
    /// Something that went well.
    Strength,
    /// Something to improve.
    AreaForImprovement,
}
