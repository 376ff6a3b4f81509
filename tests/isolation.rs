//! Group isolation and role checks over real sockets: what participants receive, as
//! raw frames, never holds facilitator-only content, unreleased injects, other groups'
//! questions or other groups' answers; a participant cannot drive the exercise.

mod common;

use common::TestServer;
use serde_json::{Value, json};
use tabletop::scenario::load::load_file;

#[tokio::test]
async fn participants_never_receive_what_is_not_theirs() {
    let scenario = load_file(&common::scenarios_dir().join("quick-demo.toml")).unwrap();
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, _) = server.join(&ex, "Risk").await;
    let (mut governance, _) = server.join(&ex, "Governance").await;

    // Before any release: nothing about any inject.
    facilitator.send(json!({"type": "set_speed", "speed": 1})).await;
    facilitator.recv_type("clock").await;
    let before = risk.sync().await;
    assert!(before.iter().all(|m| m["type"] != "inject"));

    // The participant cannot release, skip or start anything.
    risk.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    let refused = risk.recv_type("error").await;
    assert_eq!(refused["code"], "forbidden");
    facilitator.send(json!({"type": "start"})).await;
    risk.recv_type("inject").await;
    governance.recv_type("inject").await;
    let (_, w) = server.facilitate(&ex).await;
    let plan = w["plan"].as_array().unwrap();
    assert_eq!(plan[1]["status"], "pending", "the participant's release changed nothing");

    // Both answer first-alert; the facilitator releases partner-api (risk + incident only).
    for (c, text) in [(&mut risk, "risk private answer"), (&mut governance, "governance private answer")] {
        c.send(json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": text})).await;
        c.recv_type("ack").await;
    }
    facilitator.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    assert_eq!(risk.recv_type("inject").await["inject_id"], "partner-api");
    risk.sync().await;
    governance.sync().await;

    let raw = |log: &[Value]| serde_json::to_string(log).unwrap();
    let (risk_raw, gov_raw) = (raw(&risk.log), raw(&governance.log));
    for inject in &scenario.injects {
        for secret in inject.expected_actions.iter().chain(inject.facilitator_notes.iter()) {
            assert!(!risk_raw.contains(secret.as_str()), "risk received facilitator-only text: {secret}");
            assert!(!gov_raw.contains(secret.as_str()), "governance received facilitator-only text: {secret}");
        }
    }
    for field in ["expected_actions", "facilitator_notes", "questions_by_group", "targets", "plan", "join_code"] {
        let key = format!("\"{field}\":");
        assert!(!risk_raw.contains(&key) && !gov_raw.contains(&key), "{field} sent to a participant");
    }
    let partner = &scenario.inject("partner-api").unwrap().1;
    assert!(risk_raw.contains(partner.body.as_str()));
    assert!(!gov_raw.contains(partner.body.as_str()), "governance got an inject that does not target it");
    let wrap_up = &scenario.inject("wrap-up").unwrap().1;
    assert!(!risk_raw.contains(wrap_up.body.as_str()), "an unreleased inject leaked");
    // Each group sees its own questions only.
    let incident_questions = partner.questions_for("incident");
    for q in incident_questions.iter().filter(|q| !partner.questions_for("risk").contains(q)) {
        assert!(!risk_raw.contains(q.as_str()), "risk saw incident's question {q}");
    }
    assert!(risk_raw.contains("risk private answer") && !risk_raw.contains("governance private answer"));
    assert!(gov_raw.contains("governance private answer") && !gov_raw.contains("risk private answer"));

    // The facilitator sees both answers and the notes.
    let f_raw = raw(&facilitator.sync().await);
    let f_all = format!("{}{}", raw(&facilitator.log), f_raw);
    assert!(f_all.contains("risk private answer") && f_all.contains("governance private answer"));
    let (_, w) = server.facilitate(&ex).await;
    let w_raw = w.to_string();
    assert!(w_raw.contains(partner.facilitator_notes.as_deref().unwrap()));
}

