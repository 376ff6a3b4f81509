//! `abuse`: replays the findings of the abuse probe (issue 16) against a server with
//! its default limits and says, for each, whether the server held.
//!
//! 1. connection exhaustion with no credential (idle TCP, slowloris, websockets that
//!    never identify); 2. one participant's answer flood locking out the console and the
//!    group; 3. bot joins filling the exercise; 4. one participant filling the
//!    improvement plan; 5. CSV formula injection; 6. guessing join codes and tokens.
//!
//! Every attack is bounded in count and time and goes to loopback only; each attacks
//! from its own loopback source address (`127.0.0.1x`) and checks the bystander's
//! service from another (`127.0.0.1xx`). Output: one `finding N …: held` line each, a
//! table of figures and one JSON line; exit code 0 when every finding held.

mod connections;
mod csv_export;
mod flood;
mod guess;
mod net;
mod room;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::{Value, json};

use crate::client::{self, Connector, Ws};
use crate::stats::print_json;
use crate::target::{Exercise, Target, TargetArgs};

/// `abuse` flags: how hard each attack pushes (the defaults replay the probe, scaled to
/// finish in about three minutes).
#[derive(Debug, Clone, Args)]
pub struct AbuseArgs {
    /// Finding 1: idle TCP connections opened from one address.
    #[arg(long, default_value_t = 5_000)]
    pub idle_connections: usize,
    /// Finding 1: slowloris sockets (one header byte every 2 s, never finishing).
    #[arg(long, default_value_t = 300)]
    pub slowloris: usize,
    /// Finding 1: websockets that never identify.
    #[arg(long, default_value_t = 1_000)]
    pub unidentified: usize,
    /// Finding 1: seconds to wait for the server to close what it let in.
    #[arg(long, default_value_t = 40)]
    pub close_within_secs: u64,
    /// Finding 2: sockets sharing the flooder's resume token.
    #[arg(long, default_value_t = 30)]
    pub flood_sockets: usize,
    /// Findings 2 and 4: seconds the floods last (at most).
    #[arg(long, default_value_t = 15)]
    pub flood_secs: u64,
    /// Finding 3: join attempts by bots from one address.
    #[arg(long, default_value_t = 5_000)]
    pub bot_joins: usize,
    /// Finding 6: seconds each guessing attack lasts.
    #[arg(long, default_value_t = 5)]
    pub guess_secs: u64,
    /// Run only these findings (e.g. --only 1,5) [default: all].
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<u8>,
}

/// What one finding's replay showed.
#[derive(Debug)]
pub struct Verdict {
    /// The finding's number in the issue.
    pub finding: u8,
    /// What was attacked.
    pub title: &'static str,
    /// Whether the server held.
    pub held: bool,
    /// Why, in a line.
    pub detail: String,
    /// Its figures, for the JSON line and docs/security.md.
    pub figures: Value,
}

/// What every finding needs: the server and a way to make exercises.
pub struct Ctx {
    /// The server.
    pub target: Target,
    /// Its address.
    pub addr: SocketAddr,
    /// Websockets from 127.0.0.1 (the facilitator's and the room's ordinary sockets).
    pub connector: Arc<Connector>,
}

impl Ctx {
    /// A fresh exercise of the load scenario, started, with `load-001` released to every
    /// group; returns it and the facilitator's socket.
    pub async fn running_exercise(&self) -> Result<(Exercise, Ws)> {
        let ex = self.target.create_exercises(1).await?.remove(0);
        let mut console = client::facilitate_and_start(&self.connector, &ex).await?;
        let release = json!({"type": "release", "inject_id": crate::scenario::inject_id(1), "client_msg_id": "r1"});
        command(&mut console, &release).await?;
        Ok((ex, console))
    }

    /// The server's resident memory in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.target.rss_kib()
    }
}

