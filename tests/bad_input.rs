//! Every bad-input path over real sockets and HTTP: each refusal carries a stable
//! `code`, the socket stays open (a valid message afterwards gets its normal answer)
//! and nothing changed (the timeline, the clock, the plan and the roster are as before).
//! Oversized frames close with 4009, repeated failed handshakes with 4029.

mod common;

use std::time::Duration;

use common::{ADMIN, Client, Exercise, TestServer, WAIT};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long "nothing else arrives" is watched for.
const QUIET: Duration = Duration::from_millis(200);
/// A well-formed exercise id no exercise has.
const NO_SUCH_EXERCISE: &str = "01890a5d-ac96-774b-bcce-b302099a8057";
/// A well-formed participant id no participant has.
const NO_SUCH_PARTICIPANT: &str = "01890a5d-ac96-774b-bcce-b302099a8058";

// ------------------------------------------------------------------ helpers

/// Asserts `v` is an error frame with this code and a non-empty message.
fn assert_error(v: &Value, code: &str, what: &str) {
    assert_eq!(v["type"], "error", "{what}: expected error {code}, got {v}");
    assert_eq!(v["code"], code, "{what}: {v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.trim().is_empty()), "{what}: error without message: {v}");
}

/// Sends `msg` and requires the very next frame to be an error with `code`.
async fn refused(c: &mut Client, msg: Value, code: &str) -> Value {
    c.send(msg.clone()).await;
    let v = c.recv().await;
    assert_error(&v, code, &msg.to_string());
    v
}

/// Sends a raw text frame and requires the very next frame to be an error with `code`.
async fn refused_text(c: &mut Client, text: &str, code: &str) -> Value {
    c.send_text(text).await;
    let v = c.recv().await;
    let shown: String = text.chars().take(80).collect();
    assert_error(&v, code, &shown);
    v
}

/// A `respond` refused with `code`, with its `client_msg_id` echoed in the error.
async fn respond_refused(c: &mut Client, inject_id: &str, text: &str, client_msg_id: &str, code: &str) {
    let msg = json!({"type": "respond", "inject_id": inject_id, "text": text, "client_msg_id": client_msg_id});
    let v = refused(c, msg, code).await;
    assert_eq!(v["client_msg_id"], client_msg_id, "the refused respond's id is echoed: {v}");
}

/// Requires that nothing at all was sent to the socket (proven with a `ping`: see
/// `Client::sync`).
async fn assert_silent(c: &mut Client, who: &str) {
    let got = c.sync().await;
    assert!(got.is_empty(), "{who} received something after refused messages: {got:?}");
}

/// Requires that nothing arrives for a moment, on a socket that cannot `ping` (not
/// identified, or out of rate-limit tokens): the one place a time window stands in.
async fn assert_quiet_for_a_moment(c: &mut Client, who: &str) {
    let got = c.drain(QUIET).await;
    assert!(got.is_empty(), "{who} received something after refused messages: {got:?}");
}

async fn entries(server: &TestServer, ex: &Exercise) -> Vec<Value> {
    server.timeline(ex).await["entries"].as_array().expect("timeline entries").clone()
}

fn kinds(entries: &[Value]) -> Vec<String> {
    entries.iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
}

/// What a facilitator console shows of the exercise's state: phase, speed, the plan's
/// statuses and the roster's groups (not the ticking play time).
async fn state_of(server: &TestServer, ex: &Exercise) -> Value {
    let (_c, w) = server.facilitate(ex).await;
    let plan: Vec<Value> = w["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!([i["inject_id"], i["status"], i["status_play_ms"]]))
        .collect();
    let roster: Vec<Value> =
        w["roster"].as_array().unwrap().iter().map(|p| json!([p["participant_id"], p["group_id"]])).collect();
    json!({
        "state": w["clock"]["state"],
        "speed": w["clock"]["speed"],
        "last_seq": w["last_seq"],
        "plan": plan,
        "roster": roster,
    })
}

/// Reads whatever was sent to these sockets so far (roster pushes, clock changes).
async fn settle(clients: &mut [&mut Client]) {
    for c in clients.iter_mut() {
        c.sync().await;
    }
}

type Raw = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A websocket without the harness, for binary frames.
async fn raw(server: &TestServer) -> Raw {
    tokio_tungstenite::connect_async(server.ws_url.as_str()).await.expect("websocket connects").0
}

async fn raw_json(ws: &mut Raw) -> Value {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a message within the wait")
            .expect("socket open")
            .expect("no socket error");
        match msg {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame: {other:?}"),
        }
    }
}

async fn raw_closed(ws: &mut Raw) -> u16 {
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("closed within the wait") {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)).unwrap_or(1005),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("socket error instead of a close frame: {e}"),
            None => panic!("stream ended without a close frame"),
        }
    }
}

fn facilitate_msg(ex: &Exercise) -> Value {
    json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})
}

// ------------------------------------------------------------------ before the handshake

