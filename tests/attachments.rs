//! Bilingual scenarios and attachment files, end to end on a real server: each reader
//! gets the scenario's texts in their language, and an inject's file only once it is
//! released to their group, through a link made for that group.

mod common;

use std::path::{Path, PathBuf};

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};
use tabletop::exercise::files::{FileScope, link_with_key};

fn pictures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attachments")
}

fn svg_bytes() -> Vec<u8> {
    std::fs::read(pictures_dir().join("attachments/sms.svg")).unwrap()
}

async fn start() -> TestServer {
    TestServer::start_with(|o| o.scenarios_dir = pictures_dir()).await
}

async fn join(server: &TestServer, ex: &Exercise, name: &str, group: &str, lang: Option<&str>) -> (Client, Value) {
    let mut c = server.client().await;
    let mut hello = json!({ "type": "join", "join_code": ex.join_code, "name": name, "group_id": group });
    if let Some(lang) = lang {
        hello["lang"] = lang.into();
    }
    c.send(hello).await;
    let welcome = c.recv_type("welcome").await;
    (c, welcome)
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    server.http().get(format!("{}{path}", server.base)).send().await.unwrap()
}

fn sms_hash(console: &Value) -> String {
    let plan = console["plan"].as_array().unwrap();
    let src = plan[0]["attachments"][0]["file"]["src"].as_str().unwrap();
    src.split('/').nth(4).unwrap().split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn each_reader_gets_the_scenario_in_their_language_and_the_file_only_once_released_to_their_group() {
    let server = start().await;
    let ex = server.create("pics").await;
    let (mut console, welcome) = server.facilitate(&ex).await;
    let hash = sms_hash(&welcome);
    let id: tabletop::ids::ExerciseId = ex.id.parse().unwrap();
    let link = |group: &str| link_with_key(&ex.key, id, &FileScope::Group(group.into()), &hash);

    let (mut french, fr_welcome) = join(&server, &ex, "Awa", "agents", Some("fr-FR")).await;
    let (mut english, en_welcome) = join(&server, &ex, "Lamin", "agents", None).await;
    let (_care, _) = join(&server, &ex, "Binta", "care", Some("fr")).await;
    assert_eq!(fr_welcome["scenario"]["title"], "Images");
    assert_eq!(fr_welcome["group"]["name"], "Réseau d'agents");
    assert_eq!(en_welcome["scenario"]["title"], "Pictures");
    for (query, title, group) in [("?lang=fr-FR", "Images", "Réseau d'agents"), ("", "Pictures", "Agent network")] {
        let list: Value = get(&server, &format!("/api/scenarios{query}")).await.json().await.unwrap();
        assert_eq!(list["scenarios"][0]["title"], title, "the scenario list in the reader's language");
        assert_eq!(list["scenarios"][0]["groups"][0]["name"], group);
    }
    let join: Value = get(&server, &format!("/api/join/{}?lang=fr", ex.join_code)).await.json().await.unwrap();
    assert_eq!(join["title"], "Images", "the join form in the reader's language");

    // Before the release: the agents' own link is a 404, like an unknown file.
    let before = get(&server, &link("agents")).await;
    assert_eq!(before.status(), 404, "an unreleased inject's file is not served to its group");
    // The control room may preview it.
    let control = welcome["plan"][0]["attachments"][0]["file"]["src"].as_str().unwrap().to_owned();
    let res = get(&server, &control).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), svg_bytes());

    console.send(json!({ "type": "start" })).await;
    let inject = french.recv_type("inject").await;
    assert_eq!(inject["title"], "Un SMS étrange");
    assert_eq!(inject["questions"], json!(["Que doit faire l'agent\u{202f}?"]));
    let attachment = &inject["attachments"][0];
    assert_eq!(attachment["caption"], "Le message reçu par l'agent");
    assert_eq!(attachment["file"]["kind"], "image");
    let src = attachment["file"]["src"].as_str().unwrap();
    assert_eq!(src, link("agents"), "the push carries the group's link");
    let res = get(&server, src).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), svg_bytes());

    let inject = english.recv_type("inject").await;
    assert_eq!(inject["title"], "A strange SMS");
    assert_eq!(inject["attachments"][0]["caption"], "The message the agent received");

    // Another group's link (it is not targeted), a forged tag and an unknown hash: 404.
    assert_eq!(get(&server, &link("care")).await.status(), 404);
    let forged = link("agents").replace("k=", "k=0");
    assert_eq!(get(&server, &forged).await.status(), 404);
    let unknown = link_with_key(&ex.key, id, &FileScope::Control, &"0".repeat(64));
    assert_eq!(get(&server, &unknown).await.status(), 404);
    assert_eq!(get(&server, &format!("/files/{}/c/../../etc?k=x", ex.id)).await.status(), 404);
}

