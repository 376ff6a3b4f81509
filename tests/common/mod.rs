//! Test harness: a real tabletop server on 127.0.0.1:0 with a temporary data dir, and
//! a websocket client speaking the JSON protocol.
#![allow(dead_code)]

pub mod binary;
pub mod postgres;

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tabletop::{Server, ServerOptions};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for an expected message.
pub const WAIT: Duration = Duration::from_secs(10);
/// The admin token test servers use.
pub const ADMIN: &str = "test-admin-token";

/// The scenarios tests run on: frozen copies under tests/fixtures/scenarios, so a
/// change to a shipped scenario does not change what the tests mean.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios")
}

/// A server running in this process.
pub struct TestServer {
    pub base: String,
    pub ws_url: String,
    pub data_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut ServerOptions)) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        Self::start_in(data_dir, configure).await
    }

    /// Starts on an existing data dir (to test restarts in-process).
    pub async fn start_in(data_dir: tempfile::TempDir, configure: impl FnOnce(&mut ServerOptions)) -> Self {
        let mut options = ServerOptions::new(data_dir.path(), scenarios_dir());
        options.admin_token = Some(ADMIN.into());
        // Tests ping for sync points between their steps; the rate limit itself is
        // tested with its own settings (bad_input.rs).
        options.limits.messages_per_second = 1_000.0;
        options.limits.message_burst = 1_000.0;
        configure(&mut options);
        let server = Server::new(options).await.expect("server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.listen(listener, async {
            let _ = stopped.await;
        }));
        TestServer {
            base: format!("http://{addr}"),
            ws_url: format!("ws://{addr}/ws"),
            data_dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Graceful stop; returns the data dir for a restart.
    pub async fn stop(mut self) -> tempfile::TempDir {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.data_dir, dir)
    }

    pub fn http(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    /// Creates an exercise through the API.
    pub async fn create(&self, scenario: &str) -> Exercise {
        create_exercise(&self.base, scenario).await
    }

    pub async fn client(&self) -> Client {
        Client::connect(&self.ws_url).await
    }

    /// A new participant; returns the client and its welcome.
    pub async fn join(&self, ex: &Exercise, name: &str) -> (Client, Value) {
        let mut c = self.client().await;
        c.send(json!({ "type": "join", "join_code": ex.join_code, "name": name })).await;
        let welcome = c.recv_type("welcome").await;
        (c, welcome)
    }

    /// The facilitator's console socket; returns the client and its welcome.
    pub async fn facilitate(&self, ex: &Exercise) -> (Client, Value) {
        let mut c = self.client().await;
        c.send(json!({ "type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key })).await;
        let welcome = c.recv_type("welcome").await;
        (c, welcome)
    }

    pub async fn timeline(&self, ex: &Exercise) -> Value {
        timeline(&self.base, ex).await
    }
}

/// `POST /api/exercises` on the server at `base` with the test admin token.
pub async fn create_exercise(base: &str, scenario: &str) -> Exercise {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/exercises"))
        .bearer_auth(ADMIN)
        .json(&json!({ "scenario_id": scenario }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "create exercise");
    let body: Value = res.json().await.unwrap();
    Exercise {
        id: body["exercise_id"].as_str().unwrap().to_owned(),
        join_code: body["join_code"].as_str().unwrap().to_owned(),
        key: body["facilitator_key"].as_str().unwrap().to_owned(),
    }
}

/// Every answer acked (text, seq) is stored once with that seq among a timeline's
/// `entries`, and no answer is stored twice (the crash and failover loops).
pub fn assert_acked_once(entries: &[Value], acked: &[(String, u64)]) {
    let mut stored: std::collections::HashMap<&str, Vec<u64>> = std::collections::HashMap::new();
    for e in entries.iter().filter(|e| e["kind"] == "response_submitted") {
        stored.entry(e["text"].as_str().unwrap()).or_default().push(e["seq"].as_u64().unwrap());
    }
    for (text, seqs) in &stored {
        assert_eq!(seqs.len(), 1, "answer {text:?} stored {} times", seqs.len());
    }
    for (text, seq) in acked {
        assert_eq!(stored.get(text.as_str()), Some(&vec![*seq]), "acked answer {text:?} (seq {seq}) is stored once");
    }
}

/// `GET /api/exercises/{id}/timeline` with the exercise's facilitator key.
pub async fn timeline(base: &str, ex: &Exercise) -> Value {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/exercises/{}/timeline", ex.id))
        .bearer_auth(&ex.key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An exercise's public ids and key.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub id: String,
    pub join_code: String,
    pub key: String,
}

/// A websocket client of the JSON protocol.
pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every JSON message received so far, in order (for isolation checks); the pushes
    /// of a `batch` frame are logged one by one.
    pub log: Vec<Value>,
    /// `batch` frames received so far.
    pub batches: usize,
    /// Pushes of a `batch` frame not yet returned by `recv`.
    pending: std::collections::VecDeque<Value>,
    /// Pings sent (for unique ids).
    syncs: u32,
}

impl Client {
    pub async fn connect(url: &str) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        Client { ws, log: Vec::new(), batches: 0, pending: Default::default(), syncs: 0 }
    }

    /// Connects as a browser at `origin` would (with that `Origin` header); the upgrade's
    /// HTTP status when it is refused.
    pub async fn connect_from(url: &str, origin: &str) -> Result<Self, u16> {
        use tokio_tungstenite::tungstenite::{Error, client::IntoClientRequest};
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("origin", origin.parse().unwrap());
        match tokio_tungstenite::connect_async(request).await {
            Ok((ws, _)) => Ok(Client { ws, log: Vec::new(), batches: 0, pending: Default::default(), syncs: 0 }),
            Err(Error::Http(response)) => Err(response.status().as_u16()),
            Err(e) => panic!("websocket to {url}: {e}"),
        }
    }

    pub async fn send(&mut self, v: Value) {
        self.send_text(&v.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    /// Logs a text frame and queues its messages (a `batch` frame's pushes, in order).
    fn take(&mut self, text: &str) {
        let v: Value = serde_json::from_str(text).unwrap();
        let messages = if v["type"] == "batch" {
            self.batches += 1;
            let pushes = v["pushes"].as_array().expect("a batch has pushes").clone();
            assert!(pushes.len() >= 2, "a batch merges at least two pushes: {v}");
            assert!(pushes.iter().all(|p| p["type"] != "batch" && p["seq"].is_u64()), "batch of pushes: {v}");
            pushes
        } else {
            vec![v]
        };
        self.log.extend(messages.iter().cloned());
        self.pending.extend(messages);
    }

    /// The next JSON message (panics on close or after [`WAIT`]).
    pub async fn recv(&mut self) -> Value {
        loop {
            if let Some(v) = self.pending.pop_front() {
                return v;
            }
            let msg = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a message within the wait")
                .expect("socket open")
                .expect("no socket error");
            match msg {
                Message::Text(t) => self.take(&t),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected frame: {other:?}"),
            }
        }
    }

    /// The next message of this type, skipping others.
    pub async fn recv_type(&mut self, ty: &str) -> Value {
        loop {
            let v = self.recv().await;
            if v["type"] == ty {
                return v;
            }
            assert!(!(v["type"] == "error" && ty != "error"), "got an error while waiting for {ty}: {v}");
        }
    }

    /// What this socket got for its message `id` (pushes skipped): the `ack` or `error`.
    pub async fn reply_to(&mut self, id: &str) -> Value {
        loop {
            let v = self.recv().await;
            if (v["type"] == "ack" || v["type"] == "error") && v["client_msg_id"] == id {
                return v;
            }
        }
    }

    /// Sends `msg` with the client id `id`; its `ack` or `error` (pushes skipped).
    pub async fn ask(&mut self, mut msg: Value, id: &str) -> Value {
        msg["client_msg_id"] = id.into();
        self.send(msg).await;
        self.reply_to(id).await
    }

    /// Every message sent to this socket so far, proven complete: sends a `ping` and
    /// returns what arrives before its `ack`. The server acks only after every push up
    /// to the ack's `seq` has been sent to this socket, so what is not in the result was
    /// not sent (a check that something did *not* arrive cannot pass because the server
    /// was slow). The socket must be identified.
    pub async fn sync(&mut self) -> Vec<Value> {
        self.syncs += 1;
        let id = format!("sync-{}", self.syncs);
        self.send(json!({"type": "ping", "client_msg_id": id})).await;
        let mut before = Vec::new();
        loop {
            let v = self.recv().await;
            if v["type"] == "ack" && v["client_msg_id"] == id.as_str() {
                return before;
            }
            assert!(!(v["type"] == "error" && v["client_msg_id"] == id.as_str()), "the ping was refused: {v}");
            before.push(v);
        }
    }

    /// Messages until `dur` passes with none; returns what arrived. Only for sockets that
    /// cannot `sync` (not identified); prefer [`Client::sync`].
    pub async fn drain(&mut self, dur: Duration) -> Vec<Value> {
        while let Ok(Some(Ok(msg))) = tokio::time::timeout(dur, self.ws.next()).await {
            if let Message::Text(t) = msg {
                self.take(&t);
            }
        }
        self.pending.drain(..).collect()
    }

    /// Waits for the server to close; returns the close code.
    pub async fn closed(&mut self) -> u16 {
        loop {
            match tokio::time::timeout(WAIT, self.ws.next()).await.expect("closed within the wait") {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)).unwrap_or(1005),
                Some(Ok(Message::Text(t))) => self.take(&t),
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("socket error instead of a close frame: {e}"),
                None => panic!("stream ended without a close frame"),
            }
        }
    }
}

/// A participant answers every statement of a profile (`statements`: their ids in
/// order): `answer(j)` is the score of the `j`-th, or none for "don't know"; waits for
/// the server's ack.
pub async fn rate_profile(c: &mut Client, statements: &[String], answer: impl Fn(usize) -> Option<u8>) {
    let mut scores = std::collections::BTreeMap::new();
    let mut dont_know = Vec::new();
    for (j, id) in statements.iter().enumerate() {
        match answer(j) {
            Some(score) => {
                scores.insert(id.clone(), score);
            }
            None => dont_know.push(id.clone()),
        }
    }
    c.send(json!({"type": "self_assess", "scores": scores, "dont_know": dont_know, "client_msg_id": "sa"})).await;
    assert_eq!(c.recv_type("ack").await["client_msg_id"], "sa");
}
