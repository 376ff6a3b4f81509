//! The printable exercise pack: `tabletop pack SCENARIO --out X.pdf` printed by a real
//! headless Chromium and read back with `pdftotext`, page by page (what each page is
//! comes from its margin: "Inject card", "Facilitator guide — Staff only"…); and
//! `GET /api/exercises/{id}/pack` over a real server.
//!
//! Needs Chromium and `pdftotext` (Debian's poppler-utils); scripts/test installs both.
//! Without them these tests fail and say so; they are never skipped.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::TestServer;
use serde_json::json;
use tabletop::lang::Lang;
use tabletop::scenario::Scenario;
use tabletop::scenario::load::load_file;

/// Fails (never skips) when the PDF tools are missing.
fn require_pdf_tools() {
    let hint = "run scripts/test, which installs Debian's chromium and poppler-utils";
    assert!(tabletop::debrief::export::pdf::find_chromium(None).is_ok(), "Chromium is not on PATH: {hint}");
    assert!(Command::new("pdftotext").arg("-v").output().is_ok(), "pdftotext is not installed: {hint}");
}

/// What a page of the pack is, from the name in its margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sitman,
    Guide,
    Evaluator,
    Handout,
    Card,
}

/// The names each kind of page carries in its top-left margin, per language, staff
/// documents first (their body may name the others), and what staff pages say top right.
fn margin_names(lang: Lang) -> ([(Kind, &'static str); 5], &'static str) {
    match lang {
        Lang::En => (
            [
                (Kind::Guide, "Facilitator guide"),
                (Kind::Evaluator, "Evaluator guide"),
                (Kind::Card, "Inject card"),
                (Kind::Handout, "Participant handout"),
                (Kind::Sitman, "Situation manual (SITMAN)"),
            ],
            "Staff only",
        ),
        Lang::Fr => (
            [
                (Kind::Guide, "Guide de l'animateur"),
                (Kind::Evaluator, "Guide de l'évaluateur"),
                (Kind::Card, "Fiche de stimulus"),
                (Kind::Handout, "Document du participant"),
                (Kind::Sitman, "Manuel de situation (SITMAN)"),
            ],
            "Réservé à l'équipe d'animation",
        ),
    }
}

/// A printed pack: its pages' text (`pdftotext -layout`) and what each page is.
struct Printed {
    pages: Vec<(Kind, String)>,
    seconds: f64,
}

impl Printed {
    /// The text of every page of a kind, whitespace removed (line wraps do not matter).
    fn squeezed(&self, kind: Kind) -> Vec<String> {
        self.pages.iter().filter(|(k, _)| *k == kind).map(|(_, t)| squeeze(t)).collect()
    }

    fn count(&self, kind: Kind) -> usize {
        self.pages.iter().filter(|(k, _)| *k == kind).count()
    }
}

/// Text without any whitespace (spaces, line breaks, no-break spaces).
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs `tabletop pack` into a fresh folder and reads the PDF back.
fn print(scenario: &str, extra: &[&str], lang: Lang) -> Printed {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["pack", scenario, "--out"])
        .arg(&out)
        .args(extra)
        .env_remove("TABLETOP_CHROMIUM")
        .output()
        .expect("the tabletop binary runs");
    let seconds = started.elapsed().as_secs_f64();
    assert!(run.status.success(), "tabletop pack failed: {}", String::from_utf8_lossy(&run.stderr));
    let text = Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&out).arg("-").output().unwrap();
    assert!(text.status.success(), "pdftotext: {}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8(text.stdout).unwrap();
    let (names, staff_only) = margin_names(lang);
    let mut pages: Vec<&str> = text.split('\x0c').collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(n, page)| {
            // The margins are the page's first line.
            let head = page.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
            let kind = names.iter().find(|(_, name)| head.contains(name)).map(|(k, _)| *k);
            let kind = kind.unwrap_or_else(|| panic!("page {} says in no margin what it is:\n{page}", n + 1));
            let staff = matches!(kind, Kind::Guide | Kind::Evaluator);
            assert_eq!(head.contains(staff_only), staff, "page {} ({kind:?}): {head}", n + 1);
            (kind, page.to_owned())
        })
        .collect();
    Printed { pages, seconds }
}

fn scenario(path: &str, lang: Lang) -> Scenario {
    let s = load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("the scenario loads");
    s.in_lang(lang)
}

