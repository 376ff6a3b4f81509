//! tabletop behind a real reverse proxy: Debian's nginx, run by this test as the current
//! user (no daemon, its pid, logs and temp files in a temp dir) with the shipped site file
//! `deploy/nginx.conf` in front of a server on 127.0.0.1:0. A participant joins and
//! answers through nginx, the facilitator sees the answer, and the websocket origin check
//! still refuses another site behind the proxy.
//!
//! scripts/test installs nginx when missing; without it this test fails saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Client, TestServer};
use serde_json::json;

/// nginx running in the foreground on a free loopback port; killed on drop.
struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
    base: String,
}

impl Nginx {
    /// Starts nginx with `deploy/nginx.conf` proxying to `upstream` (`127.0.0.1:PORT`).
    async fn start(upstream: &str) -> Nginx {
        let bin = nginx_binary();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let site = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx.conf")).unwrap();
        assert!(site.contains("listen 80;") && site.contains("127.0.0.1:8080"), "deploy/nginx.conf changed shape");
        let site = site.replace("listen 80;", &format!("listen 127.0.0.1:{port};")).replace("127.0.0.1:8080", upstream);
        std::fs::write(dir.path().join("site.conf"), site).unwrap();
        let d = dir.path().display();
        // Root (CI, containers) runs workers as `nobody` unless told otherwise; they could
        // not enter this temp dir. Anyone else: no `user` directive (it needs root).
        let user = if unsafe { libc::geteuid() } == 0 { "user root;" } else { "" };
        let main = format!(
            "{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {d}/site.conf;
}}
"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
        let child = Command::new(&bin)
            .arg("-e")
            .arg(dir.path().join("error.log")) // before the config is read, too
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut nginx = Nginx { child, dir, base: format!("http://127.0.0.1:{port}") };
        nginx.wait_ready().await;
        nginx
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("nginx exited ({status}):\n{}", self.error_log());
            }
            if let Ok(res) = reqwest::get(format!("{}/healthz", self.base)).await
                && res.status() == 200
            {
                return;
            }
            assert!(Instant::now() < deadline, "nginx did not answer within 15 s:\n{}", self.error_log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    fn ws(&self) -> String {
        format!("{}/ws", self.base.replace("http://", "ws://"))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's nginx (`/usr/sbin/nginx`, or `nginx` on PATH).
fn nginx_binary() -> PathBuf {
    let debian = PathBuf::from("/usr/sbin/nginx");
    if debian.exists() {
        return debian;
    }
    let found = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|d| d.join("nginx")).find(|p| p.exists()));
    found.unwrap_or_else(|| {
        panic!("nginx is not installed: this test needs it (scripts/test installs it: apt-get install nginx)")
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn a_participant_answers_through_nginx_and_the_facilitator_sees_it() {
    let server = TestServer::start().await;
    let upstream = server.base.trim_start_matches("http://").to_owned();
    let nginx = Nginx::start(&upstream).await;
    let ex = common::create_exercise(&nginx.base, "quick-demo").await;

    // Browsers send the page's origin: the proxy's address, which is not the upstream's.
    let origin = nginx.base.as_str();
    let mut facilitator = Client::connect_from(&nginx.ws(), origin).await.expect("facilitator socket through nginx");
    facilitator.send(json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})).await;
    let welcome = facilitator.recv_type("welcome").await;
    assert_eq!(welcome["join_code"], ex.join_code.as_str());
    assert!(welcome.get("public_url").is_none(), "no --public-url: the page uses its own origin");

    let mut participant = Client::connect_from(&nginx.ws(), origin).await.expect("participant socket through nginx");
    participant.send(json!({"type": "join", "join_code": ex.join_code, "name": "Ana"})).await;
    let group = participant.recv_type("welcome").await["group"]["id"].as_str().unwrap().to_owned();
    assert_eq!(facilitator.recv_type("participant").await["change"], "joined");

    facilitator.send(json!({"type": "set_speed", "speed": 600})).await;
    facilitator.send(json!({"type": "start"})).await;
    let inject = participant.recv_type("inject").await;
    let inject_id = inject["inject_id"].as_str().unwrap().to_owned();
    participant
        .send(json!({"type": "respond", "inject_id": inject_id, "text": "Isolate the payroll host", "client_msg_id": "a1"}))
        .await;
    assert_eq!(participant.recv_type("ack").await["client_msg_id"], "a1");
    let answer = facilitator.recv_type("response").await;
    assert_eq!(answer["text"], "Isolate the payroll host");
    assert_eq!(answer["group_id"], group.as_str());
    assert_eq!(answer["participant_name"], "Ana");

    // After a quiet spell the socket still carries a round trip (the long
    // proxy_read_timeout itself is not waited for here).
    tokio::time::sleep(Duration::from_secs(2)).await;
    participant.sync().await;

    // Another site's page cannot open a socket through the proxy either.
    let refused = Client::connect_from(&nginx.ws(), "http://evil.example").await.err();
    assert_eq!(refused, Some(403), "a foreign origin is refused behind nginx");

    // Links the server makes (the pack's join link, the QR code) name the proxy's
    // address, which nginx passes on in X-Forwarded-Host ($host alone drops the port).
    let handouts = pack_html(&nginx.base, &ex, &[]).await;
    assert!(handouts.contains(&format!("{}/join/{}", nginx.base, ex.join_code)), "the pack's join link");
    let qr = reqwest::get(format!("{}/qr/{}", nginx.base, ex.join_code)).await.unwrap();
    assert_eq!(qr.status(), 200);

    // nginx logs a websocket when it closes.
    drop((facilitator, participant));
    let access = nginx.dir.path().join("access.log");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = std::fs::read_to_string(&access).unwrap();
        if log.matches("GET /ws HTTP/1.1\" 101").count() >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "two websocket upgrades in nginx's access log:\n{log}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The participant handouts of an exercise's pack as HTML, asked for with `headers`.
async fn pack_html(base: &str, ex: &common::Exercise, headers: &[(&str, &str)]) -> String {
    let mut request = reqwest::Client::new()
        .get(format!("{base}/api/exercises/{}/pack?format=html&only=handouts", ex.id))
        .bearer_auth(&ex.key);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let res = request.send().await.unwrap();
    assert_eq!(res.status(), 200, "pack");
    res.text().await.unwrap()
}

#[tokio::test]
async fn behind_a_tls_proxy_links_use_the_forwarded_scheme_and_host() {
    // A proxy that ends TLS says so in X-Forwarded-Proto: without --public-url, links
    // the server makes start with https:// and the public host.
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let forwarded = [("x-forwarded-proto", "https"), ("x-forwarded-host", "tt.example.org")];
    let handouts = pack_html(&server.base, &ex, &forwarded).await;
    assert!(handouts.contains(&format!("https://tt.example.org/join/{}", ex.join_code)), "join link in the pack");
    // --public-url wins over what the request says.
    let server = TestServer::start_with(|o| o.public_url = Some("https://public.example/".into())).await;
    let ex = server.create("quick-demo").await;
    let handouts = pack_html(&server.base, &ex, &forwarded).await;
    assert!(handouts.contains(&format!("https://public.example/join/{}", ex.join_code)), "join link in the pack");
}
