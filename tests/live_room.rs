//! The live room over real sockets: polls (tally per group equals the answers stored,
//! invalid options refused, the projector sees results only when shown), answer windows
//! (late marked in play time, across a pause and a speed change), the lobby briefing,
//! breakout groups (picker, batch moves, rebalancing, the assignment CSV) and, in group
//! answer mode, the scribe and members' contributions.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};

async fn join_group(server: &TestServer, ex: &Exercise, name: &str, group: &str) -> (Client, Value) {
    let mut c = server.client().await;
    c.send(json!({"type": "join", "join_code": ex.join_code, "name": name, "group_id": group,
                  "email": format!("{}@example.org", name.to_lowercase())}))
        .await;
    let welcome = c.recv_type("welcome").await;
    assert_eq!(welcome["group"]["id"], group, "{welcome}");
    (c, welcome)
}

/// The last message of type `ty` among `msgs` (panics if none).
fn last_of(msgs: Vec<Value>, ty: &str) -> Value {
    msgs.into_iter().rfind(|m| m["type"] == ty).unwrap_or_else(|| panic!("no {ty} message"))
}

/// The names marked scribe in a `group_members` push.
fn scribes(members: &Value) -> Vec<&str> {
    let members = members["members"].as_array().unwrap().iter();
    members.filter(|m| m["scribe"] == true).map(|m| m["name"].as_str().unwrap()).collect()
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or("")
}

/// `GET /api/join/{code}`: what the join form offers.
async fn join_info(server: &TestServer, ex: &Exercise) -> Value {
    let url = format!("{}/api/join/{}", server.base, ex.join_code);
    server.http().get(url).send().await.unwrap().json().await.unwrap()
}

async fn projector(server: &TestServer, ex: &Exercise) -> (Client, Value) {
    let mut p = server.client().await;
    p.send(json!({"type": "project", "join_code": ex.join_code})).await;
    let w = p.recv_type("welcome").await;
    (p, w)
}

