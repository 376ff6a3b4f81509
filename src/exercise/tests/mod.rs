//! Core tests: `decide` and `apply` together, without sockets or a store.
//! [`evaluation`] covers notes, ratings, the improvement plan and the self-assessment.

mod conditions;
mod evaluation;
mod fuzz;
mod members;
mod quotas;
mod replay;
mod room_control;
mod validation;

use super::clock::Phase;
use super::decide::{Command, Role, Rules, decide};
use super::error::ExerciseError;
use super::state::{InjectStatus, State};
use super::view::{self, Audience};
use crate::events::{Event, Recorded};
use crate::ids::{ExerciseId, ParticipantId};
use crate::protocol::ServerMsg;
use crate::scenario::{Scenario, ScenarioFormat, parse_scenario};

const MIN: u64 = 60_000;

pub(crate) const SCENARIO: &str = r#"
id = "core"
title = "Core test"
duration_minutes = 10
[[objectives]]
id = "o"
text = "Objective"
[[groups]]
id = "risk"
name = "Risk"
[[groups]]
id = "incident"
name = "Incident"
[[groups]]
id = "protection"
name = "Protection"
[[injects]]
id = "first"
at = 0
title = "First"
body = "Everyone hears it"
targets = "all"
objectives = ["o"]
questions.all = "What now?"
questions.risk = "Risk only?"
expected_actions = ["secret action"]
facilitator_notes = "secret note"
[[injects]]
id = "second"
at = 4
title = "Second"
body = "Risk and incident"
targets = ["risk", "incident"]
questions.risk = "R?"
questions.incident = "I?"
[[injects]]
id = "third"
at = 4
title = "Third"
body = "Same minute, later in file"
targets = "all"
questions.all = "Q?"
[[injects]]
id = "spare"
title = "Contingency"
body = "Only by hand"
targets = ["protection"]
questions.protection = "P?"
[self_assessment]
example = true
[[self_assessment.statements]]
id = "r1"
group = "risk"
text = "Risk one"
[[self_assessment.statements]]
id = "r2"
group = "risk"
text = "Risk two"
[[self_assessment.statements]]
id = "i1"
group = "incident"
text = "Incident one"
"#;

pub(crate) fn scenario() -> Scenario {
    parse_scenario(SCENARIO, ScenarioFormat::Toml, "core.toml").unwrap()
}

/// The first event of an exercise of [`SCENARIO`] (join code `ABCDEFGH`, key `k`).
pub(crate) fn created(exercise_id: ExerciseId, wall_ms: u64) -> Recorded {
    Recorded {
        seq: 1,
        wall_ms,
        event: Event::ExerciseCreated {
            exercise_id,
            scenario: Box::new((&scenario()).into()),
            join_code: "ABCDEFGH".into(),
            facilitator_key: "k".into(),
        },
    }
}

/// An exercise driven through decide → apply with explicit wall times.
struct Ex {
    state: State,
    rules: Rules,
    now: u64,
    /// Every event applied, from `exercise_created`.
    log: Vec<Recorded>,
}

impl Ex {
    fn new() -> Self {
        let first = created(ExerciseId::new(), 1_000);
        Ex { state: State::created(&first).unwrap(), rules: Rules::default(), now: 1_000, log: vec![first] }
    }

    /// An exercise of another scenario, created at wall time 1 000.
    fn of(scenario: &Scenario) -> Self {
        let mut first = created(ExerciseId::new(), 1_000);
        if let Event::ExerciseCreated { scenario: s, .. } = &mut first.event {
            **s = scenario.into();
        }
        Ex { state: State::created(&first).unwrap(), rules: Rules::default(), now: 1_000, log: vec![first] }
    }

    fn at(&mut self, wall_ms: u64) -> &mut Self {
        self.now = wall_ms;
        self
    }

    fn run(&mut self, role: Role, cmd: Command) -> Result<Vec<Recorded>, ExerciseError> {
        let events = decide(&self.state, role, &cmd, self.now, &self.rules)?;
        Ok(events
            .into_iter()
            .map(|event| {
                let rec = Recorded { seq: self.state.last_seq + 1, wall_ms: self.now, event };
                self.state.apply(&rec);
                self.log.push(rec.clone());
                rec
            })
            .collect())
    }

    fn facilitate(&mut self, cmd: Command) -> Vec<Recorded> {
        self.run(Role::Facilitator, cmd).unwrap()
    }

