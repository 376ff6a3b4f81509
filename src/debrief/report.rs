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

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::events::{Event, Recorded};
use crate::exercise::evaluation::{
    Author, GroupResult, ItemStatus, Note, SelfAssessmentPhase, self_assessment_results,
};
use crate::exercise::state::{InjectStatus, InvalidLog, Stamp};
use crate::exercise::view::author_name;
use crate::exercise::{Phase, State};
use crate::ids::{ExerciseId, ParticipantId};
use crate::scenario::SCALE;
use crate::time::{play_time, rfc3339};

/// The whole after-action report of one exercise.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Exercise overview.
    pub overview: Overview,
    /// Released injects, in release order, with every target group's answers.
    pub injects: Vec<InjectReport>,
    /// Injects the facilitator skipped, in the order they were skipped.
    pub skipped: Vec<SkippedInject>,
    /// Analysis per objective, in scenario order.
    pub objectives: Vec<ObjectiveAnalysis>,
    /// Notes tied to no released inject and no objective.
    pub general_notes: Vec<NoteReport>,
    /// Self-assessment results, when the scenario has one.
    pub self_assessment: Option<SelfAssessmentReport>,
    /// Appendix A: accepted items first, then proposed ones; dropped items left out.
    pub improvement_plan: Vec<PlanItem>,
    /// Appendix B: participants by group (names only).
    pub participants: Vec<GroupParticipants>,
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
    /// Date of the first event, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// When the exercise was created, RFC 3339 UTC.
    pub created_at_utc: String,
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
    /// 1-based position of the inject in the scenario file.
    pub number: usize,
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
    /// Groups it went to, in scenario order.
    pub targets: Vec<GroupRef>,
    /// Every target group's answers, in scenario order (a group without answers has an
    /// empty list).
    pub answers: Vec<GroupAnswers>,
    /// Notes tagged to this inject.
    pub notes: Vec<NoteReport>,
}

/// One group's answers to one inject.
#[derive(Debug, Clone, Serialize)]
pub struct GroupAnswers {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Answers in the order they were stored.
    pub answers: Vec<Answer>,
}

/// One answer.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Who wrote it.
    pub participant_id: ParticipantId,
    /// Their name.
    pub participant_name: String,
    /// When it was stored, RFC 3339 UTC.
    pub submitted_at_utc: String,
    /// Play time, ms.
    pub play_ms: u64,
    /// Play time, `T+mm:ss`.
    pub play_time: String,
    /// The answer as typed.
    pub text: String,
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
    /// Numbers of the injects that serve it.
    pub inject_numbers: Vec<usize>,
    /// The current rating, if any.
    pub rating: Option<RatingReport>,
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
    /// Number of the inject it is about.
    pub inject_number: Option<usize>,
    /// Title of the inject it is about.
    pub inject_title: Option<String>,
    /// The objective it bears on.
    pub objective_id: Option<String>,
    /// The group it is about.
    pub group: Option<GroupRef>,
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
    /// The 1–5 scale.
    pub scale: Vec<ScaleStep>,
    /// Results per group with statements.
    pub groups: Vec<GroupResult>,
}

/// One step of the self-assessment scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleStep {
    /// Score.
    pub score: u8,
    /// Meaning.
    pub meaning: &'static str,
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
    /// Capability element (POETE).
    pub capability: &'static str,
    /// Responsible organisation.
    pub responsible_org: String,
    /// Owner (person or role).
    pub owner: String,
    /// Due date as written.
    pub due: String,
    /// Who proposed it, when a group did.
    pub proposed_by: Option<String>,
}

/// A group's participants (Appendix B).
#[derive(Debug, Clone, Serialize)]
pub struct GroupParticipants {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Names, in join order.
    pub names: Vec<String>,
}

impl Report {
    /// Builds the report from a stored log.
    pub fn from_log(log: &[Recorded]) -> Result<Self, InvalidLog> {
        let state = State::replay(log)?;
        let last = log.last().expect("replay refuses an empty log");
        let first = &log[0];
        let manual: HashMap<&str, bool> = log
            .iter()
            .filter_map(|r| match &r.event {
                Event::InjectReleased { inject_id, manual } => Some((inject_id.as_str(), *manual)),
                _ => None,
            })
            .collect();
        let ended_at = log.iter().rev().find(|r| matches!(r.event, Event::ExerciseEnded)).map(|r| rfc3339(r.wall_ms));
        let builder = Builder { state: &state };
        let injects = builder.injects(&manual);
        let released: HashMap<&str, usize> = injects.iter().map(|i| (i.inject_id.as_str(), i.number)).collect();
        Ok(Report {
            overview: builder.overview(first, last, ended_at),
            skipped: builder.skipped(),
            objectives: builder.objectives(),
            general_notes: builder.notes(|n| {
                !n.inject_id.as_deref().is_some_and(|i| released.contains_key(i))
                    && !n.objective_id.as_deref().is_some_and(|o| builder.objective_exists(o))
            }),
            self_assessment: builder.self_assessment(),
            improvement_plan: builder.plan(),
            participants: builder.participants(),
            observers: state.evaluation.observers.iter().map(|o| o.name.clone()).collect(),
            injects,
        })
    }

