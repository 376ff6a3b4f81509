//! Downloading the after-action report: `GET /api/exercises/{id}/export?format=…` over
//! real HTTP (types, file names, who may export, typed errors), the PDF printed by a
//! real headless Chromium, and `tabletop export` on the data dir of a stopped server;
//! the report in the scenario's language or the one asked (`lang`, `--lang`).
//!
//! The PDF tests need Chromium and `pdftotext` (Debian's poppler-utils); scripts/test
//! installs both. Without them these tests fail and say so; they are never skipped.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{ADMIN, Client, Exercise, TestServer};
use serde_json::{Value, json};

const AWA_ANSWER: &str = "Hold transfers, call the CEO, and say \"stop\".\nRéponse : « arrêt » — Jërëjëf";
const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(1)>";

/// A quick-demo exercise with two answers and an observer.
struct Played {
    ex: Exercise,
    facilitator: Client,
    resume_token: String,
    observer_key: String,
}

async fn play(server: &TestServer) -> Played {
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut awa, welcome) = server.join(&ex, "Awa Njie").await;
    let resume_token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    let (mut ousmane, _) = server.join(&ex, "Ousmane Sène").await;
    facilitator.send(json!({"type": "start"})).await;
    for (who, text, id) in [(&mut awa, AWA_ANSWER, "a1"), (&mut ousmane, XSS, "o1")] {
        assert_eq!(who.recv_type("inject").await["inject_id"], "first-alert");
        who.send(json!({"type": "respond", "inject_id": "first-alert", "text": text, "client_msg_id": id})).await;
        assert_eq!(who.recv_type("ack").await["client_msg_id"], id);
    }
    facilitator.send(json!({"type": "add_observer", "name": "Eval"})).await;
    let observer = facilitator.recv_type("observer").await;
    assert_eq!(observer["name"], "Eval");
    let observer_key = observer["key"].as_str().expect("the facilitator gets the observer's key").to_owned();
    Played { ex, facilitator, resume_token, observer_key }
}

