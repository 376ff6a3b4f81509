//! Evaluation capture over real sockets: observers with their own keys (read-only
//! control room plus notes and ratings), group proposals for the improvement plan, the
//! self-assessment, and all of it kept across a restart.

mod common;

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};

/// The facilitator adds an observer; returns the key the facilitator was sent.
async fn add_observer(facilitator: &mut Client, name: &str) -> String {
    facilitator.send(json!({"type": "add_observer", "name": name})).await;
    let pushed = facilitator.recv_type("observer").await;
    assert_eq!(pushed["name"], name);
    pushed["key"].as_str().expect("the facilitator gets the key").to_owned()
}

async fn observe(server: &TestServer, ex: &Exercise, key: &str) -> (Client, Value) {
    let mut c = server.client().await;
    c.send(json!({"type": "observe", "exercise_id": ex.id, "observer_key": key})).await;
    let first = c.recv().await;
    (c, first)
}

#[tokio::test]
async fn an_observer_sees_the_control_room_read_only_and_adds_notes_and_ratings() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;
    let (mut risk, _) = server.join(&ex, "Awa").await;
    facilitator.send(json!({"type": "start"})).await;
    risk.recv_type("inject").await;
    risk.send(json!({"type": "respond", "inject_id": "first-alert", "text": "hold swaps", "client_msg_id": "a1"}))
        .await;
    risk.recv_type("ack").await;

    let key = add_observer(&mut facilitator, "Evaluator Eva").await;
    let (_, refused) = observe(&server, &ex, "not-the-key").await;
    assert_eq!(refused["code"], "bad_credentials");
    let (mut observer, welcome) = observe(&server, &ex, &key).await;
    assert_eq!(welcome["role"], "observer");
    assert_eq!(welcome["observer"]["name"], "Evaluator Eva");
    let raw = welcome.to_string();
    assert!(
        raw.contains("hold swaps") && raw.contains("facilitator_notes"),
        "the observer sees what the facilitator sees"
    );
    assert!(!raw.contains(&key) && !raw.contains(&ex.key), "no keys in an observer's welcome");

    for cmd in ["start", "pause", "end", "open_self_assessment"] {
        observer.send(json!({"type": cmd})).await;
        assert_eq!(observer.recv_type("error").await["code"], "forbidden", "{cmd}");
    }
    observer.send(json!({"type": "release", "inject_id": "wrap-up"})).await;
    assert_eq!(observer.recv_type("error").await["code"], "forbidden");
    observer.send(json!({"type": "add_observer", "name": "Mallory"})).await;
    assert_eq!(observer.recv_type("error").await["code"], "forbidden");

    // A second observer added later shows up live in the first one's list, by name only.
    let second_key = add_observer(&mut facilitator, "Evaluator Ousman").await;
    let pushed = observer.recv_type("observer").await;
    assert_eq!(pushed["name"], "Evaluator Ousman");
    assert!(pushed.get("key").is_none_or(Value::is_null), "no key for an observer: {pushed}");
    assert!(!pushed.to_string().contains(&second_key));

    observer
        .send(json!({"type": "note", "inject_id": "first-alert", "objective_id": "respond", "group_id": "risk",
            "text": "Risk declared within two minutes", "client_msg_id": "n1"}))
        .await;
    assert_eq!(observer.recv_type("ack").await["client_msg_id"], "n1");
    let note = facilitator.recv_type("note").await;
    assert_eq!(
        (note["author_name"].as_str(), note["text"].as_str()),
        (Some("Evaluator Eva"), Some("Risk declared within two minutes"))
    );
    observer
        .send(json!({"type": "rate_objective", "objective_id": "respond", "rating": "S", "strengths": "Quick"}))
        .await;
    assert_eq!(facilitator.recv_type("rating").await["rating"], "S");
    observer.send(json!({"type": "rate_objective", "objective_id": "respond", "rating": "X"})).await;
    assert_eq!(observer.recv_type("error").await["code"], "invalid_message");

    // The facilitator's state did not move; participants heard nothing of it.
    let (_, w) = server.facilitate(&ex).await;
    assert_eq!(w["clock"]["state"], "running");
    assert_eq!(w["plan"][2]["status"], "pending");
    assert_eq!(w["notes"].as_array().unwrap().len(), 1);
    let heard = risk.sync().await;
    let heard = serde_json::to_string(&heard).unwrap() + &serde_json::to_string(&risk.log).unwrap();
    assert!(!heard.contains("Risk declared") && !heard.contains("Evaluator Eva") && !heard.contains("\"rating\""));

    // The observer key reads the timeline; a participant's token does not.
    let timeline = |token: String| {
        let url = format!("{}/api/exercises/{}/timeline", server.base, ex.id);
        async move { reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(timeline(key.clone()).await, 200);
    let token =
        risk.log.iter().find(|m| m["type"] == "welcome").unwrap()["you"]["resume_token"].as_str().unwrap().to_owned();
    assert_eq!(timeline(token).await, 401);
}

#[tokio::test]
async fn groups_propose_fixes_rate_themselves_and_it_all_survives_a_restart() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut facilitator, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["self_assessment_results"]["state"], "not_opened");
    let (mut risk, rw) = server.join(&ex, "Awa").await;
    let (mut governance, _) = server.join(&ex, "Bako").await;
    assert_eq!(rw["self_assessment"]["statements"].as_array().unwrap().len(), 2);

    // Rating before the facilitator opens it is refused, with the client's id.
    risk.send(json!({"type": "self_assess", "scores": {"risk-register": 4}, "client_msg_id": "s0"})).await;
    let e = risk.recv_type("error").await;
    assert_eq!((e["code"].as_str(), e["client_msg_id"].as_str()), (Some("self_assessment_unavailable"), Some("s0")));

    facilitator.send(json!({"type": "open_self_assessment"})).await;
    assert_eq!(risk.recv_type("self_assessment").await["state"], "open");
    assert_eq!(governance.recv_type("self_assessment").await["statements"][0]["id"], "governance-decides");
    risk.send(
        json!({"type": "self_assess", "scores": {"risk-register": 4, "risk-partners": 2}, "client_msg_id": "s1"}),
    )
    .await;
    risk.recv_type("ack").await;
    governance.send(json!({"type": "self_assess", "scores": {"risk-register": 5}, "client_msg_id": "s2"})).await;
    assert_eq!(governance.recv_type("error").await["code"], "unknown_statement", "not governance's statement");
    governance.send(json!({"type": "self_assess", "scores": {"governance-decides": 3}, "client_msg_id": "s3"})).await;
    governance.recv_type("ack").await;
    let results = loop {
        let r = facilitator.recv_type("self_assessment_results").await;
        if r["groups"][1]["raters"] == 1 {
            break r;
        }
    };
    assert_eq!(results["groups"][0]["group_id"], "risk");
    assert_eq!(results["groups"][0]["mean"], 3.0);
    assert_eq!(results["groups"][1]["statements"][0]["mean"], 3.0);

    // A fix proposed by risk reaches risk and the facilitator, not governance.
    let fix = json!({"issue": "No SIM-swap hold", "corrective_action": "24-hour hold after a SIM change",
        "capability": "planning", "responsible_org": "BaobabPay", "owner": "Head of fraud", "due": "2027-01-31"});
    risk.send(json!({"type": "propose_improvement", "item": fix, "client_msg_id": "p1"})).await;
    risk.recv_type("ack").await;
    let proposed = facilitator.recv_type("improvement").await;
    assert_eq!((proposed["status"].as_str(), proposed["proposed_by"].as_str()), (Some("proposed"), Some("Awa")));
    assert_eq!(proposed["item"]["group_id"], "risk");
    let item_id = proposed["item_id"].as_str().unwrap().to_owned();
    let mut accepted = proposed["item"].clone();
    accepted["owner"] = json!("Chief risk officer");
    facilitator.send(json!({"type": "accept_improvement", "item_id": item_id, "item": accepted})).await;
    let seen = loop {
        let m = risk.recv_type("improvement").await;
        if m["status"] == "accepted" {
            break m;
        }
    };
    assert_eq!(seen["item"]["owner"], "Chief risk officer");
    let bad = json!({"issue": "x", "corrective_action": "y", "capability": "planning", "due": "31/01/2027"});
    risk.send(json!({"type": "propose_improvement", "item": bad, "client_msg_id": "p2"})).await;
    assert_eq!(risk.recv_type("error").await["code"], "invalid_value");
    let heard =
        serde_json::to_string(&governance.sync().await).unwrap() + &serde_json::to_string(&governance.log).unwrap();
    assert!(!heard.contains("SIM-swap hold") && !heard.contains("self_assessment_results"));

    // Evaluation continues after the end, and a restart replays all of it.
    facilitator.send(json!({"type": "end"})).await;
    facilitator.recv_type("clock").await;
    facilitator.send(json!({"type": "note", "text": "Hot wash: escalation unclear", "client_msg_id": "n1"})).await;
    facilitator.recv_type("ack").await;
    drop((facilitator, risk, governance));
    let data = server.stop().await;
    let server = TestServer::start_in(data, |_| {}).await;
    let (_, w) = server.facilitate(&ex).await;
    assert_eq!(w["notes"][0]["text"], "Hot wash: escalation unclear");
    assert_eq!(w["improvements"][0]["status"], "accepted");
    assert_eq!(w["self_assessment_results"]["groups"][0]["mean"], 3.0);
    assert_eq!(w["self_assessment_results"]["state"], "open");
}
