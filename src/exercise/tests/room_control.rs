//! The facilitator's control of the room: joining locked and unlocked, a participant
//! removed (token refused, out of the roster, the scribe handed on, answers kept and
//! marked), and nobody else may do either.

use super::*;

fn join_cmd(name: &str) -> (ParticipantId, Command) {
    let id = ParticipantId::new();
    let cmd = Command::Join {
        name: name.into(),
        group_id: None,
        organisation: None,
        sector: None,
        email: None,
        participant_id: id,
        resume_token: format!("tok-{name}"),
    };
    (id, cmd)
}

#[test]
fn a_locked_room_refuses_joins_until_unlocked() {
    let mut ex = Ex::new();
    let ana = ex.join("Ana");
    let recs = ex.facilitate(Command::LockJoining);
    assert_eq!(recs.iter().map(|r| r.event.kind().as_str()).collect::<Vec<_>>(), ["joining_locked"]);
    assert!(ex.facilitate(Command::LockJoining).is_empty(), "locking twice changes nothing");
    let (id, cmd) = join_cmd("Bo");
    let refused = ex.run(Role::Participant(id), cmd.clone()).unwrap_err();
    assert_eq!(refused, ExerciseError::JoiningLocked);
    assert_eq!(refused.code(), "joining_locked");
    // Those in the room go on: Ana still answers (and her token still resumes: the
    // actor reads `participant_by_token`).
    assert!(ex.state.participant_by_token("tok-Ana").is_some());
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    ex.run(Role::Participant(ana), respond("first", "still here", "a")).unwrap();
    ex.facilitate(Command::UnlockJoining);
    ex.run(Role::Participant(id), cmd).unwrap();
    assert_eq!(State::replay(&ex.log).unwrap(), ex.state);
}

#[test]
fn only_the_facilitator_locks_or_removes() {
    let mut ex = Ex::new();
    let ana = ex.join("Ana");
    let bo = ex.join("Bo");
    for cmd in [Command::LockJoining, Command::UnlockJoining, Command::RemoveParticipant { participant_id: bo }] {
        let refused = ex.run(Role::Participant(ana), cmd).unwrap_err();
        assert_eq!(refused.code(), "forbidden");
        let observer = crate::ids::ObserverId::new();
        assert_eq!(ex.run(Role::Observer(observer), Command::LockJoining).unwrap_err().code(), "forbidden");
    }
    assert_eq!(ex.state.participants.len(), 2);
    assert!(!ex.state.joining_locked);
}

#[test]
fn a_removed_participant_leaves_the_room_but_their_answers_stay_marked() {
    let mut ex = Ex::scribe_room();
    let (awa, bako) = (ex.join_into("Awa", "governance"), ex.join_into("Bako", "governance"));
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    assert_eq!(ex.state.scribe("governance").unwrap().id, awa);
    let pick = Command::Respond {
        inject_id: "ransom".into(),
        text: "Refuse".into(),
        options: vec!["refuse".into()],
        client_msg_id: "a".into(),
    };
    ex.run(Role::Participant(awa), pick).unwrap();

    let recs = ex.facilitate(Command::RemoveParticipant { participant_id: awa });
    assert_eq!(recs.len(), 1);
    // Out of the roster and the group; the scribe hands on; the token is refused with
    // `removed` (the actor asks `removed_token`), and anything they send too.
    assert!(ex.state.participant(awa).is_none());
    assert_eq!(ex.state.members("governance").map(|p| p.id).collect::<Vec<_>>(), [bako]);
    assert_eq!(ex.state.scribe("governance").unwrap().id, bako);
    assert!(ex.state.participant_by_token("tok-Awa").is_none());
    assert!(ex.state.removed_token("tok-Awa") && !ex.state.removed_token("tok-Bako"));
    let again = ex.run(Role::Participant(awa), respond("ransom", "back", "b")).unwrap_err();
    assert_eq!(again.code(), "removed");
    assert!(ex.facilitate(Command::RemoveParticipant { participant_id: awa }).is_empty());
    // Bako (still in) is untouched by the removal of someone else.
    assert_eq!(ex.state.participant(bako).unwrap().name, "Bako");

    // The answer stays in the log, and is shown marked.
    assert_eq!(ex.state.responses.len(), 1);
    let seen = view::facilitator_welcome(&view::Localized::main(&ex.state), 0, ex.now);
    assert_eq!(seen.responses[0].participant_name, "Awa");
    assert!(seen.responses[0].removed);
    assert_eq!(seen.roster.as_ref().unwrap().len(), 1);
    // (The timeline's "Awa (removed)" is checked over HTTP: tests/room_control.rs.)
    // The socket's own push: only Awa's socket takes it (and closes).
    let pushes = view::deliveries(&view::Localized::main(&ex.state), &recs[0]);
    assert!(
        pushes.iter().any(|(a, m)| matches!(a, Audience::Removed { participant_id, .. } if *participant_id == awa)
            && matches!(m, ServerMsg::Removed { .. }))
    );
    assert_eq!(State::replay(&ex.log).unwrap(), ex.state);
}

#[test]
fn a_welcome_carries_the_latest_answers_and_always_the_groups_standing_one() {
    let mut ex = Ex::scribe_room();
    let people = [ex.join_into("Awa", "governance"), ex.join_into("Bako", "governance")];
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    let pick = Command::Respond {
        inject_id: "ransom".into(),
        text: String::new(),
        options: vec!["refuse".into()],
        client_msg_id: "answer".into(),
    };
    let standing = ex.run(Role::Participant(people[0]), pick).unwrap()[0].seq;
    for i in 0..30 {
        ex.run(Role::Participant(people[1]), respond("ransom", &format!("idea {i}"), &format!("c{i}"))).unwrap();
    }
    let seen = view::Localized::main(&ex.state);
    let w = view::facilitator_welcome(&seen, 0, ex.now);
    // The latest 20 contributions and the scribe's answer (older than all of them).
    assert_eq!(w.responses.len(), 21);
    assert!(w.responses.iter().any(|r| r.seq == standing));
    assert_eq!(w.older_responses.len(), 1);
    let older = &w.older_responses[0];
    assert_eq!((older.inject_id.as_str(), older.group_id.as_str(), older.count), ("ransom", "governance", 10));
    let ServerMsg::OlderResponses { responses, more, .. } =
        view::older_responses(&seen, "ransom", Some("governance"), older.before_seq, 200)
    else {
        panic!("a page")
    };
    // The ten left out, and the standing answer again (clients keep each seq once).
    assert_eq!(responses.len(), 11);
    assert!(!more);
    assert!(responses.windows(2).all(|p| p[0].seq < p[1].seq));
    let ServerMsg::OlderResponses { responses, more, .. } =
        view::older_responses(&seen, "ransom", Some("governance"), older.before_seq, 4)
    else {
        panic!("a page")
    };
    assert_eq!(responses.len(), 4);
    assert!(more);
}
