//! HTTPS built in, on the real binary: certificate files (chain checked by a client that
//! trusts only the test CA, HSTS, `wss://`, SIGHUP reload, bad files), the http→https
//! redirect, and certificates got by ACME from Debian's `pebble` started here.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;

use common::{ADMIN, scenarios_dir};

/// A test certificate authority.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    /// A server certificate for `localhost` and 127.0.0.1: (chain PEM, key PEM, leaf DER).
    fn issue(&self) -> (String, String, Vec<u8>) {
        let params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (format!("{}{}", cert.pem(), self.cert.pem()), key.serialize_pem(), cert.der().to_vec())
    }

    fn client(&self) -> Arc<ClientConfig> {
        client_trusting(vec![self.cert.der().clone()])
    }
}

fn client_trusting(roots: Vec<CertificateDer<'static>>) -> Arc<ClientConfig> {
    let mut store = RootCertStore::empty();
    for root in roots {
        store.add(root).unwrap();
    }
    Arc::new(
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(store)
            .with_no_client_auth(),
    )
}

/// A TLS connection to `addr`, verifying the chain for `name`.
async fn connect(client: &Arc<ClientConfig>, addr: SocketAddr, name: &str) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::try_from(name.to_owned()).unwrap();
    TlsConnector::from(client.clone()).connect(name, tcp).await
}