#[tokio::test]
async fn a_french_reader_after_a_restart_still_reads_french_and_the_file_is_still_served() {
    let server = start().await;
    let ex = server.create("pics").await;
    let (mut console, welcome) = server.facilitate(&ex).await;
    let hash = sms_hash(&welcome);
    console.send(json!({ "type": "start" })).await;
    console.recv_type("inject").await;
    let data = server.stop().await;

    let server = TestServer::start_in(data, |o| o.scenarios_dir = pictures_dir()).await;
    let (_, fr) = join(&server, &ex, "Awa", "agents", Some("fr")).await;
    assert_eq!(fr["injects"][0]["title"], "Un SMS étrange", "translations are kept in the log");
    let src = fr["injects"][0]["attachments"][0]["file"]["src"].as_str().unwrap();
    assert!(src.contains(&hash));
    let res = get(&server, src).await;
    assert_eq!(res.status(), 200, "the file is in the store, not read from the scenarios folder");
    assert_eq!(res.bytes().await.unwrap().to_vec(), svg_bytes());
}

#[tokio::test]
async fn no_wire_message_of_a_bilingual_exercise_carries_a_table_of_languages() {
    let server = start().await;
    let ex = server.create("pics").await;
    let (mut console, welcome) = server.facilitate(&ex).await;
    let (mut phone, phone_welcome) = join(&server, &ex, "Awa", "agents", Some("fr")).await;
    console.send(json!({ "type": "start" })).await;
    let mut seen = vec![welcome, phone_welcome, phone.recv_type("inject").await];
    seen.extend(console.sync().await);
    let timeline = server.timeline(&ex).await;
    seen.push(timeline);
    for msg in &seen {
        assert_no_language_table(msg, "");
    }
}

/// Fails on any object whose keys are all language codes: a text that was not read in
/// one language before it went out.
fn assert_no_language_table(v: &Value, at: &str) {
    match v {
        Value::Object(map) => {
            assert!(map.is_empty() || !map.keys().all(|k| k == "en" || k == "fr"), "{at} is a table of languages: {v}");
            for (k, x) in map {
                assert_no_language_table(x, &format!("{at}.{k}"));
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, x)| assert_no_language_table(x, &format!("{at}[{i}]")))
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_report_lists_each_inject_s_handouts_in_the_language_asked() {
    let server = start().await;
    let ex = server.create("pics").await;
    let (mut console, _) = server.facilitate(&ex).await;
    console.send(json!({ "type": "start" })).await;
    console.recv_type("inject").await;
    let report = |lang: &'static str| {
        let url = format!("{}/api/exercises/{}/export?format=md&lang={lang}", server.base, ex.id);
        let req = server.http().get(url).bearer_auth(&ex.key);
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let fr = report("fr").await;
    assert!(fr.contains("Un SMS étrange"), "the French report reads the scenario's French texts:\n{fr}");
    assert!(fr.contains("Documents remis") && fr.contains("Le message reçu par l'agent (attachments/sms.svg)"), "{fr}");
    let en = report("en").await;
    assert!(en.contains("Handouts") && en.contains("The message the agent received (attachments/sms.svg)"), "{en}");
    assert!(!en.contains("Un SMS étrange"), "{en}");
}
