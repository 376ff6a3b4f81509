//! The facilitator's control of the room over real sockets: joining locked (a join is
//! refused, a resume still works), a participant removed (their open socket is closed,
//! their token refused with `removed`, the roster and the group told, their answer kept
//! and marked), and a participant cannot send either.

mod common;

use common::TestServer;
use serde_json::json;

#[tokio::test]
async fn a_locked_room_refuses_joins_but_not_resumes_and_participants_cannot_lock_it() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["joining_locked"], false);
    let (mut ana, ana_welcome) = server.join(&ex, "Ana").await;
    let token = ana_welcome["you"]["resume_token"].as_str().unwrap().to_owned();

    let refused = ana.ask(json!({"type": "lock_joining"}), "l1").await;
    assert_eq!(refused["code"], "forbidden", "{refused}");
    let id = ana_welcome["you"]["participant_id"].clone();
    let refused = ana.ask(json!({"type": "remove_participant", "participant_id": id}), "r1").await;
    assert_eq!(refused["code"], "forbidden", "{refused}");

    assert_eq!(fac.ask(json!({"type": "lock_joining"}), "l2").await["type"], "ack");
    fac.sync().await;
    assert!(fac.log.iter().any(|m| m["type"] == "joining" && m["locked"] == true), "{:?}", fac.log);
    let mut newcomer = server.client().await;
    newcomer.send(json!({"type": "join", "join_code": ex.join_code, "name": "Bo"})).await;
    let refused = newcomer.recv().await;
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_str()),
        (Some("error"), Some("joining_locked")),
        "{refused}"
    );
    // Ana, already in, comes back on a new socket.
    let mut again = server.client().await;
    again.send(json!({"type": "resume", "resume_token": token})).await;
    assert_eq!(again.recv_type("welcome").await["you"]["name"], "Ana");
    // A fresh console sees the lock.
    let (_, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["joining_locked"], true);

    assert_eq!(fac.ask(json!({"type": "unlock_joining"}), "u1").await["type"], "ack");
    newcomer.send(json!({"type": "join", "join_code": ex.join_code, "name": "Bo"})).await;
    assert_eq!(newcomer.recv_type("welcome").await["you"]["name"], "Bo");
}

#[tokio::test]
async fn a_removed_participant_is_closed_out_and_their_answer_stays_marked() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut ana, ana_welcome) = server.join(&ex, "Ana").await;
    let token = ana_welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    let ana_id = ana_welcome["you"]["participant_id"].clone();
    fac.send(json!({"type": "start"})).await;
    let inject = ana.recv_type("inject").await;
    let answer = json!({"type": "respond", "inject_id": inject["inject_id"], "text": "Call the bank"});
    assert_eq!(ana.ask(answer, "a1").await["type"], "ack");

    let removed = fac.ask(json!({"type": "remove_participant", "participant_id": ana_id}), "rm").await;
    assert_eq!(removed["type"], "ack", "{removed}");
    fac.sync().await;
    let roster = fac.log.iter().rfind(|m| m["type"] == "participant").expect("a roster change");
    assert_eq!(roster["change"], "removed");
    assert_eq!(roster["participant"]["participant_id"], ana_id);
    // Ana's open socket is closed; her token no longer opens a session.
    assert_eq!(ana.closed().await, 4003);
    let mut back = server.client().await;
    back.send(json!({"type": "resume", "resume_token": token})).await;
    let refused = back.recv().await;
    assert_eq!(refused["code"], "removed", "{refused}");
    // A fresh console: not in the roster; the answer is there, marked.
    let (_, welcome) = server.facilitate(&ex).await;
    assert!(welcome["roster"].as_array().unwrap().iter().all(|p| p["participant_id"] != ana_id));
    let kept = welcome["responses"].as_array().unwrap().iter().find(|r| r["participant_id"] == ana_id).unwrap();
    assert_eq!((kept["text"].as_str(), kept["removed"].as_bool()), (Some("Call the bank"), Some(true)));
    // The timeline names her, marked, and records the removal.
    let timeline = server.timeline(&ex).await;
    let entries = timeline["entries"].as_array().unwrap();
    let answer = entries.iter().find(|e| e["kind"] == "response_submitted").unwrap();
    assert_eq!(answer["participant_name"], "Ana (removed)");
    assert!(entries.iter().any(|e| e["kind"] == "participant_removed"));
}