    /// An exercise of the group-answer scenario (a scribe per group; self-selection).
    fn scribe_room() -> Self {
        let toml = include_str!("../../../tests/fixtures/scenarios/live-room-scribe.toml");
        Ex::of(&parse_scenario(toml, ScenarioFormat::Toml, "scribe.toml").unwrap())
    }

    fn join(&mut self, name: &str) -> ParticipantId {
        self.join_as(name, None)
    }

    /// Joins `group_id` (the scenario must let participants choose), with an email.
    fn join_into(&mut self, name: &str, group_id: &str) -> ParticipantId {
        self.join_as(name, Some(group_id))
    }

    fn join_as(&mut self, name: &str, group_id: Option<&str>) -> ParticipantId {
        let id = ParticipantId::new();
        let cmd = Command::Join {
            name: name.into(),
            group_id: group_id.map(Into::into),
            organisation: None,
            sector: None,
            email: group_id.map(|_| format!("{name}@example.org")),
            participant_id: id,
            resume_token: format!("tok-{name}"),
        };
        self.run(Role::Participant(id), cmd).unwrap();
        id
    }

    fn group_of(&self, p: ParticipantId) -> String {
        self.state.participant(p).unwrap().group_id.clone()
    }

    fn released(&self) -> Vec<(String, u64)> {
        let mut out: Vec<_> = self
            .state
            .scenario
            .injects
            .iter()
            .zip(&self.state.injects)
            .filter_map(|(i, s)| match s {
                InjectStatus::Released(st) => Some((i.id.clone(), st.play_ms, st.seq)),
                _ => None,
            })
            .collect();
        out.sort_by_key(|r| r.2);
        out.into_iter().map(|(id, play, _)| (id, play)).collect()
    }
}

fn respond(inject: &str, text: &str, id: &str) -> Command {
    Command::Respond { inject_id: inject.into(), text: text.into(), options: vec![], client_msg_id: id.into() }
}

#[test]
fn joins_are_balanced_with_ties_in_scenario_order() {
    let mut ex = Ex::new();
    let mut groups = Vec::new();
    for i in 0..7 {
        let p = ex.join(&format!("p{i}"));
        groups.push(ex.group_of(p));
    }
    assert_eq!(groups, ["risk", "incident", "protection", "risk", "incident", "protection", "risk"]);
}

#[test]
fn a_moved_participant_counts_in_the_new_group_for_balancing() {
    let mut ex = Ex::new();
    let a = ex.join("a"); // risk
    ex.facilitate(Command::Move { participant_id: a, group_id: "incident".into() });
    let b = ex.join("b");
    assert_eq!(ex.group_of(b), "risk", "risk is empty again");
}

#[test]
fn self_selection_is_honoured_only_when_the_scenario_allows_it() {
    let mut ex = Ex::new();
    let id = ParticipantId::new();
    let join = |g: &str| Command::Join {
        name: "x".into(),
        group_id: Some(g.into()),
        organisation: None,
        sector: None,
        email: None,
        participant_id: id,
        resume_token: "t".into(),
    };
    ex.run(Role::Participant(id), join("protection")).unwrap();
    assert_eq!(ex.group_of(id), "risk", "balanced: self-selection is off");

    let mut ex = Ex::new();
    std::sync::Arc::make_mut(&mut ex.state.scenario).self_select_groups = true;
    ex.run(Role::Participant(id), join("protection")).unwrap();
    assert_eq!(ex.group_of(id), "protection");
    assert_eq!(ex.run(Role::Participant(id), join("nowhere")).unwrap_err().code(), "unknown_group");
}

#[test]
fn participants_cannot_run_facilitator_commands() {
    let mut ex = Ex::new();
    let p = ex.join("p");
    for cmd in [
        Command::Start,
        Command::Pause,
        Command::ResumeClock,
        Command::Release { inject_id: "first".into() },
        Command::Skip { inject_id: "first".into() },
        Command::SetSpeed { speed: 2.0 },
        Command::Move { participant_id: p, group_id: "risk".into() },
        Command::Announce { text: "hi".into() },
        Command::End,
    ] {
        assert_eq!(ex.run(Role::Participant(p), cmd).unwrap_err().code(), "forbidden");
    }
    assert_eq!(ex.state.last_seq, 2, "nothing changed");
}

