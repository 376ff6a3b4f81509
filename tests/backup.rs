//! `tabletop backup` on a running server: participants keep answering (and being acked)
//! while the real binary copies the store; a fresh server on the copy holds every answer
//! acked before the backup began, its log is a prefix of the live one, and the copy passes
//! `PRAGMA integrity_check`.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use common::binary::Binary;
use common::{ADMIN, Client, Exercise};
use serde_json::{Value, json};

/// Participants answering at once.
const PARTICIPANTS: usize = 6;

/// The binary on `data_dir`, with a rate limit high enough for closed-loop answering.
fn start(data_dir: &Path) -> Binary {
    Binary::start_with(
        data_dir,
        &[],
        &[
            ("TABLETOP_MESSAGES_PER_SECOND", "10000"),
            // Flat-out answers from a few participants: past the quotas a room has.
            ("TABLETOP_ANSWERS_PER_MINUTE", "1000000"),
            ("TABLETOP_ANSWERS_PER_INJECT", "1000000"),
        ],
    )
}

/// Runs `tabletop backup --data-dir DATA --out OUT [--force]`.
fn backup(data: &Path, out: &Path, force: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabletop"));
    cmd.arg("backup").arg("--data-dir").arg(data).arg("--out").arg(out);
    if force {
        cmd.arg("--force");
    }
    cmd.output().expect("tabletop backup runs")
}

/// The exercise's timeline entries, read with the admin token.
async fn entries(base: &str, ex: &Exercise) -> Vec<Value> {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/exercises/{}/timeline", ex.id))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["entries"].as_array().unwrap().clone()
}

/// An ack: its seq and when it arrived.
type Acks = Arc<Mutex<Vec<(u64, Instant)>>>;

/// Answers, waits for the ack, answers again, until `stop`.
async fn answer_until(mut c: Client, who: usize, acks: Acks, stop: Arc<AtomicBool>) {
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let id = format!("p{who}-{i}");
        c.send(
            json!({"type": "respond", "inject_id": "first-alert", "text": format!("answer {id}"), "client_msg_id": id}),
        )
        .await;
        let ack = c.recv_type("ack").await;
        assert_eq!(ack["client_msg_id"], id.as_str());
        acks.lock().unwrap().push((ack["seq"].as_u64().unwrap(), Instant::now()));
    }
}

#[tokio::test]
async fn a_backup_under_load_holds_every_answer_acked_before_it_and_opens_in_a_fresh_server() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path());
    let ex = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    f.send(json!({"type": "start"})).await;
    f.recv_type("inject").await;

    let acks: Acks = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut answering = Vec::new();
    for who in 0..PARTICIPANTS {
        let (c, _) = server.join(&ex, &format!("P{who}")).await;
        answering.push(tokio::spawn(answer_until(c, who, acks.clone(), stop.clone())));
    }
    // Some answers on disk before the backup begins.
    while acks.lock().unwrap().len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("tabletop-backup.db");
    let began = Instant::now();
    let acked_before: Vec<u64> = acks.lock().unwrap().iter().map(|(seq, _)| *seq).collect();
    let (from, to) = (data.path().to_owned(), file.clone());
    let ran = tokio::task::spawn_blocking(move || backup(&from, &to, false)).await.unwrap();
    let ended = Instant::now();
    assert!(ran.status.success(), "backup failed: {}", String::from_utf8_lossy(&ran.stderr));
    eprintln!("{}", String::from_utf8_lossy(&ran.stderr).trim());
    let during = acks.lock().unwrap().iter().filter(|(_, at)| *at > began && *at < ended).count();
    assert!(during > 0, "answers kept being acked during the backup");

    stop.store(true, Ordering::Relaxed);
    for a in answering {
        a.await.unwrap();
    }
    let live = entries(&server.base, &ex).await;
    drop(f);
    drop(server);

    let check: String =
        rusqlite::Connection::open(&file).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");

    // Restore: the copy as tabletop.db in a fresh data dir.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&file, restored.path().join("tabletop.db")).unwrap();
    let fresh = start(restored.path());
    let copy = entries(&fresh.base, &ex).await;
    for seq in &acked_before {
        let e = copy.iter().find(|e| e["seq"] == *seq).unwrap_or_else(|| panic!("acked seq {seq} is in the backup"));
        assert_eq!(e["kind"], "response_submitted");
    }
    assert!(copy.len() <= live.len());
    assert_eq!(copy[..], live[..copy.len()], "the backup is the live log up to a point");
}

#[test]
fn backup_refuses_a_missing_data_dir_and_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    let out = dir.path().join("b.db");
    let ran = backup(&missing, &out, false);
    assert!(!ran.status.success());
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(stderr.contains("no tabletop data here"), "{stderr}");
    assert!(!out.exists());

    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    rusqlite::Connection::open(data.join("tabletop.db")).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    std::fs::write(&out, "older backup").unwrap();
    let ran = backup(&data, &out, false);
    assert!(!ran.status.success());
    assert!(String::from_utf8_lossy(&ran.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "older backup");
    let ran = backup(&data, &out, true);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
}