/// The leaf certificate served at `addr`.
async fn served_leaf(client: &Arc<ClientConfig>, addr: SocketAddr) -> Vec<u8> {
    let tls = connect(client, addr, "localhost").await.expect("TLS handshake");
    tls.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

/// One HTTP/1.1 request over TLS: (status, head, body).
async fn request(
    client: &Arc<ClientConfig>,
    addr: SocketAddr,
    name: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, String, String) {
    let mut tls = connect(client, addr, name).await.expect("TLS handshake");
    let body = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {name}\r\nAuthorization: Bearer {ADMIN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    // A close without close_notify still leaves the whole response read.
    let _ = tls.read_to_end(&mut raw).await;
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response head");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// The binary serving on `addr` with `extra` flags; stdout is read up to the banner.
struct Served {
    child: Child,
    addr: SocketAddr,
    banner: String,
    stderr: PathBuf,
    _data: tempfile::TempDir,
}

impl Served {
    fn start(addr: &str, extra: &[&str]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let stderr = data.path().join("stderr.log");
        let mut child = binary(data.path(), addr, extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let banner = loop {
            match lines.next() {
                Some(Ok(line)) if line.contains("listening on ") => break line,
                Some(_) => continue,
                None => panic!("no banner; stderr: {}", std::fs::read_to_string(&stderr).unwrap()),
            }
        };
        std::thread::spawn(move || for _ in lines {});
        let url = banner.split("listening on ").nth(1).unwrap().trim();
        let addr = url.split("://").nth(1).unwrap().parse().unwrap();
        Served { child, addr, banner, stderr, _data: data }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap()
    }

    fn hangup(&self) {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: a plain kill(2) of our own child.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary(data: &Path, addr: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabletop"));
    cmd.args(["serve", "--addr", addr, "--open", ""])
        .arg("--data-dir")
        .arg(data)
        .arg("--scenarios")
        .arg(scenarios_dir())
        .args(extra)
        .env("TABLETOP_ADMIN_TOKEN", ADMIN)
        .env("RUST_LOG", "tabletop=info");
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Polls `check` every 50 ms until it holds or `within` passes.
async fn eventually(within: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn certificate_files_serve_https_and_wss_with_hsts_and_reload_on_sighup() {
    let files = tempfile::tempdir().unwrap();
    let ca = Ca::new("tabletop test CA");
    let (chain, key, first_leaf) = ca.issue();
    let cert_path = write(files.path(), "cert.pem", &chain);
    let key_path = write(files.path(), "key.pem", &key);
    let redirect_port = free_port();
    let redirect = format!("127.0.0.1:{redirect_port}");
    let served =
        Served::start("127.0.0.1:0", &["--tls-cert", &cert_path, "--tls-key", &key_path, "--redirect-http", &redirect]);
    assert!(served.banner.contains("listening on https://127.0.0.1:"), "banner: {}", served.banner);
    let (addr, client) = (served.addr, ca.client());

    // The chain verifies against the test CA only, for the name and for the address.
    let (status, head, body) = request(&client, addr, "localhost", "GET", "/healthz", None).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert!(head.contains("strict-transport-security: max-age=31536000"), "HSTS: {head}");
    let (status, head, _) = request(&client, addr, "127.0.0.1", "GET", "/no-such-page", None).await;
    assert_eq!(status, 404);
    assert!(head.contains("strict-transport-security:"), "HSTS on errors too: {head}");
    let stranger = Ca::new("another CA").client();
    assert!(connect(&stranger, addr, "localhost").await.is_err(), "a client not trusting the CA refuses the chain");

    // A participant joins an exercise over wss://.
    let (status, _, body) =
        request(&client, addr, "localhost", "POST", "/api/exercises", Some(&json!({"scenario_id": "quick-demo"})))
            .await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let tls = connect(&client, addr, "localhost").await.unwrap();
    let (mut ws, _) =
        tokio_tungstenite::client_async(format!("wss://localhost:{}/ws", addr.port()), tls).await.unwrap();
    let join = json!({"type": "join", "join_code": created["join_code"], "name": "Ada"});
    ws.send(Message::text(join.to_string())).await.unwrap();
    let welcome = tokio::time::timeout(common::WAIT, async {
        loop {
            if let Message::Text(t) = ws.next().await.unwrap().unwrap() {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "welcome" {
                    return v;
                }
                assert_ne!(v["type"], "error", "{v}");
            }
        }
    })
    .await
    .expect("a welcome over wss");
    assert_eq!(welcome["type"], "welcome");

    // Plain HTTP: /healthz answers, anything else is sent to https, path and query kept.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = plain.get(format!("http://{redirect}/join/ABCD?x=1")).send().await.unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], format!("https://127.0.0.1:{}/join/ABCD?x=1", addr.port()).as_str());
    let res = plain.get(format!("http://{redirect}/healthz")).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.text().await.unwrap().as_str()), (200, "ok"));

    // SIGHUP rereads the files.
    assert_eq!(served_leaf(&client, addr).await, first_leaf);
    let (chain, key, second_leaf) = ca.issue();
    write(files.path(), "cert.pem", &chain);
    write(files.path(), "key.pem", &key);
    served.hangup();
    let reloaded = eventually(Duration::from_secs(5), async || served_leaf(&client, addr).await == second_leaf).await;
    assert!(reloaded, "the new certificate is served after SIGHUP; log: {}", served.log());

    // Bad new files: the previous certificate stays, the log says why and quotes no key.
    write(files.path(), "key.pem", "-----BEGIN PRIVATE KEY-----\nU0VDUkVUTUFSSw==\n-----END PRIVATE KEY-----\n");
    served.hangup();
    let warned = eventually(Duration::from_secs(5), async || served.log().contains("not reloaded")).await;
    let log = served.log();
    assert!(warned, "a warning for the bad files: {log}");
    assert!(log.contains("--tls-key"), "the warning names the file: {log}");
    assert!(!log.contains("U0VDUkVUTUFSSw"), "no key bytes in the log: {log}");
    assert_eq!(served_leaf(&client, addr).await, second_leaf, "the previous certificate is still served");
}

/// The binary exits at once with this message on stderr.
fn fails_with(extra: &[&str], message: &str) {
    let data = tempfile::tempdir().unwrap();
    let out = binary(data.path(), "127.0.0.1:0", extra).stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{extra:?} must fail");
    assert!(stderr.contains(message), "{extra:?}: expected {message:?} in: {stderr}");
}

#[test]
fn bad_certificate_settings_stop_the_server_with_a_clear_error() {
    let files = tempfile::tempdir().unwrap();
    let ca = Ca::new("tabletop test CA");
    let (chain, key, _) = ca.issue();
    let (_, other_key, _) = ca.issue();
    let cert = write(files.path(), "cert.pem", &chain);
    let key = write(files.path(), "key.pem", &key);
    let other_key = write(files.path(), "other-key.pem", &other_key);
    let junk = write(files.path(), "junk.pem", "not pem at all\n");
    let missing = files.path().join("missing.pem").display().to_string();

    fails_with(&["--tls-cert", &missing, "--tls-key", &key], &format!("--tls-cert {missing}: "));
    fails_with(&["--tls-cert", &cert, "--tls-key", &missing], &format!("--tls-key {missing}: "));
    fails_with(&["--tls-cert", &junk, "--tls-key", &key], "no certificate in it");
    fails_with(&["--tls-cert", &cert, "--tls-key", &junk], "no private key in it");
    fails_with(&["--tls-cert", &cert, "--tls-key", &other_key], "is not the key of the certificate");
    fails_with(&["--tls-cert", &cert], "--tls-key");
    fails_with(&["--tls-cert", &cert, "--tls-key", &key, "--acme-domain", "ttx.example.org"], "cannot be used with");
    fails_with(&["--redirect-http", "127.0.0.1:0"], "--redirect-http needs HTTPS");
    fails_with(&["--acme-email", "ops@example.org"], "--acme-domain");
    let ca_junk = ["--acme-domain", "localhost", "--acme-directory-ca", &junk];
    fails_with(&ca_junk, "--acme-directory-ca");
}

/// Debian's pebble on loopback: directory and management API over HTTPS with a
/// certificate of the test CA, validating TLS-ALPN-01 on `tls_port`.
struct Pebble {
    child: Child,
    dir_port: u16,
    mgmt_port: u16,
}

impl Pebble {
    fn start(dir: &Path, ca: &Ca, tls_port: u16) -> Self {
        let pebble = ["/usr/bin/pebble", "/usr/local/bin/pebble"].into_iter().find(|p| Path::new(p).exists());
        let pebble =
            pebble.expect("pebble is not installed: scripts/test installs Debian's pebble (apt-get install pebble)");
        let (chain, key, _) = ca.issue();
        let (dir_port, mgmt_port) = (free_port(), free_port());
        let config = json!({"pebble": {
            "listenAddress": format!("127.0.0.1:{dir_port}"),
            "managementListenAddress": format!("127.0.0.1:{mgmt_port}"),
            "certificate": write(dir, "pebble-cert.pem", &chain),
            "privateKey": write(dir, "pebble-key.pem", &key),
            "httpPort": free_port(),
            "tlsPort": tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
        }});
        let config = write(dir, "pebble.json", &config.to_string());
        let child = Command::new(pebble)
            .args(["-config", &config])
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_VA_ALWAYS_VALID", "0")
            .env("PEBBLE_WFE_NONCEREJECT", "0")
            .stdout(std::fs::File::create(dir.join("pebble.log")).unwrap())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("pebble cannot be started: {e}"));
        Pebble { child, dir_port, mgmt_port }
    }
}

impl Drop for Pebble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn acme_gets_a_certificate_from_pebble_by_tls_alpn_01() {
    let work = tempfile::tempdir().unwrap();
    let ca = Ca::new("pebble's own HTTPS");
    let tls_port = free_port();
    let mut pebble = Pebble::start(work.path(), &ca, tls_port);
    let directory = format!("https://127.0.0.1:{}/dir", pebble.dir_port);
    let up = eventually(Duration::from_secs(10), async || {
        connect(&ca.client(), SocketAddr::from(([127, 0, 0, 1], pebble.dir_port)), "127.0.0.1").await.is_ok()
    })
    .await;
    if !up {
        let status = pebble.child.try_wait().unwrap();
        let log = std::fs::read_to_string(work.path().join("pebble.log")).unwrap_or_default();
        panic!("pebble did not start ({status:?}): {log}");
    }
    let ca_path = write(work.path(), "pebble-https-ca.pem", &ca.cert.pem());
    let started = Instant::now();
    let served = Served::start(
        &format!("127.0.0.1:{tls_port}"),
        &["--acme-domain", "localhost", "--acme-directory", &directory, "--acme-directory-ca", &ca_path],
    );
    assert!(served.banner.contains("https://"), "banner: {}", served.banner);

    // pebble's issuing root, from its management API.
    let mgmt = SocketAddr::from(([127, 0, 0, 1], pebble.mgmt_port));
    let (status, _, root) = request(&ca.client(), mgmt, "127.0.0.1", "GET", "/roots/0", None).await;
    assert_eq!(status, 200, "{root}");
    let root = CertificateDer::from_pem_slice(root.as_bytes()).expect("a PEM root");
    let trusting_pebble = client_trusting(vec![root]);

    let issued =
        eventually(Duration::from_secs(25), async || connect(&trusting_pebble, served.addr, "localhost").await.is_ok())
            .await;
    let log = served.log();
    assert!(issued, "a certificate chaining to pebble's root within 25 s; log: {log}");
    eprintln!("first certificate from pebble after {:?}", started.elapsed());
    let (status, head, body) = request(&trusting_pebble, served.addr, "localhost", "GET", "/healthz", None).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert!(head.contains("strict-transport-security:"), "{head}");
    assert!(
        served._data.path().join("acme").read_dir().unwrap().next().is_some(),
        "the cache keeps the account and certificate"
    );
}
