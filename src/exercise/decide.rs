//! `decide`: what a command means for the exercise, as events, or why it is refused.
//!
//! Pure: the wall time and any new ids come in as arguments. Authorization happens
//! here too (a participant cannot release an inject), so it is tested without sockets.

use crate::events::Event;
use std::collections::{BTreeMap, BTreeSet};

use crate::ids::{ObserverId, ParticipantId};

use super::clock::Phase;
use super::error::ExerciseError;
use super::evaluation::{ImprovementItem, NoteCategory, ProjectorView, Rating};
use super::state::{InjectStatus, State};
use super::{breakout, capture, conditions, respond};
use crate::time::WallMs;

/// Who sends a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The facilitator (or the server's own timer).
    Facilitator,
    /// A participant.
    Participant(ParticipantId),
    /// An observer (evaluator): notes and ratings only.
    Observer(ObserverId),
}

/// Something someone asks the exercise to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start the play clock.
    Start,
    /// Pause the play clock.
    Pause,
    /// Resume the paused play clock.
    ResumeClock,
    /// Release an inject now, timed or contingency.
    Release {
        /// The inject.
        inject_id: String,
    },
    /// Skip an inject: it will never be released.
    Skip {
        /// The inject.
        inject_id: String,
    },
    /// Change the clock's speed.
    SetSpeed {
        /// Play milliseconds per wall millisecond.
        speed: f64,
    },
    /// Move a participant to another group.
    Move {
        /// Who.
        participant_id: ParticipantId,
        /// Where to.
        group_id: String,
    },
    /// Refuse new participants from now on (those in the room still resume).
    LockJoining,
    /// Take new participants again.
    UnlockJoining,
    /// Take a participant out of the exercise: their token stops working, they leave the
    /// roster; their answers stay.
    RemoveParticipant {
        /// Who.
        participant_id: ParticipantId,
    },
    /// Tell everyone something.
    Announce {
        /// The announcement.
        text: String,
    },
    /// End the exercise.
    End,
    /// Release every timed inject whose play time has come, and every conditional inject
    /// whose condition holds (the actor's timer, and the end of every batch).
    ReleaseDue,
    /// Fire a conditional inject's armed condition now: release the inject.
    FireCondition {
        /// The conditional inject.
        inject_id: String,
    },
    /// Cancel a conditional inject's armed condition (the inject stays pending).
    CancelCondition {
        /// The conditional inject.
        inject_id: String,
    },
    /// A new participant joins; the caller chose the new id and token.
    Join {
        /// Display name.
        name: String,
        /// The group asked for (honoured when the scenario lets groups self-select).
        group_id: Option<String>,
        /// The organisation they speak for, as typed (optional).
        organisation: Option<String>,
        /// One of the scenario's sector ids (optional).
        sector: Option<String>,
        /// Their email (kept when the scenario asks for one).
        email: Option<String>,
        /// The id to give them.
        participant_id: ParticipantId,
        /// The resume token to give them.
        resume_token: String,
    },
    /// A participant answers an inject for their group.
    Respond {
        /// The inject.
        inject_id: String,
        /// The answer (may be empty beside a poll's options).
        text: String,
        /// A poll's chosen option ids.
        options: Vec<String>,
        /// The client's id for this answer.
        client_msg_id: String,
    },
    /// Move several participants to one group.
    MoveParticipants {
        /// Who.
        participant_ids: Vec<ParticipantId>,
        /// Where to.
        group_id: String,
    },
    /// Even out the groups' sizes.
    Rebalance,
    /// Choose a group's scribe (facilitator; or the scribe handing the role on).
    AssignScribe {
        /// The group.
        group_id: String,
        /// The new scribe.
        participant_id: ParticipantId,
    },
    /// Give an observer (evaluator) a key; the caller chose the id and key.
    AddObserver {
        /// Their name.
        name: String,
        /// The id to give them.
        observer_id: ObserverId,
        /// The key to give them.
        key: String,
    },
    /// Take a note (facilitator or observer).
    AddNote {
        /// The note's id (chosen by the caller).
        note_id: String,
        /// The inject it is about.
        inject_id: Option<String>,
        /// The objective it bears on.
        objective_id: Option<String>,
        /// The group it is about.
        group_id: Option<String>,
        /// The note.
        text: String,
        /// The author's id for it: a re-send with the same id is stored once.
        client_msg_id: Option<String>,
        /// A strength or an area for improvement (none: an observation).
        category: Option<NoteCategory>,
    },
    /// Rate an objective P/S/M/U (facilitator or observer).
    RateObjective {
        /// The objective.
        objective_id: String,
        /// The rating.
        rating: Rating,
        /// What went well.
        strengths: String,
        /// What to improve.
        areas_for_improvement: String,
    },
    /// A participant proposes an improvement-plan item for their group.
    ProposeImprovement {
        /// The item's id (chosen by the caller).
        item_id: String,
        /// The item (its group is the participant's).
        item: ImprovementItem,
        /// The participant's id for it: a re-send with the same id is stored once.
        client_msg_id: Option<String>,
    },
    /// The facilitator accepts a proposal (possibly edited), edits an item, or adds one.
    AcceptImprovement {
        /// An existing item, or a new id.
        item_id: String,
        /// The item as it should stand.
        item: ImprovementItem,
    },
    /// The facilitator leaves an item out of the plan.
    DropImprovement {
        /// The item.
        item_id: String,
    },
    /// Let participants rate their group's self-assessment statements.
    OpenSelfAssessment,
    /// Stop taking self-assessment scores.
    CloseSelfAssessment,
    /// A participant scores their group's statements 1–5.
    RateSelf {
        /// Score per statement id.
        scores: BTreeMap<String, u8>,
        /// Statements answered "don't know" (no score, not counted).
        dont_know: BTreeSet<String>,
    },
    /// The facilitator writes the executive summary or sets the handling marking
    /// (`None`: unchanged; an empty marking: the scenario's).
    EditReport {
        /// The executive summary.
        executive_summary: Option<String>,
        /// The handling marking.
        marking: Option<String>,
    },
    /// Let participants vote for priorities on the adoption board.
    OpenAdoption,
    /// Stop taking votes.
    CloseAdoption,
    /// A participant chooses their priorities among the accepted items (replaces their
    /// earlier choice; none withdraws it).
    VotePriorities {
        /// Accepted improvement items.
        item_ids: Vec<String>,
    },
    /// Choose what the shared screen shows.
    ShowOnProjector {
        /// Play, results, the adoption board, the briefing or a poll.
        view: ProjectorView,
        /// The poll to show, for [`ProjectorView::Poll`].
        inject_id: Option<String>,
    },
}

