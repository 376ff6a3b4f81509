//! The facilitator's view of conditional injects: each condition, where it stands, and
//! for an armed one what each part waits for, with the play time a silence falls due
//! (the console counts down to it). Participants never see conditions: they would
//! tell a group what is coming.

use crate::events::{Event, Recorded};
use crate::protocol::{ConditionPart, ConditionView, ServerMsg};
use crate::scenario::Condition;
use crate::time::WallMs;

use super::Localized;
use crate::exercise::conditions::{self, Status, Truth};

/// Every conditional inject's condition at wall time `now`, in scenario order.
pub fn condition_views(state: &Localized<'_>, now: WallMs) -> Vec<ConditionView> {
    (0..state.scenario.injects.len()).filter_map(|i| condition_view(state, i, now)).collect()
}

/// Inject `index`'s condition at wall time `now`; `None` when it has none.
pub fn condition_view(state: &Localized<'_>, index: usize, now: WallMs) -> Option<ConditionView> {
    let status = conditions::status(state, index)?;
    let inject = &state.scenario.injects[index];
    let when = inject.when.as_ref()?;
    let lang = state.lang.unwrap_or(state.scenario.language);
    let play = state.clock.play_ms(now);
    let (manual, status_play_ms) = match status {
        Status::Fired { at, manual } => (manual, Some(at.play_ms)),
        Status::Cancelled(at) => (false, Some(at.play_ms)),
        Status::Armed | Status::Overtaken => (false, None),
    };
    let armed = status == Status::Armed;
    let truth = conditions::inject_truth(state, inject);
    let mut parts = Vec::new();
    leaves(when, &mut |leaf| {
        let (words, truth) = (leaf.describe(state.scenario, lang), conditions::truth(state, leaf));
        let (part_state, due) = match truth {
            Truth::From(t) if t > play => ("counting", Some(t)),
            Truth::From(_) => ("holds", None),
            Truth::Waiting => ("waiting", None),
            Truth::Never => ("never", None),
        };
        parts.push(ConditionPart { words, state: part_state, due_play_ms: due });
    });
    Some(ConditionView {
        inject_id: inject.id.clone(),
        words: when.describe(state.scenario, lang),
        status: status.as_str(),
        manual,
        status_play_ms,
        due_play_ms: match truth {
            Truth::From(t) if armed => Some(t),
            _ => None,
        },
        never: armed && truth == Truth::Never,
        parts,
    })
}

/// The simple conditions inside `c` (itself when it is one), in the order written.
fn leaves<'a>(c: &'a Condition, f: &mut impl FnMut(&'a Condition)) {
    c.visit(&mut |c| {
        if !matches!(c, Condition::Any(_) | Condition::All(_)) {
            f(c)
        }
    });
}

/// The facilitator's `conditions` push after `event`, when the event can change one:
/// a condition fired or cancelled, or a release, skip or answer of an inject some
/// condition looks at.
pub fn after(state: &Localized<'_>, rec: &Recorded) -> Option<ServerMsg> {
    let looked_at =
        |id: &str| state.scenario.injects.iter().filter_map(|i| i.when.as_ref()).any(|w| w.injects().contains(&id));
    let changes = match &rec.event {
        Event::ConditionFired { .. } | Event::ConditionCancelled { .. } => true,
        Event::InjectReleased { inject_id, .. } | Event::InjectSkipped { inject_id } => {
            looked_at(inject_id) || state.scenario.inject(inject_id).is_some_and(|(_, i)| i.when.is_some())
        }
        Event::ResponseSubmitted { inject_id, contribution: false, .. } => looked_at(inject_id),
        _ => false,
    };
    changes.then(|| ServerMsg::Conditions { seq: rec.seq, conditions: condition_views(state, rec.wall_ms) })
}
