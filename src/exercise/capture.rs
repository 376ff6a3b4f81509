//! `decide` for evaluation commands: observers, notes, objective ratings, the
//! improvement plan and the self-assessment. Pure, like [`super::decide`], which has
//! already checked the role; these run in every phase, play ended or not.

use std::collections::{BTreeMap, BTreeSet};

use crate::events::Event;
use crate::ids::ParticipantId;
use crate::scenario::SCALE;

use super::decide::{Command, Role, Rules, clean_text};
use super::error::ExerciseError;
use super::evaluation::{
    AdoptionPhase, Author, ImprovementItem, ItemStatus, MAX_PRIORITY_VOTES, ProjectorView, SelfAssessmentPhase,
};
use super::state::{InjectStatus, State};

/// The events an evaluation command stands for, or why it is refused.
pub(super) fn decide(state: &State, role: Role, cmd: &Command, rules: &Rules) -> Result<Vec<Event>, ExerciseError> {
    let eval = &state.evaluation;
    let limit = |what: &'static str, n: usize| {
        if n >= rules.max_evaluation_items {
            Err(ExerciseError::TooMany { what, max: rules.max_evaluation_items })
        } else {
            Ok(())
        }
    };
    match cmd {
        Command::AddObserver { name, observer_id, key } => {
            limit("observers", eval.observers.len())?;
            let name = clean_text(name, "observer name", rules.max_name_chars)?;
            Ok(vec![Event::ObserverAdded { observer_id: *observer_id, name, key: key.clone() }])
        }
        Command::AddNote { note_id, inject_id, objective_id, group_id, text, client_msg_id, category } => {
            if client_msg_id.as_deref().is_some_and(|id| eval.note_by_client_id(author(role), id).is_some()) {
                return Ok(vec![]);
            }
            limit("notes", eval.notes.len())?;
            if let Some(id) = inject_id.as_deref().filter(|id| state.scenario.inject(id).is_none()) {
                return Err(ExerciseError::UnknownInject(id.to_owned()));
            }
            if let Some(id) = objective_id.as_deref() {
                known_objective(state, id)?;
            }
            if let Some(id) = group_id.as_deref().filter(|id| state.scenario.group(id).is_none()) {
                return Err(ExerciseError::UnknownGroup(id.to_owned()));
            }
            Ok(vec![Event::NoteAdded {
                note_id: note_id.clone(),
                author: author(role).into(),
                inject_id: inject_id.clone(),
                objective_id: objective_id.clone(),
                group_id: group_id.clone(),
                text: clean_text(text, "note", rules.max_note_chars)?,
                client_msg_id: client_id(client_msg_id.as_deref(), rules)?,
                category: category.map(Into::into),
            }])
        }
        Command::RateObjective { objective_id, rating, strengths, areas_for_improvement } => {
            known_objective(state, objective_id)?;
            Ok(vec![Event::ObjectiveRated {
                objective_id: objective_id.clone(),
                author: author(role).into(),
                rating: (*rating).into(),
                strengths: optional_text(strengths, "strengths", rules.max_note_chars)?,
                areas_for_improvement: optional_text(
                    areas_for_improvement,
                    "areas for improvement",
                    rules.max_note_chars,
                )?,
            }])
        }
        Command::ProposeImprovement { item_id, item, client_msg_id } => {
            let Role::Participant(who) = role else {
                return Err(ExerciseError::Forbidden { action: "propose an improvement", who: "participants" });
            };
            if client_msg_id.as_deref().is_some_and(|id| eval.proposal_by_client_id(who, id).is_some()) {
                return Ok(vec![]);
            }
            let participant =
                state.participant(who).ok_or_else(|| ExerciseError::UnknownParticipant(who.to_string()))?;
            proposal_quota(state, who, &participant.group_id, rules)?;
            let item = ImprovementItem { group_id: participant.group_id.clone(), ..item.clone() };
            Ok(vec![Event::ImprovementProposed {
                item_id: item_id.clone(),
                participant_id: who,
                item: clean_item(state, &item, rules)?.into(),
                client_msg_id: client_id(client_msg_id.as_deref(), rules)?,
            }])
        }
        // The facilitator's own items count against no limit: participants' proposals
        // cannot crowd them out.
        Command::AcceptImprovement { item_id, item } => Ok(vec![Event::ImprovementAccepted {
            item_id: item_id.clone(),
            item: clean_item(state, item, rules)?.into(),
        }]),
        Command::DropImprovement { item_id } => match eval.improvement(item_id) {
            None => Err(ExerciseError::UnknownItem(item_id.clone())),
            Some(i) if i.status == ItemStatus::Dropped => Ok(vec![]),
            Some(_) => Ok(vec![Event::ImprovementDropped { item_id: item_id.clone() }]),
        },
        Command::OpenSelfAssessment => {
            if state.scenario.self_assessment.is_none() {
                return Err(ExerciseError::SelfAssessmentUnavailable("not part of this scenario"));
            }
            Ok(match eval.self_assessment {
                SelfAssessmentPhase::Open => vec![],
                _ => vec![Event::SelfAssessmentOpened],
            })
        }
        Command::CloseSelfAssessment => Ok(match eval.self_assessment {
            SelfAssessmentPhase::Open => vec![Event::SelfAssessmentClosed],
            _ => vec![],
        }),
        Command::RateSelf { scores, dont_know } => {
            let Role::Participant(who) = role else {
                return Err(ExerciseError::Forbidden { action: "rate the self-assessment", who: "participants" });
            };
            rate_self(state, who, scores, dont_know)
        }
        Command::EditReport { executive_summary, marking } => {
            let executive_summary = match executive_summary {
                Some(text) => Some(optional_text(text, "executive summary", rules.max_summary_chars)?),
                None => None,
            };
            let marking = match marking {
                Some(m) => Some(optional_text(m, "marking", rules.max_marking_chars)?),
                None => None,
            };
            let unchanged = executive_summary.as_ref().is_none_or(|t| *t == eval.executive_summary)
                && marking.as_ref().is_none_or(|m| Some(m).filter(|m| !m.is_empty()) == eval.marking.as_ref());
            if unchanged {
                return Ok(vec![]);
            }
            Ok(vec![Event::ReportEdited { executive_summary, marking }])
        }
        Command::OpenAdoption => Ok(match eval.adoption {
            AdoptionPhase::Open => vec![],
            _ => vec![Event::AdoptionOpened],
        }),
        Command::CloseAdoption => Ok(match eval.adoption {
            AdoptionPhase::Open => vec![Event::AdoptionClosed],
            _ => vec![],
        }),
        Command::VotePriorities { item_ids } => {
            let Role::Participant(who) = role else {
                return Err(ExerciseError::Forbidden { action: "vote for priorities", who: "participants" });
            };
            vote(state, who, item_ids)
        }
        Command::ShowOnProjector { view, inject_id } => show_on_projector(state, *view, inject_id.as_deref()),
        _ => Err(ExerciseError::InvalidValue(format!("{cmd:?} is not an evaluation command"))),
    }
}

