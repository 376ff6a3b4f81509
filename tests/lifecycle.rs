//! The exercise lifecycle on a real server: Run again hands the join code and the
//! projector link to a fresh exercise and leaves the old log byte for byte; Delete is
//! the admin's only and leaves nothing behind (list, API, disk, restart); Archive files
//! an ended exercise away across restarts; the offline CLI does the same on a stopped
//! server's data dir and refuses a running one.

mod common;

use std::path::Path;
use std::process::Command;

use common::{ADMIN, Exercise, TestServer};
use serde_json::{Value, json};

/// Every stored row of one exercise, as text, straight from the database.
fn rows(data_dir: &Path, exercise: &str) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(data_dir.join("tabletop.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT seq || '|' || wall_ms || '|' || kind || '|' || version || '|' || payload FROM events
             WHERE exercise_id = ?1 ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([exercise], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn count(data_dir: &Path, sql: &str, arg: &str) -> i64 {
    let conn = rusqlite::Connection::open(data_dir.join("tabletop.db")).unwrap();
    conn.query_row(sql, [arg], |r| r.get(0)).unwrap()
}

async fn post(server: &TestServer, path: &str, token: &str) -> reqwest::Response {
    server.http().post(format!("{}{path}", server.base)).bearer_auth(token).send().await.unwrap()
}

async fn list(server: &TestServer, query: &str) -> Vec<Value> {
    let res =
        server.http().get(format!("{}/api/exercises{query}", server.base)).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Vec<Value>>().await.unwrap()
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter().map(|e| e["exercise_id"].as_str().unwrap().to_owned()).collect()
}

async fn end(server: &TestServer, ex: &Exercise) {
    let (mut f, _) = server.facilitate(ex).await;
    f.send(json!({"type": "start"})).await;
    f.send(json!({"type": "end"})).await;
    loop {
        if f.recv_type("clock").await["state"] == "ended" {
            break;
        }
    }
}

async fn project(server: &TestServer, code: &str) -> Value {
    let mut screen = server.client().await;
    screen.send(json!({"type": "project", "join_code": code})).await;
    screen.recv_type("welcome").await
}

#[tokio::test]
async fn run_again_takes_over_the_join_code_and_the_projector_and_leaves_the_old_log_as_it_was() {
    let server = TestServer::start().await;
    let old = server.create("quick-demo").await;
    let (_ana, _) = server.join(&old, "Ana").await;
    end(&server, &old).await;
    let before = rows(server.data_dir.path(), &old.id);
    let old_timeline = server.timeline(&old).await;

    // A facilitator key is enough; a stranger is not.
    assert_eq!(post(&server, &format!("/api/exercises/{}/run-again", old.id), "nope").await.status(), 401);
    let res = post(&server, &format!("/api/exercises/{}/run-again", old.id), &old.key).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let new = Exercise {
        id: body["exercise_id"].as_str().unwrap().to_owned(),
        join_code: body["join_code"].as_str().unwrap().to_owned(),
        key: body["facilitator_key"].as_str().unwrap().to_owned(),
    };
    assert_ne!(new.id, old.id);
    assert_eq!(new.join_code, old.join_code, "the same join code");

    // The old code (and its projector link) lead to the new exercise.
    let (_ben, welcome) = server.join(&old, "Ben").await;
    assert_eq!(welcome["exercise_id"], new.id.as_str(), "a participant with the old code lands in the re-run");
    assert_eq!(project(&server, &old.join_code).await["exercise_id"], new.id.as_str());
    let (_, console) = server.facilitate(&new).await;
    assert_eq!(console["clock"]["state"], "lobby", "a fresh exercise");

    // The old one: untouched, still readable.
    assert_eq!(rows(server.data_dir.path(), &old.id), before, "the old log is byte for byte as it was");
    assert_eq!(server.timeline(&old).await, old_timeline);
    let listed = list(&server, "").await;
    assert_eq!(ids(&listed)[..2], [new.id.as_str(), old.id.as_str()], "newest first");
    assert_eq!(listed[1]["run_again_as"], new.id.as_str());
    assert_eq!(listed[0]["run_again_from"], old.id.as_str());
    let again = post(&server, &format!("/api/exercises/{}/run-again", old.id), ADMIN).await;
    assert_eq!(again.status(), 409, "run the re-run again, not the old one twice");

    // After a restart the code still leads to the re-run (whatever order logs replay in).
    let data = server.stop().await;
    let server = TestServer::start_in(data, |_| {}).await;
    let (_cleo, welcome) = server.join(&old, "Cleo").await;
    assert_eq!(welcome["exercise_id"], new.id.as_str());
    assert_eq!(project(&server, &old.join_code).await["exercise_id"], new.id.as_str());
    assert_eq!(rows(server.data_dir.path(), &old.id), before);

    // Deleting the re-run gives the code back to the exercise it was run from.
    let res = server
        .http()
        .delete(format!("{}/api/exercises/{}", server.base, new.id))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(project(&server, &old.join_code).await["exercise_id"], old.id.as_str());
}

#[tokio::test]
async fn delete_is_the_admins_only_and_leaves_nothing_behind() {
    let server = TestServer::start_with(|o| {
        o.scenarios_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attachments")
    })
    .await;
    let gone = server.create("pics").await;
    let kept = server.create("pics").await;
    let (mut facilitator, _) = server.facilitate(&gone).await;
    let files = |dir: &Path| count(dir, "SELECT count(*) FROM files WHERE ?1 = ?1", "");
    assert!(files(server.data_dir.path()) > 0, "the scenario has files");
    let delete = |token: Option<&str>| {
        let req = server.http().delete(format!("{}/api/exercises/{}", server.base, gone.id));
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        async move { req.send().await.unwrap() }
    };
    assert_eq!(delete(None).await.status(), 401);
    assert_eq!(delete(Some("not-a-key")).await.status(), 401);
    let forbidden = delete(Some(&gone.key)).await;
    assert_eq!(forbidden.status(), 403);
    assert_eq!(forbidden.json::<Value>().await.unwrap()["error"]["code"], "forbidden");
    assert_eq!(delete(Some(ADMIN)).await.status(), 204);
    assert_eq!(delete(Some(ADMIN)).await.status(), 404, "gone already");

    // The open console is closed; the API knows it no more.
    assert_ne!(facilitator.closed().await, 1000);
    assert!(!ids(&list(&server, "?status=all").await).contains(&gone.id));
    for path in ["timeline", "export?format=json"] {
        let res = server
            .http()
            .get(format!("{}/api/exercises/{}/{path}", server.base, gone.id))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let mut c = server.client().await;
    c.send(json!({"type": "facilitate", "exercise_id": gone.id, "facilitator_key": gone.key})).await;
    assert_eq!(c.recv_type("error").await["code"], "unknown_exercise");
    let res = server.http().get(format!("{}/api/join/{}", server.base, gone.join_code)).send().await.unwrap();
    assert_eq!(res.status(), 404);

    // On disk: no row of it; the files stay while the other exercise names them.
    let dir = server.data_dir.path();
    assert_eq!(count(dir, "SELECT count(*) FROM events WHERE exercise_id = ?1", &gone.id), 0);
    assert_eq!(count(dir, "SELECT count(*) FROM exercise_meta WHERE exercise_id = ?1", &gone.id), 0);
    assert!(files(dir) > 0, "the other exercise still names the files");
    assert_eq!(server.timeline(&kept).await["entries"].as_array().unwrap().len(), 1);

    let data = server.stop().await;
    let server = TestServer::start_in(data, |o| {
        o.scenarios_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attachments")
    })
    .await;
    assert_eq!(ids(&list(&server, "?status=all").await), [kept.id.as_str()], "a restart does not bring it back");
    let res = server
        .http()
        .delete(format!("{}/api/exercises/{}", server.base, kept.id))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(files(server.data_dir.path()), 0, "the last exercise naming the files took them");
}

#[tokio::test]
async fn archive_files_an_ended_exercise_away_across_restarts_and_search_finds_by_code_and_title() {
    let server = TestServer::start().await;
    let a = server.create("quick-demo").await;
    let b = server.create("escalation").await;
    let archive = |ex: &Exercise, key: &str, what: &str| {
        let path = format!("/api/exercises/{}/{what}", ex.id);
        let key = key.to_owned();
        let server = &server;
        async move { post(server, &path, &key).await }
    };
    let live = archive(&a, &a.key, "archive").await;
    assert_eq!(live.status(), 409, "a live exercise is ended before it is archived");
    assert_eq!(live.json::<Value>().await.unwrap()["error"]["code"], "conflict");
    end(&server, &a).await;
    assert_eq!(archive(&a, &b.key, "archive").await.status(), 401, "another exercise's key");
    assert_eq!(archive(&a, &a.key, "archive").await.status(), 200);

    assert_eq!(ids(&list(&server, "").await), [b.id.as_str()]);
    assert_eq!(ids(&list(&server, "?status=archived").await), [a.id.as_str()]);
    assert_eq!(ids(&list(&server, "?status=all").await), [b.id.as_str(), a.id.as_str()]);
    assert_eq!(ids(&list(&server, "?status=live").await), [b.id.as_str()]);
    let code = format!("{}-{}", &b.join_code[..4], &b.join_code[4..]).to_lowercase();
    assert_eq!(ids(&list(&server, &format!("?status=all&q={code}")).await), [b.id.as_str()], "by join code");
    assert_eq!(ids(&list(&server, "?status=all&q=QUICK").await), [a.id.as_str()], "by scenario");
    let bad = server
        .http()
        .get(format!("{}/api/exercises?status=gone", server.base))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    // Still readable.
    assert_eq!(server.timeline(&a).await["exercise_id"], a.id.as_str());

    let data = server.stop().await;
    let server = TestServer::start_in(data, |_| {}).await;
    assert_eq!(ids(&list(&server, "").await), [b.id.as_str()], "still archived after a restart");
    let listed = list(&server, "?status=archived").await;
    assert!(listed[0]["archived_wall_ms"].as_u64().is_some());
    assert_eq!(post(&server, &format!("/api/exercises/{}/unarchive", a.id), ADMIN).await.status(), 200);
    assert_eq!(ids(&list(&server, "").await), [b.id.as_str(), a.id.as_str()]);
}

fn cli(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .arg("exercises")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_cli_lists_archives_and_deletes_on_a_stopped_data_dir_and_refuses_a_running_one() {
    let server = TestServer::start().await;
    let a = server.create("quick-demo").await;
    let b = server.create("escalation").await;
    end(&server, &a).await;
    let (ok, _, err) = cli(server.data_dir.path(), &["list"]);
    assert!(!ok && err.contains("a tabletop server is running"), "{err}");

    let data = server.stop().await;
    let dir = data.path();
    let (ok, out, _) = cli(dir, &["list"]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&b.id) && lines[1].starts_with(&a.id), "newest first: {out}");
    assert!(lines[1].contains("ended") && lines[1].contains(&a.join_code), "{out}");

    let (ok, _, err) = cli(dir, &["archive", &b.id]);
    assert!(!ok && err.contains("has not ended"), "{err}");
    assert!(cli(dir, &["archive", &a.id]).0);
    let (_, out, _) = cli(dir, &["list"]);
    assert!(out.starts_with(&b.id) && !out.contains(&a.id), "{out}");
    let (_, out, _) = cli(dir, &["list", "--status", "archived"]);
    assert!(out.starts_with(&a.id) && out.contains("archived"), "{out}");

    let (ok, _, err) = cli(dir, &["delete", "not-an-id", "--yes"]);
    assert!(!ok && err.contains("not an exercise id"), "{err}");
    let (ok, out, err) = cli(dir, &["delete", &b.id, "--yes"]);
    assert!(ok, "{err}");
    assert!(out.contains("deleted"));
    assert_eq!(count(dir, "SELECT count(*) FROM events WHERE exercise_id = ?1", &b.id), 0);
    let (_, out, _) = cli(dir, &["list", "--status", "all"]);
    assert_eq!(out.lines().count(), 1, "{out}");

    // The server sees what the CLI did.
    let server = TestServer::start_in(data, |_| {}).await;
    assert_eq!(ids(&list(&server, "?status=archived").await), [a.id.as_str()]);
    assert_eq!(ids(&list(&server, "?status=all").await), [a.id.as_str()]);
}
