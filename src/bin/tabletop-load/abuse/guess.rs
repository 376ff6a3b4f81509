//! Finding 6: online guessing. Join codes over websockets (reconnecting whenever the
//! server closes), join codes through `GET /qr/{code}` on one keep-alive connection,
//! and the admin token through 401s on `/api/*`, each from its own address for a few
//! seconds. Held when the websocket and admin-token guesses stay under
//! [`MAX_GUESSES_PER_SEC`] answered guesses per second (they were 3,600 and unthrottled),
//! and the QR endpoint is no oracle — a live, an ended and an unknown code get the same
//! answer (it was 200 against 404 at 15,000 a second) — and is throttled too.

use std::time::{Duration, Instant};

use anyhow::Result;
use rand::Rng;
use serde_json::json;

use super::net::{KeepAlive, error_code, get_once, loopback, ws_from};
use super::{AbuseArgs, Ctx, Verdict, command};
use crate::client::{self, Frame};

/// Most guesses per second an attacker may get answered.
const MAX_GUESSES_PER_SEC: f64 = 10.0;

/// A random code in the join codes' alphabet.
fn random_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
    let mut rng = rand::rng();
    (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Guesses and refusals counted over a run.
#[derive(Debug, Default)]
struct Tally {
    answered: usize,
    throttled: usize,
    other: usize,
}

impl Tally {
    fn rate(&self, secs: f64) -> f64 {
        self.answered as f64 / secs
    }
    fn json(&self, secs: f64) -> serde_json::Value {
        json!({"answered": self.answered, "throttled": self.throttled, "other": self.other,
            "answered_per_sec": (self.rate(secs) * 10.0).round() / 10.0})
    }
}

/// Join-code guesses over websockets: ten per socket at most, then a new socket.
async fn websocket(ctx: &Ctx, secs: u64) -> Tally {
    let until = Instant::now() + Duration::from_secs(secs);
    let mut t = Tally::default();
    'sockets: while Instant::now() < until {
        let Ok(mut ws) = ws_from(loopback(61), ctx.addr).await else {
            t.other += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        while Instant::now() < until {
            let guess = json!({"type": "join", "join_code": random_code(), "name": "guess"});
            if client::send(&mut ws, &guess).await.is_err() {
                continue 'sockets;
            }
            match tokio::time::timeout(Duration::from_secs(5), client::next_frame(&mut ws)).await {
                Ok(Frame::Text(text)) => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    match v["code"].as_str() {
                        Some("unknown_join_code") => t.answered += 1,
                        Some("rate_limited") => t.throttled += 1,
                        _ => t.other += 1,
                    }
                }
                _ => continue 'sockets,
            }
        }
    }
    t
}

/// Requests on one keep-alive connection (reopened when closed); `answered` counts
/// `expect`ed statuses, `throttled` 429s.
async fn http(
    ctx: &Ctx,
    source: u8,
    secs: u64,
    expect: u16,
    mut path: impl FnMut() -> String,
    bearer: Option<&str>,
) -> Tally {
    let until = Instant::now() + Duration::from_secs(secs);
    let mut t = Tally::default();
    while Instant::now() < until {
        let Ok(mut conn) = KeepAlive::open(loopback(source), ctx.addr).await else {
            t.other += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        while Instant::now() < until {
            match conn.request("GET", &path(), bearer).await {
                Ok(a) if a.status == expect => t.answered += 1,
                Ok(a) if a.status == 429 => t.throttled += 1,
                Ok(_) => t.other += 1,
                Err(_) => break,
            }
        }
    }
    t
}

pub async fn run(ctx: &Ctx, args: &AbuseArgs) -> Result<Verdict> {
    let secs = args.guess_secs;
    let ws = websocket(ctx, secs).await;
    let qr = http(ctx, 62, secs, 200, || format!("/qr/{}", random_code()), None).await;
    let admin = http(ctx, 63, secs, 401, || "/api/exercises".to_owned(), Some("not-the-admin-token")).await;

    // A live, an ended and an unknown code read the same on /qr.
    let (live, _live_console) = ctx.running_exercise().await?;
    let (ex, mut console) = ctx.running_exercise().await?;
    command(&mut console, &json!({"type": "end", "client_msg_id": "end"})).await?;
    let live = get_once(loopback(66), ctx.addr, &format!("/qr/{}", live.join_code), None).await?;
    let ended = get_once(loopback(64), ctx.addr, &format!("/qr/{}", ex.join_code), None).await?;
    let unknown = get_once(loopback(65), ctx.addr, &format!("/qr/{}", random_code()), None).await?;
    let same =
        [&live, &ended].iter().all(|a| a.status == unknown.status && error_code(&a.body) == error_code(&unknown.body));

    let s = secs as f64;
    let slow = |t: &Tally| t.rate(s) <= MAX_GUESSES_PER_SEC && t.throttled > 0;
    let held = slow(&ws) && slow(&admin) && same && qr.throttled > 0;
    let detail = format!(
        "answered guesses per second over {secs} s — websocket join codes {:.1} ({} throttled), admin token on /api {:.1} \
         ({} throttled); /qr answers {:.1} a second ({} throttled), the same for a live ({}), an ended ({}) and an \
         unknown code ({})",
        ws.rate(s),
        ws.throttled,
        admin.rate(s),
        admin.throttled,
        qr.rate(s),
        qr.throttled,
        live.status,
        ended.status,
        unknown.status
    );
    Ok(Verdict {
        finding: 6,
        title: "guessing join codes, tokens and keys",
        held,
        detail,
        figures: json!({"secs": secs, "websocket": ws.json(s), "qr": qr.json(s), "admin_token": admin.json(s),
            "qr_live_status": live.status, "qr_ended_status": ended.status, "qr_unknown_status": unknown.status}),
    })
}