/// Limits the core enforces.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Most characters in a response.
    pub max_response_chars: usize,
    /// Most characters in a member's contribution (group answer mode).
    pub max_contribution_chars: usize,
    /// Most characters in an email address.
    pub max_email_chars: usize,
    /// Most characters in an announcement.
    pub max_announcement_chars: usize,
    /// Most characters in a display name.
    pub max_name_chars: usize,
    /// Most characters in an organisation's name.
    pub max_organisation_chars: usize,
    /// Most characters in a client message id.
    pub max_client_msg_id_chars: usize,
    /// Most participants in one exercise.
    pub max_participants: usize,
    /// Most characters in a note, a strength or an area for improvement.
    pub max_note_chars: usize,
    /// Most characters in one field of an improvement-plan item.
    pub max_item_field_chars: usize,
    /// Most observers, notes or improvement items in one exercise (each).
    pub max_evaluation_items: usize,
    /// Slowest and fastest clock speed.
    pub speed_range: (f64, f64),
    /// Most characters in the executive summary.
    pub max_summary_chars: usize,
    /// Most answers (contributions included) one participant sends in a minute of wall
    /// time, over all their sockets.
    pub max_answers_per_minute: usize,
    /// Most answers (revisions included) one participant sends to one inject.
    pub max_answers_per_inject: usize,
    /// Most bytes of answers one participant sends in the whole exercise.
    pub max_participant_answer_bytes: usize,
    /// Most bytes of answers in the whole exercise.
    pub max_answer_bytes: usize,
    /// Most improvement proposals one participant has standing (dropped ones do not count).
    pub max_proposals_per_participant: usize,
    /// Most improvement proposals one group has standing (dropped ones do not count).
    pub max_proposals_per_group: usize,
    /// Most characters in a handling marking.
    pub max_marking_chars: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            max_response_chars: 8_000,
            max_contribution_chars: 1_000,
            max_email_chars: 254,
            max_announcement_chars: 2_000,
            max_name_chars: 60,
            max_organisation_chars: 100,
            max_client_msg_id_chars: 64,
            max_participants: 5_000,
            max_note_chars: 4_000,
            max_item_field_chars: 500,
            max_evaluation_items: 2_000,
            speed_range: (0.1, 600.0),
            max_summary_chars: 20_000,
            // One a second on average over a minute: a phone sends one answer per press.
            max_answers_per_minute: 60,
            max_answers_per_inject: 50,
            // 2 MiB: 1,000 answers of 2,000 characters; 64 maximal answers of 4-byte text.
            max_participant_answer_bytes: 2 * 1024 * 1024,
            // 64 MiB: 200 people × 20 injects × 4 revisions × 4,000 bytes; the room's
            // memory and log stay bounded however many join.
            max_answer_bytes: 64 * 1024 * 1024,
            max_proposals_per_participant: 30,
            max_proposals_per_group: 200,
            max_marking_chars: 40,
        }
    }
}

