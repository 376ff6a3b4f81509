//! Conditional injects in play: when an armed condition holds, the actor's timer
//! releases its inject ([`due`]), as `condition_fired` then `inject_released` in one
//! commit, so a restart can neither release it twice nor miss it.
//!
//! Pure, like the rest of the core. A condition is judged from the log alone ([`truth`]):
//! it holds *from* a play time (a silence holds from its deadline, an answer from the
//! start), waits for something groups do, or can never hold. Time is play time, so a
//! pause stops a countdown and a speed change scales it; after a restart the log re-arms
//! every condition not yet fired or cancelled, and one whose deadline passed while the
//! server was down fires at once. An inject with `at` as well is not released before it.

use crate::events::Event;
use crate::scenario::{Condition, Inject};
use crate::time::WallMs;

use super::clock::Phase;
use super::error::ExerciseError;
use super::state::{InjectStatus, Stamp, State};

/// What a condition says at the state's last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// It holds from this play time on (unless something else changes).
    From(u64),
    /// It waits for something groups or the facilitator do.
    Waiting,
    /// It can never hold (the group answered in time, the inject was skipped).
    Never,
}

/// Where a conditional inject's condition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It waits; its inject is pending.
    Armed,
    /// It held, or the facilitator fired it, and released its inject.
    Fired {
        /// When.
        at: Stamp,
        /// Fired by the facilitator.
        manual: bool,
    },
    /// The facilitator cancelled it; its inject stays pending.
    Cancelled(Stamp),
    /// Its inject was released or skipped by hand before it held.
    Overtaken,
}

impl Status {
    /// `armed`, `fired`, `cancelled` or `overtaken`, as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Armed => "armed",
            Status::Fired { .. } => "fired",
            Status::Cancelled(_) => "cancelled",
            Status::Overtaken => "overtaken",
        }
    }
}

/// The status of inject `index`'s condition; `None` when it has none.
pub fn status(state: &State, index: usize) -> Option<Status> {
    let inject = state.scenario.injects.get(index)?;
    inject.when.as_ref()?;
    Some(match state.condition_end(&inject.id) {
        Some(end) => end,
        None if state.injects[index] == InjectStatus::Pending => Status::Armed,
        None => Status::Overtaken,
    })
}

/// What `cond` says in `state`.
pub fn truth(state: &State, cond: &Condition) -> Truth {
    match cond {
        Condition::NoAnswer(n) => match state.inject_status(&n.inject) {
            None | Some(InjectStatus::Skipped(_)) => Truth::Never,
            Some(InjectStatus::Pending) => Truth::Waiting,
            Some(InjectStatus::Released(r)) => {
                let deadline = r.play_ms + n.within_ms();
                match state.first_answer(&n.inject, &n.group) {
                    Some(answered) if answered <= deadline => Truth::Never,
                    _ => Truth::From(deadline),
                }
            }
        },
        Condition::Answered(a) => match state.first_answer(&a.inject, &a.group) {
            Some(_) => Truth::From(0),
            None => waiting_unless_skipped(state, &a.inject),
        },
        Condition::Chose(c) => match state.chose(&c.inject, &c.group, &c.option) {
            true => Truth::From(0),
            false => waiting_unless_skipped(state, &c.inject),
        },
        Condition::AllAnswered(a) => {
            let Some((i, inject)) = state.scenario.inject(&a.inject) else { return Truth::Never };
            match state.injects[i] {
                InjectStatus::Pending => Truth::Waiting,
                InjectStatus::Skipped(_) => Truth::Never,
                InjectStatus::Released(_) => {
                    let sizes = state.group_sizes();
                    let mut present = sizes.iter().filter(|(g, n)| *n > 0 && inject.targets.includes(g)).peekable();
                    let all =
                        present.peek().is_some() && present.all(|(g, _)| state.first_answer(&a.inject, g).is_some());
                    if all { Truth::From(0) } else { Truth::Waiting }
                }
            }
        }
        Condition::Any(cs) => {
            let truths: Vec<Truth> = cs.iter().map(|c| truth(state, c)).collect();
            let earliest = truths.iter().filter_map(|t| if let Truth::From(at) = t { Some(*at) } else { None }).min();
            match earliest {
                Some(at) => Truth::From(at),
                None if truths.contains(&Truth::Waiting) => Truth::Waiting,
                None => Truth::Never,
            }
        }
        Condition::All(cs) => {
            let truths: Vec<Truth> = cs.iter().map(|c| truth(state, c)).collect();
            if truths.contains(&Truth::Never) {
                Truth::Never
            } else if truths.contains(&Truth::Waiting) {
                Truth::Waiting
            } else {
                Truth::From(truths.iter().map(|t| if let Truth::From(at) = t { *at } else { 0 }).max().unwrap_or(0))
            }
        }
    }
}

