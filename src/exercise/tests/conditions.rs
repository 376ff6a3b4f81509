//! Conditional injects through decide → apply: a silence falls due at its play time,
//! exactly once; an answer in time disarms it; pauses stop and speeds scale the
//! countdown; a replayed log re-arms what was not fired; choices and "all answered"
//! fire in the batch that makes them true; Fire now, Cancel and a release by hand.

use super::*;
use crate::exercise::conditions::{self, Status};

const COND: &str = r#"
id = "cond"
title = "Conditions"
duration_minutes = 20
[[groups]]
id = "incident"
name = "Incident response"
[[groups]]
id = "governance"
name = "Governance"
[[groups]]
id = "protection"
name = "Protection"
[[injects]]
id = "alert"
at = 0
title = "First alert"
body = "b"
targets = ["incident", "governance"]
questions.all = "What now?"
[[injects]]
id = "ransom"
at = 2
title = "Ransom demand"
body = "b"
targets = ["governance"]
questions.governance = "Pay?"
response = { kind = "choice", options = [{ id = "pay", label = "Pay" }, { id = "refuse", label = "Refuse" }] }
[[injects]]
id = "escalation"
title = "The central bank calls"
body = "b"
targets = ["governance"]
questions.governance = "What do you tell them?"
when.no_answer = { group = "incident", inject = "alert", within_minutes = 5 }
[[injects]]
id = "fallout"
title = "Fallout"
body = "b"
targets = ["protection"]
questions.protection = "Now?"
when.chose = { group = "governance", inject = "ransom", option = "pay" }
[[injects]]
id = "wrap"
at = 8
title = "Wrap"
body = "b"
targets = "all"
questions.all = "Q?"
when.all_answered = { inject = "alert" }
"#;

const T0: u64 = 10_000;

/// The exercise started at wall `T0`, with one member in each group (incident,
/// governance, protection, in join order).
fn started() -> (Ex, [ParticipantId; 3]) {
    let s = parse_scenario(COND, ScenarioFormat::Toml, "cond.toml").unwrap();
    let mut ex = Ex::of(&s);
    let people = [ex.join("i"), ex.join("g"), ex.join("p")];
    assert_eq!(ex.group_of(people[0]), "incident");
    ex.at(T0).facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    (ex, people)
}

fn due(ex: &mut Ex, wall: u64) -> Vec<String> {
    ex.at(wall).facilitate(Command::ReleaseDue).iter().map(|r| r.event.kind().as_str().to_owned()).collect()
}

fn status(ex: &Ex, inject: &str) -> Status {
    conditions::status(&ex.state, ex.state.scenario.inject(inject).unwrap().0).unwrap()
}

#[test]
fn a_silence_falls_due_at_its_play_time_exactly_once() {
    let (mut ex, _) = started();
    assert_eq!(ex.state.next_due_wall_ms(), Some(T0 + 2 * MIN), "the ransom first");
    due(&mut ex, T0 + 2 * MIN);
    assert_eq!(ex.state.next_due_wall_ms(), Some(T0 + 5 * MIN), "then the silence's deadline");
    assert!(due(&mut ex, T0 + 5 * MIN - 1).is_empty());
    assert_eq!(due(&mut ex, T0 + 5 * MIN), ["condition_fired", "inject_released"]);
    assert!(matches!(status(&ex, "escalation"), Status::Fired { manual: false, at } if at.play_ms == 5 * MIN));
    assert!(due(&mut ex, T0 + 9 * MIN).is_empty(), "never twice");
    assert_eq!(ex.released().iter().filter(|(id, _)| id == "escalation").count(), 1);
}