#[test]
fn timed_injects_are_released_in_order_exactly_once() {
    let mut ex = Ex::new();
    ex.at(10_000).facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    assert_eq!(ex.released(), [("first".to_string(), 0)]);
    assert!(ex.at(10_000 + 4 * MIN - 1).facilitate(Command::ReleaseDue).is_empty());
    ex.at(10_000 + 4 * MIN).facilitate(Command::ReleaseDue);
    assert_eq!(
        ex.released(),
        [("first".into(), 0), ("second".into(), 4 * MIN), ("third".into(), 4 * MIN)],
        "same minute: file order"
    );
    assert!(ex.at(10_000 + 9 * MIN).facilitate(Command::ReleaseDue).is_empty(), "never twice");
    assert_eq!(ex.state.inject_status("spare"), Some(InjectStatus::Pending), "contingency waits for a hand");
}

#[test]
fn a_pause_delays_timed_injects_by_exactly_the_pause() {
    let mut ex = Ex::new();
    ex.at(0).facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    ex.at(2 * MIN).facilitate(Command::Pause);
    assert!(ex.at(30 * MIN).facilitate(Command::ReleaseDue).is_empty(), "nothing while paused");
    ex.at(30 * MIN).facilitate(Command::ResumeClock);
    assert_eq!(ex.state.next_due_wall_ms(), Some(32 * MIN), "2 play minutes left after a 28-minute pause");
    ex.at(32 * MIN).facilitate(Command::ReleaseDue);
    assert_eq!(ex.released()[1], ("second".into(), 4 * MIN));
}

#[test]
fn a_manual_release_after_a_pause_is_stamped_with_the_play_time_shown() {
    let mut ex = Ex::new();
    ex.at(0).facilitate(Command::Start);
    ex.at(3 * MIN).facilitate(Command::Pause);
    ex.at(13 * MIN).facilitate(Command::ResumeClock);
    let recs = ex.at(13 * MIN + 30_000).facilitate(Command::Release { inject_id: "spare".into() });
    assert_eq!(recs.len(), 1, "released at once, not scheduled");
    let InjectStatus::Released(st) = ex.state.inject_status("spare").unwrap() else { unreachable!() };
    assert_eq!(st.play_ms, 3 * MIN + 30_000, "play time excludes the 10-minute pause");
    assert_eq!(st.wall_ms, 13 * MIN + 30_000);
}

#[test]
fn speed_changes_apply_from_now_on() {
    let mut ex = Ex::new();
    ex.at(0).facilitate(Command::Start);
    ex.at(MIN).facilitate(Command::SetSpeed { speed: 60.0 });
    assert_eq!(ex.state.next_due_wall_ms(), Some(MIN), "first is already due");
    ex.facilitate(Command::ReleaseDue);
    // 3 play minutes remain to 4:00 at 60x = 3 wall seconds.
    assert_eq!(ex.state.next_due_wall_ms(), Some(MIN + 3_000));
    for bad in [0.0, -1.0, f64::NAN, 10_000.0] {
        assert_eq!(ex.run(Role::Facilitator, Command::SetSpeed { speed: bad }).unwrap_err().code(), "invalid_speed");
    }
}

#[test]
fn skipped_injects_are_never_released_and_released_ones_not_again() {
    let mut ex = Ex::new();
    ex.at(0).facilitate(Command::Start);
    ex.facilitate(Command::Skip { inject_id: "second".into() });
    ex.at(5 * MIN).facilitate(Command::ReleaseDue);
    let ids: Vec<_> = ex.released().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["first", "third"]);
    let err = |ex: &mut Ex, cmd| ex.run(Role::Facilitator, cmd).unwrap_err().code();
    assert_eq!(err(&mut ex, Command::Release { inject_id: "second".into() }), "inject_not_pending");
    assert_eq!(err(&mut ex, Command::Release { inject_id: "first".into() }), "inject_not_pending");
    assert_eq!(err(&mut ex, Command::Skip { inject_id: "nope".into() }), "unknown_inject");
}

