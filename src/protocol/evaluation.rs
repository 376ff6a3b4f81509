//! The evaluation on the wire: observers, notes, P/S/M/U ratings, the improvement plan
//! and the self-assessment, as the console and the participant page see them. The
//! value types here are the wire's own (the core's are in `exercise::evaluation`,
//! converted in `exercise::wire`), so a change in the core does not silently change
//! what clients read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::ObserverId;

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
    /// `strength` or `area_for_improvement`; absent: an observation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<NoteCategory>,
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
    /// Who rated it (a later rating by the same author replaces theirs; other
    /// evaluators' ratings stand beside it).
    pub author: Author,
    /// The facilitator's rating is the consensus.
    pub consensus: bool,
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
    /// `group` (your group's statements) or `profile` (your organisation, every domain).
    pub mode: &'static str,
    /// Score and meaning, 1 to 5 (the scenario's level descriptions).
    pub scale: Vec<ScaleStep>,
    /// The statements you rate, each with its domain (group id), in file order.
    pub statements: Vec<StatementView>,
    /// Profile mode: the domains, in order (one screen each on a phone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<DomainView>,
    /// Welcome only: your scores so far, by statement id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<BTreeMap<String, u8>>,
    /// Welcome only: the statements you answered "don't know".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine_dont_know: Option<Vec<String>>,
    /// Profile mode, once closed: your take-away (your organisation's profile, or your
    /// own answers, next to the room's). Only ever sent to you.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takeaway: Option<Box<TakeawayView>>,
}

/// A participant's take-away from a closed profile self-assessment: their
/// organisation's profile (or, below three raters, their own answers) next to the
/// room's, drawn, and as a one-page HTML document to keep. A cell of fewer than three
/// raters never has a figure here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TakeawayView {
    /// The domains, in order; every row's `means` follow it.
    pub domains: Vec<DomainView>,
    /// The organisation you gave when joining, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Your organisation's row, or your own answers when it has fewer than three raters
    /// (or you gave none).
    pub yours: TakeawayRow,
    /// The room's row (withheld below three raters).
    pub room: TakeawayRow,
    /// The two rows as a radar (SVG document; show it as an image).
    pub radar: String,
    /// A complete, self-contained one-page HTML document of the take-away.
    pub html: String,
    /// A file name for the HTML document.
    pub file_name: String,
}

/// One row of a take-away.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TakeawayRow {
    /// Whose figures these are.
    pub kind: TakeawayKind,
    /// What to show.
    pub label: String,
    /// Raters in the row (1 or 0 for your own answers).
    pub n: usize,
    /// One per domain, 1–5 rounded to two decimals; null without a figure (no score, or
    /// fewer than three raters in that domain).
    pub means: Vec<Option<f64>>,
    /// The whole row is withheld: fewer than three raters.
    pub withheld: bool,
}

/// Whose figures a take-away row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TakeawayKind {
    /// The participant's organisation (three raters or more).
    Organisation,
    /// The participant's own answers (their domain means).
    #[serde(rename = "self")]
    OwnAnswers,
    /// Everyone who rated.
    Room,
}

/// A self-assessment statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementView {
    /// Statement id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// Its domain (group id).
    pub domain: String,
}

/// A domain of a profile: a group id and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainView {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
}

/// One step of the 1–5 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleStep {
    /// The score.
    pub score: u8,
    /// What it means.
    pub label: String,
}

/// A maturity profile: the room, each sector and each organisation, per domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileView {
    /// The domains, in order; every row's `cells` follow it.
    pub domains: Vec<DomainView>,
    /// The room.
    pub overall: ProfileRowView,
    /// Per sector (scenario order; then "no sector given").
    pub sectors: Vec<ProfileRowView>,
    /// Per organisation (first named first).
    pub organisations: Vec<ProfileRowView>,
}

/// One row of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRowView {
    /// Sector id or organisation name; null for the room or "no sector given".
    pub id: Option<String>,
    /// What to show.
    pub label: String,
    /// Participants who scored at least one statement.
    pub raters: usize,
    /// One per domain.
    pub cells: Vec<CellView>,
}

/// One domain of one profile row: the mean of its raters' domain scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CellView {
    /// Mean, 1–5 (null without raters, or withheld below three raters outside the console).
    pub mean: Option<f64>,
    /// Lowest rater's domain score.
    pub min: Option<f64>,
    /// Highest rater's domain score.
    pub max: Option<f64>,
    /// Raters with a score in the domain.
    pub n: usize,
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
    /// Profile mode: the maturity profile, every cell with its `n` (this view is the
    /// console's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileView>,
    /// Profile mode: the profile drawn by the server, as SVG documents (show them as
    /// images: `data:image/svg+xml,…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charts: Option<ProfileCharts>,
}

/// A profile's charts, as SVG documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileCharts {
    /// Radar of the room per domain.
    pub radar: String,
    /// The room and each sector × the domains (none without sectors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heatmap: Option<String>,
}

/// How well an objective was met (HSEEP's P/S/M/U): the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

/// The capability element an improvement belongs to (POETE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Plans, policies, procedures.
    Planning,
    /// Structures, roles, staffing.
    Organisation,
    /// Systems, tools, supplies.
    Equipment,
    /// Training and awareness.
    Training,
    /// Exercising and testing.
    Exercise,
}

