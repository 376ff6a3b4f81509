//! Idempotent answers and resuming after a dropped connection, with no duplicates.

mod common;

use common::TestServer;
use serde_json::{Value, json};

fn count(v: &Value, key: &str) -> usize {
    v[key].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_resent_answer_is_acked_again_with_the_same_seq_and_stored_once() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut awa, welcome) = server.join(&ex, "Awa").await;
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    facilitator.send(json!({"type": "start"})).await;
    awa.recv_type("inject").await;

    let answer = json!({"type": "respond", "inject_id": "first-alert", "text": "Freeze swapped SIMs", "client_msg_id": "draft-1"});
    awa.send(answer.clone()).await;
    let first = awa.recv_type("ack").await;
    drop(awa); // the link drops before the client saw... anything else

    let mut again = server.client().await;
    again.send(json!({"type": "resume", "resume_token": token})).await;
    let w = again.recv_type("welcome").await;
    assert_eq!(w["you"]["participant_id"], welcome["you"]["participant_id"], "same identity");
    assert_eq!(w["group"]["id"], welcome["group"]["id"], "same group");
    again.send(answer.clone()).await;
    let second = again.recv_type("ack").await;
    assert_eq!(second, first, "same client_msg_id, same seq");
    again.send(answer).await;
    assert_eq!(again.recv_type("ack").await, first);

    let timeline = server.timeline(&ex).await;
    let stored = timeline["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "response_submitted").count();
    assert_eq!(stored, 1);
    // The facilitator heard of it once.
    let heard = facilitator.sync().await;
    assert_eq!(heard.iter().filter(|m| m["type"] == "response").count(), 1);
}

#[tokio::test]
async fn resume_sends_only_what_was_missed() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    // Seven joins: the first and the seventh share the risk group.
    let (mut awa, welcome) = server.join(&ex, "Awa").await;
    let mut others = Vec::new();
    for i in 0..5 {
        others.push(server.join(&ex, &format!("p{i}")).await.0);
    }
    let (mut lamin, lw) = server.join(&ex, "Lamin").await;
    assert_eq!(lw["group"]["id"], "risk");
    assert_eq!(welcome["group"]["id"], "risk");
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();

    facilitator.send(json!({"type": "start"})).await;
    awa.recv_type("inject").await;
    awa.send(json!({"type": "respond", "inject_id": "first-alert", "text": "one", "client_msg_id": "a1"})).await;
    awa.recv_type("ack").await;
    // What Awa has seen so far: the highest seq of any message.
    awa.sync().await;
    let last_seq = awa.log.iter().filter_map(|m| m["seq"].as_u64()).max().unwrap();
    drop(awa);

    // While Awa is away: a group mate answers, the facilitator announces and releases.
    lamin.send(json!({"type": "respond", "inject_id": "first-alert", "text": "two", "client_msg_id": "l1"})).await;
    lamin.recv_type("ack").await;
    facilitator.send(json!({"type": "announce", "text": "Five minutes left"})).await;
    facilitator.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    lamin.recv_type("inject").await;

    let mut back = server.client().await;
    back.send(json!({"type": "resume", "resume_token": token, "last_seq": last_seq})).await;
    let w = back.recv_type("welcome").await;
    let injects: Vec<&str> =
        w["injects"].as_array().unwrap().iter().map(|i| i["inject_id"].as_str().unwrap()).collect();
    assert_eq!(injects, ["partner-api"], "first-alert is not sent again");
    let texts: Vec<&str> = w["responses"].as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["two"], "own earlier answer is not sent again");
    assert_eq!(count(&w, "announcements"), 1);
    assert_eq!(w["clock"]["state"], "running");
    assert!(w["injects"][0]["questions"].as_array().is_some_and(|q| !q.is_empty()));

    // After the welcome, only new pushes arrive, each once.
    lamin.send(json!({"type": "respond", "inject_id": "partner-api", "text": "three", "client_msg_id": "l2"})).await;
    let pushed = back.recv_type("response").await;
    assert_eq!(pushed["text"], "three");
    let rest = back.sync().await;
    assert!(rest.iter().all(|m| m["type"] != "response" && m["type"] != "inject"), "{rest:?}");

    // A full resume (no last_seq) sends everything for the group.
    let mut full = server.client().await;
    full.send(json!({"type": "resume", "resume_token": token})).await;
    let w = full.recv_type("welcome").await;
    assert_eq!(count(&w, "injects"), 2);
    assert_eq!(count(&w, "responses"), 3);
}

