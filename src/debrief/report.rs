//! The after-action report (AAR/IP): what every export format prints, built from the log.
//!
//! [`Report::from_log`] replays a stored log through the same `apply` as the live
//! exercise and arranges it the way practitioners read an after-action report: overview,
//! the injects in release order with every target group's answers side by side, the
//! analysis per objective (P/S/M/U rating, strengths, areas for improvement, notes), the
//! self-assessment, Appendix A (improvement plan) and Appendix B (participants).
//!
//! Deterministic: no clock reads and no random ids; every time and id comes from the
//! log, so one log always gives one report. Secrets (facilitator key, resume tokens,
//! observer keys, the join code) are never copied into it.
//!
//! A report is in one [`Lang`] (the scenario's unless asked otherwise): the few fixed
//! words its data carries — what a rating letter means, the facilitator's name in
//! notes and ratings, "All participants" and "No sector given", the non-attribution
//! statement, the default scale's levels — are in it, so the JSON export reads like
//! the document. Machine values (`status`, `capability`, `priority`, `author_role`…)
//! stay the same words in every language.

mod build;
mod responses;
mod summary;

use serde::Serialize;

use crate::events::Recorded;
use crate::exercise::evaluation::{
    AdoptionPhase, Capability, GroupResult, ItemStatus, NoteCategory, Priority, Progress, SelfAssessmentPhase,
};
use crate::exercise::state::InvalidLog;
use crate::ids::{ExerciseId, ParticipantId};
use crate::lang::Lang;
pub use crate::scenario::Attribution;
pub use responses::{
    DEFINITION as RESPONSES_DEFINITION, GridCell, GridInject, GroupResponses, ResponseCounts, ResponseGrid,
    ResponseStatus, definition as responses_definition,
};
pub use summary::{
    Cover, DomainMaturity, ExecutiveSummary, FirstAnswer, KeyFigures, NON_ATTRIBUTION, ObjectiveRatingFigure, TopItem,
    non_attribution,
};

/// The whole after-action report of one exercise.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The language of the report's fixed words: `fr`, or absent for English (as in
    /// reports made before there was a choice).
    #[serde(skip_serializing_if = "Lang::is_default")]
    pub language: Lang,
    /// Whom answers are attributed to: `names`, or `group` (no participant's name or id
    /// anywhere in the report; participants are counted).
    pub attribution: Attribution,
    /// The cover: title, organiser, venue, date, handling marking, non-attribution.
    pub cover: Cover,
    /// The facilitator's summary and the key figures.
    pub executive_summary: ExecutiveSummary,
    /// Exercise overview.
    pub overview: Overview,
    /// Released injects, in release order, with every target group's answers.
    pub injects: Vec<InjectReport>,
    /// Groups × released injects: answered on time, late, not answered, not sent.
    pub responses: ResponseGrid,
    /// Injects the facilitator skipped, in the order they were skipped.
    pub skipped: Vec<SkippedInject>,
    /// Analysis per objective, in scenario order.
    pub objectives: Vec<ObjectiveAnalysis>,
    /// Notes tied to no released inject and no objective.
    pub general_notes: Vec<NoteReport>,
    /// Self-assessment results, when the scenario has one.
    pub self_assessment: Option<SelfAssessmentReport>,
    /// Per domain (group): strengths and areas for improvement from the notes tagged to
    /// it, its improvement items and its maturity.
    pub domains: Vec<DomainReport>,
    /// Appendix A: accepted items first, then proposed ones; dropped items left out.
    pub improvement_plan: Vec<PlanItem>,
    /// The adoption board's votes (the 12:00 session), when it was opened.
    pub adoption: Option<AdoptionReport>,
    /// Appendix B: participants by group (names only when attributed by name).
    pub participants: Vec<GroupParticipants>,
    /// Who was in the room: participants per sector of the scenario (with a line for
    /// those who named none), in scenario order. Counts, never names.
    pub sectors: Vec<SectorCount>,
    /// Organisations named by participants, first named first, with how many spoke for
    /// each. Counts, never names.
    pub organisations: Vec<OrganisationCount>,
    /// Observers (evaluators) by name.
    pub observers: Vec<String>,
}

/// Whether play is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// The exercise has not ended: the report is a snapshot.
    InProgress,
    /// The facilitator ended the exercise.
    Ended,
}

