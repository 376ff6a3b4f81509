//! What clients send, and the one way in: [`parse`] turns a text frame into a typed
//! [`Incoming`] message or a [`Refusal`] with a stable code, so the transport never
//! looks inside a frame.
//!
//! A socket first identifies itself with a [`Hello`]; after the server's `welcome` it
//! sends [`ClientMsg`]s: an [`Action`] and, on any of them, a `client_msg_id` echoed in
//! the `ack` or `error` that answers it. The tags clients may send are generated from
//! the two enums ([`HelloType`], [`ActionType`]).

use std::collections::BTreeMap;

use serde::Deserialize;
use strum::IntoEnumIterator;

use super::evaluation::{ImprovementItem, NoteCategory, ProjectorView, Rating};
use crate::ids::{ExerciseId, ParticipantId};

/// The first message on a socket: who is this?
#[derive(Debug, Clone, PartialEq, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum_discriminants(
    name(HelloType),
    derive(strum::EnumIter, strum::IntoStaticStr, strum::EnumString),
    strum(serialize_all = "snake_case"),
    doc = "The `type` of a [`Hello`]."
)]
pub enum Hello {
    /// A new participant joins with the exercise's code.
    Join {
        /// The join code shown on the shared screen (case and dashes ignored).
        join_code: String,
        /// Display name.
        name: String,
        /// Group wanted, when the scenario lets participants pick.
        #[serde(default)]
        group_id: Option<String>,
        /// The organisation the participant speaks for (optional; the room's spelling
        /// of the same name is kept).
        #[serde(default)]
        organisation: Option<String>,
        /// One of the scenario's sector ids (optional; see `GET /api/join/{code}`).
        #[serde(default)]
        sector: Option<String>,
        /// Email, when the scenario asks for one (`ask_email` in `GET /api/join/{code}`).
        #[serde(default)]
        email: Option<String>,
        /// The language to read the scenario in (`fr`, `en-GB`…); the scenario's own
        /// when it is not written in it.
        #[serde(default)]
        lang: Option<String>,
    },
    /// A participant comes back with the token from their first `welcome`.
    Resume {
        /// The resume token.
        resume_token: String,
        /// Highest `seq` the client already has; only newer items are sent.
        #[serde(default)]
        last_seq: Option<u64>,
        /// The language to read the scenario in (`fr`, `en-GB`…); the scenario's own
        /// when it is not written in it.
        #[serde(default)]
        lang: Option<String>,
    },
    /// The shared screen: a read-only public view by join code (no questions, no notes).
    Project {
        /// The join code shown on the shared screen.
        join_code: String,
        /// The language to read the scenario in (`fr`, `en-GB`…); the scenario's own
        /// when it is not written in it.
        #[serde(default)]
        lang: Option<String>,
    },
    /// An observer (evaluator) opens the console read-only with the key the
    /// facilitator gave them.
    Observe {
        /// The exercise.
        exercise_id: ExerciseId,
        /// The observer's key.
        observer_key: String,
        /// Highest `seq` the client already has; only newer items are sent.
        #[serde(default)]
        last_seq: Option<u64>,
        /// The language to read the scenario in (`fr`, `en-GB`…); the scenario's own
        /// when it is not written in it.
        #[serde(default)]
        lang: Option<String>,
    },
    /// The facilitator opens the exercise's console (the admin token is accepted as key).
    Facilitate {
        /// The exercise.
        exercise_id: ExerciseId,
        /// The key from `POST /api/exercises`.
        facilitator_key: String,
        /// Highest `seq` the client already has; only newer items are sent.
        #[serde(default)]
        last_seq: Option<u64>,
        /// The language to read the scenario in (`fr`, `en-GB`…); the scenario's own
        /// when it is not written in it.
        #[serde(default)]
        lang: Option<String>,
    },
}

fn default_page() -> usize {
    50
}

impl Hello {
    /// The language asked for, if it is one tabletop knows (anything else: none).
    pub fn lang(&self) -> Option<crate::lang::Lang> {
        let (Hello::Join { lang, .. }
        | Hello::Resume { lang, .. }
        | Hello::Project { lang, .. }
        | Hello::Observe { lang, .. }
        | Hello::Facilitate { lang, .. }) = self;
        lang.as_deref().and_then(crate::lang::Lang::parse)
    }
}

