//! What the room sees together: the shared screen's choice of view, the self-assessment
//! results as shown outside the console, and the adoption board of the 12:00 session.
//!
//! Outside the console only aggregates leave the server: the public results have no
//! organisation and no cell under [`MIN_CELL`] raters; participants see the board's
//! items and their own votes, never the counts (no bandwagon), the projector and the
//! console see the counts.

use crate::events::{Event, Recorded};
use crate::exercise::evaluation::{AdoptionPhase, ItemStatus, MAX_PRIORITY_VOTES, self_assessment_results};
use crate::exercise::profile::{MIN_CELL, Profile, profile_in};
use crate::exercise::state::Participant;
use crate::lang::Lang;
use crate::protocol::{
    AdoptionItemView, AdoptionView, ProfileCharts, PublicGroupResult, PublicResultsView, ServerMsg, ShowingView,
    Welcome,
};

use super::{Audience, Localized};

/// The messages a board event causes (and the board's part of an improvement's or a
/// rating's); none for other events.
pub(super) fn deliveries(state: &Localized<'_>, rec: &Recorded) -> Vec<(Audience, ServerMsg)> {
    let eval = &state.evaluation;
    match &rec.event {
        Event::ProjectorSwitched { .. } => {
            let showing = ServerMsg::Showing(showing(state, rec.seq));
            vec![(Audience::Projector, showing.clone()), (Audience::Facilitator, showing)]
        }
        Event::AdoptionOpened | Event::AdoptionClosed => adoption_for_everyone(state, rec.seq),
        Event::ImprovementAccepted { .. } | Event::ImprovementDropped { .. }
            if eval.adoption != AdoptionPhase::NotOpened =>
        {
            adoption_for_everyone(state, rec.seq)
        }
        Event::ImprovementAccepted { .. } | Event::ImprovementDropped { .. } => {
            vec![(Audience::Facilitator, ServerMsg::Adoption(adoption(state, rec.seq, Counts::Shown)))]
        }
        Event::PrioritiesVoted { .. } => {
            let board = ServerMsg::Adoption(adoption(state, rec.seq, Counts::Shown));
            vec![(Audience::Facilitator, board.clone()), (Audience::Projector, board)]
        }
        Event::SelfAssessmentOpened | Event::SelfAssessmentClosed | Event::SelfAssessmentRated { .. } => {
            public_results(state, rec.seq)
                .map(|r| {
                    let msg = ServerMsg::PublicResults(r);
                    vec![(Audience::Projector, msg.clone()), (Audience::Facilitator, msg)]
                })
                .unwrap_or_default()
        }
        _ => vec![],
    }
}

/// Adds the board and the shared screen's view to a facilitator's, observer's or the
/// projector's welcome.
pub(super) fn add_room_view(welcome: &mut Welcome, state: &Localized<'_>) {
    welcome.showing = Some(showing(state, state.last_seq));
    welcome.public_results = public_results(state, state.last_seq);
    welcome.adoption = Some(adoption(state, state.last_seq, Counts::Shown));
}

/// Adds the board to a participant's welcome, with their own votes, once it is opened.
pub(super) fn add_participant_board(welcome: &mut Welcome, state: &Localized<'_>, p: &Participant) {
    if state.evaluation.adoption == AdoptionPhase::NotOpened {
        return;
    }
    let mut board = adoption(state, state.last_seq, Counts::Hidden);
    board.mine = Some(state.evaluation.votes.get(&p.id).cloned().unwrap_or_default());
    welcome.adoption = Some(board);
}

fn showing(state: &Localized<'_>, seq: u64) -> ShowingView {
    let poll = super::room::shown_poll(state);
    ShowingView {
        seq,
        view: state.evaluation.projector.into(),
        inject_id: poll.as_ref().map(|(id, _)| id.clone()),
        tally: poll.map(|(_, t)| t),
    }
}

/// The board for every participant (no counts) and for the control room and the
/// projector (with counts).
fn adoption_for_everyone(state: &Localized<'_>, seq: u64) -> Vec<(Audience, ServerMsg)> {
    let hidden = ServerMsg::Adoption(adoption(state, seq, Counts::Hidden));
    let shown = ServerMsg::Adoption(adoption(state, seq, Counts::Shown));
    let mut out: Vec<_> = (state.scenario.groups.iter())
        .map(|g| (Audience::Group { group_id: g.id.clone(), with_facilitator: false }, hidden.clone()))
        .collect();
    out.push((Audience::Facilitator, shown.clone()));
    out.push((Audience::Projector, shown));
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Counts {
    Shown,
    Hidden,
}

/// The accepted items by domain (scenario order), then responsible organisation.
fn adoption(state: &Localized<'_>, seq: u64, counts: Counts) -> AdoptionView {
    let eval = &state.evaluation;
    let votes = eval.vote_counts();
    let domain = |id: &str| state.scenario.groups.iter().position(|g| g.id == id).unwrap_or(usize::MAX);
    let mut items: Vec<_> = eval.improvements.iter().filter(|i| i.status == ItemStatus::Accepted).collect();
    items.sort_by(|a, b| {
        (domain(&a.item.group_id), a.item.responsible_org.to_lowercase())
            .cmp(&(domain(&b.item.group_id), b.item.responsible_org.to_lowercase()))
    });
    let shown = counts == Counts::Shown;
    AdoptionView {
        seq,
        state: eval.adoption.into(),
        max_votes: MAX_PRIORITY_VOTES,
        items: items
            .into_iter()
            .map(|i| AdoptionItemView {
                item_id: i.id.clone(),
                group_id: i.item.group_id.clone(),
                group_name: state.scenario.group(&i.item.group_id).map_or_else(String::new, |g| g.name.to_string()),
                issue: i.item.issue.clone(),
                corrective_action: i.item.corrective_action.clone(),
                responsible_org: i.item.responsible_org.clone(),
                votes: shown.then(|| votes.get(i.id.as_str()).copied().unwrap_or(0)),
            })
            .collect(),
        voters: shown.then_some(eval.votes.len()),
        mine: None,
    }
}

/// The self-assessment as anyone outside the console may see it (none without one).
pub(super) fn public_results(state: &Localized<'_>, seq: u64) -> Option<PublicResultsView> {
    state.scenario.self_assessment.as_ref()?;
    let eval = &state.evaluation;
    let raters = eval.scores.keys().map(|(_, p)| *p).collect::<std::collections::BTreeSet<_>>().len();
    let lang = state.scenario.language;
    let profile = profile_in(lang, state.scenario, eval, &state.participants).map(Profile::public);
    let groups = if profile.is_some() {
        vec![]
    } else {
        (self_assessment_results(state.scenario, eval).into_iter())
            .map(|g| PublicGroupResult {
                mean: g.mean.filter(|_| g.raters >= MIN_CELL),
                group_id: g.group_id,
                group_name: g.group_name,
                raters: g.raters,
            })
            .collect()
    };
    Some(PublicResultsView {
        seq,
        state: eval.self_assessment.into(),
        raters,
        charts: profile.as_ref().map(|p| public_charts(lang, p)),
        profile: profile.map(Into::into),
        groups,
    })
}

/// The charts of a public profile: a withheld cell is drawn as "<3", never as a figure.
fn public_charts(lang: Lang, p: &Profile) -> ProfileCharts {
    let title = match lang {
        Lang::En => "Maturity profile of the room",
        Lang::Fr => "Profil de maturité de la salle",
    };
    super::evaluation::profile_charts(lang, p, title, "<3")
}
