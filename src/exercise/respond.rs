//! Deciding an answer: free text, a poll's choice with its optional "why", and in
//! group answer mode the scribe's answer for the group or another member's
//! contribution. Pure, like the rest of `decide`.

use crate::events::Event;
use crate::ids::ParticipantId;
use crate::scenario::ResponseKind;
use crate::time::WallMs;

use super::clock::Phase;
use super::decide::{Rules, clean_text};
use super::error::ExerciseError;
use super::quota::answer_bytes;
use super::state::{ResponseRecord, State};

/// What a participant sent with `respond`.
pub(super) struct Answer<'a> {
    /// The inject.
    pub inject_id: &'a str,
    /// The text (the "why" beside a poll's options; may then be empty).
    pub text: &'a str,
    /// A poll's option ids.
    pub options: &'a [String],
    /// The client's id for it.
    pub client_msg_id: &'a str,
}

/// The event that stores `who`'s answer at wall time `now`, or why it is refused. In
/// group mode a member other than the scribe contributes text; the scribe may edit the
/// group's answer until its window closes (a first answer after that is taken, late).
pub(super) fn respond(
    state: &State,
    who: ParticipantId,
    a: &Answer,
    now: WallMs,
    rules: &Rules,
) -> Result<Vec<Event>, ExerciseError> {
    // A re-sent answer is already stored: nothing to append, the caller acks it again.
    // The same id for something else is refused: acking it would drop the new answer.
    if let Some(earlier) = state.response_by_client_id(who, a.client_msg_id) {
        return match same_answer(earlier, a) {
            true => Ok(vec![]),
            false => Err(ExerciseError::DuplicateId(a.client_msg_id.to_owned())),
        };
    }
    let participant = state.participant(who).ok_or_else(|| ExerciseError::UnknownParticipant(who.to_string()))?;
    if a.client_msg_id.trim().is_empty() || a.client_msg_id.chars().count() > rules.max_client_msg_id_chars {
        return Err(ExerciseError::InvalidText("client_msg_id"));
    }
    if state.phase() == Phase::Ended {
        return Err(ExerciseError::Ended);
    }
    let Some((_, inject)) = state.scenario.inject(a.inject_id) else {
        return Err(ExerciseError::UnknownInject(a.inject_id.to_owned()));
    };
    if !state.released_to(a.inject_id, &participant.group_id) {
        return Err(ExerciseError::InjectNotReleased(a.inject_id.to_owned()));
    }
    let group_id = participant.group_id.clone();
    let contribution = state.scribe(&group_id).is_some_and(|scribe| scribe.id != who);
    if contribution {
        if !a.options.is_empty() {
            return Err(ExerciseError::NotScribe);
        }
        let text = clean_text(a.text, "contribution", rules.max_contribution_chars)?;
        state.quotas.check(who, a.inject_id, answer_bytes(&text, &[]), now, rules)?;
        return Ok(vec![stored(who, group_id, a, text, vec![], true)]);
    }
    if state.group_answers() && !state.answers_of(a.inject_id, &group_id).is_empty() {
        let now_late = state.due_play_ms(a.inject_id).is_some_and(|due| state.clock.play_ms(now) > due);
        if now_late {
            return Err(ExerciseError::WindowClosed(a.inject_id.to_owned()));
        }
    }
    let options = chosen(&inject.response, a)?;
    let text = match (a.text.trim().is_empty(), options.is_empty()) {
        // The "why" beside a choice is optional.
        (true, false) => String::new(),
        _ => clean_text(a.text, "response", rules.max_response_chars)?,
    };
    state.quotas.check(who, a.inject_id, answer_bytes(&text, &options), now, rules)?;
    Ok(vec![stored(who, group_id, a, text, options, false)])
}

/// The option ids of a poll's answer, checked against the poll: known ids, each once,
/// one unless the poll takes several. None is allowed: a text-only answer to a poll is
/// taken (an older phone, a group that will not choose) and counts in no tally.
fn chosen(response: &ResponseKind, a: &Answer) -> Result<Vec<String>, ExerciseError> {
    let ResponseKind::Choice { options, multiple } = response else {
        return match a.options.is_empty() {
            true => Ok(vec![]),
            false => Err(ExerciseError::NotAPoll(a.inject_id.to_owned())),
        };
    };
    let mut ids: Vec<String> = Vec::with_capacity(a.options.len());
    for id in a.options {
        if !options.iter().any(|o| &o.id == id) {
            return Err(ExerciseError::UnknownOption { inject: a.inject_id.to_owned(), option: id.clone() });
        }
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    match ids.len() {
        n if n > 1 && !multiple => Err(ExerciseError::InvalidChoice("this poll takes one option")),
        _ => Ok(ids),
    }
}

/// Whether a re-sent answer is the one stored under its client id: same inject, same
/// text (as it was cleaned) and same options.
fn same_answer(earlier: &ResponseRecord, a: &Answer) -> bool {
    let text: String = a.text.trim().chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    let mut options: Vec<&String> = Vec::with_capacity(a.options.len());
    for o in a.options {
        if !options.contains(&o) {
            options.push(o);
        }
    }
    earlier.inject_id == a.inject_id && earlier.text == text && earlier.options.iter().eq(options)
}

fn stored(
    who: ParticipantId,
    group_id: String,
    a: &Answer,
    text: String,
    options: Vec<String>,
    contribution: bool,
) -> Event {
    Event::ResponseSubmitted {
        participant_id: who,
        group_id,
        inject_id: a.inject_id.to_owned(),
        text,
        client_msg_id: a.client_msg_id.to_owned(),
        options,
        contribution,
    }
}
