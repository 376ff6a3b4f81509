//! A server on PostgreSQL (`--store postgres://…`, issue 17) does what it does on
//! SQLite: answers survive a restart, run again hands the join code over (and back on a
//! delete), archive survives a restart, attachments are served from the store. One
//! instance here; several are tests/failover.rs. Each test has its own throwaway cluster
//! (tests/common/postgres.rs); a graceful stop gives the leases up, so the restarted
//! server claims the exercises at once.

mod common;

use common::postgres::Cluster;
use common::{ADMIN, Exercise, TestServer};
use serde_json::{Value, json};
use tabletop::config::StoreUrl;

async fn on(cluster: &Cluster) -> TestServer {
    let url = cluster.url.clone();
    TestServer::start_with(move |o| o.store = Some(StoreUrl(url))).await
}

async fn post(server: &TestServer, path: &str) -> reqwest::Response {
    server.http().post(format!("{}{path}", server.base)).bearer_auth(ADMIN).send().await.unwrap()
}

async fn listed(server: &TestServer, query: &str) -> Vec<String> {
    let res =
        server.http().get(format!("{}/api/exercises{query}", server.base)).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().await.unwrap();
    list.iter().map(|e| e["exercise_id"].as_str().unwrap().to_owned()).collect()
}

async fn end(server: &TestServer, ex: &Exercise) {
    let (mut f, _) = server.facilitate(ex).await;
    f.send(json!({"type": "start"})).await;
    f.send(json!({"type": "end"})).await;
    while f.recv_type("clock").await["state"] != "ended" {}
}

fn answers(timeline: &Value) -> Vec<String> {
    let entries = timeline["entries"].as_array().unwrap();
    entries.iter().filter(|e| e["kind"] == "response_submitted").map(|e| e["text"].as_str().unwrap().into()).collect()
}

#[tokio::test]
async fn answers_survive_a_restart_and_run_again_hands_the_code_over_and_back() {
    let cluster = Cluster::start();
    let server = on(&cluster).await;
    let old = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&old).await;
    f.send(json!({"type": "start"})).await;
    f.recv_type("inject").await;
    let (mut ana, _) = server.join(&old, "Ana").await;
    let msg = json!({"type": "respond", "inject_id": "first-alert", "text": "isolate the API gateway"});
    assert_eq!(ana.ask(msg, "a1").await["type"], "ack");
    f.send(json!({"type": "end"})).await;
    f.sync().await;

    // Restarted on the same database (a fresh data dir: nothing is kept there).
    server.stop().await;
    let server = on(&cluster).await;
    assert_eq!(answers(&server.timeline(&old).await), ["isolate the API gateway"]);
    let res = post(&server, &format!("/api/exercises/{}/run-again", old.id)).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["join_code"], old.join_code.as_str(), "the re-run has the same code");
    let new_id = body["exercise_id"].as_str().unwrap().to_owned();
    let (_, welcome) = server.join(&old, "Ben").await;
    assert_eq!(welcome["exercise_id"], new_id.as_str(), "the code leads to the re-run");

    server.stop().await;
    let server = on(&cluster).await;
    let (_, welcome) = server.join(&old, "Cleo").await;
    assert_eq!(welcome["exercise_id"], new_id.as_str(), "still, after a restart");
    let res = server.http().delete(format!("{}/api/exercises/{new_id}", server.base)).bearer_auth(ADMIN).send().await;
    assert_eq!(res.unwrap().status(), 204);
    // The old exercise has ended (no one joins it): its projector shows which it is.
    let mut screen = server.client().await;
    screen.send(json!({"type": "project", "join_code": old.join_code})).await;
    let welcome = screen.recv_type("welcome").await;
    assert_eq!(welcome["exercise_id"], old.id.as_str(), "deleting the re-run gives the code back");
    assert!(!listed(&server, "?status=all").await.contains(&new_id));
}

#[tokio::test]
async fn archive_survives_a_restart_and_two_creations_never_share_a_code() {
    let cluster = Cluster::start();
    let server = on(&cluster).await;
    let a = server.create("quick-demo").await;
    let b = server.create("escalation").await;
    assert_ne!(a.join_code, b.join_code);
    end(&server, &a).await;
    assert_eq!(post(&server, &format!("/api/exercises/{}/archive", a.id)).await.status(), 200);
    assert_eq!(listed(&server, "").await, [b.id.as_str()]);

    server.stop().await;
    let server = on(&cluster).await;
    assert_eq!(listed(&server, "").await, [b.id.as_str()], "still archived after a restart");
    assert_eq!(listed(&server, "?status=archived").await, [a.id.as_str()]);
    assert_eq!(post(&server, &format!("/api/exercises/{}/unarchive", a.id)).await.status(), 200);
    assert_eq!(listed(&server, "").await, [b.id.as_str(), a.id.as_str()]);
}

/// The startup exercise is opened once per store: the first instance on an empty store
/// opens one; another instance joining it opens none of its own.
#[tokio::test]
async fn only_the_first_instance_on_an_empty_store_opens_the_startup_exercise() {
    let cluster = Cluster::start();
    let options = |dir: &std::path::Path| {
        let mut o = tabletop::ServerOptions::new(dir, common::scenarios_dir());
        o.admin_token = Some(ADMIN.into());
        o.store = Some(StoreUrl(cluster.url.clone()));
        o.open_scenario = Some("quick-demo".into());
        o
    };
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = tabletop::Server::new(options(one.path())).await.unwrap();
    let opened = first.open_at_startup().await.unwrap();
    assert_eq!(opened.len(), 1, "an empty store: the first instance opens one");
    let mut second = tabletop::Server::new(options(two.path())).await.unwrap();
    assert!(second.exercises.is_empty(), "the first instance's exercise stays with it");
    assert!(second.open_at_startup().await.unwrap().is_empty(), "no second startup exercise");
}

/// PostgreSQL going away is a failing store, as a full disk is for SQLite: an answer
/// is refused (`storage_unavailable`, not acked, nothing stored), the console is told,
/// `/healthz` answers 503; once the database is back, the same answer sent again is
/// stored once and everything clears.
#[tokio::test]
async fn the_database_going_away_is_a_failing_store_and_loses_nothing() {
    let cluster = Cluster::start();
    let server = on(&cluster).await;
    let ex = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    f.send(json!({"type": "start"})).await;
    f.recv_type("inject").await;
    let (mut ana, _) = server.join(&ex, "Ana").await;
    let answer = |text: &str| json!({"type": "respond", "inject_id": "first-alert", "text": text});
    assert_eq!(ana.ask(answer("before"), "a1").await["type"], "ack");
    let healthz = || async { reqwest::get(format!("{}/healthz", server.base)).await.unwrap().status().as_u16() };

    assert_eq!(healthz().await, 200, "before");
    cluster.halt();
    assert_eq!(ana.ask(answer("during"), "a2").await["code"], "storage_unavailable");
    assert!(!f.recv_type("storage").await["ok"].as_bool().unwrap(), "the console is told");
    assert_eq!(healthz().await, 503);

    cluster.resume();
    let since = std::time::Instant::now();
    let acked = loop {
        let reply = ana.ask(answer("during"), "a2").await;
        if reply["type"] == "ack" {
            break reply;
        }
        assert_eq!(reply["code"], "storage_unavailable", "{reply}");
        assert!(since.elapsed() < std::time::Duration::from_secs(15), "commits succeed again");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(acked["seq"].as_u64().is_some());
    assert_eq!(healthz().await, 200);
    assert_eq!(answers(&server.timeline(&ex).await), ["before", "during"], "each once");
}