/// Sends a message with a `client_msg_id` and waits for its `ack` (Ok(seq)) or `error`
/// (Err(code)), skipping pushes.
pub async fn ask(ws: &mut Ws, msg: &Value) -> Result<std::result::Result<u64, String>> {
    let id = msg["client_msg_id"].as_str().context("ask needs a client_msg_id")?.to_owned();
    client::send(ws, msg).await?;
    let wait = async {
        loop {
            match client::next_frame(ws).await {
                client::Frame::Text(t) => {
                    for v in client::messages(serde_json::from_str(&t)?) {
                        let mine = v["client_msg_id"].as_str() == Some(id.as_str());
                        match v["type"].as_str() {
                            Some("ack") if mine => return Ok(Ok(v["seq"].as_u64().unwrap_or(0))),
                            Some("error") if mine || v["client_msg_id"].is_null() => {
                                return Ok(Err(v["code"].as_str().unwrap_or("?").to_owned()));
                            }
                            _ => {}
                        }
                    }
                }
                other => bail!("socket ended while waiting for {id}: {other:?}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait).await.context("no answer within 30 s")?
}

/// [`ask`], failing unless acked.
pub async fn command(ws: &mut Ws, msg: &Value) -> Result<u64> {
    match ask(ws, msg).await? {
        Ok(seq) => Ok(seq),
        Err(code) => bail!("{} refused: {code}", msg["type"]),
    }
}

/// Runs `abuse`; true when every finding held.
pub async fn run(args: &AbuseArgs, target_args: &TargetArgs) -> Result<bool> {
    if let Some(url) = &target_args.url {
        let host = url.trim_start_matches("http://").split([':', '/']).next().unwrap_or_default();
        if !(host == "localhost" || host.starts_with("127.")) {
            bail!("abuse attacks loopback only, not {url}");
        }
    }
    let target_args = TargetArgs { default_limits: true, ..target_args.clone() };
    let target = Target::from_args(&target_args).await?;
    let addr = target.endpoint.addr;
    let connector = Arc::new(Connector::new(addr, target.ws_url(), 100, None));
    let ctx = Ctx { target, addr, connector };
    let wanted = |n: u8| args.only.is_empty() || args.only.contains(&n);
    let mut verdicts = Vec::new();
    type Finding =
        for<'a> fn(&'a Ctx, &'a AbuseArgs) -> std::pin::Pin<Box<dyn Future<Output = Result<Verdict>> + Send + 'a>>;
    let findings: [(u8, &str, Finding); 6] = [
        (1, "no-credential connection exhaustion", |c, a| Box::pin(connections::run(c, a))),
        (2, "one participant locks out the console and the group", |c, a| Box::pin(flood::answers(c, a))),
        (3, "bots fill the exercise", |c, a| Box::pin(room::bot_joins(c, a))),
        (4, "one participant fills the improvement plan", |c, a| Box::pin(flood::proposals(c, a))),
        (5, "CSV formula injection", |c, a| Box::pin(csv_export::run(c, a))),
        (6, "guessing join codes, tokens and keys", |c, a| Box::pin(guess::run(c, a))),
    ];
    for (n, title, finding) in findings {
        if !wanted(n) {
            continue;
        }
        crate::progress!("finding {n}: {title}");
        let verdict = finding(&ctx, args).await.unwrap_or_else(|e| Verdict {
            finding: n,
            title,
            held: false,
            detail: format!("the replay failed: {e:#}"),
            figures: Value::Null,
        });
        println!("finding {n} ({title}): {} — {}", if verdict.held { "held" } else { "NOT HELD" }, verdict.detail);
        verdicts.push(verdict);
    }
    let all_held = verdicts.iter().all(|v| v.held);
    print_json(&json!({
        "scenario": "abuse",
        "held": all_held,
        "findings": verdicts.iter().map(|v| json!({
            "finding": v.finding, "title": v.title, "held": v.held, "detail": v.detail, "figures": v.figures,
        })).collect::<Vec<_>>(),
    }));
    ctx.target.stop().await;
    Ok(all_held)
}
