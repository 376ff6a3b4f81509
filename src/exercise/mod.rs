//! The exercise: transport-free core and its actor.
//!
//! - [`clock`]: play time from wall time, across pauses and speed changes.
//! - [`state`]: [`State`] and `apply`: the log folded, pure.
//! - [`decide`]: commands to events, pure, with authorization.
//! - [`conditions`]: conditional injects: when an armed condition holds, fire or cancel.
//! - [`evaluation`]: notes, P/S/M/U ratings, improvement plan, self-assessment.
//! - [`profile`]: the maturity profile of a profile-mode self-assessment.
//! - [`names`]: display names normalised; role names refused.
//! - [`quota`]: per-participant answer quotas, folded from the log.
//! - [`room`]: scribes, answer windows, the group's answer and a poll's tally, read
//!   from the state; `respond` and `breakout` decide answers and group moves.
//! - [`view`]: what each role may see; the one place that filters.
//! - [`actor`]: one task per exercise: decide → store → apply → push.
//! - [`fanout`]: the push channels, one per audience.
//! - [`coalesce`]: one commit's pushes in a channel merged into `batch` frames.
//! - [`handle`]: [`ExerciseHandle`], how the transport talks to an actor.
//! - [`subscription`]: one socket's view of the channels: what it takes, moves, lag.
//! - [`summary`]: an exercise as lists show it.
//! - `stored`, `wire`: the core's values to and from the log's and the clients'.

pub mod actor;
mod breakout;
mod capture;
pub mod clock;
pub mod coalesce;
pub mod conditions;
pub mod decide;
pub mod error;
pub mod evaluation;
pub mod fanout;
pub mod files;
pub mod handle;
pub mod names;
pub mod profile;
pub mod quota;
mod respond;
pub mod room;
pub mod state;
mod stored;
pub mod subscription;
pub mod summary;
pub mod view;
mod wire;

#[cfg(test)]
pub(crate) mod tests;

pub use clock::Phase;
pub use decide::{Command, Role, Rules};
pub use error::ExerciseError;
pub use handle::{
    Credentials, Delivery, ExerciseHandle, Joined, KeyHolder, Newcomer, OlderQuery, PendingReply, Rehomed,
    RequestError, Session, Stored, Viewer,
};
pub use state::State;
pub use subscription::{Fell, Subscription, Taken};
