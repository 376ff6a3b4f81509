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

/// The command for an action, as `http::ws::command::from_action` maps it (ids the
/// server mints are fixed here); `None` for a read (a sync point, a page of older
/// answers). Kept in step with it by hand: the exercise layer does not import `http`
/// (tests/layers.rs), and a new action fails to compile here until it is mapped.
fn command(action: Action, client_msg_id: Option<String>) -> Option<Command> {
    Some(match action {
        Action::Ping | Action::OlderResponses { .. } => return None,
        Action::Start => Command::Start,
        Action::LockJoining => Command::LockJoining,
        Action::UnlockJoining => Command::UnlockJoining,
        Action::RemoveParticipant { participant_id } => Command::RemoveParticipant { participant_id },
        Action::Pause => Command::Pause,
        Action::ResumeClock => Command::ResumeClock,
        Action::Release { inject_id } => Command::Release { inject_id },
        Action::Skip { inject_id } => Command::Skip { inject_id },
        Action::FireCondition { inject_id } => Command::FireCondition { inject_id },
        Action::CancelCondition { inject_id } => Command::CancelCondition { inject_id },
        Action::SetSpeed { speed } => Command::SetSpeed { speed },
        Action::Move { participant_id, group_id } => Command::Move { participant_id, group_id },
        Action::MoveParticipants { participant_ids, group_id } => {
            Command::MoveParticipants { participant_ids, group_id }
        }
        Action::Rebalance => Command::Rebalance,
        Action::AssignScribe { group_id, participant_id } => Command::AssignScribe { group_id, participant_id },
        Action::Announce { text } => Command::Announce { text },
        Action::End => Command::End,
        Action::Respond { inject_id, text, options } => {
            Command::Respond { inject_id, text, options, client_msg_id: client_msg_id.unwrap_or_default() }
        }
        Action::AddObserver { name } => {
            Command::AddObserver { name, observer_id: ObserverId::new(), key: "new-key".into() }
        }
        Action::Note { inject_id, objective_id, group_id, text, category } => Command::AddNote {
            note_id: "note-x".into(),
            inject_id,
            objective_id,
            group_id,
            text,
            client_msg_id,
            category: category.map(Into::into),
        },
        Action::RateObjective { objective_id, rating, strengths, areas_for_improvement } => {
            Command::RateObjective { objective_id, rating: rating.into(), strengths, areas_for_improvement }
        }
        Action::ProposeImprovement { item } => {
            Command::ProposeImprovement { item_id: "item-x".into(), item: item.into(), client_msg_id }
        }
        Action::AcceptImprovement { item_id, item } => {
            Command::AcceptImprovement { item_id: item_id.unwrap_or_else(|| "item-y".into()), item: item.into() }
        }
        Action::DropImprovement { item_id } => Command::DropImprovement { item_id },
        Action::OpenSelfAssessment => Command::OpenSelfAssessment,
        Action::CloseSelfAssessment => Command::CloseSelfAssessment,
        Action::SelfAssess { scores, dont_know } => {
            Command::RateSelf { scores, dont_know: dont_know.into_iter().collect() }
        }
        Action::EditReport { executive_summary, marking } => Command::EditReport { executive_summary, marking },
        Action::OpenAdoption => Command::OpenAdoption,
        Action::CloseAdoption => Command::CloseAdoption,
        Action::VotePriorities { item_ids } => Command::VotePriorities { item_ids },
        Action::ShowOnProjector { view, inject_id } => Command::ShowOnProjector { view: view.into(), inject_id },
    })
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
