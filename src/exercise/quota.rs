//! Per-participant quotas on answers, read from the log: how many answers a participant
//! sent in the last minute of wall time, how often they revised one inject's answer, and
//! how many bytes of answers they and the whole exercise hold.
//!
//! The counts are folded by [`State::apply`](super::state::State::apply) from each
//! answer's record (its wall time and its text), so they hold across sockets,
//! reconnects and restarts: one resume token on thirty sockets is one participant. Pure,
//! like `decide`: the wall time comes in as an argument.

use std::collections::HashMap;

use crate::ids::ParticipantId;
use crate::time::WallMs;

use super::decide::Rules;
use super::error::ExerciseError;

/// The window of the answer rate.
pub const RATE_WINDOW_MS: WallMs = 60_000;

/// What the log says each participant has sent so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quotas {
    by_participant: HashMap<ParticipantId, Sent>,
    /// Bytes of answer text (and option ids) in the whole exercise.
    total_bytes: usize,
}

/// One participant's answers, as far as quotas go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sent {
    /// Wall time of each answer, in log order.
    walls: Vec<WallMs>,
    /// Answers per inject id (revisions and contributions included).
    per_inject: HashMap<String, usize>,
    /// Bytes of their answers.
    bytes: usize,
}

/// The bytes an answer counts for.
pub fn answer_bytes(text: &str, options: &[String]) -> usize {
    text.len() + options.iter().map(String::len).sum::<usize>()
}

impl Quotas {
    /// Counts one stored answer.
    pub fn note(&mut self, who: ParticipantId, inject_id: &str, bytes: usize, wall_ms: WallMs) {
        let sent = self.by_participant.entry(who).or_default();
        sent.walls.push(wall_ms);
        match sent.per_inject.get_mut(inject_id) {
            Some(n) => *n += 1,
            None => {
                sent.per_inject.insert(inject_id.to_owned(), 1);
            }
        }
        sent.bytes += bytes;
        self.total_bytes += bytes;
    }

    /// Refuses a new answer of `bytes` from `who` to `inject_id` at `now` when it would
    /// go over a quota: `rate_limited` (with the seconds to wait) or `quota_exceeded`.
    pub fn check(
        &self,
        who: ParticipantId,
        inject_id: &str,
        bytes: usize,
        now: WallMs,
        rules: &Rules,
    ) -> Result<(), ExerciseError> {
        if self.total_bytes + bytes > rules.max_answer_bytes {
            return Err(ExerciseError::QuotaExceeded {
                what: "bytes of answers in this exercise",
                max: rules.max_answer_bytes,
            });
        }
        let Some(sent) = self.by_participant.get(&who) else { return Ok(()) };
        let per_minute = rules.max_answers_per_minute;
        if per_minute == 0 {
            return Err(ExerciseError::RateLimited { retry_after_secs: RATE_WINDOW_MS / 1000 });
        }
        if sent.walls.len() >= per_minute {
            // The oldest answer of the last `per_minute`: the window frees when it leaves.
            let oldest = sent.walls[sent.walls.len() - per_minute];
            let frees_at = oldest + RATE_WINDOW_MS;
            if now < frees_at {
                return Err(ExerciseError::RateLimited { retry_after_secs: (frees_at - now).div_ceil(1000).max(1) });
            }
        }
        if sent.per_inject.get(inject_id).copied().unwrap_or(0) >= rules.max_answers_per_inject {
            return Err(ExerciseError::QuotaExceeded {
                what: "answers to this inject from you",
                max: rules.max_answers_per_inject,
            });
        }
        if sent.bytes + bytes > rules.max_participant_answer_bytes {
            return Err(ExerciseError::QuotaExceeded {
                what: "bytes of answers from you",
                max: rules.max_participant_answer_bytes,
            });
        }
        Ok(())
    }
}
