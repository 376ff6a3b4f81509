//! Two `tabletop` instances on one PostgreSQL store (issue 17), as real processes on a
//! throwaway cluster (tests/common/postgres.rs), with the production lease (3 s).
//!
//! Participants reach the exercise through instance B while A owns it: B sends them to
//! A (websocket close 4307, API 307; a page's request B fetches from A for it). They answer flat out; A is killed with SIGKILL.
//! Within 5 s B owns the exercise; the participants, going back to B as to a load
//! balancer, resume there with their token and `last_seq` and resend what was not
//! acked. Every acked answer is stored exactly once with the seq it was acked with, and
//! the timed inject due during the outage is released once, by B. A restarted A owns
//! nothing and sends its clients to B (it can never append to the exercise: the store
//! test `postgres_fences_an_owner_whose_lease_was_taken` shows the append refused).
//! Then a paused owner (SIGSTOP, as a VM that froze) wakes up fenced: what it had not
//! stored before B took over is never acked by it, and is stored once, by B.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::Exercise;
use common::binary::{Binary, FLAT_OUT};
use common::postgres::Cluster;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Play minutes to quick-demo's second timed inject (`partner-api`).
const DUE_PLAY_MIN: u64 = 2;
/// Wall time from the start to it: after the kill, so B must release it.
const DUE_WALL: Duration = Duration::from_secs(4);
/// How long the store's owner may be gone before another instance owns the exercise.
const FAILOVER_WITHIN: Duration = Duration::from_secs(5);

/// An instance on the cluster, with every answer let through (`FLAT_OUT`).
fn instance(data: &std::path::Path, url: &str) -> Binary {
    let flags: Vec<&str> = ["--store", url].into_iter().chain(FLAT_OUT.iter().copied()).collect();
    Binary::start_with(data, &flags, &[])
}

fn ws_of(base: &str) -> String {
    format!("{}/ws", base.replacen("http://", "ws://", 1))
}

/// What came of a hello.
enum Hello {
    Welcome(Box<Ws>, Value),
    /// Closed 4307: the exercise is live at this base URL.
    Moved(String),
    /// Refused, closed otherwise or unreachable.
    Failed,
}

async fn hello_at(ws: &str, hello: &Value) -> Hello {
    let Ok(Ok((mut socket, _))) =
        tokio::time::timeout(Duration::from_secs(3), tokio_tungstenite::connect_async(ws)).await
    else {
        return Hello::Failed;
    };
    if socket.send(Message::text(hello.to_string())).await.is_err() {
        return Hello::Failed;
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                match v["type"].as_str() {
                    Some("welcome") => return Hello::Welcome(Box::new(socket), v),
                    Some("error") => return Hello::Failed,
                    _ => continue,
                }
            }
            Ok(Some(Ok(Message::Close(Some(frame))))) if frame.code == CloseCode::from(4307) => {
                return Hello::Moved(frame.reason.to_string());
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return Hello::Failed,
        }
    }
}

/// Says `hello` at `front` (the address a load balancer would give), following 4307
/// to the owner; when the owner cannot be reached, goes back to `front` after a pause,
/// as `web/client.js` does. Returns the socket that got the welcome, the welcome and
/// how many moves were followed.
async fn hello_following(front: &str, hello: &Value) -> (Ws, Value, usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut at, mut moves) = (ws_of(front), 0);
    loop {
        assert!(Instant::now() < deadline, "no welcome within 20 s (last tried {at})");
        match hello_at(&at, hello).await {
            Hello::Welcome(ws, welcome) => return (*ws, welcome, moves),
            Hello::Moved(base) => {
                assert!(base.starts_with("http://127.0.0.1:"), "a 4307 names the owner's base URL: {base:?}");
                moves += 1;
                at = ws_of(&base);
            }
            Hello::Failed => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                at = ws_of(front);
            }
        }
    }
}

/// One participant's acked answers: (text, seq).
type Acked = Vec<(String, u64)>;