/// Refuses a proposal from `who` when they, or their group, already have as many
/// standing proposals as allowed (dropped items do not count; accepted ones do).
fn proposal_quota(state: &State, who: ParticipantId, group_id: &str, rules: &Rules) -> Result<(), ExerciseError> {
    let standing = state.evaluation.improvements.iter().filter(|i| i.status != ItemStatus::Dropped);
    let (mut mine, mut group) = (0, 0);
    for i in standing.filter(|i| i.proposed_by.is_some()) {
        mine += usize::from(i.proposed_by == Some(who));
        group += usize::from(i.item.group_id == group_id);
    }
    if mine >= rules.max_proposals_per_participant {
        return Err(ExerciseError::QuotaExceeded {
            what: "improvement proposals from you",
            max: rules.max_proposals_per_participant,
        });
    }
    if group >= rules.max_proposals_per_group {
        return Err(ExerciseError::QuotaExceeded {
            what: "improvement proposals from your group",
            max: rules.max_proposals_per_group,
        });
    }
    Ok(())
}

fn rate_self(
    state: &State,
    who: ParticipantId,
    scores: &BTreeMap<String, u8>,
    dont_know: &BTreeSet<String>,
) -> Result<Vec<Event>, ExerciseError> {
    let Some(plan) = &state.scenario.self_assessment else {
        return Err(ExerciseError::SelfAssessmentUnavailable("not part of this scenario"));
    };
    if state.evaluation.self_assessment != SelfAssessmentPhase::Open {
        return Err(ExerciseError::SelfAssessmentUnavailable("not open"));
    }
    let participant = state.participant(who).ok_or_else(|| ExerciseError::UnknownParticipant(who.to_string()))?;
    if scores.is_empty() && dont_know.is_empty() {
        return Err(ExerciseError::InvalidValue("no scores given".into()));
    }
    let rated = |statement: &String| plan.rated_by(&participant.group_id).any(|s| &s.id == statement);
    if let Some(unknown) = scores.keys().chain(dont_know).find(|s| !rated(s)) {
        return Err(ExerciseError::UnknownStatement(unknown.clone()));
    }
    if let Some(both) = dont_know.iter().find(|s| scores.contains_key(*s)) {
        return Err(ExerciseError::InvalidValue(format!("\"{both}\" has a score and \"don't know\"")));
    }
    for (statement, score) in scores {
        if !SCALE.iter().any(|(s, _)| s == score) {
            return Err(ExerciseError::InvalidValue(format!("score {score} for \"{statement}\" is not 1 to 5")));
        }
    }
    Ok(vec![Event::SelfAssessmentRated {
        participant_id: who,
        group_id: participant.group_id.clone(),
        scores: scores.clone(),
        dont_know: dont_know.clone(),
    }])
}

