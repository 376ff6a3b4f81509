//! The timeline: the exercise log as ordered entries with their content resolved.
//!
//! A pure fold of the log through the same `apply` as the live exercise; secrets
//! (facilitator key, resume tokens) are never part of an entry.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::events::{Event, Recorded};
use crate::exercise::conditions::Status;
use crate::exercise::evaluation::{ImprovementItem, ProjectorView, Rating};
use crate::exercise::files::FileScope;
use crate::exercise::state::InvalidLog;
use crate::exercise::view::attachment_views;
use crate::exercise::view::author_name;
use crate::exercise::{Phase, State};
use crate::ids::{ExerciseId, ParticipantId};
use crate::lang::Lang;
use crate::protocol::AttachmentView;
use crate::scenario::{AnswerMode, Attribution, ResponseKind, Targets};
use crate::time::{play_time, rfc3339};

/// The whole timeline of an exercise.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title.
    pub title: String,
    /// Phase at the end of the log.
    pub phase: Phase,
    /// Whom the scenario attributes answers to in exports by default (`names` or `group`).
    pub attribution: Attribution,
    /// `individual`, or `group` when each group's scribe writes its answer.
    pub answer_mode: AnswerMode,
    /// The scenario's groups, in order.
    pub groups: Vec<TimelineGroup>,
    /// Every event, in order.
    pub entries: Vec<TimelineEntry>,
}

/// A group of the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineGroup {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// One event of the log with what it refers to spelled out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimelineEntry {
    /// Position in the log.
    pub seq: u64,
    /// Wall time, ms since the Unix epoch.
    pub wall_ms: u64,
    /// Wall time, RFC 3339 UTC.
    pub wall_time: String,
    /// Play time, ms.
    pub play_ms: u64,
    /// Play time as `T+mm:ss`.
    pub play_time: String,
    /// Event kind (as stored).
    pub kind: &'static str,
    /// Inject id (releases, skips, responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inject_id: Option<String>,
    /// Inject title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inject_title: Option<String>,
    /// Inject body (releases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inject_body: Option<String>,
    /// Groups an inject went to (releases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// The questions asked, by group id (`all`: every target group) (releases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions: Option<BTreeMap<String, Vec<String>>>,
    /// What the planners expected the players to do (releases; the timeline is for staff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_actions: Option<Vec<String>>,
    /// How groups answer a released poll: `{"kind":"choice","options":[{"id","label"}],"multiple"?}`
    /// (releases of polls only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseKind>,
    /// The answer window in play ms (releases with an answer window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respond_within_ms: Option<u64>,
    /// The play time by which groups are due to answer (releases with an answer window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_play_ms: Option<u64>,
    /// Released by hand (releases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual: Option<bool>,
    /// The inject's condition in plain words: on `condition_fired` and
    /// `condition_cancelled`, and on a release its condition caused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The inject's handouts, files with the control room's links (releases with any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentView>>,
    /// Participant (joins, moves, responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<ParticipantId>,
    /// Participant's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// Group (joins, moves: the new group, responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Group name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// The organisation a participant speaks for (joins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Their sector id (joins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Previous group (moves).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_group_id: Option<String>,
    /// Response or announcement text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A poll's chosen option ids (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// A member's contribution rather than the group's answer (responses, group mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution: Option<bool>,
    /// Stored after the inject's answer window closed (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late: Option<bool>,
    /// Clock state after a clock change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_state: Option<Phase>,
    /// Clock speed after a clock change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// Who wrote a note or rating, or the observer added (never their key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// Objective (notes, ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective_id: Option<String>,
    /// P, S, M or U (ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// Strengths (ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strengths: Option<String>,
    /// Areas for improvement (ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub areas_for_improvement: Option<String>,
    /// Improvement-plan item id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The item as proposed or accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ImprovementItem>,
    /// Self-assessment scores by statement id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, u8>>,
    /// The handling marking the facilitator set (`report_edited`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    /// The accepted items a participant put first (`priorities_voted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_ids: Option<Vec<String>>,
    /// What the shared screen shows from now on (`projector_switched`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projector_view: Option<ProjectorView>,
}

impl Timeline {
    /// The timeline with no participant's name or id (attribution by group): joins,
    /// moves, answers and proposals keep their group, not their author.
    pub fn without_names(mut self) -> Self {
        for e in &mut self.entries {
            e.participant_id = None;
            e.participant_name = None;
        }
        self
    }
}

/// Projects a stored log into its timeline.
pub fn timeline(log: &[Recorded]) -> Result<Timeline, InvalidLog> {
    timeline_in(log, None)
}

