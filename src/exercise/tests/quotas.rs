//! Per-participant quotas: the answer rate over every socket, revisions per inject, bytes
//! per participant and per exercise, improvement proposals per participant and group;
//! and a client id reused for something else.

use super::evaluation::item;
use super::*;

fn started() -> (Ex, ParticipantId) {
    let mut ex = Ex::new();
    let p = ex.join("Ana");
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    (ex, p)
}

#[test]
fn the_answer_rate_counts_every_answer_of_a_participant_and_frees_as_the_minute_slides() {
    let (mut ex, p) = started();
    ex.rules.max_answers_per_minute = 5;
    let start = ex.now;
    for i in 0..5 {
        ex.at(start + i * 1_000).run(Role::Participant(p), respond("first", "ok", &format!("a{i}"))).unwrap();
    }
    // The sixth within the minute is refused, whatever socket it came from: the count is
    // read from the log, and says how long to wait (the first answer leaves the window
    // 60 s after it was stored).
    let refused = ex.at(start + 10_000).run(Role::Participant(p), respond("first", "ok", "a5")).unwrap_err();
    assert_eq!(refused, ExerciseError::RateLimited { retry_after_secs: 50 });
    assert_eq!(refused.code(), "rate_limited");
    assert!(refused.to_string().contains("50 s"), "{refused}");
    // Another participant is not held back.
    let q = ex.join("Bo");
    ex.run(Role::Participant(q), respond("first", "ok", "b0")).unwrap();
    // A minute after the first answer, one more is taken; a restart reads the same counts.
    ex.at(start + MIN).run(Role::Participant(p), respond("first", "ok", "a5")).unwrap();
    assert_eq!(State::replay(&ex.log).unwrap(), ex.state);
    let again = decide(&ex.state, Role::Participant(p), &respond("first", "ok", "a6"), start + MIN, &ex.rules);
    assert_eq!(again, Err(ExerciseError::RateLimited { retry_after_secs: 1 }));
}

#[test]
fn revisions_per_inject_and_bytes_are_capped_with_quota_exceeded() {
    let (mut ex, p) = started();
    ex.rules.max_answers_per_inject = 3;
    for i in 0..3 {
        ex.at(1_000 + i * MIN).run(Role::Participant(p), respond("first", "v", &format!("r{i}"))).unwrap();
    }
    let refused = ex.at(10 * MIN).run(Role::Participant(p), respond("first", "v", "r3")).unwrap_err();
    assert_eq!(refused.code(), "quota_exceeded");
    // Another inject still takes answers.
    ex.facilitate(Command::Release { inject_id: "third".into() });
    ex.run(Role::Participant(p), respond("third", "v", "t0")).unwrap();

    // Bytes: per participant, then per exercise (4-byte characters count as 4).
    let (mut ex, p) = started();
    ex.rules.max_participant_answer_bytes = 100;
    ex.run(Role::Participant(p), respond("first", &"𝄞".repeat(20), "x0")).unwrap();
    let refused = ex.at(2 * MIN).run(Role::Participant(p), respond("first", &"𝄞".repeat(6), "x1")).unwrap_err();
    assert_eq!(refused, ExerciseError::QuotaExceeded { what: "bytes of answers from you", max: 100 });
    ex.run(Role::Participant(p), respond("first", &"𝄞".repeat(5), "x2")).unwrap();

    let (mut ex, p) = started();
    ex.rules.max_answer_bytes = 50;
    let q = ex.join("Bo");
    ex.run(Role::Participant(p), respond("first", &"a".repeat(40), "x0")).unwrap();
    let refused = ex.run(Role::Participant(q), respond("first", &"b".repeat(11), "y0")).unwrap_err();
    assert_eq!(refused.code(), "quota_exceeded");
    assert!(refused.to_string().contains("50"), "{refused}");
}

#[test]
fn a_refused_answer_is_not_stored_and_a_re_send_of_a_stored_one_is_still_acked() {
    let (mut ex, p) = started();
    ex.rules.max_answers_per_minute = 1;
    ex.run(Role::Participant(p), respond("first", "kept", "k")).unwrap();
    let before = ex.state.responses.len();
    assert!(ex.run(Role::Participant(p), respond("first", "more", "m")).is_err());
    assert_eq!(ex.state.responses.len(), before);
    // The same answer again (a reconnecting phone) is no new answer: acked, not limited.
    assert_eq!(ex.run(Role::Participant(p), respond("first", " kept ", "k")).unwrap(), vec![]);
}

#[test]
fn a_client_id_reused_for_something_else_is_refused_with_duplicate_id() {
    let (mut ex, p) = started();
    ex.facilitate(Command::Release { inject_id: "third".into() });
    ex.run(Role::Participant(p), respond("first", "one", "same")).unwrap();
    for other in [respond("third", "one", "same"), respond("first", "two", "same")] {
        let refused = ex.run(Role::Participant(p), other).unwrap_err();
        assert_eq!(refused, ExerciseError::DuplicateId("same".into()));
        assert_eq!(refused.code(), "duplicate_id");
    }
    assert_eq!(ex.state.responses.len(), 1);
    // Another participant may use the same id.
    let q = ex.join("Bo");
    ex.run(Role::Participant(q), respond("first", "two", "same")).unwrap();
}

fn propose(id: &str, group: &str) -> Command {
    Command::ProposeImprovement { item_id: id.into(), item: item("Fix it", group), client_msg_id: None }
}

#[test]
fn proposals_are_capped_per_participant_and_group_without_dropped_items_or_the_facilitator() {
    let mut ex = Ex::new();
    ex.rules.max_proposals_per_participant = 2;
    ex.rules.max_proposals_per_group = 3;
    let (a, _, _, b) = (ex.join("A"), ex.join("B"), ex.join("C"), ex.join("D"));
    assert_eq!(ex.group_of(a), ex.group_of(b));
    let group = ex.group_of(a);
    ex.run(Role::Participant(a), propose("a1", &group)).unwrap();
    ex.run(Role::Participant(a), propose("a2", &group)).unwrap();
    let refused = ex.run(Role::Participant(a), propose("a3", &group)).unwrap_err();
    assert_eq!(refused.code(), "quota_exceeded");
    // A dropped item no longer counts.
    ex.facilitate(Command::DropImprovement { item_id: "a1".into() });
    ex.run(Role::Participant(a), propose("a3", &group)).unwrap();
    // The group has 2 standing; one more from B, then the group is full.
    ex.run(Role::Participant(b), propose("b1", &group)).unwrap();
    let refused = ex.run(Role::Participant(b), propose("b2", &group)).unwrap_err();
    assert_eq!(refused, ExerciseError::QuotaExceeded { what: "improvement proposals from your group", max: 3 });
    // Other groups and the facilitator are not held back.
    let c = ex.state.participants[1].id;
    let other = ex.group_of(c);
    ex.run(Role::Participant(c), propose("c1", &other)).unwrap();
    ex.rules.max_evaluation_items = 1;
    for i in 0..3 {
        let add = Command::AcceptImprovement { item_id: format!("f{i}"), item: item("Ours", &group) };
        ex.facilitate(add);
    }
}
