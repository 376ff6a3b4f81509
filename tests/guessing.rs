//! Throttled guessing over real sockets: one limiter per client address shared by 401s
//! on `/api/*`, failed websocket identifications (across reconnects), and code lookups;
//! `429` `rate_limited` with `Retry-After`, on a websocket `rate_limited` then 4029; the
//! QR endpoint answers alike for unknown and ended codes; the per-address join rate; and
//! a room of 200 joining through one address is not throttled with the defaults.

mod common;

use std::net::IpAddr;
use std::time::Duration;

use common::{ADMIN, Client, TestServer};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tabletop::config::GuardLimits;
use tokio_tungstenite::tungstenite::Message;

/// A limiter that blocks after a few failures and stays blocked for the test.
fn strict(o: &mut tabletop::ServerOptions) {
    o.net.guard = GuardLimits {
        burst: 12.0,
        refill_per_second: 0.0,
        failure_cost: 4.0,
        lookup_cost: 1.0,
        base_backoff: Duration::from_secs(60),
        max_backoff: Duration::from_secs(60),
    };
}

fn client_from(from: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::from(from)).build().unwrap()
}

#[tokio::test]
async fn wrong_admin_tokens_get_429_for_that_address_only() {
    let server = TestServer::start_with(strict).await;
    let http = client_from([127, 0, 0, 1]);
    let url = format!("{}/api/exercises", server.base);
    for _ in 0..3 {
        let res = http.get(&url).bearer_auth("guess").send().await.unwrap();
        assert_eq!(res.status(), 401, "answered, the third one emptying the bucket");
    }
    let res = http.get(&url).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 429, "the address is blocked, even with the right token");
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let metrics = http.get(format!("{}/metrics", server.base)).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(metrics.status(), 429, "/metrics shares the limiter");

    let other = client_from([127, 0, 0, 2]);
    assert_eq!(other.get(&url).bearer_auth(ADMIN).send().await.unwrap().status(), 200, "another address is not");
}

#[tokio::test]
async fn a_trusted_proxys_clients_are_told_apart_by_x_forwarded_for() {
    let server = TestServer::start_with(|o| {
        strict(o);
        o.net.trusted_proxies = vec![IpAddr::from([127, 0, 0, 1])];
    })
    .await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/exercises", server.base);
    let as_client = |ip: &str, token: &str| {
        http.get(&url).bearer_auth(token).header("x-forwarded-for", format!("10.9.9.9, {ip}")).send()
    };
    for _ in 0..3 {
        assert_eq!(as_client("203.0.113.1", "guess").await.unwrap().status(), 401);
    }
    assert_eq!(as_client("203.0.113.1", ADMIN).await.unwrap().status(), 429);
    assert_eq!(as_client("203.0.113.2", ADMIN).await.unwrap().status(), 200, "another client behind the proxy");
}

/// A websocket from 127.0.0.1 sending one hello; the reply and, when the server closes,
/// the close code.
async fn hello_once(server: &TestServer, hello: Value) -> (Value, Option<u16>) {
    let (mut ws, _) = tokio_tungstenite::connect_async(&server.ws_url).await.unwrap();
    ws.send(Message::text(hello.to_string())).await.unwrap();
    let mut reply = Value::Null;
    loop {
        match tokio::time::timeout(Duration::from_secs(2), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => reply = serde_json::from_str(&t).unwrap(),
            Ok(Some(Ok(Message::Close(frame)))) => return (reply, frame.map(|f| u16::from(f.code))),
            Ok(Some(Ok(_))) => {}
            Ok(None | Some(Err(_))) => return (reply, None),
            // Still open after the reply: the server did not close.
            Err(_) => return (reply, None),
        }
    }
}