impl Command {
    /// What the command does, for error messages.
    fn action(&self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Pause => "pause",
            Command::ResumeClock => "resume",
            Command::Release { .. } => "release an inject",
            Command::Skip { .. } => "skip an inject",
            Command::SetSpeed { .. } => "set the speed",
            Command::Move { .. } => "move a participant",
            Command::Announce { .. } => "announce",
            Command::LockJoining => "lock joining",
            Command::UnlockJoining => "unlock joining",
            Command::RemoveParticipant { .. } => "remove a participant",
            Command::End => "end the exercise",
            Command::ReleaseDue => "release due injects",
            Command::FireCondition { .. } => "fire a condition",
            Command::CancelCondition { .. } => "cancel a condition",
            Command::Join { .. } => "join",
            Command::Respond { .. } => "respond",
            Command::MoveParticipants { .. } => "move participants",
            Command::Rebalance => "rebalance the groups",
            Command::AssignScribe { .. } => "choose a scribe",
            Command::AddObserver { .. } => "add an observer",
            Command::AddNote { .. } => "add a note",
            Command::RateObjective { .. } => "rate an objective",
            Command::ProposeImprovement { .. } => "propose an improvement",
            Command::AcceptImprovement { .. } => "accept an improvement",
            Command::DropImprovement { .. } => "drop an improvement",
            Command::OpenSelfAssessment => "open the self-assessment",
            Command::CloseSelfAssessment => "close the self-assessment",
            Command::RateSelf { .. } => "rate the self-assessment",
            Command::EditReport { .. } => "edit the report",
            Command::OpenAdoption => "open the adoption board",
            Command::CloseAdoption => "close the adoption board",
            Command::VotePriorities { .. } => "vote for priorities",
            Command::ShowOnProjector { .. } => "choose what the projector shows",
        }
    }

    /// Refuses the command unless `role` may send it.
    fn authorize(&self, role: Role) -> Result<(), ExerciseError> {
        let (allowed, who) = match self {
            Command::AssignScribe { .. } => {
                (matches!(role, Role::Facilitator | Role::Participant(_)), "the facilitator and the group's scribe")
            }
            Command::Join { .. }
            | Command::Respond { .. }
            | Command::ProposeImprovement { .. }
            | Command::RateSelf { .. }
            | Command::VotePriorities { .. } => (matches!(role, Role::Participant(_)), "participants"),
            Command::AddNote { .. } | Command::RateObjective { .. } => {
                (matches!(role, Role::Facilitator | Role::Observer(_)), "the facilitator and observers")
            }
            _ => (role == Role::Facilitator, "the facilitator"),
        };
        if allowed { Ok(()) } else { Err(ExerciseError::Forbidden { action: self.action(), who }) }
    }
}

