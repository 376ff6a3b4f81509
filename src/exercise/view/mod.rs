//! What each role may see: the one place where the exercise is filtered.
//!
//! Participants get injects released to their group with their group's questions only,
//! their group's answers, announcements and the clock — never pending injects, expected
//! actions, facilitator notes or other groups' answers. The facilitator sees everything.
//! The transport only routes [`Delivery`]s by [`Audience`]; it never filters content.
//! What differs per participant (a profile's take-away) is built per participant here
//! and addressed to that participant alone ([`Audience::Participant`]).
//! Observers see what the facilitator sees, without observer keys; [`evaluation`] holds
//! the views of notes, ratings, the improvement plan and the self-assessment.

mod board;
mod conditions;
mod evaluation;
pub mod paging;
mod room;
mod takeaway;

pub use conditions::condition_views;
pub use evaluation::{author_name, author_name_in};

use std::collections::BTreeMap;
use std::ops::Deref;

use crate::events::{Event, Recorded};
use crate::ids::{ObserverId, ParticipantId};
use crate::lang::Lang;
use crate::protocol::{
    AnnouncementView, AttachmentView, ClockView, FileView, GroupChoice, GroupView, InjectView, JoinInfo,
    OlderResponses, ParticipantView, PlannedInject, ProgressView, ResponseView, RosterChange, ScenarioInfo, SectorView,
    ServerMsg, Welcome, WireRole, You,
};
use crate::scenario::{Group, Inject, Scenario};
use crate::time::WallMs;

use super::files::{self, FileScope};
use super::state::{InjectStatus, Participant, ResponseRecord, Stamp, State};

/// The exercise as one reader sees it: its state, with the scenario in the reader's
/// language. Every view reads `state.scenario` through this, so each text it writes is
/// in that language; the rest of the state is shared (`Deref`).
#[derive(Debug, Clone, Copy)]
pub struct Localized<'a> {
    state: &'a State,
    /// The scenario in the reader's language.
    pub scenario: &'a Scenario,
    /// The reader's language (`None`: the scenario has one language).
    pub lang: Option<Lang>,
}

impl<'a> Localized<'a> {
    /// The state read in `lang` (see [`State::reading_lang`]).
    pub fn new(state: &'a State, lang: Option<Lang>) -> Self {
        Localized { state, scenario: state.scenario_in(lang), lang }
    }

    /// The state read in the scenario's main language.
    pub fn main(state: &'a State) -> Self {
        Localized::new(state, state.reading_lang(None))
    }
}

impl Deref for Localized<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        self.state
    }
}

/// Most announcements a welcome carries (the latest).
pub const MAX_WELCOME_ANNOUNCEMENTS: usize = 200;

/// Which sockets a pushed message is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The facilitator's sockets only (e.g. a new observer's key).
    FacilitatorOnly,
    /// The observers' sockets only (e.g. a new observer, without the key).
    ObserversOnly,
    /// The facilitator's and the observers' sockets (the control room).
    Facilitator,
    /// Every socket of the exercise.
    Everyone,
    /// Participants currently in the group, and the control room when `with_facilitator`.
    Group {
        /// The group.
        group_id: String,
        /// Whether facilitator sockets get it too.
        with_facilitator: bool,
    },
    /// Projector sockets (the shared screen).
    Projector,
    /// One participant's sockets only (e.g. their self-assessment take-away): it goes
    /// into their group's channel, and only their socket takes it.
    Participant {
        /// Who it is for.
        participant_id: ParticipantId,
        /// Their group (the channel their socket reads).
        group_id: String,
    },
    /// One participant, who now belongs to `group_id` (their socket re-routes).
    Moved {
        /// Who moved.
        participant_id: ParticipantId,
        /// Their new group.
        group_id: String,
    },
    /// One participant, removed from the exercise: it goes into their group's channel,
    /// their socket takes it and closes; other sockets leave it out.
    Removed {
        /// Who was removed.
        participant_id: ParticipantId,
        /// Their group (the channel their socket reads).
        group_id: String,
    },
}

