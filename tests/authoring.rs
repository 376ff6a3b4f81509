//! The authoring loop without a restart: an edited scenario file is offered again within
//! a couple of seconds (the folder is watched) or at once on `POST /api/scenarios/reload`,
//! while an exercise created before keeps its snapshot; uploads are checked (422 with
//! `FILE:LINE:COL` problems, nothing saved), previewed, and saved with `save=true`; and
//! `tabletop validate` prints lint warnings after the errors (`--deny-warnings` fails).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{ADMIN, TestServer};
use reqwest::StatusCode;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    common::scenarios_dir().join(name)
}

/// A scenarios folder holding a copy of the quick demo.
fn folder_with_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("quick-demo.toml"), dir.path().join("quick-demo.toml")).unwrap();
    dir
}

fn demo_titled(title: &str) -> String {
    let source = std::fs::read_to_string(fixture("quick-demo.toml")).unwrap();
    let line = source.lines().find(|l| l.starts_with("title = ")).expect("a title line").to_owned();
    source.replacen(&line, &format!("title = \"{title}\""), 1)
}

async fn serve(dir: &Path, poll: Option<Duration>) -> TestServer {
    let dir = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.scenarios_dir = dir;
        o.scenarios_poll = poll;
    })
    .await
}

async fn list(server: &TestServer, token: Option<&str>) -> Value {
    let mut req = server.http().get(format!("{}/api/scenarios", server.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn title_of(list: &Value, id: &str) -> Option<String> {
    list["scenarios"].as_array()?.iter().find(|s| s["id"] == id).map(|s| s["title"].as_str().unwrap().to_owned())
}

async fn welcome_title(server: &TestServer, ex: &common::Exercise) -> String {
    let (_, welcome) = server.facilitate(ex).await;
    welcome["scenario"]["title"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_edited_file_is_offered_without_a_restart_and_a_running_exercise_keeps_its_snapshot() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), Some(Duration::from_millis(100))).await;
    let before = title_of(&list(&server, None).await, "quick-demo").unwrap();
    let ex = server.create("quick-demo").await;
    assert_eq!(welcome_title(&server, &ex).await, before);

    std::fs::write(dir.path().join("quick-demo.toml"), demo_titled("Edited while serving")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if title_of(&list(&server, None).await, "quick-demo").as_deref() == Some("Edited while serving") {
            break;
        }
        assert!(Instant::now() < deadline, "the edit was not picked up within 5 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(welcome_title(&server, &ex).await, before, "the running exercise keeps its snapshot");
    let fresh = server.create("quick-demo").await;
    assert_eq!(welcome_title(&server, &fresh).await, "Edited while serving");
}

#[tokio::test]
async fn reload_on_request_keeps_the_good_files_and_lists_the_problems_for_the_admin() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), None).await;
    std::fs::write(dir.path().join("quick-demo.toml"), demo_titled("Reloaded")).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "id = \"broken\"\ntitle = \n").unwrap();
    assert_ne!(title_of(&list(&server, None).await, "quick-demo").as_deref(), Some("Reloaded"), "not watched");

    let url = format!("{}/api/scenarios/reload", server.base);
    let res = server.http().post(&url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = server.http().post(&url).bearer_auth("not-the-token").send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = server.http().post(&url).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(title_of(&body, "quick-demo").as_deref(), Some("Reloaded"));
    assert!(title_of(&body, "broken").is_none());
    let problems: Vec<&str> = body["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(problems.iter().any(|p| p.contains("broken.toml:2:")), "{problems:?}");

    assert_eq!(list(&server, None).await["problems"].as_array().unwrap().len(), 0, "public: no problems");
    assert_eq!(list(&server, Some(ADMIN)).await["problems"].as_array().unwrap().len(), problems.len());
}

async fn upload(
    server: &TestServer,
    query: &str,
    body: impl Into<reqwest::Body>,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = server.http().post(format!("{}/api/scenarios?{query}", server.base)).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_broken_upload_is_refused_with_located_problems_and_nothing_is_saved() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), None).await;
    let broken = demo_titled("Broken").replacen("duration_minutes = 5", "duration_minutes = 0", 1);
    assert!(broken.contains("duration_minutes = 0"));
    let (status, body) = upload(&server, "name=mine.toml&save=true", broken, Some(ADMIN)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "invalid_scenario");
    let problems = body["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    for p in problems {
        let p = p.as_str().unwrap();
        let mut parts = p.splitn(4, ':');
        assert_eq!(parts.next(), Some("mine.toml"), "{p}");
        assert!(
            parts.next().unwrap().parse::<usize>().is_ok() && parts.next().unwrap().parse::<usize>().is_ok(),
            "{p}"
        );
    }
    let (status, body) = upload(&server, "name=syntax.toml", "id = \"x\"\ntitle = \n", Some(ADMIN)).await;
    assert_eq!(status, 422);
    assert!(body["problems"][0].as_str().unwrap().starts_with("syntax.toml:2:"), "{body}");
    let (status, _) = upload(&server, "name=x.json", "{ \"id\": ", Some(ADMIN)).await;
    assert_eq!(status, 422);
    let (status, _) = upload(&server, "name=bin.toml", vec![0xff, 0xfe, 0x00], Some(ADMIN)).await;
    assert_eq!(status, 400);

    let res = server.http().get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(res.status(), 200, "the server runs on");
    assert_eq!(files(dir.path()), ["quick-demo.toml"], "nothing saved");
}