#[tokio::test]
async fn the_projector_gets_releases_and_progress_live_but_no_questions_names_answers_or_notes() {
    let scenario = load_file(&common::scenarios_dir().join("quick-demo.toml")).unwrap();
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, _) = server.join(&ex, "Risk Reader").await;
    let mut projector = server.client().await;
    projector.send(json!({"type": "project", "join_code": ex.join_code})).await;
    let welcome = projector.recv_type("welcome").await;
    assert_eq!(welcome["role"], "projector");
    assert_eq!(welcome["injects"].as_array().unwrap().len(), 0);

    facilitator.send(json!({"type": "start"})).await;
    let first = projector.recv_type("inject").await;
    assert_eq!(first["inject_id"], "first-alert");
    assert_eq!(projector.recv_type("progress").await["groups_answered"], 0);
    risk.recv_type("inject").await;
    risk.send(
        json!({"type": "respond", "inject_id": "first-alert", "text": "risk secret answer", "client_msg_id": "a1"}),
    )
    .await;
    risk.recv_type("ack").await;
    let progress = projector.recv_type("progress").await;
    assert_eq!((progress["inject_id"].as_str(), progress["groups_answered"].as_u64()), (Some("first-alert"), Some(1)));
    facilitator.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    assert_eq!(projector.recv_type("inject").await["inject_id"], "partner-api");
    projector.sync().await;

    let raw = serde_json::to_string(&projector.log).unwrap();
    for leak in ["risk secret answer", "Risk Reader", &ex.key, "questions", "resume_token"] {
        assert!(!raw.contains(leak), "the projector received {leak}");
    }
    for inject in &scenario.injects {
        for secret in inject.expected_actions.iter().chain(inject.facilitator_notes.iter()) {
            assert!(!raw.contains(secret.as_str()), "the projector received facilitator-only text: {secret}");
        }
    }
    assert!(!raw.contains(scenario.inject("wrap-up").unwrap().1.body.as_str()), "an unreleased inject leaked");
}

/// Answers stored in one commit reach each group as one `batch` frame (see
/// docs/protocol.md): each participant still gets every answer of its group exactly once,
/// in log order, and never another group's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_stored_together_come_batched_once_each_in_order_and_only_to_their_group() {
    let server = TestServer::start_with(|o| o.limits.messages_per_second = 1000.0).await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let mut people = Vec::new();
    for i in 0..12 {
        let (c, welcome) = server.join(&ex, &format!("P{i}")).await;
        people.push((c, welcome["group"]["id"].as_str().unwrap().to_owned()));
    }
    facilitator.send(json!({"type": "start"})).await;
    for (c, _) in &mut people {
        c.recv_type("inject").await;
    }

    // Everyone answers at once, round after round, until some answers shared a commit
    // (they almost always do in the first round; the bound only keeps a failure finite).
    let mut sent_by_group = std::collections::HashMap::<String, usize>::new();
    for round in 0..50 {
        for (i, (c, _)) in people.iter_mut().enumerate() {
            let id = format!("r{round}-p{i}");
            c.send(json!({"type": "respond", "inject_id": "first-alert", "text": id, "client_msg_id": id})).await;
        }
        for (c, group) in &mut people {
            c.recv_type("ack").await;
            *sent_by_group.entry(group.clone()).or_default() += 1;
        }
        if people.iter().any(|(c, _)| c.batches > 0) {
            break;
        }
    }
    assert!(people.iter().any(|(c, _)| c.batches > 0), "no answers ever shared a commit");

    for (c, group) in &mut people {
        c.sync().await;
        let answers: Vec<&Value> = c.log.iter().filter(|m| m["type"] == "response").collect();
        assert!(answers.iter().all(|a| a["group_id"] == group.as_str()), "another group's answer reached {group}");
        let seqs: Vec<u64> = answers.iter().map(|a| a["seq"].as_u64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "each answer once, in log order: {seqs:?}");
        assert_eq!(seqs.len(), sent_by_group[group.as_str()], "every answer of {group}");
    }
    facilitator.sync().await;
    let seen: Vec<u64> =
        facilitator.log.iter().filter(|m| m["type"] == "response").map(|m| m["seq"].as_u64().unwrap()).collect();
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "the facilitator: each answer once, in order");
    assert_eq!(seen.len(), sent_by_group.values().sum::<usize>());
}
