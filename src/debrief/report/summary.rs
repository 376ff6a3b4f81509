//! The report's front matter: the cover (who organised it, where, when, how it is
//! handled) and the executive summary (the facilitator's text and the key figures a
//! reader takes in first), built from the other sections so every figure agrees with
//! the body of the report.

use serde::Serialize;

use super::{InjectReport, ObjectiveAnalysis, PlanItem, ProfileReport, SectorCount};
use crate::exercise::State;
use crate::exercise::evaluation::{ItemStatus, Priority};
use crate::lang::Lang;
use crate::scenario::Attribution;

/// The cover page.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// The exercise's title.
    pub title: String,
    /// Who ran it (scenario `[report] organiser`; may be empty).
    pub organiser: String,
    /// Where: the venue or platform (scenario `[report] venue`; may be empty).
    pub venue: String,
    /// The day it was played, `YYYY-MM-DD`.
    pub date: String,
    /// The handling marking (the facilitator's, else the scenario's; may be empty).
    pub marking: String,
    /// The non-attribution statement, when attributed by group.
    pub non_attribution: Option<String>,
}

/// The executive summary.
#[derive(Debug, Clone, Serialize)]
pub struct ExecutiveSummary {
    /// What the facilitator wrote in the console (may be empty).
    pub text: String,
    /// The key figures.
    pub key_figures: KeyFigures,
}

/// The figures a reader takes in first.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigures {
    /// Participants in the room.
    pub participants: usize,
    /// Participants per sector (as in Appendix B).
    pub sectors: Vec<SectorCount>,
    /// Distinct organisations named.
    pub organisations: usize,
    /// Injects released.
    pub injects_released: usize,
    /// Injects skipped.
    pub injects_skipped: usize,
    /// Answers stored.
    pub answers: usize,
    /// Per group, the median time from an inject's release to the group's first answer.
    pub first_answer: Vec<FirstAnswer>,
    /// The consensus rating of each objective (none where not rated yet).
    pub objective_ratings: Vec<ObjectiveRatingFigure>,
    /// The room's maturity per domain (profile mode; withheld under three raters when
    /// attributed by group).
    pub maturity: Vec<DomainMaturity>,
    /// The accepted improvement items to do first: most votes on the adoption board,
    /// then priority, then plan order (at most five).
    pub top_items: Vec<TopItem>,
}

/// One group's median time to first answer.
#[derive(Debug, Clone, Serialize)]
pub struct FirstAnswer {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group_name: String,
    /// Injects it was sent and answered.
    pub answered: usize,
    /// Injects it was sent.
    pub sent: usize,
    /// Median play time from release to its first answer, ms (none without answers).
    pub median_ms: Option<u64>,
}

/// An objective's consensus rating.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRatingFigure {
    /// Objective id.
    pub objective_id: String,
    /// The objective.
    pub text: String,
    /// `P`, `S`, `M` or `U`: the consensus, else the latest evaluator's; none when
    /// nobody rated it.
    pub rating: Option<&'static str>,
    /// The rating is the facilitator's consensus.
    pub consensus: bool,
    /// Evaluators who rated it.
    pub evaluators: usize,
}

/// The room's maturity in one domain.
#[derive(Debug, Clone, Serialize)]
pub struct DomainMaturity {
    /// Group id.
    pub domain_id: String,
    /// Group name.
    pub domain: String,
    /// Mean 1–5 (none: no raters, or fewer than three when withheld).
    pub mean: Option<f64>,
    /// Raters.
    pub n: usize,
}

/// An improvement item among the first to do.
#[derive(Debug, Clone, Serialize)]
pub struct TopItem {
    /// Item id.
    pub item_id: String,
    /// Domain name.
    pub domain: String,
    /// The corrective action.
    pub corrective_action: String,
    /// Responsible organisation.
    pub responsible_org: String,
    /// Votes on the adoption board.
    pub votes: usize,
    /// Priority, when set.
    pub priority: Option<Priority>,
}

/// The statement printed on the cover of a report attributed by group.
pub const NON_ATTRIBUTION: &str = "This report follows exercise practice: it is no-fault and non-attributional. \
Answers are attributed to groups, not to the people who wrote them, and no organisation's self-assessment is \
shown where fewer than three people rated it.";

