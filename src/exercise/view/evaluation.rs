//! What each role may see of the evaluation: notes, ratings and observer names go to
//! the facilitator and observers only (observer keys to the facilitator only);
//! participants see their own group's improvement items and self-assessment
//! statements, never another group's, never the results.

use crate::charts::{self, HeatRow, Series, TextSize};
use crate::events::{Event, Recorded};
use crate::exercise::profile::{Profile, Row, profile_in};
use crate::ids::ObserverId;
use crate::lang::Lang;
use crate::protocol::{
    DomainView, ImprovementView, NoteView, ObjectiveView, ObserverView, ProfileCharts, RatingView, ReportDraftView,
    ResultsView, ScaleStep, SelfAssessmentView, ServerMsg, StatementView, Welcome,
};
use crate::scenario::{AssessmentMode, SCALE};

use super::takeaway::Takeaways;
use super::{Audience, Localized};
use crate::exercise::evaluation::{
    Author, Improvement, Note, ObjectiveRating, Observer, SelfAssessmentPhase, self_assessment_results,
};
use crate::exercise::state::{Participant, State};

/// The messages an evaluation event causes; other events cause none here.
pub(super) fn deliveries(state: &Localized<'_>, rec: &Recorded) -> Vec<(Audience, ServerMsg)> {
    let eval = &state.evaluation;
    match &rec.event {
        // The facilitator gets the new observer's key (to hand out the link); other
        // observers only the name.
        Event::ObserverAdded { observer_id, .. } => eval
            .observer(*observer_id)
            .map(|o| {
                [
                    (Audience::FacilitatorOnly, ServerMsg::Observer(observer_view(o, true))),
                    (Audience::ObserversOnly, ServerMsg::Observer(observer_view(o, false))),
                ]
            })
            .into_iter()
            .flatten()
            .collect(),
        Event::NoteAdded { note_id, .. } => eval
            .notes
            .iter()
            .rev()
            .find(|n| &n.id == note_id)
            .map(|n| (Audience::Facilitator, ServerMsg::Note(note_view(state, n))))
            .into_iter()
            .collect(),
        Event::ObjectiveRated { objective_id, author, .. } => (eval.ratings_of(objective_id).iter())
            .filter(|r| r.author == Author::from(*author))
            .map(|r| (Audience::Facilitator, ServerMsg::Rating(rating_view(state, objective_id, r))))
            .collect(),
        Event::ReportEdited { .. } => {
            vec![(Audience::Facilitator, ServerMsg::ReportDraft(report_draft(state, rec.seq)))]
        }
        Event::ImprovementProposed { item_id, .. }
        | Event::ImprovementAccepted { item_id, .. }
        | Event::ImprovementDropped { item_id } => eval
            .improvement(item_id)
            .map(|i| {
                let audience = Audience::Group { group_id: i.item.group_id.clone(), with_facilitator: true };
                (audience, ServerMsg::Improvement(improvement_view(state, i, rec.seq)))
            })
            .into_iter()
            .collect(),
        // Closing a profile gives each participant their own take-away: one message each.
        Event::SelfAssessmentClosed if is_profile(state) => {
            let takeaways = Takeaways::of(state);
            let mut out: Vec<_> = (state.participants.iter())
                .filter_map(|p| {
                    let mut view = self_assessment_view(state, &p.group_id, None, rec.seq)?;
                    view.takeaway = takeaways.as_ref().map(|t| Box::new(t.of_participant(state, p)));
                    let audience = Audience::Participant { participant_id: p.id, group_id: p.group_id.clone() };
                    Some((audience, ServerMsg::SelfAssessment(view)))
                })
                .collect();
            out.push((Audience::Facilitator, ServerMsg::SelfAssessmentResults(results_view(state, rec.seq))));
            out
        }
        Event::SelfAssessmentOpened | Event::SelfAssessmentClosed => {
            let mut out: Vec<_> = state
                .scenario
                .groups
                .iter()
                .filter_map(|g| {
                    let view = self_assessment_view(state, &g.id, None, rec.seq)?;
                    let audience = Audience::Group { group_id: g.id.clone(), with_facilitator: false };
                    Some((audience, ServerMsg::SelfAssessment(view)))
                })
                .collect();
            out.push((Audience::Facilitator, ServerMsg::SelfAssessmentResults(results_view(state, rec.seq))));
            out
        }
        Event::SelfAssessmentRated { .. } => {
            vec![(Audience::Facilitator, ServerMsg::SelfAssessmentResults(results_view(state, rec.seq)))]
        }
        _ => vec![],
    }
}