/// Joins through `front`, then answers `first-alert` one at a time until `stop`; when
/// the socket dies, resumes through `front` with its token and `last_seq` and sends the
/// answer in flight again (same `client_msg_id`). Counts moves followed.
async fn participant(
    front: String,
    join_code: String,
    name: String,
    stop: Arc<AtomicBool>,
    acks: Arc<AtomicUsize>,
    moves: Arc<AtomicUsize>,
) -> Acked {
    let join = json!({"type": "join", "join_code": join_code, "name": name});
    let (mut ws, welcome, moved) = hello_following(&front, &join).await;
    moves.fetch_add(moved, Ordering::Relaxed);
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    let mut last_seq = welcome["last_seq"].as_u64().unwrap();
    let mut acked = Vec::new();
    let mut k = 0;
    while !stop.load(Ordering::Relaxed) {
        let id = format!("{name}-{k}");
        let text = format!("{name} answer {k}");
        let msg = json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": id});
        let reply = async {
            ws.send(Message::text(msg.to_string())).await.ok()?;
            loop {
                let Message::Text(t) = ws.next().await?.ok()? else { continue };
                for v in pushes(&t) {
                    if let Some(seq) = v["seq"].as_u64() {
                        last_seq = last_seq.max(seq);
                    }
                    if v["client_msg_id"] == id.as_str() {
                        return Some(v);
                    }
                }
            }
        };
        match reply.await {
            Some(v) => {
                assert_eq!(v["type"], "ack", "{name}: {v}");
                acked.push((text, v["seq"].as_u64().unwrap()));
                acks.fetch_add(1, Ordering::Relaxed);
                k += 1;
            }
            None => {
                // The owner is gone: resume wherever the exercise is now; the same
                // answer goes again (stored once: the server knows its id).
                let resume = json!({"type": "resume", "resume_token": token, "last_seq": last_seq});
                let (again, _, moved) = hello_following(&front, &resume).await;
                moves.fetch_add(moved, Ordering::Relaxed);
                ws = again;
            }
        }
    }
    acked
}

/// A frame's messages (pushes stored in one commit come as one `batch` frame).
fn pushes(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap();
    match v["type"].as_str() {
        Some("batch") => v["pushes"].as_array().cloned().unwrap_or_default(),
        _ => vec![v],
    }
}

fn releases(entries: &[Value], inject: &str) -> Vec<u64> {
    entries
        .iter()
        .filter(|e| e["kind"] == "inject_released" && e["inject_id"] == inject)
        .map(|e| e["wall_ms"].as_u64().unwrap())
        .collect()
}

fn wall_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// `GET /metrics` (with the admin token).
async fn metrics(base: &str) -> String {
    let res = reqwest::Client::new().get(format!("{base}/metrics")).bearer_auth(common::ADMIN).send().await.unwrap();
    res.text().await.unwrap()
}

/// One figure of a metrics text.
fn figure(text: &str, name: &str) -> f64 {
    let line = text.lines().find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '));
    line.and_then(|l| l.rsplit(' ').next()?.parse().ok()).unwrap_or_else(|| panic!("no {name} in\n{text}"))
}

/// A client that shows redirects instead of following them.
fn no_follow() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// `GET /api/join/{code}` at `base`: 200 when `base` runs the exercise, else the 307's
/// `Location`.
async fn join_info_at(base: &str, code: &str) -> Result<(), String> {
    let res = no_follow().get(format!("{base}/api/join/{code}")).send().await.map_err(|e| e.to_string())?;
    match res.status().as_u16() {
        200 => Ok(()),
        307 => Err(res.headers()["location"].to_str().unwrap().to_owned()),
        other => Err(format!("status {other}")),
    }
}