/// Each bad first message, on its own socket: the stable code, then a valid
/// `facilitate` on the same socket is welcomed, and the log never moved.
#[tokio::test]
async fn bad_messages_before_the_handshake_are_refused_and_the_socket_stays_usable() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let before = entries(&server, &ex).await;
    let wrong_secret = format!("{}.{}", ex.id.replace('-', ""), "a".repeat(32));
    // Refusals that are not failed identifications.
    let refusals: Vec<(&str, String)> = vec![
        ("malformed", "{not json".into()),
        ("malformed", "".into()),
        ("malformed", "{\"type\": \"join\",}".into()),
        ("invalid_message", "[1, 2, 3]".into()),
        ("invalid_message", "\"join\"".into()),
        ("invalid_message", "42".into()),
        ("invalid_message", "{}".into()),
        ("invalid_message", json!({"type": 7}).to_string()),
        ("invalid_message", json!({"type": null, "join_code": ex.join_code, "name": "A"}).to_string()),
        ("invalid_message", json!({"kind": "join", "join_code": ex.join_code, "name": "A"}).to_string()),
        ("unknown_type", json!({"type": "hello"}).to_string()),
        ("unknown_type", json!({"type": "JOIN", "join_code": ex.join_code, "name": "A"}).to_string()),
        ("unknown_type", json!({"type": ""}).to_string()),
        ("invalid_message", json!({"type": "join", "join_code": ex.join_code}).to_string()),
        ("invalid_message", json!({"type": "join", "name": "Awa"}).to_string()),
        ("invalid_message", json!({"type": "join", "join_code": ex.join_code, "name": 5}).to_string()),
        ("invalid_message", json!({"type": "resume"}).to_string()),
        ("invalid_message", json!({"type": "resume", "resume_token": "x", "last_seq": "ten"}).to_string()),
        (
            "invalid_message",
            json!({"type": "facilitate", "exercise_id": "not-a-uuid", "facilitator_key": ex.key}).to_string(),
        ),
        ("invalid_message", json!({"type": "facilitate", "exercise_id": ex.id}).to_string()),
        (
            "not_identified",
            json!({"type": "respond", "inject_id": "first-alert", "text": "hi", "client_msg_id": "c1"}).to_string(),
        ),
        ("not_identified", json!({"type": "start"}).to_string()),
        ("not_identified", json!({"type": "announce", "text": "hello"}).to_string()),
    ];
    // Failed identifications (eight: under the limit of ten).
    let failures: Vec<(&str, String)> = vec![
        ("unknown_join_code", json!({"type": "join", "join_code": "ZZZZ-ZZZZ", "name": "Awa"}).to_string()),
        ("unknown_join_code", json!({"type": "join", "join_code": "", "name": "Awa"}).to_string()),
        ("bad_credentials", json!({"type": "resume", "resume_token": "garbage"}).to_string()),
        ("bad_credentials", json!({"type": "resume", "resume_token": ""}).to_string()),
        ("bad_credentials", json!({"type": "resume", "resume_token": wrong_secret}).to_string()),
        (
            "bad_credentials",
            json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": "wrong"}).to_string(),
        ),
        ("bad_credentials", json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ""}).to_string()),
        (
            "unknown_exercise",
            json!({"type": "facilitate", "exercise_id": NO_SUCH_EXERCISE, "facilitator_key": ex.key}).to_string(),
        ),
    ];
    // A join with a bad name is refused (not welcomed).
    let bad_names: Vec<(&str, String)> = vec![
        ("too_long", json!({"type": "join", "join_code": ex.join_code, "name": "n".repeat(61)}).to_string()),
        ("invalid_text", json!({"type": "join", "join_code": ex.join_code, "name": "  \t "}).to_string()),
    ];
    let cases: Vec<&(&str, String)> = refusals.iter().chain(&failures).chain(&bad_names).collect();
    for (code, text) in cases {
        let mut c = server.client().await;
        let err = refused_text(&mut c, text, code).await;
        assert!(err.get("client_msg_id").is_none(), "no client_msg_id outside respond: {err}");
        c.send(facilitate_msg(&ex)).await;
        let welcome = c.recv().await;
        assert_eq!(welcome["type"], "welcome", "after {text}: {welcome}");
        assert_eq!(welcome["role"], "facilitator");
        assert!(welcome["roster"].as_array().unwrap().is_empty(), "after {text}: nobody joined");
    }
    assert_eq!(entries(&server, &ex).await, before, "refused handshakes changed the log");

    // All of them in a row on one socket (fewer than ten failed identifications), then a
    // participant joins on that same socket.
    let mut c = server.client().await;
    for (code, text) in refusals.iter().chain(&failures) {
        refused_text(&mut c, text, code).await;
    }
    c.send(json!({"type": "join", "join_code": ex.join_code, "name": "Awa"})).await;
    let welcome = c.recv().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["role"], "participant");
    let after = entries(&server, &ex).await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(kinds(&after[before.len()..]), ["participant_joined"]);
}

/// The join code is normalised (case, spaces, dashes), so a sloppy but right code is
/// not a failed handshake.
#[tokio::test]
async fn a_sloppily_typed_join_code_still_joins() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let code = ex.join_code.to_lowercase();
    let sloppy = format!(" {}-{} ", &code[..4], &code[4..]);
    let mut c = server.client().await;
    c.send(json!({"type": "join", "join_code": sloppy, "name": "Awa"})).await;
    assert_eq!(c.recv_type("welcome").await["role"], "participant");
}

/// Ten failed identifications close the socket with 4029; fewer keep it usable, other
/// errors do not count, and the limit is per socket.
#[tokio::test]
async fn ten_failed_handshakes_close_the_socket_with_4029() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let before = entries(&server, &ex).await;
    let failures = [
        (json!({"type": "join", "join_code": "ZZZZZZZZ", "name": "Awa"}), "unknown_join_code"),
        (json!({"type": "resume", "resume_token": "nope"}), "bad_credentials"),
        (json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": "wrong"}), "bad_credentials"),
        (json!({"type": "facilitate", "exercise_id": NO_SUCH_EXERCISE, "facilitator_key": ex.key}), "unknown_exercise"),
        (
            json!({"type": "resume", "resume_token": format!("{}.{}", ex.id.replace('-', ""), "b".repeat(32))}),
            "bad_credentials",
        ),
    ];

    // Nine failures plus other refusals: still open, and it can still identify.
    let mut a = server.client().await;
    for i in 0..9 {
        let (msg, code) = &failures[i % failures.len()];
        refused(&mut a, msg.clone(), code).await;
        refused_text(&mut a, "not json", "malformed").await;
        refused(&mut a, json!({"type": "start"}), "not_identified").await;
    }
    refused(&mut a, json!({"type": "join", "join_code": ex.join_code}), "invalid_message").await;
    a.send(facilitate_msg(&ex)).await;
    assert_eq!(a.recv().await["type"], "welcome", "nine failures leave the socket usable");

    // The tenth failure is answered, then the socket is closed with 4029.
    let mut b = server.client().await;
    for i in 0..10 {
        let (msg, code) = &failures[i % failures.len()];
        refused(&mut b, msg.clone(), code).await;
    }
    assert_eq!(b.closed().await, 4029);

    // The limit is per socket: a new one identifies at once.
    let mut c = server.client().await;
    c.send(facilitate_msg(&ex)).await;
    assert_eq!(c.recv().await["type"], "welcome");
    assert_eq!(entries(&server, &ex).await, before, "failed handshakes changed the log");
}

