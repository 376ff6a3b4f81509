//! The live room's views: the lobby briefing, a group's members and scribe, how many
//! have joined (projector and console), and polls' tallies — the console sees every
//! tally as answers come; the projector sees a poll's only while the facilitator shows
//! it.

use std::collections::BTreeMap;

use crate::events::{Event, Recorded};
use crate::exercise::evaluation::ProjectorView;
use crate::exercise::room::Tally;
use crate::exercise::state::{InjectStatus, Participant};
use crate::protocol::{
    AttendanceView, BriefingView, MAX_LISTED_MEMBERS, MemberView, ObjectiveView, OptionView, ServerMsg, TallyView,
    Welcome,
};

use super::{Audience, Localized};

/// The messages a join, move, scribe change or poll answer causes for the room (beside
/// the roster and answer pushes in [`super::deliveries`]).
pub(super) fn deliveries(state: &Localized<'_>, rec: &Recorded) -> Vec<(Audience, ServerMsg)> {
    let mut out = Vec::new();
    match &rec.event {
        Event::ParticipantJoined { participant_id, group_id, .. } => {
            // Past the listed members a join changes no list: nothing to tell the group.
            let listed = state.members(group_id).take(MAX_LISTED_MEMBERS + 1).any(|p| p.id == *participant_id);
            if listed {
                out.push(members_message(state, group_id, rec.seq));
            }
            out.extend(attendance_messages(state, rec.seq));
        }
        // The group left is not in the state any more: every group hears who it has.
        Event::ParticipantMoved { .. } => {
            out.extend(state.scenario.groups.iter().map(|g| members_message(state, &g.id, rec.seq)));
            out.extend(attendance_messages(state, rec.seq));
        }
        Event::ScribeAssigned { group_id, .. } => out.push(members_message(state, group_id, rec.seq)),
        // The group left loses a member (and may hand its scribe on).
        Event::ParticipantRemoved { participant_id } => {
            if let Some(p) = state.anyone(*participant_id) {
                out.push(members_message(state, &p.group_id, rec.seq));
            }
            out.extend(attendance_messages(state, rec.seq));
        }
        Event::ResponseSubmitted { inject_id, options, .. } if !options.is_empty() => {
            if let Some(tally) = state.tally(inject_id).map(|t| tally_view(inject_id, &t)) {
                let msg = ServerMsg::Tally(tally);
                if shows_poll(state, inject_id) {
                    out.push((Audience::Projector, msg.clone()));
                }
                out.push((Audience::Facilitator, msg));
            }
        }
        _ => {}
    }
    out
}

/// Adds the briefing (ground rules, objectives, the group's members) to a
/// participant's welcome.
pub(super) fn add_participant_room(welcome: &mut Welcome, state: &Localized<'_>, p: &Participant) {
    welcome.briefing = Some(briefing(state, members(state, &p.group_id)));
}

fn briefing(state: &Localized<'_>, (members, more_members): (Vec<MemberView>, bool)) -> BriefingView {
    let s = &state.scenario;
    BriefingView {
        ground_rules: s.ground_rules.iter().map(|t| t.to_string()).collect(),
        objectives: s.objectives.iter().map(|o| ObjectiveView { id: o.id.clone(), text: o.text.to_string() }).collect(),
        answer_mode: if state.group_answers() { "group" } else { "individual" },
        members,
        more_members,
    }
}

/// Adds attendance, every released poll's tally and the scribes to the control room's
/// welcome.
pub(super) fn add_control_room(welcome: &mut Welcome, state: &Localized<'_>) {
    welcome.attendance = Some(attendance(state, state.last_seq));
    let released = state.scenario.injects.iter().zip(&state.injects);
    let polls = released.filter(|(_, st)| matches!(st, InjectStatus::Released(_)));
    welcome.tallies = Some(polls.filter_map(|(i, _)| state.tally(&i.id).map(|t| tally_view(&i.id, &t))).collect());
    if state.group_answers() {
        let scribes = state.scenario.groups.iter().filter_map(|g| state.scribe(&g.id).map(|p| (g.id.clone(), p.id)));
        welcome.scribes = Some(scribes.collect());
    }
}

/// Adds attendance and the briefing slide's facts (ground rules, objectives; no
/// members) to the projector's welcome.
pub(super) fn add_projector_room(welcome: &mut Welcome, state: &Localized<'_>) {
    welcome.attendance = Some(attendance(state, state.last_seq));
    welcome.briefing = Some(briefing(state, (Vec::new(), false)));
}

/// The poll the shared screen shows now, with its tally.
pub(super) fn shown_poll(state: &Localized<'_>) -> Option<(String, TallyView)> {
    let eval = &state.evaluation;
    let id = eval.projector_poll.as_deref().filter(|_| eval.projector == ProjectorView::Poll)?;
    state.tally(id).map(|t| (id.to_owned(), tally_view(id, &t)))
}

fn shows_poll(state: &Localized<'_>, inject_id: &str) -> bool {
    let eval = &state.evaluation;
    eval.projector == ProjectorView::Poll && eval.projector_poll.as_deref() == Some(inject_id)
}

/// The group's first [`MAX_LISTED_MEMBERS`] in join order (the last place goes to the
/// scribe when they joined later), and whether it has more.
fn members(state: &Localized<'_>, group_id: &str) -> (Vec<MemberView>, bool) {
    let scribe = state.scribe(group_id);
    let mut listed: Vec<&Participant> = state.members(group_id).take(MAX_LISTED_MEMBERS + 1).collect();
    let more = listed.len() > MAX_LISTED_MEMBERS;
    listed.truncate(MAX_LISTED_MEMBERS);
    if let Some(s) = scribe
        && !listed.iter().any(|p| p.id == s.id)
    {
        listed.pop();
        listed.push(s);
    }
    let view = |p: &&Participant| MemberView {
        participant_id: p.id,
        name: p.name.clone(),
        scribe: scribe.is_some_and(|s| s.id == p.id),
    };
    (listed.iter().map(view).collect(), more)
}

fn members_message(state: &Localized<'_>, group_id: &str, seq: u64) -> (Audience, ServerMsg) {
    let (members, more) = members(state, group_id);
    let msg = ServerMsg::GroupMembers { seq, group_id: group_id.to_owned(), members, more };
    (Audience::Group { group_id: group_id.to_owned(), with_facilitator: true }, msg)
}

fn attendance(state: &Localized<'_>, seq: u64) -> AttendanceView {
    let groups: BTreeMap<String, usize> = state.group_sizes().into_iter().map(|(g, n)| (g.to_owned(), n)).collect();
    AttendanceView { seq, joined: state.participants.len(), groups }
}

fn attendance_messages(state: &Localized<'_>, seq: u64) -> [(Audience, ServerMsg); 2] {
    let msg = ServerMsg::Attendance(attendance(state, seq));
    [(Audience::Projector, msg.clone()), (Audience::Facilitator, msg)]
}

fn tally_view(inject_id: &str, t: &Tally) -> TallyView {
    let counts = |counts: &[usize]| -> BTreeMap<String, usize> {
        t.options.iter().zip(counts).map(|(o, n)| (o.id.clone(), *n)).collect()
    };
    TallyView {
        seq: t.seq,
        inject_id: inject_id.to_owned(),
        options: t.options.iter().map(|o| OptionView { id: o.id.clone(), label: o.label.to_string() }).collect(),
        by_group: t.by_group.iter().map(|(g, c)| (g.clone(), counts(c))).collect(),
        total: counts(&t.total),
        answers: t.answers,
    }
}