async fn get(server: &TestServer, id: &str, query: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = server.http().get(format!("{}/api/exercises/{id}/export{query}", server.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).map_or("", |v| v.to_str().unwrap())
}

/// `attachment; filename="quick-demo-YYYY-MM-DD-<suffix>"`.
fn assert_attachment(res: &reqwest::Response, suffix: &str) {
    let d = header(res, "content-disposition");
    let name = d.strip_prefix("attachment; filename=\"quick-demo-").and_then(|r| r.strip_suffix('"'));
    let date = name.and_then(|n| n.strip_suffix(suffix)).unwrap_or_else(|| panic!("disposition: {d}"));
    let shape: String = date.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
    assert_eq!(shape, "9999-99-99", "a YYYY-MM-DD date in {d}");
}

async fn error_code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    (status, body["error"]["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn every_text_format_downloads_with_its_type_and_file_name() {
    let server = TestServer::start().await;
    let p = play(&server).await;
    let cases = [
        ("md", "text/markdown; charset=utf-8", "-aar.md"),
        ("csv", "text/csv; charset=utf-8", "-responses.csv"),
        ("json", "application/json", "-aar.json"),
        ("html", "text/html; charset=utf-8", "-aar.html"),
    ];
    for (format, content_type, suffix) in cases {
        let res = get(&server, &p.ex.id, &format!("?format={format}"), Some(&p.ex.key)).await;
        assert_eq!(res.status(), 200, "{format}");
        assert_eq!(header(&res, "content-type"), content_type);
        assert_attachment(&res, suffix);
        assert_eq!(header(&res, "cache-control"), "no-store");
        let body = res.text().await.unwrap();
        assert!(!body.contains(&p.ex.key) && !body.contains(&p.resume_token) && !body.contains(&p.observer_key));
        match format {
            "md" => assert!(body.contains("> **In progress**") && body.contains("Awa Njie"), "{body}"),
            "csv" => {
                let mut reader = csv::Reader::from_reader(body.as_bytes());
                let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
                assert_eq!(rows.len(), 2);
                assert_eq!((&rows[0][7], &rows[0][8]), ("Awa Njie", AWA_ANSWER));
                assert_eq!((&rows[1][7], &rows[1][8]), ("Ousmane Sène", XSS));
            }
            "json" => {
                let v: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(
                    (v["format"].as_str(), v["overview"]["phase"].as_str()),
                    (Some("tabletop-report"), Some("in_progress"))
                );
                assert_eq!(v["timeline"]["exercise_id"], p.ex.id.as_str());
            }
            _ => {
                assert!(body.starts_with("<!doctype html>") && !body.contains("<script"), "{body}");
                assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            }
        }
    }
}

#[tokio::test]
async fn facilitator_observer_and_admin_may_export_participants_and_strangers_may_not() {
    let server = TestServer::start().await;
    let p = play(&server).await;
    for token in [p.ex.key.as_str(), p.observer_key.as_str(), ADMIN] {
        assert_eq!(get(&server, &p.ex.id, "?format=md", Some(token)).await.status(), 200);
    }
    for token in [Some(p.resume_token.as_str()), Some("not-a-key"), None] {
        let res = get(&server, &p.ex.id, "?format=md", token).await;
        assert_eq!(error_code(res).await, (401, "unauthorized".to_owned()), "{token:?}");
    }
    for query in ["?format=docx", "?format=", ""] {
        let res = get(&server, &p.ex.id, query, Some(&p.ex.key)).await;
        assert_eq!(error_code(res).await, (400, "unknown_format".to_owned()), "{query}");
    }
    let unknown = "01937e2a-0000-7000-8000-00000000dead";
    for id in [unknown, "not-a-uuid"] {
        assert_eq!(error_code(get(&server, id, "?format=md", Some(ADMIN)).await).await, (404, "not_found".to_owned()));
    }
}

#[tokio::test]
async fn without_chromium_a_pdf_is_a_clear_501() {
    let server = TestServer::start_with(|o| o.chromium = Some("/nonexistent/chromium".into())).await;
    let p = play(&server).await;
    let res = get(&server, &p.ex.id, "?format=pdf", Some(&p.ex.key)).await;
    assert_eq!(res.status(), 501);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "pdf_unavailable");
    assert!(body["error"]["message"].as_str().unwrap().contains("install Chromium"), "{body}");
}

/// Fails (never skips) when the PDF tools are missing.
fn require_pdf_tools() {
    let hint = "run scripts/test, which installs Debian's chromium and poppler-utils";
    assert!(tabletop::debrief::export::pdf::find_chromium(None).is_ok(), "Chromium is not on PATH: {hint}");
    let pdftotext = Command::new("pdftotext").arg("-v").output();
    assert!(pdftotext.is_ok(), "pdftotext is not installed: {hint}");
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_pdf_is_the_report_printed_by_chromium() {
    require_pdf_tools();
    let server = TestServer::start().await;
    let p = play(&server).await;
    let res = get(&server, &p.ex.id, "?format=pdf", Some(&p.observer_key)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/pdf");
    assert_attachment(&res, "-aar.pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.len() > 1000 && pdf.starts_with(b"%PDF"), "not a PDF: {} bytes", pdf.len());
    let text = pdf_text(&pdf);
    for expected in ["Quick demo — rehearsal", "In progress", "Awa Njie", "Jërëjëf", "Appendix A"] {
        assert!(text.contains(expected), "{expected:?} not in the PDF text:\n{text}");
    }
}

fn tabletop(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .arg("export")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("TABLETOP_DATA_DIR")
        .env_remove("TABLETOP_CHROMIUM")
        .output()
        .expect("the tabletop binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn tabletop_export_reads_the_data_dir_of_a_stopped_server() {
    require_pdf_tools();
    let server = TestServer::start().await;
    let mut p = play(&server).await;
    p.facilitator.send(json!({"type": "end"})).await;
    while p.facilitator.recv_type("clock").await["state"] != "ended" {}
    let data = server.stop().await;
    let id = p.ex.id.as_str();

    let out = tabletop(&["--exercise", id, "--format", "csv"], data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().map(|r| r[8].to_owned()).collect::<Vec<_>>(), [AWA_ANSWER, XSS]);

    let md_file = data.path().join("report.md");
    let out = tabletop(&["--exercise", id, "--format", "md", "--out", md_file.to_str().unwrap()], data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(&md_file).unwrap();
    assert!(md.starts_with("# After-action report: Quick demo — rehearsal") && !md.contains("In progress"), "{md}");
    assert!(md.contains("| Status | Ended "), "{md}");

    let pdf_file = data.path().join("report.pdf");
    let out = tabletop(&["--exercise", id, "--format", "pdf", "--out", pdf_file.to_str().unwrap()], data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_text(&std::fs::read(&pdf_file).unwrap()).contains("Quick demo — rehearsal"));

    let refusals = [
        (
            vec!["--exercise", "01937e2a-0000-7000-8000-00000000dead"],
            "no exercise 01937e2a-0000-7000-8000-00000000dead",
        ),
        (vec!["--exercise", "nonsense"], "not an exercise id"),
        (vec!["--exercise", id, "--format", "pdf"], "give --out FILE"),
        (vec!["--exercise", id, "--format", "docx"], "unknown export format \"docx\""),
    ];
    for (args, message) in refusals {
        let out = tabletop(&args, data.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    let empty = tempfile::tempdir().unwrap();
    let out = tabletop(&["--exercise", id], empty.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no tabletop data here"), "{}", stderr(&out));
}

/// Attribution over HTTP: the DFS scenario attributes answers to groups by default, an
/// export may ask for names (or for groups where the scenario names), and a wrong word is
/// a typed 400.
#[tokio::test]
async fn exports_attribute_answers_as_the_scenario_says_or_as_asked() {
    let server = TestServer::start().await;
    let ex = server.create("dfs-salary-tide").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut awa, _) = server.join(&ex, "Awa Njie").await;
    facilitator.send(json!({"type": "start"})).await;
    let inject = awa.recv_type("inject").await["inject_id"].as_str().unwrap().to_owned();
    awa.send(json!({"type": "respond", "inject_id": inject, "text": "We freeze swapped SIMs", "client_msg_id": "a1"}))
        .await;
    awa.recv_type("ack").await;

    for format in ["md", "csv", "json", "html"] {
        let by_default = get(&server, &ex.id, &format!("?format={format}"), Some(&ex.key)).await;
        assert_eq!(by_default.status(), 200);
        let text = by_default.text().await.unwrap();
        assert!(text.contains("We freeze swapped SIMs") && !text.contains("Awa Njie"), "{format}: by group by default");
        let named = get(&server, &ex.id, &format!("?format={format}&attribution=names"), Some(&ex.key)).await;
        assert!(named.text().await.unwrap().contains("Awa Njie"), "{format}: with names when asked");
    }
    let json: Value = get(&server, &ex.id, "?format=json", Some(&ex.key)).await.json().await.unwrap();
    assert_eq!(json["attribution"], "group");

    let demo = play(&server).await;
    let text =
        get(&server, &demo.ex.id, "?format=md&attribution=group", Some(&demo.ex.key)).await.text().await.unwrap();
    assert!(!text.contains("Awa Njie"), "a scenario that names can be exported by group");
    let bad = get(&server, &demo.ex.id, "?format=md&attribution=everyone", Some(&demo.ex.key)).await;
    assert_eq!(error_code(bad).await, (400, "unknown_attribution".to_owned()));
}

/// A folder with the fixture quick-demo scenario written in French (`language = "fr"`).
fn french_scenarios() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(common::scenarios_dir().join("quick-demo.toml")).unwrap();
    std::fs::write(dir.path().join("quick-demo.toml"), format!("language = \"fr\"\n{source}")).unwrap();
    dir
}

/// `lang` over HTTP: an English scenario's report in French when asked, a French
/// scenario's in French unless English is asked, for every format and the chart; any
/// other word a typed 400 before anything is read.
#[tokio::test]
async fn exports_are_in_the_scenarios_language_or_the_one_asked() {
    let server = TestServer::start().await;
    let p = play(&server).await;
    let md = |query: &'static str| {
        let (server, p) = (&server, &p);
        async move { get(server, &p.ex.id, query, Some(&p.ex.key)).await.text().await.unwrap() }
    };
    assert!(md("?format=md").await.starts_with("# After-action report: Quick demo"));
    for lang in ["fr", "FR", "fr-FR"] {
        let query = format!("?format=md&lang={lang}");
        let text = get(&server, &p.ex.id, &query, Some(&p.ex.key)).await.text().await.unwrap();
        assert!(text.starts_with("# Rapport de retour d'expérience (RETEX)\u{a0}: Quick demo"), "{lang}: {text}");
        assert!(text.contains("> **En cours** — l'exercice n'est pas terminé"), "{text}");
    }
    let html = md("?format=html&lang=fr").await;
    assert!(html.contains("<html lang=\"fr\">") && html.contains("\"Page \" counter(page) \" sur \""));
    let json: Value = serde_json::from_str(&md("?format=json&lang=fr").await).unwrap();
    assert_eq!(json["language"], "fr");
    let chart = md("?chart=responses&lang=fr").await;
    assert!(chart.contains("<title>Vue d&#39;ensemble des réponses</title>") && chart.contains(">à temps<"), "{chart}");
    assert!(md("?chart=responses").await.contains(">on time<"));

    for (query, what) in [
        ("?format=md&lang=de", "a report"),
        ("?format=pdf&lang=klingon", "a PDF"),
        ("?chart=responses&lang=english", "a chart"),
        ("?format=md&lang=", "an empty language"),
    ] {
        let res = get(&server, &p.ex.id, query, Some(&p.ex.key)).await;
        assert_eq!(error_code(res).await, (400, "unknown_language".to_owned()), "{what}: {query}");
    }
    let res = get(&server, &p.ex.id, "?format=md&lang=de", Some(&p.ex.key)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["message"], "unknown language \"de\": use en or fr");

    let folder = french_scenarios();
    let path = folder.path().to_path_buf();
    let french = TestServer::start_with(move |o| o.scenarios_dir = path).await;
    let p = play(&french).await;
    let by_default = get(&french, &p.ex.id, "?format=md", Some(&p.ex.key)).await.text().await.unwrap();
    assert!(by_default.starts_with("# Rapport de retour d'expérience (RETEX)"), "{by_default}");
    let english = get(&french, &p.ex.id, "?format=md&lang=en", Some(&p.ex.key)).await.text().await.unwrap();
    assert!(english.starts_with("# After-action report: Quick demo"), "{english}");
    let plan = get(&french, &p.ex.id, "?format=plan-csv", Some(&p.ex.key)).await.text().await.unwrap();
    assert!(plan.starts_with("N°,Identifiant,Statut dans le plan,"), "{plan}");
}

/// `tabletop export --lang`: the report in the language asked, and a clear refusal of
/// any other word, without reading the store.
#[tokio::test]
async fn tabletop_export_writes_the_language_asked() {
    let server = TestServer::start().await;
    let p = play(&server).await;
    let data = server.stop().await;
    let id = p.ex.id.as_str();
    let out = tabletop(&["--exercise", id, "--format", "md", "--lang", "fr"], data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Rapport de retour d'expérience (RETEX)\u{a0}: Quick demo"), "{md}");
    let out = tabletop(&["--exercise", id, "--format", "md"], data.path());
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("# After-action report: "), "the scenario's language");
    let out = tabletop(&["--exercise", id, "--format", "html", "--lang", "fr-FR"], data.path());
    assert!(String::from_utf8(out.stdout).unwrap().contains("<html lang=\"fr\">"));
    let empty = tempfile::tempdir().unwrap();
    for (dir, why) in [(data.path(), "a good data dir"), (empty.path(), "before reading the store")] {
        let out = tabletop(&["--exercise", id, "--lang", "de"], dir);
        assert_eq!(out.status.code(), Some(1), "{why}: {}", stderr(&out));
        assert!(stderr(&out).contains("unknown language \"de\": use en or fr"), "{why}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}
