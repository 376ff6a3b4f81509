//! Breakout rooms: moving people between groups (one or several at once), evening the
//! groups out, choosing a group's scribe, and the email the Zoom host's assignment
//! file needs. Pure, like the rest of `decide`.

use crate::events::Event;
use crate::ids::ParticipantId;

use super::decide::{Role, Rules, clean_text};
use super::error::ExerciseError;
use super::state::State;

/// Moves each listed participant not yet in `group_id` there; all or nothing.
pub(super) fn move_participants(
    state: &State,
    who: &[ParticipantId],
    group_id: &str,
) -> Result<Vec<Event>, ExerciseError> {
    if state.scenario.group(group_id).is_none() {
        return Err(ExerciseError::UnknownGroup(group_id.to_owned()));
    }
    let mut events = Vec::new();
    for id in who {
        let p = state.participant(*id).ok_or_else(|| ExerciseError::UnknownParticipant(id.to_string()))?;
        let moved =
            events.iter().any(|e| matches!(e, Event::ParticipantMoved { participant_id, .. } if participant_id == id));
        if p.group_id != group_id && !moved {
            events.push(Event::ParticipantMoved { participant_id: *id, group_id: group_id.to_owned() });
        }
    }
    Ok(events)
}

/// Moves as few people as needed so no two groups differ by more than one member:
/// the latest joiner of the largest group goes to the smallest, until even (ties: the
/// earlier group in the scenario gives last and gets first).
pub(super) fn rebalance(state: &State) -> Vec<Event> {
    let groups: Vec<&str> = state.scenario.groups.iter().map(|g| g.id.as_str()).collect();
    let mut members: Vec<Vec<ParticipantId>> =
        groups.iter().map(|g| state.members(g).map(|p| p.id).collect()).collect();
    let mut events = Vec::new();
    loop {
        let (Some(big), Some(small)) = (
            (0..groups.len()).rev().max_by_key(|&i| members[i].len()),
            (0..groups.len()).min_by_key(|&i| members[i].len()),
        ) else {
            return events;
        };
        if members[big].len() <= members[small].len() + 1 {
            return events;
        }
        let Some(moved) = members[big].pop() else { return events };
        members[small].push(moved);
        events.push(Event::ParticipantMoved { participant_id: moved, group_id: groups[small].to_owned() });
    }
}

/// Chooses `participant_id` as the scribe of `group_id`: the facilitator may pick any
/// member; a participant only hands on the role they hold.
pub(super) fn assign_scribe(
    state: &State,
    role: Role,
    group_id: &str,
    participant_id: ParticipantId,
) -> Result<Vec<Event>, ExerciseError> {
    if !state.group_answers() {
        return Err(ExerciseError::NoScribes);
    }
    if state.scenario.group(group_id).is_none() {
        return Err(ExerciseError::UnknownGroup(group_id.to_owned()));
    }
    let current = state.scribe(group_id).map(|p| p.id);
    if let Role::Participant(who) = role
        && current != Some(who)
    {
        return Err(ExerciseError::Forbidden {
            action: "choose a scribe",
            who: "the facilitator and the group's scribe",
        });
    }
    let p = state
        .participant(participant_id)
        .ok_or_else(|| ExerciseError::UnknownParticipant(participant_id.to_string()))?;
    if p.group_id != group_id {
        return Err(ExerciseError::NotInGroup(participant_id.to_string(), group_id.to_owned()));
    }
    if current == Some(participant_id) {
        return Ok(vec![]);
    }
    Ok(vec![Event::ScribeAssigned { group_id: group_id.to_owned(), participant_id }])
}

/// A newcomer's email: kept only when the scenario asks for one, and then checked for
/// the shape of an address (something@domain), no spaces, at most 254 characters.
pub(super) fn email(state: &State, email: Option<&str>, rules: &Rules) -> Result<Option<String>, ExerciseError> {
    let Some(email) = email.filter(|e| state.scenario.ask_email && !e.trim().is_empty()) else {
        return Ok(None);
    };
    let email = clean_text(email, "email", rules.max_email_chars)?;
    let shaped = email.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    });
    if !shaped || email.chars().any(char::is_whitespace) {
        return Err(ExerciseError::InvalidValue(format!("\"{email}\" is not an email address")));
    }
    Ok(Some(email))
}
