//! Operational metrics, served as Prometheus text (exposition format 0.0.4) at
//! `GET /metrics` (docs/operations.md lists them).
//!
//! One [`Metrics`] per server, shared by the store writer and the sockets. Every count
//! is a relaxed atomic: the hot paths (a socket's message, a commit) pay one atomic add
//! and take no lock. The text is written by hand at scrape time; a client library would
//! bring a registry and locks for a dozen numbers.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// The media type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the commit latency buckets, in seconds: from a fast disk's fsync
/// (0.5 ms) to a struggling one (1 s).
const COMMIT_BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0];

/// What a socket is, for the connections gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketRole {
    /// Connected, not yet identified (no join, resume, facilitate, observe or project yet).
    Unidentified,
    /// The facilitator's console (also the admin token).
    Facilitator,
    /// A participant's phone.
    Participant,
    /// An observer (evaluator).
    Observer,
    /// The shared screen.
    Projector,
}

impl SocketRole {
    const ALL: [SocketRole; 5] = [
        SocketRole::Facilitator,
        SocketRole::Participant,
        SocketRole::Observer,
        SocketRole::Projector,
        SocketRole::Unidentified,
    ];

    fn label(self) -> &'static str {
        match self {
            SocketRole::Unidentified => "unidentified",
            SocketRole::Facilitator => "facilitator",
            SocketRole::Participant => "participant",
            SocketRole::Observer => "observer",
            SocketRole::Projector => "projector",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A histogram of durations with fixed buckets (counts per bucket; cumulated when written).
#[derive(Debug, Default)]
struct Histogram {
    /// One count per bucket of [`COMMIT_BUCKETS`], then one for `+Inf`.
    buckets: [AtomicU64; COMMIT_BUCKETS.len() + 1],
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        let i = COMMIT_BUCKETS.iter().position(|&le| secs <= le).unwrap_or(COMMIT_BUCKETS.len());
        self.buckets[i].fetch_add(1, Relaxed);
        self.sum_nanos.fetch_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX), Relaxed);
    }

    fn write(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, count) in self.buckets.iter().enumerate() {
            cumulative += count.load(Relaxed);
            let le = COMMIT_BUCKETS.get(i).map_or_else(|| "+Inf".to_owned(), f64::to_string);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let sum = self.sum_nanos.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {cumulative}");
    }
}

/// The server's counters and gauges.
#[derive(Debug, Default)]
pub struct Metrics {
    connections: [AtomicI64; 5],
    answers_stored: AtomicU64,
    events_appended: AtomicU64,
    commit_failures: AtomicU64,
    commit_seconds: Histogram,
    lagging_closed: AtomicU64,
    rate_limited: AtomicU64,
    /// The last commit failed (cleared by the next that succeeds).
    store_failing: AtomicBool,
    /// Several instances on PostgreSQL (issue 17).
    ownership: Ownership,
}

/// What several instances on one PostgreSQL store count.
#[derive(Debug, Default)]
struct Ownership {
    taken_over: AtomicU64,
    leases_lost: AtomicU64,
    appends_fenced: AtomicU64,
    clients_moved: AtomicU64,
}

/// What the accept loop's gate counts, read at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpFigures {
    /// TCP connections open now (websockets included), over every listener.
    pub open: usize,
    /// Connections closed at once for being over a cap.
    pub refused: u64,
}

impl Metrics {
    /// A committed batch: how long the transaction took (writes and fsync), the events
    /// it appended and how many of them were answers.
    pub fn committed(&self, took: Duration, events: u64, answers: u64) {
        self.commit_seconds.observe(took);
        self.events_appended.fetch_add(events, Relaxed);
        self.answers_stored.fetch_add(answers, Relaxed);
        self.store_failing.store(false, Relaxed);
    }

    /// A batch whose commit failed (nothing of it was stored).
    pub fn commit_failed(&self) {
        self.commit_failures.fetch_add(1, Relaxed);
        self.store_failing.store(true, Relaxed);
    }

    /// Whether the last commit failed (the disk is full, the store cannot write):
    /// `/healthz` says so.
    pub fn store_failing(&self) -> bool {
        self.store_failing.load(Relaxed)
    }

    /// A socket closed for falling behind its channel (4008).
    pub fn lagging_closed(&self) {
        self.lagging_closed.fetch_add(1, Relaxed);
    }

