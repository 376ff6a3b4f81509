//! Finding 3: bots with the join code fill the exercise. Join attempts flat out from
//! one address; held when the bots are throttled (`rate_limited`) before they fill the
//! room, a real person from another address still joins, and the facilitator can lock
//! joining and remove a bot (whose resume then fails).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinSet;

use super::net::{loopback, ws_from};
use super::{AbuseArgs, Ctx, Verdict, ask};
use crate::client;

/// Longest the bots may try.
const BOT_SECS: u64 = 20;

/// A join from `source`: the welcome, or the refusal's code.
async fn join_from(ctx: &Ctx, source: u8, code: &str, name: &str) -> Result<std::result::Result<Value, String>> {
    let mut ws = ws_from(loopback(source), ctx.addr).await?;
    match client::hello(&mut ws, &json!({"type": "join", "join_code": code, "name": name})).await {
        Ok(welcome) => Ok(Ok(welcome)),
        Err(e) => {
            let text = format!("{e:#}");
            // `hello` says `join refused: "code" (message)`.
            let code = text.split('"').nth(3).map_or(text.clone(), str::to_owned);
            Ok(Err(code))
        }
    }
}

pub async fn bot_joins(ctx: &Ctx, args: &AbuseArgs) -> Result<Verdict> {
    let (ex, mut console) = ctx.running_exercise().await?;
    let counts = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let bot = Arc::new(Mutex::new(None::<(String, String)>));
    let gate = Arc::new(Semaphore::new(50));
    let until = Instant::now() + Duration::from_secs(BOT_SECS);
    let mut bots = JoinSet::new();
    for i in 0..args.bot_joins {
        let (gate, counts, bot, addr, code) =
            (gate.clone(), counts.clone(), bot.clone(), ctx.addr, ex.join_code.clone());
        bots.spawn(async move {
            let _permit = gate.acquire_owned().await;
            if Instant::now() > until {
                return;
            }
            let outcome = async {
                let mut ws = ws_from(loopback(31), addr).await?;
                client::hello(&mut ws, &json!({"type": "join", "join_code": code, "name": format!("bot {i}")})).await
            };
            let key = match outcome.await {
                Ok(welcome) => {
                    let you = &welcome["you"];
                    if let (Some(id), Some(token)) = (you["participant_id"].as_str(), you["resume_token"].as_str()) {
                        bot.lock().await.get_or_insert((id.to_owned(), token.to_owned()));
                    }
                    "joined".to_owned()
                }
                Err(e) => {
                    let text = format!("{e:#}");
                    text.split('"').nth(3).map_or_else(|| "failed".to_owned(), str::to_owned)
                }
            };
            *counts.lock().await.entry(key).or_default() += 1;
        });
    }
    while bots.join_next().await.is_some() {}
    let counts = counts.lock().await.clone();
    let joined = counts.get("joined").copied().unwrap_or(0);
    let throttled = counts.get("rate_limited").copied().unwrap_or(0);

    let person = join_from(ctx, 131, &ex.join_code, "Awa Jallow").await?;
    let locked = ask(&mut console, &json!({"type": "lock_joining", "client_msg_id": "lock"})).await?;
    let after_lock = join_from(ctx, 132, &ex.join_code, "Late Comer").await?;
    let (bot_id, bot_token) = bot.lock().await.clone().context("no bot joined at all")?;
    let removed =
        ask(&mut console, &json!({"type": "remove_participant", "participant_id": bot_id, "client_msg_id": "remove"}))
            .await?;
    let mut ws = ctx.connector.connect().await?;
    let bot_back = client::hello(&mut ws, &json!({"type": "resume", "resume_token": bot_token})).await;

    let held = throttled > 0
        && person.is_ok()
        && locked.is_ok()
        && matches!(&after_lock, Err(code) if code == "joining_locked")
        && removed.is_ok()
        && bot_back.is_err();
    let detail = format!(
        "{} join attempts from one address for at most {BOT_SECS} s: {joined} joined, outcomes {counts:?}; a person \
         from another address {}; lock joining {}, then a join {}; removing a bot {}, its resume {}",
        args.bot_joins,
        if person.is_ok() { "joined" } else { "was refused" },
        if locked.is_ok() { "accepted" } else { "refused" },
        after_lock.as_ref().map_or_else(|c| format!("refused with {c}"), |_| "was let in".to_owned()),
        if removed.is_ok() { "accepted" } else { "refused" },
        if bot_back.is_err() { "refused" } else { "still works" },
    );
    Ok(Verdict {
        finding: 3,
        title: "bots fill the exercise",
        held,
        detail,
        figures: json!({"attempts": args.bot_joins, "outcomes": counts, "person_joined": person.is_ok(),
            "lock": locked.is_ok(), "join_after_lock": after_lock.err(), "remove": removed.is_ok(),
            "removed_resume_refused": bot_back.is_err()}),
    })
}