/// A smaller configured limit applies.
#[tokio::test]
async fn the_failed_handshake_limit_is_configurable() {
    let server = TestServer::start_with(|o| o.limits.max_failed_hellos = 2).await;
    let mut c = server.client().await;
    refused(&mut c, json!({"type": "join", "join_code": "ZZZZZZZZ", "name": "A"}), "unknown_join_code").await;
    refused(&mut c, json!({"type": "join", "join_code": "ZZZZZZZZ", "name": "A"}), "unknown_join_code").await;
    assert_eq!(c.closed().await, 4029);
}

/// A full exercise refuses the next join with `exercise_full`; that socket can still
/// identify otherwise.
#[tokio::test]
async fn a_full_exercise_refuses_joins() {
    let server = TestServer::start_with(|o| o.limits.rules.max_participants = 1).await;
    let ex = server.create("quick-demo").await;
    let (_p, _) = server.join(&ex, "Awa").await;
    let before = entries(&server, &ex).await;
    let mut c = server.client().await;
    refused(&mut c, json!({"type": "join", "join_code": ex.join_code, "name": "Bakary"}), "exercise_full").await;
    assert_eq!(entries(&server, &ex).await, before);
    c.send(facilitate_msg(&ex)).await;
    let welcome = c.recv().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["roster"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------ after the handshake: participants

/// A participant sending any facilitator command gets `forbidden`; the clock, plan,
/// roster and log stay as they were and nobody is pushed anything.
#[tokio::test]
async fn participants_cannot_send_facilitator_commands() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, w) = server.join(&ex, "Awa").await;
    let (mut q, _) = server.join(&ex, "Bakary").await;
    let me = w["you"]["participant_id"].as_str().unwrap().to_owned();
    assert_eq!(w["group"]["id"], "risk");
    fac.send(json!({"type": "start"})).await;
    assert_eq!(fac.recv_type("inject").await["inject_id"], "first-alert");
    assert_eq!(p.recv_type("inject").await["inject_id"], "first-alert");
    settle(&mut [&mut fac, &mut p, &mut q]).await;

    let before = entries(&server, &ex).await;
    let state = state_of(&server, &ex).await;
    assert_eq!(state["state"], "running");
    assert_eq!(state["speed"], 1.0);

    let commands = [
        json!({"type": "start"}),
        json!({"type": "pause"}),
        json!({"type": "resume"}),
        json!({"type": "release", "inject_id": "partner-api"}),
        json!({"type": "skip", "inject_id": "wrap-up"}),
        json!({"type": "set_speed", "speed": 600}),
        json!({"type": "move", "participant_id": me, "group_id": "incident"}),
        json!({"type": "announce", "text": "Everyone out!"}),
        json!({"type": "end"}),
    ];
    for cmd in commands {
        let err = refused(&mut p, cmd, "forbidden").await;
        assert!(err.get("client_msg_id").is_none(), "{err}");
    }
    // Facilitator commands with bad fields are refused for their shape.
    refused(&mut p, json!({"type": "set_speed", "speed": "fast"}), "invalid_message").await;
    refused(&mut p, json!({"type": "release"}), "invalid_message").await;

    assert_silent(&mut fac, "the facilitator").await;
    assert_silent(&mut q, "another participant").await;
    assert_eq!(entries(&server, &ex).await, before, "a forbidden command changed the log");
    assert_eq!(state_of(&server, &ex).await, state, "a forbidden command changed the exercise");

    // The socket still works: the participant's answer is acked and reaches the facilitator.
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "We call the CEO", "client_msg_id": "r1"}))
        .await;
    let ack = p.recv_type("ack").await;
    assert_eq!(ack["client_msg_id"], "r1");
    assert_eq!(fac.recv_type("response").await["text"], "We call the CEO");
}

/// `join` or `facilitate` on an identified socket is `already_identified`, for both roles.
#[tokio::test]
async fn identifying_twice_is_refused() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let other = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, _) = server.join(&ex, "Awa").await;
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;
    let before_other = entries(&server, &other).await;

    for c in [&mut p, &mut fac] {
        refused(c, json!({"type": "join", "join_code": ex.join_code, "name": "Again"}), "already_identified").await;
        refused(c, json!({"type": "join", "join_code": other.join_code, "name": "Elsewhere"}), "already_identified")
            .await;
        refused(c, facilitate_msg(&ex), "already_identified").await;
        refused(c, facilitate_msg(&other), "already_identified").await;
    }
    // More than ten of them do not close the socket: they are not failed identifications.
    for _ in 0..10 {
        refused(&mut p, json!({"type": "join", "join_code": ex.join_code, "name": "Again"}), "already_identified")
            .await;
    }
    assert_eq!(entries(&server, &ex).await, before);
    assert_eq!(entries(&server, &other).await, before_other);
    let roster = state_of(&server, &ex).await["roster"].as_array().unwrap().len();
    assert_eq!(roster, 1, "nobody else joined");

    fac.send(json!({"type": "announce", "text": "Still here"})).await;
    assert_eq!(fac.recv_type("announcement").await["text"], "Still here");
    assert_eq!(p.recv_type("announcement").await["text"], "Still here");
}

