//! The live state of one exercise: the event log folded by [`State::apply`].
//!
//! Pure: no I/O and no clock reads; the time of each event comes from its record. The
//! actor applies events after they are stored; startup replays the whole log through
//! the same function, so live run and replay cannot drift apart.

use std::collections::HashMap;
use std::sync::Arc;

use crate::events::{Event, Recorded};
use crate::ids::{ExerciseId, ParticipantId};
use crate::scenario::Scenario;
use crate::time::WallMs;

use super::clock::{Clock, Phase};
use super::conditions;
use super::evaluation::Evaluation;
use super::quota::{Quotas, answer_bytes};
use crate::lang::Lang;

/// One exercise, as the log says it is now. `PartialEq` compares all of it, indexes
/// included: replay must rebuild exactly what the live run holds.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// The scenario it plays (a copy taken at creation), in its main language.
    pub scenario: Arc<Scenario>,
    /// The scenario read in each of its languages, when it has more than one.
    pub translated: Vec<(Lang, Arc<Scenario>)>,
    /// Code participants type to join.
    pub join_code: String,
    /// The facilitator's secret key.
    pub facilitator_key: String,
    /// When the exercise was created.
    pub created_wall_ms: WallMs,
    /// Play clock and phase.
    pub clock: Clock,
    /// Sequence number of the last event applied.
    pub last_seq: u64,
    /// Per scenario inject (same index): pending, released or skipped.
    pub injects: Vec<InjectStatus>,
    /// Participants in join order (without those removed).
    pub participants: Vec<Participant>,
    /// Participants the facilitator removed, in the order removed: their answers stay in
    /// the log and name them.
    pub removed: Vec<Participant>,
    /// Whether the facilitator has locked joining.
    pub joining_locked: bool,
    /// Every response, in log order.
    pub responses: Vec<ResponseRecord>,
    /// Announcements, in log order.
    pub announcements: Vec<Announcement>,
    /// Scribes chosen by the facilitator or handed on, per group id (group answer
    /// mode); see [`State::scribe`] for who writes a group's answer.
    pub scribes: HashMap<String, ParticipantId>,
    /// Observers, notes, ratings, improvement plan, self-assessment.
    pub evaluation: Evaluation,
    /// What each participant has sent, for their quotas.
    pub quotas: Quotas,
    /// Conditions fired or cancelled, by inject id (the others are armed while their
    /// inject is pending).
    conditions: HashMap<String, conditions::Status>,
    /// Per inject id and group id, what the group's answers say (not members'
    /// contributions): what conditions look at.
    answered: HashMap<String, HashMap<String, Answered>>,
    participant_index: HashMap<ParticipantId, usize>,
    token_index: HashMap<String, usize>,
    /// Per participant, client_msg_id → index in `responses` (looked up by `&str`, no copy).
    response_index: HashMap<ParticipantId, HashMap<String, usize>>,
}

/// What a group's answers to one inject say, for conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answered {
    /// Play time of the first answer.
    first_play_ms: u64,
    /// Every option chosen in any of its answers.
    options: std::collections::BTreeSet<String>,
}

/// Where an inject stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectStatus {
    /// Not yet released.
    Pending,
    /// Released to its targets.
    Released(Stamp),
    /// Skipped by the facilitator; never released.
    Skipped(Stamp),
}

/// When something happened, in log, wall and play time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The event's sequence number.
    pub seq: u64,
    /// Wall time.
    pub wall_ms: WallMs,
    /// Play time.
    pub play_ms: u64,
}

/// A participant and their group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Their id.
    pub id: ParticipantId,
    /// Display name.
    pub name: String,
    /// Current group.
    pub group_id: String,
    /// Their secret for reconnecting.
    pub resume_token: String,
    /// The organisation they speak for, as the room spells it.
    pub organisation: Option<String>,
    /// Their sector (a scenario sector id).
    pub sector: Option<String>,
    /// Their email, when the scenario asks for one.
    pub email: Option<String>,
    /// When they joined.
    pub joined: Stamp,
}

/// One answer from a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    /// When it was stored.
    pub stamp: Stamp,
    /// Who wrote it.
    pub participant_id: ParticipantId,
    /// For which group.
    pub group_id: String,
    /// To which inject.
    pub inject_id: String,
    /// The answer (may be empty beside a poll's options).
    pub text: String,
    /// The client's id for it.
    pub client_msg_id: String,
    /// A poll's chosen option ids.
    pub options: Vec<String>,
    /// A member's contribution, not the group's answer (group answer mode).
    pub contribution: bool,
}

