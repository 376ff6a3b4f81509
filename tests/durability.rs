//! Durability: the real binary is killed with SIGKILL and restarted on the same data
//! dir. Every acked answer is in the timeline, a paused clock stays paused where it
//! was, a running clock goes on with no inject released twice or lost, and resume
//! tokens still work.

mod common;

use std::process::Command;
use std::time::Duration;

use common::Client;
use common::binary::Binary;
use serde_json::{Value, json};

fn of_kind<'a>(entries: &'a [Value], kind: &str) -> Vec<&'a Value> {
    entries.iter().filter(|e| e["kind"] == kind).collect()
}

#[tokio::test]
async fn kill_9_loses_no_acked_answer_and_the_clock_resumes_where_it_was() {
    let data = tempfile::tempdir().unwrap();
    let first = Binary::start(data.path());

    // Exercise A: played through at 600x, many answers acked, then paused.
    let a = first.create("quick-demo").await;
    let (mut fa, _) = first.facilitate(&a).await;
    let (mut pa, wa) = first.join(&a, "Fatou").await;
    let token = wa["you"]["resume_token"].as_str().unwrap().to_owned();
    fa.send(json!({"type": "set_speed", "speed": 600})).await;
    fa.send(json!({"type": "start"})).await;
    for _ in 0..3 {
        pa.recv_type("inject").await;
    }
    fa.send(json!({"type": "pause"})).await;
    let paused_play = loop {
        let c = fa.recv_type("clock").await;
        if c["state"] == "paused" {
            break c["play_ms"].as_u64().unwrap();
        }
    };

    // Exercise B: running at 60x; first-alert now, partner-api due 2 s after start,
    // wrap-up 4 s after start, both after the kill.
    let b = first.create("quick-demo").await;
    let (mut fb, _) = first.facilitate(&b).await;
    let (mut pb, _) = first.join(&b, "Ousman").await;
    fb.send(json!({"type": "set_speed", "speed": 60})).await;
    fb.send(json!({"type": "start"})).await;
    let started = std::time::Instant::now();
    assert_eq!(pb.recv_type("inject").await["inject_id"], "first-alert");

    // A burst of answers; the kill comes right after the last ack.
    let mut acked = Vec::new();
    for i in 0..25 {
        let inject = ["first-alert", "partner-api", "wrap-up"][i % 3];
        let id = format!("a-{i}");
        pa.send(json!({"type": "respond", "inject_id": inject, "text": format!("answer {i}"), "client_msg_id": id}))
            .await;
    }
    for _ in 0..25 {
        acked.push(pa.recv_type("ack").await);
    }
    pb.send(json!({"type": "respond", "inject_id": "first-alert", "text": "b answer", "client_msg_id": "b-1"})).await;
    let b_ack = pb.recv_type("ack").await;
    first.kill_9();
    drop((fa, pa, fb, pb));

    let second = Binary::start(data.path());

    // A: every acked answer is there, once, with the seq it was acked with.
    let entries = second.timeline(&a).await;
    let stored = of_kind(&entries, "response_submitted");
    assert_eq!(stored.len(), 25);
    for ack in &acked {
        let seq = ack["seq"].as_u64().unwrap();
        let e = entries.iter().find(|e| e["seq"] == seq).expect("acked seq is stored");
        assert_eq!(e["kind"], "response_submitted");
    }
    // A: paused stays paused, at the same play time.
    let (_, wa2) = second.facilitate(&a).await;
    assert_eq!(wa2["clock"]["state"], "paused");
    assert_eq!(wa2["clock"]["play_ms"].as_u64().unwrap(), paused_play);
    // A: the resume token still works.
    let mut back = Client::connect(&second.ws()).await;
    back.send(json!({"type": "resume", "resume_token": token})).await;
    let w = back.recv_type("welcome").await;
    assert_eq!(w["you"]["participant_id"], wa["you"]["participant_id"]);
    assert_eq!(w["injects"].as_array().unwrap().len(), 3);
    assert_eq!(w["responses"].as_array().unwrap().len(), 25);

    // B: running continues; partner-api and wrap-up come once each, after the restart.
    let (mut fb2, wb) = second.facilitate(&b).await;
    assert_eq!(wb["clock"]["state"], "running");
    let already: Vec<String> =
        wb["injects"].as_array().unwrap().iter().map(|i| i["inject_id"].as_str().unwrap().to_owned()).collect();
    let remaining = 3 - already.len();
    for _ in 0..remaining {
        fb2.recv_type("inject").await;
    }
    assert!(started.elapsed() >= Duration::from_millis(3_900), "wrap-up waited for its time");
    fb2.sync().await;
    let entries = second.timeline(&b).await;
    let released: Vec<&str> =
        of_kind(&entries, "inject_released").iter().map(|e| e["inject_id"].as_str().unwrap()).collect();
    assert_eq!(released, ["first-alert", "partner-api", "wrap-up"], "each once, in order");
    let b_seq = b_ack["seq"].as_u64().unwrap();
    assert!(entries.iter().any(|e| e["seq"] == b_seq && e["text"] == "b answer"));
}

#[tokio::test]
async fn sigterm_closes_sockets_with_1001_and_keeps_everything() {
    let data = tempfile::tempdir().unwrap();
    let server = Binary::start(data.path());
    let ex = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    let (mut p, _) = server.join(&ex, "Isatou").await;
    f.send(json!({"type": "start"})).await;
    p.recv_type("inject").await;
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "kept", "client_msg_id": "k"})).await;
    p.recv_type("ack").await;

    let pid = server.child.id();
    let status = Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(status.success());
    assert_eq!(p.closed().await, 1001, "participants are told to reconnect");
    let mut server = server;
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "graceful exit: {exit:?}");

    let again = Binary::start(data.path());
    let entries = again.timeline(&ex).await;
    assert!(entries.iter().any(|e| e["text"] == "kept"));
}