/// Answers to injects not released to the group, to unknown injects, too long, empty,
/// or with a bad `client_msg_id`: refused with the id echoed, nothing stored.
#[tokio::test]
async fn bad_responses_are_refused_with_their_client_msg_id() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut risk, w1) = server.join(&ex, "Risk person").await;
    let (mut gov, w2) = server.join(&ex, "Governance person").await;
    assert_eq!(w1["group"]["id"], "risk");
    assert_eq!(w2["group"]["id"], "governance");
    settle(&mut [&mut fac, &mut risk, &mut gov]).await;

    // Nothing released yet (lobby).
    respond_refused(&mut risk, "first-alert", "Early", "c-early", "inject_not_released").await;
    // partner-api goes to risk and incident only.
    fac.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    assert_eq!(fac.recv_type("inject").await["inject_id"], "partner-api");
    assert_eq!(risk.recv_type("inject").await["inject_id"], "partner-api");
    settle(&mut [&mut fac, &mut risk, &mut gov]).await;
    let before = entries(&server, &ex).await;

    respond_refused(&mut gov, "partner-api", "Not ours", "c-gov", "inject_not_released").await;
    respond_refused(&mut gov, "wrap-up", "Not yet", "c-gov-2", "inject_not_released").await;
    respond_refused(&mut risk, "wrap-up", "Not yet", "c-risk-0", "inject_not_released").await;
    respond_refused(&mut risk, "no-such-inject", "Hello", "c-risk-1", "unknown_inject").await;
    respond_refused(&mut risk, "", "Hello", "c-risk-1b", "unknown_inject").await;
    respond_refused(&mut risk, "partner-api", &"x".repeat(8_001), "c-risk-2", "too_long").await;
    respond_refused(&mut risk, "partner-api", "", "c-risk-3", "invalid_text").await;
    respond_refused(&mut risk, "partner-api", "  \n\t  ", "c-risk-4", "invalid_text").await;
    respond_refused(&mut risk, "partner-api", "\u{7}\u{1b}", "c-risk-5", "invalid_text").await;
    respond_refused(&mut risk, "partner-api", "Fine", "   ", "invalid_text").await;
    respond_refused(&mut risk, "partner-api", "Fine", &"k".repeat(65), "invalid_text").await;
    let err =
        refused(&mut risk, json!({"type": "respond", "inject_id": "partner-api", "text": "Fine"}), "invalid_message")
            .await;
    assert!(err.get("client_msg_id").is_none(), "{err}");
    let err = refused(
        &mut risk,
        // No text and no poll option: nothing to store (text is optional beside a poll's options).
        json!({"type": "respond", "inject_id": "partner-api", "client_msg_id": "c-risk-6"}),
        "invalid_text",
    )
    .await;
    assert_eq!(err["client_msg_id"], "c-risk-6", "{err}");
    refused(
        &mut risk,
        json!({"type": "respond", "inject_id": "partner-api", "text": 5, "client_msg_id": "c-risk-7"}),
        "invalid_message",
    )
    .await;
    // The facilitator does not answer injects.
    refused(
        &mut fac,
        json!({"type": "respond", "inject_id": "partner-api", "text": "From the chair", "client_msg_id": "f1"}),
        "forbidden",
    )
    .await;

    assert_silent(&mut fac, "the facilitator").await;
    assert_silent(&mut gov, "governance").await;
    assert_silent(&mut risk, "risk").await;
    assert_eq!(entries(&server, &ex).await, before, "a refused answer changed the log");

    // The limit is in characters: exactly 8,000 (even of two-byte characters) is stored.
    // A refused client_msg_id can be used again once the answer is valid.
    let long = "é".repeat(8_000);
    risk.send(json!({"type": "respond", "inject_id": "partner-api", "text": long, "client_msg_id": "c-risk-2"})).await;
    let ack = risk.recv_type("ack").await;
    assert_eq!(ack["client_msg_id"], "c-risk-2");
    let response = fac.recv_type("response").await;
    assert_eq!(response["text"].as_str().unwrap().chars().count(), 8_000);
    risk.send(
        json!({"type": "respond", "inject_id": "partner-api", "text": "x".repeat(8_000), "client_msg_id": "c-ok"}),
    )
    .await;
    assert_eq!(risk.recv_type("ack").await["client_msg_id"], "c-ok");
    let after = entries(&server, &ex).await;
    assert_eq!(kinds(&after[before.len()..]), ["response_submitted", "response_submitted"]);
    assert!(gov.sync().await.iter().all(|m| m["type"] != "response"), "risk's answers stay in risk");
}

/// `limits.rules.max_response_chars` is the response limit.
#[tokio::test]
async fn the_response_limit_is_configurable() {
    let server = TestServer::start_with(|o| o.limits.rules.max_response_chars = 100).await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, _) = server.join(&ex, "Awa").await;
    fac.send(json!({"type": "start"})).await;
    p.recv_type("inject").await;
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;
    respond_refused(&mut p, "first-alert", &"y".repeat(101), "long", "too_long").await;
    assert_eq!(entries(&server, &ex).await, before);
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "y".repeat(100), "client_msg_id": "ok"}))
        .await;
    assert_eq!(p.recv_type("ack").await["client_msg_id"], "ok");
}

// ------------------------------------------------------------------ after the handshake: the facilitator

