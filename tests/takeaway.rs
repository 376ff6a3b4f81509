//! The participant's take-away over real sockets: twelve participants from four
//! organisations (one with only two raters) in three sectors rate their own organisation
//! on the DFS profile; when the facilitator closes the self-assessment each one gets,
//! alone, their organisation's profile next to the room's — or, when their organisation
//! has fewer than three raters, only their own answers. The figures are recomputed here
//! from the raw scores; no participant is ever sent another organisation's name or a
//! figure of fewer than three raters. A scenario written in French gives a French
//! take-away.

mod common;

use common::{Client, TestServer};
use serde_json::{Value, json};

/// (name, organisation, sector). The organisations' names appear nowhere in the
/// scenario, so finding one in a message means the message carries it.
const ROOM: [(&str, &str, &str); 12] = [
    ("Awa", "Kora Pay", "emoney"),
    ("Bako", "Kora Pay", "emoney"),
    ("Codou", "Kora Pay", "emoney"),
    ("Demba", "Kora Pay", "emoney"),
    ("Ebou", "Balafon Telecom", "mno"),
    ("Fanta", "Balafon Telecom", "mno"),
    ("Gibril", "Balafon Telecom", "mno"),
    ("Haddy", "Djembe Reserve", "central-bank"),
    ("Isatou", "Djembe Reserve", "central-bank"),
    ("Jainaba", "Djembe Reserve", "central-bank"),
    ("Kebba", "Xalam Wallet", "emoney"),
    ("Lamin", "Xalam Wallet", "emoney"),
];

