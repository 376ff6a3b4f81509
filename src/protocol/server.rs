//! What the server sends: [`ServerMsg`], the welcome, and the views of injects,
//! answers, the clock and the roster. Serialized once per push and shared by every
//! socket it goes to.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evaluation::{
    AdoptionView, ImprovementView, NoteView, ObjectiveView, ObserverView, PublicResultsView, RatingView,
    ReportDraftView, ResultsView, SelfAssessmentView, ShowingView,
};
use super::room::{AttendanceView, BriefingView, MemberView, TallyView};
use crate::ids::{ExerciseId, ParticipantId};
use crate::scenario::{ResponseKind, Targets};

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
    /// Facilitator: the conditional injects' conditions, after a change to any of them.
    Conditions {
        /// Log position.
        seq: u64,
        /// Every conditional inject's condition, in scenario order.
        conditions: Vec<ConditionView>,
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
    /// Reply to `older_responses`: a page of older answers, in log order.
    OlderResponses {
        /// The inject.
        inject_id: String,
        /// The group (none: every group's, for the control room).
        #[serde(skip_serializing_if = "Option::is_none")]
        group_id: Option<String>,
        /// The answers, oldest first.
        responses: Vec<ResponseView>,
        /// Whether still older ones remain (ask again before the first's `seq`).
        more: bool,
    },
    /// Control room: joining was locked or unlocked.
    Joining {
        /// Log position.
        seq: u64,
        /// Whether new participants are refused.
        locked: bool,
    },
    /// Participant: you were removed from the exercise (the socket closes next).
    Removed {
        /// Log position.
        seq: u64,
        /// Who was removed.
        participant_id: ParticipantId,
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
    /// Projector and console: the results as shown outside the console (aggregates
    /// only, no cell under three raters).
    PublicResults(PublicResultsView),
    /// Facilitator and observers: the executive summary or marking changed.
    ReportDraft(ReportDraftView),
    /// Everyone: the adoption board changed (participants: no vote counts).
    Adoption(AdoptionView),
    /// Projector and console: what the shared screen shows now.
    Showing(ShowingView),
    /// Control room: a poll's tally changed (projector: only while it shows the poll).
    Tally(TallyView),
    /// Participants of a group (and the control room): who is in the group now and who
    /// its scribe is.
    GroupMembers {
        /// Log position.
        seq: u64,
        /// The group.
        group_id: String,
        /// Members in join order: the first [`super::room::MAX_LISTED_MEMBERS`] (the
        /// scribe always among them).
        members: Vec<MemberView>,
        /// The group has more members than `members` lists.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        more: bool,
    },
    /// Projector and control room: how many have joined, per group.
    Attendance(AttendanceView),
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
    /// The facilitator removed a participant: they leave the roster.
    Removed,
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
    /// Facilitator, observers and projector, when the server has `--public-url`: the base
    /// of every link the page shows (join link, QR code, observer links); absent, the page
    /// uses its own origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// Facilitator: every group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupView>>,
    /// Facilitator: the whole inject plan with status, notes and expected actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Vec<PlannedInject>>,
    /// Facilitator: everyone who joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<Vec<ParticipantView>>,
    /// Facilitator and observers: the scenario's sectors (the roster's `sector` ids), when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sectors: Option<Vec<SectorView>>,
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
    /// Facilitator and observers: every evaluator's current rating of each objective.
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
    /// Projector and console: the results as shown outside the console.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_results: Option<PublicResultsView>,
    /// Facilitator and observers: the executive summary and marking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportDraftView>,
    /// The adoption board (participants: once opened; no vote counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionView>,
    /// Projector and console: what the shared screen shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub showing: Option<ShowingView>,
    /// Participant: the lobby's briefing and the group's members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub briefing: Option<BriefingView>,
    /// Projector and control room: how many have joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance: Option<AttendanceView>,
    /// Control room: every released poll's tally.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tallies: Option<Vec<TallyView>>,
    /// Control room: each group's members and scribe, by group id (group answer mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scribes: Option<BTreeMap<String, ParticipantId>>,
    /// Control room: whether joining is locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joining_locked: Option<bool>,
    /// Per (inject, group), how many older answers `responses` leaves out (fetch them
    /// with `older_responses`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub older_responses: Vec<OlderResponses>,
}

/// Older answers a welcome leaves out for one inject and group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OlderResponses {
    /// The inject.
    pub inject_id: String,
    /// The group.
    pub group_id: String,
    /// How many answers are older than those carried.
    pub count: usize,
    /// Ask for answers stored before this log position.
    pub before_seq: u64,
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
    /// The organisation you speak for, as the room spells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Your sector id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
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
    /// The breakout room it meets in ("Breakout room 5", or the scenario's name).
    pub breakout_room: String,
}

