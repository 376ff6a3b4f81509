//! `respond`: participants answer the released inject continuously, each answer with a
//! unique `client_msg_id`, and time send → `ack` (the answer is on disk by then).
//!
//! Closed loop: each participant sends its next answer once the previous is acked.
//! Open loop: answers are scheduled at a fixed total rate spread over the participants
//! and latency runs from the *scheduled* send time, so a sender that falls behind
//! counts its delay (no coordinated omission).
//!
//! At the end every answer must have been acked exactly once, and each exercise's
//! timeline must hold exactly the acked answers (each answer's text starts with its id).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;

use crate::client::{self, Connector, Facilitators, Frame, Incoming, Joined, Ws};
use crate::stats::{Latency, Table, or_unknown, print_json, round3};
use crate::target::{Exercise, Target, TargetArgs};
use crate::{scenario, sys};

/// The server's per-socket message limit (messages per second on average).
const SERVER_RATE_PER_SOCKET: f64 = 10.0;
/// How long the run waits for the last acks after sending stops.
const GRACE: Duration = Duration::from_secs(30);
/// What a participant waits before re-sending an answer refused with `rate_limited`.
const RATE_LIMIT_BACKOFF: Duration = Duration::from_millis(100);

/// `respond` flags.
#[derive(Debug, Clone, Args)]
pub struct RespondArgs {
    /// Participants answering.
    #[arg(long)]
    pub participants: usize,
    /// Exercises to spread them over.
    #[arg(long, default_value_t = 1)]
    pub exercises: usize,
    /// Open loop: answers per second in total, spread evenly over the participants.
    #[arg(long, conflicts_with = "closed_loop", required_unless_present = "closed_loop")]
    pub rate: Option<f64>,
    /// Closed loop: each participant sends its next answer after the previous ack.
    #[arg(long)]
    pub closed_loop: bool,
    /// Seconds of answering.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Characters in each answer.
    #[arg(long, default_value_t = 120)]
    pub answer_chars: usize,
}

/// Shared by every participant task.
#[derive(Debug)]
struct Ctx {
    connector: Arc<Connector>,
    inject: String,
    padding: String,
    start: Instant,
    deadline: Instant,
    /// Open loop: total answers per second; closed loop: `None`.
    rate: Option<f64>,
    participants: usize,
    acks: AtomicU64,
    reconnects: AtomicU64,
}

/// What one participant saw.
#[derive(Debug, Default)]
struct Answered {
    exercise: usize,
    acked: Vec<String>,
    duplicate_acks: u64,
    stray_acks: u64,
    unacked: u64,
    rate_limited: u64,
    refused: BTreeMap<String, u64>,
    reconnects: u64,
    reconnect_reasons: BTreeMap<String, u64>,
    lost: Option<String>,
    latency: Latency,
    acks_in_window: u64,
    pushes: u64,
}

/// A participant's live socket and what it needs to come back.
struct Session {
    ws: Ws,
    resume_token: String,
    last_seq: u64,
    index: usize,
}

/// A reply to one of our answers, or something else.
enum Reply {
    Ack(String),
    Refused(Option<String>, String),
    Other,
    Gone(String),
}

impl Session {
    async fn read(&mut self, out: &mut Answered) -> Reply {
        match client::next_frame(&mut self.ws).await {
            Frame::Text(t) => {
                let mut reply = Reply::Other;
                Incoming::each(&t, |m| {
                    if let Some(seq) = m.seq {
                        self.last_seq = self.last_seq.max(seq);
                    }
                    match &*m.kind {
                        "ack" => reply = Reply::Ack(m.client_msg_id.unwrap_or_default()),
                        "error" => reply = Reply::Refused(m.client_msg_id, m.code.unwrap_or_default()),
                        _ => out.pushes += 1,
                    }
                });
                reply
            }
            Frame::Closed(code) => Reply::Gone(format!("closed by the server (code {code:?})")),
            Frame::Broken(e) => Reply::Gone(e),
        }
    }

