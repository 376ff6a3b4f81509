//! Replay equals live, as a property: random command sequences from every role go
//! through `decide` and `apply` as the actor runs them (with the timer's `ReleaseDue`
//! after each), each event through its stored form (`decode` of the payload the store
//! writes); then `State::replay` of the log must equal the live state, whole, and the
//! play clock must never run backwards.
//!
//! CI runs 1,000 cases; a longer run (documented in docs/architecture.md):
//! `PROPTEST_CASES=100000 cargo test --release --lib replay_equals_live`.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::created;
use crate::events::{Event, Recorded, decode};
use crate::exercise::decide::{Command, Role, Rules, decide};
use crate::exercise::evaluation::{Capability, ImprovementItem, Priority, Rating};
use crate::exercise::state::State;
use crate::ids::{ExerciseId, ObserverId, ParticipantId};

/// What someone does, with indices into what exists when it happens (participants,
/// observers, items), so most generated commands are valid.
#[derive(Debug, Clone)]
enum Action {
    Join(usize),
    Start,
    Pause,
    ResumeClock,
    Speed(f64),
    Release(usize),
    Skip(usize),
    Move(usize, usize),
    Announce(usize),
    Respond { who: usize, inject: usize, text: usize, client_msg_id: usize },
    End,
    AddObserver,
    Note { by: usize, inject: Option<usize>, group: Option<usize> },
    Rate { by: usize, rating: usize },
    Propose { who: usize, client_msg_id: usize },
    Accept { item: Option<usize> },
    Drop(usize),
    OpenSelfAssessment,
    CloseSelfAssessment,
    RateSelf { who: usize, score: u8 },
}

const TEXTS: [&str; 4] = ["ok", "Réponse « oui » 📱", "line\nbreak \"quoted\" \\", "  padded  "];
const SPEEDS: [f64; 5] = [0.5, 1.0, 3.3, 60.0, 600.0];

fn action() -> impl Strategy<Value = Action> {
    let i = || 0usize..8;
    prop_oneof![
        3 => i().prop_map(Action::Join),
        2 => Just(Action::Start),
        1 => Just(Action::Pause),
        1 => Just(Action::ResumeClock),
        1 => (0..SPEEDS.len()).prop_map(|s| Action::Speed(SPEEDS[s])),
        2 => i().prop_map(Action::Release),
        1 => i().prop_map(Action::Skip),
        1 => (i(), i()).prop_map(|(p, g)| Action::Move(p, g)),
        1 => i().prop_map(Action::Announce),
        6 => (i(), i(), i(), 0usize..3)
            .prop_map(|(who, inject, text, client_msg_id)| Action::Respond { who, inject, text, client_msg_id }),
        1 => Just(Action::End),
        1 => Just(Action::AddObserver),
        2 => (i(), proptest::option::of(i()), proptest::option::of(i()))
            .prop_map(|(by, inject, group)| Action::Note { by, inject, group }),
        1 => (i(), 0usize..4).prop_map(|(by, rating)| Action::Rate { by, rating }),
        1 => (i(), 0usize..2).prop_map(|(who, client_msg_id)| Action::Propose { who, client_msg_id }),
        1 => proptest::option::of(i()).prop_map(|item| Action::Accept { item }),
        1 => i().prop_map(Action::Drop),
        1 => Just(Action::OpenSelfAssessment),
        1 => Just(Action::CloseSelfAssessment),
        2 => (i(), 1u8..=5).prop_map(|(who, score)| Action::RateSelf { who, score }),
    ]
}