/// What a message after the handshake asks for.
#[derive(Debug, Clone, PartialEq, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum_discriminants(
    name(ActionType),
    derive(strum::EnumIter, strum::IntoStaticStr, strum::EnumString),
    strum(serialize_all = "snake_case"),
    doc = "The `type` of an [`Action`]."
)]
pub enum Action {
    /// Facilitator: start the play clock.
    Start,
    /// Facilitator: pause the play clock.
    Pause,
    /// Facilitator: resume the paused play clock (`resume`, its older name, is still
    /// accepted after the handshake).
    #[serde(alias = "resume")]
    ResumeClock,
    /// Facilitator: release an inject now.
    Release {
        /// The inject.
        inject_id: String,
    },
    /// Facilitator: skip an inject.
    Skip {
        /// The inject.
        inject_id: String,
    },
    /// Facilitator: fire a conditional inject's armed condition now (releases it).
    FireCondition {
        /// The conditional inject.
        inject_id: String,
    },
    /// Facilitator: cancel a conditional inject's armed condition (it stays pending).
    CancelCondition {
        /// The conditional inject.
        inject_id: String,
    },
    /// Facilitator: change the clock speed.
    SetSpeed {
        /// Play seconds per wall second (e.g. 60 for rehearsals).
        speed: f64,
    },
    /// Facilitator: move a participant to another group.
    Move {
        /// Who.
        participant_id: ParticipantId,
        /// Where to.
        group_id: String,
    },
    /// Facilitator: move several participants to one group at once.
    MoveParticipants {
        /// Who.
        participant_ids: Vec<ParticipantId>,
        /// Where to.
        group_id: String,
    },
    /// Facilitator: even out the groups' sizes (the latest joiners of the largest
    /// groups move to the smallest).
    Rebalance,
    /// Facilitator (any member), or the group's scribe handing the role on: choose
    /// the group's scribe (group answer mode).
    AssignScribe {
        /// The group.
        group_id: String,
        /// The new scribe, a member of the group.
        participant_id: ParticipantId,
    },
    /// Anyone identified but the shared screen: a page of older answers to an inject
    /// than a welcome carried (participants: their own group's only).
    OlderResponses {
        /// The inject.
        inject_id: String,
        /// The group (participants: their own, the default; control room: none for all).
        #[serde(default)]
        group_id: Option<String>,
        /// Answers stored before this log position.
        before_seq: u64,
        /// Most answers in the page (at most 200).
        #[serde(default = "default_page")]
        limit: usize,
    },
    /// Facilitator: refuse new participants (those in the room still resume).
    LockJoining,
    /// Facilitator: take new participants again.
    UnlockJoining,
    /// Facilitator: take a participant out of the exercise (their answers stay).
    RemoveParticipant {
        /// Who.
        participant_id: ParticipantId,
    },
    /// Facilitator: announce something to everyone.
    Announce {
        /// The text.
        text: String,
    },
    /// Facilitator: end the exercise.
    End,
    /// Participant: answer an inject for the group.
    Respond {
        /// The inject.
        inject_id: String,
        /// The answer (may be empty when `options` are given: the "why" is optional).
        #[serde(default)]
        text: String,
        /// A poll's chosen option ids (one unless the poll allows several).
        #[serde(default)]
        options: Vec<String>,
    },
    /// Facilitator: give an observer (evaluator) a key; answered with `observer`.
    AddObserver {
        /// The observer's name.
        name: String,
    },
    /// Facilitator or observer: take a note, tagged to an inject, objective or group.
    Note {
        /// The inject it is about.
        #[serde(default)]
        inject_id: Option<String>,
        /// The objective it bears on.
        #[serde(default)]
        objective_id: Option<String>,
        /// The group it is about.
        #[serde(default)]
        group_id: Option<String>,
        /// The note.
        text: String,
        /// `strength` or `area_for_improvement`; absent: an observation.
        #[serde(default)]
        category: Option<NoteCategory>,
    },
    /// Facilitator or observer: rate an objective P, S, M or U.
    RateObjective {
        /// The objective.
        objective_id: String,
        /// `P`, `S`, `M` or `U`.
        rating: Rating,
        /// What went well.
        #[serde(default)]
        strengths: String,
        /// What to improve.
        #[serde(default)]
        areas_for_improvement: String,
    },
    /// Participant: propose an improvement-plan item for the group.
    ProposeImprovement {
        /// The item (`group_id` is ignored: it is the sender's group).
        item: ImprovementItem,
    },
    /// Facilitator: accept a proposal (possibly edited), edit an item, or add one.
    AcceptImprovement {
        /// The item to accept or edit; absent to add a new one.
        #[serde(default)]
        item_id: Option<String>,
        /// The item as it should stand.
        item: ImprovementItem,
    },
    /// Facilitator: leave an item out of the plan.
    DropImprovement {
        /// The item.
        item_id: String,
    },
    /// Facilitator: let participants rate their group's statements.
    OpenSelfAssessment,
    /// Facilitator: stop taking self-assessment scores.
    CloseSelfAssessment,
    /// Participant: score the group's statements 1–5 (later scores replace earlier).
    SelfAssess {
        /// Score per statement id.
        #[serde(default)]
        scores: BTreeMap<String, u8>,
        /// Statements answered "don't know" (not counted).
        #[serde(default)]
        dont_know: Vec<String>,
    },
    /// Facilitator: write the report's executive summary and/or set its handling
    /// marking (a field left out is unchanged; an empty marking is the scenario's).
    EditReport {
        /// The executive summary (plain text, paragraphs separated by blank lines).
        #[serde(default)]
        executive_summary: Option<String>,
        /// The handling marking, e.g. `TLP:AMBER`.
        #[serde(default)]
        marking: Option<String>,
    },
    /// Facilitator: open the adoption board for priority votes.
    OpenAdoption,
    /// Facilitator: close the adoption board (the votes stand).
    CloseAdoption,
    /// Participant: choose up to three accepted items as priorities (replaces your
    /// earlier choice; an empty list withdraws it).
    VotePriorities {
        /// Accepted improvement items.
        item_ids: Vec<String>,
    },
    /// Facilitator: choose what the shared screen shows.
    ShowOnProjector {
        /// `play`, `results`, `adoption`, `briefing` or `poll`.
        view: ProjectorView,
        /// The poll to show, for `poll` (a released choice inject).
        #[serde(default)]
        inject_id: Option<String>,
    },
    /// Anyone identified: answered with `ack` once every push before it has been sent
    /// to this socket (a sync point for clients and tests).
    Ping,
}

