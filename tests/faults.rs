//! Store faults: the event log stops taking writes (a test double that fails on demand,
//! and SQLite's own `SQLITE_FULL` through a page cap on the writer). Answers are refused
//! with `storage_unavailable` and not acked, nothing is half-applied (the state reloaded
//! from the store is the state before), the control room is told (`storage` push), the
//! server and other exercises go on, and once the store works the same answer re-sent is
//! stored and acked exactly once.

mod common;

use std::sync::{Arc, Mutex};

use common::{ADMIN, Client, Exercise, create_exercise, scenarios_dir, timeline};
use serde_json::{Value, json};
use tabletop::store::faulty::Faulty;
use tabletop::store::{SharedLog, Store};
use tabletop::{Server, ServerOptions};
use tokio::sync::oneshot;

/// A server in this process whose actors append through a [`Faulty`] log.
struct FaultyServer {
    base: String,
    ws: String,
    faulty: Arc<Faulty>,
    store: Store,
    _stop: oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

impl FaultyServer {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut options = ServerOptions::new(dir.path(), scenarios_dir());
        options.admin_token = Some(ADMIN.into());
        options.limits.messages_per_second = 1_000.0;
        options.limits.message_burst = 1_000.0;
        let made = Arc::new(Mutex::new(None));
        let keep = made.clone();
        let server = Server::new_with_log(options, move |log: SharedLog| {
            let faulty = Arc::new(Faulty::new(log));
            *keep.lock().unwrap() = Some(faulty.clone());
            faulty
        })
        .await
        .expect("server starts");
        let faulty = made.lock().unwrap().take().expect("the log was wrapped");
        let tabletop::store::Backend::Sqlite(store) = server.app().store.clone() else { unreachable!("SQLite") };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.listen(listener, async {
            let _ = stopped.await;
        }));
        FaultyServer {
            base: format!("http://{addr}"),
            ws: format!("ws://{addr}/ws"),
            faulty,
            store,
            _stop: stop,
            _dir: dir,
        }
    }

    async fn facilitate(&self, ex: &Exercise) -> (Client, Value) {
        let mut c = Client::connect(&self.ws).await;
        c.send(json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})).await;
        let w = c.recv_type("welcome").await;
        (c, w)
    }

    async fn join(&self, ex: &Exercise, name: &str) -> (Client, Value) {
        let mut c = Client::connect(&self.ws).await;
        c.send(json!({"type": "join", "join_code": ex.join_code, "name": name})).await;
        let w = c.recv_type("welcome").await;
        (c, w)
    }

    async fn entries(&self, ex: &Exercise) -> Vec<Value> {
        timeline(&self.base, ex).await["entries"].as_array().unwrap().clone()
    }

    async fn healthz(&self) -> u16 {
        reqwest::get(format!("{}/healthz", self.base)).await.unwrap().status().as_u16()
    }

    /// A started exercise with its console and one participant who has the first inject.
    async fn running(&self) -> (Exercise, Client, Client) {
        let ex = create_exercise(&self.base, "quick-demo").await;
        let (mut f, _) = self.facilitate(&ex).await;
        let (mut p, _) = self.join(&ex, "Awa").await;
        f.send(json!({"type": "start"})).await;
        assert_eq!(p.recv_type("inject").await["inject_id"], "first-alert");
        f.sync().await;
        (ex, f, p)
    }
}

fn answer(id: &str, text: &str) -> Value {
    json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": id})
}

/// The next `storage` push on a control-room socket (it has no `seq`: it may come just
/// after a sync's ack, never later than the next event's push).
async fn storage_push(f: &mut Client) -> bool {
    f.recv_type("storage").await["ok"].as_bool().unwrap()
}

/// Every `storage` push a socket got, proven complete: an event of the facilitator's,
/// whose ack comes after every push up to its seq.
async fn storage_pushes(f: &mut Client) -> Vec<bool> {
    f.send(json!({"type": "announce", "text": "checkpoint", "client_msg_id": "checkpoint"})).await;
    assert_eq!(f.reply_to("checkpoint").await["type"], "ack");
    f.log.iter().filter(|v| v["type"] == "storage").map(|v| v["ok"].as_bool().unwrap()).collect()
}

fn answers<'a>(entries: &'a [Value], text: &str) -> Vec<&'a Value> {
    entries.iter().filter(|e| e["kind"] == "response_submitted" && e["text"] == text).collect()
}

