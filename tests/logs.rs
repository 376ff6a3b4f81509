//! Log formats: with `--log-format json` (or `TABLETOP_LOG_FORMAT=json`) every stderr
//! line is a JSON object with `level` and `fields`, and no secret reaches the log: not
//! the admin token, a facilitator key or a resume token.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use common::binary::Binary;
use common::{ADMIN, Client, scenarios_dir};
use serde_json::{Value, json};

/// The binary with `extra` flags and env; its stderr lines are collected by the thread.
fn start(data_dir: &std::path::Path, flag: bool) -> (Binary, JoinHandle<Vec<String>>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabletop"));
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--open", ""])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--scenarios")
        .arg(scenarios_dir())
        .env("TABLETOP_ADMIN_TOKEN", ADMIN)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if flag {
        cmd.args(["--log-format", "json"]);
    } else {
        cmd.env("TABLETOP_LOG_FORMAT", "json");
    }
    let mut child: Child = cmd.spawn().expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the binary prints its address").unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Binary { child, base }, logs)
}

/// Stops the server with SIGTERM and returns its log lines.
fn stop(mut server: Binary, logs: JoinHandle<Vec<String>>) -> Vec<String> {
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    assert!(server.child.wait().unwrap().success());
    logs.join().unwrap()
}

fn assert_json_lines(lines: &[String]) {
    assert!(!lines.is_empty(), "the server logs at info by default");
    for line in lines {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v.is_object(), "{line}");
        assert!(v["level"].is_string(), "a level: {line}");
        assert!(v["fields"].is_object(), "fields: {line}");
    }
}

#[tokio::test]
async fn json_logs_are_json_objects_and_hold_no_secret() {
    let data = tempfile::tempdir().unwrap();
    let (server, logs) = start(data.path(), true);
    let ex = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    let (mut p, welcome) = server.join(&ex, "Mariama").await;
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    f.send(json!({"type": "start"})).await;
    p.recv_type("inject").await;
    p.send(json!({"type": "respond", "inject_id": "first-alert", "text": "on it", "client_msg_id": "r"})).await;
    p.recv_type("ack").await;
    let mut back = Client::connect(&server.ws()).await;
    back.send(json!({"type": "resume", "resume_token": token})).await;
    back.recv_type("welcome").await;
    // A wrong key is refused, and not logged either.
    let mut bad = Client::connect(&server.ws()).await;
    bad.send(json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": "wrong-key-1234"})).await;
    assert_eq!(bad.recv_type("error").await["code"], "bad_credentials");
    drop((f, p, back, bad));

    let lines = stop(server, logs);
    assert_json_lines(&lines);
    let all = lines.join("\n");
    assert!(all.contains("exercise created"), "{all}");
    for secret in [ADMIN, ex.key.as_str(), token.as_str(), "wrong-key-1234"] {
        assert!(!all.contains(secret), "a secret is in the log: {secret}\n{all}");
    }
}

#[test]
fn the_log_format_falls_back_to_the_environment() {
    let data = tempfile::tempdir().unwrap();
    let (server, logs) = start(data.path(), false);
    assert_json_lines(&stop(server, logs));
}