    /// Comes back on a new socket with `resume` (as the web page does after a drop).
    async fn reconnect(&mut self, ctx: &Ctx, out: &mut Answered, why: &str) -> bool {
        out.reconnects += 1;
        *out.reconnect_reasons.entry(why.to_owned()).or_default() += 1;
        if ctx.reconnects.fetch_add(1, Ordering::Relaxed) < 5 {
            crate::progress!("participant {}: {why}; resuming (only the first 5 are shown)", self.index);
        }
        for attempt in 0..5u32 {
            tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt + 1))).await;
            match client::resume(&ctx.connector, &self.resume_token, self.last_seq).await {
                Ok(ws) => {
                    self.ws = ws;
                    return true;
                }
                Err(e) => out.lost = Some(format!("resume failed: {e:#}")),
            }
        }
        false
    }

    async fn send_answer(&mut self, ctx: &Ctx, id: &str) -> bool {
        let msg = json!({
            "type": "respond",
            "inject_id": ctx.inject,
            "text": format!("{id} {}", ctx.padding),
            "client_msg_id": id,
        });
        client::send(&mut self.ws, &msg).await.is_ok()
    }
}

/// Runs `respond`; true when every answer was acked once and is in the timeline.
pub async fn run(args: &RespondArgs, target_args: &TargetArgs) -> Result<bool> {
    let n = args.participants;
    if n == 0 || args.exercises == 0 {
        bail!("--participants and --exercises must be at least 1");
    }
    if let Some(rate) = args.rate {
        if !(rate > 0.0 && rate.is_finite()) {
            bail!("--rate must be a positive number of answers per second");
        }
        let per_socket = rate / n as f64;
        if per_socket > SERVER_RATE_PER_SOCKET {
            crate::progress!(
                "warning: {per_socket:.1} answers/s per participant is over the server's limit of {SERVER_RATE_PER_SOCKET}/s per socket: expect rate_limited refusals"
            );
        }
    }
    let target = Target::from_args(target_args).await?;
    let exercises = target.create_exercises(args.exercises).await?;
    let connector = Arc::new(Connector::for_target(&target, target_args, n + args.exercises));
    let inject = scenario::inject_id(1);
    let mut sockets = Vec::new();
    for ex in &exercises {
        sockets.push(start_and_release(&connector, ex, &inject).await?);
    }
    let facilitators = Facilitators::new(sockets);
    crate::progress!("{} exercise(s) started, {inject} released", exercises.len());
    let ramp = client::join_all(connector.clone(), &exercises, n, target_args.connect_concurrency).await;
    ramp.check("participant")?;
    let (ramp_rate, connect_failed) = (ramp.rate(), ramp.failed);
    let moved_hellos = connector.moves();

    let duration = Duration::from_secs(args.duration_secs);
    let start = Instant::now() + Duration::from_millis(100);
    let ctx = Arc::new(Ctx {
        connector,
        inject,
        padding: padding(args.answer_chars),
        start,
        deadline: start + duration,
        rate: args.rate,
        participants: ramp.items.len(),
        acks: AtomicU64::new(0),
        reconnects: AtomicU64::new(0),
    });
    let mode = match args.rate {
        Some(r) => format!("open loop at {r} answers/s"),
        None => "closed loop".to_owned(),
    };
    crate::progress!("answering for {} s ({mode})", args.duration_secs);
    let (server_cpu, tool_cpu) = (target.cpu_meter(), sys::CpuMeter::own());
    let reporter = {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            loop {
                tick.tick().await;
                crate::progress!("  {} acks", ctx.acks.load(Ordering::Relaxed));
            }
        })
    };
    let tasks: Vec<_> = ramp.items.into_iter().map(|j| tokio::spawn(participant(j, ctx.clone()))).collect();
    let mut answered = Vec::with_capacity(tasks.len());
    for t in tasks {
        answered.push(t.await.context("a participant task failed")?);
    }
    reporter.abort();
    let (cpu_percent, tool_cpu_percent) = (server_cpu.percent(), tool_cpu.percent());
    let facilitator_errors = facilitators.errors();
    let facilitator_frames = facilitators.frames.load(Ordering::Relaxed);
    drop(facilitators);

    // Tally the participants' side.
    let mut latency = Latency::new();
    let mut acked_by_exercise: Vec<HashSet<String>> = vec![HashSet::new(); exercises.len()];
    let (mut acked, mut in_window, mut dup, mut stray, mut unacked, mut limited, mut reconnects, mut pushes) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut refused: BTreeMap<String, u64> = BTreeMap::new();
    let mut reconnect_reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut lost = Vec::new();
    for a in &answered {
        latency.merge(&a.latency);
        acked += a.acked.len() as u64;
        in_window += a.acks_in_window;
        dup += a.duplicate_acks;
        stray += a.stray_acks;
        unacked += a.unacked;
        limited += a.rate_limited;
        reconnects += a.reconnects;
        pushes += a.pushes;
        for (k, v) in &a.refused {
            *refused.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &a.reconnect_reasons {
            *reconnect_reasons.entry(k.clone()).or_default() += v;
        }
        if let Some(l) = &a.lost {
            lost.push(l.clone());
        }
        for id in &a.acked {
            if !acked_by_exercise[a.exercise].insert(id.clone()) {
                dup += 1;
            }
        }
    }

    // The timelines must hold exactly the acked answers.
    crate::progress!("reading the timelines");
    let mut in_timeline = 0u64;
    let (mut missing_in_timeline, mut extra_in_timeline, mut repeated_in_timeline) = (0u64, 0u64, 0u64);
    let mut served_by: BTreeMap<String, usize> = BTreeMap::new();
    for (i, ex) in exercises.iter().enumerate() {
        let (ids, base) = timeline_answer_ids(&target, ex).await?;
        *served_by.entry(base).or_default() += 1;
        in_timeline += ids.values().sum::<u64>();
        repeated_in_timeline += ids.values().filter(|&&c| c > 1).map(|c| c - 1).sum::<u64>();
        missing_in_timeline += acked_by_exercise[i].iter().filter(|id| !ids.contains_key(*id)).count() as u64;
        extra_in_timeline += ids.keys().filter(|id| !acked_by_exercise[i].contains(*id)).count() as u64;
    }
    let proc_note = target.proc_note();
    let (instances, placement) = (target.instance_count(), target.placement());
    let placement_line = target.placement_line();
    target.stop().await;

    let secs = duration.as_secs_f64().max(1e-9);
    let open_loop_refusals = if args.rate.is_some() { limited } else { 0 };
    let ok = connect_failed == 0
        && dup == 0
        && stray == 0
        && unacked == 0
        && lost.is_empty()
        && refused.is_empty()
        && open_loop_refusals == 0
        && missing_in_timeline == 0
        && extra_in_timeline == 0
        && repeated_in_timeline == 0;

    let mut t = Table::new(format!(
        "respond: {n} participants over {} exercise(s), {mode}, {} s",
        exercises.len(),
        args.duration_secs
    ));
    t.row("connected", format!("{} ({connect_failed} failed), {ramp_rate:.0} connections/s", answered.len()));
    if instances > 1 {
        t.row("exercises per instance", &placement_line);
        t.row(
            "hellos sent on (4307)",
            format!("{moved_hellos} while connecting (of {})", answered.len() + exercises.len()),
        );
        t.row("timelines answered by", served_line(&served_by));
    }
    t.row(
        "durable answers/s",
        format!("{:.1} (acks within the {} s window)", in_window as f64 / secs, args.duration_secs),
    );
    t.row("send -> ack", latency.human());
    t.row("acks", format!("{acked} ({dup} duplicate, {stray} stray, {unacked} never acked)"));
    t.row(
        "rate_limited",
        if args.rate.is_some() {
            format!("{limited} answers refused (not retried in open loop)")
        } else {
            format!("{limited} refusals, each re-sent after {} ms", RATE_LIMIT_BACKOFF.as_millis())
        },
    );
    if !refused.is_empty() {
        t.row("other refusals", format!("{refused:?}"));
    }
    t.row(
        "reconnects (resume)",
        if reconnects == 0 { "0".to_owned() } else { format!("{reconnects}: {reconnect_reasons:?}") },
    );
    for l in lost.iter().take(5) {
        t.row("participant lost", l);
    }
    t.row(
        "timeline",
        format!(
            "{in_timeline} response_submitted ({missing_in_timeline} acked but missing, {extra_in_timeline} not acked, {repeated_in_timeline} repeated)"
        ),
    );
    t.row("pushes received", format!("{pushes} by participants, {facilitator_frames} by facilitators"));
    t.row("server CPU while answering", or_unknown(cpu_percent.map(|c| format!("{c:.1} % of one core"))));
    t.row("tool CPU while answering", or_unknown(tool_cpu_percent.map(|c| format!("{c:.1} % of one core"))));
    for e in facilitator_errors.iter().take(5) {
        t.row("facilitator", e);
    }
    if let Some(note) = proc_note {
        t.row("note", note);
    }
    t.row("verdict", if ok { "ok: every answer acked once and in the timeline" } else { "FAILED (see above)" });
    t.print();
    print_json(&json!({
        "scenario": "respond",
        "participants": n,
        "exercises": exercises.len(),
        "mode": if args.rate.is_some() { "open" } else { "closed" },
        "rate": args.rate,
        "duration_secs": args.duration_secs,
        "connected": answered.len(),
        "connect_failed": connect_failed,
        "connections_per_sec": round3(ramp_rate),
        "instances": instances,
        "exercises_per_instance": placement.iter().map(|(_, n)| n).collect::<Vec<_>>(),
        "moved_hellos": moved_hellos,
        "timelines_answered_by": served_by,
        "answers_per_sec": round3(in_window as f64 / secs),
        "latency": latency.json(),
        "acked": acked,
        "duplicate_acks": dup,
        "stray_acks": stray,
        "unacked": unacked,
        "rate_limited": limited,
        "refused": refused,
        "reconnects": reconnects,
        "reconnect_reasons": reconnect_reasons,
        "lost": lost.len(),
        "timeline_responses": in_timeline,
        "missing_in_timeline": missing_in_timeline,
        "extra_in_timeline": extra_in_timeline,
        "repeated_in_timeline": repeated_in_timeline,
        "pushes_to_participants": pushes,
        "pushes_to_facilitators": facilitator_frames,
        "facilitator_errors": facilitator_errors,
        "server_cpu_percent": cpu_percent,
        "tool_cpu_percent": tool_cpu_percent,
        "ok": ok,
    }));
    Ok(ok)
}