#[tokio::test]
async fn a_failing_store_refuses_answers_unacked_keeps_state_and_recovers_exactly_once() {
    let server = FaultyServer::start().await;
    let (a, mut fa, mut pa) = server.running().await;
    let (b, _fb, mut pb) = server.running().await;
    let before = server.entries(&a).await;
    let (_, welcome_before) = server.facilitate(&a).await;

    server.faulty.only(Some(a.id.parse().unwrap()));
    server.faulty.set_failing(true);
    pa.send(answer("x-1", "held back")).await;
    let refused = pa.reply_to("x-1").await;
    assert_eq!(refused["type"], "error", "not acked: {refused}");
    assert_eq!(refused["code"], "storage_unavailable");
    assert!(server.faulty.refused() >= 1);
    assert!(!storage_push(&mut fa).await, "the console is told answers are not saved");

    // Nothing half-applied: the log and a fresh snapshot are as before.
    assert_eq!(server.entries(&a).await, before);
    let (_, welcome_during) = server.facilitate(&a).await;
    assert_eq!(welcome_during["last_seq"], welcome_before["last_seq"]);
    assert_eq!(welcome_during["responses"], welcome_before["responses"]);
    // The server and the other exercise go on. (The double fails above the store:
    // `/healthz` reads the store's own commits, see the SQLITE_FULL test.)
    assert_eq!(server.healthz().await, 200);
    pb.send(answer("y-1", "other room")).await;
    assert_eq!(pb.reply_to("y-1").await["type"], "ack");
    assert_eq!(answers(&server.entries(&b).await, "other room").len(), 1);
    // Still failing: refused again, told again.
    pa.send(answer("x-1", "held back")).await;
    assert_eq!(pa.reply_to("x-1").await["code"], "storage_unavailable");
    assert!(!storage_push(&mut fa).await);

    // The store works again: the same answer, re-sent, is stored and acked once.
    server.faulty.set_failing(false);
    pa.send(answer("x-1", "held back")).await;
    let ack = pa.reply_to("x-1").await;
    assert_eq!(ack["type"], "ack", "{ack}");
    assert!(storage_push(&mut fa).await, "the banner clears");
    pa.send(answer("x-1", "held back")).await;
    let again = pa.reply_to("x-1").await;
    assert_eq!(again["seq"], ack["seq"], "a re-send is acked with the stored answer's seq");
    let stored = server.entries(&a).await;
    assert_eq!(answers(&stored, "held back").len(), 1, "stored exactly once");
    assert_eq!(stored.len(), before.len() + 1);
    assert_eq!(storage_pushes(&mut fa).await, [false, false, true], "told at each failure, once when fixed");
}

#[tokio::test]
async fn a_failing_store_refuses_joins_and_commands_until_it_works() {
    let server = FaultyServer::start().await;
    let ex = create_exercise(&server.base, "quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    server.faulty.set_failing(true);
    let mut c = Client::connect(&server.ws).await;
    c.send(json!({"type": "join", "join_code": ex.join_code, "name": "Lamin"})).await;
    assert_eq!(c.recv_type("error").await["code"], "storage_unavailable");
    f.send(json!({"type": "start", "client_msg_id": "go"})).await;
    assert_eq!(f.reply_to("go").await["code"], "storage_unavailable");
    assert_eq!(server.entries(&ex).await.len(), 1, "only the creation is stored");

    server.faulty.set_failing(false);
    f.send(json!({"type": "start", "client_msg_id": "go2"})).await;
    assert_eq!(f.reply_to("go2").await["type"], "ack");
    f.sync().await;
    assert!(f.log.iter().any(|v| v["type"] == "inject" && v["inject_id"] == "first-alert"));
    let (_, w) = server.join(&ex, "Lamin").await;
    assert_eq!(w["type"], "welcome");
}

#[tokio::test]
async fn sqlite_full_refuses_answers_and_they_are_stored_once_the_disk_has_room() {
    let server = FaultyServer::start().await;
    let (ex, mut f, mut p) = server.running().await;
    let before = server.entries(&ex).await;
    // An answer bigger than a page needs new (overflow) pages: with the database capped
    // at the pages it has, its commit fails with SQLITE_FULL.
    let big = format!("{}end", "disk full? ".repeat(400));
    server.store.limit_pages(Some(1));
    p.send(answer("big", &big)).await;
    let refused = p.reply_to("big").await;
    assert_eq!(refused["code"], "storage_unavailable", "{refused}");
    assert!(!storage_push(&mut f).await);
    assert_eq!(server.entries(&ex).await, before);
    assert_eq!(server.healthz().await, 503, "up, and saying its store fails (a load balancer can tell)");
    assert_eq!(server.faulty.refused(), 0, "SQLite refused it, not the test double");

    server.store.limit_pages(None);
    p.send(answer("big", &big)).await;
    assert_eq!(p.reply_to("big").await["type"], "ack");
    assert!(storage_push(&mut f).await);
    assert_eq!(answers(&server.entries(&ex).await, &big).len(), 1);
    assert_eq!(server.healthz().await, 200);
}
