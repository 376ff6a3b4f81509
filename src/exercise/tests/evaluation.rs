//! Evaluation capture through `decide` and `apply`: who may do what, what each role is
//! shown, and the self-assessment arithmetic.

use std::collections::BTreeMap;

use super::{Ex, MIN, created, respond};
use crate::events::Recorded;
use crate::exercise::ExerciseError;
use crate::exercise::decide::{Command, Role};
use crate::exercise::evaluation::{Capability, ImprovementItem, ItemStatus, Rating, self_assessment_results};
use crate::exercise::state::State;
use crate::exercise::view::{self, Audience, Localized};
use crate::ids::{ObserverId, ParticipantId};

pub(super) fn item(issue: &str, group: &str) -> ImprovementItem {
    ImprovementItem {
        issue: issue.into(),
        corrective_action: "Write the playbook".into(),
        group_id: group.into(),
        capability: Capability::Planning,
        responsible_org: "BaobabPay".into(),
        owner: "CISO".into(),
        due: "2027-03-31".into(),
        start: String::new(),
        priority: None,
        progress: None,
    }
}

fn note(text: &str) -> Command {
    Command::AddNote {
        note_id: format!("n-{text}"),
        inject_id: Some("first".into()),
        objective_id: Some("o".into()),
        group_id: Some("risk".into()),
        text: text.into(),
        client_msg_id: None,
        category: None,
    }
}

fn rate(rating: Rating) -> Command {
    Command::RateObjective {
        objective_id: "o".into(),
        rating,
        strengths: "Fast".into(),
        areas_for_improvement: "Escalation".into(),
    }
}

fn scores(pairs: &[(&str, u8)]) -> Command {
    Command::RateSelf {
        scores: pairs.iter().map(|(s, v)| ((*s).to_owned(), *v)).collect::<BTreeMap<_, _>>(),
        dont_know: Default::default(),
    }
}

/// An exercise with an observer `Eva`; returns the observer's id.
fn with_observer(ex: &mut Ex) -> ObserverId {
    let id = ObserverId::new();
    ex.facilitate(Command::AddObserver { name: "Eva".into(), observer_id: id, key: "obs-key".into() });
    id
}