#[tokio::test]
async fn unknown_join_codes_over_fresh_sockets_end_in_rate_limited_and_4029() {
    let server = TestServer::start_with(strict).await;
    let ex = server.create("quick-demo").await;
    for i in 0..2 {
        let (reply, closed) =
            hello_once(&server, json!({"type": "join", "join_code": format!("ZZZZZZZ{i}"), "name": "x"})).await;
        assert_eq!(reply["code"], "unknown_join_code");
        assert_eq!(closed, None, "one failure per socket does not close it");
    }
    let (reply, closed) = hello_once(&server, json!({"type": "join", "join_code": "ZZZZZZZ9", "name": "x"})).await;
    assert_eq!(reply["code"], "rate_limited", "the third empties the bucket: {reply}");
    assert_eq!(closed, Some(4029));
    let (reply, closed) = hello_once(&server, json!({"type": "join", "join_code": ex.join_code, "name": "x"})).await;
    assert_eq!(
        (reply["code"].as_str(), closed),
        (Some("rate_limited"), Some(4029)),
        "blocked for a while, even a good code"
    );
    // Bad resume tokens and facilitator keys count in the same bucket (another server, fresh).
    let server = TestServer::start_with(strict).await;
    let ex = server.create("quick-demo").await;
    let bad_resume =
        json!({"type": "resume", "resume_token": format!("{}.{}", ex.id.replace('-', ""), "a".repeat(32))});
    let bad_key = json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": "wrong"});
    assert_eq!(hello_once(&server, bad_resume.clone()).await.0["code"], "bad_credentials");
    assert_eq!(hello_once(&server, bad_key.clone()).await.0["code"], "bad_credentials");
    assert_eq!(hello_once(&server, bad_resume).await.1, Some(4029));
    assert_eq!(hello_once(&server, bad_key).await.1, Some(4029), "still blocked");
}

#[tokio::test]
async fn the_qr_code_answers_alike_for_unknown_and_ended_codes_and_lookups_are_charged() {
    let server = TestServer::start_with(|o| {
        strict(o);
        o.net.guard.burst = 6.0;
    })
    .await;
    let ex = server.create("quick-demo").await;
    let (mut console, _) = server.facilitate(&ex).await;
    console.send(json!({"type": "start"})).await;
    console.send(json!({"type": "end", "client_msg_id": "end"})).await;
    let ack = loop {
        let v = console.recv().await;
        if v["client_msg_id"] == "end" {
            break v;
        }
    };
    assert_eq!(ack["type"], "ack", "ended: {ack}");
    let http = reqwest::Client::new();
    let qr = |code: String| http.get(format!("{}/qr/{code}", server.base)).send();
    let ended = qr(ex.join_code.clone()).await.unwrap();
    let unknown = qr("QQQQQQQQ".into()).await.unwrap();
    assert_eq!((ended.status(), unknown.status()), (reqwest::StatusCode::OK, reqwest::StatusCode::OK));
    assert_eq!(ended.headers()["content-type"], unknown.headers()["content-type"]);
    assert_eq!(qr("no/such".into()).await.unwrap().status(), 404, "a malformed code");
    // Six points, one a lookup: the next lookups run the bucket dry.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(qr("QQQQQQQQ".into()).await.unwrap().status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let page = http.get(format!("{}/join/QQQQQQQQ", server.base)).send().await.unwrap();
    assert_eq!(page.status(), 429, "join pages share the bucket");
}

#[tokio::test]
async fn joins_from_one_address_are_limited_per_minute() {
    let server = TestServer::start_with(|o| o.net.joins_per_ip_per_minute = 3).await;
    let ex = server.create("quick-demo").await;
    let mut kept = Vec::new();
    for i in 0..3 {
        kept.push(server.join(&ex, &format!("P{i}")).await.0);
    }
    let mut fourth = server.client().await;
    fourth.send(json!({"type": "join", "join_code": ex.join_code, "name": "P3"})).await;
    let refused = fourth.recv().await;
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_str()),
        (Some("error"), Some("rate_limited")),
        "{refused}"
    );
}

#[tokio::test]
async fn a_room_of_200_joining_through_one_address_is_not_throttled() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let http = reqwest::Client::new();
    let mut phones = Vec::new();
    for i in 0..200 {
        for path in [format!("/join/{}", ex.join_code), format!("/api/join/{}", ex.join_code)] {
            let res = http.get(format!("{}{path}", server.base)).send().await.unwrap();
            assert_eq!(res.status(), 200, "phone {i} {path}");
        }
        if i % 20 == 0 {
            let qr = http.get(format!("{}/qr/{}", server.base, ex.join_code)).send().await.unwrap();
            assert_eq!(qr.status(), 200);
        }
        // A few typos in the room, too.
        if i % 10 == 0 {
            let mut typo = Client::connect(&server.ws_url).await;
            typo.send(json!({"type": "join", "join_code": "TYPOTYPO", "name": "t"})).await;
            assert_eq!(typo.recv().await["code"], "unknown_join_code");
        }
        phones.push(server.join(&ex, &format!("Phone {i}")).await.0);
    }
    assert_eq!(phones.len(), 200);
}
