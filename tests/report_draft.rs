//! What the facilitator adds to the report from the console, and the 12:00 adoption
//! board, over real sockets: the executive summary and marking, every evaluator's rating
//! beside the consensus, the improvement plan's IP columns (and the plan alone as CSV
//! read back with a CSV parser), priority votes, and what the shared screen shows. Each
//! refusal has its typed code and changes nothing.

mod common;

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};

/// Sends `msg` with a client id and returns the `ack` or `error` that answers it (the
/// pushes before it are dropped: use [`pushes`] to see them).
async fn ask(c: &mut Client, msg: Value) -> Value {
    pushes(c, msg).await.pop().unwrap()
}

/// Sends `msg` with a client id; every frame up to and including its `ack` or `error`,
/// then whatever the server pushed up to a sync point.
async fn pushes(c: &mut Client, mut msg: Value) -> Vec<Value> {
    msg["client_msg_id"] = "q".into();
    c.send(msg).await;
    let mut seen = Vec::new();
    loop {
        let m = c.recv().await;
        let answer = (m["type"] == "ack" || m["type"] == "error") && m["client_msg_id"] == "q";
        seen.push(m);
        if answer {
            let answer = seen.pop().unwrap();
            seen.extend(c.sync().await);
            seen.push(answer);
            return seen;
        }
    }
}

async fn refused(c: &mut Client, msg: Value) -> String {
    let m = ask(c, msg).await;
    assert_eq!(m["type"], "error", "{m}");
    m["code"].as_str().unwrap().to_owned()
}

async fn ok(c: &mut Client, msg: Value) {
    let m = ask(c, msg).await;
    assert_eq!(m["type"], "ack", "{m}");
}

async fn export(server: &TestServer, ex: &Exercise, query: &str) -> String {
    let url = format!("{}/api/exercises/{}/export?{query}", server.base, ex.id);
    let res = server.http().get(url).bearer_auth(&ex.key).send().await.unwrap();
    assert!(res.status().is_success(), "{query}: {}", res.status());
    res.text().await.unwrap()
}

fn item(issue: &str, group: &str, extra: Value) -> Value {
    let mut item = json!({"issue": issue, "corrective_action": "Do it", "group_id": group, "capability": "planning",
                          "responsible_org": "Central Bank", "owner": "Head of supervision", "due": "2027-03-31"});
    for (k, v) in extra.as_object().unwrap() {
        item[k] = v.clone();
    }
    item
}