#[tokio::test]
async fn uploads_are_refused_without_the_token_with_a_bad_name_a_broken_sheet_and_over_the_limit() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), None).await;
    let good = demo_titled("Mine").replacen("id = \"quick-demo\"", "id = \"mine\"", 1);
    let (status, _) = upload(&server, "name=mine.toml", good.clone(), None).await;
    assert_eq!(status, 401);
    for name in ["..%2Fmine.toml", "sub%2Fmine.toml", "mine.txt", ".mine.toml", "mine..toml"] {
        let (status, body) = upload(&server, &format!("name={name}&save=true"), good.clone(), Some(ADMIN)).await;
        assert_eq!(status, 400, "{name}: {body}");
    }
    let (status, body) = upload(&server, "name=plan.csv", "Time,Inject\n", Some(ADMIN)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["problems"][0].as_str().unwrap().starts_with("plan.csv:1:"), "{body}");
    let (status, _) = upload(&server, "save=true", good.clone(), Some(ADMIN)).await;
    assert_eq!(status, 400, "a name is required");
    let huge = format!("{good}\n# {}\n", "x".repeat(1024 * 1024));
    let (status, body) = upload(&server, "name=huge.toml&save=true", huge, Some(ADMIN)).await;
    assert_eq!(status, 413, "{body}");
    // Another scenario's file is not overwritten unless asked.
    let (status, body) = upload(&server, "name=quick-demo.toml&save=true", good.clone(), Some(ADMIN)).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("replace=true"), "{body}");
    assert_eq!(files(dir.path()), ["quick-demo.toml"]);
    let res = server.http().get(format!("{}/healthz", server.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_valid_upload_is_previewed_then_saved_and_offered() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), None).await;
    // A scenario larger than the 64 KiB other requests may send (long comments here).
    let dfs = std::fs::read_to_string(fixture("dfs-salary-tide.toml")).unwrap();
    let dfs = format!("{dfs}\n{}", "# notes for the next author\n".repeat(3000));
    assert!(dfs.len() > 64 * 1024);
    let (status, body) = upload(&server, "name=dfs.toml", dfs.clone(), Some(ADMIN)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["id"].as_str(), body["saved"].as_bool()), (Some("dfs-salary-tide"), Some(false)));
    assert_eq!(body["preview"]["lanes"].as_array().unwrap().len(), 6, "one lane per group");
    let warnings = body["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("dfs.toml:") && w.as_str().unwrap().contains(": warning: ")),
        "{warnings:?}"
    );
    assert_eq!(files(dir.path()), ["quick-demo.toml"], "a check saves nothing");
    assert!(title_of(&list(&server, None).await, "dfs-salary-tide").is_none());

    let (status, body) = upload(&server, "name=dfs.toml&save=true", dfs.clone(), Some(ADMIN)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["saved"], true);
    assert!(title_of(&body["list"], "dfs-salary-tide").is_some());
    assert_eq!(files(dir.path()), ["dfs.toml", "quick-demo.toml"]);
    assert_eq!(std::fs::read_to_string(dir.path().join("dfs.toml")).unwrap(), dfs);
    assert!(title_of(&list(&server, None).await, "dfs-salary-tide").is_some());
    server.create("dfs-salary-tide").await;
    // The same id under another name would make two files offer it.
    let (status, _) = upload(&server, "name=dfs-copy.toml&save=true", dfs.clone(), Some(ADMIN)).await;
    assert_eq!(status, 409);
    // Saving it again under its own name replaces it.
    let (status, _) = upload(&server, "name=dfs.toml&save=true", dfs, Some(ADMIN)).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_preview_of_a_loaded_scenario_is_for_the_admin() {
    let server = TestServer::start().await;
    let url = |id: &str| format!("{}/api/scenarios/{id}/preview", server.base);
    let res = server.http().get(url("quick-demo")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = server.http().get(url("nope")).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = server.http().get(url("quick-demo")).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    let lanes = p["lanes"].as_array().unwrap();
    assert_eq!(lanes.len(), 6);
    for lane in lanes {
        assert!(!lane["injects"].as_array().unwrap().is_empty(), "{lane}");
        assert!(lane["questions"].as_u64().unwrap() > 0, "{lane}");
        assert!(!lane["gaps"].as_array().unwrap().is_empty(), "{lane}");
    }
    assert_eq!(p["warnings"], serde_json::json!([]));
}

fn tabletop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tabletop")).args(args).output().expect("the tabletop binary runs")
}

