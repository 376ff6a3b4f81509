//! The printed report over real HTTP: the DFS scenario (handling marking TLP:AMBER,
//! attributed by group) played by six participants, one per group, then
//!
//! - the PDF printed by a real headless Chromium has a cover (title, marking, organiser)
//!   and the marking and "Page N of M" on its pages (pdftotext reads them), and in
//!   French its cover's labels and "Page N sur M";
//! - without Chromium the PDF is a typed 501 `pdf_unavailable` (the debrief page then
//!   opens the HTML report's print view), and the HTML carries the print stylesheet;
//! - the responses grid (on time / late / not answered / not sent) in the JSON report
//!   and as SVG at `?chart=responses`.
//!
//! The PDF test needs Chromium and `pdftotext` (scripts/test installs both); without
//! them it fails and says so.

mod common;

use std::process::Command;

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};

/// Six people, one per group (joins fill the groups in turn).
const NAMES: [&str; 6] = ["Awa", "Bako", "Codou", "Demba", "Ebou", "Fanta"];

struct Played {
    ex: Exercise,
    /// Group id of each of [`NAMES`].
    groups: Vec<String>,
}

/// The DFS exercise: the first inject to every group, answered by some before the
/// second goes out and by one after; the second answered by none; then the end.
async fn play(server: &TestServer) -> Played {
    let ex = server.create("dfs-salary-tide").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let mut people: Vec<Client> = Vec::new();
    let mut groups = Vec::new();
    for name in NAMES {
        let (c, welcome) = server.join(&ex, name).await;
        groups.push(welcome["group"]["id"].as_str().unwrap().to_owned());
        people.push(c);
    }
    facilitator.send(json!({"type": "start"})).await;
    let first = people[0].recv_type("inject").await["inject_id"].as_str().unwrap().to_owned();
    for (i, who) in people.iter_mut().enumerate().take(3) {
        let id = format!("a{i}");
        who.send(json!({"type": "respond", "inject_id": first, "text": format!("answer {i}"), "client_msg_id": id}))
            .await;
        assert_eq!(who.recv_type("ack").await["client_msg_id"], id);
    }
    facilitator.send(json!({"type": "release", "inject_id": "inside-help"})).await;
    // Demba answers the first inject after the second went out to every group? Only
    // when "inside-help" went to Demba's group; otherwise the first is still open for
    // him and the answer is on time. The grid below is checked against that.
    people[3]
        .send(json!({"type": "respond", "inject_id": first, "text": "late answer", "client_msg_id": "late"}))
        .await;
    assert_eq!(people[3].recv_type("ack").await["client_msg_id"], "late");
    facilitator.send(json!({"type": "end"})).await;
    facilitator.sync().await;
    Played { ex, groups }
}

async fn get(server: &TestServer, ex: &Exercise, query: &str) -> reqwest::Response {
    let url = format!("{}/api/exercises/{}/export{query}", server.base, ex.id);
    server.http().get(url).bearer_auth(&ex.key).send().await.unwrap()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext").args(["-enc", "UTF-8", "-layout"]).arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_pdf_has_a_cover_and_the_marking_and_page_numbers_on_its_pages() {
    let hint = "run scripts/test, which installs Debian's chromium and poppler-utils";
    assert!(tabletop::debrief::export::pdf::find_chromium(None).is_ok(), "Chromium is not on PATH: {hint}");
    assert!(Command::new("pdftotext").arg("-v").output().is_ok(), "pdftotext is not installed: {hint}");
    let server = TestServer::start().await;
    let p = play(&server).await;
    let res = get(&server, &p.ex, "?format=pdf").await;
    assert_eq!(res.status(), 200);
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Ok(dir) = std::env::var("REPORT_PRINT_KEEP") {
        std::fs::write(std::path::Path::new(&dir).join("report.pdf"), &pdf).unwrap();
    }
    let text = pdf_text(&pdf);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 4, "a cover and a page per section at least: {} pages", pages.len());
    // The cover: title, organiser, venue, marking, the non-attribution statement.
    let cover = pages[0];
    for expected in ["Salary Tide", "Telecom Regulator, with ITU", "Online (Zoom)", "TLP:AMBER", "non-attributional"] {
        assert!(cover.contains(expected), "the cover says {expected:?}:\n{cover}");
    }
    // Every page: the marking at top and bottom, and "Page N of M".
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert!(page.matches("TLP:AMBER").count() >= 2, "page {} has the marking at top and bottom:\n{page}", n + 1);
        let number = format!("Page {} of {total}", n + 1);
        assert!(page.contains(&number), "page {} says {number:?}:\n{page}", n + 1);
    }
    assert!(text.contains("Page 1 of"));
    // The sections start on pages of their own: the overview is not on the cover.
    assert!(!cover.contains("Exercise overview"));
    let starts = |page: &str, heading: &str| {
        page.lines().filter(|l| !l.trim().is_empty()).nth(1).is_some_and(|l| l.trim() == heading)
    };
    assert!(pages.iter().any(|p| starts(p, "Exercise overview")), "the overview heads a page (after the marking)");
    assert!(pages.iter().any(|p| starts(p, "Timeline")), "the timeline heads a page");
    assert!(starts(pages[1], "Executive summary"), "the executive summary follows the cover:\n{}", pages[1]);
    // The responses chart's words are in the PDF (SVG text prints as text).
    assert!(text.contains("Responses at a glance") && text.contains("on time"));

    // In French: the cover's labels and statement, « Page N sur M », the chart's words.
    let res = get(&server, &p.ex, "?format=pdf&lang=fr").await;
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    for expected in ["RETEX", "Marquage", "Organisateur", "Lieu / plateforme", "non punitif"] {
        assert!(pages[0].contains(expected), "the French cover says {expected:?}:\n{}", pages[0]);
    }
    for (n, page) in pages.iter().enumerate() {
        let number = format!("Page {} sur {}", n + 1, pages.len());
        assert!(page.contains(&number), "page {} says {number:?}:\n{page}", n + 1);
    }
    assert!(text.contains("Vue d'ensemble des réponses") && text.contains("à temps"), "{text}");
    assert!(!text.contains("Page 1 of") && !text.contains("Responses at a glance"), "{text}");
}

