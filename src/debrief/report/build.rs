//! Building the [`Report`] from a replayed log: one method per section.

use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::events::Event;
use crate::exercise::conditions::Status;
use crate::exercise::evaluation::{
    AdoptionPhase, Author, MAX_PRIORITY_VOTES, Note, NoteCategory, ObjectiveRating, self_assessment_results,
};
use crate::exercise::profile;
use crate::exercise::state::{InjectStatus, ResponseRecord, Stamp};
use crate::exercise::view::author_name_in;
use crate::exercise::{Phase, State};
use crate::lang::Lang;
use crate::scenario::{AssessmentMode, SCALE};
use crate::time::{play_time, rfc3339};

/// A handout as the report lists it: its caption (or title), and the file it is.
fn handout(a: &crate::scenario::Attachment) -> String {
    let label = a.caption.as_deref().filter(|c| !c.is_empty()).unwrap_or(&a.title);
    match (&a.file, label.is_empty()) {
        (Some(file), true) => file.clone(),
        (Some(file), false) => format!("{label} ({file})"),
        (None, _) => [label, a.url.as_deref().unwrap_or("")]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" — "),
    }
}

/// The report of a stored log, attributed and written as asked (`None`: as the
/// scenario says).
pub(super) fn report(
    log: &[Recorded],
    attribution: Option<Attribution>,
    language: Option<Lang>,
) -> Result<Report, InvalidLog> {
    let mut state = State::replay(log)?;
    if let Some(lang) = language {
        state.read_in(lang);
    }
    let attribution = attribution.unwrap_or(state.scenario.report.attribution);
    let lang = language.unwrap_or(state.scenario.language);
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
    let started_at = log.iter().find(|r| matches!(r.event, Event::ClockStarted)).map(|r| rfc3339(r.wall_ms));
    let mut builder =
        Builder { state: &state, release_numbers: HashMap::new(), names: attribution == Attribution::Names, lang };
    builder.release_numbers = builder.release_order().into_iter().enumerate().map(|(n, (i, _))| (i, n + 1)).collect();
    let injects = builder.injects(&manual);
    let released: HashMap<&str, usize> = injects.iter().map(|i| (i.inject_id.as_str(), i.number)).collect();
    let objectives = builder.objectives();
    let self_assessment = builder.self_assessment();
    let improvement_plan = builder.plan();
    let sectors = builder.sectors();
    let overview = builder.overview(first, last, started_at, ended_at.clone());
    let skipped = builder.skipped();
    let executive_summary = summary::executive_summary(
        &state,
        summary::Parts {
            injects: &injects,
            skipped: skipped.len(),
            objectives: &objectives,
            profile: self_assessment.as_ref().and_then(|sa| sa.profile.as_ref()),
            plan: &improvement_plan,
            sectors: &sectors,
        },
    );
    let domains = builder.domains(&improvement_plan, &executive_summary.key_figures.maturity);
    Ok(Report {
        language: lang,
        attribution,
        cover: summary::cover(&state, &overview.date, attribution, lang),
        executive_summary,
        domains,
        adoption: (state.evaluation.adoption != AdoptionPhase::NotOpened).then_some(AdoptionReport {
            phase: state.evaluation.adoption,
            voters: state.evaluation.votes.len(),
            max_votes: MAX_PRIORITY_VOTES,
        }),
        responses: super::responses::grid(&state.scenario.groups, &injects, ended_at.as_deref()),
        sectors,
        organisations: builder.organisations(),
        overview,
        skipped,
        objectives,
        general_notes: builder.notes(|n| {
            !n.inject_id.as_deref().is_some_and(|i| released.contains_key(i))
                && !n.objective_id.as_deref().is_some_and(|o| builder.objective_exists(o))
        }),
        self_assessment,
        improvement_plan,
        participants: builder.participants(),
        observers: state.evaluation.observers.iter().map(|o| o.name.clone()).collect(),
        injects,
    })
}