/// A message after the handshake: what to do, and the client's id for it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClientMsg {
    /// What to do (the `type` and its fields).
    #[serde(flatten)]
    pub action: Action,
    /// A client-chosen id, echoed in the `ack` or `error` that answers the message
    /// (required for `respond`: sending an answer again with it is acked again and
    /// stored once).
    #[serde(default)]
    pub client_msg_id: Option<String>,
}

/// A text frame, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// The socket identifies itself.
    Hello(Hello),
    /// A message of an identified socket.
    Message(ClientMsg),
}

/// Why a frame was not accepted; nothing changed. Sent as `error` with this code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Refusal {
    /// Stable code: `malformed`, `invalid_message`, `unknown_type`, `not_identified`,
    /// `already_identified`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The frame's `client_msg_id`, when it had one.
    pub client_msg_id: Option<String>,
}

/// The tags a socket may send after the handshake, besides older names.
fn action_types() -> impl Iterator<Item = &'static str> {
    ActionType::iter().map(<&str>::from).chain(["resume"])
}

/// The tags that identify a socket.
fn hello_types() -> impl Iterator<Item = &'static str> {
    HelloType::iter().map(<&str>::from)
}

/// Every tag a client may send, handshake or not.
pub fn client_types() -> impl Iterator<Item = &'static str> {
    hello_types().chain(action_types())
}