/// 300 long answers on one inject (quotas raised for the test): the console's and the
/// group's welcomes carry the latest 20, say how many older ones there are, and stay far
/// from a frame too big to write (issue 16: a welcome used to carry every answer).
#[tokio::test]
async fn a_welcome_of_a_long_exercise_is_paged() {
    let server = TestServer::start_with(|o| {
        o.limits.messages_per_second = 10_000.0;
        o.limits.message_burst = 10_000.0;
        o.limits.rules.max_answers_per_minute = 1_000;
        o.limits.rules.max_answers_per_inject = 1_000;
        o.limits.rules.max_participant_answer_bytes = 64 * 1024 * 1024;
    })
    .await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, welcome) = server.join(&ex, "Awa").await;
    facilitator.send(json!({"type": "start"})).await;
    risk.recv_type("inject").await;
    // 300 answers of 7,000 characters: 4 MB of answers.
    let long = "é".repeat(7_000);
    for i in 0..300 {
        let id = format!("c{i}");
        risk.send(json!({"type": "respond", "inject_id": "first-alert", "text": long, "client_msg_id": id})).await;
    }
    let mut acked = 0;
    while acked < 300 {
        if risk.recv().await["type"] == "ack" {
            acked += 1;
        }
    }
    let paged = |w: &Value| {
        let older = &w["older_responses"][0];
        (w["responses"].as_array().unwrap().len(), older["inject_id"].clone(), older["count"].as_u64())
    };
    let (_, big) = server.facilitate(&ex).await;
    assert_eq!(paged(&big), (20, json!("first-alert"), Some(280)));
    assert!(big.to_string().len() < 500_000, "the welcome is paged");
    let token = welcome["you"]["resume_token"].as_str().unwrap();
    let mut again = server.client().await;
    again.send(json!({"type": "resume", "resume_token": token})).await;
    assert_eq!(paged(&again.recv_type("welcome").await), (20, json!("first-alert"), Some(280)));
}

/// Startup replays exercises on several threads: every one comes back whole and its
/// own, whatever thread replayed it.
#[tokio::test]
async fn after_a_restart_every_exercise_resumes_with_its_own_people_and_answers() {
    let server = TestServer::start().await;
    let mut before = Vec::new();
    for i in 0..7 {
        let ex = server.create("quick-demo").await;
        let (mut facilitator, _) = server.facilitate(&ex).await;
        let (mut p, welcome) = server.join(&ex, &format!("Participant {i}")).await;
        facilitator.send(json!({"type": "start"})).await;
        p.recv_type("inject").await;
        let text = format!("answer of exercise {i}");
        p.send(json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": "a"})).await;
        p.recv_type("ack").await;
        let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
        before.push((ex, token, text));
    }
    let data = server.stop().await;
    let server = TestServer::start_in(data, |_| {}).await;
    for (i, (ex, token, text)) in before.iter().enumerate() {
        let mut p = server.client().await;
        p.send(json!({"type": "resume", "resume_token": token})).await;
        let w = p.recv_type("welcome").await;
        assert_eq!(w["you"]["name"], format!("Participant {i}"));
        let answers: Vec<&str> =
            w["responses"].as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
        assert_eq!(answers, [text.as_str()], "exercise {i}");
        let (_, fw) = server.facilitate(ex).await;
        assert_eq!(fw["join_code"], ex.join_code);
        assert_eq!(fw["roster"].as_array().unwrap().len(), 1, "exercise {i}");
    }
}

/// A socket that falls further behind its push channel than the channel holds is
/// closed with 4008, and a resume from its last `seq` brings back everything it missed.
/// (The tests' runtime is single-threaded: the actor puts both pushes of `start` into
/// the one-slot channel before the socket's task runs, so the lag is certain.)
#[tokio::test]
async fn a_socket_that_falls_behind_is_closed_with_4008_and_resumes_without_loss() {
    let server = TestServer::start_with(|o| o.limits.actor.channels.group = 1).await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut awa, welcome) = server.join(&ex, "Awa").await;
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    let last_seq = welcome["last_seq"].as_u64().unwrap();

    facilitator.send(json!({"type": "start"})).await;
    assert_eq!(awa.closed().await, 4008, "the clock and the first inject overflow the one-slot channel");

    let mut again = server.client().await;
    again.send(json!({"type": "resume", "resume_token": token, "last_seq": last_seq})).await;
    let w = again.recv_type("welcome").await;
    assert_eq!(w["clock"]["state"], "running");
    let injects: Vec<&str> =
        w["injects"].as_array().unwrap().iter().map(|i| i["inject_id"].as_str().unwrap()).collect();
    assert_eq!(injects, ["first-alert"], "the missed inject comes back once");
    // And the resumed socket keeps up with what follows.
    facilitator.send(json!({"type": "announce", "text": "Ten minutes left"})).await;
    assert_eq!(again.recv_type("announcement").await["text"], "Ten minutes left");
}