    /// A message refused by the per-socket rate limit.
    pub fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Relaxed);
    }

    /// An exercise taken over from an instance that stopped renewing its lease.
    pub fn taken_over(&self) {
        self.ownership.taken_over.fetch_add(1, Relaxed);
    }

    /// Leases this instance lost to another.
    pub fn leases_lost(&self, n: u64) {
        self.ownership.leases_lost.fetch_add(n, Relaxed);
    }

    /// Appends refused because this instance no longer owned the exercise.
    pub fn appends_fenced(&self, n: u64) {
        self.ownership.appends_fenced.fetch_add(n, Relaxed);
    }

    /// A client sent to (or a request fetched from) the instance that runs its exercise.
    pub fn client_moved(&self) {
        self.ownership.clients_moved.fetch_add(1, Relaxed);
    }

    /// A new socket, counted as unidentified until [`Connected::identified`]; uncounted
    /// when the guard drops.
    pub fn connected(self: &Arc<Self>) -> Connected {
        self.connections[SocketRole::Unidentified.index()].fetch_add(1, Relaxed);
        Connected { metrics: self.clone(), role: SocketRole::Unidentified }
    }

    /// The exposition text; `live_exercises` is read by the caller at scrape time.
    pub fn render(&self, live_exercises: usize, tcp: TcpFigures) -> String {
        let mut out = String::with_capacity(4096);
        let _ =
            writeln!(out, "# HELP tabletop_connections Open websockets by role.\n# TYPE tabletop_connections gauge");
        for role in SocketRole::ALL {
            let n = self.connections[role.index()].load(Relaxed);
            let _ = writeln!(out, "tabletop_connections{{role=\"{}\"}} {n}", role.label());
        }
        gauge(&mut out, "tabletop_exercises_live", "Exercises with a running actor.", live_exercises as f64);
        gauge(&mut out, "tabletop_tcp_connections", "TCP connections open, over every listener.", tcp.open as f64);
        let _ = writeln!(
            out,
            "# HELP tabletop_tcp_connections_refused_total Connections closed at once for being over a cap.\n\
             # TYPE tabletop_tcp_connections_refused_total counter\ntabletop_tcp_connections_refused_total {}",
            tcp.refused
        );
        let failing = f64::from(u8::from(self.store_failing()));
        gauge(&mut out, "tabletop_store_failing", "1 while the last commit failed.", failing);
        counter(&mut out, "tabletop_answers_stored_total", "Answers (responses) committed.", &self.answers_stored);
        counter(&mut out, "tabletop_events_appended_total", "Events committed to the log.", &self.events_appended);
        counter(
            &mut out,
            "tabletop_commit_failures_total",
            "Store batches whose commit failed.",
            &self.commit_failures,
        );
        self.commit_seconds.write(
            &mut out,
            "tabletop_commit_seconds",
            "Time of one store commit (a batch's writes and fsync).",
        );
        counter(
            &mut out,
            "tabletop_sockets_lagging_closed_total",
            "Sockets closed with 4008 for falling behind their push channel.",
            &self.lagging_closed,
        );
        counter(
            &mut out,
            "tabletop_messages_rate_limited_total",
            "Client messages refused by the per-socket rate limit.",
            &self.rate_limited,
        );
        let o = &self.ownership;
        let taken = "Exercises taken over from an instance that stopped renewing its lease.";
        counter(&mut out, "tabletop_exercises_taken_over_total", taken, &o.taken_over);
        counter(&mut out, "tabletop_leases_lost_total", "Exercise leases lost to another instance.", &o.leases_lost);
        let fenced = "Appends refused: this instance no longer owned the exercise.";
        counter(&mut out, "tabletop_appends_fenced_total", fenced, &o.appends_fenced);
        let moved = "Clients sent to the instance that runs their exercise (4307, 307) or fetched for.";
        counter(&mut out, "tabletop_clients_moved_total", moved, &o.clients_moved);
        process::write(&mut out);
        out
    }
}

fn counter(out: &mut String, name: &str, help: &str, value: &AtomicU64) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", value.load(Relaxed));
}

fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}