/// [`NON_ATTRIBUTION`] in `lang`.
pub fn non_attribution(lang: Lang) -> &'static str {
    match lang {
        Lang::En => NON_ATTRIBUTION,
        Lang::Fr => {
            "Conformément à la pratique des exercices, ce rapport est non punitif et non nominatif\u{a0}: les \
             réponses sont attribuées aux groupes, non aux personnes qui les ont écrites, et l'auto-évaluation \
             d'une organisation n'est pas présentée lorsque moins de trois personnes l'ont remplie."
        }
    }
}

pub(super) fn cover(s: &State, date: &str, attribution: Attribution, lang: Lang) -> Cover {
    let settings = &s.scenario.report;
    Cover {
        title: s.scenario.title.to_string(),
        organiser: settings.organiser.to_string(),
        venue: settings.venue.to_string(),
        date: date.to_owned(),
        marking: s.evaluation.marking.clone().unwrap_or_else(|| settings.marking.clone()),
        non_attribution: (attribution == Attribution::Group).then(|| non_attribution(lang).to_owned()),
    }
}

/// The parts of the report the summary is made of.
pub(super) struct Parts<'a> {
    pub injects: &'a [InjectReport],
    pub skipped: usize,
    pub objectives: &'a [ObjectiveAnalysis],
    pub profile: Option<&'a ProfileReport>,
    pub plan: &'a [PlanItem],
    pub sectors: &'a [SectorCount],
}

pub(super) fn executive_summary(s: &State, parts: Parts<'_>) -> ExecutiveSummary {
    let key_figures = KeyFigures {
        participants: s.participants.len(),
        sectors: parts.sectors.iter().filter(|c| c.participants > 0).cloned().collect(),
        organisations: s.organisations().count(),
        injects_released: parts.injects.len(),
        injects_skipped: parts.skipped,
        answers: s.responses.len(),
        first_answer: first_answers(s, parts.injects),
        objective_ratings: (parts.objectives.iter())
            .map(|o| ObjectiveRatingFigure {
                objective_id: o.objective_id.clone(),
                text: o.text.clone(),
                rating: o.rating.as_ref().map(|r| r.letter),
                consensus: o.rating.as_ref().is_some_and(|r| r.consensus),
                evaluators: o.ratings.len(),
            })
            .collect(),
        maturity: parts
            .profile
            .map(|p| {
                (p.domains.iter().zip(&p.overall.cells))
                    .map(|(d, c)| DomainMaturity {
                        domain_id: d.id.clone(),
                        domain: d.name.clone(),
                        mean: c.mean,
                        n: c.n,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        top_items: top_items(parts.plan),
    };
    ExecutiveSummary { text: s.evaluation.executive_summary.clone(), key_figures }
}

/// Per group, the median over the injects it answered of release → first answer.
fn first_answers(s: &State, injects: &[InjectReport]) -> Vec<FirstAnswer> {
    (s.scenario.groups.iter())
        .map(|g| {
            let sent: Vec<&InjectReport> = injects.iter().filter(|i| i.targets.iter().any(|t| t.id == g.id)).collect();
            let mut waits: Vec<u64> = (sent.iter())
                .filter_map(|i| {
                    let answers = i.answers.iter().find(|a| a.group_id == g.id)?;
                    let first = answers.first_answer.as_ref()?.play_ms;
                    Some(first.saturating_sub(i.play_ms))
                })
                .collect();
            waits.sort_unstable();
            let median_ms = match waits.len() {
                0 => None,
                n if n % 2 == 1 => Some(waits[n / 2]),
                n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2),
            };
            FirstAnswer {
                group_id: g.id.clone(),
                group_name: g.name.to_string(),
                answered: waits.len(),
                sent: sent.len(),
                median_ms,
            }
        })
        .collect()
}

fn top_items(plan: &[PlanItem]) -> Vec<TopItem> {
    let rank = |p: Option<Priority>| p.map_or(3, |p| p as u8);
    let mut accepted: Vec<(usize, &PlanItem)> =
        plan.iter().filter(|i| i.status == ItemStatus::Accepted).enumerate().collect();
    accepted.sort_by_key(|(order, i)| (std::cmp::Reverse(i.votes), rank(i.priority), *order));
    (accepted.into_iter().take(5))
        .map(|(_, i)| TopItem {
            item_id: i.item_id.clone(),
            domain: i.group_name.clone(),
            corrective_action: i.corrective_action.clone(),
            responsible_org: i.responsible_org.clone(),
            votes: i.votes,
            priority: i.priority,
        })
        .collect()
}