/// The facilitator's refused commands: unknown ids, double release/skip, speeds out of
/// range, wrong phases, empty or long announcements. Nothing changes, nobody hears.
#[tokio::test]
async fn bad_facilitator_commands_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, w) = server.join(&ex, "Awa").await;
    let pid = w["you"]["participant_id"].as_str().unwrap().to_owned();
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;
    let state = state_of(&server, &ex).await;
    assert_eq!(state["state"], "lobby");

    refused(&mut fac, json!({"type": "pause"}), "wrong_phase").await;
    refused(&mut fac, json!({"type": "resume"}), "wrong_phase").await;
    refused(&mut fac, json!({"type": "release", "inject_id": "no-such-inject"}), "unknown_inject").await;
    refused(&mut fac, json!({"type": "skip", "inject_id": "no-such-inject"}), "unknown_inject").await;
    refused(&mut fac, json!({"type": "release", "inject_id": ""}), "unknown_inject").await;
    refused(
        &mut fac,
        json!({"type": "move", "participant_id": NO_SUCH_PARTICIPANT, "group_id": "incident"}),
        "unknown_participant",
    )
    .await;
    refused(&mut fac, json!({"type": "move", "participant_id": pid, "group_id": "nowhere"}), "unknown_group").await;
    refused(&mut fac, json!({"type": "move", "participant_id": pid, "group_id": "all"}), "unknown_group").await;
    refused(
        &mut fac,
        json!({"type": "move", "participant_id": "not-a-uuid", "group_id": "incident"}),
        "invalid_message",
    )
    .await;
    for speed in [json!(0), json!(10_000), json!(-1), json!(0.09), json!(600.5)] {
        refused(&mut fac, json!({"type": "set_speed", "speed": speed}), "invalid_speed").await;
    }
    refused(&mut fac, json!({"type": "set_speed", "speed": "fast"}), "invalid_message").await;
    refused(&mut fac, json!({"type": "set_speed"}), "invalid_message").await;
    refused(&mut fac, json!({"type": "announce", "text": ""}), "invalid_text").await;
    refused(&mut fac, json!({"type": "announce", "text": " \n "}), "invalid_text").await;
    refused(&mut fac, json!({"type": "announce", "text": "a".repeat(2_001)}), "too_long").await;
    refused(&mut fac, json!({"type": "announce"}), "invalid_message").await;

    assert_silent(&mut fac, "the facilitator").await;
    assert_silent(&mut p, "the participant").await;
    assert_eq!(entries(&server, &ex).await, before, "a refused command changed the log");
    assert_eq!(state_of(&server, &ex).await, state, "a refused command changed the exercise");

    // Boundaries are accepted: speeds 0.1 and 600, an announcement of 2,000 characters.
    fac.send(json!({"type": "set_speed", "speed": 0.1})).await;
    assert_eq!(fac.recv_type("clock").await["speed"], 0.1);
    fac.send(json!({"type": "set_speed", "speed": 600})).await;
    assert_eq!(fac.recv_type("clock").await["speed"], 600.0);
    fac.send(json!({"type": "announce", "text": "a".repeat(2_000)})).await;
    assert_eq!(p.recv_type("announcement").await["text"].as_str().unwrap().len(), 2_000);
    fac.send(json!({"type": "set_speed", "speed": 1})).await;
    assert_eq!(fac.recv_type("clock").await["speed"], 1.0);
    settle(&mut [&mut fac, &mut p]).await;

    // Release and skip only pending injects.
    fac.send(json!({"type": "release", "inject_id": "partner-api"})).await;
    assert_eq!(fac.recv_type("inject").await["inject_id"], "partner-api");
    fac.send(json!({"type": "skip", "inject_id": "wrap-up"})).await;
    assert_eq!(fac.recv_type("inject_skipped").await["inject_id"], "wrap-up");
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;
    let state = state_of(&server, &ex).await;
    refused(&mut fac, json!({"type": "release", "inject_id": "partner-api"}), "inject_not_pending").await;
    refused(&mut fac, json!({"type": "skip", "inject_id": "partner-api"}), "inject_not_pending").await;
    refused(&mut fac, json!({"type": "release", "inject_id": "wrap-up"}), "inject_not_pending").await;
    refused(&mut fac, json!({"type": "skip", "inject_id": "wrap-up"}), "inject_not_pending").await;

    // Phases: start twice, pause twice, resume twice.
    refused(&mut fac, json!({"type": "pause"}), "wrong_phase").await;
    assert_silent(&mut fac, "the facilitator").await;
    assert_silent(&mut p, "the participant").await;
    assert_eq!(entries(&server, &ex).await, before);
    assert_eq!(state_of(&server, &ex).await, state);

    fac.send(json!({"type": "start"})).await;
    assert_eq!(fac.recv_type("clock").await["state"], "running");
    assert_eq!(fac.recv_type("inject").await["inject_id"], "first-alert");
    refused(&mut fac, json!({"type": "start"}), "wrong_phase").await;
    refused(&mut fac, json!({"type": "resume"}), "wrong_phase").await;
    fac.send(json!({"type": "pause"})).await;
    assert_eq!(fac.recv_type("clock").await["state"], "paused");
    refused(&mut fac, json!({"type": "pause"}), "wrong_phase").await;
    refused(&mut fac, json!({"type": "start"}), "wrong_phase").await;
    fac.send(json!({"type": "resume"})).await;
    assert_eq!(fac.recv_type("clock").await["state"], "running");
    let plan = state_of(&server, &ex).await["plan"].clone();
    assert_eq!(plan[1][1], "released");
    assert_eq!(plan[2][1], "skipped");
}