/// The messages an event causes, each with its audience.
pub fn deliveries(state: &Localized<'_>, rec: &Recorded) -> Vec<(Audience, ServerMsg)> {
    let mut out = event_deliveries(state, rec);
    out.extend(conditions::after(state, rec).map(|m| (Audience::Facilitator, m)));
    out
}

fn event_deliveries(state: &Localized<'_>, rec: &Recorded) -> Vec<(Audience, ServerMsg)> {
    let stamp = |seq| Stamp { seq, wall_ms: rec.wall_ms, play_ms: state.clock.play_ms(rec.wall_ms) };
    match &rec.event {
        Event::ExerciseCreated { .. } => vec![],
        Event::ClockStarted
        | Event::ClockPaused
        | Event::ClockResumed
        | Event::SpeedChanged { .. }
        | Event::ExerciseEnded => {
            vec![(Audience::Everyone, ServerMsg::Clock(clock_view(state, rec.seq, rec.wall_ms)))]
        }
        Event::InjectReleased { inject_id, manual } => {
            let Some((_, inject)) = state.scenario.inject(inject_id) else { return vec![] };
            let at = stamp(rec.seq);
            let mut out =
                vec![(Audience::Facilitator, ServerMsg::Inject(facilitator_inject(state, inject, at, Some(*manual))))];
            for g in state.scenario.target_groups(inject) {
                out.push((
                    Audience::Group { group_id: g.id.clone(), with_facilitator: false },
                    ServerMsg::Inject(participant_inject(state, inject, &g.id, at)),
                ));
            }
            out.push((Audience::Projector, ServerMsg::Inject(projected_inject(state, inject, at))));
            out.extend(progress(state, inject_id, rec.seq).map(|p| (Audience::Projector, ServerMsg::Progress(p))));
            out
        }
        // The release that follows says it to everyone; `conditions::after` to the console.
        Event::ConditionFired { .. } | Event::ConditionCancelled { .. } => vec![],
        Event::InjectSkipped { inject_id } => vec![(
            Audience::Facilitator,
            ServerMsg::InjectSkipped {
                seq: rec.seq,
                inject_id: inject_id.clone(),
                play_ms: state.clock.play_ms(rec.wall_ms),
            },
        )],
        Event::ParticipantJoined { participant_id, .. } => {
            let mut out: Vec<_> = roster_change(state, rec.seq, *participant_id, RosterChange::Joined)
                .map(|m| (Audience::Facilitator, m))
                .into_iter()
                .collect();
            out.extend(room::deliveries(state, rec));
            out
        }
        Event::ScribeAssigned { .. } => room::deliveries(state, rec),
        Event::ParticipantMoved { participant_id, group_id } => {
            let mut out: Vec<_> = roster_change(state, rec.seq, *participant_id, RosterChange::Moved)
                .map(|m| (Audience::Facilitator, m))
                .into_iter()
                .collect();
            if let Some(msg) = state.participant(*participant_id).and_then(|p| moved_message(state, p)) {
                out.push((Audience::Moved { participant_id: *participant_id, group_id: group_id.clone() }, msg));
            }
            out.extend(room::deliveries(state, rec));
            out
        }
        Event::JoiningLocked | Event::JoiningUnlocked => vec![(
            Audience::Facilitator,
            ServerMsg::Joining { seq: rec.seq, locked: matches!(rec.event, Event::JoiningLocked) },
        )],
        Event::ParticipantRemoved { participant_id } => {
            let mut out: Vec<_> = roster_change(state, rec.seq, *participant_id, RosterChange::Removed)
                .map(|m| (Audience::Facilitator, m))
                .into_iter()
                .collect();
            if let Some(p) = state.anyone(*participant_id) {
                out.push((
                    Audience::Removed { participant_id: p.id, group_id: p.group_id.clone() },
                    ServerMsg::Removed { seq: rec.seq, participant_id: p.id },
                ));
            }
            out.extend(room::deliveries(state, rec));
            out
        }
        Event::AnnouncementMade { text } => vec![(
            Audience::Everyone,
            ServerMsg::Announcement(AnnouncementView {
                seq: rec.seq,
                text: text.clone(),
                play_ms: state.clock.play_ms(rec.wall_ms),
            }),
        )],
        Event::ResponseSubmitted { group_id, client_msg_id, participant_id, inject_id, .. } => {
            let mut out: Vec<_> = state
                .response_by_client_id(*participant_id, client_msg_id)
                .map(|r| {
                    (
                        Audience::Group { group_id: group_id.clone(), with_facilitator: true },
                        ServerMsg::Response(response_view(state, r)),
                    )
                })
                .into_iter()
                .collect();
            out.extend(progress(state, inject_id, rec.seq).map(|p| (Audience::Projector, ServerMsg::Progress(p))));
            out.extend(room::deliveries(state, rec));
            out
        }
        // Every other kind is the evaluation's (`Event::is_evaluation`).
        evaluation => {
            debug_assert!(evaluation.is_evaluation(), "view::deliveries does not handle {:?}", evaluation.kind());
            let mut out = evaluation::deliveries(state, rec);
            out.extend(board::deliveries(state, rec));
            out
        }
    }
}