/// Exercise overview: what, when, how long, who.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title.
    pub title: String,
    /// Scenario summary.
    pub summary: String,
    /// Date the exercise was played, `YYYY-MM-DD` (UTC): of the clock's start, or of the
    /// creation while it has not started.
    pub date: String,
    /// When the exercise was created, RFC 3339 UTC.
    pub created_at_utc: String,
    /// When the facilitator started the clock, RFC 3339 UTC (none before the start).
    pub started_at_utc: Option<String>,
    /// When the exercise ended, RFC 3339 UTC.
    pub ended_at_utc: Option<String>,
    /// Wall time of the last event in the log, RFC 3339 UTC: the report is as of then.
    pub as_of_utc: String,
    /// Sequence number of the last event in the log.
    pub as_of_seq: u64,
    /// Planned play duration, minutes.
    pub planned_duration_minutes: u32,
    /// Play time actually played (at the end, or at the last event), ms.
    pub play_ms: u64,
    /// The same as `T+mm:ss`.
    pub play_time: String,
    /// `in_progress` unless the exercise ended.
    pub phase: ReportStatus,
    /// The scenario's groups with how many participants each has.
    pub groups: Vec<GroupSize>,
    /// Participants in all groups.
    pub participant_count: usize,
    /// The scenario's objectives.
    pub objectives: Vec<ObjectiveRef>,
}

/// A group and its size.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSize {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Participants currently in it.
    pub participants: usize,
}

/// An objective as written in the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRef {
    /// Objective id.
    pub id: String,
    /// The objective.
    pub text: String,
}

/// A group, by id and name.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRef {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
}

/// A released inject with the answers it drew.
#[derive(Debug, Clone, Serialize)]
pub struct InjectReport {
    /// 1-based position of the inject in the scenario file (its MSEL number).
    pub number: usize,
    /// 1-based position in the order injects were released: the number the report
    /// prints ("Inject 3" is the third the groups received).
    pub release_number: usize,
    /// Inject id.
    pub inject_id: String,
    /// Title.
    pub title: String,
    /// The inject text.
    pub body: String,
    /// Simulated originator.
    pub from: Option<String>,
    /// Delivery method.
    pub channel: Option<String>,
    /// When it was released, RFC 3339 UTC.
    pub released_at_utc: String,
    /// Play time of the release, ms.
    pub play_ms: u64,
    /// Play time of the release, `T+mm:ss`.
    pub play_time: String,
    /// Released by hand rather than by the clock.
    pub manual: bool,
    /// For an inject its condition released (or the facilitator fired early): the
    /// condition in plain words, as a clause ("incident response has not answered …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released_because: Option<String>,
    /// Groups it went to, in scenario order.
    pub targets: Vec<GroupRef>,
    /// The questions the groups were asked: those for every target group first (`group`
    /// null), then each target group's own, in scenario order.
    /// The inject's handouts as a reader saw them: caption or title, and the file's name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub handouts: Vec<String>,
    pub questions: Vec<QuestionsAsked>,
    /// What the exercise planners expected the players to do (facilitator-only during
    /// play): the "expected" of expected-versus-observed.
    pub expected_actions: Vec<String>,
    /// Every target group's answers, in scenario order (a group without answers has an
    /// empty list). In group answer mode: the group's answer (the scribe's latest) first,
    /// then the members' contributions.
    pub answers: Vec<GroupAnswers>,
    /// The answer window in play minutes, if the inject had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respond_within_minutes: Option<f64>,
    /// A poll's results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll: Option<PollReport>,
    /// Notes tagged to this inject.
    pub notes: Vec<NoteReport>,
}

/// Questions an inject asked one group, or every group it targeted.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionsAsked {
    /// The group; none: every target group.
    pub group: Option<GroupRef>,
    /// The questions, in order.
    pub questions: Vec<String>,
}

/// One group's answers to one inject.
#[derive(Debug, Clone, Serialize)]
pub struct GroupAnswers {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Answers in the order they were stored (group answer mode: the group's answer,
    /// then contributions).
    pub answers: Vec<Answer>,
    /// The group's first answer (never a contribution; in group mode the scribe's first
    /// version, however often it was edited since): what on time and time to first
    /// answer are read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_answer: Option<EarliestAnswer>,
}

/// When a group first answered an inject.
#[derive(Debug, Clone, Serialize)]
pub struct EarliestAnswer {
    /// Wall time, RFC 3339 UTC.
    pub at_utc: String,
    /// Play time, ms.
    pub play_ms: u64,
    /// Play time, `T+mm:ss`.
    pub play_time: String,
    /// After the inject's answer window closed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub late: bool,
}

/// One answer.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Who wrote it (absent when attributed by group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<ParticipantId>,
    /// Their name (absent when attributed by group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// When it was stored, RFC 3339 UTC.
    pub submitted_at_utc: String,
    /// Play time, ms.
    pub play_ms: u64,
    /// Play time, `T+mm:ss`.
    pub play_time: String,
    /// The answer as typed (may be empty beside a poll's choice).
    pub text: String,
    /// A poll's chosen options, by label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// A member's contribution, not the group's answer (group answer mode).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contribution: bool,
    /// Stored after the inject's answer window closed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub late: bool,
}