/// Projects a stored log into its timeline, with the scenario's texts in `lang` where it
/// is written in it (`None`: its own language).
pub fn timeline_in(log: &[Recorded], lang: Option<Lang>) -> Result<Timeline, InvalidLog> {
    let first = log.first().ok_or_else(|| InvalidLog("the log is empty".into()))?;
    let mut state = State::created(first)?;
    if let Some(lang) = lang {
        state.read_in(lang);
    }
    let words = lang.unwrap_or(state.scenario.language);
    let mut entries = vec![entry(&state, first, Default::default(), words)];
    for rec in &log[1..] {
        let from_group_id = match &rec.event {
            Event::ParticipantMoved { participant_id, .. } => {
                state.participant(*participant_id).map(|p| p.group_id.clone())
            }
            _ => None,
        };
        state.apply(rec);
        entries.push(entry(&state, rec, TimelineEntry { from_group_id, ..Default::default() }, words));
    }
    // Whoever the facilitator removed is marked wherever they are named, before and after.
    let mark = match words {
        Lang::En => " (removed)",
        Lang::Fr => " (retiré)",
    };
    for e in &mut entries {
        if let (Some(id), Some(name)) = (e.participant_id, e.participant_name.as_mut())
            && state.is_removed(id)
        {
            name.push_str(mark);
        }
    }
    Ok(Timeline {
        exercise_id: state.exercise_id,
        scenario_id: state.scenario.id.clone(),
        title: state.scenario.title.to_string(),
        phase: state.phase(),
        attribution: state.scenario.report.attribution,
        answer_mode: state.scenario.answer_mode,
        groups: state
            .scenario
            .groups
            .iter()
            .map(|g| TimelineGroup { id: g.id.clone(), name: g.name.to_string() })
            .collect(),
        entries,
    })
}

/// An inject's condition in plain words.
fn condition_words(state: &State, inject_id: &str, lang: Lang) -> Option<String> {
    let (_, inject) = state.scenario.inject(inject_id)?;
    inject.when.as_ref().map(|w| w.describe(&state.scenario, lang))
}

