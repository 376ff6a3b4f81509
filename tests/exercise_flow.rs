//! A whole quick-demo exercise over real sockets: twelve participants in six groups,
//! injects only to their targets with their questions, every answer to the facilitator,
//! and the timeline in order.

mod common;

use std::collections::BTreeMap;

use common::{Client, TestServer};
use serde_json::{Value, json};

const GROUPS: [&str; 6] = ["risk", "governance", "testing", "training", "protection", "incident"];

#[tokio::test]
async fn a_whole_quick_demo_exercise() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["role"], "facilitator");
    assert_eq!(welcome["join_code"], ex.join_code.as_str());
    assert_eq!(welcome["plan"].as_array().unwrap().len(), 3);

    // Twelve participants: two per group, in scenario order.
    let mut people: Vec<(Client, String, String)> = Vec::new();
    for i in 0..12 {
        let (c, w) = server.join(&ex, &format!("Participant {i}")).await;
        assert_eq!(w["role"], "participant");
        assert!(w["you"]["resume_token"].as_str().is_some());
        people.push((c, w["group"]["id"].as_str().unwrap().to_owned(), format!("Participant {i}")));
    }
    let mut sizes = BTreeMap::new();
    for (_, g, _) in &people {
        *sizes.entry(g.clone()).or_insert(0) += 1;
    }
    assert_eq!(sizes.len(), 6);
    assert!(sizes.values().all(|&n| n == 2), "{sizes:?}");
    assert_eq!(people[0].1, "risk");
    assert_eq!(people[5].1, "incident");
    for _ in 0..12 {
        let roster = facilitator.recv_type("participant").await;
        assert_eq!(roster["change"], "joined");
    }

    // Rehearsal speed: the injects at 0, 2 and 4 play minutes come within half a second.
    facilitator.send(json!({"type": "set_speed", "speed": 600})).await;
    facilitator.send(json!({"type": "start"})).await;
    let clock = facilitator.recv_type("clock").await;
    assert_eq!(clock["speed"], 600.0);
    assert_eq!(facilitator.recv_type("clock").await["state"], "running");

    let mut released_to_facilitator = Vec::new();
    for _ in 0..3 {
        let inject = facilitator.recv_type("inject").await;
        assert!(inject["questions_by_group"].is_object(), "facilitator gets every group's questions");
        released_to_facilitator.push(inject["inject_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(released_to_facilitator, ["first-alert", "partner-api", "wrap-up"]);

    // Each participant gets exactly the injects that target their group, with its questions.
    let mut expected_responses = 0;
    for (i, (client, group, _)) in people.iter_mut().enumerate() {
        let wanted: &[&str] = if group == "risk" || group == "incident" {
            &["first-alert", "partner-api", "wrap-up"]
        } else {
            &["first-alert", "wrap-up"]
        };
        let mut got = Vec::new();
        for _ in wanted {
            let inject = client.recv_type("inject").await;
            let questions = inject["questions"].as_array().expect("participant questions");
            assert!(!questions.is_empty(), "{group} has questions for {}", inject["inject_id"]);
            assert!(inject.get("questions_by_group").is_none() && inject.get("targets").is_none());
            got.push(inject["inject_id"].as_str().unwrap().to_owned());
        }
        assert_eq!(got, wanted, "{group}");
        for inject in wanted {
            let id = format!("answer-{i}-{inject}");
            client
                .send(json!({"type": "respond", "inject_id": inject, "text": format!("{group} on {inject}"), "client_msg_id": id}))
                .await;
            let ack = client.recv_type("ack").await;
            assert_eq!(ack["client_msg_id"], id.as_str());
            assert!(ack["seq"].as_u64().unwrap() > 0);
            expected_responses += 1;
        }
    }

    // The facilitator receives every response.
    let mut seen = Vec::new();
    for _ in 0..expected_responses {
        let r = facilitator.recv_type("response").await;
        seen.push(r["seq"].as_u64().unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in log order");

    // Group members see their group's answers only.
    for (client, group, _) in people.iter_mut() {
        client.sync().await;
        let answers: Vec<&Value> = client.log.iter().filter(|m| m["type"] == "response").collect();
        assert_eq!(answers.len(), if group == "risk" || group == "incident" { 6 } else { 4 }, "{group}");
        for r in answers {
            assert_eq!(r["group_id"], group.as_str(), "{group} saw another group's answer");
        }
    }

    // The timeline lists everything in order with content resolved.
    let timeline = server.timeline(&ex).await;
    let entries = timeline["entries"].as_array().unwrap();
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    let kinds = |k: &str| entries.iter().filter(|e| e["kind"] == k).collect::<Vec<&Value>>();
    assert_eq!(kinds("participant_joined").len(), 12);
    assert_eq!(kinds("inject_released").len(), 3);
    let responses = kinds("response_submitted");
    assert_eq!(responses.len(), expected_responses);
    let r = responses[0];
    assert!(r["participant_name"].as_str().unwrap().starts_with("Participant "));
    assert!(r["inject_title"].as_str().is_some() && r["group_name"].as_str().is_some());
    assert!(GROUPS.contains(&r["group_id"].as_str().unwrap()));
    let released = kinds("inject_released");
    assert!(released[0]["inject_body"].as_str().is_some());
    assert_eq!(released[1]["targets"], json!(["risk", "incident"]));
    assert!(released[1]["play_ms"].as_u64().unwrap() >= 120_000);
    let text = serde_json::to_string(&timeline).unwrap();
    assert!(!text.contains(&ex.key), "no facilitator key in the timeline");
    assert!(!text.contains("resume_token"), "no resume tokens in the timeline");
}

/// `GET /api/exercises` (admin): newest first, each with its live phase and head count,
/// and never a key — the actors answer it from memory.
#[tokio::test]
async fn the_exercise_list_shows_each_exercises_phase_and_people_as_they_are_now() {
    let server = TestServer::start().await;
    let older = server.create("quick-demo").await;
    let newer = server.create("dfs-salary-tide").await;
    let (mut facilitator, _) = server.facilitate(&newer).await;
    let _people = [server.join(&newer, "Awa").await, server.join(&newer, "Lamin").await];
    facilitator.send(json!({"type": "start"})).await;
    while facilitator.recv_type("clock").await["state"] != "running" {}

    let res = server.http().get(format!("{}/api/exercises", server.base)).bearer_auth(common::ADMIN).send().await;
    let text = res.unwrap().text().await.unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let ids: Vec<&str> = list.iter().map(|e| e["exercise_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [newer.id.as_str(), older.id.as_str()], "newest first");
    assert_eq!((list[0]["phase"].as_str(), list[0]["participants"].as_u64()), (Some("running"), Some(2)));
    assert_eq!((list[1]["phase"].as_str(), list[1]["participants"].as_u64()), (Some("lobby"), Some(0)));
    assert_eq!(list[0]["scenario_id"], "dfs-salary-tide");
    assert_eq!(list[0]["join_code"], newer.join_code);
    assert!(!text.contains(&newer.key) && !text.contains(&older.key), "no facilitator key in the list: {text}");
}
