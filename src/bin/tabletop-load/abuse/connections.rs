//! Finding 1: connection exhaustion with no credential. Idle TCP connections, slowloris
//! sockets (a header byte every 2 s, never finishing) and websockets that never identify,
//! each from its own address, while a bystander asks `/healthz` from another. Held when
//! the bystander is answered throughout (none failed, slowest under 1 s), everything the
//! server let in is closed by the server within the deadline, and its memory stays small.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use futures_util::StreamExt;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::net::{Probe, closed_by_server, loopback, tcp_from, ws_from};
use super::{AbuseArgs, Ctx, Verdict};

/// Most resident memory the server may reach under the attack (it reached 347 MB).
const MAX_RSS_MIB: u64 = 200;
/// Slowest `/healthz` answer allowed during the attack.
const MAX_HEALTHZ_MS: f64 = 1_000.0;

pub async fn run(ctx: &Ctx, args: &AbuseArgs) -> Result<Verdict> {
    let server = ctx.addr;
    let rss_before = ctx.rss_kib().unwrap_or(0);
    let peak = Arc::new(AtomicUsize::new(rss_before as usize));
    let watching = {
        let (peak, pid) = (peak.clone(), ctx.target.pid());
        tokio::spawn(async move {
            while let Some(kib) = pid.and_then(crate::sys::rss_kib) {
                peak.fetch_max(kib as usize, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let probe = Probe::start(loopback(101), server);
    let started = Instant::now();

    // Idle TCP connections: opened 200 at a time, kept.
    let gate = Arc::new(Semaphore::new(200));
    let mut opening = JoinSet::new();
    for _ in 0..args.idle_connections {
        let gate = gate.clone();
        opening.spawn(async move {
            let _permit = gate.acquire_owned().await;
            tcp_from(loopback(11), server).await
        });
    }
    let (mut idle, mut idle_failed, mut swept) = (Vec::<TcpStream>::new(), 0usize, 0usize);
    while let Some(r) = opening.join_next().await {
        match r {
            Ok(Ok(s)) => idle.push(s),
            _ => idle_failed += 1,
        }
        // Those the server closed are counted and let go as we go: this process has the
        // same open-file limit as the server, and holding every refused socket would
        // leave the bystander's probe no descriptor (its `/healthz` "failed" with EMFILE).
        if idle.len() % 500 == 0 {
            let before = idle.len();
            idle.retain(|s| !closed_by_server(s));
            swept += before - idle.len();
        }
    }
    let open_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let refused_at_once = swept + idle.iter().filter(|s| closed_by_server(s)).count() + idle_failed;
    crate::progress!(
        "  {} idle connections in {open_secs:.1} s: {refused_at_once} refused or closed at once",
        args.idle_connections
    );

    // Slowloris: a header that never ends.
    let slow_closed = Arc::new(AtomicUsize::new(0));
    let mut slow = JoinSet::new();
    for _ in 0..args.slowloris {
        let closed = slow_closed.clone();
        slow.spawn(async move {
            let Ok(mut s) = tcp_from(loopback(12), server).await else {
                closed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ").await;
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                if s.write_all(b"a").await.is_err() || closed_by_server(&s) {
                    closed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        });
    }

    // Websockets that never identify.
    let (ws_open, ws_closed, ws_failed) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut silent = JoinSet::new();
    for _ in 0..args.unidentified {
        let (gate, open, closed, failed) = (gate.clone(), ws_open.clone(), ws_closed.clone(), ws_failed.clone());
        silent.spawn(async move {
            let permit = gate.acquire_owned().await;
            let Ok(mut ws) = ws_from(loopback(13), server).await else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            drop(permit);
            open.fetch_add(1, Ordering::Relaxed);
            while let Some(Ok(_)) = ws.next().await {}
            closed.fetch_add(1, Ordering::Relaxed);
        });
    }

    // Wait for the server to close what it let in.
    let deadline = started + Duration::from_secs(args.close_within_secs);
    let (mut idle_open, mut all_closed_after) = (idle.len(), None);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        idle.retain(|s| !closed_by_server(s));
        idle_open = idle.len();
        let slow_open = args.slowloris - slow_closed.load(Ordering::Relaxed);
        let ws_left = ws_open.load(Ordering::Relaxed) - ws_closed.load(Ordering::Relaxed);
        let ws_settled = ws_open.load(Ordering::Relaxed) + ws_failed.load(Ordering::Relaxed) == args.unidentified;
        if idle_open == 0 && slow_open == 0 && ws_left == 0 && ws_settled {
            all_closed_after = Some(started.elapsed().as_secs_f64());
            break;
        }
    }
    let slow_open = args.slowloris - slow_closed.load(Ordering::Relaxed);
    let ws_left = ws_open.load(Ordering::Relaxed) - ws_closed.load(Ordering::Relaxed);
    slow.abort_all();
    silent.abort_all();
    drop(idle);
    let probed = probe.finish().await;
    watching.abort();
    let peak_mib = peak.load(Ordering::Relaxed) as u64 / 1024;
    let healthz_max = probed.latency.max_ms();

    let held = probed.failed == 0
        && healthz_max < MAX_HEALTHZ_MS
        && all_closed_after.is_some()
        && (ctx.target.pid().is_none() || peak_mib < MAX_RSS_MIB);
    let detail = format!(
        "/healthz answered {} times (failed {}, median {:.1} ms, max {healthz_max:.1} ms); {refused_at_once} of {} idle \
         connections refused at once ({:.0}/s); {} left open after {} s (idle {idle_open}, slowloris {slow_open}, \
         unidentified websockets {ws_left}); RSS {} → peak {peak_mib} MiB",
        probed.latency.count(),
        probed.failed,
        probed.latency.quantile_ms(0.5),
        args.idle_connections,
        refused_at_once as f64 / open_secs.max(0.001),
        idle_open + slow_open + ws_left,
        all_closed_after.map_or(format!("{}", args.close_within_secs), |s| format!("{s:.0}")),
        rss_before / 1024,
    );
    Ok(Verdict {
        finding: 1,
        title: "no-credential connection exhaustion",
        held,
        detail,
        figures: json!({
            "idle_connections": args.idle_connections,
            "refused_at_once": refused_at_once,
            "refused_per_sec": (refused_at_once as f64 / open_secs.max(0.001)).round(),
            "all_closed_after_secs": all_closed_after,
            "left_open": {"idle": idle_open, "slowloris": slow_open, "unidentified_ws": ws_left},
            "unidentified_ws_opened": ws_open.load(Ordering::Relaxed),
            "healthz": probed.latency.json(),
            "healthz_failed": probed.failed,
            "rss_mib": {"before": rss_before / 1024, "peak": peak_mib},
        }),
    })
}
