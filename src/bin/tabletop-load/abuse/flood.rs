//! Findings 2 and 4: one participant floods. (2) One resume token on many sockets sends
//! 32 KB answers flat out; held when the flood is refused (`rate_limited`,
//! `quota_exceeded`) and afterwards a fresh console and a resume in the flooder's group
//! both open quickly with a bounded welcome. (4) One participant sends improvement
//! proposals flat out; held when afterwards the facilitator can still add an item and
//! another group can still propose.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::task::JoinSet;

use super::{AbuseArgs, Ctx, Verdict, ask, command};
use crate::client::{self, Joined};
use crate::target::Exercise;

/// Slowest a welcome may come after the flood.
const MAX_WELCOME_SECS: f64 = 3.0;
/// Biggest a welcome may be after the flood.
const MAX_WELCOME_BYTES: usize = 8 * 1024 * 1024;

/// An 8,000-character answer of 4-byte characters (32 KB).
fn big_text(n: usize) -> String {
    format!("{n} {}", "𝄞".repeat(7_990))
}

/// Joins participants until two share a group; returns (flooder, same-group member, one
/// of another group).
async fn three(ctx: &Ctx, ex: &Exercise) -> Result<(Joined, Joined, Joined)> {
    let mut by_group: BTreeMap<String, Vec<Joined>> = BTreeMap::new();
    for i in 0..20 {
        let j = client::join(&ctx.connector, ex, 0, i).await?;
        let group = group_of(ctx, &j).await?;
        by_group.entry(group).or_default().push(j);
        if by_group.len() >= 2 && by_group.values().any(|v| v.len() >= 2) {
            break;
        }
    }
    let (shared, _) = by_group.iter().find(|(_, v)| v.len() >= 2).context("no two participants share a group")?;
    let shared = shared.clone();
    let mut pair = by_group.remove(&shared).unwrap_or_default();
    let other = by_group.into_values().flatten().next().context("every participant is in one group")?;
    let (b, a) = (pair.pop().context("pair")?, pair.pop().context("pair")?);
    Ok((a, b, other))
}

/// The group a participant is in, from a fresh resume's welcome.
async fn group_of(ctx: &Ctx, j: &Joined) -> Result<String> {
    let mut ws = ctx.connector.connect().await?;
    let welcome = client::hello(&mut ws, &json!({"type": "resume", "resume_token": j.resume_token})).await?;
    welcome["group"]["id"].as_str().map(str::to_owned).context("welcome without group.id")
}

/// `--flood-sockets` sockets on one resume token, each sending `message(socket, n)` and
/// waiting for its answer, for `--flood-secs`; the outcomes counted (`acked` or the
/// refusal's code).
async fn flood(
    ctx: &Ctx,
    token: &str,
    args: &AbuseArgs,
    message: impl Fn(usize, usize) -> Value + Send + Sync + 'static,
) -> BTreeMap<String, usize> {
    let counts = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let message = Arc::new(message);
    let until = Instant::now() + Duration::from_secs(args.flood_secs);
    let mut sockets = JoinSet::new();
    for s in 0..args.flood_sockets {
        let (connector, token, counts, message) =
            (ctx.connector.clone(), token.to_owned(), counts.clone(), message.clone());
        sockets.spawn(async move {
            let Ok(mut ws) = client::resume(&connector, &token, 0).await else { return };
            let mut n = 0;
            while Instant::now() < until {
                n += 1;
                let outcome = match ask(&mut ws, &message(s, n)).await {
                    Ok(Ok(_)) => "acked".to_owned(),
                    Ok(Err(code)) => code,
                    Err(_) => break,
                };
                *counts.lock().await.entry(outcome).or_default() += 1;
            }
        });
    }
    while sockets.join_next().await.is_some() {}
    counts.lock().await.clone()
}

/// How long a hello takes to its welcome, and the welcome's size.
async fn welcome_of(ctx: &Ctx, hello: &Value) -> Result<(f64, usize)> {
    let started = Instant::now();
    let mut ws = ctx.connector.connect().await?;
    let welcome = client::hello(&mut ws, hello).await?;
    Ok((started.elapsed().as_secs_f64(), welcome.to_string().len()))
}