/// Text after the answer's id, `chars` long in all (roughly).
fn padding(chars: usize) -> String {
    const WORDS: &str = "Hold transfers from recently swapped SIMs, call the regulator and brief the agents. ";
    WORDS.chars().cycle().take(chars.max(1)).collect::<String>().trim().to_owned()
}

/// Facilitates, starts the clock and releases the inject everyone answers.
async fn start_and_release(connector: &Connector, ex: &Exercise, inject: &str) -> Result<Ws> {
    let mut ws = client::facilitate_and_start(connector, ex).await?;
    client::send(&mut ws, &json!({"type": "release", "inject_id": inject})).await?;
    let wait = async {
        loop {
            match client::next_frame(&mut ws).await {
                Frame::Text(t) => {
                    let (mut released, mut refused) = (false, None);
                    Incoming::each(&t, |m| match &*m.kind {
                        "inject" if m.inject_id.as_deref() == Some(inject) => released = true,
                        "error" => refused = Some(format!("{:?} {:?}", m.code, m.message)),
                        _ => {}
                    });
                    if let Some(why) = refused {
                        bail!("release refused: {why}");
                    }
                    if released {
                        return Ok(());
                    }
                }
                other => bail!("facilitator socket ended before the release: {other:?}"),
            }
        }
    };
    tokio::time::timeout(client::HELLO_TIMEOUT, wait).await.context("the inject was not released")??;
    Ok(ws)
}