/// Parses a text frame from a socket that is (`identified`) or is not yet bound to an
/// exercise. The frame is read once into the type it should be; only a refused frame is
/// looked at again, to say why.
pub fn parse(text: &str, identified: bool) -> Result<Incoming, Refusal> {
    let parsed = if identified {
        serde_json::from_str::<ClientMsg>(text).map(Incoming::Message)
    } else {
        serde_json::from_str::<Hello>(text).map(Incoming::Hello)
    };
    match parsed {
        Ok(Incoming::Message(ClientMsg { action: Action::Respond { .. }, client_msg_id: None })) => Err(Refusal {
            code: "invalid_message",
            message: "respond: missing field `client_msg_id`".into(),
            client_msg_id: None,
        }),
        Ok(incoming) => Ok(incoming),
        Err(e) => Err(why_refused(text, identified, &e)),
    }
}

fn why_refused(text: &str, identified: bool, error: &serde_json::Error) -> Refusal {
    let refusal = |code, message: String, client_msg_id| Refusal { code, message, client_msg_id };
    // Only a refused frame is read again, leniently, to say why.
    let frame: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return refusal("malformed", format!("not JSON: {e}"), None),
    };
    // Ids are echoed only on an identified socket: before the handshake there is no
    // command to tie an error to.
    let client_msg_id =
        frame.get("client_msg_id").and_then(serde_json::Value::as_str).filter(|_| identified).map(str::to_owned);
    let Some(kind) = frame.get("type").and_then(serde_json::Value::as_str) else {
        let message = "a message must be an object with a string \"type\"".into();
        return refusal("invalid_message", message, client_msg_id);
    };
    let (is_hello, is_action) = (hello_types().any(|t| t == kind), action_types().any(|t| t == kind));
    // serde says "… at line 1 column N" for a frame that is one line: the field is enough.
    let detail = error.to_string();
    let detail = detail.rsplit_once(" at line ").map_or(detail.as_str(), |(d, _)| d);
    match (identified, is_hello, is_action) {
        (_, false, false) => refusal("unknown_type", format!("unknown message type \"{kind}\""), client_msg_id),
        (false, true, _) | (true, _, true) => refusal("invalid_message", format!("{kind}: {detail}"), client_msg_id),
        (false, false, true) => {
            refusal("not_identified", "send join, resume, facilitate, observe or project first".into(), client_msg_id)
        }
        (true, true, false) => {
            refusal("already_identified", "this socket is already in an exercise".into(), client_msg_id)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// A valid message of each type, with the fields it needs. Exhaustive: a new
    /// message type does not compile until it has one here.
    fn sample(ty: ActionType) -> Value {
        let item = json!({"issue": "i", "corrective_action": "c", "capability": "planning"});
        match ty {
            ActionType::Start
            | ActionType::Pause
            | ActionType::ResumeClock
            | ActionType::End
            | ActionType::OpenSelfAssessment
            | ActionType::CloseSelfAssessment
            | ActionType::OpenAdoption
            | ActionType::CloseAdoption
            | ActionType::Ping => json!({}),
            ActionType::EditReport => json!({"executive_summary": "s", "marking": "TLP:AMBER"}),
            ActionType::VotePriorities => json!({"item_ids": ["i1"]}),
            ActionType::ShowOnProjector => json!({"view": "results"}),
            ActionType::Release | ActionType::Skip | ActionType::FireCondition | ActionType::CancelCondition => {
                json!({"inject_id": "a"})
            }
            ActionType::SetSpeed => json!({"speed": 60}),
            ActionType::Move => json!({"participant_id": ParticipantId::new(), "group_id": "risk"}),
            ActionType::MoveParticipants => json!({"participant_ids": [ParticipantId::new()], "group_id": "risk"}),
            ActionType::Rebalance => json!({}),
            ActionType::AssignScribe => json!({"participant_id": ParticipantId::new(), "group_id": "risk"}),
            ActionType::Announce => json!({"text": "t"}),
            ActionType::LockJoining | ActionType::UnlockJoining => json!({}),
            ActionType::OlderResponses => json!({"inject_id": "a", "before_seq": 10}),
            ActionType::RemoveParticipant => json!({"participant_id": ParticipantId::new()}),
            ActionType::Respond => json!({"inject_id": "a", "text": "t"}),
            ActionType::AddObserver => json!({"name": "n"}),
            ActionType::Note => json!({"text": "t"}),
            ActionType::RateObjective => json!({"objective_id": "o", "rating": "P"}),
            ActionType::ProposeImprovement => json!({"item": item}),
            ActionType::AcceptImprovement => json!({"item": item}),
            ActionType::DropImprovement => json!({"item_id": "x"}),
            ActionType::SelfAssess => json!({"scores": {"r1": 3}}),
        }
    }

    fn hello_sample(ty: HelloType) -> Value {
        let id = ExerciseId::new();
        match ty {
            HelloType::Join => json!({"join_code": "ABCD-EFGH", "name": "Awa"}),
            HelloType::Resume => json!({"resume_token": "t"}),
            HelloType::Project => json!({"join_code": "ABCD-EFGH"}),
            HelloType::Observe => json!({"exercise_id": id, "observer_key": "k"}),
            HelloType::Facilitate => json!({"exercise_id": id, "facilitator_key": "k"}),
        }
    }

    fn with_type(mut fields: Value, ty: &str) -> String {
        fields["type"] = ty.into();
        fields["client_msg_id"] = "c1".into();
        fields.to_string()
    }

    #[test]
    fn every_message_type_is_accepted_as_itself_and_documented() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/protocol.md")).unwrap();
        for ty in ActionType::iter() {
            let tag: &str = ty.into();
            let Ok(Incoming::Message(msg)) = parse(&with_type(sample(ty), tag), true) else {
                panic!("{tag} is not accepted after the handshake")
            };
            assert_eq!(ActionType::from(&msg.action), ty);
            assert_eq!(msg.client_msg_id.as_deref(), Some("c1"));
            assert!(doc.contains(&format!("\"type\":\"{tag}\"")), "docs/protocol.md does not list {tag}");
        }
        for ty in HelloType::iter() {
            let tag: &str = ty.into();
            let Ok(Incoming::Hello(hello)) = parse(&with_type(hello_sample(ty), tag), false) else {
                panic!("{tag} is not accepted as a handshake")
            };
            assert_eq!(HelloType::from(&hello), ty);
            assert!(doc.contains(&format!("\"type\":\"{tag}\"")), "docs/protocol.md does not list {tag}");
        }
    }

    #[test]
    fn resume_is_a_handshake_before_and_the_clock_after() {
        assert!(matches!(parse(r#"{"type":"resume","resume_token":"t"}"#, false), Ok(Incoming::Hello(_))));
        let Ok(Incoming::Message(msg)) = parse(r#"{"type":"resume"}"#, true) else { panic!("resume after") };
        assert_eq!(msg.action, Action::ResumeClock);
    }

    #[test]
    fn refusals_say_why_with_a_stable_code() {
        let code = |text: &str, identified| parse(text, identified).unwrap_err().code;
        assert_eq!(code("{not json", true), "malformed");
        assert_eq!(code("[1,2,3]", true), "invalid_message");
        assert_eq!(code(r#"{"type":7}"#, true), "invalid_message");
        assert_eq!(code(r#"{"type":"vote"}"#, true), "unknown_type");
        assert_eq!(code(r#"{"type":"start"}"#, false), "not_identified");
        assert_eq!(code(r#"{"type":"join","join_code":"X","name":"n"}"#, true), "already_identified");
        assert_eq!(code(r#"{"type":"release"}"#, true), "invalid_message");
        assert_eq!(code(r#"{"type":"respond","inject_id":"a","text":"t"}"#, true), "invalid_message");
        let refusal = parse(r#"{"type":"set_speed","speed":"fast","client_msg_id":"c9"}"#, true).unwrap_err();
        assert_eq!(refusal.client_msg_id.as_deref(), Some("c9"), "the id is echoed in the error");
        assert!(refusal.message.starts_with("set_speed: "), "{}", refusal.message);
        let before = parse(r#"{"type":"start","client_msg_id":"c9"}"#, false).unwrap_err();
        assert_eq!(before.client_msg_id, None, "nothing is echoed before the handshake");
    }
}
