//! `fanout`: one facilitator per exercise releases an inject to every participant,
//! round after round, and each participant times the `inject` push from the moment its
//! facilitator's `release` was sent. Every participant must get every released inject
//! exactly once.
//!
//! The rounds are driven by [`drive`], which [`crate::baseline`] reuses against a bare
//! broadcast server so the two can be compared.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::Args;
use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

use crate::client::{self, Connector, Facilitators, Frame, Incoming, Ws};
use crate::stats::{Latency, Table, or_unknown, print_json, ratio, round3};
use crate::target::{Target, TargetArgs};
use crate::{baseline, scenario, sys};

/// `fanout` flags.
#[derive(Debug, Clone, Args)]
pub struct FanoutArgs {
    /// Exercises, each with its own facilitator.
    #[arg(long, default_value_t = 1)]
    pub exercises: usize,
    /// Participants in each exercise.
    #[arg(long)]
    pub participants_per_exercise: usize,
    /// Rounds: one inject released per exercise per round (at most 60).
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Milliseconds between one exercise's release and the next in a round (0: all at once).
    #[arg(long, default_value_t = 0)]
    pub stagger: u64,
    /// Milliseconds of quiet between rounds (the server allows a socket 10 messages a second).
    #[arg(long, default_value_t = 200)]
    pub gap_ms: u64,
    /// Seconds a round may take before its missing deliveries are counted.
    #[arg(long, default_value_t = 30)]
    pub round_timeout_secs: u64,
    /// Also run the same fan-out against a bare websocket broadcast server and report the ratio.
    #[arg(long)]
    pub with_baseline: bool,
}

/// The shape of a fan-out run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Exercises (rooms).
    pub rooms: usize,
    /// Receivers per room.
    pub per_room: usize,
    /// Rounds.
    pub rounds: usize,
    /// Delay between rooms' releases in a round.
    pub stagger: Duration,
    /// Quiet between rounds.
    pub gap: Duration,
    /// Longest a round may take.
    pub round_timeout: Duration,
}

impl From<&FanoutArgs> for Plan {
    fn from(a: &FanoutArgs) -> Self {
        Self {
            rooms: a.exercises,
            per_room: a.participants_per_exercise,
            rounds: a.rounds,
            stagger: Duration::from_millis(a.stagger),
            gap: Duration::from_millis(a.gap_ms),
            round_timeout: Duration::from_secs(a.round_timeout_secs),
        }
    }
}

/// Which server the receivers listen to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// tabletop: `release` messages, `inject` pushes named by inject id.
    Tabletop,
    /// The bare broadcast server: any frame out, one fixed frame in per round.
    Baseline,
}

/// What a fan-out run measured.
#[derive(Debug, Default)]
pub struct Tally {
    /// Receivers connected.
    pub receivers: usize,
    /// Receivers that could not connect.
    pub connect_failed: usize,
    /// Receivers connected per second during the ramp.
    pub ramp_rate: f64,
    /// Latency per round.
    pub per_round: Vec<Latency>,
    /// Latency over all rounds.
    pub overall: Latency,
    /// Deliveries expected: receivers × rounds.
    pub expected: u64,
    /// Deliveries that arrived exactly once.
    pub delivered_once: u64,
    /// Deliveries that never arrived.
    pub missing: u64,
    /// Extra copies of deliveries.
    pub duplicates: u64,
    /// Injects that were not released by this run.
    pub unexpected: u64,
    /// Receivers the server closed during the run.
    pub closed: usize,
    /// Errors the facilitators got (refused releases, closes).
    pub facilitator_errors: Vec<String>,
    /// Rounds that ended by timeout.
    pub timed_out_rounds: usize,
}

impl Tally {
    /// True when every receiver got every round exactly once and nothing failed.
    pub fn ok(&self) -> bool {
        self.connect_failed == 0
            && self.missing == 0
            && self.duplicates == 0
            && self.unexpected == 0
            && self.closed == 0
            && self.facilitator_errors.is_empty()
    }