/// A participant's vote set: distinct accepted items, at most [`MAX_PRIORITY_VOTES`].
fn vote(state: &State, who: ParticipantId, item_ids: &[String]) -> Result<Vec<Event>, ExerciseError> {
    let eval = &state.evaluation;
    if eval.adoption != AdoptionPhase::Open {
        return Err(ExerciseError::AdoptionUnavailable);
    }
    state.participant(who).ok_or_else(|| ExerciseError::UnknownParticipant(who.to_string()))?;
    if item_ids.len() > MAX_PRIORITY_VOTES {
        return Err(ExerciseError::TooManyVotes { max: MAX_PRIORITY_VOTES });
    }
    let mut chosen: Vec<String> = Vec::with_capacity(item_ids.len());
    for id in item_ids {
        match eval.improvement(id) {
            None => return Err(ExerciseError::UnknownItem(id.clone())),
            Some(i) if i.status != ItemStatus::Accepted => {
                return Err(ExerciseError::InvalidValue(format!("item \"{id}\" is not in the plan")));
            }
            Some(_) if chosen.contains(id) => {
                return Err(ExerciseError::InvalidValue(format!("item \"{id}\" is chosen twice")));
            }
            Some(_) => chosen.push(id.clone()),
        }
    }
    let current = eval.votes.get(&who).map_or(&[][..], Vec::as_slice);
    let same = current.len() == chosen.len() && chosen.iter().all(|id| current.contains(id));
    if same {
        return Ok(vec![]);
    }
    Ok(vec![Event::PrioritiesVoted { participant_id: who, item_ids: chosen }])
}