/// Everything the pack of `path` must hold to, in `lang`.
fn check(path: &str, printed: &Printed, lang: Lang) {
    let s = scenario(path, lang);
    let cards: usize = s.injects.iter().map(|i| s.target_groups(i).count()).sum();
    let total = printed.pages.len();
    eprintln!("{path} ({lang}): {total} pages ({cards} cards) in {:.1} s", printed.seconds);
    assert_eq!(printed.count(Kind::Card), cards, "one page per card (a card that spills over is two)");
    assert_eq!(printed.count(Kind::Handout), s.groups.len(), "one handout page per group");
    for kind in [Kind::Sitman, Kind::Guide, Kind::Evaluator] {
        assert!(printed.count(kind) >= 1, "{kind:?} has pages");
    }
    assert!(total >= cards + s.groups.len() + 3, "{total} pages");
    assert!(total <= 2 * cards + s.groups.len() + 60, "{total} pages is too many");
    let first = &printed.pages[0].1;
    let page_one = if lang == Lang::Fr { format!("Page 1 sur {total}") } else { format!("Page 1 of {total}") };
    assert!(first.contains(&page_one), "{page_one:?} in the first page:\n{first}");

    let guide = printed.squeezed(Kind::Guide).concat();
    for inj in &s.injects {
        assert!(guide.contains(&squeeze(&inj.title)), "the facilitator guide names {:?}", inj.title.as_str());
    }
    let participant: Vec<String> = [Kind::Card, Kind::Handout].into_iter().flat_map(|k| printed.squeezed(k)).collect();
    let mut secrets = 0;
    for inj in &s.injects {
        for action in &inj.expected_actions {
            let action = squeeze(action);
            assert!(guide.contains(&action), "the guide lists the expected action {action:?}");
            // Whole: a short prefix may be a phrase the inject's text shares.
            for page in &participant {
                assert!(!page.contains(&action), "a participant page holds the expected action {action:?}");
            }
            secrets += 1;
        }
        if let Some(notes) = inj.facilitator_notes.as_deref() {
            let start: String = squeeze(notes).chars().take(60).collect();
            assert!(guide.contains(&start), "the guide holds the notes {start:?}");
            for page in &participant {
                assert!(!page.contains(&start), "a participant page holds facilitator notes {start:?}");
            }
        }
    }
    assert!(secrets > 5, "the scenario has expected actions to withhold");
}

#[test]
fn the_dfs_pack_prints_every_document_and_withholds_staff_text_from_participants() {
    require_pdf_tools();
    let path = "scenarios/dfs-salary-tide.toml";
    let printed = print(path, &["--start", "11:18", "--join-url", "https://tabletop.example/join/ABCD-2345"], Lang::En);
    check(path, &printed, Lang::En);
    let handouts = printed.squeezed(Kind::Handout);
    assert!(handouts.iter().all(|h| h.contains("https://tabletop.example/join/ABCD-2345")), "the join address");
    assert!(printed.squeezed(Kind::Guide).concat().contains("11:42"), "the clock column (T+24 from 11:18)");
}

#[test]
fn the_extended_pack_prints_one_page_per_card() {
    require_pdf_tools();
    let path = "scenarios/dfs-salary-tide-extended.toml";
    check(path, &print(path, &[], Lang::En), Lang::En);
}

#[test]
fn the_french_pack_is_in_french() {
    require_pdf_tools();
    let path = "scenarios/dfs-salary-tide.toml";
    let printed = print(path, &["--lang", "fr"], Lang::Fr);
    check(path, &printed, Lang::Fr);
    let handouts = printed.squeezed(Kind::Handout).concat();
    assert!(handouts.contains(&squeeze("L'animateur vous donne l'adresse")), "no join address: said so");
}

#[test]
fn only_participant_pages_print_nothing_staff_only() {
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["pack", "scenarios/dfs-salary-tide.toml", "--only", "cards,handouts", "--out"])
        .arg(dir.path())
        .env("TABLETOP_CHROMIUM", "/nonexistent/chromium")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no pack.pdf"), "says there is no PDF");
    let html = std::fs::read_to_string(dir.path().join("pack.html")).unwrap();
    assert!(html.contains("class=\"page card\"") && !html.contains("Staff only</p>"));
    assert!(!dir.path().join("pack.pdf").exists());
    let pdf = dir.path().join("x.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["pack", "scenarios/dfs-salary-tide.toml", "--out"])
        .arg(&pdf)
        .env("TABLETOP_CHROMIUM", "/nonexistent/chromium")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("install Chromium"), "says how to install it");
}

#[tokio::test]
async fn the_console_downloads_the_pack_of_its_exercise() {
    let server = TestServer::start_with(|o| o.chromium = Some("/nonexistent/chromium".into())).await;
    let ex = server.create("dfs-salary-tide").await;
    let (_, welcome) = server.join(&ex, "Awa Njie").await;
    let participant = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    let url = format!("{}/api/exercises/{}/pack", server.base, ex.id);
    let get = |query: &str, token: Option<&str>| {
        let mut req = server.http().get(format!("{url}{query}"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(get("?format=html", None).await.unwrap().status(), 401);
    assert_eq!(get("?format=html", Some(&participant)).await.unwrap().status(), 401);
    let res = get("?format=html", Some(&ex.key)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"dfs-salary-tide-pack.html\"");
    let html = res.text().await.unwrap();
    let join = format!("{}/join/{}", server.base, ex.join_code);
    assert!(html.contains(&join), "the handouts carry the join link {join}");
    assert!(html.contains("class=\"page card\"") && html.contains("Staff only"));
    let fr = get("?format=html&lang=fr&only=participants", Some(&ex.key)).await.unwrap().text().await.unwrap();
    assert!(fr.contains("Fiche de stimulus") && !fr.contains("data-doc=\"guide\""));
    let res = get("?format=pdf", Some(&ex.key)).await.unwrap();
    assert_eq!(res.status(), 501);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "pdf_unavailable");
    let res = get("?format=docx", Some(&ex.key)).await.unwrap();
    assert_eq!(res.status(), 400);
    let _ = json!({});
}
