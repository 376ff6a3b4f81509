//! The crash loop: the real binary, many participants answering flat out, `kill -9` at
//! a random moment, a restart on the same data dir, round after round. Each round checks
//! that every answer ever acked is stored exactly once, with the seq it was acked with
//! (no answer of any earlier round lost or doubled), and that timers were re-armed: the
//! round's timed inject, due after the kill, is released once by the restarted server.
//!
//! `crash_loop_two_rounds` runs in the suite; `scripts/crash-loop` runs
//! `crash_loop_long` (20 rounds of 200 participants by default, on a release build).
//! Loopback only.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::binary::{Binary, FLAT_OUT};
use common::{Exercise, timeline};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// Play minutes to the scenario's second timed inject (`partner-api`, quick-demo).
const DUE_PLAY_MIN: u64 = 2;
/// Wall time from the start to that inject: the kill always comes before it.
const DUE_WALL: Duration = Duration::from_secs(4);
/// Latest kill after the first answer is acked.
const KILL_BY: Duration = Duration::from_millis(2_500);
/// The kill comes at least this long before the timed inject is due.
const KILL_MARGIN: Duration = Duration::from_millis(600);

/// A small xorshift: the kill moments, reproducible from the printed seed.
struct Dice(u64);

impl Dice {
    fn new() -> Self {
        let seed = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
        });
        eprintln!("crash loop seed: CRASH_SEED={seed}");
        Dice(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What one participant got acked: (answer text, seq).
type Acked = Vec<(String, u64)>;

/// Joins and answers `first-alert` as fast as the acks come, one in flight, until the
/// socket dies (the kill) or `stop` flips. Never panics on the server going away.
async fn participant(
    ws: String,
    join_code: String,
    name: String,
    joined: tokio::sync::mpsc::Sender<()>,
    mut go: tokio::sync::watch::Receiver<bool>,
    acks: Arc<AtomicUsize>,
) -> Acked {
    let mut acked = Vec::new();
    let Ok((mut socket, _)) = tokio_tungstenite::connect_async(&ws).await else { return acked };
    let hello = json!({"type": "join", "join_code": join_code, "name": name}).to_string();
    if socket.send(Message::text(hello)).await.is_err() {
        return acked;
    }
    // Welcome first, then wait for the start signal (every participant is in).
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(t))) if t.contains("\"type\":\"welcome\"") => break,
            Some(Ok(Message::Text(t))) if t.contains("\"type\":\"error\"") => panic!("{name} could not join: {t}"),
            Some(Ok(_)) => continue,
            _ => return acked,
        }
    }
    let _ = joined.send(()).await;
    let _ = go.wait_for(|g| *g).await;
    for k in 0.. {
        let id = format!("{name}-{k}");
        let text = format!("{name} answer {k}");
        let msg = json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": id});
        if socket.send(Message::text(msg.to_string())).await.is_err() {
            return acked;
        }
        loop {
            let Some(Ok(frame)) = socket.next().await else { return acked };
            let Message::Text(t) = frame else { continue };
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["client_msg_id"] == id.as_str() {
                // A refusal (a rate limit) is not acked: on to the next answer.
                if v["type"] == "ack" {
                    acked.push((text.clone(), v["seq"].as_u64().unwrap()));
                    acks.fetch_add(1, Ordering::Relaxed);
                }
                break;
            }
        }
    }
    acked
}

/// Every answer acked in `ex` is stored once with its seq; no answer is stored twice.
async fn check_answers(base: &str, ex: &Exercise, acked: &[(String, u64)]) {
    let entries = timeline(base, ex).await["entries"].as_array().unwrap().clone();
    common::assert_acked_once(&entries, acked);
}

/// Timed releases of `inject` in `ex`.
async fn releases(base: &str, ex: &Exercise, inject: &str) -> usize {
    let entries = timeline(base, ex).await["entries"].as_array().unwrap().clone();
    entries.iter().filter(|e| e["kind"] == "inject_released" && e["inject_id"] == inject).count()
}

/// The server with every participant's answers let through (`FLAT_OUT`).
fn start(data: &Path) -> Binary {
    Binary::start_with(data, FLAT_OUT, &[])
}