#[test]
fn the_phase_machine_refuses_out_of_order_commands() {
    let mut ex = Ex::new();
    let code = |ex: &mut Ex, cmd| ex.run(Role::Facilitator, cmd).unwrap_err().code();
    assert_eq!(code(&mut ex, Command::Pause), "wrong_phase");
    assert_eq!(code(&mut ex, Command::ResumeClock), "wrong_phase");
    ex.facilitate(Command::Start);
    assert_eq!(code(&mut ex, Command::Start), "wrong_phase");
    ex.facilitate(Command::Pause);
    assert_eq!(code(&mut ex, Command::Pause), "wrong_phase");
    ex.facilitate(Command::End);
    assert_eq!(ex.state.phase(), Phase::Ended);
    assert_eq!(code(&mut ex, Command::Start), "exercise_ended");
    assert_eq!(code(&mut ex, Command::Release { inject_id: "spare".into() }), "exercise_ended");
}

#[test]
fn responses_need_a_release_to_the_group_and_are_stored_once_per_client_id() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let incident = ex.join("i");
    let protection = ex.join("p");
    let code = |ex: &mut Ex, who, cmd| ex.run(Role::Participant(who), cmd).unwrap_err().code();
    assert_eq!(code(&mut ex, risk, respond("first", "x", "c0")), "inject_not_released");
    ex.at(0).facilitate(Command::Start);
    ex.at(4 * MIN).facilitate(Command::ReleaseDue);
    assert_eq!(code(&mut ex, protection, respond("second", "x", "c1")), "inject_not_released");
    assert_eq!(code(&mut ex, risk, respond("ghost", "x", "c2")), "unknown_inject");
    assert_eq!(code(&mut ex, risk, respond("second", "   ", "c3")), "invalid_text");
    let long = "é".repeat(8_001);
    assert_eq!(code(&mut ex, risk, respond("second", &long, "c4")), "too_long");

    let first = ex.run(Role::Participant(incident), respond("second", "Declare severity 1", "c5")).unwrap();
    assert_eq!(first.len(), 1);
    let again = ex.run(Role::Participant(incident), respond("second", "Declare severity 1", "c5")).unwrap();
    assert!(again.is_empty(), "a re-sent answer appends nothing");
    assert_eq!(ex.state.response_by_client_id(incident, "c5").unwrap().stamp.seq, first[0].seq);
    assert_eq!(ex.state.responses.len(), 1);
}

#[test]
fn participants_get_only_their_groups_content_and_no_facilitator_fields() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let _incident = ex.join("i");
    let protection = ex.join("p");
    ex.at(0).facilitate(Command::Start);
    let mut pushed = Vec::new();
    for rec in ex.at(4 * MIN).facilitate(Command::ReleaseDue) {
        pushed.extend(view::deliveries(&view::Localized::main(&ex.state), &rec));
    }
    let for_group = |g: &str| -> Vec<String> {
        pushed
            .iter()
            .filter(|(a, _)| matches!(a, Audience::Group { group_id, .. } if group_id == g))
            .map(|(_, m)| serde_json::to_string(m).unwrap())
            .collect()
    };
    let protection_frames = for_group("protection").join("\n");
    assert!(protection_frames.contains("\"first\"") && protection_frames.contains("\"third\""));
    assert!(!protection_frames.contains("\"second\""), "second does not target protection");
    let risk_frames = for_group("risk").join("\n");
    assert!(risk_frames.contains("Risk only?") && risk_frames.contains("R?"));
    for secret in ["secret action", "secret note", "I?", "expected_actions", "facilitator_notes", "targets"] {
        assert!(!risk_frames.contains(secret), "{secret} leaked: {risk_frames}");
    }
    let facilitator: String = pushed
        .iter()
        .filter(|(a, _)| *a == Audience::Facilitator)
        .map(|(_, m)| serde_json::to_string(m).unwrap())
        .collect();
    assert!(facilitator.contains("I?") && facilitator.contains("\"manual\":false"));

    // Answers go to the group and the facilitator only.
    ex.run(Role::Participant(risk), respond("second", "risk answer", "c1")).unwrap();
    let last = ex.state.responses.last().unwrap().clone();
    let welcome = view::participant_welcome(
        &view::Localized::main(&ex.state),
        ex.state.participant(protection).unwrap(),
        0,
        ex.now,
    );
    assert!(welcome.responses.is_empty(), "protection does not see risk's answer");
    assert!(welcome.injects.iter().all(|i| i.inject_id != "second"));
    let welcome =
        view::participant_welcome(&view::Localized::main(&ex.state), ex.state.participant(risk).unwrap(), 0, ex.now);
    assert_eq!(welcome.responses.len(), 1);
    assert_eq!(welcome.responses[0].seq, last.stamp.seq);
    let json = serde_json::to_string(&ServerMsg::Welcome(Box::new(welcome))).unwrap();
    assert!(!json.contains("tok-p") && !json.contains("secret"), "{json}");
}