/// A message from the facilitator to everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// When it was made.
    pub stamp: Stamp,
    /// The text.
    pub text: String,
}

/// The log does not start with `exercise_created`, or is otherwise not a valid history.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid exercise log: {0}")]
pub struct InvalidLog(pub String);

impl State {
    /// The languages readers may read in: `[None]` when the scenario has one language
    /// (then nothing is built twice), else each of its languages.
    pub fn reading_langs(&self) -> Vec<Option<Lang>> {
        if self.translated.is_empty() { vec![None] } else { self.translated.iter().map(|(l, _)| Some(*l)).collect() }
    }

    /// The language a reader asking for `wanted` reads in: `None` for a scenario in one
    /// language, else one of its languages (its main one when `wanted` is not among them).
    pub fn reading_lang(&self, wanted: Option<Lang>) -> Option<Lang> {
        (!self.translated.is_empty()).then(|| self.scenario.reading_lang(wanted))
    }

    /// The scenario as read in `lang` (see [`State::reading_lang`]).
    pub fn scenario_in(&self, lang: Option<Lang>) -> &Scenario {
        lang.and_then(|l| self.translated.iter().find(|(t, _)| *t == l)).map_or(&*self.scenario, |(_, s)| &**s)
    }

    /// Reads the scenario's texts in `lang` from now on, where the scenario is written in
    /// it: for a copy made for one reader (the report, the debrief's timeline). Ids,
    /// targets and timing are the same in every language, so replay is unchanged.
    pub fn read_in(&mut self, lang: Lang) {
        if let Some((_, s)) = self.translated.iter().find(|(l, _)| *l == lang) {
            self.scenario = s.clone();
        }
    }

    /// The state right after the `exercise_created` event.
    pub fn created(rec: &Recorded) -> Result<Self, InvalidLog> {
        let Event::ExerciseCreated { exercise_id, scenario, join_code, facilitator_key } = &rec.event else {
            return Err(InvalidLog(format!("first event is {}, not exercise_created", rec.event.kind().as_str())));
        };
        if rec.seq != 1 {
            return Err(InvalidLog(format!("exercise_created has seq {}, not 1", rec.seq)));
        }
        let scenario = Scenario::from(&**scenario);
        let translated = if scenario.is_multilingual() {
            scenario.languages().into_iter().map(|l| (l, Arc::new(scenario.in_lang(l)))).collect()
        } else {
            Vec::new()
        };
        Ok(State {
            exercise_id: *exercise_id,
            injects: vec![InjectStatus::Pending; scenario.injects.len()],
            scenario: Arc::new(scenario),
            translated,
            join_code: join_code.clone(),
            facilitator_key: facilitator_key.clone(),
            created_wall_ms: rec.wall_ms,
            clock: Clock::default(),
            last_seq: 1,
            participants: Vec::new(),
            removed: Vec::new(),
            joining_locked: false,
            responses: Vec::new(),
            announcements: Vec::new(),
            scribes: HashMap::new(),
            evaluation: Evaluation::default(),
            quotas: Quotas::default(),
            conditions: HashMap::new(),
            answered: HashMap::new(),
            participant_index: HashMap::new(),
            token_index: HashMap::new(),
            response_index: HashMap::new(),
        })
    }