#[tokio::test]
async fn a_poll_counts_each_participants_latest_choice_per_group_and_refuses_bad_options() {
    let server = TestServer::start().await;
    let ex = server.create("live-room").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut proj, _) = projector(&server, &ex).await;
    let mut people = Vec::new();
    for (name, group) in [
        ("Awa", "governance"),
        ("Bako", "governance"),
        ("Chi", "protection"),
        ("Dudu", "incident"),
        ("Ebou", "incident"),
    ] {
        people.push(join_group(&server, &ex, name, group).await.0);
    }
    fac.send(json!({"type": "start"})).await;
    let inject = people[0].recv_type("inject").await;
    assert_eq!(inject["inject_id"], "ransom");
    assert_eq!(
        inject["response"],
        json!({"kind": "choice", "options": [
            {"id": "pay", "label": "Pay the ransom"}, {"id": "refuse", "label": "Do not pay"},
            {"id": "escalate-first", "label": "Escalate first"}]}),
        "options carry ids (a label alone gets one derived from it)"
    );
    assert_eq!(inject["respond_within_ms"], 120_000);

    let respond = |options: Value, text: &str| json!({"type": "respond", "inject_id": "ransom", "options": options, "text": text});
    // Refused: an option the poll does not offer, two for a single choice, nothing at
    // all. Nothing is stored.
    let e = people[0].ask(respond(json!(["bribe"]), ""), "x1").await;
    assert_eq!(code(&e), "unknown_option", "{e}");
    let e = people[0].ask(respond(json!(["pay", "refuse"]), ""), "x2").await;
    assert_eq!(code(&e), "invalid_choice", "{e}");
    let e = people[0].ask(respond(json!([]), " "), "x3").await;
    assert_eq!(code(&e), "invalid_text", "neither a choice nor a text: {e}");
    // A text-only answer to a poll is taken and counts in no tally.
    assert_eq!(people[1].ask(respond(json!([]), "We would not choose yet"), "t1").await["type"], "ack");

    // Answers: the "why" is optional; Awa changes her mind (the latest counts).
    let answers = [
        (0, "pay", ""),
        (1, "refuse", "Never fund crime"),
        (2, "refuse", ""),
        (3, "escalate-first", "Board"),
        (4, "refuse", ""),
        (0, "escalate-first", "On reflection"),
    ];
    for (n, (who, option, why)) in answers.iter().enumerate() {
        let ack = people[*who].ask(respond(json!([option]), why), &format!("a{n}")).await;
        assert_eq!(ack["type"], "ack", "{ack}");
    }
    // The console's tally as it came; the projector got none (results not shown).
    let pushed: Vec<Value> = fac.sync().await.into_iter().filter(|m| m["type"] == "tally").collect();
    let tally = pushed.last().expect("tally pushes to the console").clone();
    assert_eq!(tally["answers"], 5, "{tally}");
    assert_eq!(tally["total"], json!({"pay": 0, "refuse": 3, "escalate-first": 2}));
    assert_eq!(tally["by_group"]["governance"], json!({"pay": 0, "refuse": 1, "escalate-first": 1}));
    assert_eq!(tally["by_group"]["incident"], json!({"pay": 0, "refuse": 1, "escalate-first": 1}));
    assert!(proj.sync().await.iter().all(|m| m["type"] != "tally"), "no results on the shared screen yet");

    // The tally equals what is stored: recount from the timeline (latest per participant).
    let timeline = server.timeline(&ex).await;
    let mut latest: BTreeMap<String, (String, String)> = BTreeMap::new();
    for e in timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "response_submitted" && e.get("options").is_some())
    {
        let option = e["options"][0].as_str().unwrap().to_owned();
        latest.insert(e["participant_id"].as_str().unwrap().into(), (e["group_id"].as_str().unwrap().into(), option));
    }
    let mut recount: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (group, option) in latest.values() {
        *recount.entry(group.clone()).or_default().entry(option.clone()).or_default() += 1;
    }
    for (group, counts) in &recount {
        for (option, n) in counts {
            assert_eq!(tally["by_group"][group][option], *n, "{group}/{option}: {tally}");
        }
    }

    // Show results: the projector gets the chart's data, and later answers while shown.
    let shown = fac.ask(json!({"type": "show_on_projector", "view": "poll", "inject_id": "ransom"}), "s1").await;
    assert_eq!(shown["type"], "ack", "{shown}");
    let showing = proj.recv_type("showing").await;
    assert_eq!((showing["view"].as_str(), showing["inject_id"].as_str()), (Some("poll"), Some("ransom")));
    assert_eq!(showing["tally"]["total"]["refuse"], 3);
    people[2].ask(respond(json!(["pay"]), ""), "late-change").await;
    assert_eq!(proj.recv_type("tally").await["total"]["pay"], 1);
    // Hidden again: no more tallies on the shared screen.
    fac.ask(json!({"type": "show_on_projector", "view": "play"}), "s2").await;
    people[3].ask(respond(json!(["pay"]), ""), "after-hide").await;
    let after: Vec<Value> = proj.sync().await;
    assert!(after.iter().any(|m| m["type"] == "showing" && m["view"] == "play"));
    assert!(after.iter().all(|m| m["type"] != "tally"), "{after:?}");

    // A poll that is not released, or not a poll, cannot be shown; a text inject takes no options.
    let e = fac.ask(json!({"type": "show_on_projector", "view": "poll", "inject_id": "first-notifier"}), "s3").await;
    assert_eq!(code(&e), "inject_not_released", "{e}");
    fac.send(json!({"type": "release", "inject_id": "recovery"})).await;
    people[0].recv_type("inject").await;
    let e = fac.ask(json!({"type": "show_on_projector", "view": "poll", "inject_id": "recovery"}), "s4").await;
    assert_eq!(code(&e), "not_a_poll", "{e}");
    let e =
        people[0].ask(json!({"type": "respond", "inject_id": "recovery", "options": ["pay"], "text": "x"}), "x4").await;
    assert_eq!(code(&e), "not_a_poll", "{e}");

    // A multiple-choice poll takes several, each once.
    fac.send(json!({"type": "release", "inject_id": "first-notifier"})).await;
    people[0].recv_type("inject").await;
    let multi =
        json!({"type": "respond", "inject_id": "first-notifier", "options": ["csirt", "central-bank", "csirt"]});
    assert_eq!(people[0].ask(multi, "m1").await["type"], "ack");
    let tally = fac.recv_type("tally").await;
    assert_eq!(tally["inject_id"], "first-notifier");
    assert_eq!(tally["total"], json!({"central-bank": 1, "telecom-regulator": 0, "csirt": 1}));

    // A fresh console has every released poll's tally.
    let (_, console) = server.facilitate(&ex).await;
    let tallies = console["tallies"].as_array().unwrap();
    assert_eq!(tallies.len(), 2, "{tallies:?}");
}