/// The entry for `rec`, with `state` already including it; conditions said in `words`.
fn entry(state: &State, rec: &Recorded, base: TimelineEntry, words: Lang) -> TimelineEntry {
    let play_ms = state.clock.play_ms(rec.wall_ms);
    let mut e = TimelineEntry {
        seq: rec.seq,
        wall_ms: rec.wall_ms,
        wall_time: rfc3339(rec.wall_ms),
        play_ms,
        play_time: play_time(play_ms),
        kind: rec.event.kind().as_str(),
        ..base
    };
    let group_name = |g: &str| state.scenario.group(g).map(|g| g.name.clone());
    let name_of = |p: &ParticipantId| state.anyone(*p).map(|p| p.name.clone());
    match &rec.event {
        Event::ExerciseCreated { .. } => {}
        Event::ParticipantJoined { participant_id, name, group_id, organisation, sector, .. } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = Some(name.clone());
            e.organisation = organisation.clone();
            e.sector = sector.clone();
            e.group_name = group_name(group_id).map(String::from);
            e.group_id = Some(group_id.clone());
        }
        Event::ClockStarted
        | Event::ClockPaused
        | Event::ClockResumed
        | Event::SpeedChanged { .. }
        | Event::ExerciseEnded => {
            e.clock_state = Some(state.clock.phase);
            e.speed = Some(state.clock.speed);
        }
        Event::InjectReleased { inject_id, manual } => {
            if let Some((_, inj)) = state.scenario.inject(inject_id) {
                e.inject_title = Some(inj.title.to_string());
                e.inject_body = Some(inj.body.to_string());
                e.targets = Some(match &inj.targets {
                    Targets::All => state.scenario.groups.iter().map(|g| g.id.clone()).collect(),
                    Targets::Groups(ids) => ids.clone(),
                });
                e.questions = Some(inj.questions.iter().map(|(g, q)| (g.clone(), q.strings())).collect());
                e.expected_actions = Some(inj.expected_actions.iter().map(|t| t.to_string()).collect());
                e.response = (!inj.response.options().is_empty()).then(|| inj.response.clone());
                e.respond_within_ms = inj.window_ms();
                e.due_play_ms = state.due_play_ms(inject_id);
                e.attachments =
                    (!inj.attachments.is_empty()).then(|| attachment_views(state, inj, &FileScope::Control));
            }
            e.inject_id = Some(inject_id.clone());
            e.manual = Some(*manual);
            if matches!(state.condition_end(inject_id), Some(Status::Fired { at, .. }) if at.seq + 1 == rec.seq) {
                e.condition = condition_words(state, inject_id, words);
            }
        }
        Event::ConditionFired { inject_id, manual } => {
            e.inject_title = state.scenario.inject(inject_id).map(|(_, i)| i.title.to_string());
            e.inject_id = Some(inject_id.clone());
            e.manual = Some(*manual);
            e.condition = condition_words(state, inject_id, words);
        }
        Event::ConditionCancelled { inject_id } => {
            e.inject_title = state.scenario.inject(inject_id).map(|(_, i)| i.title.to_string());
            e.inject_id = Some(inject_id.clone());
            e.condition = condition_words(state, inject_id, words);
        }
        Event::InjectSkipped { inject_id } => {
            e.inject_title = state.scenario.inject(inject_id).map(|(_, i)| i.title.clone()).map(String::from);
            e.inject_id = Some(inject_id.clone());
        }
        Event::ParticipantMoved { participant_id, group_id } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.group_name = group_name(group_id).map(String::from);
            e.group_id = Some(group_id.clone());
        }
        Event::AnnouncementMade { text } => e.text = Some(text.clone()),
        Event::JoiningLocked | Event::JoiningUnlocked => {}
        Event::ParticipantRemoved { participant_id } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            if let Some(p) = state.anyone(*participant_id) {
                e.group_name = group_name(&p.group_id).map(String::from);
                e.group_id = Some(p.group_id.clone());
            }
        }
        Event::ResponseSubmitted { participant_id, group_id, inject_id, text, options, contribution, .. } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.group_name = group_name(group_id).map(String::from);
            e.group_id = Some(group_id.clone());
            e.inject_title = state.scenario.inject(inject_id).map(|(_, i)| i.title.clone()).map(String::from);
            e.inject_id = Some(inject_id.clone());
            e.text = Some(text.clone());
            e.options = (!options.is_empty()).then(|| options.clone());
            e.contribution = contribution.then_some(true);
            e.late = state.due_play_ms(inject_id).map(|due| play_ms > due);
        }
        Event::ScribeAssigned { group_id, participant_id } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.group_name = group_name(group_id).map(String::from);
            e.group_id = Some(group_id.clone());
        }
        Event::ObserverAdded { name, .. } => e.author_name = Some(name.clone()),
        Event::NoteAdded { author, inject_id, objective_id, group_id, text, .. } => {
            e.author_name = Some(author_name(state, &(*author).into()));
            e.inject_title = inject_id
                .as_deref()
                .and_then(|i| state.scenario.inject(i))
                .map(|(_, i)| i.title.clone())
                .map(String::from);
            e.inject_id = inject_id.clone();
            e.objective_id = objective_id.clone();
            e.group_name = group_id.as_deref().and_then(group_name).map(String::from);
            e.group_id = group_id.clone();
            e.text = Some(text.clone());
        }
        Event::ObjectiveRated { objective_id, author, rating, strengths, areas_for_improvement } => {
            e.author_name = Some(author_name(state, &(*author).into()));
            e.objective_id = Some(objective_id.clone());
            e.rating = Some((*rating).into());
            e.strengths = Some(strengths.clone());
            e.areas_for_improvement = Some(areas_for_improvement.clone());
        }
        Event::ImprovementProposed { item_id, participant_id, item, .. } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.group_name = group_name(&item.group_id).map(String::from);
            e.group_id = Some(item.group_id.clone());
            e.item_id = Some(item_id.clone());
            e.item = Some(item.into());
        }
        Event::ImprovementAccepted { item_id, item } => {
            e.group_name = group_name(&item.group_id).map(String::from);
            e.group_id = Some(item.group_id.clone());
            e.item_id = Some(item_id.clone());
            e.item = Some(item.into());
        }
        Event::ImprovementDropped { item_id } => e.item_id = Some(item_id.clone()),
        Event::SelfAssessmentOpened | Event::SelfAssessmentClosed => {}
        Event::SelfAssessmentRated { participant_id, group_id, scores, .. } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.group_name = group_name(group_id).map(String::from);
            e.group_id = Some(group_id.clone());
            e.scores = Some(scores.clone());
        }
        Event::ReportEdited { executive_summary, marking } => {
            e.text = executive_summary.clone();
            e.marking = marking.clone();
        }
        Event::AdoptionOpened | Event::AdoptionClosed => {}
        Event::PrioritiesVoted { participant_id, item_ids } => {
            e.participant_id = Some(*participant_id);
            e.participant_name = name_of(participant_id);
            e.item_ids = Some(item_ids.clone());
        }
        Event::ProjectorSwitched { view, inject_id } => {
            e.projector_view = Some((*view).into());
            e.inject_id = inject_id.clone();
        }
    }
    e
}