fn waiting_unless_skipped(state: &State, inject_id: &str) -> Truth {
    match state.inject_status(inject_id) {
        None | Some(InjectStatus::Skipped(_)) => Truth::Never,
        _ => Truth::Waiting,
    }
}

/// What an armed conditional inject's condition says, with its `at` as the earliest
/// play time.
pub fn inject_truth(state: &State, inject: &Inject) -> Truth {
    let Some(when) = &inject.when else { return Truth::Never };
    match (truth(state, when), inject.at_play_ms()) {
        (Truth::From(t), Some(at)) => Truth::From(t.max(at)),
        (t, _) => t,
    }
}

/// The armed conditional injects, by index, in file order.
pub fn armed(state: &State) -> impl Iterator<Item = (usize, &Inject)> {
    state.scenario.injects.iter().enumerate().filter(|(i, _)| status(state, *i) == Some(Status::Armed))
}

/// The events that release every armed conditional inject whose condition holds at
/// wall time `now`; none unless the clock runs.
pub fn due(state: &State, now: WallMs) -> Vec<Event> {
    if state.phase() != Phase::Running {
        return vec![];
    }
    let play = state.clock.play_ms(now);
    armed(state)
        .filter(|(_, inject)| matches!(inject_truth(state, inject), Truth::From(t) if t <= play))
        .flat_map(|(_, inject)| fire(&inject.id, false))
        .collect()
}

/// The earliest play time at which an armed condition holds by time alone.
pub fn next_play_ms(state: &State) -> Option<u64> {
    armed(state)
        .filter_map(|(_, inject)| match inject_truth(state, inject) {
            Truth::From(t) => Some(t),
            _ => None,
        })
        .min()
}

/// The facilitator fires an armed condition now.
pub fn fire_now(state: &State, inject_id: &str) -> Result<Vec<Event>, ExerciseError> {
    armed_one(state, inject_id)?;
    Ok(fire(inject_id, true))
}

/// The facilitator cancels an armed condition.
pub fn cancel(state: &State, inject_id: &str) -> Result<Vec<Event>, ExerciseError> {
    armed_one(state, inject_id)?;
    Ok(vec![Event::ConditionCancelled { inject_id: inject_id.to_owned() }])
}

fn armed_one(state: &State, inject_id: &str) -> Result<(), ExerciseError> {
    let (i, _) = state.scenario.inject(inject_id).ok_or_else(|| ExerciseError::UnknownInject(inject_id.to_owned()))?;
    match status(state, i) {
        None => Err(ExerciseError::NoCondition(inject_id.to_owned())),
        Some(Status::Armed) => Ok(()),
        Some(Status::Overtaken) => Err(ExerciseError::ConditionNotArmed(
            inject_id.to_owned(),
            if matches!(state.injects[i], InjectStatus::Skipped(_)) {
                "overtaken: the inject was skipped"
            } else {
                "overtaken: the inject was released by hand"
            },
        )),
        Some(other) => Err(ExerciseError::ConditionNotArmed(inject_id.to_owned(), other.as_str())),
    }
}

fn fire(inject_id: &str, manual: bool) -> Vec<Event> {
    vec![
        Event::ConditionFired { inject_id: inject_id.to_owned(), manual },
        Event::InjectReleased { inject_id: inject_id.to_owned(), manual },
    ]
}