#[tokio::test]
async fn an_answer_after_the_window_is_late_in_play_time_across_a_pause_and_a_speed_change() {
    let server = TestServer::start().await;
    let ex = server.create("live-room").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut awa, _) = join_group(&server, &ex, "Awa", "governance").await;
    let (mut bako, _) = join_group(&server, &ex, "Bako", "incident").await;
    fac.send(json!({"type": "start"})).await;
    let inject = awa.recv_type("inject").await;
    assert_eq!(inject["due_play_ms"], inject["play_ms"].as_u64().unwrap() + 120_000);

    // Paused for longer than the window in wall time: play time stands still, so an
    // answer now is on time.
    fac.send(json!({"type": "pause"})).await;
    awa.recv_type("clock").await;
    fac.send(json!({"type": "set_speed", "speed": 600})).await;
    awa.recv_type("clock").await;
    tokio::time::sleep(Duration::from_millis(400)).await; // 4 play minutes, were the clock running
    let on_time = json!({"type": "respond", "inject_id": "ransom", "options": ["refuse"]});
    assert_eq!(awa.ask(on_time, "on-time").await["type"], "ack");
    let pushed = fac.recv_type("response").await;
    assert!(pushed.get("late").is_none(), "answered in the window: {pushed}");

    // Resumed at 600×: two play minutes pass in 0.2 s of wall time.
    fac.send(json!({"type": "resume_clock"})).await;
    bako.recv_type("clock").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let late = json!({"type": "respond", "inject_id": "ransom", "options": ["pay"], "text": "Finally"});
    assert_eq!(bako.ask(late, "late").await["type"], "ack", "late answers are taken");
    let pushed = fac.recv_type("response").await;
    assert_eq!(pushed["late"], true, "{pushed}");

    let timeline = server.timeline(&ex).await;
    let answers: Vec<(&str, bool)> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "response_submitted")
        .map(|e| (e["participant_name"].as_str().unwrap(), e["late"].as_bool().unwrap()))
        .collect();
    assert_eq!(answers, [("Awa", false), ("Bako", true)]);
}

#[tokio::test]
async fn the_lobby_briefing_the_group_picker_moves_rebalancing_and_the_breakout_csv() {
    let server = TestServer::start().await;
    let ex = server.create("live-room").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut proj, pw) = projector(&server, &ex).await;
    assert_eq!(pw["attendance"]["joined"], 0);

    let info = join_info(&server, &ex).await;
    assert_eq!(info["ask_email"], true);
    let counts: Vec<(&str, u64)> = info["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap(), g["members"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("governance", 0), ("protection", 0), ("incident", 0)]);

    // Four pick governance, one incident; the welcome has the briefing.
    let (mut first, welcome) = join_group(&server, &ex, "Awa", "governance").await;
    let b = &welcome["briefing"];
    assert_eq!(b["ground_rules"].as_array().unwrap().len(), 2, "{b}");
    assert_eq!(b["objectives"][0]["id"], "decide");
    assert_eq!(b["answer_mode"], "individual");
    assert_eq!(welcome["group"]["breakout_room"], "Room G — Governance");
    let mut ids = vec![welcome["you"]["participant_id"].as_str().unwrap().to_owned()];
    for name in ["Bako", "Chi", "Dudu"] {
        let (_, w) = join_group(&server, &ex, name, "governance").await;
        ids.push(w["you"]["participant_id"].as_str().unwrap().to_owned());
    }
    let (_, w) = join_group(&server, &ex, "Ebou", "incident").await;
    assert_eq!(w["group"]["breakout_room"], "Breakout room 3", "no name: by position");
    let members = last_of(first.sync().await, "group_members");
    let names: Vec<&str> = members["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Awa", "Bako", "Chi", "Dudu"], "the group hears who joined it, not other groups");
    let attendance = last_of(proj.sync().await, "attendance");
    assert_eq!(attendance["joined"], 5);
    assert_eq!(attendance["groups"]["governance"], 4);

    // A bad email is refused; an observer cannot download the assignment.
    let mut bad = server.client().await;
    bad.send(json!({"type": "join", "join_code": ex.join_code, "name": "Bad", "email": "not an address"})).await;
    assert_eq!(code(&bad.recv().await), "invalid_value");

    // Move two at once (all or nothing), then rebalance the rest.
    let unknown = "00000000-0000-4000-8000-000000000000";
    let e = fac
        .ask(json!({"type": "move_participants", "participant_ids": [ids[1], unknown], "group_id": "protection"}), "m0")
        .await;
    assert_eq!(code(&e), "unknown_participant", "{e}");
    let ok = fac
        .ask(json!({"type": "move_participants", "participant_ids": [ids[2], ids[3]], "group_id": "protection"}), "m1")
        .await;
    assert_eq!(ok["type"], "ack");
    let info = join_info(&server, &ex).await;
    let counts: Vec<u64> = info["groups"].as_array().unwrap().iter().map(|g| g["members"].as_u64().unwrap()).collect();
    assert_eq!(counts, [2, 2, 1]);
    assert_eq!(fac.ask(json!({"type": "rebalance"}), "r1").await["type"], "ack");
    let (_, console) = server.facilitate(&ex).await;
    assert_eq!(
        console["attendance"]["groups"],
        json!({"governance": 2, "protection": 2, "incident": 1}),
        "already even: nobody moved"
    );

    let csv = |key: String| {
        let url = format!("{}/api/exercises/{}/breakouts.csv", server.base, ex.id);
        let http = server.http();
        async move { http.get(url).bearer_auth(key).send().await.unwrap() }
    };
    let res = csv(ex.key.clone()).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("breakout-rooms.csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "Pre-assign Room Name,Email Address,Participant,Group");
    assert!(lines.contains(&"Room G — Governance,awa@example.org,Awa,Governance"), "{body}");
    assert!(lines.contains(&"Breakout room 2,chi@example.org,Chi,Protection"), "{body}");
    assert_eq!(lines.len(), 6, "{body}");
    fac.send(json!({"type": "add_observer", "name": "Eva"})).await;
    let observer_key = fac.recv_type("observer").await["key"].as_str().unwrap().to_owned();
    assert_eq!(csv(observer_key).await.status(), 401, "emails are for the facilitator");
    assert_eq!(csv("nope".into()).await.status(), 401);
}