fn frames(ex: &Ex, recs: &[Recorded], audience: impl Fn(&Audience) -> bool) -> String {
    recs.iter()
        .flat_map(|rec| view::deliveries(&Localized::main(&ex.state), rec))
        .filter(|(a, _)| audience(a))
        .map(|(_, m)| serde_json::to_string(&m).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_role_may_send_only_its_own_evaluation_commands() {
    let mut ex = Ex::new();
    let p = ex.join("p");
    let obs = Role::Observer(with_observer(&mut ex));
    let before = ex.state.last_seq;
    for cmd in [
        Command::Start,
        Command::Release { inject_id: "first".into() },
        Command::End,
        Command::OpenSelfAssessment,
        Command::AcceptImprovement { item_id: "x".into(), item: item("i", "risk") },
        Command::AddObserver { name: "Other".into(), observer_id: ObserverId::new(), key: "k2".into() },
        Command::ProposeImprovement { item_id: "x".into(), item: item("i", "risk"), client_msg_id: None },
        scores(&[("r1", 3)]),
    ] {
        assert_eq!(ex.run(obs, cmd.clone()).unwrap_err().code(), "forbidden", "observer: {cmd:?}");
    }
    for cmd in
        [note("n"), rate(Rating::P), Command::OpenSelfAssessment, Command::DropImprovement { item_id: "x".into() }]
    {
        assert_eq!(ex.run(Role::Participant(p), cmd.clone()).unwrap_err().code(), "forbidden", "participant: {cmd:?}");
    }
    for cmd in [
        Command::ProposeImprovement { item_id: "x".into(), item: item("i", "risk"), client_msg_id: None },
        scores(&[("r1", 3)]),
    ] {
        assert_eq!(ex.run(Role::Facilitator, cmd.clone()).unwrap_err().code(), "forbidden", "facilitator: {cmd:?}");
    }
    assert_eq!(ex.state.last_seq, before, "nothing was stored");
    ex.run(obs, note("seen by the observer")).unwrap();
    ex.run(obs, rate(Rating::S)).unwrap();
    assert_eq!(ex.state.evaluation.notes.len(), 1);
    assert_eq!(ex.state.evaluation.ratings_of("o")[0].rating, Rating::S);
    assert_eq!(ex.state.evaluation.consensus("o"), None, "an observer's rating is not the consensus");
}

#[test]
fn notes_and_ratings_check_what_they_refer_to_and_go_on_after_the_end() {
    let mut ex = Ex::new();
    let unknown = |ex: &mut Ex, cmd| ex.run(Role::Facilitator, cmd).unwrap_err().code();
    let with = |inject: Option<&str>, objective: Option<&str>, group: Option<&str>| Command::AddNote {
        note_id: "n".into(),
        inject_id: inject.map(Into::into),
        objective_id: objective.map(Into::into),
        group_id: group.map(Into::into),
        text: "x".into(),
        client_msg_id: None,
        category: None,
    };
    assert_eq!(unknown(&mut ex, with(Some("nope"), None, None)), "unknown_inject");
    assert_eq!(unknown(&mut ex, with(None, Some("nope"), None)), "unknown_objective");
    assert_eq!(unknown(&mut ex, with(None, None, Some("nope"))), "unknown_group");
    let blank = Command::AddNote {
        note_id: "n".into(),
        inject_id: None,
        objective_id: None,
        group_id: None,
        text: " \u{7} ".into(),
        client_msg_id: None,
        category: None,
    };
    assert_eq!(unknown(&mut ex, blank), "invalid_text");
    let long = Command::RateObjective {
        objective_id: "o".into(),
        rating: Rating::U,
        strengths: "x".repeat(ex.rules.max_note_chars + 1),
        areas_for_improvement: String::new(),
    };
    assert_eq!(unknown(&mut ex, long), "too_long");

    ex.at(0).facilitate(Command::Start);
    ex.facilitate(Command::End);
    ex.facilitate(with(None, None, None));
    ex.facilitate(rate(Rating::M));
    ex.facilitate(rate(Rating::P));
    assert_eq!(ex.state.evaluation.notes.len(), 1, "a hot-wash note after the end is kept");
    assert_eq!(ex.state.evaluation.ratings_of("o").len(), 1, "the facilitator's later rating replaces theirs");
    assert_eq!(ex.state.evaluation.consensus("o").map(|r| r.rating), Some(Rating::P));
    assert_eq!(unknown(&mut ex, Command::Announce { text: "x".into() }), "exercise_ended", "play commands stop");
}

#[test]
fn a_group_proposes_the_facilitator_edits_accepts_and_drops() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let proposal = Command::ProposeImprovement {
        item_id: "fix-1".into(),
        item: item("No SIM-swap hold", "incident"),
        client_msg_id: None,
    };
    let recs = ex.run(Role::Participant(risk), proposal).unwrap();
    let i = ex.state.evaluation.improvement("fix-1").unwrap();
    assert_eq!((i.status, i.item.group_id.as_str()), (ItemStatus::Proposed, "risk"), "a proposal is for the own group");
    assert_eq!(i.proposed_by, Some(risk));
    let to_risk =
        frames(&ex, &recs, |a| matches!(a, Audience::Group { group_id, with_facilitator: true } if group_id == "risk"));
    assert!(to_risk.contains("No SIM-swap hold"));

    let edited = ImprovementItem { owner: "Head of fraud".into(), ..item("No SIM-swap hold", "risk") };
    ex.facilitate(Command::AcceptImprovement { item_id: "fix-1".into(), item: edited });
    let i = ex.state.evaluation.improvement("fix-1").unwrap();
    assert_eq!((i.status, i.item.owner.as_str()), (ItemStatus::Accepted, "Head of fraud"));
    ex.facilitate(Command::AcceptImprovement { item_id: "fix-2".into(), item: item("Backups online", "protection") });
    ex.facilitate(Command::DropImprovement { item_id: "fix-2".into() });
    assert_eq!(ex.state.evaluation.improvement("fix-2").unwrap().status, ItemStatus::Dropped);
    assert_eq!(
        ex.run(Role::Facilitator, Command::DropImprovement { item_id: "nope".into() }).unwrap_err().code(),
        "unknown_item"
    );
    let bad_date = Command::AcceptImprovement {
        item_id: "fix-3".into(),
        item: ImprovementItem { due: "2027-02-30".into(), ..item("x", "risk") },
    };
    assert_eq!(ex.run(Role::Facilitator, bad_date).unwrap_err().code(), "invalid_value");
    let no_group = Command::AcceptImprovement { item_id: "fix-3".into(), item: item("x", "nowhere") };
    assert_eq!(ex.run(Role::Facilitator, no_group).unwrap_err().code(), "unknown_group");
    let no_issue =
        Command::ProposeImprovement { item_id: "fix-4".into(), item: item("  ", "risk"), client_msg_id: None };
    assert_eq!(ex.run(Role::Participant(risk), no_issue).unwrap_err().code(), "invalid_text");

    let incident = ex.join("i");
    let w = view::participant_welcome(&Localized::main(&ex.state), ex.state.participant(incident).unwrap(), 0, ex.now);
    assert!(w.improvements.unwrap().is_empty(), "incident sees none of risk's or protection's items");
    let w = view::participant_welcome(&Localized::main(&ex.state), ex.state.participant(risk).unwrap(), 0, ex.now);
    assert_eq!(w.improvements.unwrap().len(), 1);
}

#[test]
fn the_self_assessment_opens_takes_scores_per_group_and_closes() {
    let mut ex = Ex::new();
    let r1 = ex.join("r1"); // risk
    let i1 = ex.join("i1"); // incident
    let p1 = ex.join("p1"); // protection: no statements
    let r2 = ex.join("r2"); // risk
    let code = |ex: &mut Ex, who, cmd| ex.run(Role::Participant(who), cmd).unwrap_err().code();
    assert_eq!(code(&mut ex, r1, scores(&[("r1", 3)])), "self_assessment_unavailable", "not open yet");

    let recs = ex.facilitate(Command::OpenSelfAssessment);
    let to_risk = frames(&ex, &recs, |a| matches!(a, Audience::Group { group_id, .. } if group_id == "risk"));
    assert!(to_risk.contains("Risk one") && !to_risk.contains("Incident one"), "{to_risk}");
    assert!(
        frames(&ex, &recs, |a| matches!(a, Audience::Group { group_id, .. } if group_id == "protection")).is_empty()
    );
    assert!(ex.facilitate(Command::OpenSelfAssessment).is_empty(), "opening twice changes nothing");

    assert_eq!(code(&mut ex, r1, scores(&[("i1", 3)])), "unknown_statement", "another group's statement");
    assert_eq!(code(&mut ex, r1, scores(&[("r1", 0)])), "invalid_value");
    assert_eq!(code(&mut ex, r1, scores(&[("r1", 6)])), "invalid_value");
    assert_eq!(code(&mut ex, p1, scores(&[("r1", 3)])), "unknown_statement");
    assert_eq!(code(&mut ex, r1, scores(&[])), "invalid_value");

    ex.run(Role::Participant(r1), scores(&[("r1", 2), ("r2", 5)])).unwrap();
    ex.run(Role::Participant(r2), scores(&[("r1", 5)])).unwrap();
    let recs = ex.run(Role::Participant(r1), scores(&[("r1", 4)])).unwrap();
    ex.run(Role::Participant(i1), scores(&[("i1", 1)])).unwrap();
    let to_staff = frames(&ex, &recs, |a| *a == Audience::Facilitator);
    assert!(to_staff.contains("self_assessment_results"));
    assert!(frames(&ex, &recs, |a| matches!(a, Audience::Group { .. })).is_empty(), "scores are not pushed to groups");

    let results = self_assessment_results(&ex.state.scenario, &ex.state.evaluation);
    let groups: Vec<_> = results.iter().map(|g| g.group_id.as_str()).collect();
    assert_eq!(groups, ["risk", "incident"], "protection has no statements");
    let risk = &results[0];
    assert_eq!((risk.raters, risk.mean), (2, Some(4.67)), "(4 + 5 + 5) / 3, r1's 2 replaced by 4");
    let st = &risk.statements[0];
    assert_eq!((st.count, st.mean, st.min, st.max), (2, Some(4.5), Some(4), Some(5)));
    assert_eq!(st.histogram, [0, 0, 0, 1, 1]);
    assert_eq!((risk.statements[1].count, risk.statements[1].mean), (1, Some(5.0)));

    let w = view::participant_welcome(&Localized::main(&ex.state), ex.state.participant(r1).unwrap(), 0, ex.now);
    let sa = w.self_assessment.unwrap();
    assert_eq!(sa.mine.unwrap(), BTreeMap::from([("r1".to_owned(), 4), ("r2".to_owned(), 5)]));
    assert!(
        view::participant_welcome(&Localized::main(&ex.state), ex.state.participant(p1).unwrap(), 0, ex.now)
            .self_assessment
            .is_none()
    );

    ex.facilitate(Command::CloseSelfAssessment);
    assert_eq!(code(&mut ex, r1, scores(&[("r1", 1)])), "self_assessment_unavailable", "closed");
}

#[test]
fn observers_see_the_control_room_without_keys_and_participants_see_no_evaluation() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let obs = with_observer(&mut ex);
    ex.at(0).facilitate(Command::Start);
    ex.facilitate(Command::ReleaseDue);
    ex.run(Role::Participant(risk), respond("first", "risk answer", "c1")).unwrap();
    let mut recs = ex.run(Role::Observer(obs), note("evaluator note")).unwrap();
    recs.extend(ex.run(Role::Observer(obs), rate(Rating::M)).unwrap());
    ex.facilitate(Command::OpenSelfAssessment);
    recs.extend(ex.run(Role::Participant(risk), scores(&[("r1", 3)])).unwrap());

    let to_groups = frames(&ex, &recs, |a| matches!(a, Audience::Group { .. } | Audience::Everyone));
    assert!(to_groups.is_empty(), "notes, ratings and results reach no participant: {to_groups}");
    let to_projector = frames(&ex, &recs, |a| *a == Audience::Projector);
    assert!(
        to_projector.contains("\"type\":\"public_results\"") && to_projector.contains("\"mean\":null"),
        "the projector gets the results, a group of one rater withheld: {to_projector}"
    );
    assert!(!to_projector.contains("evaluator note") && !to_projector.contains("\"M\""), "{to_projector}");
    let staff = frames(&ex, &recs, |a| *a == Audience::Facilitator);
    assert!(staff.contains("evaluator note") && staff.contains("\"author_name\":\"Eva\"") && staff.contains("\"M\""));

    let ow = serde_json::to_string(&view::observer_welcome(&Localized::main(&ex.state), obs, 0, ex.now)).unwrap();
    assert!(ow.contains("\"role\":\"observer\"") && ow.contains("risk answer") && ow.contains("secret note"));
    assert!(!ow.contains("obs-key"), "an observer never receives keys");
    let fw = serde_json::to_string(&view::facilitator_welcome(&Localized::main(&ex.state), 0, ex.now)).unwrap();
    assert!(fw.contains("obs-key") && fw.contains("evaluator note"));
    let pw = serde_json::to_string(&view::participant_welcome(
        &Localized::main(&ex.state),
        ex.state.participant(risk).unwrap(),
        0,
        ex.now,
    ))
    .unwrap();
    for leak in ["evaluator note", "Eva", "obs-key", "\"ratings\"", "\"notes\"", "self_assessment_results"] {
        assert!(!pw.contains(leak), "{leak} reached a participant: {pw}");
    }
    let added =
        ex.facilitate(Command::AddObserver { name: "Bo".into(), observer_id: ObserverId::new(), key: "k-bo".into() });
    assert!(
        frames(&ex, &added, |a| *a != Audience::FacilitatorOnly).contains("\"name\":\"Bo\""),
        "observers learn the name"
    );
    assert!(
        !frames(&ex, &added, |a| *a != Audience::FacilitatorOnly).contains("k-bo"),
        "a key goes to the facilitator only"
    );
    assert!(frames(&ex, &added, |a| *a == Audience::FacilitatorOnly).contains("k-bo"));
}