/// Any command may carry a `client_msg_id`: a refusal echoes it (so the console shows it
/// beside the control that sent it) and a stored command is acked with it.
#[tokio::test]
async fn any_command_echoes_its_client_msg_id_in_its_ack_or_error() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    fac.send(json!({"type": "release", "inject_id": "no-such-inject", "client_msg_id": "release-1"})).await;
    let e = fac.recv_type("error").await;
    assert_eq!((e["code"].as_str(), e["client_msg_id"].as_str()), (Some("unknown_inject"), Some("release-1")));
    fac.send(json!({"type": "open_self_assessment", "client_msg_id": "sa-1"})).await;
    let ack = fac.recv_type("ack").await;
    assert_eq!(ack["client_msg_id"], "sa-1");
    assert!(ack["seq"].as_u64().is_some_and(|s| s > 1), "{ack}");
    fac.send(json!({"type": "start", "client_msg_id": "start-1"})).await;
    assert_eq!(fac.recv_type("ack").await["client_msg_id"], "start-1");

    let mut screen = server.client().await;
    screen.send(json!({"type": "project", "join_code": ex.join_code})).await;
    screen.recv_type("welcome").await;
    screen.send(json!({"type": "pause", "client_msg_id": "screen-1"})).await;
    let e = screen.recv_type("error").await;
    assert_eq!((e["code"].as_str(), e["client_msg_id"].as_str()), (Some("forbidden"), Some("screen-1")));
}

/// After `end`, every command is `exercise_ended` (a participant's new answer too, and a
/// new join); a re-sent answer is still acked; reading still works.
#[tokio::test]
async fn commands_after_the_end_are_refused() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, w) = server.join(&ex, "Awa").await;
    let pid = w["you"]["participant_id"].as_str().unwrap().to_owned();
    fac.send(json!({"type": "start"})).await;
    assert_eq!(fac.recv_type("clock").await["state"], "running");
    p.recv_type("inject").await;
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "Before the end", "client_msg_id": "c1"}))
        .await;
    let first_ack = p.recv_type("ack").await;
    fac.send(json!({"type": "end"})).await;
    assert_eq!(fac.recv_type("clock").await["state"], "ended");
    assert_eq!(p.recv_type("clock").await["state"], "ended");
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;
    let state = state_of(&server, &ex).await;
    assert_eq!(state["state"], "ended");

    let commands = [
        json!({"type": "start"}),
        json!({"type": "pause"}),
        json!({"type": "resume"}),
        json!({"type": "release", "inject_id": "partner-api"}),
        json!({"type": "skip", "inject_id": "wrap-up"}),
        json!({"type": "set_speed", "speed": 2}),
        json!({"type": "move", "participant_id": pid, "group_id": "incident"}),
        json!({"type": "announce", "text": "Too late"}),
        json!({"type": "end"}),
    ];
    for cmd in commands {
        refused(&mut fac, cmd, "exercise_ended").await;
    }
    respond_refused(&mut p, "first-alert", "After the end", "c2", "exercise_ended").await;
    let mut late = server.client().await;
    refused(&mut late, json!({"type": "join", "join_code": ex.join_code, "name": "Late"}), "exercise_ended").await;

    assert_silent(&mut fac, "the facilitator").await;
    assert_silent(&mut p, "the participant").await;
    assert_eq!(entries(&server, &ex).await, before, "a command after the end changed the log");
    assert_eq!(state_of(&server, &ex).await, state);

    // Still open: a re-sent answer is acked again with its seq; the late socket can still
    // open the (read-only) console.
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "Before the end", "client_msg_id": "c1"}))
        .await;
    let again = p.recv_type("ack").await;
    assert_eq!(again["seq"], first_ack["seq"]);
    late.send(facilitate_msg(&ex)).await;
    let welcome = late.recv().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["clock"]["state"], "ended");
    assert_eq!(entries(&server, &ex).await, before);
}

/// Binary frames are `malformed`, before and after the handshake; the socket stays open.
#[tokio::test]
async fn binary_frames_are_malformed() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let before = entries(&server, &ex).await;
    let mut ws = raw(&server).await;
    ws.send(Message::binary(facilitate_msg(&ex).to_string().into_bytes())).await.unwrap();
    let err = raw_json(&mut ws).await;
    assert_error(&err, "malformed", "binary before the handshake");
    ws.send(Message::text(facilitate_msg(&ex).to_string())).await.unwrap();
    assert_eq!(raw_json(&mut ws).await["type"], "welcome");
    let announce = json!({"type": "announce", "text": "in binary"}).to_string();
    ws.send(Message::binary(announce.into_bytes())).await.unwrap();
    let err = raw_json(&mut ws).await;
    assert_error(&err, "malformed", "binary after the handshake");
    ws.send(Message::binary(vec![0xff, 0x00, 0x13])).await.unwrap();
    assert_error(&raw_json(&mut ws).await, "malformed", "binary garbage");
    assert_eq!(entries(&server, &ex).await, before);
    ws.send(Message::text(json!({"type": "announce", "text": "in text"}).to_string())).await.unwrap();
    let v = raw_json(&mut ws).await;
    assert_eq!(v["type"], "announcement", "{v}");
    assert_eq!(v["text"], "in text");
}

// ------------------------------------------------------------------ size and rate limits

/// A 70 KiB text frame (over the 64 KiB default) closes the socket with 4009, before or
/// after the handshake; nothing is stored and other sockets carry on.
#[tokio::test]
async fn a_frame_over_the_default_size_limit_closes_with_4009() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut p, _) = server.join(&ex, "Awa").await;
    p.sync().await;
    let before = entries(&server, &ex).await;

    let mut stranger = server.client().await;
    stranger.send_text(&"x".repeat(70 * 1024)).await;
    assert_eq!(stranger.closed().await, 4009);

    let (mut fac, _) = server.facilitate(&ex).await;
    let big = json!({"type": "announce", "text": "a".repeat(70 * 1024)}).to_string();
    assert!(big.len() > 64 * 1024);
    fac.send_text(&big).await;
    assert_eq!(fac.closed().await, 4009);

    let mut binary = raw(&server).await;
    binary.send(Message::binary(vec![b'x'; 70 * 1024])).await.unwrap();
    assert_eq!(raw_closed(&mut binary).await, 4009);

    assert_silent(&mut p, "the participant").await;
    assert_eq!(entries(&server, &ex).await, before, "an oversized frame changed the log");

    // Just under the limit is read (and judged on its content), and others carry on.
    let (mut fac, _) = server.facilitate(&ex).await;
    let empty = json!({"type": "announce", "text": ""}).to_string();
    let under = format!("{}{empty}", " ".repeat(64 * 1024 - empty.len()));
    assert_eq!(under.len(), 64 * 1024);
    refused_text(&mut fac, &under, "invalid_text").await;
    fac.send(json!({"type": "announce", "text": "After the big one"})).await;
    assert_eq!(p.recv_type("announcement").await["text"], "After the big one");
}