/// A socket's place in the connections gauge; moves to its role when it identifies.
#[derive(Debug)]
pub struct Connected {
    metrics: Arc<Metrics>,
    role: SocketRole,
}

impl Connected {
    /// The socket identified as `role`.
    pub fn identified(&mut self, role: SocketRole) {
        if role != self.role {
            self.metrics.connections[role.index()].fetch_add(1, Relaxed);
            self.metrics.connections[self.role.index()].fetch_sub(1, Relaxed);
            self.role = role;
        }
    }
}

impl Drop for Connected {
    fn drop(&mut self) {
        self.metrics.connections[self.role.index()].fetch_sub(1, Relaxed);
    }
}

/// The usual `process_*` metrics, read from `/proc` at scrape time (Linux only).
mod process {
    #[cfg(target_os = "linux")]
    pub(super) fn write(out: &mut String) {
        use super::gauge;
        // SAFETY: sysconf only reads configuration values.
        let (tick, page) = unsafe { (libc::sysconf(libc::_SC_CLK_TCK), libc::sysconf(libc::_SC_PAGESIZE)) };
        let (tick, page) = (tick.max(1) as f64, page.max(0) as f64);
        if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
            // The fields after the command name (which may hold spaces and parentheses).
            let fields: Vec<f64> = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect())
                .unwrap_or_default();
            // proc(5) numbers fields from 1, the command name being the 2nd.
            let field = |n: usize| fields.get(n - 3).copied();
            if let (Some(utime), Some(stime)) = (field(14), field(15)) {
                let name = "process_cpu_seconds_total";
                let cpu = (utime + stime) / tick;
                out.push_str(&format!(
                    "# HELP {name} User and system CPU time.\n# TYPE {name} counter\n{name} {cpu}\n"
                ));
            }
            if let Some(threads) = field(20) {
                gauge(out, "process_threads", "OS threads.", threads);
            }
            if let (Some(start), Some(boot)) = (field(22), boot_time()) {
                gauge(out, "process_start_time_seconds", "Start time, seconds since the epoch.", boot + start / tick);
            }
            if let Some(rss) = field(24) {
                gauge(out, "process_resident_memory_bytes", "Resident memory.", rss * page);
            }
        }
        if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
            gauge(out, "process_open_fds", "Open file descriptors.", fds.count() as f64);
        }
    }

    #[cfg(target_os = "linux")]
    fn boot_time() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        stat.lines().find_map(|l| l.strip_prefix("btime ")).and_then(|s| s.trim().parse().ok())
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn write(_: &mut String) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_counts_every_observation() {
        let m = Metrics::default();
        for ms in [0.1, 0.7, 3.0, 3.0, 2_000.0] {
            m.committed(Duration::from_secs_f64(ms / 1_000.0), 2, 1);
        }
        let text = m.render(0, TcpFigures::default());
        assert!(text.contains("tabletop_commit_seconds_bucket{le=\"0.0005\"} 1\n"), "{text}");
        assert!(text.contains("tabletop_commit_seconds_bucket{le=\"0.001\"} 2\n"), "{text}");
        assert!(text.contains("tabletop_commit_seconds_bucket{le=\"0.005\"} 4\n"), "{text}");
        assert!(text.contains("tabletop_commit_seconds_bucket{le=\"1\"} 4\n"), "{text}");
        assert!(text.contains("tabletop_commit_seconds_bucket{le=\"+Inf\"} 5\n"), "{text}");
        assert!(text.contains("tabletop_commit_seconds_count 5\n"), "{text}");
        assert!(text.contains("tabletop_events_appended_total 10\n"), "{text}");
        assert!(text.contains("tabletop_answers_stored_total 5\n"), "{text}");
    }

    #[test]
    fn a_socket_moves_from_unidentified_to_its_role_and_leaves_on_drop() {
        let m = Arc::new(Metrics::default());
        let mut a = m.connected();
        let _b = m.connected();
        a.identified(SocketRole::Participant);
        assert!(m.render(0, TcpFigures::default()).contains("tabletop_connections{role=\"participant\"} 1\n"));
        assert!(m.render(0, TcpFigures::default()).contains("tabletop_connections{role=\"unidentified\"} 1\n"));
        drop(a);
        assert!(m.render(0, TcpFigures::default()).contains("tabletop_connections{role=\"participant\"} 0\n"));
    }
}