struct Builder<'a> {
    state: &'a State,
    /// Release number by scenario index, for released injects.
    release_numbers: HashMap<usize, usize>,
    /// Participants are named (attribution by name); otherwise no name or id of theirs
    /// goes into the report.
    names: bool,
    /// The report's language, for the fixed words its data carries.
    lang: Lang,
}

impl Builder<'_> {
    fn group_ref(&self, id: &str) -> GroupRef {
        let name = self.state.scenario.group(id).map_or_else(|| id.to_owned(), |g| g.name.to_string());
        GroupRef { id: id.to_owned(), name }
    }

    fn name_of(&self, id: ParticipantId) -> String {
        let unknown = match self.lang {
            Lang::En => "(unknown)",
            Lang::Fr => "(inconnu)",
        };
        let removed = match self.lang {
            Lang::En => " (removed)",
            Lang::Fr => " (retiré)",
        };
        match self.state.anyone(id) {
            Some(p) if self.state.is_removed(id) => format!("{}{removed}", p.name),
            Some(p) => p.name.clone(),
            None => unknown.to_owned(),
        }
    }

    fn objective_exists(&self, id: &str) -> bool {
        self.state.scenario.objectives.iter().any(|o| o.id == id)
    }

    fn overview(
        &self,
        first: &Recorded,
        last: &Recorded,
        started_at_utc: Option<String>,
        ended_at_utc: Option<String>,
    ) -> Overview {
        let s = self.state;
        let created = rfc3339(first.wall_ms);
        let play_ms = s.clock.play_ms(last.wall_ms);
        Overview {
            exercise_id: s.exercise_id,
            scenario_id: s.scenario.id.clone(),
            title: s.scenario.title.to_string(),
            summary: s.scenario.summary.to_string(),
            date: started_at_utc.as_deref().unwrap_or(&created)[..10].to_owned(),
            created_at_utc: created,
            started_at_utc,
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
                .map(|o| ObjectiveRef { id: o.id.clone(), text: o.text.to_string() })
                .collect(),
        }
    }

    /// Released injects (scenario index, release stamp), in the order they went out.
    fn release_order(&self) -> Vec<(usize, Stamp)> {
        let mut released: Vec<(usize, Stamp)> = (self.state.injects.iter().enumerate())
            .filter_map(|(i, st)| match st {
                InjectStatus::Released(stamp) => Some((i, *stamp)),
                _ => None,
            })
            .collect();
        released.sort_by_key(|(_, stamp)| stamp.seq);
        released
    }

    fn injects(&self, manual: &HashMap<&str, bool>) -> Vec<InjectReport> {
        let s = self.state;
        self.release_order()
            .into_iter()
            .map(|(index, stamp)| {
                let inject = &s.scenario.injects[index];
                let targets: Vec<GroupRef> = s.scenario.target_groups(inject).map(|g| self.group_ref(&g.id)).collect();
                let mut by_group: BTreeMap<&str, Vec<Answer>> = BTreeMap::new();
                let mut order: Vec<&str> = targets.iter().map(|g| g.id.as_str()).collect();
                let answered: Vec<&ResponseRecord> = s.responses.iter().filter(|r| r.inject_id == inject.id).collect();
                // Each group's first and latest answer (never a contribution): the first
                // says when it answered; in group mode only the latest stands for it.
                let mut first: HashMap<&str, &ResponseRecord> = HashMap::new();
                let mut latest: HashMap<&str, u64> = HashMap::new();
                for r in answered.iter().filter(|r| !r.contribution) {
                    first.entry(&r.group_id).or_insert(r);
                    latest.insert(&r.group_id, r.stamp.seq);
                }
                for r in answered {
                    if !order.contains(&r.group_id.as_str()) {
                        order.push(&r.group_id); // answered from a group no longer targeted: keep it
                    }
                    let superseded = s.group_answers() && !r.contribution && latest[r.group_id.as_str()] != r.stamp.seq;
                    if superseded {
                        continue;
                    }
                    let label = |id: &String| {
                        let option = inject.response.options().iter().find(|o| &o.id == id);
                        option.map_or_else(|| id.clone(), |o| o.label.to_string())
                    };
                    by_group.entry(&r.group_id).or_default().push(Answer {
                        participant_id: self.names.then_some(r.participant_id),
                        participant_name: self.names.then(|| self.name_of(r.participant_id)),
                        submitted_at_utc: rfc3339(r.stamp.wall_ms),
                        play_ms: r.stamp.play_ms,
                        play_time: play_time(r.stamp.play_ms),
                        text: r.text.clone(),
                        choices: r.options.iter().map(label).collect(),
                        contribution: r.contribution,
                        late: s.is_late(r),
                    });
                }
                let answers = order
                    .iter()
                    .map(|g| {
                        let group = self.group_ref(g);
                        let mut answers = by_group.remove(g).unwrap_or_default();
                        // The group's answer first, then contributions (a stable sort keeps their order).
                        answers.sort_by_key(|a| a.contribution);
                        let first_answer = first.get(g).map(|r| EarliestAnswer {
                            at_utc: rfc3339(r.stamp.wall_ms),
                            play_ms: r.stamp.play_ms,
                            play_time: play_time(r.stamp.play_ms),
                            late: s.is_late(r),
                        });
                        GroupAnswers { group_id: group.id, group_name: group.name, answers, first_answer }
                    })
                    .collect();
                InjectReport {
                    number: index + 1,
                    release_number: self.release_numbers[&index],
                    inject_id: inject.id.clone(),
                    title: inject.title.to_string(),
                    body: inject.body.to_string(),
                    from: inject.from.as_deref().map(str::to_owned),
                    channel: inject.channel.as_deref().map(str::to_owned),
                    released_at_utc: rfc3339(stamp.wall_ms),
                    play_ms: stamp.play_ms,
                    play_time: play_time(stamp.play_ms),
                    manual: manual.get(inject.id.as_str()).copied().unwrap_or(false),
                    released_because: match (s.condition_end(&inject.id), &inject.when) {
                        (Some(Status::Fired { .. }), Some(when)) => Some(when.clause(&s.scenario, self.lang)),
                        _ => None,
                    },
                    questions: self.questions(inject, &targets),
                    expected_actions: inject.expected_actions.iter().map(|t| t.to_string()).collect(),
                    handouts: inject.attachments.iter().map(handout).collect(),
                    targets,
                    answers,
                    respond_within_minutes: inject.respond_within_minutes,
                    poll: self.poll(&inject.id),
                    notes: self.notes(|n| n.inject_id.as_deref() == Some(inject.id.as_str())),
                }
            })
            .collect()
    }

    /// A poll's results as the live tally counts them (none: not a poll).
    fn poll(&self, inject_id: &str) -> Option<PollReport> {
        let tally = self.state.tally(inject_id)?;
        let by_group = (self.state.scenario.groups.iter())
            .filter_map(|g| {
                tally.by_group.get(&g.id).map(|counts| PollGroup {
                    group_id: g.id.clone(),
                    group_name: g.name.to_string(),
                    counts: counts.clone(),
                })
            })
            .collect();
        Some(PollReport {
            options: tally.options.iter().map(|o| o.label.to_string()).collect(),
            by_group,
            total: tally.total,
            answers: tally.answers,
        })
    }

    /// The questions of an inject: for every target group first, then each group's own.
    fn questions(&self, inject: &crate::scenario::Inject, targets: &[GroupRef]) -> Vec<QuestionsAsked> {
        let shared = inject
            .questions
            .get(crate::scenario::ALL_GROUPS)
            .map(|q| QuestionsAsked { group: None, questions: q.as_slice().iter().map(|t| t.to_string()).collect() });
        let own = targets.iter().filter_map(|g| {
            inject.questions.get(&g.id).map(|q| QuestionsAsked {
                group: Some(g.clone()),
                questions: q.as_slice().iter().map(|t| t.to_string()).collect(),
            })
        });
        shared.into_iter().chain(own).collect()
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
                        title: s.scenario.injects[i].title.to_string(),
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
                text: o.text.to_string(),
                inject_numbers: (s.scenario.injects.iter().enumerate())
                    .filter(|(_, i)| i.objectives.contains(&o.id))
                    .map(|(n, _)| n + 1)
                    .collect(),
                released_injects: {
                    let mut numbers: Vec<usize> = (s.scenario.injects.iter().enumerate())
                        .filter(|(_, i)| i.objectives.contains(&o.id))
                        .filter_map(|(n, _)| self.release_numbers.get(&n).copied())
                        .collect();
                    numbers.sort_unstable();
                    numbers
                },
                rating: (s.evaluation.consensus(&o.id))
                    .or_else(|| s.evaluation.ratings_of(&o.id).iter().max_by_key(|r| r.stamp.seq))
                    .map(|r| rating_report(s, r, self.lang)),
                ratings: s.evaluation.ratings_of(&o.id).iter().map(|r| rating_report(s, r, self.lang)).collect(),
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
                    author: author_name_in(s, &n.author, self.lang),
                    author_role: match n.author {
                        Author::Facilitator => "facilitator",
                        Author::Observer { .. } => "observer",
                    },
                    at_utc: rfc3339(n.stamp.wall_ms),
                    play_time: play_time(n.stamp.play_ms),
                    inject_number: inject.map(|(i, _)| i + 1),
                    inject_release_number: inject.and_then(|(i, _)| self.release_numbers.get(&i).copied()),
                    inject_title: inject.map(|(_, i)| i.title.clone()).map(String::from),
                    objective_id: n.objective_id.clone(),
                    group: n.group_id.as_deref().map(|g| self.group_ref(g)),
                    category: n.category,
                    text: n.text.clone(),
                }
            })
            .collect()
    }

    fn self_assessment(&self) -> Option<SelfAssessmentReport> {
        let s = self.state;
        let plan = s.scenario.self_assessment.as_ref()?;
        let withhold = !self.names;
        let row = |r: profile::Row| ProfileRowReport {
            id: r.key,
            label: r.label,
            raters: r.raters,
            cells: (r.cells.into_iter())
                .map(|c| if withhold { c.public() } else { c })
                .map(|c| CellReport { mean: c.mean, min: c.min, max: c.max, n: c.n })
                .collect(),
        };
        let profile =
            profile::profile_in(self.lang, &s.scenario, &s.evaluation, &s.participants).map(|p| ProfileReport {
                domains: p.domains.iter().map(|(id, name)| GroupRef { id: id.clone(), name: name.clone() }).collect(),
                small_cells_withheld: withhold,
                overall: row(p.overall),
                sectors: p.sectors.into_iter().map(row).collect(),
                organisations: p.organisations.into_iter().map(row).collect(),
            });
        Some(SelfAssessmentReport {
            example: plan.example,
            intro: plan.intro.to_string(),
            phase: s.evaluation.self_assessment,
            mode: if plan.mode == AssessmentMode::Profile { "profile" } else { "group" },
            scale: (SCALE.iter())
                .map(|&(score, _)| ScaleStep { score, meaning: plan.level_in(score, self.lang).to_owned() })
                .collect(),
            groups: self_assessment_results(&s.scenario, &s.evaluation),
            profile,
        })
    }

    fn plan(&self) -> Vec<PlanItem> {
        let s = self.state;
        let votes = s.evaluation.vote_counts();
        let votes = &votes;
        let items = |status: ItemStatus| {
            (s.evaluation.improvements.iter().filter(move |i| i.status == status)).map(|i| PlanItem {
                item_id: i.id.clone(),
                status: i.status,
                issue: i.item.issue.clone(),
                corrective_action: i.item.corrective_action.clone(),
                group_id: i.item.group_id.clone(),
                group_name: self.group_ref(&i.item.group_id).name,
                capability: i.item.capability,
                responsible_org: i.item.responsible_org.clone(),
                owner: i.item.owner.clone(),
                start_date: i.item.start.clone(),
                due: i.item.due.clone(),
                priority: i.item.priority,
                progress: i.item.progress,
                votes: votes.get(i.id.as_str()).copied().unwrap_or(0),
                proposed_by: i.proposed_by.filter(|_| self.names).map(|p| self.name_of(p)),
            })
        };
        items(ItemStatus::Accepted).chain(items(ItemStatus::Proposed)).collect()
    }

    /// Per domain: its notes by category, its plan items and its maturity.
    fn domains(&self, plan: &[PlanItem], maturity: &[DomainMaturity]) -> Vec<DomainReport> {
        let s = self.state;
        (s.scenario.groups.iter())
            .map(|g| {
                let notes = |category: Option<NoteCategory>| {
                    self.notes(|n| n.group_id.as_deref() == Some(g.id.as_str()) && n.category == category)
                };
                DomainReport {
                    group_id: g.id.clone(),
                    group_name: g.name.to_string(),
                    focus: g.focus.to_string(),
                    strengths: notes(Some(NoteCategory::Strength)),
                    areas_for_improvement: notes(Some(NoteCategory::AreaForImprovement)),
                    observations: notes(None),
                    improvement_items: (plan.iter().filter(|i| i.group_id == g.id))
                        .map(|i| i.item_id.clone())
                        .collect(),
                    maturity: maturity.iter().find(|m| m.domain_id == g.id).cloned(),
                }
            })
            .collect()
    }

    fn participants(&self) -> Vec<GroupParticipants> {
        let s = self.state;
        s.scenario
            .groups
            .iter()
            .map(|g| {
                let members: Vec<&str> =
                    s.participants.iter().filter(|p| p.group_id == g.id).map(|p| p.name.as_str()).collect();
                GroupParticipants {
                    group_id: g.id.clone(),
                    group_name: g.name.to_string(),
                    count: members.len(),
                    names: if self.names { members.into_iter().map(str::to_owned).collect() } else { vec![] },
                }
            })
            .collect()
    }

    /// Participants per sector, in scenario order, then those who named none (when any).
    fn sectors(&self) -> Vec<SectorCount> {
        let s = self.state;
        let count = |sector: Option<&str>| {
            let of: Vec<_> = s.participants.iter().filter(|p| p.sector.as_deref() == sector).collect();
            let organisations: std::collections::HashSet<&str> =
                of.iter().filter_map(|p| p.organisation.as_deref()).collect();
            (of.len(), organisations.len())
        };
        let mut out: Vec<SectorCount> = (s.scenario.sectors.iter())
            .map(|x| {
                let (participants, organisations) = count(Some(&x.id));
                SectorCount { sector_id: Some(x.id.clone()), label: x.label.to_string(), participants, organisations }
            })
            .collect();
        let (participants, organisations) = count(None);
        if participants > 0 && !s.scenario.sectors.is_empty() {
            let label = profile::no_sector_label(self.lang).to_owned();
            out.push(SectorCount { sector_id: None, label, participants, organisations });
        }
        out
    }

    /// Organisations named, first named first, with their participants and the sector
    /// most of them chose.
    fn organisations(&self) -> Vec<OrganisationCount> {
        let s = self.state;
        s.organisations()
            .map(|name| {
                let of: Vec<_> = s.participants.iter().filter(|p| p.organisation.as_deref() == Some(name)).collect();
                let mut sectors: BTreeMap<&str, usize> = BTreeMap::new();
                for p in &of {
                    if let Some(sector) = p.sector.as_deref() {
                        *sectors.entry(sector).or_default() += 1;
                    }
                }
                let sector_id = sectors.into_iter().max_by_key(|&(_, n)| n).map(|(id, _)| id.to_owned());
                OrganisationCount { name: name.to_owned(), sector_id, participants: of.len() }
            })
            .collect()
    }
}

fn rating_report(s: &State, r: &ObjectiveRating, lang: Lang) -> RatingReport {
    RatingReport {
        letter: r.rating.letter(),
        meaning: r.rating.meaning_in(lang),
        strengths: r.strengths.clone(),
        areas_for_improvement: r.areas_for_improvement.clone(),
        rated_by: author_name_in(s, &r.author, lang),
        rated_at_utc: rfc3339(r.stamp.wall_ms),
        consensus: r.author == Author::Facilitator,
    }
}