/// What a participant who was moved gets: their (new) group and everything it has, as
/// of the state's last event.
pub fn moved_message(state: &Localized<'_>, p: &Participant) -> Option<ServerMsg> {
    let group = state.scenario.group(&p.group_id)?;
    Some(ServerMsg::Moved {
        seq: state.last_seq,
        group: group_view(state.scenario, group),
        injects: released_to_group(state, &p.group_id, 0),
        responses: group_responses(state, &p.group_id, 0).0,
        improvements: evaluation::group_improvements(state, &p.group_id),
        self_assessment: evaluation::participant_self_assessment(state, p),
    })
}

/// The welcome for a participant: their group's view of everything after `since`.
pub fn participant_welcome(state: &Localized<'_>, p: &Participant, since: u64, now: WallMs) -> Welcome {
    let group = state.scenario.group(&p.group_id).map(|g| group_view(state.scenario, g));
    let mut welcome = Welcome {
        role: WireRole::Participant,
        you: Some(You {
            participant_id: p.id,
            name: p.name.clone(),
            resume_token: p.resume_token.clone(),
            organisation: p.organisation.clone(),
            sector: p.sector.clone(),
        }),
        group,
        join_code: None,
        groups: None,
        plan: None,
        roster: None,
        injects: released_to_group(state, &p.group_id, since),
        ..common_welcome(state, since, now)
    };
    (welcome.responses, welcome.older_responses) = group_responses(state, &p.group_id, since);
    evaluation::add_participant_view(&mut welcome, state, p);
    board::add_participant_board(&mut welcome, state, p);
    room::add_participant_room(&mut welcome, state, p);
    welcome
}

/// The welcome for the facilitator: everything, with the full plan and observer keys.
pub fn facilitator_welcome(state: &Localized<'_>, since: u64, now: WallMs) -> Welcome {
    let mut welcome = control_room_welcome(state, since, now);
    evaluation::add_staff_view(&mut welcome, state, true);
    board::add_room_view(&mut welcome, state);
    room::add_control_room(&mut welcome, state);
    welcome
}

/// The welcome for an observer: the facilitator's, read-only, without observer keys.
pub fn observer_welcome(state: &Localized<'_>, observer: ObserverId, since: u64, now: WallMs) -> Welcome {
    let mut welcome = control_room_welcome(state, since, now);
    welcome.role = WireRole::Observer;
    evaluation::add_staff_view(&mut welcome, state, false);
    board::add_room_view(&mut welcome, state);
    room::add_control_room(&mut welcome, state);
    welcome.observer = evaluation::observer_self(state, observer);
    welcome
}

