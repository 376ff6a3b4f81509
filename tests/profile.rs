//! The maturity profile over real sockets: twelve participants from four organisations
//! in three sectors rate their own organisation on every domain of the DFS scenario; the
//! console's profile (overall, per sector, per organisation) is recomputed here from the
//! raw scores, "don't know" left out, as src/exercise/profile.rs defines it.

mod common;

use std::collections::BTreeMap;

use common::{Client, TestServer};
use serde_json::{Value, json};

/// (name, organisation, sector).
const ROOM: [(&str, &str, &str); 12] = [
    ("Awa", "BaobabPay", "emoney"),
    ("Bako", "BaobabPay", "emoney"),
    ("Codou", "BaobabPay", "emoney"),
    ("Demba", "BaobabPay", "emoney"),
    ("Ebou", "Atlantic Cell", "mno"),
    ("Fanta", "Atlantic Cell", "mno"),
    ("Gibril", "Atlantic Cell", "mno"),
    ("Haddy", "Central Bank", "central-bank"),
    ("Isatou", "Central Bank", "central-bank"),
    ("Jainaba", "Central Bank", "central-bank"),
    ("Kebba", "SahelLink", "emoney"),
    ("Lamin", "SahelLink", "emoney"),
];

/// A participant's answer to a statement: a score, or none for "don't know".
fn answer(person: usize, statement: usize) -> Option<u8> {
    let x = (person * 7 + statement * 3 + person * statement) % 11;
    (x != 10).then_some(1 + (x % 5) as u8)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[tokio::test]
async fn the_console_gets_a_profile_per_organisation_sector_and_room_recomputable_from_the_scores() {
    let server = TestServer::start().await;
    let ex = server.create("dfs-salary-tide").await;
    let (mut facilitator, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["self_assessment_results"]["profile"]["domains"].as_array().unwrap().len(), 6);

    let mut people: Vec<Client> = Vec::new();
    let mut statements: Vec<(String, String)> = Vec::new(); // (id, domain)
    for (name, organisation, sector) in ROOM {
        let mut c = server.client().await;
        c.send(json!({"type": "join", "join_code": ex.join_code, "name": name, "organisation": organisation, "sector": sector}))
            .await;
        let w = c.recv_type("welcome").await;
        let sa = &w["self_assessment"];
        assert_eq!(sa["mode"], "profile");
        let mine: Vec<(String, String)> = sa["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_owned(), s["domain"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(mine.len(), 18, "every participant rates every domain, whatever their group");
        statements = mine;
        people.push(c);
    }
    let mut projector = server.client().await;
    projector.send(json!({"type": "project", "join_code": ex.join_code})).await;
    assert_eq!(projector.recv_type("welcome").await["showing"]["view"], "play");
    facilitator.send(json!({"type": "open_self_assessment", "client_msg_id": "open"})).await;
    facilitator.recv_type("ack").await;
    facilitator.send(json!({"type": "show_on_projector", "view": "results", "client_msg_id": "show"})).await;
    facilitator.recv_type("ack").await;

    for (i, c) in people.iter_mut().enumerate() {
        c.recv_type("self_assessment").await;
        let ids: Vec<String> = statements.iter().map(|(id, _)| id.clone()).collect();
        common::rate_profile(c, &ids, |j| answer(i, j)).await;
    }

    let results = facilitator
        .sync()
        .await
        .into_iter()
        .rfind(|m| m["type"] == "self_assessment_results")
        .expect("results pushed to the console");
    let profile = &results["profile"];
    let domains: Vec<&str> = profile["domains"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();

    // Each rater's domain score: the mean of their scores there, "don't know" left out.
    let domain_score = |person: usize, domain: &str| -> Option<f64> {
        let scores: Vec<f64> = (statements.iter().enumerate())
            .filter(|(_, (_, d))| d == domain)
            .filter_map(|(j, _)| answer(person, j).map(f64::from))
            .collect();
        (!scores.is_empty()).then(|| mean(&scores))
    };
    let expected_row = |members: &[usize]| -> Vec<(Option<f64>, usize)> {
        domains
            .iter()
            .map(|d| {
                let v: Vec<f64> = members.iter().filter_map(|&p| domain_score(p, d)).collect();
                ((!v.is_empty()).then(|| round2(mean(&v))), v.len())
            })
            .collect()
    };
    let row_of = |row: &Value| -> Vec<(Option<f64>, usize)> {
        row["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["mean"].as_f64(), c["n"].as_u64().unwrap() as usize))
            .collect()
    };
    let members = |keep: &dyn Fn(&(&str, &str, &str)) -> bool| -> Vec<usize> {
        ROOM.iter().enumerate().filter(|(_, p)| keep(p)).map(|(i, _)| i).collect()
    };

    assert_eq!(row_of(&profile["overall"]), expected_row(&(0..12).collect::<Vec<_>>()), "the room");
    assert_eq!(profile["overall"]["raters"], 12);
    let sectors: BTreeMap<&str, &Value> =
        profile["sectors"].as_array().unwrap().iter().map(|s| (s["id"].as_str().unwrap(), s)).collect();
    assert_eq!(sectors.keys().copied().collect::<Vec<_>>(), ["central-bank", "emoney", "mno"]);
    for (id, row) in &sectors {
        assert_eq!(row_of(row), expected_row(&members(&|p| p.2 == *id)), "sector {id}");
    }
    assert_eq!(sectors["emoney"]["raters"], 6, "two organisations in one sector");
    let organisations: BTreeMap<&str, &Value> =
        profile["organisations"].as_array().unwrap().iter().map(|o| (o["id"].as_str().unwrap(), o)).collect();
    assert_eq!(organisations.len(), 4);
    for (name, row) in &organisations {
        assert_eq!(row_of(row), expected_row(&members(&|p| p.1 == *name)), "organisation {name}");
    }
    // The console sees a small organisation's figures, with its n.
    let sahel = row_of(organisations["SahelLink"]);
    assert!(sahel.iter().all(|(mean, n)| *n <= 2 && (mean.is_some() == (*n > 0))), "{sahel:?}");

    // The projector: the room and the sectors, never an organisation, a name or a cell of
    // fewer than 3 raters; its figures are the console's where they are shown. A
    // thirteenth participant, alone in the bank sector, rates too.
    let mut modou = server.client().await;
    modou
        .send(json!({"type": "join", "join_code": ex.join_code, "name": "Modou", "organisation": "Trust Bank", "sector": "bank"}))
        .await;
    modou.recv_type("welcome").await;
    let all: BTreeMap<&str, u8> = statements.iter().map(|(id, _)| (id.as_str(), 5)).collect();
    modou.send(json!({"type": "self_assess", "scores": all, "client_msg_id": "m"})).await;
    modou.recv_type("ack").await;
    let latest = facilitator.sync().await.into_iter().rfind(|m| m["type"] == "self_assessment_results").unwrap();
    let frames = projector.sync().await;
    assert!(frames.iter().any(|m| m["type"] == "showing" && m["view"] == "results"), "the screen switched");
    let public = frames.iter().rfind(|m| m["type"] == "public_results").expect("results on the screen");
    let shown = &public["profile"];
    assert_eq!(shown["organisations"].as_array().unwrap().len(), 0, "no organisation on the screen");
    assert_eq!(row_of(&shown["overall"]), row_of(&latest["profile"]["overall"]), "the room as the console has it");
    let bank = shown["sectors"].as_array().unwrap().iter().find(|r| r["id"] == "bank").expect("the bank sector row");
    assert!(bank["cells"].as_array().unwrap().iter().all(|c| c["mean"].is_null() && c["n"] == 1), "{bank}");
    for row in std::iter::once(&shown["overall"]).chain(shown["sectors"].as_array().unwrap()) {
        for cell in row["cells"].as_array().unwrap() {
            let n = cell["n"].as_u64().unwrap();
            assert_eq!(cell["mean"].is_null(), n < 3, "a small cell on the screen: {row}");
            assert_eq!(cell["min"].is_null(), n < 3, "{row}");
        }
    }
    let everything = serde_json::to_string(&frames).unwrap();
    for (name, organisation, _) in ROOM.into_iter().chain([("Modou", "Trust Bank", "bank")]) {
        assert!(!everything.contains(&format!("\"{name}\"")), "{name} on the screen");
        assert!(!everything.contains(organisation), "{organisation} on the screen");
    }
    assert!(public["charts"]["radar"].as_str().unwrap().starts_with("<svg"), "the radar drawn for the screen");

    // The report: by group (the DFS default), no cell of fewer than 3 raters has a figure,
    // and no participant is named; with names, the small organisation's figures are there.
    let (base, id, key) = (server.base.clone(), ex.id.clone(), ex.key.clone());
    let export = |query: &'static str| {
        let (url, key) = (format!("{base}/api/exercises/{id}/export?{query}"), key.clone());
        async move { reqwest::Client::new().get(url).bearer_auth(key).send().await.unwrap().text().await.unwrap() }
    };
    let by_group: Value = serde_json::from_str(&export("format=json").await).unwrap();
    let report_profile = &by_group["self_assessment"]["profile"];
    assert_eq!(report_profile["small_cells_withheld"], true);
    for row in std::iter::once(&report_profile["overall"])
        .chain(report_profile["sectors"].as_array().unwrap())
        .chain(report_profile["organisations"].as_array().unwrap())
    {
        for cell in row["cells"].as_array().unwrap() {
            let n = cell["n"].as_u64().unwrap();
            assert_eq!(cell["mean"].is_null(), n < 3, "{row}");
        }
    }
    assert_eq!(
        row_of(&report_profile["overall"]),
        row_of(&latest["profile"]["overall"]),
        "the report's room is the console's"
    );
    let html = export("format=html").await;
    assert!(html.contains("<svg") && html.contains("class=\"chart radar\"") && html.contains("fewer than 3"));
    for (name, _, _) in ROOM {
        assert!(!html.contains(&format!(">{name}<")), "{name} named in a report by group");
    }
    // The debrief page's charts: as the report by group draws them.
    let radar = export("chart=radar").await;
    let heatmap = export("chart=heatmap").await;
    assert!(radar.starts_with("<svg") && heatmap.starts_with("<svg"), "{radar:.80} {heatmap:.80}");
    assert!(heatmap.contains("fewer than 3"), "the bank sector of one rater has no figure");
    for (name, organisation, _) in ROOM {
        assert!(!radar.contains(name) && !heatmap.contains(name) && !heatmap.contains(organisation));
    }
    // In French (`lang=fr`): the charts' titles, the room's row and the withheld cells.
    let radar = export("chart=radar&lang=fr").await;
    let heatmap = export("chart=heatmap&lang=fr").await;
    assert!(radar.contains("<title>Profil de maturité</title>") && radar.contains(">Ensemble des participants<"));
    assert!(heatmap.contains("<title>Maturité par secteur</title>") && heatmap.contains(">moins de 3<"));
    assert!(!heatmap.contains("fewer than 3") && !radar.contains("All participants"));
    let named: Value = serde_json::from_str(&export("format=json&attribution=names").await).unwrap();
    let sahel_named = named["self_assessment"]["profile"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "SahelLink")
        .unwrap()
        .clone();
    assert!(sahel_named["cells"].as_array().unwrap().iter().any(|c| c["mean"].is_f64()), "{sahel_named}");
}

#[tokio::test]
async fn a_scenario_without_a_profile_has_no_profile_charts() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let url = |chart: &str| format!("{}/api/exercises/{}/export?chart={chart}", server.base, ex.id);
    for chart in ["radar", "heatmap"] {
        let res = server.http().get(url(chart)).bearer_auth(&ex.key).send().await.unwrap();
        assert_eq!(res.status(), 404, "{chart}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "no_such_chart");
    }
    let res = server.http().get(url("pie")).bearer_auth(&ex.key).send().await.unwrap();
    assert_eq!(res.status(), 400);
}