#[test]
fn an_answer_in_time_disarms_the_silence_and_a_late_one_does_not() {
    let (mut ex, [i, ..]) = started();
    ex.at(T0 + 4 * MIN).run(Role::Participant(i), respond("alert", "on it", "a1")).unwrap();
    assert!(due(&mut ex, T0 + 6 * MIN).iter().all(|k| k != "condition_fired"));
    assert_eq!(status(&ex, "escalation"), Status::Armed);
    assert_eq!(conditions::inject_truth(&ex.state, &ex.state.scenario.injects[2]), conditions::Truth::Never);

    let (mut ex, [i, ..]) = started();
    ex.at(T0 + 5 * MIN + 1).run(Role::Participant(i), respond("alert", "late", "a1")).unwrap();
    assert_eq!(due(&mut ex, T0 + 5 * MIN + 1), ["inject_released", "condition_fired", "inject_released"]);
}

#[test]
fn a_pause_stops_the_countdown_and_a_speed_change_scales_it() {
    let (mut ex, _) = started();
    ex.at(T0 + 3 * MIN).facilitate(Command::Pause);
    assert_eq!(ex.state.next_due_wall_ms(), None, "no deadline while paused");
    assert!(due(&mut ex, T0 + 20 * MIN).is_empty());
    ex.at(T0 + 13 * MIN).facilitate(Command::ResumeClock);
    // Paused at play 3 min: the silence (play 5 min) falls due 2 minutes after resuming.
    assert!(due(&mut ex, T0 + 15 * MIN - 1).iter().all(|k| k != "condition_fired"));
    assert_eq!(due(&mut ex, T0 + 15 * MIN), ["condition_fired", "inject_released"]);

    let (mut ex, _) = started();
    ex.at(T0 + MIN).facilitate(Command::SetSpeed { speed: 60.0 });
    // 4 play minutes at 60x: 4 wall seconds (the ransom at 2 goes out after 1 s).
    assert_eq!(due(&mut ex, T0 + MIN + 1_000), ["inject_released"]);
    assert_eq!(ex.state.next_due_wall_ms(), Some(T0 + MIN + 4_000));
    assert_eq!(due(&mut ex, T0 + MIN + 4_000), ["condition_fired", "inject_released"]);
}

#[test]
fn a_replayed_log_re_arms_what_was_not_fired_and_never_fires_twice() {
    let (mut ex, _) = started();
    due(&mut ex, T0 + 2 * MIN);
    let log: Vec<Recorded> = replay_log(&mut ex);
    // Killed before the deadline; back up after it: fires once, at once.
    let mut back = Ex { state: State::replay(&log).unwrap(), rules: Rules::default(), now: 0, log };
    assert_eq!(back.state, ex.state, "replay rebuilds the live state, indexes included");
    assert_eq!(back.state.next_due_wall_ms(), Some(T0 + 5 * MIN));
    assert_eq!(due(&mut back, T0 + 7 * MIN), ["condition_fired", "inject_released"]);
    let after = replay_log(&mut back);
    let mut again = Ex { state: State::replay(&after).unwrap(), rules: Rules::default(), now: 0, log: after };
    assert_eq!(again.state, back.state);
    assert!(matches!(status(&again, "escalation"), Status::Fired { .. }));
    assert!(due(&mut again, T0 + 9 * MIN).is_empty(), "the log says it fired: not again");
}

/// Every event `ex` applied so far: what the store holds.
fn replay_log(ex: &mut Ex) -> Vec<Recorded> {
    ex.log.clone()
}

#[test]
fn a_choice_fires_in_the_batch_that_makes_it_and_another_choice_never() {
    let (mut ex, [_, g, _]) = started();
    due(&mut ex, T0 + 2 * MIN);
    let choose = |option: &str, id: &str| Command::Respond {
        inject_id: "ransom".into(),
        text: String::new(),
        options: vec![option.into()],
        client_msg_id: id.into(),
    };
    ex.at(T0 + 3 * MIN).run(Role::Participant(g), choose("refuse", "c1")).unwrap();
    assert!(due(&mut ex, T0 + 3 * MIN).is_empty());
    ex.run(Role::Participant(g), choose("pay", "c2")).unwrap();
    assert_eq!(due(&mut ex, T0 + 3 * MIN), ["condition_fired", "inject_released"]);
    let fallout = ex.released().into_iter().find(|(id, _)| id == "fallout").unwrap();
    assert_eq!(fallout.1, 3 * MIN);
}

