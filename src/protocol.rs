//! The websocket protocol: JSON text frames, each an object with a `"type"`.
//!
//! A socket first identifies itself with a [`Hello`]; after the server's `welcome`,
//! it sends [`ClientMsg`]s. The server sends [`ServerMsg`]s. docs/protocol.md is the
//! reference for clients; keep the two in step (extend, never rename).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exercise::clock::Phase;
use crate::ids::{ExerciseId, ParticipantId};
use crate::scenario::{Attachment, ResponseKind, Targets};

/// The first message on a socket: who is this?
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    },
    /// A participant comes back with the token from their first `welcome`.
    Resume {
        /// The resume token.
        resume_token: String,
        /// Highest `seq` the client already has; only newer items are sent.
        #[serde(default)]
        last_seq: Option<u64>,
    },
    /// The shared screen: a read-only public view by join code (no questions, no notes).
    Project {
        /// The join code shown on the shared screen.
        join_code: String,
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
    },
}

/// A message after the handshake.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Facilitator: start the play clock.
    Start,
    /// Facilitator: pause the play clock.
    Pause,
    /// Facilitator: resume the play clock.
    Resume,
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
        /// The answer.
        text: String,
        /// A client-chosen id; sending it again is acked again and stored once.
        client_msg_id: String,
    },
}

/// Every `type` a client may send, handshake or not (to tell unknown from malformed).
pub const CLIENT_TYPES: &[&str] = &[
    "join",
    "resume",
    "project",
    "facilitate",
    "start",
    "pause",
    "release",
    "skip",
    "set_speed",
    "move",
    "announce",
    "end",
    "respond",
];

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Answer to a `Hello`: who you are and what you may see so far.
    Welcome(Box<Welcome>),
    /// An inject released to you.
    Inject(InjectView),
    /// Facilitator: an inject was skipped.
    InjectSkipped {
        /// Log position.
        seq: u64,
        /// The inject.
        inject_id: String,
        /// Play time of the skip.
        play_ms: u64,
    },
    /// An answer from your group (facilitator: from any group).
    Response(ResponseView),
    /// Your answer is stored; `seq` is its place in the log.
    Ack {
        /// The id you sent.
        client_msg_id: String,
        /// Log position of the stored answer.
        seq: u64,
    },
    /// The play clock changed.
    Clock(ClockView),
    /// Facilitator: the roster changed.
    Participant {
        /// Log position.
        seq: u64,
        /// `joined` or `moved`.
        change: RosterChange,
        /// The participant as they are now.
        participant: ParticipantView,
    },
    /// You were moved: your new group and everything it has received.
    Moved {
        /// Log position.
        seq: u64,
        /// The new group.
        group: GroupView,
        /// Injects released to the new group.
        injects: Vec<InjectView>,
        /// The new group's answers.
        responses: Vec<ResponseView>,
    },
    /// A message from the facilitator to everyone.
    Announcement(AnnouncementView),
    /// Projector: how many of an inject's target groups have answered it.
    Progress(ProgressView),
    /// A refused or malformed message; nothing changed.
    Error {
        /// Stable code, e.g. `forbidden`, `malformed`.
        code: String,
        /// Human-readable explanation.
        message: String,
        /// Set when the refused message was a `respond`.
        #[serde(skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<String>,
    },
}

/// Roster change kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterChange {
    /// A new participant.
    Joined,
    /// A participant changed group.
    Moved,
}

/// The role a socket plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireRole {
    /// A breakout-group member.
    Participant,
    /// The facilitator.
    Facilitator,
    /// The shared screen.
    Projector,
}