fn control_room_welcome(state: &Localized<'_>, since: u64, now: WallMs) -> Welcome {
    let released = state.scenario.injects.iter().zip(&state.injects).filter_map(|(inj, status)| match status {
        InjectStatus::Released(at) if at.seq > since => Some(facilitator_inject(state, inj, *at, None)),
        _ => None,
    });
    let mut injects: Vec<InjectView> = released.collect();
    injects.sort_by_key(|i| i.seq);
    let mut welcome = Welcome {
        role: WireRole::Facilitator,
        you: None,
        group: None,
        join_code: Some(state.join_code.clone()),
        groups: Some(state.scenario.groups.iter().map(|g| group_view(state.scenario, g)).collect()),
        plan: Some(plan(state, now)),
        roster: Some(state.participants.iter().map(participant_view).collect()),
        joining_locked: Some(state.joining_locked),
        sectors: Some(sector_views(state)).filter(|s| !s.is_empty()),
        injects,
        ..common_welcome(state, since, now)
    };
    (welcome.responses, welcome.older_responses) =
        paging::welcome_answers(state, state.responses.iter().filter(|r| r.stamp.seq > since));
    welcome
}

/// The welcome for the shared screen: public facts only (no questions, no names, no
/// answers, no notes).
pub fn projector_welcome(state: &Localized<'_>, now: WallMs) -> Welcome {
    let released = state.scenario.injects.iter().zip(&state.injects).filter_map(|(inj, status)| match status {
        InjectStatus::Released(at) => Some(projected_inject(state, inj, *at)),
        _ => None,
    });
    let mut injects: Vec<InjectView> = released.collect();
    injects.sort_by_key(|i| i.seq);
    let progress = injects.iter().filter_map(|i| progress(state, &i.inject_id, i.seq)).collect();
    let mut welcome = Welcome {
        role: WireRole::Projector,
        join_code: Some(state.join_code.clone()),
        groups: Some(state.scenario.groups.iter().map(|g| group_view(state.scenario, g)).collect()),
        injects,
        progress: Some(progress),
        ..common_welcome(state, 0, now)
    };
    board::add_room_view(&mut welcome, state);
    room::add_projector_room(&mut welcome, state);
    welcome
}

/// What the join form offers: the scenario's sectors and the organisations named so far.
pub fn join_info(state: &Localized<'_>) -> JoinInfo {
    JoinInfo {
        title: state.scenario.title.to_string(),
        sectors: state
            .scenario
            .sectors
            .iter()
            .map(|s| SectorView { id: s.id.clone(), label: s.label.to_string() })
            .collect(),
        organisations: state.organisations().map(str::to_owned).collect(),
        groups: state.scenario.self_select_groups.then(|| {
            let sizes = state.group_sizes();
            (state.scenario.groups.iter().zip(sizes))
                .map(|(g, (_, members))| GroupChoice {
                    id: g.id.clone(),
                    name: g.name.to_string(),
                    focus: g.focus.to_string(),
                    members,
                })
                .collect()
        }),
        ask_email: state.scenario.ask_email,
    }
}

fn sector_views(state: &Localized<'_>) -> Vec<SectorView> {
    state.scenario.sectors.iter().map(|s| SectorView { id: s.id.clone(), label: s.label.to_string() }).collect()
}

/// How many of an inject's target groups have answered it so far.
fn progress(state: &Localized<'_>, inject_id: &str, seq: u64) -> Option<ProgressView> {
    let (_, inject) = state.scenario.inject(inject_id)?;
    let targeted: Vec<&str> = state.scenario.target_groups(inject).map(|g| g.id.as_str()).collect();
    let answered = targeted
        .iter()
        .filter(|g| state.responses.iter().any(|r| r.inject_id == inject_id && r.group_id == **g))
        .count();
    Some(ProgressView {
        seq,
        inject_id: inject_id.to_owned(),
        groups_answered: answered,
        groups_targeted: targeted.len(),
    })
}

