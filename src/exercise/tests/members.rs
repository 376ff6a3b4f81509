//! A big group's member list: the first [`MAX_LISTED_MEMBERS`] and a `more` mark, the
//! scribe always among them, and joins past the list push nothing to the group (each
//! join used to push the whole list to the whole group: a room's joins cost the square
//! of its size).

use super::*;
use crate::protocol::{MAX_LISTED_MEMBERS, MemberView};

/// The `group_members` pushes a record causes: (members, more).
fn members_pushes(ex: &Ex, rec: &Recorded) -> Vec<(Vec<MemberView>, bool)> {
    view::deliveries(&view::Localized::main(&ex.state), rec)
        .into_iter()
        .filter_map(|(_, m)| match m {
            ServerMsg::GroupMembers { members, more, .. } => Some((members, more)),
            _ => None,
        })
        .collect()
}

#[test]
fn joins_past_the_listed_members_push_nothing_to_the_group() {
    let mut ex = Ex::scribe_room();
    let mut pushed = Vec::new();
    for i in 0..MAX_LISTED_MEMBERS + 6 {
        ex.join_into(&format!("P{i}"), "governance");
        pushed.push(members_pushes(&ex, ex.log.last().unwrap()));
    }
    // Every join up to the cap pushes the list; the next one marks `more`; then none.
    for (i, p) in pushed.iter().enumerate() {
        match i {
            _ if i < MAX_LISTED_MEMBERS => {
                assert_eq!(p.len(), 1, "join {i}");
                assert_eq!(p[0].0.len(), i + 1);
                assert!(!p[0].1, "join {i}: nobody past the list yet");
            }
            _ if i == MAX_LISTED_MEMBERS => {
                assert_eq!(p.len(), 1, "the first join past the list says there are more");
                assert_eq!(p[0].0.len(), MAX_LISTED_MEMBERS);
                assert!(p[0].1);
            }
            _ => assert!(p.is_empty(), "join {i} changes no list"),
        }
    }
    // The attendance the console and projector count still hears every join.
    let last = ex.log.last().unwrap();
    let attendance = view::deliveries(&view::Localized::main(&ex.state), last)
        .into_iter()
        .filter(|(_, m)| matches!(m, ServerMsg::Attendance(_)))
        .count();
    assert_eq!(attendance, 2);
}

#[test]
fn a_scribe_who_joined_late_is_listed_in_the_last_place() {
    let mut ex = Ex::scribe_room();
    let people: Vec<_> = (0..MAX_LISTED_MEMBERS + 5).map(|i| ex.join_into(&format!("P{i}"), "governance")).collect();
    let late = *people.last().unwrap();
    let recs = ex.facilitate(Command::AssignScribe { group_id: "governance".into(), participant_id: late });
    let pushes = members_pushes(&ex, &recs[0]);
    let (members, more) = &pushes[0];
    assert!(more);
    assert_eq!(members.len(), MAX_LISTED_MEMBERS);
    assert_eq!(members[0].participant_id, people[0], "join order is kept");
    assert_eq!(members.last().unwrap().participant_id, late);
    assert_eq!(members.iter().filter(|m| m.scribe).map(|m| m.participant_id).collect::<Vec<_>>(), [late]);

    // A welcome's briefing lists the same, whoever opens it.
    let late_one = ex.state.participant(late).unwrap();
    let w = view::participant_welcome(&view::Localized::main(&ex.state), late_one, 0, ex.now);
    let briefing = w.briefing.unwrap();
    assert_eq!(briefing.members, *members);
    assert!(briefing.more_members);
    let json = serde_json::to_value(ServerMsg::GroupMembers {
        seq: 1,
        group_id: "governance".into(),
        members: Vec::new(),
        more: false,
    })
    .unwrap();
    assert!(json.get("more").is_none(), "a small group's push is as before: {json}");
}