/// A participant's answer to a statement: a score, or none for "don't know". Person 4
/// (Ebou) knows nothing of one domain, so one of Balafon Telecom's domains has only two
/// raters.
fn answer(person: usize, statement: usize) -> Option<u8> {
    if person == 4 && statement < 3 {
        return None;
    }
    let x = (person * 7 + statement * 3 + person * statement) % 11;
    (x != 10).then_some(1 + (x % 5) as u8)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The statements in order, each with its domain.
type Statements = Vec<(String, String)>;

/// Each rater's domain score: the mean of their scores there, "don't know" left out.
fn domain_score(statements: &Statements, person: usize, domain: &str) -> Option<f64> {
    let scores: Vec<f64> = (statements.iter().enumerate())
        .filter(|(_, (_, d))| d == domain)
        .filter_map(|(j, _)| answer(person, j).map(f64::from))
        .collect();
    (!scores.is_empty()).then(|| mean(&scores))
}

/// A row's figures as shown outside the console: the mean of the members' domain
/// scores, none where fewer than three have one.
fn public_means(statements: &Statements, domains: &[String], members: &[usize]) -> Vec<Option<f64>> {
    domains
        .iter()
        .map(|d| {
            let v: Vec<f64> = members.iter().filter_map(|&p| domain_score(statements, p, d)).collect();
            (v.len() >= 3).then(|| round2(mean(&v)))
        })
        .collect()
}

fn means(row: &Value) -> Vec<Option<f64>> {
    row["means"].as_array().expect("means").iter().map(Value::as_f64).collect()
}

/// Joins everyone in `room`, opens, rates as [`answer`] says, closes; returns the
/// facilitator, the participants with their resume tokens, and the statements.
async fn rate_and_close(
    server: &TestServer,
    room: &[(&str, &str, &str)],
) -> (Client, Vec<(Client, String)>, Statements) {
    let ex = server.create("dfs-salary-tide").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let mut people = Vec::new();
    let mut statements: Statements = Vec::new();
    for (name, organisation, sector) in room {
        let mut c = server.client().await;
        c.send(json!({"type": "join", "join_code": ex.join_code, "name": name, "organisation": organisation, "sector": sector}))
            .await;
        let w = c.recv_type("welcome").await;
        assert!(w["self_assessment"].get("takeaway").is_none(), "no take-away before the close");
        statements = (w["self_assessment"]["statements"].as_array().unwrap().iter())
            .map(|s| (s["id"].as_str().unwrap().to_owned(), s["domain"].as_str().unwrap().to_owned()))
            .collect();
        people.push((c, w["you"]["resume_token"].as_str().unwrap().to_owned()));
    }
    facilitator.send(json!({"type": "open_self_assessment", "client_msg_id": "open"})).await;
    facilitator.recv_type("ack").await;
    for (i, (c, _)) in people.iter_mut().enumerate() {
        let open = c.recv_type("self_assessment").await;
        assert!(open.get("takeaway").is_none(), "no take-away while open");
        let ids: Vec<String> = statements.iter().map(|(id, _)| id.clone()).collect();
        common::rate_profile(c, &ids, |j| answer(i, j)).await;
    }
    facilitator.send(json!({"type": "close_self_assessment", "client_msg_id": "close"})).await;
    facilitator.recv_type("ack").await;
    (facilitator, people, statements)
}

/// Every figure-bearing object in a message: takeaway rows, profile rows or cells.
fn assert_no_small_cell(v: &Value, path: &str) {
    match v {
        Value::Object(map) => {
            assert!(
                !map.contains_key("profile") && !map.contains_key("cells"),
                "a participant got a profile table at {path}: {v}"
            );
            if let (Some(kind), Some(n)) =
                (map.get("kind").and_then(Value::as_str), map.get("n").and_then(Value::as_u64))
                && kind != "self"
                && n < 3
            {
                assert!(
                    map["means"].as_array().unwrap().iter().all(Value::is_null),
                    "a row of {n} raters at {path}: {v}"
                );
            }
            for (k, child) in map {
                assert_no_small_cell(child, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                assert_no_small_cell(child, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn each_participant_takes_away_their_organisation_next_to_the_room_and_small_ones_only_their_own_answers() {
    let server = TestServer::start().await;
    let (mut facilitator, mut people, statements) = rate_and_close(&server, &ROOM).await;
    let organisations = ["Kora Pay", "Balafon Telecom", "Djembe Reserve", "Xalam Wallet"];
    let everyone: Vec<usize> = (0..ROOM.len()).collect();

    let mut takeaways = Vec::new();
    for (i, (c, _)) in people.iter_mut().enumerate() {
        let closed = c.recv_type("self_assessment").await;
        assert_eq!(closed["state"], "closed");
        let t = closed["takeaway"].clone();
        assert!(t.is_object(), "{} got no take-away: {closed}", ROOM[i].0);
        let domains: Vec<String> =
            t["domains"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(domains.len(), 6);
        let (_, organisation, _) = ROOM[i];
        let members: Vec<usize> = (0..ROOM.len()).filter(|&p| ROOM[p].1 == organisation).collect();
        assert_eq!(t["organisation"], organisation);

        // The room: every rater, cells under three raters without a figure.
        assert_eq!(t["room"]["kind"], "room");
        assert_eq!(t["room"]["n"], 12);
        assert_eq!(t["room"]["withheld"], false);
        assert_eq!(means(&t["room"]), public_means(&statements, &domains, &everyone), "the room, for {}", ROOM[i].0);

        let yours = &t["yours"];
        if members.len() >= 3 {
            assert_eq!(yours["kind"], "organisation", "{}", ROOM[i].0);
            assert_eq!(yours["label"], organisation);
            assert_eq!(yours["n"], members.len());
            assert_eq!(means(yours), public_means(&statements, &domains, &members), "{organisation}");
            assert!(!t["html"].as_str().unwrap().contains("fewer than 3 people rated it"));
        } else {
            assert_eq!(yours["kind"], "self", "{}: fewer than three raters, only their own answers", ROOM[i].0);
            assert_eq!(yours["label"], "Your answers");
            let own: Vec<Option<f64>> = domains.iter().map(|d| domain_score(&statements, i, d).map(round2)).collect();
            assert_eq!(means(yours), own, "{}'s own domain means", ROOM[i].0);
            assert!(t["html"].as_str().unwrap().contains("Your organisation: fewer than 3 people rated it"));
        }
        if organisation == "Balafon Telecom" {
            assert!(means(yours).iter().any(Option::is_none), "a domain with two raters has no figure: {yours}");
        }

        // The drawing and the document.
        let radar = t["radar"].as_str().unwrap();
        assert!(radar.starts_with("<svg") && radar.contains("class=\"chart radar\""));
        let html = t["html"].as_str().unwrap();
        assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
        assert!(html.contains(&format!("<b>Organisation:</b> {organisation}")) && html.contains("<svg"));
        assert!(html.contains("Not in place") && html.contains("Tested and improved"), "the scale's level names");
        for external in ["<script", "src=", "href=", "url(", "@import"] {
            assert!(!html.contains(external), "self-contained: no {external} in the document");
        }
        assert!(t["file_name"].as_str().unwrap().ends_with(".html"));
        takeaways.push(t);
    }

    // No participant ever got another organisation's name, a profile table or a figure of
    // fewer than three raters — in any message, the welcome included.
    for (i, (c, _)) in people.iter_mut().enumerate() {
        c.sync().await;
        let log = serde_json::to_string(&c.log).unwrap();
        for other in organisations.iter().filter(|o| **o != ROOM[i].1) {
            assert!(!log.contains(other), "{} was sent {other}'s name", ROOM[i].0);
        }
        for m in &c.log {
            assert_no_small_cell(m, &format!("{}:{}", ROOM[i].0, m["type"]));
        }
    }
    // Each take-away was sent once, to its participant alone.
    for (i, (c, _)) in people.iter().enumerate() {
        let got = c.log.iter().filter(|m| m.get("takeaway").is_some()).count();
        assert_eq!(got, 1, "{} got {got} take-aways", ROOM[i].0);
    }
    let console = facilitator.sync().await;
    assert!(console.iter().all(|m| m.get("takeaway").is_none()), "take-aways are the participants' own");

    // A participant who comes back after the close finds the same take-away in the welcome.
    let (lamin, token) = (ROOM.len() - 1, people[ROOM.len() - 1].1.clone());
    let mut back = server.client().await;
    back.send(json!({"type": "resume", "resume_token": token})).await;
    let w = back.recv_type("welcome").await;
    assert_eq!(w["self_assessment"]["takeaway"], takeaways[lamin]);
}

#[tokio::test]
async fn a_room_of_fewer_than_three_raters_is_withheld_too() {
    let server = TestServer::start().await;
    let room = [("Awa", "Kora Pay", "emoney"), ("Bako", "Kora Pay", "emoney")];
    let (_, mut people, statements) = rate_and_close(&server, &room).await;
    for (i, (c, _)) in people.iter_mut().enumerate() {
        let t = c.recv_type("self_assessment").await["takeaway"].clone();
        assert_eq!(t["room"]["withheld"], true);
        assert_eq!(t["room"]["n"], 2);
        assert!(means(&t["room"]).iter().all(Option::is_none), "{t}");
        assert_eq!(t["yours"]["kind"], "self");
        let domains: Vec<String> =
            t["domains"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
        let own: Vec<Option<f64>> = domains.iter().map(|d| domain_score(&statements, i, d).map(round2)).collect();
        assert_eq!(means(&t["yours"]), own);
        let html = t["html"].as_str().unwrap();
        assert!(html.contains("The room: fewer than 3 people rated"), "{html}");
        assert_eq!(t["radar"].as_str().unwrap().matches("<polygon points=\"").count(), 5 + 1, "rings and one series");
    }
}

/// The DFS scenario written in French: the take-away page is in French (its words, its
/// radar, the decimal comma, the date), whatever the phone's own language.
#[tokio::test]
async fn a_french_scenario_gives_a_french_take_away() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(common::scenarios_dir().join("dfs-salary-tide.toml")).unwrap();
    std::fs::write(dir.path().join("dfs-salary-tide.toml"), format!("language = \"fr\"\n{source}")).unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| o.scenarios_dir = path).await;
    let room = [
        ("Awa", "Kora Pay", "emoney"),
        ("Bako", "Kora Pay", "emoney"),
        ("Codou", "Kora Pay", "emoney"),
        ("Kebba", "Xalam Wallet", "emoney"),
    ];
    let (_, mut people, _) = rate_and_close(&server, &room).await;
    let mut takeaways = Vec::new();
    for (c, _) in people.iter_mut() {
        takeaways.push(c.recv_type("self_assessment").await["takeaway"].clone());
    }
    let awa = takeaways[0]["html"].as_str().unwrap();
    assert!(awa.starts_with("<!doctype html>\n<html lang=\"fr\">"), "{awa}");
    for french in [
        "<h1>Profil de maturité</h1>",
        "<b>Organisation\u{a0}:</b> Kora Pay",
        "Ensemble des participants (n\u{a0}=\u{a0}4)",
        "<h2>L'échelle</h2>",
        "Chaque personne a évalué sa propre organisation",
    ] {
        assert!(awa.contains(french), "{french} in {awa}");
    }
    let date = awa.split("<b>Date\u{a0}:</b> ").nth(1).unwrap().split('<').next().unwrap();
    let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"];
    let months = [&months[..], &["novembre", "décembre"]].concat();
    assert!(months.iter().any(|m| date.contains(&format!("\u{a0}{m} 20"))), "a date written out: {date}");
    let figures: Vec<&str> = awa.split("<td>").skip(1).map(|t| t.split('<').next().unwrap()).collect();
    assert!(figures.iter().all(|f| !f.contains('.')) && figures.iter().any(|f| f.contains(',')), "{figures:?}");
    assert!(takeaways[0]["radar"].as_str().unwrap().contains(">Ensemble des participants"), "the radar's legend");
    let kebba = takeaways[3]["html"].as_str().unwrap();
    assert!(kebba.contains("Votre organisation\u{a0}: moins de 3 personnes l&#39;ont évaluée"), "{kebba}");
    assert_eq!(takeaways[3]["yours"]["label"], "Vos réponses");
    for (i, t) in takeaways.iter().enumerate() {
        let html = t["html"].as_str().unwrap();
        for english in
            ["Maturity profile", "All participants", "Your ", "fewer than", "The scale", "Exercise:", "no score"]
        {
            assert!(!html.contains(english), "{english} in {}'s take-away", room[i].0);
        }
        assert!(t["file_name"].as_str().unwrap().starts_with("profil-de-maturite-"));
    }
}