/// Adds what the facilitator (`keys`: with observer keys) or an observer sees.
pub(super) fn add_staff_view(welcome: &mut Welcome, state: &Localized<'_>, keys: bool) {
    let eval = &state.evaluation;
    welcome.observers = Some(eval.observers.iter().map(|o| observer_view(o, keys)).collect());
    welcome.objectives = Some(
        state
            .scenario
            .objectives
            .iter()
            .map(|o| ObjectiveView { id: o.id.clone(), text: o.text.to_string() })
            .collect(),
    );
    welcome.notes = Some(eval.notes.iter().map(|n| note_view(state, n)).collect());
    welcome.ratings = Some(
        (eval.ratings.iter())
            .flat_map(|(id, ratings)| ratings.iter().map(move |r| rating_view(state, id, r)))
            .collect(),
    );
    welcome.report = Some(report_draft(state, state.last_seq));
    welcome.improvements = Some(eval.improvements.iter().map(|i| improvement_view(state, i, state.last_seq)).collect());
    welcome.self_assessment_results =
        state.scenario.self_assessment.as_ref().map(|_| results_view(state, state.last_seq));
}

/// Adds what a participant sees of the evaluation: their group's items and statements.
pub(super) fn add_participant_view(welcome: &mut Welcome, state: &Localized<'_>, p: &Participant) {
    welcome.improvements = Some(group_improvements(state, &p.group_id));
    welcome.self_assessment = participant_self_assessment(state, p);
}

/// A group's improvement items.
pub(super) fn group_improvements(state: &Localized<'_>, group_id: &str) -> Vec<ImprovementView> {
    state
        .evaluation
        .improvements
        .iter()
        .filter(|i| i.item.group_id == group_id)
        .map(|i| improvement_view(state, i, state.last_seq))
        .collect()
}

/// The self-assessment of a participant's (current) group, with their own scores and,
/// once a profile is closed, their take-away.
pub(super) fn participant_self_assessment(state: &Localized<'_>, p: &Participant) -> Option<SelfAssessmentView> {
    let mut view = self_assessment_view(state, &p.group_id, Some(p), state.last_seq)?;
    if is_profile(state) && state.evaluation.self_assessment == SelfAssessmentPhase::Closed {
        view.takeaway = Takeaways::of(state).map(|t| Box::new(t.of_participant(state, p)));
    }
    Some(view)
}

/// Whether the scenario's self-assessment is a profile.
fn is_profile(state: &Localized<'_>) -> bool {
    state.scenario.self_assessment.as_ref().is_some_and(|plan| plan.mode == AssessmentMode::Profile)
}

/// The observer's own entry (no key).
pub(super) fn observer_self(state: &Localized<'_>, id: ObserverId) -> Option<ObserverView> {
    state.evaluation.observer(id).map(|o| observer_view(o, false))
}

fn observer_view(o: &Observer, key: bool) -> ObserverView {
    ObserverView { observer_id: o.id, name: o.name.clone(), key: key.then(|| o.key.clone()) }
}

/// `Facilitator` or the observer's name.
pub fn author_name(state: &State, author: &Author) -> String {
    author_name_in(state, author, Lang::En)
}

/// The facilitator's role name in `lang` (`Facilitator`, `Animateur`), or the
/// observer's name (an observer not in the log: `Observer`, `Observateur`).
pub fn author_name_in(state: &State, author: &Author, lang: Lang) -> String {
    let (facilitator, observer) = match lang {
        Lang::En => ("Facilitator", "Observer"),
        Lang::Fr => ("Animateur", "Observateur"),
    };
    match author {
        Author::Facilitator => facilitator.to_owned(),
        Author::Observer { observer_id } => {
            state.evaluation.observer(*observer_id).map_or_else(|| observer.to_owned(), |o| o.name.clone())
        }
    }
}

fn note_view(state: &Localized<'_>, n: &Note) -> NoteView {
    NoteView {
        seq: n.stamp.seq,
        note_id: n.id.clone(),
        author: n.author.into(),
        author_name: author_name(state, &n.author),
        inject_id: n.inject_id.clone(),
        objective_id: n.objective_id.clone(),
        group_id: n.group_id.clone(),
        text: n.text.clone(),
        play_ms: n.stamp.play_ms,
        wall_ms: n.stamp.wall_ms,
        category: n.category.map(Into::into),
    }
}

fn rating_view(state: &Localized<'_>, objective_id: &str, r: &ObjectiveRating) -> RatingView {
    RatingView {
        seq: r.stamp.seq,
        objective_id: objective_id.to_owned(),
        rating: r.rating.into(),
        author_name: author_name(state, &r.author),
        strengths: r.strengths.clone(),
        areas_for_improvement: r.areas_for_improvement.clone(),
        author: r.author.into(),
        consensus: r.author == Author::Facilitator,
    }
}

