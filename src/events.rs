//! The event log: every fact of an exercise, in order. The one source of truth.
//!
//! Live state, participant views, the debrief timeline and every export are folds of
//! this log. Each event is stored with a kind tag and a schema version
//! ([`Event::kind`], [`Event::version`]); [`decode`] refuses kinds and versions this
//! build does not know with a typed error instead of guessing, so a data dir written by
//! a newer tabletop fails clearly at startup.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exercise::evaluation::{Author, ImprovementItem, Rating};
use crate::ids::{ExerciseId, ObserverId, ParticipantId};
use crate::scenario::Scenario;
use crate::time::WallMs;

/// An event with its place in the exercise log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Position in the exercise's log, from 1, without gaps.
    pub seq: u64,
    /// Wall time at which it happened (ms since the Unix epoch).
    pub wall_ms: WallMs,
    /// What happened.
    pub event: Event,
}

/// Something that happened in an exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The exercise was created from a scenario (always seq 1). The scenario is copied
    /// in, so the exercise replays the same way whatever happens to the file.
    ExerciseCreated {
        /// The new exercise.
        exercise_id: ExerciseId,
        /// The scenario as loaded at creation.
        scenario: Box<Scenario>,
        /// The code participants type to join.
        join_code: String,
        /// The facilitator's secret key.
        facilitator_key: String,
    },
    /// A participant joined and was put in a group.
    ParticipantJoined {
        /// The new participant.
        participant_id: ParticipantId,
        /// Display name as typed.
        name: String,
        /// The group they were put in.
        group_id: String,
        /// Secret that lets them reconnect as themselves.
        resume_token: String,
    },
    /// The facilitator started the play clock.
    ClockStarted,
    /// The facilitator paused the play clock.
    ClockPaused,
    /// The facilitator resumed the play clock.
    ClockResumed,
    /// The play clock's speed changed (1 = real time).
    SpeedChanged {
        /// Play milliseconds per wall millisecond.
        speed: f64,
    },
    /// An inject was released to its target groups.
    InjectReleased {
        /// The inject.
        inject_id: String,
        /// True when the facilitator released it by hand, false when the clock did.
        manual: bool,
    },
    /// The facilitator skipped an inject: it will never be released.
    InjectSkipped {
        /// The inject.
        inject_id: String,
    },
    /// The facilitator moved a participant to another group.
    ParticipantMoved {
        /// Who moved.
        participant_id: ParticipantId,
        /// The group they are in now.
        group_id: String,
    },
    /// The facilitator broadcast an announcement to everyone.
    AnnouncementMade {
        /// The announcement.
        text: String,
    },
    /// A participant answered an inject for their group.
    ResponseSubmitted {
        /// Who answered.
        participant_id: ParticipantId,
        /// The group they answered for (their group at the time).
        group_id: String,
        /// The inject answered.
        inject_id: String,
        /// The answer.
        text: String,
        /// The client's id for this answer, which makes re-sending it harmless.
        client_msg_id: String,
    },
    /// The facilitator ended the exercise.
    ExerciseEnded,
    /// The facilitator gave an observer (evaluator) a key.
    ObserverAdded {
        /// The new observer.
        observer_id: ObserverId,
        /// Their name.
        name: String,
        /// Their secret key.
        key: String,
    },
    /// The facilitator or an observer took a note.
    NoteAdded {
        /// The note's id.
        note_id: String,
        /// Who took it.
        author: Author,
        /// The inject it is about.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inject_id: Option<String>,
        /// The objective it bears on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        objective_id: Option<String>,
        /// The group it is about.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group_id: Option<String>,
        /// The note.
        text: String,
        /// The client's id for it, which makes re-sending it harmless.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<String>,
    },
    /// An objective was rated P, S, M or U (replaces an earlier rating).
    ObjectiveRated {
        /// The objective.
        objective_id: String,
        /// Who rated it.
        author: Author,
        /// The rating.
        rating: Rating,
        /// What went well.
        strengths: String,
        /// What to improve.
        areas_for_improvement: String,
    },
    /// A group proposed an improvement-plan item.
    ImprovementProposed {
        /// The item's id.
        item_id: String,
        /// Who proposed it (for their group).
        participant_id: ParticipantId,
        /// The item.
        item: ImprovementItem,
        /// The client's id for it, which makes re-sending it harmless.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<String>,
    },
    /// The facilitator put an item in the plan: a proposal accepted (possibly edited),
    /// an accepted item edited, or a new item.
    ImprovementAccepted {
        /// The item's id.
        item_id: String,
        /// The item as accepted.
        item: ImprovementItem,
    },
    /// The facilitator left an item out of the plan.
    ImprovementDropped {
        /// The item's id.
        item_id: String,
    },
    /// The facilitator opened the self-assessment.
    SelfAssessmentOpened,
    /// The facilitator closed the self-assessment.
    SelfAssessmentClosed,
    /// A participant rated their group's statements (replaces their earlier scores for
    /// these statements).
    SelfAssessmentRated {
        /// Who rated.
        participant_id: ParticipantId,
        /// Their group at the time.
        group_id: String,
        /// Score 1–5 per statement id.
        scores: BTreeMap<String, u8>,
    },
}

/// Kinds this build reads, with the newest schema version it understands.
const KNOWN: &[(&str, u16)] = &[
    ("exercise_created", 1),
    ("participant_joined", 1),
    ("clock_started", 1),
    ("clock_paused", 1),
    ("clock_resumed", 1),
    ("speed_changed", 1),
    ("inject_released", 1),
    ("inject_skipped", 1),
    ("participant_moved", 1),
    ("announcement_made", 1),
    ("response_submitted", 1),
    ("exercise_ended", 1),
    ("observer_added", 1),
    ("note_added", 1),
    ("objective_rated", 1),
    ("improvement_proposed", 1),
    ("improvement_accepted", 1),
    ("improvement_dropped", 1),
    ("self_assessment_opened", 1),
    ("self_assessment_closed", 1),
    ("self_assessment_rated", 1),
];