/// Decides what `cmd` from `role` at wall time `now` means: the events to append, in
/// order (none when there is nothing to do), or why it is refused.
pub fn decide(
    state: &State,
    role: Role,
    cmd: &Command,
    now: WallMs,
    rules: &Rules,
) -> Result<Vec<Event>, ExerciseError> {
    cmd.authorize(role)?;
    if let Role::Participant(who) = role
        && state.is_removed(who)
    {
        return Err(ExerciseError::Removed);
    }
    let phase = state.phase();
    let wrong_phase = || ExerciseError::WrongPhase { action: cmd.action(), phase };
    match cmd {
        Command::Respond { inject_id, text, options, client_msg_id } => {
            let Role::Participant(who) = role else {
                return Err(ExerciseError::Forbidden { action: "respond", who: "participants" });
            };
            respond::respond(state, who, &respond::Answer { inject_id, text, options, client_msg_id }, now, rules)
        }
        Command::AssignScribe { group_id, participant_id } => {
            breakout::assign_scribe(state, role, group_id, *participant_id)
        }
        // The evaluation's commands, decided in `capture`: they go on after play ends
        // (hot wash, debrief).
        Command::AddObserver { .. }
        | Command::AddNote { .. }
        | Command::RateObjective { .. }
        | Command::ProposeImprovement { .. }
        | Command::AcceptImprovement { .. }
        | Command::DropImprovement { .. }
        | Command::OpenSelfAssessment
        | Command::CloseSelfAssessment
        | Command::RateSelf { .. }
        | Command::EditReport { .. }
        | Command::OpenAdoption
        | Command::CloseAdoption
        | Command::VotePriorities { .. }
        | Command::ShowOnProjector { .. } => capture::decide(state, role, cmd, rules),
        // The room's door and its members: also after play ends (the hot wash goes on).
        Command::LockJoining => Ok(if state.joining_locked { vec![] } else { vec![Event::JoiningLocked] }),
        Command::UnlockJoining => Ok(if state.joining_locked { vec![Event::JoiningUnlocked] } else { vec![] }),
        Command::RemoveParticipant { participant_id } => {
            if state.is_removed(*participant_id) {
                return Ok(vec![]);
            }
            state
                .participant(*participant_id)
                .ok_or_else(|| ExerciseError::UnknownParticipant(participant_id.to_string()))?;
            Ok(vec![Event::ParticipantRemoved { participant_id: *participant_id }])
        }
        // The timer's: nothing is due unless the clock runs (an ended exercise included).
        Command::ReleaseDue => Ok(release_due(state, now)),
        _ if phase == Phase::Ended => Err(ExerciseError::Ended),
        Command::Start => match phase {
            Phase::Lobby => Ok(vec![Event::ClockStarted]),
            _ => Err(wrong_phase()),
        },
        Command::Pause => match phase {
            Phase::Running => Ok(vec![Event::ClockPaused]),
            _ => Err(wrong_phase()),
        },
        Command::ResumeClock => match phase {
            Phase::Paused => Ok(vec![Event::ClockResumed]),
            _ => Err(wrong_phase()),
        },
        Command::Release { inject_id } => {
            pending(state, inject_id)?;
            Ok(vec![Event::InjectReleased { inject_id: inject_id.clone(), manual: true }])
        }
        Command::Skip { inject_id } => {
            pending(state, inject_id)?;
            Ok(vec![Event::InjectSkipped { inject_id: inject_id.clone() }])
        }
        Command::FireCondition { inject_id } => conditions::fire_now(state, inject_id),
        Command::CancelCondition { inject_id } => conditions::cancel(state, inject_id),
        Command::SetSpeed { speed } => {
            let (min, max) = rules.speed_range;
            if !(speed.is_finite() && (min..=max).contains(speed)) {
                return Err(ExerciseError::InvalidSpeed { min, max });
            }
            Ok(vec![Event::SpeedChanged { speed: *speed }])
        }
        Command::Move { participant_id, group_id } => {
            breakout::move_participants(state, std::slice::from_ref(participant_id), group_id)
        }
        Command::MoveParticipants { participant_ids, group_id } => {
            breakout::move_participants(state, participant_ids, group_id)
        }
        Command::Rebalance => Ok(breakout::rebalance(state)),
        Command::Announce { text } => {
            let text = clean_text(text, "announcement", rules.max_announcement_chars)?;
            Ok(vec![Event::AnnouncementMade { text }])
        }
        Command::End => Ok(vec![Event::ExerciseEnded]),
        Command::Join { name, group_id, organisation, sector, email, participant_id, resume_token } => {
            let (organisation, sector) = affiliation(state, organisation.as_deref(), sector.as_deref(), rules)?;
            let email = breakout::email(state, email.as_deref(), rules)?;
            let newcomer = (organisation, sector, email);
            join(state, name, group_id.as_deref(), newcomer, *participant_id, resume_token, rules)
        }
    }
}

