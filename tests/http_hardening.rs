//! Smaller hardening items over real sockets: no secret in the debug log of a whole
//! scripted exercise (run against the binary), a private data dir, the `Host` check,
//! the websocket `Origin` scheme, `no-store` on the API, `--admin-token-file`.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::binary::Binary;
use common::{ADMIN, Client, TestServer};
use serde_json::json;

#[tokio::test]
async fn a_whole_exercise_logged_at_debug_shows_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("admin-token.secret");
    std::fs::write(&token_file, format!("  {ADMIN}-from-file\n")).unwrap();
    let admin = format!("{ADMIN}-from-file");
    let log = dir.path().join("server.log");
    let data = dir.path().join("data");
    let mut server = Binary::start_logged(&data, &log, &["--admin-token-file", token_file.to_str().unwrap()]);
    let base = server.base.clone();
    let ws = format!("{}/ws", base.replace("http://", "ws://"));
    let http = reqwest::Client::new();

    // Create (the admin token from the file works), open the console with a token in
    // the query as an old bookmark would.
    let created: serde_json::Value = http
        .post(format!("{base}/api/exercises"))
        .bearer_auth(&admin)
        .json(&json!({"scenario_id": "quick-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, code, key) = (
        created["exercise_id"].as_str().unwrap().to_owned(),
        created["join_code"].as_str().unwrap().to_owned(),
        created["facilitator_key"].as_str().unwrap().to_owned(),
    );
    let page = http.get(format!("{base}/facilitator?token={admin}")).send().await.unwrap();
    assert_eq!(page.status(), 200);

    let mut console = Client::connect(&ws).await;
    console.send(json!({"type": "facilitate", "exercise_id": id, "facilitator_key": key})).await;
    console.recv_type("welcome").await;
    console.send(json!({"type": "add_observer", "name": "Eve"})).await;
    let observer_key = console.recv_type("observer").await["key"].as_str().unwrap().to_owned();
    let mut observer = Client::connect(&ws).await;
    observer.send(json!({"type": "observe", "exercise_id": id, "observer_key": observer_key})).await;
    observer.recv_type("welcome").await;

    let mut phone = Client::connect(&ws).await;
    phone.send(json!({"type": "join", "join_code": code, "name": "Awa"})).await;
    let welcome = phone.recv_type("welcome").await;
    let resume_token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    console.send(json!({"type": "start"})).await;
    let inject = phone.recv_type("inject").await;
    phone
        .send(json!({"type": "respond", "inject_id": inject["inject_id"], "text": "We isolate the host.", "client_msg_id": "a1"}))
        .await;
    assert_eq!(phone.recv_type("ack").await["client_msg_id"], "a1");
    let mut again = Client::connect(&ws).await;
    again.send(json!({"type": "resume", "resume_token": resume_token})).await;
    again.recv_type("welcome").await;
    // A wrong key, too: refusals are logged, never with what was tried.
    let mut wrong = Client::connect(&ws).await;
    wrong.send(json!({"type": "facilitate", "exercise_id": id, "facilitator_key": format!("{key}x")})).await;
    assert_eq!(wrong.recv_type("error").await["code"], "bad_credentials");

    for format in ["md", "json", "csv"] {
        let export = http
            .get(format!("{base}/api/exercises/{id}/export?format={format}"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200, "export {format}");
        assert_eq!(export.headers()["cache-control"], "no-store");
    }
    let timeline =
        http.get(format!("{base}/api/exercises/{id}/timeline")).bearer_auth(&observer_key).send().await.unwrap();
    assert_eq!(timeline.status(), 200);
    assert_eq!(timeline.headers()["cache-control"], "no-store", "the timeline carries answers");
    drop((console, observer, phone, again, wrong));

    // SIGTERM: the shutdown is logged too.
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(server.child.id() as i32, libc::SIGTERM) };
    server.child.wait().unwrap();
    let mut text = String::new();
    std::fs::File::open(&log).unwrap().read_to_string(&mut text).unwrap();
    assert!(text.contains("DEBUG"), "the log is at debug level");
    assert!(text.contains("/facilitator"), "requests are logged (by path)");
    let secret = resume_token.split_once('.').unwrap().1;
    for (name, value) in [
        ("admin token", admin.as_str()),
        ("facilitator key", &key),
        ("observer key", &observer_key),
        ("resume token", secret),
    ] {
        // The banner on stdout is the one place the admin token is printed, by design.
        let line = text.lines().filter(|l| !l.starts_with("  Facilitator: ")).find(|l| l.contains(value));
        assert!(line.is_none(), "the {name} is in the log: {}", line.unwrap_or_default());
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_dir_and_its_files_are_private_whatever_they_were() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    // No admin token given: one is generated into the data dir.
    let binary = Binary::start_with(&data, &[], &[("TABLETOP_ADMIN_TOKEN", "")]);
    assert_eq!(mode(&data), 0o700, "a new data dir");
    for file in ["tabletop.db", "tabletop.db-wal", "tabletop.db-shm", "admin-token"] {
        let path = data.join(file);
        if file == "admin-token" || path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    drop(binary);
    // An existing dir left open to others is made private at startup.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data.join("tabletop.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let binary = common::binary::Binary::start(&data);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("tabletop.db")), 0o600);
    drop(binary);
}

#[tokio::test]
async fn requests_to_a_foreign_host_name_are_refused() {
    let server = TestServer::start_with(|o| {
        o.public_url = Some("https://tt.example.org".into());
        o.net.allowed_hosts = vec!["ttx.internal".into()];
    })
    .await;
    let http = reqwest::Client::new();
    let get = |host: &'static str| {
        http.get(format!("{}/api/exercises", server.base)).bearer_auth(ADMIN).header("host", host).send()
    };
    for allowed in ["tt.example.org", "ttx.internal:8080", "127.0.0.1", "localhost:1", "app.localhost", "[::1]:80"] {
        assert_eq!(get(allowed).await.unwrap().status(), 200, "{allowed}");
    }
    let refused = get("rebind.attacker.example").await.unwrap();
    assert_eq!(refused.status(), 421);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_host");
    // With neither a public URL nor an allowed host, any name passes (first run).
    let open = TestServer::start().await;
    let res = http.get(format!("{}/healthz", open.base)).header("host", "any.example").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = http
        .get(format!("{}/api/exercises", open.base))
        .bearer_auth(ADMIN)
        .header("host", "any.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_websocket_origin_must_match_in_scheme_too() {
    let server = TestServer::start().await;
    let host = server.base.trim_start_matches("http://").to_owned();
    assert!(Client::connect_from(&server.ws_url, &format!("http://{host}")).await.is_ok(), "its own origin");
    assert_eq!(
        Client::connect_from(&server.ws_url, &format!("https://{host}")).await.err(),
        Some(403),
        "another scheme"
    );
    let server = TestServer::start_with(|o| o.public_url = Some("https://tt.example.org".into())).await;
    assert!(Client::connect_from(&server.ws_url, "https://tt.example.org").await.is_ok(), "the public origin");
    assert_eq!(Client::connect_from(&server.ws_url, "http://tt.example.org").await.err(), Some(403), "not over http");
}

#[tokio::test]
async fn an_empty_or_missing_admin_token_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty-token");
    std::fs::write(&empty, "\n").unwrap();
    for path in [empty, dir.path().join("missing-token")] {
        let out = Command::new(env!("CARGO_BIN_EXE_tabletop"))
            .args(["serve", "--addr", "127.0.0.1:0", "--open", "", "--admin-token-file"])
            .arg(&path)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .env_remove("TABLETOP_ADMIN_TOKEN")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    }
}
