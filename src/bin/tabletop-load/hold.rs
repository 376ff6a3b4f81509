//! `hold`: many idle participants. Connects N participants over M exercises (the ramp
//! rate is reported), lets them sit idle, and reads the server's memory per connection
//! and its idle CPU from `/proc`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;
use tokio::sync::watch;

use crate::client::{self, Connector, Frame};
use crate::stats::{Table, or_unknown, print_json, round3};
use crate::sys;
use crate::target::{Target, TargetArgs};

/// Most participants the server takes in one exercise by default.
const SERVER_MAX_PARTICIPANTS: usize = 5_000;

/// `hold` flags.
#[derive(Debug, Clone, Args)]
pub struct HoldArgs {
    /// Exercises to spread the participants over [default: one per 5,000 participants].
    #[arg(long)]
    pub exercises: Option<usize>,
    /// Participants to connect.
    #[arg(long)]
    pub participants: usize,
    /// Seconds to sit idle after the ramp (CPU is measured over this window).
    #[arg(long, default_value_t = 10)]
    pub idle_secs: u64,
}

/// Runs `hold`; true when every participant connected and stayed connected.
pub async fn run(args: &HoldArgs, target_args: &TargetArgs) -> Result<bool> {
    let n = args.participants;
    if n == 0 {
        bail!("--participants must be at least 1");
    }
    let m = args.exercises.unwrap_or_else(|| n.div_ceil(SERVER_MAX_PARTICIPANTS)).max(1);
    let target = Target::from_args(target_args).await?;
    let exercises = target.create_exercises(m).await?;
    crate::progress!("{m} exercise(s) created");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = target.rss_kib();
    let tool_rss_before = sys::rss_kib(sys::own_pid());

    let connector = Arc::new(Connector::for_target(&target, target_args, n));
    let ramp = client::join_all(connector.clone(), &exercises, n, target_args.connect_concurrency).await;
    let moved_hellos = connector.moves();
    ramp.check("participant")?;
    let connected = ramp.items.len();
    let (ramp_secs, ramp_rate, failed) = (ramp.elapsed.as_secs_f64(), ramp.rate(), ramp.failed);
    let rss_connected = target.rss_kib();

    // Each socket is read on its own task (as a phone would), noting closes.
    let closed = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let readers: Vec<_> = ramp
        .items
        .into_iter()
        .map(|j| {
            let (closed, mut stop) = (closed.clone(), stop_rx.clone());
            let mut ws = j.ws;
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        biased;
                        _ = stop.changed() => return ws,
                        f = client::next_frame(&mut ws) => if !matches!(f, Frame::Text(_)) {
                            closed.fetch_add(1, Ordering::Relaxed);
                            return ws;
                        },
                    }
                }
            })
        })
        .collect();

    crate::progress!("idle for {} s", args.idle_secs);
    let (server_cpu, tool_cpu) = (target.cpu_meter(), sys::CpuMeter::own());
    let idle_start = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.idle_secs)).await;
    let idle = idle_start.elapsed().as_secs_f64();
    let (cpu_percent, tool_cpu_percent) = (server_cpu.percent(), tool_cpu.percent());
    let rss_after = target.rss_kib();
    let tool_rss_after = sys::rss_kib(sys::own_pid());
    let _ = stop_tx.send(true);
    let mut sockets = Vec::with_capacity(readers.len());
    for r in readers {
        if let Ok(ws) = r.await {
            sockets.push(ws);
        }
    }
    let closed = closed.load(Ordering::Relaxed);
    let per_conn =
        rss_after.zip(rss_before).map(|(a, b)| (a.saturating_sub(b) * 1024) as f64 / connected.max(1) as f64);
    let tool_per_conn =
        tool_rss_after.zip(tool_rss_before).map(|(a, b)| (a.saturating_sub(b) * 1024) as f64 / connected.max(1) as f64);
    let ok = failed == 0 && closed == 0;

    let mut t = Table::new(format!("hold: {n} participants over {m} exercise(s), idle {} s", args.idle_secs));
    t.row("connected", format!("{connected} ({failed} failed, {closed} closed while idle)"));
    t.row("ramp", format!("{ramp_secs:.2} s, {ramp_rate:.0} connections/s"));
    t.row(
        "server RSS",
        format!(
            "{} KiB before, {} KiB connected, {} KiB after idle",
            or_unknown(rss_before),
            or_unknown(rss_connected),
            or_unknown(rss_after)
        ),
    );
    t.row("server RSS per connection", or_unknown(per_conn.map(|b| format!("{:.0} bytes ({:.1} KiB)", b, b / 1024.0))));
    t.row("server idle CPU", or_unknown(cpu_percent.map(|c| format!("{c:.2} % of one core"))));
    t.row("tool RSS per connection", or_unknown(tool_per_conn.map(|b| format!("{:.0} bytes", b))));
    t.row("tool idle CPU", or_unknown(tool_cpu_percent.map(|c| format!("{c:.2} % of one core"))));
    if target.instance_count() > 1 {
        t.row("exercises per instance", target.placement_line());
        t.row("hellos sent on (4307)", format!("{moved_hellos} of {n}"));
    }
    if let Some(note) = target.proc_note() {
        t.row("note", note);
    }
    t.row("verdict", if ok { "ok" } else { "FAILED: some participants did not connect or were closed" });
    t.print();
    print_json(&json!({
        "scenario": "hold",
        "exercises": m,
        "participants": n,
        "connected": connected,
        "connect_failed": failed,
        "closed": closed,
        "ramp_secs": round3(ramp_secs),
        "connections_per_sec": round3(ramp_rate),
        "idle_secs": round3(idle),
        "server_rss_before_kib": rss_before,
        "server_rss_connected_kib": rss_connected,
        "server_rss_after_kib": rss_after,
        "server_rss_per_connection_bytes": per_conn.map(f64::round),
        "server_idle_cpu_percent": cpu_percent,
        "tool_rss_per_connection_bytes": tool_per_conn.map(f64::round),
        "tool_idle_cpu_percent": tool_cpu_percent,
        "proc_figures": target.pid().is_some(),
        "instances": target.instance_count(),
        "exercises_per_instance": target.placement().iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        "moved_hellos": moved_hellos,
        "ok": ok,
    }));
    drop(sockets);
    target.stop().await;
    Ok(ok)
}