#[test]
fn replay_rebuilds_the_evaluation() {
    let mut ex = Ex::new();
    let mut log = vec![created(ex.state.exercise_id, 1_000)];
    let p = ParticipantId::new();
    let join = Command::Join {
        name: "a".into(),
        group_id: None,
        organisation: None,
        sector: None,
        email: None,
        participant_id: p,
        resume_token: "t".into(),
    };
    log.extend(ex.run(Role::Participant(p), join).unwrap());
    let obs = ObserverId::new();
    log.extend(ex.facilitate(Command::AddObserver { name: "Eva".into(), observer_id: obs, key: "ok".into() }));
    log.extend(ex.at(2 * MIN).run(Role::Observer(obs), note("n")).unwrap());
    log.extend(ex.facilitate(rate(Rating::S)));
    log.extend(
        ex.run(
            Role::Participant(p),
            Command::ProposeImprovement { item_id: "f".into(), item: item("i", "risk"), client_msg_id: None },
        )
        .unwrap(),
    );
    log.extend(ex.facilitate(Command::OpenSelfAssessment));
    log.extend(ex.run(Role::Participant(p), scores(&[("r1", 4)])).unwrap());
    log.extend(ex.facilitate(Command::CloseSelfAssessment));
    let replayed = State::replay(&log).unwrap();
    assert_eq!(replayed, ex.state, "the whole state, the evaluation included");
    assert_eq!(replayed.evaluation.scores.len(), 1);
}