/// Every timed inject whose play time has come, in release order, then every
/// conditional inject whose condition holds.
fn release_due(state: &State, now: WallMs) -> Vec<Event> {
    if state.phase() != Phase::Running {
        return vec![];
    }
    let play = state.clock.play_ms(now);
    let mut events: Vec<Event> = state
        .scenario
        .timed_order()
        .into_iter()
        .filter(|&i| state.injects[i] == InjectStatus::Pending)
        .map(|i| &state.scenario.injects[i])
        .take_while(|inj| inj.at_play_ms().is_some_and(|at| at <= play))
        .map(|inj| Event::InjectReleased { inject_id: inj.id.clone(), manual: false })
        .collect();
    events.extend(conditions::due(state, now));
    events
}

fn pending(state: &State, inject_id: &str) -> Result<(), ExerciseError> {
    match state.inject_status(inject_id) {
        None => Err(ExerciseError::UnknownInject(inject_id.to_owned())),
        Some(InjectStatus::Pending) => Ok(()),
        Some(InjectStatus::Released(_)) => Err(ExerciseError::InjectNotPending(inject_id.to_owned(), "released")),
        Some(InjectStatus::Skipped(_)) => Err(ExerciseError::InjectNotPending(inject_id.to_owned(), "skipped")),
    }
}

/// Who a newcomer speaks for: the organisation as the room already spells it (the same
/// name typed in other case or spacing is the same organisation, so profiles per
/// organisation add up), and a sector the scenario lists. Both optional.
fn affiliation(
    state: &State,
    organisation: Option<&str>,
    sector: Option<&str>,
    rules: &Rules,
) -> Result<(Option<String>, Option<String>), ExerciseError> {
    let organisation = match organisation.filter(|o| !o.trim().is_empty()) {
        None => None,
        Some(o) => {
            let typed = clean_text(o, "organisation", rules.max_organisation_chars)?;
            let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
            let key = organisation_key(&typed);
            Some(state.organisations().find(|known| organisation_key(known) == key).map_or(typed, str::to_owned))
        }
    };
    let sector = match sector.filter(|s| !s.is_empty()) {
        None => None,
        Some(s) if state.scenario.sector(s).is_some() => Some(s.to_owned()),
        Some(s) => return Err(ExerciseError::UnknownSector(s.to_owned())),
    };
    Ok((organisation, sector))
}

/// An organisation's name compared without case (spaces are already collapsed).
fn organisation_key(name: &str) -> String {
    name.to_lowercase()
}

fn join(
    state: &State,
    name: &str,
    group_id: Option<&str>,
    (organisation, sector, email): (Option<String>, Option<String>, Option<String>),
    participant_id: ParticipantId,
    resume_token: &str,
    rules: &Rules,
) -> Result<Vec<Event>, ExerciseError> {
    if state.joining_locked {
        return Err(ExerciseError::JoiningLocked);
    }
    let name = super::names::display_name(name, "name", rules.max_name_chars)?;
    if state.participants.len() + state.removed.len() >= rules.max_participants {
        return Err(ExerciseError::Full(rules.max_participants));
    }
    let chosen = match group_id {
        Some(g) if state.scenario.self_select_groups => {
            state.scenario.group(g).ok_or_else(|| ExerciseError::UnknownGroup(g.to_owned()))?;
            g.to_owned()
        }
        // Fewest members first; `min_by_key` keeps the earliest group on ties.
        _ => state
            .group_sizes()
            .into_iter()
            .min_by_key(|&(_, n)| n)
            .map(|(g, _)| g.to_owned())
            .ok_or_else(|| ExerciseError::UnknownGroup(String::new()))?,
    };
    Ok(vec![Event::ParticipantJoined {
        participant_id,
        name,
        group_id: chosen,
        resume_token: resume_token.to_owned(),
        organisation,
        sector,
        email,
    }])
}

/// Trims text, refuses empty or over-long text, and drops control characters other
/// than line breaks and tabs.
pub(super) fn clean_text(text: &str, what: &'static str, max: usize) -> Result<String, ExerciseError> {
    let trimmed = text.trim();
    let mut cleaned = String::with_capacity(trimmed.len());
    cleaned.extend(trimmed.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')));
    if cleaned.is_empty() {
        return Err(ExerciseError::InvalidText(what));
    }
    if cleaned.chars().count() > max {
        return Err(ExerciseError::TooLong { what, max });
    }
    Ok(cleaned)
}
