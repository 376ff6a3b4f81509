//! Conditional injects over real sockets: incident response stays silent and
//! governance receives the escalation at its play time, exactly once — also when the
//! real binary is killed with SIGKILL before the deadline and started again after it;
//! a poll choice releases its fallout to a third group in the same commit; Fire now and
//! Cancel, and their refusals (a participant, an inject without condition, a condition
//! already cancelled) as typed errors.

mod common;

use std::time::{Duration, Instant};

use common::binary::Binary;
use common::{Client, TestServer};
use serde_json::{Value, json};

const FIVE_MIN: u64 = 5 * 60_000;

fn of_kind<'a>(entries: &'a [Value], kind: &str) -> Vec<&'a Value> {
    entries.iter().filter(|e| e["kind"] == kind).collect()
}

/// The inject pushes (or welcome injects) a participant got, by id.
fn ids(messages: &[Value]) -> Vec<String> {
    messages.iter().filter(|m| m["type"] == "inject").map(|m| m["inject_id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_silent_group_escalates_to_governance_at_its_play_time_once() {
    let server = TestServer::start().await;
    let ex = server.create("escalation").await;
    let (mut f, welcome) = server.facilitate(&ex).await;
    let plan = welcome["plan"].as_array().unwrap();
    let row = plan.iter().find(|r| r["inject_id"] == "escalation").unwrap();
    assert_eq!(row["condition"]["status"], "armed");
    assert_eq!(row["condition"]["words"], "Incident response has not answered “First alert” within 5 min");
    let (mut incident, wi) = server.join(&ex, "Isatou").await;
    let (mut governance, wg) = server.join(&ex, "Gibril").await;
    let (mut protection, _) = server.join(&ex, "Penda").await;
    assert_eq!((wi["group"]["id"].as_str(), wg["group"]["id"].as_str()), (Some("incident"), Some("governance")));

    f.send(json!({"type": "set_speed", "speed": 60})).await;
    f.send(json!({"type": "start"})).await;
    assert_eq!(incident.recv_type("inject").await["inject_id"], "alert");
    // The console's countdown target: the alert's release plus five play minutes.
    let armed = loop {
        let c = f.recv_type("conditions").await;
        let esc = c["conditions"].as_array().unwrap().iter().find(|c| c["inject_id"] == "escalation").unwrap().clone();
        if esc["due_play_ms"].is_u64() {
            break esc;
        }
    };
    assert_eq!(armed["parts"][0]["state"], "counting");
    let due = armed["due_play_ms"].as_u64().unwrap();
    assert!((FIVE_MIN..FIVE_MIN + 6_000).contains(&due), "{armed}");

    let escalation = loop {
        let m = governance.recv_type("inject").await;
        if m["inject_id"] == "escalation" {
            break m;
        }
    };
    let at = escalation["play_ms"].as_u64().unwrap();
    assert!(at >= due && at < due + 6_000, "released at play {at}, due {due} (100 ms of wall time is 6 s of play)");
    assert_eq!(escalation["questions"], json!(["What do you tell the central bank?"]));
    assert!(escalation.get("expected_actions").is_none() && escalation.get("condition").is_none());

    // Exactly once, and to governance only.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let later = governance.sync().await;
    assert!(!ids(&later).contains(&"escalation".to_owned()), "not twice: {later:?}");
    assert!(!ids(&incident.sync().await).contains(&"escalation".to_owned()));
    assert!(!ids(&protection.sync().await).contains(&"escalation".to_owned()));
    let entries = server.timeline(&ex).await["entries"].as_array().unwrap().clone();
    let fired = of_kind(&entries, "condition_fired");
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["manual"], false);
    let release = of_kind(&entries, "inject_released").into_iter().find(|e| e["inject_id"] == "escalation").unwrap();
    assert_eq!(release["seq"].as_u64().unwrap(), fired[0]["seq"].as_u64().unwrap() + 1, "one commit, in order");
    assert_eq!(release["condition"], "Incident response has not answered “First alert” within 5 min");

    // The after-action report says why it went out, in both languages.
    for (lang, says) in [
        ("en", "released because incident response has not answered “First alert” within 5 min"),
        ("fr", "diffusé car incident response n’a pas répondu à «\u{202f}First alert\u{202f}» dans les 5\u{a0}min"),
    ] {
        let url = format!("{}/api/exercises/{}/export?format=md&lang={lang}", server.base, ex.id);
        let res = server.http().get(url).bearer_auth(common::ADMIN).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let report = res.text().await.unwrap();
        assert!(report.contains(says), "{lang}: no {says:?} in the report");
    }
}

#[tokio::test]
async fn a_kill_9_between_the_trigger_and_the_release_neither_misses_nor_doubles_it() {
    let data = tempfile::tempdir().unwrap();
    let first = Binary::start(data.path());
    let ex = first.create("escalation").await;
    let (mut f, _) = first.facilitate(&ex).await;
    let (mut incident, _) = first.join(&ex, "Isatou").await;
    let (mut governance, wg) = first.join(&ex, "Gibril").await;
    let token = wg["you"]["resume_token"].as_str().unwrap().to_owned();
    f.send(json!({"type": "set_speed", "speed": 60})).await;
    f.send(json!({"type": "start"})).await;
    let started = Instant::now();
    incident.recv_type("inject").await;
    governance.recv_type("inject").await;
    first.kill_9();
    drop((f, incident, governance));

    // Down while the deadline (5 s of wall time at 60x) passes.
    tokio::time::sleep(Duration::from_millis(6_000).saturating_sub(started.elapsed())).await;
    let second = Binary::start(data.path());
    let mut back = Client::connect(&second.ws()).await;
    back.send(json!({"type": "resume", "resume_token": token})).await;
    let welcome = back.recv_type("welcome").await;
    let mut got: Vec<String> =
        welcome["injects"].as_array().unwrap().iter().map(|i| i["inject_id"].as_str().unwrap().to_owned()).collect();
    if !got.contains(&"escalation".to_owned()) {
        let m = loop {
            let m = back.recv_type("inject").await;
            if m["inject_id"] == "escalation" {
                break m;
            }
            got.push(m["inject_id"].as_str().unwrap().to_owned());
        };
        got.push(m["inject_id"].as_str().unwrap().to_owned());
    }
    got.extend(ids(&back.sync().await));
    assert_eq!(got.iter().filter(|i| *i == "escalation").count(), 1, "{got:?}");

    // Killed again and back: the log says it fired; nothing goes out twice.
    second.kill_9();
    let third = Binary::start(data.path());
    let (mut f3, w3) = third.facilitate(&ex).await;
    let row = w3["plan"].as_array().unwrap().iter().find(|r| r["inject_id"] == "escalation").unwrap().clone();
    assert_eq!(row["condition"]["status"], "fired", "{row}");
    assert!(row["condition"]["status_play_ms"].as_u64().unwrap() >= FIVE_MIN);
    tokio::time::sleep(Duration::from_millis(500)).await;
    f3.sync().await;
    let entries = third.timeline(&ex).await;
    assert_eq!(of_kind(&entries, "condition_fired").len(), 1);
    let released: Vec<&str> =
        of_kind(&entries, "inject_released").iter().map(|e| e["inject_id"].as_str().unwrap()).collect();
    assert_eq!(released.iter().filter(|i| **i == "escalation").count(), 1, "{released:?}");
}

#[tokio::test]
async fn a_choice_releases_its_fallout_and_fire_now_and_cancel_are_the_facilitators() {
    let server = TestServer::start().await;
    let ex = server.create("escalation").await;
    let (mut f, _) = server.facilitate(&ex).await;
    let (mut incident, _) = server.join(&ex, "Isatou").await;
    let (mut governance, _) = server.join(&ex, "Gibril").await;
    let (mut protection, _) = server.join(&ex, "Penda").await;
    f.send(json!({"type": "start"})).await;
    f.send(json!({"type": "release", "inject_id": "ransom"})).await;
    assert_eq!(governance.recv_type("inject").await["inject_id"], "alert");
    assert_eq!(governance.recv_type("inject").await["inject_id"], "ransom");

    // Refusals, typed.
    assert_eq!(refused(&mut incident, json!({"type": "fire_condition", "inject_id": "fallout"})).await, "forbidden");
    assert_eq!(refused(&mut f, json!({"type": "fire_condition", "inject_id": "alert"})).await, "no_condition");
    assert_eq!(refused(&mut f, json!({"type": "cancel_condition", "inject_id": "ghost"})).await, "unknown_inject");

    // Governance chooses to pay: protection gets the fallout in the same commit.
    governance
        .send(json!({"type": "respond", "inject_id": "ransom", "text": "", "options": ["pay"], "client_msg_id": "c1"}))
        .await;
    let ack = governance.recv_type("ack").await["seq"].as_u64().unwrap();
    let fallout = protection.recv_type("inject").await;
    assert_eq!(fallout["inject_id"], "fallout");
    assert_eq!(fallout["seq"].as_u64().unwrap(), ack + 2, "condition_fired then the release, after the answer");

    // Cancel the silence; Fire now is refused on it afterwards; a release by hand works.
    f.sync().await;
    f.send(json!({"type": "cancel_condition", "inject_id": "escalation"})).await;
    let c = f.recv_type("conditions").await;
    let esc = c["conditions"].as_array().unwrap().iter().find(|c| c["inject_id"] == "escalation").unwrap().clone();
    assert_eq!(esc["status"], "cancelled");
    assert_eq!(
        refused(&mut f, json!({"type": "fire_condition", "inject_id": "escalation"})).await,
        "condition_not_armed"
    );
    f.send(json!({"type": "release", "inject_id": "escalation"})).await;
    assert_eq!(governance.recv_type("inject").await["inject_id"], "escalation");
    let entries = server.timeline(&ex).await["entries"].as_array().unwrap().clone();
    assert_eq!(of_kind(&entries, "condition_cancelled").len(), 1);
    let by_hand = of_kind(&entries, "inject_released").into_iter().find(|e| e["inject_id"] == "escalation").unwrap();
    assert!(by_hand.get("condition").is_none(), "released by hand, not because of the condition");
    assert_eq!(by_hand["manual"], true);
}

/// Sends `msg` and returns the error code it gets.
async fn refused(c: &mut Client, msg: Value) -> String {
    c.send(msg).await;
    c.recv_type("error").await["code"].as_str().unwrap().to_owned()
}