/// One line of the improvement plan, as sent and shown. Unknown fields are refused, so
/// a client's typo is an error rather than a field silently left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImprovementItem {
    /// What went wrong or is missing.
    pub issue: String,
    /// What will be done about it.
    pub corrective_action: String,
    /// The resilience domain (group id); in a group's proposal the server fills in the
    /// proposer's group.
    #[serde(default)]
    pub group_id: String,
    /// Planning, organisation, equipment, training or exercise.
    pub capability: Capability,
    /// The organisation responsible.
    #[serde(default)]
    pub responsible_org: String,
    /// The person or role who owns it.
    #[serde(default)]
    pub owner: String,
    /// Due date, the plan's completion date, `YYYY-MM-DD` (may be empty).
    #[serde(default)]
    pub due: String,
    /// Start date, `YYYY-MM-DD` (may be empty).
    #[serde(default)]
    pub start: String,
    /// `high`, `medium` or `low`; absent or null when not decided.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// The plan's status column: `not_started`, `in_progress`, `complete` or
    /// `cancelled`; absent or null when not known.
    #[serde(default)]
    pub progress: Option<Progress>,
}

/// An improvement item's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Do first.
    High,
    /// Do soon.
    Medium,
    /// Do when possible.
    Low,
}

/// Where an improvement item's work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Not started.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Complete,
    /// Given up.
    Cancelled,
}

/// Who wrote a note: `{"role": "facilitator"}` or `{"role": "observer", "observer_id"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Author {
    /// The facilitator.
    Facilitator,
    /// An observer.
    Observer {
        /// Which one.
        observer_id: ObserverId,
    },
}

/// Where an improvement-plan item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Proposed by a group, not yet accepted.
    Proposed,
    /// In the plan.
    Accepted,
    /// Left out of the plan.
    Dropped,
}

/// Whether participants can rate their statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfAssessmentPhase {
    /// Not opened yet.
    NotOpened,
    /// Open for scores.
    Open,
    /// Closed; the scores stand.
    Closed,
}

/// The scores one statement received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementResult {
    /// Statement id.
    pub statement_id: String,
    /// The statement.
    pub text: String,
    /// How many participants rated it.
    pub count: usize,
    /// Mean score (none before the first rating).
    pub mean: Option<f64>,
    /// Lowest score given.
    pub min: Option<u8>,
    /// Highest score given.
    pub max: Option<u8>,
    /// How many gave 1, 2, 3, 4 and 5.
    pub histogram: [usize; 5],
}

/// One group's self-assessment results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Participants of the group who rated at least one statement.
    pub raters: usize,
    /// Mean over all the group's scores.
    pub mean: Option<f64>,
    /// Per statement, in file order.
    pub statements: Vec<StatementResult>,
}

/// The report's parts the facilitator writes in the console (facilitator and observers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDraftView {
    /// Log position of the latest change.
    pub seq: u64,
    /// The executive summary as written so far.
    pub executive_summary: String,
    /// The handling marking the report carries.
    pub marking: String,
    /// The scenario's marking (what an empty `marking` in `edit_report` goes back to).
    pub default_marking: String,
}

/// Whether the adoption board takes votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionPhase {
    /// Not opened yet.
    NotOpened,
    /// Participants can vote.
    Open,
    /// Closed; the votes stand.
    Closed,
}

/// The adoption board: the accepted improvement items by domain and responsible
/// organisation, and the priority votes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdoptionView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Not opened, open or closed.
    pub state: AdoptionPhase,
    /// The most items one participant may choose.
    pub max_votes: usize,
    /// Accepted items, by domain (scenario order) then responsible organisation.
    pub items: Vec<AdoptionItemView>,
    /// Participants who voted (staff and projector only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voters: Option<usize>,
    /// Welcome of a participant only: the items they chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<Vec<String>>,
}

/// An accepted improvement item on the adoption board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdoptionItemView {
    /// Item id.
    pub item_id: String,
    /// Domain: group id.
    pub group_id: String,
    /// Domain: group name.
    pub group_name: String,
    /// What went wrong or is missing.
    pub issue: String,
    /// What will be done.
    pub corrective_action: String,
    /// The organisation responsible (may be empty).
    pub responsible_org: String,
    /// Votes for it (staff and projector only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes: Option<usize>,
}

/// What the shared screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectorView {
    /// The join code, the clock, the released injects' titles.
    Play,
    /// The self-assessment's results: aggregates only, no cell under three raters.
    Results,
    /// The adoption board with the votes.
    Adoption,
    /// The briefing slide: title, objectives, groups with member counts, join code.
    Briefing,
    /// A poll's results as a bar chart (`inject_id` names the poll).
    Poll,
}

/// What the shared screen shows, and the public results it needs (projector, and the
/// console to preview it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShowingView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Play, results, adoption, briefing or poll.
    pub view: ProjectorView,
    /// The poll shown, for `poll`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inject_id: Option<String>,
    /// The poll's tally, for `poll`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tally: Option<super::room::TallyView>,
}

/// The self-assessment's results as anyone outside the console may see them: the room
/// and the sectors (no organisation), every cell under three raters withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicResultsView {
    /// Log position of the latest change.
    pub seq: u64,
    /// Not opened, open or closed.
    pub state: SelfAssessmentPhase,
    /// Participants who rated at least one statement.
    pub raters: usize,
    /// Profile mode: the room and the sectors, per domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileView>,
    /// Profile mode: the charts of those figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charts: Option<ProfileCharts>,
    /// Group mode: per group, the mean (withheld under three raters).
    pub groups: Vec<PublicGroupResult>,
}

/// One group's self-assessment as shown outside the console.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicGroupResult {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Participants of the group who rated.
    pub raters: usize,
    /// Mean over the group's scores; null under three raters.
    pub mean: Option<f64>,
}

/// What a note says about performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCategory {
    /// Something that went well.
    Strength,
    /// Something to improve.
    AreaForImprovement,
}