/// What a socket may see right after its handshake.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Welcome {
    /// Participant or facilitator.
    pub role: WireRole,
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// Scenario id, title and summary.
    pub scenario: ScenarioInfo,
    /// Highest log position included; later pushes have larger `seq`.
    pub last_seq: u64,
    /// The play clock now.
    pub clock: ClockView,
    /// Participant: who you are (keep `resume_token` to reconnect).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub you: Option<You>,
    /// Participant: your group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupView>,
    /// Facilitator and projector: the join code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_code: Option<String>,
    /// Facilitator: every group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupView>>,
    /// Facilitator: the whole inject plan with status, notes and expected actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Vec<PlannedInject>>,
    /// Facilitator: everyone who joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<Vec<ParticipantView>>,
    /// Injects released to you, newer than the `last_seq` you sent.
    pub injects: Vec<InjectView>,
    /// Answers you may see, newer than the `last_seq` you sent.
    pub responses: Vec<ResponseView>,
    /// Announcements newer than the `last_seq` you sent.
    pub announcements: Vec<AnnouncementView>,
    /// Projector: answered-group counts per released inject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Vec<ProgressView>>,
}

/// How many target groups have answered an inject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressView {
    /// Log position of the latest answer counted (or of the release).
    pub seq: u64,
    /// The inject.
    pub inject_id: String,
    /// Target groups with at least one answer.
    pub groups_answered: usize,
    /// Target groups in all.
    pub groups_targeted: usize,
}

/// Scenario headline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioInfo {
    /// Scenario id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Planned duration in minutes.
    pub duration_minutes: u32,
}

/// The participant's own identity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct You {
    /// Participant id.
    pub participant_id: ParticipantId,
    /// Display name.
    pub name: String,
    /// Secret for `resume`.
    pub resume_token: String,
}

/// A group as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Focus.
    pub focus: String,
}

/// The play clock as shown; clients tick locally from `play_ms` at `wall_ms` × `speed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockView {
    /// Log position of the last clock change (0 before any).
    pub seq: u64,
    /// Lobby, running, paused or ended.
    pub state: Phase,
    /// Play time at `wall_ms`.
    pub play_ms: u64,
    /// Server wall time of this reading (ms since the Unix epoch).
    pub wall_ms: u64,
    /// Speed.
    pub speed: f64,
}

/// An inject as a receiver sees it: participants get only their group's questions and
/// no facilitator-only fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InjectView {
    /// Log position of the release.
    pub seq: u64,
    /// Inject id.
    pub inject_id: String,
    /// Headline.
    pub title: String,
    /// Text.
    pub body: String,
    /// Simulated originator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Delivery channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Participant: questions for their group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<String>>,
    /// Facilitator: questions per group id (`all` for every group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions_by_group: Option<BTreeMap<String, Vec<String>>>,
    /// How to answer.
    pub response: ResponseKind,
    /// Handouts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Play time of the release.
    pub play_ms: u64,
    /// Wall time of the release.
    pub wall_ms: u64,
    /// Facilitator: the groups it went to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Targets>,
    /// Facilitator: released by hand (true) or by the clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual: Option<bool>,
}

/// Facilitator: one inject of the plan, with its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedInject {
    /// Inject id.
    pub inject_id: String,
    /// Scheduled play time; absent for contingency injects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<u64>,
    /// Headline.
    pub title: String,
    /// Text.
    pub body: String,
    /// Target groups.
    pub targets: Targets,
    /// Questions per group id.
    pub questions_by_group: BTreeMap<String, Vec<String>>,
    /// Objectives served.
    pub objectives: Vec<String>,
    /// Expected player actions.
    pub expected_actions: Vec<String>,
    /// Controller notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facilitator_notes: Option<String>,
    /// `pending`, `released` or `skipped`.
    pub status: &'static str,
    /// Play time of the release or skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_play_ms: Option<u64>,
}

/// An answer as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseView {
    /// Log position.
    pub seq: u64,
    /// The group it answers for.
    pub group_id: String,
    /// The inject answered.
    pub inject_id: String,
    /// Author id.
    pub participant_id: ParticipantId,
    /// Author name.
    pub participant_name: String,
    /// The answer.
    pub text: String,
    /// Play time when stored.
    pub play_ms: u64,
    /// Wall time when stored.
    pub wall_ms: u64,
}

/// A roster entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantView {
    /// Participant id.
    pub participant_id: ParticipantId,
    /// Name.
    pub name: String,
    /// Current group.
    pub group_id: String,
}

/// An announcement as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnouncementView {
    /// Log position.
    pub seq: u64,
    /// Text.
    pub text: String,
    /// Play time.
    pub play_ms: u64,
}