/// The facilitator's hello at `base`, not following: the welcome or the 4307's reason.
async fn facilitate_at(base: &str, ex: &Exercise) -> Result<Ws, String> {
    let hello = json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key});
    match hello_at(&ws_of(base), &hello).await {
        Hello::Welcome(ws, _) => Ok(*ws),
        Hello::Moved(to) => Err(to),
        Hello::Failed => Err("refused".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_instance_takes_over_a_killed_owners_exercise_and_nothing_acked_is_lost() {
    let cluster = Cluster::start();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = instance(dir_a.path(), &cluster.url);
    let b = instance(dir_b.path(), &cluster.url);
    let (a_base, b_base) = (a.base.clone(), b.base.clone());

    // Created on A: A owns it. B sends the API and the sockets there.
    let ex = a.create("quick-demo").await;
    let moved = join_info_at(&b_base, &ex.join_code).await.unwrap_err();
    assert_eq!(moved, format!("{a_base}/api/join/{}", ex.join_code), "B answers 307 to A's same path");
    // A page's request cannot follow a redirect to another origin with its key: B
    // fetches it from A and relays the answer.
    let from_page =
        |path: String| reqwest::Client::new().get(format!("{b_base}{path}")).header("sec-fetch-mode", "cors");
    let res = from_page(format!("/api/exercises/{}/timeline", ex.id)).bearer_auth(&ex.key).send().await.unwrap();
    assert_eq!(res.status(), 200, "B relays A's answer to a page");
    assert_eq!(res.json::<Value>().await.unwrap()["exercise_id"], ex.id.as_str());
    let res = from_page(format!("/api/exercises/{}/timeline", ex.id)).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(res.status(), 401, "A's own refusal, relayed");
    let res = from_page(format!("/api/join/{}", ex.join_code)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The console's list on either instance shows every instance's exercises, once.
    let mine = b.create("quick-demo").await;
    // (An instance learns the others' addresses every third of a lease.)
    for base in [&a_base, &b_base] {
        let since = Instant::now();
        loop {
            let res = reqwest::Client::new().get(format!("{base}/api/exercises")).bearer_auth(common::ADMIN).send();
            let list: Vec<Value> = res.await.unwrap().json().await.unwrap();
            let ids: Vec<String> = list.iter().map(|e| e["exercise_id"].as_str().unwrap().to_owned()).collect();
            if ids == [mine.id.as_str(), ex.id.as_str()] {
                break;
            }
            assert!(since.elapsed() < Duration::from_secs(3), "{base} lists both, newest first: {ids:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let mut console = facilitate_at(&a_base, &ex).await.expect("A runs it");
    assert_eq!(facilitate_at(&b_base, &ex).await.err(), Some(a_base.clone()), "B closes 4307 with A's address");

    // Participants join through B (the front door), land on A and answer flat out.
    let (stop, acks, moves) =
        (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let speed = (DUE_PLAY_MIN * 60_000) as f64 / DUE_WALL.as_millis() as f64;
    console.send(Message::text(json!({"type": "set_speed", "speed": speed}).to_string())).await.unwrap();
    console.send(Message::text(json!({"type": "start"}).to_string())).await.unwrap();
    let started = Instant::now();
    let mut people: Vec<_> = (0..20)
        .map(|i| {
            let (front, code) = (b_base.clone(), ex.join_code.clone());
            let (stop, acks, moves) = (stop.clone(), acks.clone(), moves.clone());
            tokio::spawn(participant(front, code, format!("p{i}"), stop, acks, moves))
        })
        .collect();
    while acks.load(Ordering::Relaxed) < 200 {
        assert!(started.elapsed() < DUE_WALL - Duration::from_millis(1500), "answers are acked on A");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(moves.load(Ordering::Relaxed) >= 20, "every participant followed B's 4307 to A");

    // SIGKILL the owner mid-stream.
    let acked_on_a = acks.load(Ordering::Relaxed);
    drop(console);
    a.kill_9();
    let killed = Instant::now();
    let killed_ms = wall_ms();
    while join_info_at(&b_base, &ex.join_code).await.is_err() {
        assert!(killed.elapsed() < FAILOVER_WITHIN + Duration::from_secs(5), "B never took the exercise over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let failover = killed.elapsed();
    eprintln!("B owns the exercise {failover:?} after A was killed ({acked_on_a} answers acked on A)");
    assert!(failover <= FAILOVER_WITHIN, "B owns the exercise within 5 s of the kill: {failover:?}");
    let figures = metrics(&b_base).await;
    assert!(figure(&figures, "tabletop_exercises_taken_over_total") >= 1.0, "{figures}");
    assert!(figure(&figures, "tabletop_clients_moved_total") >= 20.0, "B sent the joins to A: {figures}");

    // Participants resume on B and go on answering; then they stop.
    let resumed_at = acks.load(Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(15);
    while acks.load(Ordering::Relaxed) < resumed_at + 200 {
        if let Some(done) = people.iter_mut().find(|p| p.is_finished()) {
            let ended = done.await;
            panic!("a participant stopped answering: {ended:?}");
        }
        assert!(Instant::now() < deadline, "answers are acked on B after the failover");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for p in people {
        acked.extend(p.await.expect("a participant ends without panicking"));
    }

    // Exactly once, with the seq acked; the timed inject due during the outage released
    // once, by B (after the kill).
    let (mut console, _) = b.facilitate(&ex).await;
    console.sync().await;
    let entries = b.timeline(&ex).await;
    common::assert_acked_once(&entries, &acked);
    eprintln!("{} answers acked in all, {} events in the log", acked.len(), entries.len());
    assert_eq!(releases(&entries, "first-alert").len(), 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut entries = entries;
    while releases(&entries, "partner-api").is_empty() {
        assert!(Instant::now() < deadline, "partner-api is released by B");
        tokio::time::sleep(Duration::from_millis(100)).await;
        entries = b.timeline(&ex).await;
    }
    let released = releases(&entries, "partner-api");
    assert_eq!(released.len(), 1, "released once");
    assert!(released[0] >= killed_ms, "released by B, after the kill");

    // A restarted: a new instance that owns nothing. It sends every client to B. (The
    // clock is paused first, so B appends nothing on its own meanwhile.)
    console.send(json!({"type": "pause"})).await;
    console.sync().await;
    let a2 = instance(dir_a.path(), &cluster.url);
    assert_eq!(facilitate_at(&a2.base, &ex).await.err(), Some(b_base.clone()), "restarted A sends to B");
    let location = join_info_at(&a2.base, &ex.join_code).await.unwrap_err();
    assert!(location.starts_with(&b_base), "{location}");
    let count = b.timeline(&ex).await.len();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(facilitate_at(&a2.base, &ex).await.err(), Some(b_base.clone()), "B keeps renewing");
    assert_eq!(b.timeline(&ex).await.len(), count, "nothing appended meanwhile");
}

/// An owner that froze (SIGSTOP) past its lease wakes up fenced: B took the exercise
/// over meanwhile; the answer sent to the frozen owner is never acked by it; the
/// participant is sent on to B, where the same answer is stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_owner_wakes_up_fenced_off() {
    let cluster = Cluster::start();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = instance(dir_a.path(), &cluster.url);
    let b = instance(dir_b.path(), &cluster.url);
    let ex = a.create("quick-demo").await;
    let (mut console, _) = a.facilitate(&ex).await;
    console.send(json!({"type": "start"})).await;
    console.recv_type("inject").await;
    let join = json!({"type": "join", "join_code": ex.join_code, "name": "Awa"});
    let (mut ws, welcome, _) = hello_following(&a.base, &join).await;
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    drop(console);

    let pid = a.child.id() as libc::pid_t;
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    let frozen = Instant::now();
    while join_info_at(&b.base, &ex.join_code).await.is_err() {
        assert!(frozen.elapsed() < Duration::from_secs(10), "B takes over from the frozen owner");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Sent to the frozen owner: it reads it when it wakes.
    let msg =
        json!({"type": "respond", "inject_id": "first-alert", "text": "sent to a frozen owner", "client_msg_id": "f1"});
    ws.send(Message::text(msg.to_string())).await.unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGCONT) }, 0);
    let woke = loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("the woken owner answers") {
            Some(Ok(Message::Text(t))) => {
                let acked = pushes(&t).iter().any(|v| v["client_msg_id"] == "f1" && v["type"] == "ack");
                assert!(!acked, "the fenced owner never acks: {t}");
            }
            Some(Ok(Message::Close(frame))) => break frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            _ => break None,
        }
    };
    eprintln!("the woken owner closed the socket with {woke:?}");
    // Fenced off is not a failing store: A stays healthy and counts what it lost.
    let health = reqwest::get(format!("{}/healthz", a.base)).await.unwrap();
    assert_eq!(health.status(), 200, "{}", health.text().await.unwrap());
    let since = Instant::now();
    while figure(&metrics(&a.base).await, "tabletop_leases_lost_total") < 1.0 {
        assert!(since.elapsed() < Duration::from_secs(5), "A counts the lease it lost");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let resume = json!({"type": "resume", "resume_token": token, "last_seq": 0});
    let (mut ws, _, moves) = hello_following(&a.base, &resume).await;
    assert_eq!(moves, 1, "the woken owner sends the participant to B");
    ws.send(Message::text(msg.to_string())).await.unwrap();
    let ack = loop {
        let Some(Ok(Message::Text(t))) = ws.next().await else { panic!("B closed") };
        if let Some(v) = pushes(&t).into_iter().find(|v| v["client_msg_id"] == "f1") {
            break v;
        }
    };
    assert_eq!(ack["type"], "ack", "{ack}");
    let entries = b.timeline(&ex).await;
    let stored: Vec<_> = entries.iter().filter(|e| e["text"] == "sent to a frozen owner").collect();
    assert_eq!(stored.len(), 1, "stored once, by B");
    assert_eq!(stored[0]["seq"], ack["seq"]);
}