/// A client id as stored: non-empty and short, or none.
fn client_id(id: Option<&str>, rules: &Rules) -> Result<Option<String>, ExerciseError> {
    match id {
        None => Ok(None),
        Some(id) if id.trim().is_empty() || id.chars().count() > rules.max_client_msg_id_chars => {
            Err(ExerciseError::InvalidText("client_msg_id"))
        }
        Some(id) => Ok(Some(id.to_owned())),
    }
}

fn author(role: Role) -> Author {
    match role {
        Role::Observer(observer_id) => Author::Observer { observer_id },
        Role::Facilitator | Role::Participant(_) => Author::Facilitator,
    }
}

fn known_objective(state: &State, id: &str) -> Result<(), ExerciseError> {
    match state.scenario.objectives.iter().any(|o| o.id == id) {
        true => Ok(()),
        false => Err(ExerciseError::UnknownObjective(id.to_owned())),
    }
}

/// Like [`clean_text`], but empty is allowed.
fn optional_text(text: &str, what: &'static str, max: usize) -> Result<String, ExerciseError> {
    if text.trim().is_empty() { Ok(String::new()) } else { clean_text(text, what, max) }
}

/// Checks an item: issue and corrective action required, a known group, a real date.
fn clean_item(state: &State, item: &ImprovementItem, rules: &Rules) -> Result<ImprovementItem, ExerciseError> {
    let max = rules.max_item_field_chars;
    if state.scenario.group(&item.group_id).is_none() {
        return Err(ExerciseError::UnknownGroup(item.group_id.clone()));
    }
    let date = |value: &str, what: &str| {
        let value = value.trim();
        match value.is_empty() || is_date(value) {
            true => Ok(value.to_owned()),
            false => Err(ExerciseError::InvalidValue(format!("{what} \"{value}\" is not a date as YYYY-MM-DD"))),
        }
    };
    let (start, due) = (date(&item.start, "start date")?, date(&item.due, "due date")?);
    if !start.is_empty() && !due.is_empty() && start > due {
        return Err(ExerciseError::InvalidValue(format!("start date {start} is after the completion date {due}")));
    }
    Ok(ImprovementItem {
        issue: clean_text(&item.issue, "issue", max)?,
        corrective_action: clean_text(&item.corrective_action, "corrective action", max)?,
        group_id: item.group_id.clone(),
        capability: item.capability,
        responsible_org: optional_text(&item.responsible_org, "responsible organisation", max)?,
        owner: optional_text(&item.owner, "owner", max)?,
        due,
        start,
        priority: item.priority,
        progress: item.progress,
    })
}

/// `YYYY-MM-DD` with a month 1–12 and a day that exists in that month.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?.parse().ok();
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Switches the shared screen; a poll must be a released choice inject (the projector
/// shows its tally only now, on the facilitator's word).
fn show_on_projector(state: &State, view: ProjectorView, inject_id: Option<&str>) -> Result<Vec<Event>, ExerciseError> {
    let eval = &state.evaluation;
    let inject_id = match view {
        ProjectorView::Poll => {
            let id = inject_id.ok_or_else(|| ExerciseError::NotAPoll(String::new()))?;
            let (_, inject) = state.scenario.inject(id).ok_or_else(|| ExerciseError::UnknownInject(id.to_owned()))?;
            if inject.response.options().is_empty() {
                return Err(ExerciseError::NotAPoll(id.to_owned()));
            }
            if !matches!(state.inject_status(id), Some(InjectStatus::Released(_))) {
                return Err(ExerciseError::InjectNotReleased(id.to_owned()));
            }
            Some(id.to_owned())
        }
        _ => None,
    };
    if view == eval.projector && inject_id == eval.projector_poll {
        return Ok(vec![]);
    }
    Ok(vec![Event::ProjectorSwitched { view: view.into(), inject_id }])
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn due_dates_must_exist() {
        assert!(is_date("2027-03-31"));
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2027-02-29"));
        assert!(!is_date("2027-13-01"));
        assert!(!is_date("31/03/2027"));
        assert!(!is_date("2027-3-31"));
    }
}