fn common_welcome(state: &Localized<'_>, since: u64, now: WallMs) -> Welcome {
    let s = &state.scenario;
    Welcome {
        role: WireRole::Participant,
        exercise_id: state.exercise_id,
        scenario: ScenarioInfo {
            id: s.id.clone(),
            title: s.title.to_string(),
            summary: s.summary.to_string(),
            duration_minutes: s.duration_minutes,
        },
        last_seq: state.last_seq,
        clock: clock_view(state, state.last_seq, now),
        you: None,
        group: None,
        join_code: None,
        public_url: None, // set by the socket, which knows the server's options
        groups: None,
        plan: None,
        roster: None,
        sectors: None,
        injects: vec![],
        responses: vec![],
        // The latest announcements only: a long exercise's welcome stays small.
        announcements: state.announcements[state.announcements.len().saturating_sub(MAX_WELCOME_ANNOUNCEMENTS)..]
            .iter()
            .filter(|a| a.stamp.seq > since)
            .map(|a| AnnouncementView { seq: a.stamp.seq, text: a.text.clone(), play_ms: a.stamp.play_ms })
            .collect(),
        progress: None,
        observer: None,
        observers: None,
        objectives: None,
        notes: None,
        ratings: None,
        improvements: None,
        self_assessment: None,
        self_assessment_results: None,
        public_results: None,
        report: None,
        adoption: None,
        showing: None,
        briefing: None,
        attendance: None,
        tallies: None,
        scribes: None,
        joining_locked: None,
        older_responses: Vec::new(),
    }
}

/// The clock as of wall time `now`, labelled with log position `seq`.
pub fn clock_view(state: &Localized<'_>, seq: u64, now: WallMs) -> ClockView {
    ClockView {
        seq,
        state: state.clock.phase.into(),
        play_ms: state.clock.play_ms(now),
        wall_ms: now,
        speed: state.clock.speed,
    }
}

fn released_to_group(state: &Localized<'_>, group_id: &str, since: u64) -> Vec<InjectView> {
    let mut out: Vec<InjectView> = state
        .scenario
        .injects
        .iter()
        .zip(&state.injects)
        .filter_map(|(inj, status)| match status {
            InjectStatus::Released(at) if at.seq > since && inj.targets.includes(group_id) => {
                Some(participant_inject(state, inj, group_id, *at))
            }
            _ => None,
        })
        .collect();
    out.sort_by_key(|i| i.seq);
    out
}

/// A group's answers after `since`, paged ([`paging`]): the latest per inject, and how
/// many older ones each inject has.
fn group_responses(state: &Localized<'_>, group_id: &str, since: u64) -> (Vec<ResponseView>, Vec<OlderResponses>) {
    paging::welcome_answers(state, state.responses.iter().filter(|r| r.group_id == group_id && r.stamp.seq > since))
}

/// A page of older answers to `inject_id` before `before_seq`: one group's (a
/// participant's own group; the control room may name any, or none for all groups).
pub fn older_responses(
    state: &Localized<'_>,
    inject_id: &str,
    group_id: Option<&str>,
    before_seq: u64,
    limit: usize,
) -> ServerMsg {
    let of = state.responses.iter().filter(|r| r.inject_id == inject_id && group_id.is_none_or(|g| r.group_id == g));
    let (responses, more) = paging::older_page(state, of, before_seq, limit);
    ServerMsg::OlderResponses {
        inject_id: inject_id.to_owned(),
        group_id: group_id.map(str::to_owned),
        responses,
        more,
    }
}

fn participant_inject(state: &State, inj: &Inject, group_id: &str, at: Stamp) -> InjectView {
    let scope = FileScope::Group(group_id.to_owned());
    InjectView { questions: Some(inj.questions_for(group_id)), ..shared_inject(state, inj, at, &scope) }
}

fn facilitator_inject(state: &State, inj: &Inject, at: Stamp, manual: Option<bool>) -> InjectView {
    InjectView {
        questions_by_group: Some(questions_by_group(inj)),
        targets: Some(inj.targets.clone()),
        manual,
        ..shared_inject(state, inj, at, &FileScope::Control)
    }
}

/// What the shared screen shows of an inject: the shared fields and which groups it
/// is for (no questions).
fn projected_inject(state: &State, inj: &Inject, at: Stamp) -> InjectView {
    InjectView { targets: Some(inj.targets.clone()), ..shared_inject(state, inj, at, &FileScope::Screen) }
}