#[test]
fn a_proposal_or_note_sent_again_with_the_same_client_id_is_stored_once() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let obs = with_observer(&mut ex);
    let propose = |id: &str, issue: &str| Command::ProposeImprovement {
        item_id: id.into(),
        item: item(issue, "risk"),
        client_msg_id: Some("fix-a".into()),
    };
    assert_eq!(ex.run(Role::Participant(risk), propose("i1", "Slow hold")).unwrap().len(), 1);
    assert!(
        ex.run(Role::Participant(risk), propose("i2", "Slow hold")).unwrap().is_empty(),
        "a re-send after a lost ack"
    );
    assert_eq!(ex.state.evaluation.improvements.len(), 1);
    let other = ex.join("r2");
    let _ = ex.join("i");
    let _ = ex.join("p");
    let same_id_other_person = ex.run(Role::Participant(other), propose("i3", "Other")).unwrap();
    assert_eq!(same_id_other_person.len(), 1, "client ids are per participant");

    let note = |text: &str| Command::AddNote {
        note_id: format!("n-{text}"),
        inject_id: None,
        objective_id: None,
        group_id: None,
        text: text.into(),
        client_msg_id: Some("n1".into()),
        category: None,
    };
    assert_eq!(ex.run(Role::Observer(obs), note("once")).unwrap().len(), 1);
    assert!(ex.run(Role::Observer(obs), note("once")).unwrap().is_empty());
    assert_eq!(ex.facilitate(note("facilitator's own n1")).len(), 1, "another author, another namespace");
    assert_eq!(ex.state.evaluation.notes.len(), 2);
}