#[tokio::test]
async fn the_summary_marking_ratings_plan_columns_and_adoption_votes_reach_the_report() {
    let server = TestServer::start().await;
    let ex = server.create("dfs-salary-tide").await;
    let (mut fac, welcome) = server.facilitate(&ex).await;
    assert_eq!(welcome["report"]["executive_summary"], "");
    let default_marking = welcome["report"]["default_marking"].clone();
    assert_eq!(welcome["report"]["marking"], default_marking);
    let (mut awa, awa_welcome) = server.join(&ex, "Awa").await;
    let awa_token = awa_welcome["you"]["resume_token"].clone();
    let (mut bako, _) = server.join(&ex, "Bako").await;
    let mut screen = server.client().await;
    screen.send(json!({"type": "project", "join_code": ex.join_code})).await;
    screen.recv_type("welcome").await;

    // The executive summary and marking: the facilitator's alone, checked, kept.
    assert_eq!(refused(&mut awa, json!({"type": "edit_report", "executive_summary": "mine"})).await, "forbidden");
    let long = "x".repeat(41);
    assert_eq!(refused(&mut fac, json!({"type": "edit_report", "marking": long})).await, "too_long");
    assert_eq!(refused(&mut fac, json!({"type": "edit_report", "marking": 7})).await, "invalid_message");
    let summary = "The room froze swapped SIMs in 3 minutes.\n\nTwo gaps: no feed, no <b>MOU</b>. =SUM(A1)";
    let frames =
        pushes(&mut fac, json!({"type": "edit_report", "executive_summary": summary, "marking": "TLP:AMBER+STRICT"}))
            .await;
    assert_eq!(frames.last().unwrap()["type"], "ack");
    let draft = frames.into_iter().rfind(|m| m["type"] == "report_draft").expect("the console hears it");
    assert_eq!(
        (draft["executive_summary"].as_str(), draft["marking"].as_str()),
        (Some(summary), Some("TLP:AMBER+STRICT"))
    );
    ok(&mut fac, json!({"type": "edit_report", "marking": ""})).await;
    let (_, again) = server.facilitate(&ex).await;
    assert_eq!(again["report"]["executive_summary"], summary, "a marking alone leaves the summary");
    assert_eq!(again["report"]["marking"], default_marking, "an empty marking is the scenario's again");
    ok(&mut fac, json!({"type": "edit_report", "marking": "TLP:RED"})).await;

    // Every evaluator's rating stands beside the others; the facilitator's is the consensus.
    let frames = pushes(&mut fac, json!({"type": "add_observer", "name": "Eva"})).await;
    let key = frames.into_iter().rfind(|m| m["type"] == "observer").unwrap()["key"].clone();
    let mut eva = server.client().await;
    eva.send(json!({"type": "observe", "exercise_id": ex.id, "observer_key": key})).await;
    eva.recv_type("welcome").await;
    let rate = |rating: &str, strengths: &str| json!({"type": "rate_objective", "objective_id": "coordinate", "rating": rating, "strengths": strengths});
    ok(&mut eva, rate("M", "Eva first")).await;
    ok(&mut eva, rate("S", "Eva, second thoughts")).await;
    ok(&mut fac, rate("P", "Agreed in the hot wash")).await;
    let (_, w) = server.facilitate(&ex).await;
    let ratings: Vec<(&str, bool, &str)> = (w["ratings"].as_array().unwrap().iter())
        .map(|r| (r["rating"].as_str().unwrap(), r["consensus"].as_bool().unwrap(), r["author_name"].as_str().unwrap()))
        .collect();
    assert_eq!(ratings, [("S", false, "Eva"), ("P", true, "Facilitator")], "one per evaluator, side by side");

    // Notes filed as strengths and areas for improvement land in their domain.
    ok(&mut eva, json!({"type": "note", "group_id": "risk", "category": "strength", "text": "Froze SIMs fast"})).await;
    let bad = json!({"type": "note", "group_id": "risk", "category": "praise", "text": "x"});
    assert_eq!(refused(&mut eva, bad).await, "invalid_message");

    // The plan's IP columns: checked, kept, exported.
    let accept = |item: Value| json!({"type": "accept_improvement", "item": item});
    let late_start = item("x", "governance", json!({"start": "2027-04-01"}));
    assert_eq!(refused(&mut fac, accept(late_start)).await, "invalid_value", "start after completion");
    let no_such_priority = item("x", "governance", json!({"priority": "urgent"}));
    assert_eq!(refused(&mut fac, accept(no_such_priority)).await, "invalid_message");
    let mou = json!({"start": "2026-12-07", "priority": "high", "progress": "in_progress"});
    let mut frames = pushes(&mut fac, accept(item("=HYPERLINK(\"http://x\") no MOU", "governance", mou))).await;
    frames.extend(
        pushes(&mut fac, accept(item("No SIM-change feed", "protection", json!({"progress": "not_started"})))).await,
    );
    ok(&mut awa, json!({"type": "propose_improvement", "item": item("Proposed only", "risk", json!({}))})).await;
    frames.extend(fac.sync().await);
    let items: Vec<(String, String)> = (frames.into_iter())
        .filter(|m| m["type"] == "improvement")
        .map(|m| (m["item_id"].as_str().unwrap().to_owned(), m["status"].as_str().unwrap().to_owned()))
        .collect();
    let accepted: Vec<&str> = items.iter().filter(|(_, s)| s == "accepted").map(|(id, _)| id.as_str()).collect();
    let proposed = items.iter().find(|(_, s)| s == "proposed").unwrap().0.clone();
    assert_eq!(accepted.len(), 2);

    // The adoption board: closed until opened; up to 3 distinct accepted items.
    let vote = |ids: &[&str]| json!({"type": "vote_priorities", "item_ids": ids});
    assert_eq!(refused(&mut awa, vote(&[accepted[0]])).await, "adoption_unavailable");
    assert_eq!(refused(&mut awa, json!({"type": "open_adoption"})).await, "forbidden");
    ok(&mut fac, json!({"type": "open_adoption"})).await;
    ok(&mut fac, json!({"type": "show_on_projector", "view": "adoption"})).await;
    assert_eq!(refused(&mut awa, json!({"type": "show_on_projector", "view": "results"})).await, "forbidden");
    assert_eq!(refused(&mut fac, vote(&[accepted[0]])).await, "forbidden", "the facilitator does not vote");
    assert_eq!(refused(&mut awa, vote(&["no-such-item"])).await, "unknown_item");
    assert_eq!(refused(&mut awa, vote(&[&proposed])).await, "invalid_value", "a proposal is not in the plan");
    assert_eq!(refused(&mut awa, vote(&[accepted[0], accepted[0]])).await, "invalid_value");
    let four = [accepted[0], accepted[1], accepted[0], accepted[1]];
    let frames = pushes(&mut awa, vote(&four)).await;
    assert_eq!(frames.last().unwrap()["code"], "too_many_votes");
    let (_, phone) = {
        let mut again = server.client().await;
        let token = awa_token.clone();
        again.send(json!({"type": "resume", "resume_token": token})).await;
        let w = again.recv_type("welcome").await;
        (again, w)
    };
    let board = &phone["adoption"];
    assert_eq!(board["mine"], json!([]), "the phone's welcome has its own (empty) choice");
    assert_eq!(board["state"], "open");
    assert!(board["items"].as_array().unwrap().iter().all(|i| i.get("votes").is_none()), "no counts on phones");
    assert_eq!(board["items"][0]["group_id"], "governance", "by domain in scenario order");
    ok(&mut awa, vote(&[accepted[0], accepted[1]])).await;
    ok(&mut bako, vote(&[accepted[1]])).await;
    ok(&mut bako, vote(&[accepted[0]])).await;
    let counts = |board: &Value| -> Vec<u64> {
        board["items"].as_array().unwrap().iter().map(|i| i["votes"].as_u64().unwrap()).collect()
    };
    let on_screen = screen.drain(std::time::Duration::from_millis(300)).await;
    assert!(on_screen.iter().any(|m| m["type"] == "showing" && m["view"] == "adoption"));
    let screen_board = on_screen.iter().rfind(|m| m["type"] == "adoption").unwrap();
    assert_eq!(counts(screen_board), [2, 1], "Bako's second choice replaced the first");
    assert_eq!(screen_board["voters"], 2);
    assert!(!serde_json::to_string(&on_screen).unwrap().contains("Awa"), "no voter named on the screen");
    ok(&mut fac, json!({"type": "close_adoption"})).await;
    assert_eq!(refused(&mut awa, vote(&[])).await, "adoption_unavailable", "closed: the votes stand");
    let (_, rejoined) = server.facilitate(&ex).await;
    assert_eq!(counts(&rejoined["adoption"]), [2, 1]);

    // The report carries it all.
    let report: Value = serde_json::from_str(&export(&server, &ex, "format=json").await).unwrap();
    assert_eq!(report["executive_summary"]["text"], summary);
    assert_eq!(report["cover"]["marking"], "TLP:RED");
    assert!(report["cover"]["non_attribution"].is_string(), "DFS is attributed by group");
    let coordinate =
        report["objectives"].as_array().unwrap().iter().find(|o| o["objective_id"] == "coordinate").unwrap();
    assert_eq!(coordinate["rating"]["letter"], "P");
    assert_eq!(coordinate["rating"]["consensus"], true);
    assert_eq!(coordinate["ratings"].as_array().unwrap().len(), 2);
    let risk = report["domains"].as_array().unwrap().iter().find(|d| d["group_id"] == "risk").unwrap();
    assert_eq!(risk["strengths"][0]["text"], "Froze SIMs fast");
    let plan = report["improvement_plan"].as_array().unwrap();
    assert_eq!(
        (
            plan[0]["start_date"].as_str(),
            plan[0]["priority"].as_str(),
            plan[0]["progress"].as_str(),
            plan[0]["votes"].as_u64()
        ),
        (Some("2026-12-07"), Some("high"), Some("in_progress"), Some(2))
    );
    assert_eq!(report["adoption"]["voters"], 2);
    let top = &report["executive_summary"]["key_figures"]["top_items"];
    assert_eq!(top[0]["item_id"], accepted[0], "most votes first");
    let markdown = export(&server, &ex, "format=md").await;
    assert!(markdown.contains("## Executive summary") && markdown.contains("Two gaps"), "the summary in Markdown");

    // The plan alone: CSV read back by a CSV parser, formulas neutralised; JSON.
    let csv_text = export(&server, &ex, "format=plan-csv").await;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, tabletop::debrief::export::csv::PLAN_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "two accepted, one proposed; none dropped");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("issue")], "'=HYPERLINK(\"http://x\") no MOU", "a formula stays text");
    assert_eq!(&rows[0][col("start_date")], "2026-12-07");
    assert_eq!(&rows[0][col("completion_date")], "2027-03-31");
    assert_eq!(&rows[0][col("priority")], "High");
    assert_eq!(&rows[0][col("status")], "In progress");
    assert_eq!(&rows[0][col("votes")], "2");
    assert_eq!(&rows[2][col("plan_status")], "proposed");
    assert_eq!(&rows[2][col("proposed_by")], "", "attributed by group: no proposer's name");
    let plan_json: Value = serde_json::from_str(&export(&server, &ex, "format=plan-json").await).unwrap();
    assert_eq!(plan_json["format"], "tabletop-improvement-plan");
    assert_eq!(plan_json["items"].as_array().unwrap().len(), 3);
    assert_eq!(plan_json["marking"], "TLP:RED");
}