/// `http://a 25, http://b 25`.
fn served_line(served_by: &BTreeMap<String, usize>) -> String {
    served_by.iter().map(|(base, n)| format!("{base} {n}")).collect::<Vec<_>>().join(", ")
}

/// Answer ids (the first word of each answer) in an exercise's timeline, with counts,
/// and the base URL of the instance that answered (its owner).
async fn timeline_answer_ids(target: &Target, ex: &Exercise) -> Result<(HashMap<String, u64>, String)> {
    let (timeline, base) = target.timeline(ex).await?;
    let entries = timeline["entries"].as_array().context("timeline without entries")?;
    let mut ids = HashMap::new();
    for e in entries.iter().filter(|e| e["kind"] == "response_submitted") {
        let id = e["text"].as_str().and_then(|t| t.split_whitespace().next()).unwrap_or_default();
        *ids.entry(id.to_owned()).or_insert(0) += 1;
    }
    Ok((ids, base))
}

async fn participant(j: Joined, ctx: Arc<Ctx>) -> Answered {
    let mut out = Answered { exercise: j.exercise, ..Answered::default() };
    let mut s = Session { ws: j.ws, resume_token: j.resume_token, last_seq: j.last_seq, index: j.index };
    tokio::time::sleep_until(ctx.start.into()).await;
    match ctx.rate {
        None => closed_loop(&mut s, &ctx, &mut out).await,
        Some(rate) => open_loop(&mut s, &ctx, &mut out, rate).await,
    }
    out
}

fn record_ack(ctx: &Ctx, out: &mut Answered, id: String, since: Instant) {
    let now = Instant::now();
    out.latency.record(now.saturating_duration_since(since));
    if now <= ctx.deadline {
        out.acks_in_window += 1;
    }
    out.acked.push(id);
    ctx.acks.fetch_add(1, Ordering::Relaxed);
}