#[test]
fn a_welcome_after_last_seq_holds_only_newer_items() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    ex.at(0).facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    ex.run(Role::Participant(risk), respond("first", "one", "c1")).unwrap();
    let seen = ex.state.last_seq;
    ex.at(4 * MIN).facilitate(Command::ReleaseDue);
    ex.run(Role::Participant(risk), respond("second", "two", "c2")).unwrap();
    let p = ex.state.participant(risk).unwrap();
    let w = view::participant_welcome(&view::Localized::main(&ex.state), p, seen, ex.now);
    let injects: Vec<_> = w.injects.iter().map(|i| i.inject_id.as_str()).collect();
    assert_eq!(injects, ["second", "third"]);
    assert_eq!(w.responses.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(), ["two"]);
    assert_eq!(w.last_seq, ex.state.last_seq);
}

#[test]
fn replay_rebuilds_the_same_state() {
    let mut ex = Ex::new();
    let mut log = vec![created(ex.state.exercise_id, 1_000)];
    let p = ParticipantId::new();
    let join = Command::Join {
        name: "a".into(),
        group_id: None,
        organisation: None,
        sector: None,
        email: None,
        participant_id: p,
        resume_token: "t".into(),
    };
    log.extend(ex.run(Role::Participant(p), join).unwrap());
    log.extend(ex.at(5_000).facilitate(Command::Start));
    log.extend(ex.facilitate(Command::ReleaseDue));
    log.extend(ex.at(9_000).facilitate(Command::SetSpeed { speed: 30.0 }));
    log.extend(ex.at(20_000).facilitate(Command::Pause));
    log.extend(ex.run(Role::Participant(p), respond("first", "a", "c")).unwrap());
    let replayed = State::replay(&log).unwrap();
    assert_eq!(replayed, ex.state, "the whole state, indexes included");
    let gap = [log[0].clone(), Recorded { seq: 3, ..log[1].clone() }];
    assert!(State::replay(&gap).is_err(), "a gap in seq is an invalid log");
}

#[test]
fn a_newcomer_says_who_they_speak_for_in_the_rooms_spelling_and_a_listed_sector() {
    use crate::scenario::Sector;
    let mut ex = Ex::new();
    std::sync::Arc::make_mut(&mut ex.state.scenario).sectors =
        vec![Sector { id: "bank".into(), label: "Bank".into() }, Sector { id: "mno".into(), label: "MNO".into() }];
    let join = |ex: &mut Ex, organisation: Option<&str>, sector: Option<&str>| {
        let id = ParticipantId::new();
        let cmd = Command::Join {
            name: "p".into(),
            group_id: None,
            organisation: organisation.map(str::to_owned),
            sector: sector.map(str::to_owned),
            email: None,
            participant_id: id,
            resume_token: format!("t-{id}"),
        };
        ex.run(Role::Participant(id), cmd).map(|_| ex.state.participant(id).cloned().unwrap())
    };
    let first = join(&mut ex, Some("  Riverside  Commercial Bank "), Some("bank")).unwrap();
    assert_eq!(
        (first.organisation.as_deref(), first.sector.as_deref()),
        (Some("Riverside Commercial Bank"), Some("bank"))
    );
    let second = join(&mut ex, Some("riverside commercial BANK"), Some("bank")).unwrap();
    assert_eq!(second.organisation, first.organisation, "the same organisation, as the room first spelt it");
    let quiet = join(&mut ex, Some("   "), Some("")).unwrap();
    assert_eq!((quiet.organisation, quiet.sector), (None, None), "both are optional");
    assert_eq!(join(&mut ex, None, Some("insurer")).unwrap_err(), ExerciseError::UnknownSector("insurer".into()));
    let long = "x".repeat(101);
    assert!(matches!(join(&mut ex, Some(&long), None), Err(ExerciseError::TooLong { what: "organisation", .. })));
    assert_eq!(ex.state.participants.len(), 3, "refused joins changed nothing");
    assert_eq!(ex.state.organisations().collect::<Vec<_>>(), ["Riverside Commercial Bank"]);
}