    /// The run's figures as JSON (without the scenario's own fields).
    pub fn json(&self) -> Value {
        json!({
            "receivers": self.receivers,
            "connect_failed": self.connect_failed,
            "connections_per_sec": round3(self.ramp_rate),
            "latency": self.overall.json(),
            "per_round": self.per_round.iter().enumerate().map(|(i, h)| {
                let mut v = h.json();
                v["round"] = json!(i + 1);
                v
            }).collect::<Vec<_>>(),
            "expected": self.expected,
            "delivered_once": self.delivered_once,
            "missing": self.missing,
            "duplicates": self.duplicates,
            "unexpected": self.unexpected,
            "closed": self.closed,
            "facilitator_errors": self.facilitator_errors,
            "timed_out_rounds": self.timed_out_rounds,
            "ok": self.ok(),
        })
    }

    /// Adds the run's rows to a table.
    pub fn rows(&self, t: &mut Table, label: &str) {
        t.row(format!("{label} receivers"), format!("{} ({} failed to connect)", self.receivers, self.connect_failed));
        t.row(format!("{label} ramp"), format!("{:.0} connections/s", self.ramp_rate));
        for (i, h) in self.per_round.iter().enumerate() {
            t.row(format!("{label} round {:>2}", i + 1), format!("{}   last receiver {:.3} ms", h.human(), h.max_ms()));
        }
        t.row(format!("{label} all rounds"), self.overall.human());
        t.row(
            format!("{label} deliveries"),
            format!(
                "{} expected, {} exactly once, {} missing, {} duplicates, {} unexpected, {} receivers closed",
                self.expected, self.delivered_once, self.missing, self.duplicates, self.unexpected, self.closed
            ),
        );
        if self.timed_out_rounds > 0 {
            t.row(format!("{label} timed-out rounds"), self.timed_out_rounds);
        }
        for e in self.facilitator_errors.iter().take(5) {
            t.row(format!("{label} facilitator error"), e);
        }
    }
}

/// Runs `fanout`; true when every delivery was exactly once.
pub async fn run(args: &FanoutArgs, target_args: &TargetArgs) -> Result<bool> {
    if args.rounds == 0 || args.rounds > scenario::INJECTS {
        bail!("--rounds must be 1 to {} (the load scenario's injects)", scenario::INJECTS);
    }
    if args.exercises == 0 || args.participants_per_exercise == 0 {
        bail!("--exercises and --participants-per-exercise must be at least 1");
    }
    let plan = Plan::from(args);
    let target = Target::from_args(target_args).await?;
    let exercises = target.create_exercises(plan.rooms).await?;
    let connector = Arc::new(Connector::for_target(&target, target_args, plan.rooms * (plan.per_room + 1)));
    crate::progress!("{} exercises created; facilitators start them", exercises.len());
    let mut sockets = Vec::new();
    for ex in &exercises {
        sockets.push(client::facilitate_and_start(&connector, ex).await?);
    }
    let facilitators = Facilitators::new(sockets);
    let ramp =
        client::join_all(connector.clone(), &exercises, plan.rooms * plan.per_room, target_args.connect_concurrency)
            .await;
    ramp.check("participant")?;
    let (ramp_rate, connect_failed, moved_hellos) = (ramp.rate(), ramp.failed, connector.moves());
    let receivers: Vec<(usize, Ws)> = ramp.items.into_iter().map(|j| (j.exercise, j.ws)).collect();

    let rss_before = target.rss_kib();
    let (server_cpu, tool_cpu) = (target.cpu_meter(), sys::CpuMeter::own());
    let mut tally = drive(Kind::Tabletop, &plan, facilitators, receivers).await;
    let (cpu_percent, tool_cpu_percent) = (server_cpu.percent(), tool_cpu.percent());
    let rss_after = target.rss_kib();
    tally.connect_failed = connect_failed;
    tally.ramp_rate = ramp_rate;
    let proc_note = target.proc_note();
    let (instances, placement, placement_line) = (target.instance_count(), target.placement(), target.placement_line());
    target.stop().await;

    let base = if args.with_baseline {
        crate::progress!("baseline: the same fan-out through a bare websocket broadcast server");
        Some(baseline::measure(&plan, target_args).await?)
    } else {
        None
    };

    let mut t = Table::new(format!(
        "fanout: {} exercise(s) x {} participants, {} rounds, stagger {} ms",
        plan.rooms, plan.per_room, plan.rounds, args.stagger
    ));
    if instances > 1 {
        t.row("exercises per instance", &placement_line);
        t.row(
            "hellos sent on (4307)",
            format!("{moved_hellos} while connecting (of {})", plan.rooms * (plan.per_room + 1)),
        );
    }
    tally.rows(&mut t, "tabletop");
    t.row("server CPU during rounds", or_unknown(cpu_percent.map(|c| format!("{c:.1} % of one core"))));
    t.row("tool CPU during rounds", or_unknown(tool_cpu_percent.map(|c| format!("{c:.1} % of one core"))));
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        t.row("server RSS before/after rounds", format!("{before} / {after} KiB"));
    }
    if let Some(note) = proc_note {
        t.row("note", note);
    }
    let (mut r50, mut r99) = (Value::Null, Value::Null);
    if let Some(b) = &base {
        b.rows(&mut t, "baseline");
        r50 = ratio(tally.overall.quantile_ms(0.5), b.overall.quantile_ms(0.5));
        r99 = ratio(tally.overall.quantile_ms(0.99), b.overall.quantile_ms(0.99));
        t.row("ratio tabletop/baseline", format!("p50 {r50}   p99 {r99}"));
    }
    let ok = tally.ok() && base.as_ref().is_none_or(Tally::ok);
    t.row("verdict", if ok { "ok: every participant got every inject exactly once" } else { "FAILED (see above)" });
    t.print();

    let mut v = json!({
        "scenario": "fanout",
        "exercises": plan.rooms,
        "participants_per_exercise": plan.per_room,
        "rounds": plan.rounds,
        "stagger_ms": args.stagger,
        "instances": instances,
        "exercises_per_instance": placement.iter().map(|(_, n)| n).collect::<Vec<_>>(),
        "moved_hellos": moved_hellos,
        "server_cpu_percent": cpu_percent,
        "tool_cpu_percent": tool_cpu_percent,
        "server_rss_before_kib": rss_before,
        "server_rss_after_kib": rss_after,
        "baseline": base.as_ref().map(Tally::json),
        "ratio_p50": r50,
        "ratio_p99": r99,
    });
    merge(&mut v, tally.json());
    v["ok"] = json!(ok);
    print_json(&v);
    Ok(ok)
}