    /// True when the exercise has ended.
    pub fn ended(&self) -> bool {
        self.overview.phase == ReportStatus::Ended
    }
}

struct Builder<'a> {
    state: &'a State,
}

impl Builder<'_> {
    fn group_ref(&self, id: &str) -> GroupRef {
        let name = self.state.scenario.group(id).map_or_else(|| id.to_owned(), |g| g.name.clone());
        GroupRef { id: id.to_owned(), name }
    }

    fn name_of(&self, id: ParticipantId) -> String {
        self.state.participant(id).map_or_else(|| "(unknown)".to_owned(), |p| p.name.clone())
    }

    fn objective_exists(&self, id: &str) -> bool {
        self.state.scenario.objectives.iter().any(|o| o.id == id)
    }

    fn overview(&self, first: &Recorded, last: &Recorded, ended_at_utc: Option<String>) -> Overview {
        let s = self.state;
        let created = rfc3339(first.wall_ms);
        let play_ms = s.clock.play_ms(last.wall_ms);
        Overview {
            exercise_id: s.exercise_id,
            scenario_id: s.scenario.id.clone(),
            title: s.scenario.title.clone(),
            summary: s.scenario.summary.clone(),
            date: created[..10].to_owned(),
            created_at_utc: created,
            ended_at_utc,
            as_of_utc: rfc3339(last.wall_ms),
            as_of_seq: last.seq,
            planned_duration_minutes: s.scenario.duration_minutes,
            play_ms,
            play_time: play_time(play_ms),
            phase: if s.phase() == Phase::Ended { ReportStatus::Ended } else { ReportStatus::InProgress },
            groups: s
                .group_sizes()
                .into_iter()
                .map(|(id, participants)| {
                    let g = self.group_ref(id);
                    GroupSize { id: g.id, name: g.name, participants }
                })
                .collect(),
            participant_count: s.participants.len(),
            objectives: s
                .scenario
                .objectives
                .iter()
                .map(|o| ObjectiveRef { id: o.id.clone(), text: o.text.clone() })
                .collect(),
        }
    }

    fn injects(&self, manual: &HashMap<&str, bool>) -> Vec<InjectReport> {
        let s = self.state;
        let mut released: Vec<(usize, Stamp)> = s
            .injects
            .iter()
            .enumerate()
            .filter_map(|(i, st)| match st {
                InjectStatus::Released(stamp) => Some((i, *stamp)),
                _ => None,
            })
            .collect();
        released.sort_by_key(|(_, stamp)| stamp.seq);
        released
            .into_iter()
            .map(|(index, stamp)| {
                let inject = &s.scenario.injects[index];
                let targets: Vec<GroupRef> = s.scenario.target_groups(inject).map(|g| self.group_ref(&g.id)).collect();
                let mut by_group: BTreeMap<&str, Vec<Answer>> = BTreeMap::new();
                let mut order: Vec<&str> = targets.iter().map(|g| g.id.as_str()).collect();
                for r in s.responses.iter().filter(|r| r.inject_id == inject.id) {
                    if !order.contains(&r.group_id.as_str()) {
                        order.push(&r.group_id); // answered from a group no longer targeted: keep it
                    }
                    by_group.entry(&r.group_id).or_default().push(Answer {
                        participant_id: r.participant_id,
                        participant_name: self.name_of(r.participant_id),
                        submitted_at_utc: rfc3339(r.stamp.wall_ms),
                        play_ms: r.stamp.play_ms,
                        play_time: play_time(r.stamp.play_ms),
                        text: r.text.clone(),
                    });
                }
                let answers = order
                    .iter()
                    .map(|g| {
                        let group = self.group_ref(g);
                        GroupAnswers {
                            group_id: group.id,
                            group_name: group.name,
                            answers: by_group.remove(g).unwrap_or_default(),
                        }
                    })
                    .collect();
                InjectReport {
                    number: index + 1,
                    inject_id: inject.id.clone(),
                    title: inject.title.clone(),
                    body: inject.body.clone(),
                    from: inject.from.clone(),
                    channel: inject.channel.clone(),
                    released_at_utc: rfc3339(stamp.wall_ms),
                    play_ms: stamp.play_ms,
                    play_time: play_time(stamp.play_ms),
                    manual: manual.get(inject.id.as_str()).copied().unwrap_or(false),
                    targets,
                    answers,
                    notes: self.notes(|n| n.inject_id.as_deref() == Some(inject.id.as_str())),
                }
            })
            .collect()
    }

    fn skipped(&self) -> Vec<SkippedInject> {
        let s = self.state;
        let mut out: Vec<(u64, SkippedInject)> = s
            .injects
            .iter()
            .enumerate()
            .filter_map(|(i, st)| match st {
                InjectStatus::Skipped(stamp) => Some((
                    stamp.seq,
                    SkippedInject {
                        number: i + 1,
                        inject_id: s.scenario.injects[i].id.clone(),
                        title: s.scenario.injects[i].title.clone(),
                        skipped_at_utc: rfc3339(stamp.wall_ms),
                        play_time: play_time(stamp.play_ms),
                    },
                )),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(seq, _)| *seq);
        out.into_iter().map(|(_, s)| s).collect()
    }

    fn objectives(&self) -> Vec<ObjectiveAnalysis> {
        let s = self.state;
        s.scenario
            .objectives
            .iter()
            .map(|o| ObjectiveAnalysis {
                objective_id: o.id.clone(),
                text: o.text.clone(),
                inject_numbers: (s.scenario.injects.iter().enumerate())
                    .filter(|(_, i)| i.objectives.contains(&o.id))
                    .map(|(n, _)| n + 1)
                    .collect(),
                rating: s.evaluation.ratings.get(&o.id).map(|r| RatingReport {
                    letter: r.rating.letter(),
                    meaning: r.rating.meaning(),
                    strengths: r.strengths.clone(),
                    areas_for_improvement: r.areas_for_improvement.clone(),
                    rated_by: author_name(s, &r.author),
                    rated_at_utc: rfc3339(r.stamp.wall_ms),
                }),
                notes: self.notes(|n| n.objective_id.as_deref() == Some(o.id.as_str())),
            })
            .collect()
    }

    fn notes(&self, keep: impl Fn(&Note) -> bool) -> Vec<NoteReport> {
        let s = self.state;
        (s.evaluation.notes.iter().filter(|n| keep(n)))
            .map(|n| {
                let inject = n.inject_id.as_deref().and_then(|i| s.scenario.inject(i));
                NoteReport {
                    author: author_name(s, &n.author),
                    author_role: match n.author {
                        Author::Facilitator => "facilitator",
                        Author::Observer { .. } => "observer",
                    },
                    at_utc: rfc3339(n.stamp.wall_ms),
                    play_time: play_time(n.stamp.play_ms),
                    inject_number: inject.map(|(i, _)| i + 1),
                    inject_title: inject.map(|(_, i)| i.title.clone()),
                    objective_id: n.objective_id.clone(),
                    group: n.group_id.as_deref().map(|g| self.group_ref(g)),
                    text: n.text.clone(),
                }
            })
            .collect()
    }

    fn self_assessment(&self) -> Option<SelfAssessmentReport> {
        let s = self.state;
        let plan = s.scenario.self_assessment.as_ref()?;
        Some(SelfAssessmentReport {
            example: plan.example,
            intro: plan.intro.clone(),
            phase: s.evaluation.self_assessment,
            scale: SCALE.iter().map(|&(score, meaning)| ScaleStep { score, meaning }).collect(),
            groups: self_assessment_results(&s.scenario, &s.evaluation),
        })
    }

    fn plan(&self) -> Vec<PlanItem> {
        let s = self.state;
        let items = |status: ItemStatus| {
            (s.evaluation.improvements.iter().filter(move |i| i.status == status)).map(|i| PlanItem {
                item_id: i.id.clone(),
                status: i.status,
                issue: i.item.issue.clone(),
                corrective_action: i.item.corrective_action.clone(),
                group_id: i.item.group_id.clone(),
                group_name: self.group_ref(&i.item.group_id).name,
                capability: i.item.capability.label(),
                responsible_org: i.item.responsible_org.clone(),
                owner: i.item.owner.clone(),
                due: i.item.due.clone(),
                proposed_by: i.proposed_by.map(|p| self.name_of(p)),
            })
        };
        items(ItemStatus::Accepted).chain(items(ItemStatus::Proposed)).collect()
    }

    fn participants(&self) -> Vec<GroupParticipants> {
        let s = self.state;
        s.scenario
            .groups
            .iter()
            .map(|g| GroupParticipants {
                group_id: g.id.clone(),
                group_name: g.name.clone(),
                names: s.participants.iter().filter(|p| p.group_id == g.id).map(|p| p.name.clone()).collect(),
            })
            .collect()
    }
}