/// A poll's results: what each group chose, counted as the live tally counts (each
/// participant's latest choice; in group answer mode each group's answer).
#[derive(Debug, Clone, Serialize)]
pub struct PollReport {
    /// The options' labels, in order.
    pub options: Vec<String>,
    /// Counts per option (same order), per group that answered, in scenario order.
    pub by_group: Vec<PollGroup>,
    /// Counts per option over all groups.
    pub total: Vec<usize>,
    /// Answers counted.
    pub answers: usize,
}

/// One group's counts in a poll.
#[derive(Debug, Clone, Serialize)]
pub struct PollGroup {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Counts per option.
    pub counts: Vec<usize>,
}

/// An inject that was skipped.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedInject {
    /// 1-based position in the scenario file.
    pub number: usize,
    /// Inject id.
    pub inject_id: String,
    /// Title.
    pub title: String,
    /// When it was skipped, RFC 3339 UTC.
    pub skipped_at_utc: String,
    /// Play time of the skip, `T+mm:ss`.
    pub play_time: String,
}

/// The analysis of one objective.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveAnalysis {
    /// Objective id.
    pub objective_id: String,
    /// The objective.
    pub text: String,
    /// Scenario positions (MSEL numbers) of the injects that serve it.
    pub inject_numbers: Vec<usize>,
    /// Release numbers of the released injects that serve it, in release order.
    pub released_injects: Vec<usize>,
    /// The consensus rating (the facilitator's); without one, the latest evaluator's
    /// rating (its `consensus` is false), as earlier builds reported it.
    pub rating: Option<RatingReport>,
    /// Every evaluator's current rating, first rater first (the consensus among them).
    pub ratings: Vec<RatingReport>,
    /// Notes tagged to this objective.
    pub notes: Vec<NoteReport>,
}

/// A P/S/M/U rating.
#[derive(Debug, Clone, Serialize)]
pub struct RatingReport {
    /// `P`, `S`, `M` or `U`.
    pub letter: &'static str,
    /// What the letter means.
    pub meaning: &'static str,
    /// What went well.
    pub strengths: String,
    /// What to improve.
    pub areas_for_improvement: String,
    /// Who rated it.
    pub rated_by: String,
    /// When, RFC 3339 UTC.
    pub rated_at_utc: String,
    /// The facilitator's rating: the consensus.
    pub consensus: bool,
}

/// A note taken by the facilitator or an observer.
#[derive(Debug, Clone, Serialize)]
pub struct NoteReport {
    /// Who took it.
    pub author: String,
    /// `facilitator` or `observer`.
    pub author_role: &'static str,
    /// When, RFC 3339 UTC.
    pub at_utc: String,
    /// Play time, `T+mm:ss`.
    pub play_time: String,
    /// Scenario position (MSEL number) of the inject it is about.
    pub inject_number: Option<usize>,
    /// Release number of the inject it is about, when it was released.
    pub inject_release_number: Option<usize>,
    /// Title of the inject it is about.
    pub inject_title: Option<String>,
    /// The objective it bears on.
    pub objective_id: Option<String>,
    /// The group it is about.
    pub group: Option<GroupRef>,
    /// `strength` or `area_for_improvement`; none: an observation.
    pub category: Option<NoteCategory>,
    /// The note.
    pub text: String,
}

/// The self-assessment: the scale and the results per domain (group).
#[derive(Debug, Clone, Serialize)]
pub struct SelfAssessmentReport {
    /// True when the statements are examples, not an agreed instrument.
    pub example: bool,
    /// What participants read before rating.
    pub intro: String,
    /// Not opened, open or closed.
    pub phase: SelfAssessmentPhase,
    /// `group` or `profile`.
    pub mode: &'static str,
    /// The 1–5 scale, in the scenario's level descriptions.
    pub scale: Vec<ScaleStep>,
    /// Results per group (per domain in a profile) and statement.
    pub groups: Vec<GroupResult>,
    /// A profile's maturity per domain: the room, each sector, each organisation.
    pub profile: Option<ProfileReport>,
}

/// One step of the self-assessment scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleStep {
    /// Score.
    pub score: u8,
    /// Meaning.
    pub meaning: String,
}

/// The maturity profile (see `exercise::profile` for the arithmetic).
#[derive(Debug, Clone, Serialize)]
pub struct ProfileReport {
    /// The domains, in order; every row's `cells` follow it.
    pub domains: Vec<GroupRef>,
    /// True when cells under three raters are withheld (attribution by group).
    pub small_cells_withheld: bool,
    /// The room.
    pub overall: ProfileRowReport,
    /// Per sector.
    pub sectors: Vec<ProfileRowReport>,
    /// Per organisation.
    pub organisations: Vec<ProfileRowReport>,
}

