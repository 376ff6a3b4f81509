//! `baseline`: the same fan-out against a bare websocket broadcast server, so tabletop's
//! figures can be read as a ratio to what tokio-tungstenite alone does on this machine.
//!
//! The bare server runs in a child process (`tabletop-load serve-baseline`), as tabletop
//! does: its sockets do not count against the tool's open-file limit (10,000 receivers
//! are 20,000 descriptors in one process), and it has its own runtime, as tabletop has.
//!
//! The bare server accepts websockets on 127.0.0.1:0 (path `/room/N`); when a
//! connection sends a frame, one fixed JSON frame (the size of a participant's `inject`
//! push) is written to every other connection of its room: a task per socket and a
//! tokio broadcast channel per room, as in tabletop, but no JSON, no actor, no store.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use clap::Args;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::client::{self, Connector, Facilitators};
use crate::fanout::{self, Kind, Plan, Tally};
use crate::stats::{Table, print_json};
use crate::target::TargetArgs;

/// The frame every receiver gets per round: shaped and sized like a participant's
/// `inject` push of the load scenario.
const FRAME: &str = r#"{"type":"inject","seq":42,"inject_id":"load-001","title":"Load inject 1","body":"Inject 1 of the load test. A customer reports an emptied wallet after a SIM swap; more reports arrive every minute.","from":"tabletop-load","channel":"email","response":{"kind":"text"},"attachments":[],"questions":["What does your group do first, and who decides?"],"play_ms":1234,"wall_ms":1795605061000}"#;

/// `baseline` flags.
#[derive(Debug, Clone, Args)]
pub struct BaselineArgs {
    /// Receivers (in one room).
    #[arg(long)]
    pub participants: usize,
    /// Rounds.
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Milliseconds of quiet between rounds.
    #[arg(long, default_value_t = 200)]
    pub gap_ms: u64,
}

/// Runs `baseline`; true when every receiver got every frame once.
pub async fn run(args: &BaselineArgs, target_args: &TargetArgs) -> Result<bool> {
    if args.participants == 0 || args.rounds == 0 {
        bail!("--participants and --rounds must be at least 1");
    }
    let plan = Plan {
        rooms: 1,
        per_room: args.participants,
        rounds: args.rounds,
        stagger: std::time::Duration::ZERO,
        gap: std::time::Duration::from_millis(args.gap_ms),
        round_timeout: std::time::Duration::from_secs(30),
    };
    let tally = measure(&plan, target_args).await?;
    let mut t = Table::new(format!(
        "baseline: bare tokio-tungstenite broadcast, {} receivers, {} rounds",
        plan.per_room, plan.rounds
    ));
    tally.rows(&mut t, "baseline");
    t.print();
    let mut v = json!({"scenario": "baseline", "participants": plan.per_room, "rounds": plan.rounds});
    fanout::merge(&mut v, tally.json());
    print_json(&v);
    Ok(tally.ok())
}

/// Starts a bare broadcast server and plays `plan` against it.
pub async fn measure(plan: &Plan, target_args: &TargetArgs) -> Result<Tally> {
    let mut server = BareChild::start().await?;
    let addr = server.addr;
    let url = |room: usize| format!("ws://{addr}/room/{room}");
    let connector = Arc::new(Connector::new(addr, url(0), plan.rooms * (plan.per_room + 1), target_args.source_addrs));
    let mut sockets = Vec::new();
    for room in 0..plan.rooms {
        sockets.push(connector.connect_url(&url(room)).await?);
    }
    let facilitators = Facilitators::new(sockets);
    let rooms = plan.rooms;
    let ramp = client::ramp_up("baseline receivers", rooms * plan.per_room, target_args.connect_concurrency, |i| {
        let connector = connector.clone();
        async move {
            let room = i % rooms;
            let ws = connector.connect_url(&format!("ws://{addr}/room/{room}")).await?;
            Ok((room, ws))
        }
    })
    .await;
    ramp.check("baseline receiver")?;
    let (ramp_rate, connect_failed) = (ramp.rate(), ramp.failed);
    let mut tally = fanout::drive(Kind::Baseline, plan, facilitators, ramp.items).await;
    tally.ramp_rate = ramp_rate;
    tally.connect_failed = connect_failed;
    match server.stop().await {
        Ok(written) => crate::progress!("baseline server wrote {written} frames"),
        Err(e) => crate::progress!("baseline server: {e:#}"),
    }
    Ok(tally)
}