pub async fn answers(ctx: &Ctx, args: &AbuseArgs) -> Result<Verdict> {
    let (ex, _console) = ctx.running_exercise().await?;
    let (flooder, member, _) = three(ctx, &ex).await?;
    let counts = flood(ctx, &flooder.resume_token, args, |s, n| {
        json!({"type": "respond", "inject_id": crate::scenario::inject_id(1), "text": big_text(n),
            "client_msg_id": format!("flood-{s}-{n}")})
    })
    .await;
    let acked = counts.get("acked").copied().unwrap_or(0);
    let refused: usize = ["rate_limited", "quota_exceeded"].iter().filter_map(|c| counts.get(*c)).sum();
    let console =
        welcome_of(ctx, &json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})).await;
    let resume = welcome_of(ctx, &json!({"type": "resume", "resume_token": member.resume_token})).await;
    let fine = |w: &Result<(f64, usize)>| matches!(w, Ok((s, b)) if *s < MAX_WELCOME_SECS && *b < MAX_WELCOME_BYTES);
    let held = refused > 0 && fine(&console) && fine(&resume);
    let show = |w: &Result<(f64, usize)>| match w {
        Ok((s, b)) => format!("{:.2} s, {} KiB", s, b / 1024),
        Err(e) => format!("failed: {e:#}"),
    };
    let detail = format!(
        "{} sockets on one resume token for {} s: {acked} answers acked ({} MiB), refused {counts:?}; then a fresh \
         console welcome {} and the group's resume {}",
        args.flood_sockets,
        args.flood_secs,
        acked * 32_000 / (1024 * 1024),
        show(&console),
        show(&resume)
    );
    let figure = |w: &Result<(f64, usize)>| match w {
        Ok((s, b)) => json!({"secs": s, "bytes": b}),
        Err(e) => json!({"error": format!("{e:#}")}),
    };
    Ok(Verdict {
        finding: 2,
        title: "one participant locks out the console and the group",
        held,
        detail,
        figures: json!({"outcomes": counts, "console_welcome": figure(&console), "resume_welcome": figure(&resume)}),
    })
}

/// An improvement-plan item.
fn item(n: usize) -> Value {
    json!({"issue": format!("Proposal {n}: the call tree is out of date"),
        "corrective_action": "Review it every quarter", "capability": "planning", "group_id": "risk"})
}

pub async fn proposals(ctx: &Ctx, args: &AbuseArgs) -> Result<Verdict> {
    let (ex, mut console) = ctx.running_exercise().await?;
    let (flooder, _, other) = three(ctx, &ex).await?;
    let counts = flood(
        ctx,
        &flooder.resume_token,
        args,
        |s, n| json!({"type": "propose_improvement", "item": item(n), "client_msg_id": format!("p{s}-{n}")}),
    )
    .await;
    let n: usize = counts.values().sum();
    let facilitator = command(
        &mut console,
        &json!({"type": "accept_improvement", "item": item(0), "client_msg_id": "facilitator-adds"}),
    )
    .await;
    let mut theirs = client::resume(&ctx.connector, &other.resume_token, 0).await?;
    let other_group =
        command(&mut theirs, &json!({"type": "propose_improvement", "item": item(1), "client_msg_id": "other-group"}))
            .await;
    let acked = counts.get("acked").copied().unwrap_or(0);
    let held = facilitator.is_ok() && other_group.is_ok();
    let show = |r: &Result<u64>| r.as_ref().map_or_else(|e| format!("refused ({e:#})"), |_| "accepted".to_owned());
    let detail = format!(
        "{n} proposals on {} sockets in {} s: {acked} acked, outcomes {counts:?}; then the facilitator's own item {} and another \
         group's proposal {}",
        args.flood_sockets,
        args.flood_secs,
        show(&facilitator),
        show(&other_group)
    );
    Ok(Verdict {
        finding: 4,
        title: "one participant fills the improvement plan",
        held,
        detail,
        figures: json!({"sent": n, "outcomes": counts, "facilitator_item": facilitator.is_ok(),
            "other_group_proposal": other_group.is_ok()}),
    })
}