#[test]
fn all_answered_with_at_waits_for_both_and_for_its_time() {
    let (mut ex, [i, g, _]) = started();
    ex.at(T0 + MIN).run(Role::Participant(i), respond("alert", "i", "a1")).unwrap();
    assert!(due(&mut ex, T0 + MIN).is_empty(), "governance has not answered");
    ex.at(T0 + 90_000).run(Role::Participant(g), respond("alert", "g", "a2")).unwrap();
    assert_eq!(ex.state.next_due_wall_ms(), Some(T0 + 2 * MIN), "the ransom; wrap waits for its at");
    due(&mut ex, T0 + 2 * MIN);
    assert_eq!(ex.state.next_due_wall_ms(), Some(T0 + 8 * MIN));
    assert!(due(&mut ex, T0 + 8 * MIN - 1).is_empty());
    assert_eq!(due(&mut ex, T0 + 8 * MIN), ["condition_fired", "inject_released"]);
}

#[test]
fn fire_now_cancel_and_release_by_hand() {
    let (mut ex, [i, ..]) = started();
    let fire = |id: &str| Command::FireCondition { inject_id: id.into() };
    let cancel = |id: &str| Command::CancelCondition { inject_id: id.into() };
    assert!(matches!(ex.run(Role::Participant(i), fire("fallout")), Err(ExerciseError::Forbidden { .. })));
    assert_eq!(ex.run(Role::Facilitator, fire("alert")), Err(ExerciseError::NoCondition("alert".into())));
    assert_eq!(ex.run(Role::Facilitator, fire("nope")), Err(ExerciseError::UnknownInject("nope".into())));

    let kinds = |recs: Vec<Recorded>| recs.iter().map(|r| r.event.kind().as_str()).collect::<Vec<_>>();
    assert_eq!(kinds(ex.at(T0 + MIN).facilitate(fire("fallout"))), ["condition_fired", "inject_released"]);
    assert!(matches!(status(&ex, "fallout"), Status::Fired { manual: true, .. }));
    assert!(matches!(ex.run(Role::Facilitator, cancel("fallout")), Err(ExerciseError::ConditionNotArmed(_, "fired"))));

    assert_eq!(kinds(ex.facilitate(cancel("escalation"))), ["condition_cancelled"]);
    assert!(due(&mut ex, T0 + 9 * MIN).iter().all(|k| k != "condition_fired"), "cancelled: never by itself");
    assert_eq!(ex.state.inject_status("escalation"), Some(InjectStatus::Pending), "still releasable by hand");
    assert!(matches!(ex.run(Role::Facilitator, fire("escalation")), Err(ExerciseError::ConditionNotArmed(..))));
    ex.facilitate(Command::Release { inject_id: "escalation".into() });

    // The wrap, released by hand before its condition: overtaken, never again.
    ex.facilitate(Command::Release { inject_id: "wrap".into() });
    assert_eq!(status(&ex, "wrap"), Status::Overtaken);
    assert!(matches!(ex.run(Role::Facilitator, cancel("wrap")), Err(ExerciseError::ConditionNotArmed(..))));
}

#[test]
fn conditions_never_fire_before_the_start_or_after_the_end() {
    let s = parse_scenario(COND, ScenarioFormat::Toml, "cond.toml").unwrap();
    let mut ex = Ex::of(&s);
    ex.join("i");
    assert!(due(&mut ex, T0 + 60 * MIN).is_empty(), "lobby");
    let (mut ex, _) = started();
    ex.at(T0 + MIN).facilitate(Command::End);
    assert!(due(&mut ex, T0 + 60 * MIN).is_empty(), "ended");
    assert_eq!(
        ex.run(Role::Facilitator, Command::FireCondition { inject_id: "fallout".into() }),
        Err(ExerciseError::Ended)
    );
}
