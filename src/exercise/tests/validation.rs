//! What the core checks in what participants send: names (normalised, roles refused)
//! and a poll's options on every path (one choice, several, a scribe's answer, a
//! member's contribution, a text inject).

use super::*;

const LIVE_ROOM: &str = include_str!("../../../tests/fixtures/scenarios/live-room.toml");
const SCRIBES: &str = include_str!("../../../tests/fixtures/scenarios/live-room-scribe.toml");

fn room(toml: &str) -> Ex {
    Ex::of(&parse_scenario(toml, ScenarioFormat::Toml, "room.toml").unwrap())
}

fn join_as(ex: &mut Ex, name: &str) -> Result<ParticipantId, ExerciseError> {
    let id = ParticipantId::new();
    let cmd = Command::Join {
        name: name.into(),
        group_id: Some("governance".into()),
        organisation: None,
        sector: None,
        email: Some(format!("{}@example.org", id)),
        participant_id: id,
        resume_token: format!("tok-{id}"),
    };
    ex.run(Role::Participant(id), cmd).map(|_| id)
}

fn choose(inject: &str, options: &[&str], id: &str) -> Command {
    Command::Respond {
        inject_id: inject.into(),
        text: String::new(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        client_msg_id: id.into(),
    }
}

fn code(r: Result<Vec<Recorded>, ExerciseError>) -> &'static str {
    r.map_or_else(|e| e.code(), |_| "ok")
}

#[test]
fn a_joining_name_is_normalised_and_a_role_name_is_refused() {
    let mut ex = room(LIVE_ROOM);
    let p = join_as(&mut ex, "  Jose\u{301}\u{202E}  \u{200B}Diop ").unwrap();
    assert_eq!(ex.state.participant(p).unwrap().name, "José Diop");
    for name in ["Facilitator", "ANIMATEUR", "Admin", "observer", "Organiser", "Fac\u{200B}ilitator", "Animatéur"] {
        let refused = join_as(&mut ex, name).unwrap_err();
        assert_eq!(refused.code(), "invalid_text", "{name}");
    }
    assert_eq!(ex.state.participants.len(), 1);
}

#[test]
fn every_answer_to_a_poll_is_checked_against_its_options() {
    let mut ex = room(LIVE_ROOM);
    let p = join_as(&mut ex, "Awa").unwrap();
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    ex.facilitate(Command::Release { inject_id: "first-notifier".into() });
    let who = Role::Participant(p);
    assert_eq!(code(ex.run(who, choose("ransom", &["bribe"], "a"))), "unknown_option");
    assert_eq!(code(ex.run(who, choose("ransom", &["pay", "refuse"], "b"))), "invalid_choice");
    assert_eq!(code(ex.run(who, choose("first-notifier", &["central-bank", "nobody"], "c"))), "unknown_option");
    assert_eq!(code(ex.run(who, choose("ransom", &["pay"], "d"))), "ok");
    assert_eq!(code(ex.run(who, choose("first-notifier", &["central-bank", "csirt"], "e"))), "ok");
    ex.at(11 * MIN).facilitate(Command::ReleaseDue);
    assert_eq!(code(ex.run(who, choose("recovery", &["pay"], "f"))), "not_a_poll");
    let stored: Vec<_> = ex.state.responses.iter().map(|r| r.client_msg_id.as_str()).collect();
    assert_eq!(stored, ["d", "e"]);
}

#[test]
fn in_group_mode_the_scribes_choice_is_checked_and_a_member_cannot_choose() {
    let mut ex = room(SCRIBES);
    let scribe = join_as(&mut ex, "Awa").unwrap();
    let member = join_as(&mut ex, "Bako").unwrap();
    ex.facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    let (s, m) = (Role::Participant(scribe), Role::Participant(member));
    assert_eq!(code(ex.run(s, choose("ransom", &["bribe"], "a"))), "unknown_option");
    assert_eq!(code(ex.run(s, choose("ransom", &["pay", "refuse"], "b"))), "invalid_choice");
    assert_eq!(code(ex.run(m, choose("ransom", &["pay"], "c"))), "not_scribe");
    assert_eq!(code(ex.run(m, choose("ransom", &["bribe"], "d"))), "not_scribe");
    assert_eq!(code(ex.run(s, choose("ransom", &["refuse"], "e"))), "ok");
    assert_eq!(ex.state.responses.len(), 1);
}