/// The fields every receiver of an inject sees.
fn shared_inject(state: &State, inj: &Inject, at: Stamp, scope: &FileScope) -> InjectView {
    InjectView {
        seq: at.seq,
        inject_id: inj.id.clone(),
        title: inj.title.to_string(),
        body: inj.body.to_string(),
        from: inj.from.as_deref().map(str::to_owned),
        channel: inj.channel.as_deref().map(str::to_owned),
        questions: None,
        questions_by_group: None,
        response: inj.response.clone(),
        respond_within_ms: inj.window_ms(),
        due_play_ms: inj.window_ms().map(|w| at.play_ms + w),
        attachments: attachment_views(state, inj, scope),
        play_ms: at.play_ms,
        wall_ms: at.wall_ms,
        targets: None,
        manual: None,
        collect_improvements: inj.collect_improvements,
    }
}

/// An inject's handouts for one scope of reader, files with that scope's links.
pub fn attachment_views(state: &State, inj: &Inject, scope: &FileScope) -> Vec<AttachmentView> {
    inj.attachments
        .iter()
        .map(|a| AttachmentView {
            title: a.title.to_string(),
            text: a.text.as_deref().map(str::to_owned),
            url: a.url.clone(),
            file: a.content.as_ref().map(|c| FileView {
                src: files::link(state, scope, &c.hash),
                kind: c.kind().as_str(),
                media_type: c.media_type.clone(),
                size: c.size,
            }),
            caption: a.caption.as_deref().map(str::to_owned),
            alt: a.alt.as_deref().map(str::to_owned),
        })
        .collect()
}

fn questions_by_group(inj: &Inject) -> BTreeMap<String, Vec<String>> {
    inj.questions.iter().map(|(g, q)| (g.clone(), q.strings())).collect()
}

fn plan(state: &Localized<'_>, now: WallMs) -> Vec<PlannedInject> {
    state
        .scenario
        .injects
        .iter()
        .zip(&state.injects)
        .enumerate()
        .map(|(index, (inj, status))| {
            let (status, at) = match status {
                InjectStatus::Pending => ("pending", None),
                InjectStatus::Released(s) => ("released", Some(s.play_ms)),
                InjectStatus::Skipped(s) => ("skipped", Some(s.play_ms)),
            };
            PlannedInject {
                inject_id: inj.id.clone(),
                at_ms: inj.at_play_ms(),
                title: inj.title.to_string(),
                body: inj.body.to_string(),
                targets: inj.targets.clone(),
                questions_by_group: questions_by_group(inj),
                objectives: inj.objectives.clone(),
                expected_actions: inj.expected_actions.iter().map(|t| t.to_string()).collect(),
                facilitator_notes: inj.facilitator_notes.as_deref().map(str::to_owned),
                attachments: attachment_views(state, inj, &FileScope::Control),
                status,
                status_play_ms: at,
                condition: conditions::condition_view(state, index, now),
            }
        })
        .collect()
}

pub(super) fn response_view(state: &Localized<'_>, r: &ResponseRecord) -> ResponseView {
    ResponseView {
        seq: r.stamp.seq,
        group_id: r.group_id.clone(),
        inject_id: r.inject_id.clone(),
        participant_id: r.participant_id,
        participant_name: state.anyone(r.participant_id).map(|p| p.name.clone()).unwrap_or_default(),
        text: r.text.clone(),
        options: r.options.clone(),
        contribution: r.contribution,
        removed: state.is_removed(r.participant_id),
        late: state.is_late(r),
        play_ms: r.stamp.play_ms,
        wall_ms: r.stamp.wall_ms,
    }
}

fn roster_change(state: &Localized<'_>, seq: u64, who: ParticipantId, change: RosterChange) -> Option<ServerMsg> {
    state.anyone(who).map(|p| ServerMsg::Participant { seq, change, participant: participant_view(p) })
}

fn participant_view(p: &Participant) -> ParticipantView {
    ParticipantView {
        participant_id: p.id,
        name: p.name.clone(),
        group_id: p.group_id.clone(),
        organisation: p.organisation.clone(),
        sector: p.sector.clone(),
        email: p.email.clone(),
    }
}

fn group_view(scenario: &Scenario, g: &Group) -> GroupView {
    GroupView {
        id: g.id.clone(),
        name: g.name.to_string(),
        focus: g.focus.to_string(),
        breakout_room: scenario.breakout_room(&g.id).unwrap_or_default(),
    }
}