#[test]
fn the_shipped_scenarios_validate_without_a_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let paths: Vec<String> = ["dfs-salary-tide.toml", "dfs-salary-tide-extended.toml", "quick-demo.toml"]
        .iter()
        .map(|n| root.join(n).display().to_string())
        .collect();
    let mut args = vec!["validate", "--deny-warnings"];
    args.extend(paths.iter().map(String::as_str));
    let out = tabletop(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text, "", "no warning");
}

#[test]
fn validate_prints_warnings_after_errors_and_fails_on_them_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    // The live-room fixture leaves two groups idle for 10 minutes.
    let idle = fixture("live-room.toml").display().to_string();
    let out = tabletop(&["validate", &idle]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "warnings alone pass: {text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for l in &lines {
        let rest = l.strip_prefix(&format!("{idle}:")).expect(l);
        let (pos, message) = rest.split_once(": warning: ").expect(l);
        assert!(pos.split(':').all(|n| n.parse::<usize>().is_ok()), "{l}");
        assert!(message.contains("waits 10 min"), "{l}");
    }
    let out = tabletop(&["validate", "--deny-warnings", &idle]);
    assert_eq!(out.status.code(), Some(1));

    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "id = \"x\"\ntitle = \n").unwrap();
    let out = tabletop(&["validate", &idle, broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with(&format!("{}:2:", broken.display())), "the error first: {text}");
    assert!(lines[1..].iter().all(|l| l.contains(": warning: ")), "{text}");
}

/// An MSEL sheet is uploaded like a scenario file: on a base scenario it replaces the
/// injects; alone it builds a scenario, saved as TOML under the sheet's name. A broken
/// row is located at `sheet.csv:ROW:COL`.
#[tokio::test]
async fn an_msel_sheet_is_checked_on_a_base_and_saved_as_a_scenario() {
    let dir = folder_with_demo();
    let server = serve(dir.path(), None).await;
    let demo = tabletop::scenario::load::load_file(&fixture("quick-demo.toml")).unwrap();
    let sheet = tabletop::scenario::msel::export(&demo).unwrap();

    let (status, body) = upload(&server, "name=demo.csv&base=quick-demo", sheet.clone(), Some(ADMIN)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], "quick-demo", "the base's id and settings, the sheet's injects");
    assert_eq!(body["preview"]["lanes"].as_array().map(Vec::len), Some(demo.groups.len()), "{body}");

    let broken = sheet.replacen(",0,", ",soon,", 1);
    assert_ne!(broken, sheet, "the sheet has a T+0 inject to break");
    let (status, body) = upload(&server, "name=demo.csv&base=quick-demo", broken, Some(ADMIN)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["problems"][0].as_str().unwrap().starts_with("demo.csv:2:3: "), "{body}");

    let (status, body) = upload(&server, "name=my-plan.csv&save=true", sheet, Some(ADMIN)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["id"], "my-plan");
    assert_eq!(files(dir.path()), ["my-plan.toml", "quick-demo.toml"]);
    let (status, _) = upload(&server, "name=x.csv&base=no-such", "a\n", Some(ADMIN)).await;
    assert_eq!(status, 404);
}