/// The role and command for an action in the current state (`None`: nobody to do it).
fn command(state: &State, action: &Action, n: usize) -> Option<(Role, Command)> {
    let s = &state.scenario;
    let pick = |len: usize, i: usize| (len > 0).then(|| i % len);
    let participant = |i: usize| pick(state.participants.len(), i).map(|k| state.participants[k].id);
    let inject = |i: usize| s.injects[i % s.injects.len()].id.clone();
    let group = |i: usize| s.groups[i % s.groups.len()].id.clone();
    let staff = |i: usize| match pick(state.evaluation.observers.len() + 1, i)? {
        0 => Some(Role::Facilitator),
        k => Some(Role::Observer(state.evaluation.observers[k - 1].id)),
    };
    let item = |group_id: String| ImprovementItem {
        issue: "No playbook".into(),
        corrective_action: "Write one".into(),
        group_id,
        capability: Capability::Planning,
        responsible_org: String::new(),
        owner: String::new(),
        due: "2027-01-31".into(),
        start: "2027-01-04".into(),
        priority: Some(Priority::Medium),
        progress: None,
    };
    let f = |cmd| Some((Role::Facilitator, cmd));
    match *action {
        Action::Join(i) => {
            let id = ParticipantId::new();
            let cmd = Command::Join {
                name: format!("p{i}-{n}"),
                group_id: None,
                organisation: None,
                sector: None,
                email: None,
                participant_id: id,
                resume_token: format!("tok-{n}"),
            };
            Some((Role::Participant(id), cmd))
        }
        Action::Start => f(Command::Start),
        Action::Pause => f(Command::Pause),
        Action::ResumeClock => f(Command::ResumeClock),
        Action::Speed(speed) => f(Command::SetSpeed { speed }),
        Action::Release(i) => f(Command::Release { inject_id: inject(i) }),
        Action::Skip(i) => f(Command::Skip { inject_id: inject(i) }),
        Action::Move(p, g) => f(Command::Move { participant_id: participant(p)?, group_id: group(g) }),
        Action::Announce(t) => f(Command::Announce { text: TEXTS[t % TEXTS.len()].into() }),
        Action::Respond { who, inject: i, text, client_msg_id } => {
            let who = participant(who)?;
            let cmd = Command::Respond {
                inject_id: inject(i),
                text: TEXTS[text % TEXTS.len()].into(),
                options: vec![],
                client_msg_id: format!("c{client_msg_id}"),
            };
            Some((Role::Participant(who), cmd))
        }
        Action::End => f(Command::End),
        Action::AddObserver => {
            f(Command::AddObserver { name: format!("o{n}"), observer_id: ObserverId::new(), key: format!("k{n}") })
        }
        Action::Note { by, inject: i, group: g } => Some((
            staff(by)?,
            Command::AddNote {
                note_id: format!("n{n}"),
                inject_id: i.map(inject),
                objective_id: None,
                group_id: g.map(group),
                text: TEXTS[by % TEXTS.len()].into(),
                client_msg_id: Some(format!("note-{}", n % 3)),
                category: None,
            },
        )),
        Action::Rate { by, rating } => Some((
            staff(by)?,
            Command::RateObjective {
                objective_id: "o".into(),
                rating: Rating::ALL[rating],
                strengths: "s".into(),
                areas_for_improvement: String::new(),
            },
        )),
        Action::Propose { who, client_msg_id } => {
            let who = participant(who)?;
            let cmd = Command::ProposeImprovement {
                item_id: format!("i{n}"),
                item: item(String::new()),
                client_msg_id: Some(format!("p{client_msg_id}")),
            };
            Some((Role::Participant(who), cmd))
        }
        Action::Accept { item: existing } => {
            let items = &state.evaluation.improvements;
            let item_id = match existing.and_then(|i| pick(items.len(), i)) {
                Some(k) => items[k].id.clone(),
                None => format!("i{n}"),
            };
            f(Command::AcceptImprovement { item_id, item: item(group(n)) })
        }
        Action::Drop(i) => {
            let items = &state.evaluation.improvements;
            f(Command::DropImprovement { item_id: items[pick(items.len(), i)?].id.clone() })
        }
        Action::OpenSelfAssessment => f(Command::OpenSelfAssessment),
        Action::CloseSelfAssessment => f(Command::CloseSelfAssessment),
        Action::RateSelf { who, score } => {
            let who = participant(who)?;
            let group_id = &state.participant(who)?.group_id;
            let plan = s.self_assessment.as_ref()?;
            let scores: BTreeMap<String, u8> = plan.for_group(group_id).map(|st| (st.id.clone(), score)).collect();
            Some((Role::Participant(who), Command::RateSelf { scores, dont_know: Default::default() }))
        }
    }
}

/// The event as the store writes it and reads it back.
fn through_the_store(event: Event) -> Event {
    let payload = serde_json::to_string(&event).unwrap();
    decode(event.kind().as_str(), event.version(), &payload).unwrap()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn replay_equals_live(steps in proptest::collection::vec((action(), 0u64..200_000), 1..60)) {
        let rules = Rules::default();
        let created = created(ExerciseId::new(), 1_000_000);
        let mut live = State::created(&created).unwrap();
        let mut log = vec![through_the_store_rec(created)];
        let mut now = 1_000_000;
        let mut last_play = 0;
        for (n, (action, wait)) in steps.iter().enumerate() {
            now += wait;
            let commands = command(&live, action, n).into_iter().chain([(Role::Facilitator, Command::ReleaseDue)]);
            for (role, cmd) in commands {
                let Ok(events) = decide(&live, role, &cmd, now, &rules) else { continue };
                for event in events {
                    // Live applies the event as decided (as the actor does); the log keeps
                    // what a restart reads back from disk.
                    let rec = Recorded { seq: live.last_seq + 1, wall_ms: now, event };
                    live.apply(&rec);
                    log.push(through_the_store_rec(rec));
                    let play = live.clock.play_ms(now);
                    prop_assert!(play >= last_play, "the play clock ran backwards: {last_play} -> {play}");
                    last_play = play;
                }
            }
        }
        let replayed = State::replay(&log).unwrap();
        prop_assert_eq!(&replayed, &live);
        prop_assert_eq!(replayed.last_seq, log.len() as u64);
    }
}

fn through_the_store_rec(rec: Recorded) -> Recorded {
    Recorded { event: through_the_store(rec.event), ..rec }
}