/// `limits.max_message_bytes` is the frame limit: 1,024 bytes pass, 1,025 close with 4009.
#[tokio::test]
async fn a_smaller_configured_size_limit_applies() {
    let server = TestServer::start_with(|o| o.limits.max_message_bytes = 1024).await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut p, _) = server.join(&ex, "Awa").await;
    settle(&mut [&mut fac, &mut p]).await;
    let before = entries(&server, &ex).await;

    let empty_len = json!({"type": "announce", "text": ""}).to_string().len();
    let frame = |len: usize| {
        let text = "z".repeat(len - empty_len);
        let s = json!({"type": "announce", "text": text}).to_string();
        assert_eq!(s.len(), len);
        s
    };
    fac.send_text(&frame(1024)).await;
    let a = p.recv_type("announcement").await;
    assert_eq!(a["text"].as_str().unwrap().len(), 1024 - empty_len);
    let after_ok = entries(&server, &ex).await;
    assert_eq!(kinds(&after_ok[before.len()..]), ["announcement_made"]);

    fac.send_text(&frame(1025)).await;
    assert_eq!(fac.closed().await, 4009);
    let mut stranger = server.client().await;
    stranger.send_text(&"{".repeat(2000)).await;
    assert_eq!(stranger.closed().await, 4009);
    assert_silent(&mut p, "the participant").await;
    assert_eq!(entries(&server, &ex).await, after_ok, "the oversized frame changed the log");
}

/// One message a second with bursts of three: the fourth rapid message is
/// `rate_limited` and dropped; the socket stays open and recovers.
#[tokio::test]
async fn the_fourth_rapid_message_is_rate_limited() {
    let server = TestServer::start_with(|o| {
        o.limits.messages_per_second = 1.0;
        o.limits.message_burst = 3.0;
    })
    .await;
    let ex = server.create("quick-demo").await;
    let before = entries(&server, &ex).await;

    // Before the handshake: three answered, the fourth limited.
    let mut c = server.client().await;
    for _ in 0..3 {
        c.send_text("nope").await;
    }
    c.send(facilitate_msg(&ex)).await;
    for _ in 0..3 {
        assert_error(&c.recv().await, "malformed", "within the burst");
    }
    assert_error(&c.recv().await, "rate_limited", "the fourth message");
    assert_quiet_for_a_moment(&mut c, "the limited socket").await;

    // After the handshake (the hello is the first of the burst).
    let mut fac = server.client().await;
    fac.send(facilitate_msg(&ex)).await;
    assert_eq!(fac.recv().await["type"], "welcome");
    for text in ["one", "two", "three"] {
        fac.send(json!({"type": "announce", "text": text})).await;
    }
    let mut got: Vec<Value> = Vec::new();
    for _ in 0..3 {
        got.push(fac.recv().await);
    }
    let announced: Vec<&str> =
        got.iter().filter(|m| m["type"] == "announcement").map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(announced, ["one", "two"], "{got:?}");
    let errors: Vec<&Value> = got.iter().filter(|m| m["type"] == "error").collect();
    assert_eq!(errors.len(), 1, "{got:?}");
    assert_error(errors[0], "rate_limited", "the fourth message");
    assert_quiet_for_a_moment(&mut fac, "the limited facilitator").await;
    let after = entries(&server, &ex).await;
    let new: Vec<&Value> = after[before.len()..].iter().collect();
    assert_eq!(new.iter().map(|e| e["text"].as_str().unwrap()).collect::<Vec<_>>(), ["one", "two"]);

    // A second later there is a token again.
    tokio::time::sleep(Duration::from_millis(1_050)).await;
    fac.send(json!({"type": "announce", "text": "four"})).await;
    let v = fac.recv().await;
    assert_eq!(v["type"], "announcement", "{v}");
    assert_eq!(v["text"], "four");
    c.send(facilitate_msg(&ex)).await;
    assert_eq!(c.recv().await["type"], "welcome", "the first socket recovered too");
}

// ------------------------------------------------------------------ HTTP

/// Asserts an HTTP error: status, JSON body of exactly `{"error":{"code","message"}}`.
async fn http_error(res: reqwest::Response, status: u16, code: &str, what: &str) {
    assert_eq!(res.status().as_u16(), status, "{what}");
    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(content_type.starts_with("application/json"), "{what}: content-type {content_type:?}");
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    let obj = body.as_object().unwrap_or_else(|| panic!("{what}: not an object: {body}"));
    assert_eq!(obj.len(), 1, "{what}: {body}");
    let err = body["error"].as_object().unwrap_or_else(|| panic!("{what}: no error object: {body}"));
    assert_eq!(err.len(), 2, "{what}: {body}");
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
}

async fn exercise_count(server: &TestServer) -> usize {
    let res = server.http().get(format!("{}/api/exercises", server.base)).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap().as_array().unwrap().len()
}