#[test]
fn a_moved_participant_gets_the_new_groups_items_and_statements_with_their_scores() {
    let mut ex = Ex::new();
    let risk = ex.join("r");
    let incident = ex.join("i");
    ex.facilitate(Command::OpenSelfAssessment);
    ex.run(Role::Participant(incident), scores(&[("i1", 2)])).unwrap();
    let fix = Command::ProposeImprovement { item_id: "f".into(), item: item("Risk fix", "risk"), client_msg_id: None };
    ex.run(Role::Participant(risk), fix).unwrap();
    let recs = ex.facilitate(Command::Move { participant_id: incident, group_id: "risk".into() });
    let moved = frames(&ex, &recs, |a| matches!(a, Audience::Moved { .. }));
    let moved: serde_json::Value = serde_json::from_str(&moved).unwrap();
    assert_eq!(moved["type"], "moved");
    assert_eq!(moved["improvements"][0]["item"]["issue"], "Risk fix");
    let statements: Vec<_> =
        moved["self_assessment"]["statements"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(statements, ["r1", "r2"]);
    assert_eq!(moved["self_assessment"]["mine"]["i1"], 2, "their own earlier scores stay theirs");
}

#[test]
fn in_a_profile_everyone_rates_every_domain_and_dont_know_is_no_score() {
    use crate::scenario::AssessmentMode;
    let mut ex = Ex::new();
    let risk = ex.join("r");
    ex.facilitate(Command::OpenSelfAssessment);
    // Group mode: another group's statement is refused.
    assert_eq!(
        ex.run(Role::Participant(risk), scores(&[("i1", 3)])),
        Err(ExerciseError::UnknownStatement("i1".into()))
    );

    std::sync::Arc::make_mut(&mut ex.state.scenario).self_assessment.as_mut().unwrap().mode = AssessmentMode::Profile;
    ex.run(Role::Participant(risk), scores(&[("r1", 4), ("i1", 3)])).unwrap();
    let dont_know = |ids: &[&str]| Command::RateSelf {
        scores: BTreeMap::new(),
        dont_know: ids.iter().map(|s| (*s).to_owned()).collect(),
    };
    ex.run(Role::Participant(risk), dont_know(&["i1"])).unwrap();
    assert_eq!(
        ex.state.evaluation.scores_of(risk),
        BTreeMap::from([("r1".to_owned(), 4)]),
        "don't know replaces the score"
    );
    assert_eq!(ex.state.evaluation.dont_know_of(risk), ["i1"]);
    ex.run(Role::Participant(risk), scores(&[("i1", 2)])).unwrap();
    assert!(ex.state.evaluation.dont_know_of(risk).is_empty(), "and a score replaces don't know");
    let both =
        Command::RateSelf { scores: BTreeMap::from([("r2".to_owned(), 1)]), dont_know: ["r2".to_owned()].into() };
    assert!(matches!(ex.run(Role::Participant(risk), both), Err(ExerciseError::InvalidValue(_))));
    assert_eq!(
        ex.run(Role::Participant(risk), dont_know(&["nope"])),
        Err(ExerciseError::UnknownStatement("nope".into()))
    );
}