/// The play clock as shown; clients tick locally from `play_ms` at `wall_ms` × `speed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockView {
    /// Log position of the last clock change (0 before any).
    pub seq: u64,
    /// Lobby, running, paused or ended.
    pub state: ClockState,
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
    /// The answer window in play ms, if the inject has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respond_within_ms: Option<u64>,
    /// The play time by which groups are due to answer (release + window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_play_ms: Option<u64>,
    /// Handouts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentView>,
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

/// A handout of an inject as a reader gets it: a text, a link, or a file with its
/// capability link (see `exercise::files`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttachmentView {
    /// Label (may be empty for a file with a caption).
    pub title: String,
    /// Inline text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A link as authored (shown as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file, when the handout is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileView>,
    /// Shown under the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// What the file shows, for screen readers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// An attachment file: where to fetch it and how to show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileView {
    /// The link for this reader (`/files/…?k=…`).
    pub src: String,
    /// `image`, `audio` or `pdf`.
    pub kind: &'static str,
    /// Media type, e.g. `image/svg+xml`.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
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
    /// Handouts, with the control room's file links (seen before release).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentView>,
    /// `pending`, `released` or `skipped`.
    pub status: &'static str,
    /// Play time of the release or skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_play_ms: Option<u64>,
    /// What releases it, for a conditional inject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionView>,
}

/// Facilitator: a conditional inject's condition and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionView {
    /// The conditional inject.
    pub inject_id: String,
    /// The condition in plain words.
    pub words: String,
    /// `armed` (waiting), `fired`, `cancelled`, or `overtaken` (the inject was
    /// released or skipped by hand first).
    pub status: &'static str,
    /// Fired by the facilitator.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub manual: bool,
    /// Play time it fired or was cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_play_ms: Option<u64>,
    /// Armed: the play time at which it holds unless a group acts first (a countdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_play_ms: Option<u64>,
    /// Armed: it can no longer hold (only Fire now or a release by hand sends it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub never: bool,
    /// Its parts (one for a simple condition), each with what it waits for.
    pub parts: Vec<ConditionPart>,
}

/// One part of a condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionPart {
    /// The part in plain words.
    pub words: String,
    /// `holds`, `waiting` (for groups or a release), `counting` (holds at `due_play_ms`)
    /// or `never`.
    pub state: &'static str,
    /// For `counting`: the play time it holds at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_play_ms: Option<u64>,
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
    /// The answer (may be empty beside a poll's options).
    pub text: String,
    /// A poll's chosen option ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// A member's contribution, not the group's answer (group answer mode).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contribution: bool,
    /// Its author was removed from the exercise by the facilitator.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    /// Stored after the inject's answer window closed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub late: bool,
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
    /// The organisation they speak for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Their sector id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Their email (control room only; when the scenario asks for one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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

/// Where the exercise is in its life, as clients see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Participants may join; the clock has not started.
    Lobby,
    /// The clock runs.
    Running,
    /// The clock is stopped; it resumes where it was.
    Paused,
    /// Over.
    Ended,
}

/// `GET /api/join/{code}`: what the join form offers before anyone has joined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JoinInfo {
    /// The scenario's title.
    pub title: String,
    /// The sectors a participant may choose (empty: the form does not ask).
    pub sectors: Vec<SectorView>,
    /// Organisations already named in this exercise, to suggest (first named first).
    pub organisations: Vec<String>,
    /// When participants pick their group: the groups with their member counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupChoice>>,
    /// The form asks for an email (for the breakout assignment).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ask_email: bool,
}

/// A group the join form offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupChoice {
    /// Group id, sent back in `join`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Focus.
    pub focus: String,
    /// Members so far.
    pub members: usize,
}

/// A sector of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorView {
    /// Sector id, sent back in `join`.
    pub id: String,
    /// What participants read.
    pub label: String,
}
