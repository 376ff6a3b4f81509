//! The lockout of issue 16, replayed: one participant's resume token on many sockets
//! answers flat out with the longest answers there are (8,000 four-byte characters)
//! until refused. The per-participant quota stops the flood (the rate is per
//! participant, not per socket), and however many answers are stored, a fresh console
//! and a resume in that group open at once with a bounded welcome (the latest answers
//! per inject and group, and how many older ones there are), before and after a restart;
//! the older ones come a page at a time.

mod common;

use std::time::{Duration, Instant};

use common::{Client, Exercise, TestServer};
use serde_json::{Value, json};

const SOCKETS: usize = 12;
/// A welcome or a page this big or more would be a regression (the flood's answers
/// alone are ~2 MB).
const BOUND: usize = 1024 * 1024;

fn longest_answer(n: usize) -> String {
    let mut text = format!("{n:04} ");
    text.extend(std::iter::repeat_n('𝄞', 8_000 - text.chars().count()));
    text
}

/// A socket's raw welcome frame for a hello, and how long it took.
async fn welcome_of(server: &TestServer, hello: Value) -> (Value, usize, Duration) {
    let started = Instant::now();
    let mut c = server.client().await;
    c.send(hello).await;
    let welcome = c.recv_type("welcome").await;
    let size = welcome.to_string().len();
    (welcome, size, started.elapsed())
}

async fn check_openable(server: &TestServer, ex: &Exercise, token: &str, inject: &str) {
    let facilitate = json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key});
    let (console, size, took) = welcome_of(server, facilitate).await;
    assert!(size < BOUND, "console welcome of {size} bytes");
    assert!(took < Duration::from_secs(5), "console welcome took {took:?}");
    let older = console["older_responses"].as_array().expect("the console is told of older answers");
    assert_eq!(older.len(), 1, "{older:?}");
    assert!(older[0]["count"].as_u64().unwrap() > 0);
    let carried = console["responses"].as_array().unwrap().len() as u64;
    assert_eq!(carried + older[0]["count"].as_u64().unwrap(), stored(server, ex).await);

    let (resumed, size, took) = welcome_of(server, json!({"type": "resume", "resume_token": token})).await;
    assert!(size < BOUND, "resume welcome of {size} bytes");
    assert!(took < Duration::from_secs(5), "resume took {took:?}");
    assert!(!resumed["responses"].as_array().unwrap().is_empty());

    // The older answers, a page at a time, each page bounded.
    let (mut fac, _) = server.facilitate(ex).await;
    let mut before = older[0]["before_seq"].as_u64().unwrap();
    let group = older[0]["group_id"].clone();
    let mut fetched = 0;
    loop {
        fac.send(json!({"type": "older_responses", "inject_id": inject, "group_id": group, "before_seq": before, "limit": 200}))
            .await;
        let page = fac.recv_type("older_responses").await;
        assert!(page.to_string().len() <= BOUND + 64 * 1024, "a page of {} bytes", page.to_string().len());
        let answers = page["responses"].as_array().unwrap();
        assert!(answers.iter().all(|r| r["seq"].as_u64().unwrap() < before));
        fetched += answers.len() as u64;
        if page["more"] == false {
            break;
        }
        before = answers[0]["seq"].as_u64().unwrap();
    }
    assert_eq!(fetched, older[0]["count"].as_u64().unwrap());
}

/// How many answers the log holds (the timeline's).
async fn stored(server: &TestServer, ex: &Exercise) -> u64 {
    let timeline = server.timeline(ex).await;
    timeline["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "response_submitted").count() as u64
}

#[tokio::test]
async fn one_participant_on_many_sockets_cannot_lock_out_the_console_or_the_group() {
    let server = TestServer::start().await;
    let ex = server.create("quick-demo").await;
    let (mut fac, _) = server.facilitate(&ex).await;
    let (mut first, welcome) = server.join(&ex, "Flood").await;
    let token = welcome["you"]["resume_token"].as_str().unwrap().to_owned();
    fac.send(json!({"type": "start"})).await;
    let inject = first.recv_type("inject").await["inject_id"].as_str().unwrap().to_owned();

    let mut sockets: Vec<Client> = vec![first];
    for _ in 1..SOCKETS {
        let mut c = server.client().await;
        c.send(json!({"type": "resume", "resume_token": token})).await;
        c.recv_type("welcome").await;
        sockets.push(c);
    }
    // Every socket answers as fast as it is answered, until it is refused.
    let floods = sockets.into_iter().enumerate().map(|(s, mut c)| {
        let inject = inject.clone();
        tokio::spawn(async move {
            let (mut acked, mut refusal) = (0u64, String::new());
            for n in 0.. {
                let id = format!("s{s}-{n}");
                c.send(json!({"type": "respond", "inject_id": inject, "text": longest_answer(n), "client_msg_id": id}))
                    .await;
                let reply = loop {
                    let v = c.recv().await;
                    if (v["type"] == "ack" || v["type"] == "error") && v["client_msg_id"] == id.as_str() {
                        break v;
                    }
                };
                if reply["type"] == "error" {
                    refusal = reply["code"].as_str().unwrap().to_owned();
                    break;
                }
                acked += 1;
            }
            (acked, refusal)
        })
    });
    let mut acked = 0;
    for flood in floods {
        let (n, refusal) = flood.await.unwrap();
        acked += n;
        assert!(["rate_limited", "quota_exceeded"].contains(&refusal.as_str()), "refused with {refusal}");
    }
    // The quota is the participant's: 60 answers a minute over all twelve sockets.
    assert!((21..=60).contains(&acked), "{acked} answers stored");

    check_openable(&server, &ex, &token, &inject).await;
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, |_| {}).await;
    check_openable(&server, &ex, &token, &inject).await;
}