#[tokio::test]
async fn without_chromium_the_pdf_is_a_typed_501_and_the_html_is_the_print_view() {
    let server = TestServer::start_with(|o| o.chromium = Some("/nonexistent/chromium".into())).await;
    let p = play(&server).await;
    let res = get(&server, &p.ex, "?format=pdf").await;
    assert_eq!(res.status(), 501);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "pdf_unavailable", "the debrief page keys on this code: {body}");

    let html = get(&server, &p.ex, "?format=html").await.text().await.unwrap();
    assert!(html.contains("<header class=\"cover\">"), "a cover");
    assert!(html.contains("@top-center { content: \"TLP:AMBER\"; }"), "the marking in every page's header");
    assert!(html.contains("@bottom-center { content: \"TLP:AMBER\"; }"), "and footer");
    assert!(html.contains("counter(page) \" of \" counter(pages)"), "page numbers");
    assert!(html.contains("@media print"), "a print stylesheet");
    assert!(!html.contains("<script"), "no script in the report");
}

#[tokio::test]
async fn the_responses_grid_says_who_answered_on_time_late_or_not_at_all() {
    let server = TestServer::start().await;
    let p = play(&server).await;
    let report: Value = get(&server, &p.ex, "?format=json").await.json().await.unwrap();
    let grid = &report["responses"];
    let injects: Vec<&str> =
        grid["injects"].as_array().unwrap().iter().map(|i| i["inject_id"].as_str().unwrap()).collect();
    assert_eq!(injects, ["payday-fraud-wave", "inside-help"], "released injects, in release order");
    let second_targets: Vec<String> = report["injects"][1]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    let rows = grid["groups"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "one row per group");
    let status = |group: &str, column: usize| -> String {
        let row = rows.iter().find(|r| r["group_id"] == group).unwrap();
        row["cells"][column]["status"].as_str().unwrap().to_owned()
    };
    for (i, group) in p.groups.iter().enumerate() {
        let first = match i {
            // Demba answered after "inside-help" went out, but within the first inject's
            // 4-minute answer window: on time (the window decides, not the next inject).
            0..=3 => "on_time",
            _ => "not_answered",
        };
        assert_eq!(status(group, 0), first, "{} ({group}) on the first inject", NAMES[i]);
        let second = if second_targets.contains(group) { "not_answered" } else { "not_sent" };
        assert_eq!(status(group, 1), second, "{group} on the second inject");
    }
    let totals = &grid["totals"];
    let sum = ["on_time", "late", "not_answered", "not_sent"].map(|k| totals[k].as_u64().unwrap()).iter().sum::<u64>();
    assert_eq!(sum, 12, "six groups × two injects: {totals}");
    assert_eq!(totals["not_sent"].as_u64().unwrap(), 6 - second_targets.len() as u64);

    // The chart, as the debrief page shows it: SVG with every group, no name.
    let res = get(&server, &p.ex, "?chart=responses").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("image/svg+xml"));
    let svg = res.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
    for row in rows {
        let name = row["group_name"].as_str().unwrap().replace('&', "&amp;");
        assert!(svg.contains(&name), "{name} in the chart");
    }
    for name in NAMES {
        assert!(!svg.contains(name), "no participant's name in the chart");
    }
    let bad = get(&server, &p.ex, "?chart=pie").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["code"], "unknown_chart");
    let stranger = server.http().get(format!("{}/api/exercises/{}/export?chart=responses", server.base, p.ex.id));
    assert_eq!(stranger.send().await.unwrap().status(), 401, "the chart needs a staff key");
}