/// Copies `extra`'s fields into `v` (both objects).
pub fn merge(v: &mut Value, extra: Value) {
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
}

/// Per round, how many receivers have their first copy, and how many are gone.
#[derive(Debug)]
struct Counters {
    got: Vec<AtomicUsize>,
    gone: AtomicUsize,
}

/// What one receiver saw.
#[derive(Debug)]
struct Received {
    room: usize,
    arrivals: Vec<(usize, Instant)>,
    unexpected: u64,
    closed: bool,
}

/// Plays the rounds: each room's facilitator sends a release (staggered if asked) and
/// each receiver records when its copy arrives; then tallies latency and exactness.
pub async fn drive(kind: Kind, plan: &Plan, mut facilitators: Facilitators, receivers: Vec<(usize, Ws)>) -> Tally {
    let n = receivers.len();
    let counters = Arc::new(Counters { got: (0..plan.rounds).map(|_| AtomicUsize::new(0)).collect(), gone: 0.into() });
    let (stop_tx, stop_rx) = watch::channel(false);
    let tasks: Vec<_> = receivers
        .into_iter()
        .map(|(room, ws)| tokio::spawn(receive(ws, room, kind, plan.rounds, counters.clone(), stop_rx.clone())))
        .collect();

    // One sender task per room: sends the round's release, then notes the instant.
    let sent: Arc<Mutex<Vec<Vec<Option<Instant>>>>> = Arc::new(Mutex::new(vec![vec![None; plan.rounds]; plan.rooms]));
    let mut triggers = Vec::new();
    let mut senders = Vec::new();
    for (room, sink) in facilitators.sinks.iter_mut().enumerate() {
        let mut sink = sink.take().expect("each sink is taken once");
        let (tx, mut rx) = mpsc::unbounded_channel::<usize>();
        triggers.push(tx);
        let sent = sent.clone();
        senders.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            while let Some(r) = rx.recv().await {
                let msg = match kind {
                    Kind::Tabletop => json!({"type": "release", "inject_id": scenario::inject_id(r + 1)}).to_string(),
                    Kind::Baseline => r#"{"type":"release"}"#.to_owned(),
                };
                match sink.send(Message::text(msg)).await {
                    Ok(()) => sent.lock().unwrap_or_else(|p| p.into_inner())[room][r] = Some(Instant::now()),
                    Err(e) => failures.push(format!("facilitator {room}: release of round {} not sent: {e}", r + 1)),
                }
            }
            failures
        }));
    }

    let mut timed_out_rounds = 0;
    for r in 0..plan.rounds {
        let round_start = Instant::now();
        for (room, trigger) in triggers.iter().enumerate() {
            if !plan.stagger.is_zero() {
                tokio::time::sleep_until((round_start + plan.stagger * room as u32).into()).await;
            }
            let _ = trigger.send(r);
        }
        let deadline = Instant::now() + plan.round_timeout;
        loop {
            let got = counters.got[r].load(Ordering::Relaxed);
            if got + counters.gone.load(Ordering::Relaxed) >= n {
                crate::progress!("round {}/{}: {got}/{n} in {:?}", r + 1, plan.rounds, round_start.elapsed());
                break;
            }
            if Instant::now() >= deadline {
                timed_out_rounds += 1;
                crate::progress!("round {}/{}: only {got}/{n} after {:?}", r + 1, plan.rounds, plan.round_timeout);
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(plan.gap).await;
    }
    // Late duplicates would show up now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = stop_tx.send(true);
    drop(triggers);
    let mut facilitator_errors = Vec::new();
    for s in senders {
        facilitator_errors.extend(s.await.unwrap_or_default());
    }
    facilitator_errors.extend(facilitators.errors());
    let mut received = Vec::with_capacity(n);
    for t in tasks {
        if let Ok(r) = t.await {
            received.push(r);
        }
    }
    let sent = sent.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut tally = tally(plan, &sent, &received);
    tally.facilitator_errors = facilitator_errors;
    tally.timed_out_rounds = timed_out_rounds;
    tally
}

fn tally(plan: &Plan, sent: &[Vec<Option<Instant>>], received: &[Received]) -> Tally {
    let mut t = Tally {
        receivers: received.len(),
        per_round: vec![Latency::new(); plan.rounds],
        expected: (received.len() * plan.rounds) as u64,
        ..Tally::default()
    };
    for rec in received {
        let mut first: Vec<Option<Instant>> = vec![None; plan.rounds];
        let mut count = vec![0u64; plan.rounds];
        for &(r, at) in &rec.arrivals {
            count[r] += 1;
            first[r].get_or_insert(at);
        }
        for r in 0..plan.rounds {
            match count[r] {
                0 => t.missing += 1,
                c => {
                    t.delivered_once += u64::from(c == 1);
                    t.duplicates += c - 1;
                    if let (Some(at), Some(sent)) = (first[r], sent[rec.room][r]) {
                        let d = at.saturating_duration_since(sent);
                        t.per_round[r].record(d);
                        t.overall.record(d);
                    }
                }
            }
        }
        t.unexpected += rec.unexpected;
        t.closed += usize::from(rec.closed);
    }
    t
}

async fn receive(
    mut ws: Ws,
    room: usize,
    kind: Kind,
    rounds: usize,
    counters: Arc<Counters>,
    mut stop: watch::Receiver<bool>,
) -> Received {
    let mut rec = Received { room, arrivals: Vec::with_capacity(rounds), unexpected: 0, closed: false };
    let mut frames = 0usize;
    loop {
        let frame = tokio::select! {
            biased;
            _ = stop.changed() => break,
            f = client::next_frame(&mut ws) => f,
        };
        let text = match frame {
            Frame::Text(t) => t,
            Frame::Closed(_) | Frame::Broken(_) => {
                rec.closed = true;
                counters.gone.fetch_add(1, Ordering::Relaxed);
                break;
            }
        };
        let now = Instant::now();
        let mut arrived = |round: usize| {
            if round >= rounds {
                rec.unexpected += 1;
                return;
            }
            if !rec.arrivals.iter().any(|&(seen, _)| seen == round) {
                counters.got[round].fetch_add(1, Ordering::Relaxed);
            }
            rec.arrivals.push((round, now));
        };
        match kind {
            Kind::Baseline => {
                frames += 1;
                arrived(frames - 1);
            }
            Kind::Tabletop => Incoming::each(&text, |m| {
                if m.kind == "inject" {
                    arrived(m.inject_id.as_deref().and_then(scenario::round_of).unwrap_or(usize::MAX));
                }
            }),
        }
    }
    rec
}