#[tokio::test]
async fn rebalancing_moves_the_latest_joiners_of_the_largest_group() {
    let server = TestServer::start().await;
    let ex = server.create("live-room").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    for name in ["A", "B", "C", "D", "E"] {
        join_group(&server, &ex, name, "governance").await;
    }
    assert_eq!(fac.ask(json!({"type": "rebalance"}), "r1").await["type"], "ack");
    let (_, console) = server.facilitate(&ex).await;
    let roster: BTreeMap<&str, &str> = console["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["group_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        roster,
        BTreeMap::from([
            ("A", "governance"),
            ("B", "governance"),
            ("C", "protection"),
            ("D", "incident"),
            ("E", "protection")
        ]),
        "E to the first smallest group, D to the next, then C to the first again"
    );
    assert_eq!(console["roster"][0]["email"], "a@example.org", "the console sees emails");
}

#[tokio::test]
async fn in_group_mode_the_scribe_answers_for_the_group_and_members_contribute() {
    let server = TestServer::start().await;
    let ex = server.create("live-room-scribe").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut awa, w) = join_group(&server, &ex, "Awa", "governance").await;
    let awa_id = w["you"]["participant_id"].as_str().unwrap().to_owned();
    assert_eq!(w["briefing"]["answer_mode"], "group");
    assert_eq!(w["briefing"]["members"][0]["scribe"], true, "the first member is the scribe");
    let (mut bako, w) = join_group(&server, &ex, "Bako", "governance").await;
    let bako_id = w["you"]["participant_id"].as_str().unwrap().to_owned();
    assert!(w["briefing"]["members"][1].get("scribe").is_none());
    let (mut chi, w) = join_group(&server, &ex, "Chi", "governance").await;
    let chi_id = w["you"]["participant_id"].as_str().unwrap().to_owned();
    fac.send(json!({"type": "start"})).await;
    awa.recv_type("inject").await;

    // A member's text is a contribution; their poll choice is refused.
    let e = bako.ask(json!({"type": "respond", "inject_id": "ransom", "options": ["pay"]}), "b0").await;
    assert_eq!(code(&e), "not_scribe", "{e}");
    let ack = bako.ask(json!({"type": "respond", "inject_id": "ransom", "text": "Ask legal first"}), "b1").await;
    assert_eq!(ack["type"], "ack");
    let seen = awa.recv_type("response").await;
    assert_eq!(
        (seen["contribution"].as_bool(), seen["text"].as_str()),
        (Some(true), Some("Ask legal first")),
        "the scribe sees it"
    );
    // The scribe answers for the group, then edits (the latest is the group's).
    awa.ask(json!({"type": "respond", "inject_id": "ransom", "options": ["pay"], "text": "Pay"}), "a1").await;
    awa.ask(
        json!({"type": "respond", "inject_id": "ransom", "options": ["refuse"], "text": "Do not pay; ask legal"}),
        "a2",
    )
    .await;
    let tally = last_of(fac.sync().await, "tally");
    assert_eq!(tally["answers"], 1, "one answer per group: {tally}");
    assert_eq!(tally["total"], json!({"pay": 0, "refuse": 1, "escalate-first": 0}), "a contribution never counts");

    // Only the facilitator or the scribe chooses the scribe; the group hears who it is.
    let e = chi.ask(json!({"type": "assign_scribe", "group_id": "governance", "participant_id": chi_id}), "c1").await;
    assert_eq!(code(&e), "forbidden", "{e}");
    let e = fac.ask(json!({"type": "assign_scribe", "group_id": "protection", "participant_id": chi_id}), "f0").await;
    assert_eq!(code(&e), "not_in_group", "{e}");
    assert_eq!(
        fac.ask(json!({"type": "assign_scribe", "group_id": "governance", "participant_id": bako_id}), "f1").await["type"],
        "ack"
    );
    let members = chi.recv_type("group_members").await;
    assert_eq!(scribes(&members), ["Bako"]);
    // Now Awa's text is a contribution, Bako's answer the group's.
    awa.ask(json!({"type": "respond", "inject_id": "ransom", "text": "I still lean to refuse"}), "a3").await;
    bako.ask(json!({"type": "respond", "inject_id": "ransom", "options": ["escalate-first"]}), "b2").await;
    let tally = last_of(fac.sync().await, "tally");
    assert_eq!(tally["total"], json!({"pay": 0, "refuse": 0, "escalate-first": 1}));

    // The scribe moved out of the group hands the role on to its earliest member.
    fac.send(json!({"type": "move", "participant_id": bako_id, "group_id": "incident"})).await;
    let members = awa.recv_type("group_members").await;
    let members = if members["group_id"] == "governance" { members } else { awa.recv_type("group_members").await };
    assert_eq!(scribes(&members), ["Awa"]);
    // The scribe hands on to Chi; Awa is then a member.
    assert_eq!(
        awa.ask(json!({"type": "assign_scribe", "group_id": "governance", "participant_id": chi_id}), "a4").await["type"],
        "ack"
    );
    let e = awa.ask(json!({"type": "assign_scribe", "group_id": "governance", "participant_id": awa_id}), "a5").await;
    assert_eq!(code(&e), "forbidden", "{e}");

    // After the window the group's answer stands: the scribe cannot edit it; a group
    // that never answered still can, late.
    fac.send(json!({"type": "set_speed", "speed": 600})).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let e = chi.ask(json!({"type": "respond", "inject_id": "ransom", "options": ["pay"]}), "c2").await;
    assert_eq!(code(&e), "window_closed", "{e}");
    let (_, console) = server.facilitate(&ex).await;
    assert_eq!(console["scribes"]["governance"], chi_id);
    assert_eq!(console["scribes"]["incident"], bako_id, "Bako is the incident group's only member");
    let mut bako = bako;
    let ack = bako.ask(json!({"type": "respond", "inject_id": "ransom", "options": ["pay"]}), "b3").await;
    assert_eq!(ack["type"], "ack", "{ack}");
    let e = fac.ask(json!({"type": "rebalance"}), "noop").await;
    assert_eq!(e["type"], "ack");
    // Individual mode has no scribes.
    let solo = server.create("live-room").await;
    let (mut fac2, _) = server.facilitate(&solo).await;
    let (_, w) = join_group(&server, &solo, "Awa", "governance").await;
    let id = w["you"]["participant_id"].as_str().unwrap();
    let e = fac2.ask(json!({"type": "assign_scribe", "group_id": "governance", "participant_id": id}), "n1").await;
    assert_eq!(code(&e), "no_scribes", "{e}");
}