async fn run_rounds(rounds: usize, participants: usize) {
    let data = tempfile::tempdir().unwrap();
    let mut dice = Dice::new();
    let mut server = start(data.path());
    let mut history: Vec<(Exercise, Acked)> = Vec::new();
    for round in 0..rounds {
        let began = Instant::now();
        let ex = server.create("quick-demo").await;
        let (mut console, _) = server.facilitate(&ex).await;
        let (go_tx, go) = tokio::sync::watch::channel(false);
        let (joined_tx, mut joined) = tokio::sync::mpsc::channel(participants);
        let acks = Arc::new(AtomicUsize::new(0));
        let people: Vec<_> = (0..participants)
            .map(|i| {
                let name = format!("r{round}p{i}");
                let (ws, code, acks) = (server.ws(), ex.join_code.clone(), acks.clone());
                tokio::spawn(participant(ws, code, name, joined_tx.clone(), go.clone(), acks))
            })
            .collect();
        drop(joined_tx);
        // Everyone in (a join is stored before its welcome), then the clock and the answers.
        for _ in 0..participants {
            let one = tokio::time::timeout(Duration::from_secs(30), joined.recv()).await;
            assert!(matches!(one, Ok(Some(()))), "round {round}: every participant joins");
        }
        let speed = (DUE_PLAY_MIN * 60_000) as f64 / DUE_WALL.as_millis() as f64;
        console.send(json!({"type": "set_speed", "speed": speed})).await;
        console.send(json!({"type": "start"})).await;
        assert_eq!(console.recv_type("inject").await["inject_id"], "first-alert");
        let started = Instant::now();
        let _ = go_tx.send(true);
        // The kill comes after the first ack (a round that kills before any answer tests
        // nothing; a loaded machine may take a while to ack the first of 200 at once), at a
        // random moment, and before the timed inject is due.
        while acks.load(Ordering::Relaxed) == 0 {
            assert!(started.elapsed() < DUE_WALL - KILL_MARGIN, "round {round}: no answer acked in time");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let room = (DUE_WALL - KILL_MARGIN).saturating_sub(started.elapsed()).min(KILL_BY);
        let kill_after = Duration::from_millis(dice.below(room.as_millis() as u64 + 1));
        tokio::time::sleep(kill_after).await;
        server.kill_9();
        drop(console);
        let mut acked = Vec::new();
        for p in people {
            acked.extend(p.await.expect("a participant task ends without panicking"));
        }
        let restarted_ms = wall_ms();
        server = start(data.path());

        // Timers re-armed: the inject due after the kill is released once, by the new process.
        let (mut console, _) = server.facilitate(&ex).await;
        let deadline = Instant::now() + DUE_WALL + Duration::from_secs(10);
        while releases(&server.base, &ex, "partner-api").await == 0 {
            assert!(Instant::now() < deadline, "round {round}: partner-api was never released after the restart");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        console.sync().await;
        assert_eq!(releases(&server.base, &ex, "partner-api").await, 1, "round {round}: released once");
        let entries = timeline(&server.base, &ex).await["entries"].as_array().unwrap().clone();
        let release =
            entries.iter().find(|e| e["inject_id"] == "partner-api" && e["kind"] == "inject_released").unwrap();
        assert!(release["wall_ms"].as_u64().unwrap() >= restarted_ms, "round {round}: released after the restart");
        assert_eq!(releases(&server.base, &ex, "first-alert").await, 1);

        // Every answer acked so far, this round's and every earlier one's, once.
        history.push((ex, acked));
        for (ex, acked) in &history {
            check_answers(&server.base, ex, acked).await;
        }
        let n = history.last().unwrap().1.len();
        eprintln!(
            "round {round}: killed {kill_after:?} after the first ack, {n} acked answers kept, {:?}",
            began.elapsed()
        );
        assert!(n > 0, "round {round}: the acked answers were counted");
    }
}

fn wall_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// Two rounds of 200 participants in the suite; `scripts/crash-loop` runs the same test
/// with `CRASH_ROUNDS` (20) and `CRASH_PARTICIPANTS` (200) set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_loop() {
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    run_rounds(env("CRASH_ROUNDS", 2), env("CRASH_PARTICIPANTS", 200)).await;
}