    /// Rebuilds the state from a whole log, as at startup.
    pub fn replay<'a>(log: impl IntoIterator<Item = &'a Recorded>) -> Result<Self, InvalidLog> {
        let mut log = log.into_iter();
        let first = log.next().ok_or_else(|| InvalidLog("the log is empty".into()))?;
        let mut state = State::created(first)?;
        for rec in log {
            if rec.seq != state.last_seq + 1 {
                return Err(InvalidLog(format!("seq {} follows {}", rec.seq, state.last_seq)));
            }
            state.apply(rec);
        }
        Ok(state)
    }

    /// Folds one event into the state. Events were checked by `decide` before they
    /// were stored, so references are trusted; an inconsistent one is ignored.
    pub fn apply(&mut self, rec: &Recorded) {
        let now = rec.wall_ms;
        let stamp = Stamp { seq: rec.seq, wall_ms: now, play_ms: self.clock.play_ms(now) };
        self.last_seq = rec.seq;
        match &rec.event {
            Event::ExerciseCreated { .. } => {}
            Event::ParticipantJoined { participant_id, name, group_id, resume_token, organisation, sector, email } => {
                let index = self.participants.len();
                self.participants.push(Participant {
                    id: *participant_id,
                    name: name.clone(),
                    group_id: group_id.clone(),
                    resume_token: resume_token.clone(),
                    organisation: organisation.clone(),
                    sector: sector.clone(),
                    email: email.clone(),
                    joined: stamp,
                });
                self.participant_index.insert(*participant_id, index);
                self.token_index.insert(resume_token.clone(), index);
            }
            Event::ClockStarted => self.clock.start(now),
            Event::ClockPaused => self.clock.pause(now),
            Event::ClockResumed => self.clock.resume(now),
            Event::SpeedChanged { speed } => self.clock.set_speed(now, *speed),
            Event::InjectReleased { inject_id, .. } => self.set_inject(inject_id, InjectStatus::Released(stamp)),
            Event::InjectSkipped { inject_id } => self.set_inject(inject_id, InjectStatus::Skipped(stamp)),
            Event::ConditionFired { inject_id, manual } => {
                self.conditions.insert(inject_id.clone(), conditions::Status::Fired { at: stamp, manual: *manual });
            }
            Event::ConditionCancelled { inject_id } => {
                self.conditions.insert(inject_id.clone(), conditions::Status::Cancelled(stamp));
            }
            Event::ParticipantMoved { participant_id, group_id } => {
                if let Some(&i) = self.participant_index.get(participant_id) {
                    self.participants[i].group_id = group_id.clone();
                }
            }
            Event::JoiningLocked => self.joining_locked = true,
            Event::JoiningUnlocked => self.joining_locked = false,
            Event::ParticipantRemoved { participant_id } => self.remove(*participant_id),
            Event::AnnouncementMade { text } => self.announcements.push(Announcement { stamp, text: text.clone() }),
            Event::ResponseSubmitted {
                participant_id,
                group_id,
                inject_id,
                text,
                client_msg_id,
                options,
                contribution,
            } => {
                if !*contribution {
                    self.note_answer(inject_id, group_id, options, stamp.play_ms);
                }
                self.quotas.note(*participant_id, inject_id, answer_bytes(text, options), now);
                self.response_index
                    .entry(*participant_id)
                    .or_default()
                    .insert(client_msg_id.clone(), self.responses.len());
                self.responses.push(ResponseRecord {
                    stamp,
                    participant_id: *participant_id,
                    group_id: group_id.clone(),
                    inject_id: inject_id.clone(),
                    text: text.clone(),
                    client_msg_id: client_msg_id.clone(),
                    options: options.clone(),
                    contribution: *contribution,
                });
            }
            Event::ScribeAssigned { group_id, participant_id } => {
                self.scribes.insert(group_id.clone(), *participant_id);
            }
            Event::ExerciseEnded => self.clock.end(now),
            // Every other kind is the evaluation's (`Event::is_evaluation`); the golden
            // logs hold every kind, so a kind missed here fails this in tests.
            evaluation => {
                debug_assert!(evaluation.is_evaluation(), "State::apply does not handle {:?}", evaluation.kind());
                self.evaluation.apply(evaluation, stamp)
            }
        }
    }

    /// Takes a participant out of the room (roster, groups, token): they are kept in
    /// `removed`, so their answers still name them.
    fn remove(&mut self, who: ParticipantId) {
        let Some(i) = self.participant_index.remove(&who) else { return };
        let gone = self.participants.remove(i);
        self.token_index.remove(&gone.resume_token);
        for (index, p) in self.participants.iter().enumerate().skip(i) {
            self.participant_index.insert(p.id, index);
            self.token_index.insert(p.resume_token.clone(), index);
        }
        self.removed.push(gone);
    }

    /// Whether the facilitator removed this participant.
    pub fn is_removed(&self, who: ParticipantId) -> bool {
        self.removed.iter().any(|p| p.id == who)
    }

    /// Whether this resume token belonged to a participant the facilitator removed.
    pub fn removed_token(&self, token: &str) -> bool {
        self.removed.iter().any(|p| crate::ids::secrets_equal(&p.resume_token, token))
    }

    /// A participant in the room or removed from it (for names in answers and exports).
    pub fn anyone(&self, who: ParticipantId) -> Option<&Participant> {
        self.participant(who).or_else(|| self.removed.iter().find(|p| p.id == who))
    }

    fn note_answer(&mut self, inject_id: &str, group_id: &str, options: &[String], play_ms: u64) {
        let by_group = match self.answered.get_mut(inject_id) {
            Some(g) => g,
            None => self.answered.entry(inject_id.to_owned()).or_default(),
        };
        let mark = match by_group.get_mut(group_id) {
            Some(m) => m,
            None => by_group
                .entry(group_id.to_owned())
                .or_insert(Answered { first_play_ms: play_ms, options: Default::default() }),
        };
        for o in options {
            if !mark.options.contains(o) {
                mark.options.insert(o.clone());
            }
        }
    }

    /// Play time of `group_id`'s first answer to `inject_id` (members' contributions
    /// are not answers).
    pub fn first_answer(&self, inject_id: &str, group_id: &str) -> Option<u64> {
        self.answered.get(inject_id)?.get(group_id).map(|a| a.first_play_ms)
    }

    /// Whether one of `group_id`'s answers to the poll `inject_id` chose `option`.
    pub fn chose(&self, inject_id: &str, group_id: &str, option: &str) -> bool {
        self.answered.get(inject_id).and_then(|g| g.get(group_id)).is_some_and(|a| a.options.contains(option))
    }

    /// How a conditional inject's condition ended (fired or cancelled), if it did.
    pub fn condition_end(&self, inject_id: &str) -> Option<conditions::Status> {
        self.conditions.get(inject_id).copied()
    }

    fn set_inject(&mut self, inject_id: &str, status: InjectStatus) {
        if let Some((i, _)) = self.scenario.inject(inject_id) {
            self.injects[i] = status;
        }
    }

    /// The exercise's phase.
    pub fn phase(&self) -> Phase {
        self.clock.phase
    }

    /// The participant with this id.
    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participant_index.get(&id).map(|&i| &self.participants[i])
    }

    /// The participant holding this resume token.
    pub fn participant_by_token(&self, token: &str) -> Option<&Participant> {
        self.token_index.get(token).map(|&i| &self.participants[i])
    }

    /// The response a participant already sent under this client id.
    pub fn response_by_client_id(&self, who: ParticipantId, client_msg_id: &str) -> Option<&ResponseRecord> {
        self.response_index.get(&who)?.get(client_msg_id).map(|&i| &self.responses[i])
    }

    /// Status of the inject with this id.
    pub fn inject_status(&self, inject_id: &str) -> Option<InjectStatus> {
        self.scenario.inject(inject_id).map(|(i, _)| self.injects[i])
    }

    /// Whether the inject has been released to `group_id`.
    pub fn released_to(&self, inject_id: &str, group_id: &str) -> bool {
        match self.scenario.inject(inject_id) {
            Some((i, inject)) => {
                matches!(self.injects[i], InjectStatus::Released(_)) && inject.targets.includes(group_id)
            }
            None => false,
        }
    }

    /// The organisations participants named, each once, in the order first named.
    pub fn organisations(&self) -> impl Iterator<Item = &str> {
        let mut seen = std::collections::HashSet::new();
        self.participants.iter().filter_map(|p| p.organisation.as_deref()).filter(move |o| seen.insert(*o))
    }

    /// How many participants each group has, in scenario order.
    pub fn group_sizes(&self) -> Vec<(&str, usize)> {
        // One pass over the participants (this runs on every join).
        let mut sizes: Vec<(&str, usize)> = self.scenario.groups.iter().map(|g| (g.id.as_str(), 0)).collect();
        for p in &self.participants {
            if let Some((_, n)) = sizes.iter_mut().find(|(g, _)| *g == p.group_id) {
                *n += 1;
            }
        }
        sizes
    }

    /// The next timed inject still pending, in release order, with its play time.
    pub fn next_due(&self) -> Option<(usize, u64)> {
        self.scenario
            .timed_order()
            .into_iter()
            .find(|&i| self.injects[i] == InjectStatus::Pending)
            .and_then(|i| self.scenario.injects[i].at_play_ms().map(|at| (i, at)))
    }

    /// The wall time at which the next timed inject falls due or the next armed
    /// condition holds by time alone, if the clock runs.
    pub fn next_due_wall_ms(&self) -> Option<WallMs> {
        let timed = self.next_due().map(|(_, at)| at);
        let play = match (timed, conditions::next_play_ms(self)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        play.and_then(|at| self.clock.wall_ms_at(at))
    }
}
