//! The play clock over real sockets: pause holds timed injects, a manual release while
//! paused is stamped with the paused play time, resume does not add the pause, and a
//! skipped inject never comes.

mod common;

use std::time::Duration;

use common::TestServer;
use serde_json::json;

#[tokio::test]
async fn pause_holds_injects_and_resume_does_not_add_the_pause_length() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, _) = server.join(&ex, "Risk person").await;

    // 60x: partner-api (2 play minutes) is due 2 s of wall time after the start.
    facilitator.send(json!({"type": "set_speed", "speed": 60})).await;
    facilitator.send(json!({"type": "start"})).await;
    assert_eq!(risk.recv_type("inject").await["inject_id"], "first-alert");
    facilitator.send(json!({"type": "pause"})).await;
    let paused = loop {
        let c = facilitator.recv_type("clock").await;
        if c["state"] == "paused" {
            break c;
        }
    };
    let paused_at = paused["play_ms"].as_u64().unwrap();
    assert!(paused_at < 120_000, "paused before partner-api was due: {paused_at}");

    // 2.5 s paused at 60x would be 150 s of play, past partner-api's 2:00.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let during = risk.sync().await;
    assert!(during.iter().all(|m| m["type"] != "inject"), "nothing is released while paused: {during:?}");

    // A manual release while paused happens now, at the paused play time.
    facilitator.send(json!({"type": "release", "inject_id": "wrap-up"})).await;
    let manual = risk.recv_type("inject").await;
    assert_eq!(manual["inject_id"], "wrap-up");
    assert_eq!(manual["play_ms"].as_u64().unwrap(), paused_at);

    facilitator.send(json!({"type": "resume"})).await;
    let resumed = std::time::Instant::now();
    let timed = risk.recv_type("inject").await;
    assert_eq!(timed["inject_id"], "partner-api");
    let play = timed["play_ms"].as_u64().unwrap();
    // Due (120 000 - paused_at) / 60 ms after resuming; late by the 2.5 s pause it would be ≥ 270 000.
    assert!((120_000..180_000).contains(&play), "released at play {play}");
    let expected_wall = Duration::from_millis((120_000 - paused_at) / 60);
    assert!(resumed.elapsed() >= expected_wall.saturating_sub(Duration::from_millis(50)));

    let timeline = server.timeline(&ex).await;
    let released: Vec<_> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "inject_released")
        .map(|e| (e["inject_id"].as_str().unwrap().to_owned(), e["manual"].as_bool().unwrap()))
        .collect();
    assert_eq!(released, [("first-alert".into(), false), ("wrap-up".into(), true), ("partner-api".into(), false)]);
}

#[tokio::test]
async fn a_skipped_inject_never_comes_and_speed_changes_live() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, _) = server.join(&ex, "Risk person").await;

    facilitator.send(json!({"type": "skip", "inject_id": "partner-api"})).await;
    assert_eq!(facilitator.recv_type("inject_skipped").await["inject_id"], "partner-api");
    facilitator.send(json!({"type": "start"})).await;
    assert_eq!(risk.recv_type("inject").await["inject_id"], "first-alert");
    // At speed 1 wrap-up is four minutes away; speeding up brings it within a second.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let early = risk.sync().await;
    assert!(early.iter().all(|m| m["type"] != "inject"));
    facilitator.send(json!({"type": "set_speed", "speed": 600})).await;
    assert_eq!(risk.recv_type("inject").await["inject_id"], "wrap-up");
    // At 600x, 0.5 s is 5 minutes of play: partner-api (2:00) would have come by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = risk.sync().await;
    assert!(after.iter().all(|m| m["type"] != "inject"), "the skipped inject never comes: {after:?}");

    let (_, welcome) = server.facilitate(&ex).await;
    let status: Vec<_> = welcome["plan"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["released", "skipped", "released"]);
}
