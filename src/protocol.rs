//! The websocket protocol: JSON text frames, each an object with a `"type"`.
//!
//! A socket first identifies itself with a [`Hello`]; after the server's `welcome`,
//! it sends [`ClientMsg`]s. The server sends [`ServerMsg`]s. docs/protocol.md is the
//! reference for clients; keep the two in step (extend, never rename).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exercise::clock::Phase;
use crate::exercise::evaluation::{Author, GroupResult, ImprovementItem, ItemStatus, Rating, SelfAssessmentPhase};
use crate::ids::{ExerciseId, ObserverId, ParticipantId};
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
        /// Echoed in the `ack` once stored.
        #[serde(default)]
        client_msg_id: Option<String>,
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
        /// Echoed in the `ack` once stored.
        #[serde(default)]
        client_msg_id: Option<String>,
    },
    /// Participant: propose an improvement-plan item for the group.
    ProposeImprovement {
        /// The item (`group_id` is ignored: it is the sender's group).
        item: ImprovementItem,
        /// Echoed in the `ack` once stored.
        #[serde(default)]
        client_msg_id: Option<String>,
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
        scores: BTreeMap<String, u8>,
        /// Echoed in the `ack` once stored.
        #[serde(default)]
        client_msg_id: Option<String>,
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
    "observe",
    "add_observer",
    "note",
    "rate_objective",
    "propose_improvement",
    "accept_improvement",
    "drop_improvement",
    "open_self_assessment",
    "close_self_assessment",
    "self_assess",
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
        /// The new group's improvement items.
        improvements: Vec<ImprovementView>,
        /// The new group's self-assessment, with your scores (absent: none for the group).
        #[serde(skip_serializing_if = "Option::is_none")]
        self_assessment: Option<SelfAssessmentView>,
    },
    /// A message from the facilitator to everyone.
    Announcement(AnnouncementView),
    /// Projector: how many of an inject's target groups have answered it.
    Progress(ProgressView),
    /// Facilitator: an observer was added (with their key; observers get no keys).
    Observer(ObserverView),
    /// Facilitator and observers: a note was taken.
    Note(NoteView),
    /// Facilitator and observers: an objective was rated.
    Rating(RatingView),
    /// An improvement-plan item changed (participants: their group's items only).
    Improvement(ImprovementView),
    /// Participant: the self-assessment opened or closed, with your group's statements.
    SelfAssessment(SelfAssessmentView),
    /// Facilitator and observers: self-assessment results per group.
    SelfAssessmentResults(ResultsView),
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
    /// An observer (evaluator): the facilitator's view, read-only, plus notes.
    Observer,
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
    /// Observer: who you are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observer: Option<ObserverView>,
    /// Facilitator (with keys) and observers (without): every observer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observers: Option<Vec<ObserverView>>,
    /// Facilitator and observers: the scenario's objectives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objectives: Option<Vec<ObjectiveView>>,
    /// Facilitator and observers: every note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<NoteView>>,
    /// Facilitator and observers: the current rating of each rated objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratings: Option<Vec<RatingView>>,
    /// Improvement-plan items (participants: their group's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub improvements: Option<Vec<ImprovementView>>,
    /// Participant: the self-assessment for your group, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessmentView>,
    /// Facilitator and observers: self-assessment results, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_assessment_results: Option<ResultsView>,
}

/// An observer as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObserverView {
    /// Observer id.
    pub observer_id: ObserverId,
    /// Name.
    pub name: String,
    /// Facilitator only: the key to hand them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// An objective of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveView {
    /// Objective id.
    pub id: String,
    /// The objective.
    pub text: String,
}

/// A note as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteView {
    /// Log position.
    pub seq: u64,
    /// Note id.
    pub note_id: String,
    /// Who took it.
    pub author: Author,
    /// Their name (`Facilitator` or the observer's name).
    pub author_name: String,
    /// The inject it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inject_id: Option<String>,
    /// The objective it bears on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective_id: Option<String>,
    /// The group it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// The note.
    pub text: String,
    /// Play time.
    pub play_ms: u64,
    /// Wall time.
    pub wall_ms: u64,
}

/// An objective's current rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingView {
    /// Log position.
    pub seq: u64,
    /// The objective.
    pub objective_id: String,
    /// P, S, M or U.
    pub rating: Rating,
    /// Who rated it.
    pub author_name: String,
    /// What went well.
    pub strengths: String,
    /// What to improve.
    pub areas_for_improvement: String,
}

/// An improvement-plan item as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImprovementView {
    /// Log position of its latest change.
    pub seq: u64,
    /// Item id.
    pub item_id: String,
    /// Proposed, accepted or dropped.
    pub status: ItemStatus,
    /// The item.
    pub item: ImprovementItem,
    /// Name of the participant who proposed it, when a group did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed_by: Option<String>,
}

/// The self-assessment as one participant sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfAssessmentView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Not opened, open or closed.
    pub state: SelfAssessmentPhase,
    /// What to read before rating.
    pub intro: String,
    /// The statements are examples to adapt.
    pub example: bool,
    /// Score and meaning, 1 to 5.
    pub scale: Vec<ScaleStep>,
    /// Your group's statements.
    pub statements: Vec<ObjectiveView>,
    /// Welcome only: your scores so far, by statement id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<BTreeMap<String, u8>>,
}

/// One step of the 1–5 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleStep {
    /// The score.
    pub score: u8,
    /// What it means.
    pub label: &'static str,
}

/// Self-assessment results for the facilitator and observers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultsView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Not opened, open or closed.
    pub state: SelfAssessmentPhase,
    /// Per group with statements.
    pub groups: Vec<GroupResult>,
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
    /// The inject asks for improvement-plan items (show the proposal form).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub collect_improvements: bool,
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