/// The executive summary and marking as the console edits them.
pub(super) fn report_draft(state: &Localized<'_>, seq: u64) -> ReportDraftView {
    let default_marking = state.scenario.report.marking.clone();
    ReportDraftView {
        seq,
        executive_summary: state.evaluation.executive_summary.clone(),
        marking: state.evaluation.marking.clone().unwrap_or_else(|| default_marking.clone()),
        default_marking,
    }
}

fn improvement_view(state: &Localized<'_>, i: &Improvement, seq: u64) -> ImprovementView {
    ImprovementView {
        seq,
        item_id: i.id.clone(),
        status: i.status.into(),
        item: (&i.item).into(),
        proposed_by: i.proposed_by.and_then(|p| state.participant(p)).map(|p| p.name.clone()),
    }
}

/// A group's self-assessment; `who` adds that participant's own scores. None when the
/// scenario has no statements for the group.
fn self_assessment_view(
    state: &Localized<'_>,
    group_id: &str,
    who: Option<&Participant>,
    seq: u64,
) -> Option<SelfAssessmentView> {
    let plan = state.scenario.self_assessment.as_ref()?;
    let statements: Vec<StatementView> = plan
        .rated_by(group_id)
        .map(|s| StatementView { id: s.id.clone(), text: s.text.to_string(), domain: s.group.clone() })
        .collect();
    if statements.is_empty() {
        return None;
    }
    let profile = plan.mode == AssessmentMode::Profile;
    Some(SelfAssessmentView {
        seq,
        state: state.evaluation.self_assessment.into(),
        intro: plan.intro.to_string(),
        example: plan.example,
        mode: if profile { "profile" } else { "group" },
        scale: SCALE.iter().map(|&(score, _)| ScaleStep { score, label: plan.level(score).to_owned() }).collect(),
        domains: if profile { domain_views(state) } else { vec![] },
        statements,
        mine: who.map(|p| state.evaluation.scores_of(p.id)),
        mine_dont_know: who.map(|p| state.evaluation.dont_know_of(p.id)),
        takeaway: None,
    })
}

/// The domains of the self-assessment: groups with statements, in scenario order.
fn domain_views(state: &Localized<'_>) -> Vec<DomainView> {
    let Some(plan) = &state.scenario.self_assessment else { return vec![] };
    (state.scenario.groups.iter())
        .filter(|g| plan.for_group(&g.id).next().is_some())
        .map(|g| DomainView { id: g.id.clone(), name: g.name.to_string() })
        .collect()
}

fn results_view(state: &Localized<'_>, seq: u64) -> ResultsView {
    let lang = state.scenario.language;
    let profile = profile_in(lang, state.scenario, &state.evaluation, &state.participants);
    ResultsView {
        seq,
        state: state.evaluation.self_assessment.into(),
        groups: self_assessment_results(state.scenario, &state.evaluation).into_iter().map(Into::into).collect(),
        charts: profile.as_ref().map(|p| console_charts(lang, p)),
        profile: profile.map(Into::into),
    }
}

/// The console's charts of a profile: every figure (the console sees small cells).
fn console_charts(lang: Lang, p: &Profile) -> ProfileCharts {
    let title = match lang {
        Lang::En => "Maturity profile",
        Lang::Fr => "Profil de maturité",
    };
    profile_charts(lang, p, title, "—")
}

/// A profile's radar (the room) and sectors × domains heatmap in `lang` (the
/// scenario's: the charts are drawn once for every screen), titled `title`; a cell
/// without a figure reads `missing`.
pub(super) fn profile_charts(lang: Lang, p: &Profile, title: &str, missing: &str) -> ProfileCharts {
    let domains: Vec<String> = p.domains.iter().map(|(_, name)| name.clone()).collect();
    let values = |row: &Row| row.cells.iter().map(|c| c.mean).collect::<Vec<_>>();
    let series = [Series { label: p.overall.label.clone(), values: values(&p.overall) }];
    let radar = charts::radar_in(lang, title, &domains, &series, TextSize::NORMAL);
    let rows: Vec<HeatRow> = std::iter::once(&p.overall)
        .chain(&p.sectors)
        .map(|row| HeatRow { label: row.label.clone(), values: values(row), missing: missing.into() })
        .collect();
    let by_sector = match lang {
        Lang::En => "Maturity by sector",
        Lang::Fr => "Maturité par secteur",
    };
    let heatmap = (!p.sectors.is_empty()).then(|| charts::heatmap_in(lang, by_sector, &domains, &rows));
    ProfileCharts { radar, heatmap }
}
