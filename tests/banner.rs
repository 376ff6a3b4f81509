//! The startup banner of the real binary: with `--public-url` every link in it (and in
//! the facilitator's and projector's welcome) uses the public address; listening on
//! `0.0.0.0` without one, it lists this machine's addresses, never `0.0.0.0`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{ADMIN, Client, scenarios_dir};
use serde_json::json;

/// The binary started with `args` on a fresh data dir, and its banner's lines (up to the
/// blank line after it).
fn start(args: &[&str]) -> (Child, Vec<String>, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .arg("serve")
        .args(args)
        .arg("--data-dir")
        .arg(data.path())
        .arg("--scenarios")
        .arg(scenarios_dir())
        .env("TABLETOP_ADMIN_TOKEN", ADMIN)
        .env_remove("TABLETOP_PUBLIC_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.is_empty() && !banner.is_empty() {
            break;
        }
        if !line.is_empty() {
            banner.push(line);
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (child, banner, data)
}

/// The value after `label` on the first banner line that has it.
fn after<'a>(banner: &'a [String], label: &str) -> &'a str {
    let line = banner.iter().find(|l| l.contains(label)).unwrap_or_else(|| panic!("{label} in {banner:#?}"));
    line.split(label).nth(1).unwrap().trim()
}

#[tokio::test]
async fn the_public_url_is_in_every_link_of_the_banner_and_the_welcome() {
    let (mut child, banner, _data) =
        start(&["--addr", "127.0.0.1:0", "--open", "quick-demo", "--public-url", "https://tt.example.org/"]);
    let text = banner.join("\n");
    let listening = after(&banner, "listening on ");
    assert!(listening.starts_with("http://127.0.0.1:"), "the real address stays on the first line:\n{text}");
    assert_eq!(after(&banner, "Public URL:"), "https://tt.example.org");
    assert_eq!(after(&banner, "Facilitator:"), format!("https://tt.example.org/facilitator#token={ADMIN}"));
    let code = after(&banner, "Join code:").split_whitespace().next().unwrap().to_owned();
    assert!(text.contains(&format!("participants open https://tt.example.org/join/{code}")), "{text}");
    let links = text.lines().skip(1).filter(|l| l.contains("://"));
    assert!(links.clone().all(|l| l.contains("https://tt.example.org")), "{text}");

    // The console and the shared screen are told the public base.
    let id = after(&banner, "Exercise:").rsplit(' ').next().unwrap().to_owned();
    let key = after(&banner, "Facilitator key for this exercise:").to_owned();
    let ws = format!("{}/ws", listening.replace("http://", "ws://"));
    let mut facilitator = Client::connect(&ws).await;
    facilitator.send(json!({"type": "facilitate", "exercise_id": id, "facilitator_key": key})).await;
    assert_eq!(facilitator.recv_type("welcome").await["public_url"], "https://tt.example.org");
    let mut projector = Client::connect(&ws).await;
    projector.send(json!({"type": "project", "join_code": code})).await;
    assert_eq!(projector.recv_type("welcome").await["public_url"], "https://tt.example.org");
    let mut participant = Client::connect(&ws).await;
    participant.send(json!({"type": "join", "join_code": code, "name": "Ana"})).await;
    let welcome = participant.recv_type("welcome").await;
    assert!(welcome.get("public_url").is_none(), "participants have no links to give: {welcome}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn on_every_address_the_banner_lists_this_machines_addresses_never_0_0_0_0() {
    let (mut child, banner, _data) = start(&["--addr", "0.0.0.0:0", "--open", ""]);
    let text = banner.join("\n");
    assert!(!text.contains("0.0.0.0"), "{text}");
    let port = after(&banner, "listening on port ").split(' ').next().unwrap().to_owned();
    let loopback = format!("http://127.0.0.1:{port}");
    assert!(banner.iter().any(|l| l.trim() == loopback), "{text}");
    let facilitator = after(&banner, "Facilitator:");
    assert!(facilitator.ends_with(&format!(":{port}/facilitator#token={ADMIN}")), "{text}");
    // Each address listed answers.
    for base in banner.iter().filter(|l| l.starts_with("  http://")).map(|l| l.trim()) {
        let res = reqwest::get(format!("{base}/healthz")).await.unwrap_or_else(|e| panic!("{base}: {e}"));
        assert_eq!(res.status(), 200, "{base}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
