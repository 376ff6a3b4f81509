//! Facilitator roster commands over real sockets: move a participant to another group,
//! announce to everyone, end the exercise.

mod common;

use common::TestServer;
use serde_json::json;

#[tokio::test]
async fn a_moved_participant_gets_the_new_groups_view_and_its_pushes_only() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut moving, w) = server.join(&ex, "Moving").await; // risk
    let (mut governance, _) = server.join(&ex, "Governance").await;
    assert_eq!(w["group"]["id"], "risk");
    let pid = w["you"]["participant_id"].clone();

    facilitator.send(json!({"type": "start"})).await;
    governance.recv_type("inject").await;
    governance
        .send(json!({"type": "respond", "inject_id": "first-alert", "text": "gov said", "client_msg_id": "g1"}))
        .await;
    governance.recv_type("ack").await;

    facilitator.send(json!({"type": "move", "participant_id": pid, "group_id": "governance"})).await;
    let moved = moving.recv_type("moved").await;
    assert_eq!(moved["group"]["id"], "governance");
    assert_eq!(moved["injects"][0]["inject_id"], "first-alert");
    assert_eq!(moved["responses"][0]["text"], "gov said", "the new group's answers come along");
    let roster = loop {
        let r = facilitator.recv_type("participant").await;
        if r["change"] == "moved" {
            break r;
        }
    };
    assert_eq!(roster["participant"]["group_id"], "governance");

    // partner-api targets risk and incident: the moved participant no longer gets it.
    facilitator.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    governance
        .send(json!({"type": "respond", "inject_id": "first-alert", "text": "gov again", "client_msg_id": "g2"}))
        .await;
    let pushed = moving.recv_type("response").await;
    assert_eq!(pushed["text"], "gov again", "pushes of the new group arrive");
    let rest = moving.sync().await;
    assert!(rest.iter().all(|m| m["inject_id"] != "partner-api"), "{rest:?}");
    // They now answer for governance.
    moving
        .send(json!({"type": "respond", "inject_id": "first-alert", "text": "as governance", "client_msg_id": "m1"}))
        .await;
    moving.recv_type("ack").await;
    let entries = server.timeline(&ex).await["entries"].as_array().unwrap().clone();
    let answer = entries.iter().find(|e| e["text"] == "as governance").unwrap();
    assert_eq!(answer["group_id"], "governance");
    let mv = entries.iter().find(|e| e["kind"] == "participant_moved").unwrap();
    assert_eq!((mv["from_group_id"].as_str(), mv["group_id"].as_str()), (Some("risk"), Some("governance")));
}

#[tokio::test]
async fn announcements_reach_everyone_and_end_stops_play() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut a, _) = server.join(&ex, "A").await;
    let (mut b, _) = server.join(&ex, "B").await;
    facilitator.send(json!({"type": "announce", "text": "Break-out rooms open: « salle 2 »"})).await;
    for c in [&mut a, &mut b, &mut facilitator] {
        assert_eq!(c.recv_type("announcement").await["text"], "Break-out rooms open: « salle 2 »");
    }
    facilitator.send(json!({"type": "start"})).await;
    a.recv_type("inject").await;
    facilitator.send(json!({"type": "end"})).await;
    for c in [&mut a, &mut b] {
        loop {
            let clock = c.recv_type("clock").await;
            if clock["state"] == "ended" {
                break;
            }
        }
    }
    a.send(json!({"type": "respond", "inject_id": "first-alert", "text": "late", "client_msg_id": "l"})).await;
    assert_eq!(a.recv_type("error").await["code"], "exercise_ended");
    let mut late = server.client().await;
    late.send(json!({"type": "join", "join_code": ex.join_code, "name": "Late"})).await;
    assert_eq!(late.recv_type("error").await["code"], "exercise_ended");
}