/// `tabletop-load serve-baseline`: runs the bare server, prints its address on stdout,
/// and when stdin closes prints how many frames it wrote and exits.
pub async fn serve_child() -> Result<bool> {
    use std::io::{Read, Write};
    let server = BareServer::start().await?;
    let mut out = std::io::stdout();
    writeln!(out, "{}", server.addr)?;
    out.flush()?;
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await??;
    writeln!(out, "{}", server.written.load(Ordering::Relaxed))?;
    out.flush()?;
    Ok(true)
}

/// The bare server's child process; killed when dropped.
struct BareChild {
    addr: SocketAddr,
    child: tokio::process::Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl BareChild {
    async fn start() -> Result<Self> {
        let exe = std::env::current_exe().context("finding this tool's executable")?;
        let mut child = tokio::process::Command::new(exe)
            .arg("serve-baseline")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the baseline server")?;
        if let Some(pid) = child.id() {
            crate::sys::register_child(pid);
        }
        let stdout = child.stdout.take().context("baseline server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(std::time::Duration::from_secs(10), lines.next_line())
            .await
            .context("the baseline server did not start within 10 s")??
            .context("the baseline server exited before listening")?;
        let addr = first.trim().parse().with_context(|| format!("baseline server said {first:?}"))?;
        Ok(Self { addr, child, lines })
    }

    /// Closes its stdin and returns the frames it wrote.
    async fn stop(&mut self) -> Result<u64> {
        drop(self.child.stdin.take());
        let line = tokio::time::timeout(std::time::Duration::from_secs(10), self.lines.next_line())
            .await
            .context("the baseline server did not stop")??
            .context("the baseline server exited without its count")?;
        let pid = self.child.id();
        self.child.wait().await?;
        if let Some(pid) = pid {
            crate::sys::unregister_child(pid);
        }
        Ok(line.trim().parse()?)
    }
}

/// The bare broadcast server.
struct BareServer {
    addr: SocketAddr,
    written: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

type Rooms = Arc<Mutex<HashMap<String, broadcast::Sender<u64>>>>;

impl BareServer {
    async fn start() -> Result<Self> {
        // A deep backlog, so the ramp never waits on SYN retries here.
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind("127.0.0.1:0".parse()?)?;
        let listener = socket.listen(4096)?;
        let addr = listener.local_addr()?;
        let rooms: Rooms = Arc::default();
        let written = Arc::new(AtomicU64::new(0));
        let counter = written.clone();
        let task = tokio::spawn(async move {
            let mut next_id = 0u64;
            while let Ok((stream, _)) = listener.accept().await {
                next_id += 1;
                tokio::spawn(serve(stream, next_id, rooms.clone(), counter.clone()));
            }
        });
        Ok(Self { addr, written, task })
    }
}

impl Drop for BareServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection: subscribes to its room during the handshake (so it cannot miss a
/// round that starts right after), then relays.
async fn serve(stream: TcpStream, id: u64, rooms: Rooms, written: Arc<AtomicU64>) {
    let _ = stream.set_nodelay(true);
    let mut joined: Option<(broadcast::Sender<u64>, broadcast::Receiver<u64>)> = None;
    // The handshake callback's signature (and its large error type) is tungstenite's.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| {
        let mut rooms = rooms.lock().unwrap_or_else(|p| p.into_inner());
        let tx = rooms.entry(req.uri().path().to_owned()).or_insert_with(|| broadcast::channel(1024).0).clone();
        let rx = tx.subscribe();
        joined = Some((tx, rx));
        Ok(resp)
    };
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024);
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(config)).await else {
        return;
    };
    let Some((tx, mut rx)) = joined else { return };
    let frame = Utf8Bytes::from_static(FRAME);
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                    let _ = tx.send(id);
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            from = rx.recv() => match from {
                Ok(from) if from != id => {
                    if ws.send(Message::Text(frame.clone())).await.is_err() {
                        break;
                    }
                    written.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            },
        }
    }
}