impl Event {
    /// The kind tag, as stored and as in the JSON `"kind"` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::ExerciseCreated { .. } => "exercise_created",
            Event::ParticipantJoined { .. } => "participant_joined",
            Event::ClockStarted => "clock_started",
            Event::ClockPaused => "clock_paused",
            Event::ClockResumed => "clock_resumed",
            Event::SpeedChanged { .. } => "speed_changed",
            Event::InjectReleased { .. } => "inject_released",
            Event::InjectSkipped { .. } => "inject_skipped",
            Event::ParticipantMoved { .. } => "participant_moved",
            Event::AnnouncementMade { .. } => "announcement_made",
            Event::ResponseSubmitted { .. } => "response_submitted",
            Event::ExerciseEnded => "exercise_ended",
            Event::ObserverAdded { .. } => "observer_added",
            Event::NoteAdded { .. } => "note_added",
            Event::ObjectiveRated { .. } => "objective_rated",
            Event::ImprovementProposed { .. } => "improvement_proposed",
            Event::ImprovementAccepted { .. } => "improvement_accepted",
            Event::ImprovementDropped { .. } => "improvement_dropped",
            Event::SelfAssessmentOpened => "self_assessment_opened",
            Event::SelfAssessmentClosed => "self_assessment_closed",
            Event::SelfAssessmentRated { .. } => "self_assessment_rated",
        }
    }

    /// The schema version this build writes for the event's kind.
    pub fn version(&self) -> u16 {
        KNOWN.iter().find(|(k, _)| *k == self.kind()).map_or(1, |(_, v)| *v)
    }
}

/// Why a stored event could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    /// A kind this build does not know (written by a newer tabletop?).
    #[error("unknown event kind \"{kind}\" (version {version}): this data was written by a newer tabletop")]
    UnknownKind {
        /// The stored kind tag.
        kind: String,
        /// The stored version.
        version: u16,
    },
    /// A known kind in a newer schema version than this build reads.
    #[error("event kind \"{kind}\" has version {version}, newer than the {supported} this build reads")]
    NewerVersion {
        /// The stored kind tag.
        kind: String,
        /// The stored version.
        version: u16,
        /// The newest version this build reads.
        supported: u16,
    },
    /// The payload does not match the kind's schema.
    #[error("event kind \"{kind}\" has a malformed payload: {reason}")]
    Malformed {
        /// The stored kind tag.
        kind: String,
        /// What serde said.
        reason: String,
    },
}

/// Reads one stored event payload, checking its kind and version first.
pub fn decode(kind: &str, version: u16, payload: &str) -> Result<Event, DecodeError> {
    let Some(&(_, supported)) = KNOWN.iter().find(|(k, _)| *k == kind) else {
        return Err(DecodeError::UnknownKind { kind: kind.to_owned(), version });
    };
    if version > supported {
        return Err(DecodeError::NewerVersion { kind: kind.to_owned(), version, supported });
    }
    let event: Event = serde_json::from_str(payload)
        .map_err(|e| DecodeError::Malformed { kind: kind.to_owned(), reason: e.to_string() })?;
    if event.kind() != kind {
        return Err(DecodeError::Malformed {
            kind: kind.to_owned(),
            reason: format!("payload is of kind \"{}\"", event.kind()),
        });
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_round_trips_through_its_kind_and_version() {
        let events = [
            Event::ClockStarted,
            Event::SpeedChanged { speed: 60.0 },
            Event::InjectReleased { inject_id: "a".into(), manual: true },
            Event::ResponseSubmitted {
                participant_id: ParticipantId::new(),
                group_id: "risk".into(),
                inject_id: "a".into(),
                text: "Réponse « ok »".into(),
                client_msg_id: "c1".into(),
            },
            Event::ExerciseEnded,
            Event::NoteAdded {
                note_id: "n1".into(),
                author: Author::Observer { observer_id: ObserverId::new() },
                inject_id: Some("a".into()),
                objective_id: None,
                group_id: None,
                text: "Slow to escalate".into(),
                client_msg_id: Some("c7".into()),
            },
            Event::ObjectiveRated {
                objective_id: "o1".into(),
                author: Author::Facilitator,
                rating: Rating::M,
                strengths: "s".into(),
                areas_for_improvement: "a".into(),
            },
            Event::SelfAssessmentRated {
                participant_id: ParticipantId::new(),
                group_id: "risk".into(),
                scores: [("risk-1".to_owned(), 4)].into(),
            },
            Event::SelfAssessmentOpened,
        ];
        for e in events {
            let payload = serde_json::to_string(&e).unwrap();
            assert_eq!(decode(e.kind(), e.version(), &payload).unwrap(), e);
        }
    }

    #[test]
    fn unknown_kinds_and_newer_versions_are_typed_errors() {
        assert!(matches!(decode("vote_cast", 1, "{\"kind\":\"vote_cast\"}"), Err(DecodeError::UnknownKind { .. })));
        assert!(matches!(
            decode("clock_started", 2, "{\"kind\":\"clock_started\"}"),
            Err(DecodeError::NewerVersion { supported: 1, .. })
        ));
        assert!(matches!(
            decode("clock_started", 1, "{\"kind\":\"clock_paused\"}"),
            Err(DecodeError::Malformed { .. })
        ));
    }
}