async fn closed_loop(s: &mut Session, ctx: &Ctx, out: &mut Answered) {
    let mut k = 0u64;
    'answers: while Instant::now() < ctx.deadline {
        let id = format!("p{}-{k}", s.index);
        k += 1;
        'attempts: loop {
            let sent_at = Instant::now();
            if !s.send_answer(ctx, &id).await {
                if s.reconnect(ctx, out, "send failed").await {
                    continue 'attempts;
                }
                out.unacked += 1;
                break 'answers;
            }
            loop {
                let reply = match tokio::time::timeout(GRACE, s.read(out)).await {
                    Ok(r) => r,
                    Err(_) => {
                        out.unacked += 1;
                        out.lost = Some(format!("no ack for {id} within {GRACE:?}"));
                        break 'answers;
                    }
                };
                match reply {
                    Reply::Ack(acked) if acked == id => {
                        record_ack(ctx, out, id, sent_at);
                        continue 'answers;
                    }
                    Reply::Ack(_) => out.stray_acks += 1,
                    Reply::Refused(for_id, code) if for_id.as_deref().is_none_or(|f| f == id) => {
                        if code == "rate_limited" {
                            out.rate_limited += 1;
                            tokio::time::sleep(RATE_LIMIT_BACKOFF).await;
                            continue 'attempts;
                        }
                        *out.refused.entry(code).or_default() += 1;
                        continue 'answers;
                    }
                    Reply::Refused(..) | Reply::Other => {}
                    Reply::Gone(why) => {
                        if s.reconnect(ctx, out, &why).await {
                            continue 'attempts;
                        }
                        out.unacked += 1;
                        break 'answers;
                    }
                }
            }
        }
    }
}

async fn open_loop(s: &mut Session, ctx: &Ctx, out: &mut Answered, rate: f64) {
    let interval = Duration::from_secs_f64(ctx.participants as f64 / rate);
    let mut next = ctx.start + Duration::from_secs_f64(s.index as f64 / rate);
    let give_up = ctx.deadline + GRACE;
    let mut outstanding: VecDeque<(String, Instant)> = VecDeque::new();
    let mut acked: HashSet<String> = HashSet::new();
    let mut k = 0u64;
    loop {
        let sending = next < ctx.deadline;
        if !sending && outstanding.is_empty() {
            break;
        }
        if !sending && Instant::now() >= give_up {
            out.unacked += outstanding.len() as u64;
            out.lost = Some(format!("{} answers without an ack after {GRACE:?}", outstanding.len()));
            break;
        }
        let reply = tokio::select! {
            _ = tokio::time::sleep_until(next.into()), if sending => {
                let id = format!("p{}-{k}", s.index);
                k += 1;
                let scheduled = next;
                next += interval;
                if !s.send_answer(ctx, &id).await {
                    outstanding.push_back((id, scheduled));
                    Reply::Gone("send failed".into())
                } else {
                    outstanding.push_back((id, scheduled));
                    continue;
                }
            }
            _ = tokio::time::sleep_until(give_up.into()), if !sending => continue,
            r = s.read(out) => r,
        };
        match reply {
            Reply::Ack(id) => {
                if let Some(pos) = outstanding.iter().position(|(o, _)| *o == id) {
                    if pos > 0 {
                        out.stray_acks += 1; // replies come in order; one out of order is a bug
                    }
                    let (id, scheduled) = outstanding.remove(pos).expect("position is in range");
                    acked.insert(id.clone());
                    record_ack(ctx, out, id, scheduled);
                } else if acked.contains(&id) {
                    out.duplicate_acks += 1;
                } else {
                    out.stray_acks += 1;
                }
            }
            Reply::Refused(for_id, code) => {
                // Replies come in the order the answers were sent; an error without an
                // id (rate_limited is refused before parsing) is for the oldest one.
                let pos = for_id.and_then(|f| outstanding.iter().position(|(o, _)| *o == f)).unwrap_or(0);
                if outstanding.remove(pos).is_some() {
                    if code == "rate_limited" {
                        out.rate_limited += 1;
                    } else {
                        *out.refused.entry(code).or_default() += 1;
                    }
                }
            }
            Reply::Other => {}
            Reply::Gone(why) => {
                if !s.reconnect(ctx, out, &why).await {
                    out.unacked += outstanding.len() as u64;
                    break;
                }
                // Re-send what has no reply yet: the server acks a stored one again.
                let ids: Vec<String> = outstanding.iter().map(|(id, _)| id.clone()).collect();
                for id in ids {
                    if !s.send_answer(ctx, &id).await {
                        break;
                    }
                }
            }
        }
    }
}