#[tokio::test]
async fn http_health_and_unknown_routes() {
    let server = TestServer::start().await;
    let http = server.http();
    let res = http.get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");

    for path in ["/nope", "/api/nope", "/api/exercises/x/y/z", "/api/scenarios/quick-demo"] {
        let res = http.get(format!("{}{path}", server.base)).send().await.unwrap();
        http_error(res, 404, "no_route", path).await;
    }
    let res = http.post(format!("{}/api/nope", server.base)).bearer_auth(ADMIN).send().await.unwrap();
    http_error(res, 404, "no_route", "POST /api/nope").await;
}

#[tokio::test]
async fn http_creating_an_exercise_needs_the_admin_token_and_a_known_scenario() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let http = server.http();
    let url = format!("{}/api/exercises", server.base);
    let body = json!({"scenario_id": "quick-demo"});

    let res = http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(res.headers().get("www-authenticate").map(|v| v.to_str().unwrap()), Some("Bearer"));
    http_error(res, 401, "unauthorized", "no token").await;
    let res = http.post(&url).bearer_auth("wrong-token").json(&body).send().await.unwrap();
    http_error(res, 401, "unauthorized", "wrong token").await;
    let res = http.post(&url).bearer_auth(&ex.key).json(&body).send().await.unwrap();
    http_error(res, 401, "unauthorized", "a facilitator key is not the admin token").await;
    let res = http.post(&url).header("authorization", format!("Basic {ADMIN}")).json(&body).send().await.unwrap();
    http_error(res, 401, "unauthorized", "not a bearer scheme").await;
    let res = http.post(&url).header("authorization", "Bearer ").json(&body).send().await.unwrap();
    http_error(res, 401, "unauthorized", "empty bearer").await;
    // Without the token even a bad body is unauthorized.
    let res = http.post(&url).body("{oops").send().await.unwrap();
    http_error(res, 401, "unauthorized", "no token, bad body").await;

    for bad in ["{oops", "", "[]", "{}", r#"{"scenario_id": 5}"#, r#"{"scenario_id": "quick-demo", "extra": 1}"#] {
        let res = http
            .post(&url)
            .bearer_auth(ADMIN)
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        http_error(res, 400, "bad_request", &format!("body {bad:?}")).await;
    }
    for unknown in ["no-such-scenario", "", "QUICK-DEMO"] {
        let res = http.post(&url).bearer_auth(ADMIN).json(&json!({"scenario_id": unknown})).send().await.unwrap();
        http_error(res, 422, "unknown_scenario", unknown).await;
    }
    let res = http.get(&url).send().await.unwrap();
    http_error(res, 401, "unauthorized", "list without token").await;
    let res = http.get(&url).bearer_auth(&ex.key).send().await.unwrap();
    http_error(res, 401, "unauthorized", "list with a facilitator key").await;

    assert_eq!(exercise_count(&server).await, 1, "refused requests created no exercise");
}

#[tokio::test]
async fn http_the_timeline_needs_the_exercise_key_and_a_known_id() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let other = server.create("quick-demo").await;
    let http = server.http();
    let url = format!("{}/api/exercises/{}/timeline", server.base, ex.id);

    let res = http.get(&url).send().await.unwrap();
    http_error(res, 401, "unauthorized", "timeline without key").await;
    let res = http.get(&url).bearer_auth("wrong-key").send().await.unwrap();
    http_error(res, 401, "unauthorized", "timeline with a wrong key").await;
    let res = http.get(&url).bearer_auth(&other.key).send().await.unwrap();
    http_error(res, 401, "unauthorized", "timeline with another exercise's key").await;
    let res = http.get(&url).header("authorization", ex.key.as_str()).send().await.unwrap();
    http_error(res, 401, "unauthorized", "key without the Bearer scheme").await;

    for id in [NO_SUCH_EXERCISE, "not-a-uuid", "42"] {
        let res =
            http.get(format!("{}/api/exercises/{id}/timeline", server.base)).bearer_auth(ADMIN).send().await.unwrap();
        http_error(res, 404, "not_found", id).await;
        let res =
            http.get(format!("{}/api/exercises/{id}/timeline", server.base)).bearer_auth(&ex.key).send().await.unwrap();
        http_error(res, 404, "not_found", id).await;
    }

    // The right key and the admin token both read it.
    for token in [ex.key.as_str(), ADMIN] {
        let res = http.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["exercise_id"], ex.id.as_str());
        assert!(body["entries"].is_array());
    }
}

/// "Errors are always JSON" (docs/protocol.md) also holds for a known path with the
/// wrong method: 405 with the JSON error shape, and nothing is created.
#[tokio::test]
async fn http_a_wrong_method_is_a_json_405() {
    let server = TestServer::start().await;
    let http = server.http();
    for (method, path) in [
        (reqwest::Method::DELETE, "/api/exercises"),
        (reqwest::Method::PUT, "/api/scenarios"),
        (reqwest::Method::POST, "/healthz"),
    ] {
        let res =
            http.request(method.clone(), format!("{}{path}", server.base)).bearer_auth(ADMIN).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 405, "{method} {path}");
        let text = res.text().await.unwrap();
        let body: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text:?}"));
        assert!(body["error"]["code"].as_str().is_some_and(|c| !c.is_empty()), "{body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    assert_eq!(exercise_count(&server).await, 0);
}

/// A body over the HTTP limit (64 KiB) is a JSON 413, and nothing is created.
#[tokio::test]
async fn http_a_body_over_the_limit_is_a_json_413() {
    let server = TestServer::start().await;
    let huge = format!(r#"{{"scenario_id": "{}"}}"#, "q".repeat(100 * 1024));
    let res = server
        .http()
        .post(format!("{}/api/exercises", server.base))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413, "body over the limit");
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("413: not JSON ({e}): {text:?}"));
    assert!(body["error"]["code"].as_str().is_some_and(|c| !c.is_empty()), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert_eq!(exercise_count(&server).await, 0);
}