/// One row of the profile.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileRowReport {
    /// Sector id or organisation name; null for the room or "no sector given".
    pub id: Option<String>,
    /// Label.
    pub label: String,
    /// Participants who scored at least one statement.
    pub raters: usize,
    /// One per domain.
    pub cells: Vec<CellReport>,
}

/// One domain of one row.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CellReport {
    /// Mean of the raters' domain scores (null: no raters, or withheld under three).
    pub mean: Option<f64>,
    /// Lowest rater's domain score.
    pub min: Option<f64>,
    /// Highest rater's domain score.
    pub max: Option<f64>,
    /// Raters with a score in the domain.
    pub n: usize,
}

/// A line of the improvement plan (Appendix A).
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// The item's id.
    pub item_id: String,
    /// `accepted` or `proposed`.
    pub status: ItemStatus,
    /// What went wrong or is missing.
    pub issue: String,
    /// What will be done.
    pub corrective_action: String,
    /// Domain: group id.
    pub group_id: String,
    /// Domain: group name.
    pub group_name: String,
    /// Capability element (POETE): `planning`, `organisation`, `equipment`, `training`
    /// or `exercise`.
    pub capability: Capability,
    /// Responsible organisation.
    pub responsible_org: String,
    /// Owner (person or role).
    pub owner: String,
    /// Start date, `YYYY-MM-DD` (may be empty).
    pub start_date: String,
    /// Completion date, `YYYY-MM-DD` (may be empty).
    pub due: String,
    /// `high`, `medium` or `low`; none when not decided.
    pub priority: Option<Priority>,
    /// The plan's status column: `not_started`, `in_progress`, `complete` or
    /// `cancelled`; none when not known.
    pub progress: Option<Progress>,
    /// Votes for it on the adoption board.
    pub votes: usize,
    /// Who proposed it, when a group did.
    pub proposed_by: Option<String>,
}

/// One domain (group) of the exercise: what went well and what to improve.
#[derive(Debug, Clone, Serialize)]
pub struct DomainReport {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// The group's focus, as the scenario says.
    pub focus: String,
    /// Notes tagged to the group as strengths.
    pub strengths: Vec<NoteReport>,
    /// Notes tagged to the group as areas for improvement.
    pub areas_for_improvement: Vec<NoteReport>,
    /// Other notes tagged to the group (observations).
    pub observations: Vec<NoteReport>,
    /// Ids of the plan's items for this domain (accepted and proposed).
    pub improvement_items: Vec<String>,
    /// The room's maturity in the domain (profile mode).
    pub maturity: Option<DomainMaturity>,
}

/// The adoption board's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct AdoptionReport {
    /// Open or closed.
    pub phase: AdoptionPhase,
    /// Participants who voted.
    pub voters: usize,
    /// The most items one participant could choose.
    pub max_votes: usize,
}

/// A group's participants (Appendix B).
#[derive(Debug, Clone, Serialize)]
pub struct GroupParticipants {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// How many are in it now.
    pub count: usize,
    /// Names, in join order (empty when attributed by group).
    pub names: Vec<String>,
}

/// Participants of one sector.
#[derive(Debug, Clone, Serialize)]
pub struct SectorCount {
    /// Sector id; none for participants who named no sector.
    pub sector_id: Option<String>,
    /// Its label (or "No sector given", in the report's language).
    pub label: String,
    /// Participants who chose it.
    pub participants: usize,
    /// Distinct organisations among them.
    pub organisations: usize,
}

/// Participants who spoke for one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationCount {
    /// The organisation, as the room first spelt it.
    pub name: String,
    /// The sector most of its participants chose, if any.
    pub sector_id: Option<String>,
    /// How many spoke for it.
    pub participants: usize,
}

impl Report {
    /// Builds the report from a stored log (the log must replay: see `State::replay`),
    /// attributed and written as the scenario says.
    pub fn from_log(log: &[Recorded]) -> Result<Self, InvalidLog> {
        build::report(log, None, None)
    }

    /// Builds the report attributed as asked (`None`: as the scenario says).
    pub fn from_log_as(log: &[Recorded], attribution: Option<Attribution>) -> Result<Self, InvalidLog> {
        build::report(log, attribution, None)
    }

    /// Builds the report attributed as asked and in the language asked (`None`: as the
    /// scenario says).
    pub fn from_log_in(
        log: &[Recorded],
        attribution: Option<Attribution>,
        language: Option<Lang>,
    ) -> Result<Self, InvalidLog> {
        build::report(log, attribution, language)
    }

    /// True when the exercise has ended.
    pub fn ended(&self) -> bool {
        self.overview.phase == ReportStatus::Ended
    }
}
