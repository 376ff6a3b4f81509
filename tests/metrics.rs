//! `GET /metrics`: after a scripted exercise the Prometheus text parses and its numbers
//! match what the clients saw (connections by role, answers acked, commits); it needs the
//! admin token on the main listener; with `--metrics-addr` it is served there alone,
//! without a token, and the main listener answers 404.

mod common;

use common::binary::Binary;
use common::{ADMIN, TestServer};
use prometheus_parse::{Sample, Scrape, Value};
use serde_json::json;

async fn scrape(url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn parse(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text")
}

fn find<'a>(s: &'a Scrape, metric: &str, label: Option<(&str, &str)>) -> &'a Sample {
    s.samples
        .iter()
        .find(|x| x.metric == metric && label.is_none_or(|(k, v)| x.labels.get(k) == Some(v)))
        .unwrap_or_else(|| panic!("no {metric} {label:?}"))
}

fn number(s: &Scrape, metric: &str, label: Option<(&str, &str)>) -> f64 {
    match find(s, metric, label).value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
        ref other => panic!("{metric} is not a number: {other:?}"),
    }
}

#[tokio::test]
async fn metrics_count_what_the_clients_saw() {
    let server = TestServer::start().await;
    let url = format!("{}/metrics", server.base);
    assert_eq!(scrape(&url, None).await.0, 401);
    assert_eq!(scrape(&url, Some("not-the-token")).await.0, 401);

    let ex = server.create("quick-demo").await;
    let (mut f, _) = server.facilitate(&ex).await;
    f.send(json!({"type": "start"})).await;
    f.recv_type("inject").await;
    let mut participants = Vec::new();
    for name in ["Awa", "Binta", "Lamin"] {
        participants.push(server.join(&ex, name).await.0);
    }
    let _waiting = server.client().await; // connected, never identified
    let mut acked = 0;
    for round in 0..3 {
        for (i, p) in participants.iter_mut().enumerate() {
            let id = format!("{i}-{round}");
            p.send(json!({"type": "respond", "inject_id": "first-alert", "text": id, "client_msg_id": id})).await;
            assert_eq!(p.recv_type("ack").await["client_msg_id"], id.as_str());
            acked += 1;
        }
    }
    f.sync().await;

    let (status, text) = scrape(&url, Some(ADMIN)).await;
    assert_eq!(status, 200, "{text}");
    let s = parse(&text);
    let role = |r| number(&s, "tabletop_connections", Some(("role", r)));
    assert_eq!(role("participant"), 3.0, "{text}");
    assert_eq!(role("facilitator"), 1.0, "{text}");
    assert_eq!(role("unidentified"), 1.0, "{text}");
    assert_eq!((role("observer"), role("projector")), (0.0, 0.0), "{text}");
    assert_eq!(number(&s, "tabletop_exercises_live", None), 1.0);
    assert_eq!(number(&s, "tabletop_answers_stored_total", None), f64::from(acked), "{text}");
    let events = number(&s, "tabletop_events_appended_total", None);
    assert!(events > f64::from(acked), "answers, joins, the start and the first inject: {text}");
    assert_eq!(number(&s, "tabletop_sockets_lagging_closed_total", None), 0.0);
    assert_eq!(number(&s, "tabletop_messages_rate_limited_total", None), 0.0);
    let Value::Histogram(buckets) = &find(&s, "tabletop_commit_seconds", None).value else {
        panic!("commit latency is a histogram: {text}")
    };
    assert!(buckets.windows(2).all(|w| w[0].less_than < w[1].less_than && w[0].count <= w[1].count), "{buckets:?}");
    let count = number(&s, "tabletop_commit_seconds_count", None);
    assert!(count > 0.0, "{text}");
    assert_eq!(buckets.last().unwrap().count, count);
    assert!(buckets.last().unwrap().less_than.is_infinite());
    assert!(number(&s, "tabletop_commit_seconds_sum", None) > 0.0);

    // Sockets that leave are uncounted.
    drop(participants);
    let mut left = 3.0;
    for _ in 0..100 {
        left =
            number(&parse(&scrape(&url, Some(ADMIN)).await.1), "tabletop_connections", Some(("role", "participant")));
        if left == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(left, 0.0);
}

#[tokio::test]
async fn rate_limited_messages_are_counted() {
    let server = TestServer::start_with(|o| {
        o.limits.messages_per_second = 0.5;
        o.limits.message_burst = 2.0;
    })
    .await;
    let ex = server.create("quick-demo").await;
    let mut c = server.client().await;
    c.send(json!({"type": "join", "join_code": ex.join_code, "name": "Fast"})).await;
    c.recv_type("welcome").await;
    for i in 0..5 {
        c.send(json!({"type": "ping", "client_msg_id": format!("p{i}")})).await;
    }
    let (mut replies, mut refused) = (0, 0);
    while replies < 5 {
        let reply = c.recv().await;
        if reply["type"] == "ack" || reply["type"] == "error" {
            replies += 1;
            refused += u32::from(reply["code"] == "rate_limited");
        }
    }
    assert!(refused >= 3, "the burst is two messages, the join one of them");
    let text = scrape(&format!("{}/metrics", server.base), Some(ADMIN)).await.1;
    assert_eq!(number(&parse(&text), "tabletop_messages_rate_limited_total", None), f64::from(refused), "{text}");
}

#[tokio::test]
async fn with_metrics_addr_metrics_are_served_there_alone_and_not_on_the_main_listener() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let data = tempfile::tempdir().unwrap();
    let metrics_addr = format!("127.0.0.1:{port}");
    let server = Binary::start_with(data.path(), &["--metrics-addr", &metrics_addr], &[]);
    let ex = server.create("quick-demo").await;
    let _p = server.join(&ex, "Kemo").await;

    assert_eq!(scrape(&format!("{}/metrics", server.base), Some(ADMIN)).await.0, 404);
    let (status, text) = scrape(&format!("http://127.0.0.1:{port}/metrics"), None).await;
    assert_eq!(status, 200);
    let s = parse(&text);
    assert_eq!(number(&s, "tabletop_connections", Some(("role", "participant"))), 1.0, "{text}");
    assert!(number(&s, "process_resident_memory_bytes", None) > 0.0, "{text}");
    assert_eq!(scrape(&format!("http://127.0.0.1:{port}/api/exercises"), Some(ADMIN)).await.0, 404);
}
