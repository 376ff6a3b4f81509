//! Generated messages through the whole way in: [`crate::protocol::parse`], the wire's
//! action mapped to a command as the transport maps it, then `decide` against a live
//! exercise (started, an inject released, participants in every group, an observer, an
//! improvement item) as every role — the facilitator, a participant of each group, a
//! stranger, the observer, an unknown observer — and its events applied. No panic; a
//! refusal is a typed [`ExerciseError`] with a wire code; accepted events apply and the
//! state replays to the same.
//!
//! CI runs a few thousand cases; the long run is `scripts/fuzz` (docs/operations.md).

use proptest::prelude::*;

use super::Ex;
use crate::exercise::decide::{Command, Role, decide};
use crate::exercise::evaluation::Capability;
use crate::ids::{ObserverId, ParticipantId};
use crate::protocol::fuzz::{Known, cases, message};
use crate::protocol::{Action, Incoming, parse};

/// The live exercise every case starts from, and who is in it.
struct Live {
    ex: Ex,
    participants: Vec<ParticipantId>,
    observer: ObserverId,
    item: String,
}

fn live() -> Live {
    let mut ex = Ex::new();
    let participants: Vec<_> = ["Awa", "Bakary", "Chidi", "Dede"].iter().map(|n| ex.join(n)).collect();
    ex.facilitate(Command::Start);
    ex.at(1_000 + 5 * super::MIN);
    let observer = ObserverId::new();
    ex.facilitate(Command::AddObserver { name: "Eva".into(), observer_id: observer, key: "obs".into() });
    let item = "item-1".to_owned();
    let proposal = crate::exercise::evaluation::ImprovementItem {
        issue: "i".into(),
        corrective_action: "c".into(),
        group_id: String::new(),
        capability: Capability::Planning,
        responsible_org: String::new(),
        owner: String::new(),
        due: String::new(),
        start: String::new(),
        priority: None,
        progress: None,
    };
    ex.run(
        Role::Participant(participants[0]),
        Command::ProposeImprovement { item_id: item.clone(), item: proposal, client_msg_id: Some("p".into()) },
    )
    .unwrap();
    Live { ex, participants, observer, item }
}

/// The command for an action, as the transport maps it
/// ([`crate::http::ws::command::from_action`]); `None` for a read (a sync point, a page
/// of older answers).
fn command(action: Action, client_msg_id: Option<String>) -> Option<Command> {
    match crate::http::ws::command::from_action(action, client_msg_id.as_deref()) {
        crate::http::ws::command::Ask::Command(cmd) => Some(*cmd),
        _ => None,
    }
}

fn known(live: &Live) -> Known {
    Known {
        participants: live.participants.iter().map(ToString::to_string).collect(),
        items: vec![live.item.clone(), "nope".into()],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), ..ProptestConfig::default() })]

    #[test]
    fn any_message_decided_by_any_role_is_refused_with_a_code_or_applies(
        msg in message(known(&live())),
        later_ms in 0u64..(60 * super::MIN),
    ) {
        let live = live();
        let Ok(Incoming::Message(m)) = parse(&msg.to_string(), true) else { return Ok(()) };
        let Some(cmd) = command(m.action, m.client_msg_id) else { return Ok(()) };
        let roles = live
            .participants
            .iter()
            .map(|p| Role::Participant(*p))
            .chain([Role::Facilitator, Role::Observer(live.observer), Role::Observer(ObserverId::new()),
                    Role::Participant(ParticipantId::new())]);
        let now = live.ex.now + later_ms;
        for role in roles {
            match decide(&live.ex.state, role, &cmd, now, &live.ex.rules) {
                Err(e) => prop_assert!(!e.code().is_empty()),
                Ok(events) => {
                    let mut state = live.ex.state.clone();
                    let mut log = live.ex.log.clone();
                    for event in events {
                        let rec = crate::events::Recorded { seq: state.last_seq + 1, wall_ms: now, event };
                        state.apply(&rec);
                        log.push(rec);
                    }
                    let replayed = crate::exercise::state::State::replay(&log);
                    prop_assert!(replayed.is_ok(), "{role:?} {cmd:?}: {:?}", replayed.err());
                    prop_assert!(replayed.unwrap() == state, "replay differs after {role:?} {cmd:?}");
                }
            }
        }
    }
}
