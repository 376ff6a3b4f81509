//! Who is in the room: a participant may say which organisation and sector they speak
//! for when they join. Over real sockets: the join form's data (`GET /api/join/{code}`),
//! the room's spelling of an organisation kept, an unknown sector refused, and the
//! roster, the welcome and the timeline carrying both.

mod common;

use common::TestServer;
use serde_json::{Value, json};

async fn join_info(server: &TestServer, code: &str) -> (u16, Value) {
    let res = server.http().get(format!("{}/api/join/{code}", server.base)).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn participants_say_who_they_speak_for_and_the_console_and_timeline_show_it() {
    let server = TestServer::start().await;
    let ex = server.create("dfs-salary-tide").await;
    let (mut facilitator, _) = server.facilitate(&ex).await;

    let (status, info) = join_info(&server, &ex.join_code.to_lowercase()).await;
    assert_eq!(status, 200, "{info}");
    let sectors: Vec<&str> = info["sectors"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(sectors.len(), 10, "{info}");
    assert!(sectors.contains(&"central-bank") && sectors.contains(&"emoney"));
    assert_eq!(info["organisations"], json!([]));

    let join = |name: &str, organisation: &str, sector: &str| json!({"type": "join", "join_code": ex.join_code, "name": name, "organisation": organisation, "sector": sector});
    let mut awa = server.client().await;
    awa.send(join("Awa", "Central Bank of The Gambia", "central-bank")).await;
    let welcome = awa.recv_type("welcome").await;
    assert_eq!(welcome["you"]["organisation"], "Central Bank of The Gambia");
    assert_eq!(welcome["you"]["sector"], "central-bank");
    let pushed = facilitator.recv_type("participant").await;
    assert_eq!(pushed["participant"]["organisation"], "Central Bank of The Gambia");
    assert_eq!(pushed["participant"]["sector"], "central-bank");

    // The same organisation typed another way is the room's spelling.
    let mut bako = server.client().await;
    bako.send(join("Bako", "  central bank of the GAMBIA ", "central-bank")).await;
    assert_eq!(bako.recv_type("welcome").await["you"]["organisation"], "Central Bank of The Gambia");

    // A sector the scenario does not list is refused; the socket can join after.
    let mut lamin = server.client().await;
    lamin.send(join("Lamin", "BaobabPay", "insurer")).await;
    let refused = lamin.recv().await;
    assert_eq!((refused["type"].as_str(), refused["code"].as_str()), (Some("error"), Some("unknown_sector")));
    lamin.send(join("Lamin", "BaobabPay", "emoney")).await;
    assert_eq!(lamin.recv_type("welcome").await["you"]["sector"], "emoney");
    // Both are optional.
    let (_, quiet) = server.join(&ex, "Quiet").await;
    assert!(quiet["you"].get("organisation").is_none() && quiet["you"].get("sector").is_none(), "{quiet}");

    let (_, info) = join_info(&server, &ex.join_code).await;
    assert_eq!(info["organisations"], json!(["Central Bank of The Gambia", "BaobabPay"]), "suggestions for the form");

    let (_, console) = server.facilitate(&ex).await;
    let roster: Vec<(&str, Option<&str>)> = console["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["organisation"].as_str()))
        .collect();
    assert_eq!(
        roster,
        [
            ("Awa", Some("Central Bank of The Gambia")),
            ("Bako", Some("Central Bank of The Gambia")),
            ("Lamin", Some("BaobabPay")),
            ("Quiet", None)
        ]
    );
    let timeline = server.timeline(&ex).await;
    let joins: Vec<(&str, Option<&str>)> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "participant_joined")
        .map(|e| (e["participant_name"].as_str().unwrap(), e["sector"].as_str()))
        .collect();
    assert_eq!(
        joins,
        [("Awa", Some("central-bank")), ("Bako", Some("central-bank")), ("Lamin", Some("emoney")), ("Quiet", None)]
    );

    let (status, body) = join_info(&server, "ZZZZZZZZ").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}
