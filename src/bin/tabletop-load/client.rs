//! Websocket clients of the public protocol: connecting (with small buffers and, past
//! one address's ephemeral ports, several loopback source addresses), the `join` and
//! `facilitate` hellos (following an exercise that lives on another instance: close
//! 4307), reading frames, and ramping many participants up at once.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Semaphore;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::target::{Exercise, Target, TargetArgs};

/// A client socket.
pub type Ws = WebSocketStream<TcpStream>;

/// Connections per source address before another loopback address is used (the
/// default ephemeral port range holds about 28,000 ports).
pub const PER_SOURCE_ADDR: usize = 25_000;
/// How long a hello may take before the connection counts as failed.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(60);
/// Close code: the exercise is live on another instance, whose base URL is the reason.
pub const MOVED: u16 = 4307;
/// Moves a hello follows in a row before it gives up (instances sending it round).
pub const MAX_MOVES: usize = 4;

/// Opens websocket connections to one server.
#[derive(Debug)]
pub struct Connector {
    server: SocketAddr,
    url: String,
    sources: Vec<IpAddr>,
    next: AtomicUsize,
    /// Moves followed (close 4307), over all hellos.
    moves: AtomicUsize,
}

/// Small buffers: tens of thousands of clients live in this one process.
pub fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(4 * 1024).write_buffer_size(0).max_write_buffer_size(1024 * 1024)
}

impl Connector {
    /// A connector for `url` (a `ws://` URL naming `server`) that will open about
    /// `connections` sockets.
    pub fn new(server: SocketAddr, url: String, connections: usize, source_addrs: Option<usize>) -> Self {
        let wanted = source_addrs.unwrap_or_else(|| connections.div_ceil(PER_SOURCE_ADDR)).max(1);
        let sources = if server.ip().is_loopback() && server.is_ipv4() && wanted > 1 {
            (1..=wanted.min(254)).map(|i| IpAddr::V4(Ipv4Addr::new(127, 0, 0, i as u8))).collect()
        } else {
            if wanted > 1 {
                crate::progress!(
                    "warning: {connections} connections to a non-loopback server from one address may run out of ports"
                );
            }
            Vec::new()
        };
        if sources.len() > 1 {
            crate::progress!("spreading connections over {} loopback source addresses", sources.len());
        }
        Self { server, url, sources, next: AtomicUsize::new(0), moves: AtomicUsize::new(0) }
    }

    /// A connector for the target's `/ws`.
    pub fn for_target(target: &Target, args: &TargetArgs, connections: usize) -> Self {
        Self::new(target.endpoint.addr, target.ws_url(), connections, args.source_addrs)
    }

    /// Hellos that were sent on to another instance (close 4307) so far.
    pub fn moves(&self) -> usize {
        self.moves.load(Ordering::Relaxed)
    }

    /// Opens one websocket to the connector's URL.
    pub async fn connect(&self) -> Result<Ws> {
        self.connect_url(&self.url).await
    }

    /// Opens one websocket to another URL of the same server.
    pub async fn connect_url(&self, url: &str) -> Result<Ws> {
        self.connect_at(self.server, url).await
    }

    /// Opens one websocket to a `ws://` URL of any server: its host is resolved here
    /// (the tool speaks no TLS, so a `wss://` URL fails).
    pub async fn connect_elsewhere(&self, url: &str) -> Result<Ws> {
        let Some(rest) = url.strip_prefix("ws://") else {
            bail!("cannot open {url}: the tool speaks plain ws:// only");
        };
        let authority = rest.split('/').next().unwrap_or_default();
        // A port follows the last `:` outside an IPv6 literal's brackets.
        let has_port = authority.rsplit(']').next().is_some_and(|tail| tail.contains(':'));
        let with_port = if has_port { authority.to_owned() } else { format!("{authority}:80") };
        let addr = tokio::net::lookup_host(&with_port)
            .await
            .with_context(|| format!("cannot resolve {with_port}"))?
            .next()
            .with_context(|| format!("{with_port} resolves to no address"))?;
        self.connect_at(addr, url).await
    }

    /// Opens one websocket to `url` over a connection to `server`, from the next loopback
    /// source address when there are several and `server` is loopback IPv4 too.
    async fn connect_at(&self, server: SocketAddr, url: &str) -> Result<Ws> {
        let socket = if server.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
        if !self.sources.is_empty() && server.is_ipv4() && server.ip().is_loopback() {
            let i = self.next.fetch_add(1, Ordering::Relaxed) % self.sources.len();
            socket.bind(SocketAddr::new(self.sources[i], 0)).with_context(|| format!("bind {}", self.sources[i]))?;
        }
        let stream = socket.connect(server).await.with_context(|| format!("connect to {server}"))?;
        stream.set_nodelay(true)?;
        let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(ws_config()))
            .await
            .with_context(|| format!("websocket handshake with {url}"))?;
        Ok(ws)
    }
}

/// The fields of a server message the tool looks at; the rest is skipped.
#[derive(Debug, Deserialize)]
pub struct Incoming {
    /// The message type.
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    /// For `inject`.
    #[serde(default)]
    pub inject_id: Option<String>,
    /// For `ack` and some `error`s.
    #[serde(default)]
    pub client_msg_id: Option<String>,
    /// For `error`.
    #[serde(default)]
    pub code: Option<String>,
    /// For `error`.
    #[serde(default)]
    pub message: Option<String>,
    /// Log position of pushes and acks.
    #[serde(default)]
    pub seq: Option<u64>,
}

impl Incoming {
    /// Parses a text frame (`None` if it is not a protocol message).
    ///
    /// Pushes the tool only counts (a group's `response`, the most frequent by far) are
    /// read from their head, `{"type":"…","seq":N`, as tabletop writes them, instead of
    /// being parsed whole: in `respond` the tool reads every push of the room on the
    /// core it shares with the server, and a full parse of each is most of its work.
    pub fn parse(text: &str) -> Option<Self> {
        Self::counted_push(text).or_else(|| serde_json::from_str(text).ok())
    }

    /// Calls `each` with every message of a text frame: the frame's own, or each push of
    /// a `batch` frame (pushes stored in one commit), in order.
    ///
    /// A batch whose pushes are all counted ones is read from their heads: in a batch,
    /// `{"type":"` starts exactly the pushes (tabletop's nested objects have no `type`,
    /// and quotes inside strings are escaped). Any other batch is parsed whole.
    pub fn each(text: &str, each: impl FnMut(Self)) {
        const BATCH: &str = r#"{"type":"batch","pushes":["#;
        const HEAD: &str = r#"{"type":""#;
        let Some(body) = text.strip_prefix(BATCH) else {
            return Self::parse(text).into_iter().for_each(each);
        };
        // One SIMD substring search over the frame (std's `match_indices` was 13 % of
        // the machine's CPU in `respond`, and a search for `{` 7 %).
        let heads: Option<Vec<Self>> =
            memchr::memmem::find_iter(body.as_bytes(), HEAD).map(|at| Self::counted_push(&body[at..])).collect();
        match heads {
            Some(heads) => heads.into_iter().for_each(each),
            None => {
                if let Ok(batch) = serde_json::from_str::<Batch>(text) {
                    batch.pushes.into_iter().for_each(each);
                }
            }
        }
    }

    fn counted_push(text: &str) -> Option<Self> {
        let rest = text.strip_prefix(r#"{"type":""#)?;
        let (kind, rest) = rest.split_once('"')?;
        let kind = match kind {
            "response" => "response",
            "progress" => "progress",
            "participant" => "participant",
            _ => return None,
        };
        let digits = rest.strip_prefix(r#","seq":"#)?;
        let end = digits.find(|c: char| !c.is_ascii_digit())?;
        let seq = digits[..end].parse().ok()?;
        Some(Self {
            kind: Cow::Borrowed(kind),
            inject_id: None,
            client_msg_id: None,
            code: None,
            message: None,
            seq: Some(seq),
        })
    }
}

/// A `batch` frame parsed whole.
#[derive(Debug, Deserialize)]
struct Batch {
    pushes: Vec<Incoming>,
}

/// The messages of a frame parsed as JSON: its own, or each push of a `batch`.
pub fn messages(mut v: Value) -> Vec<Value> {
    if v["type"] == "batch"
        && let Value::Array(pushes) = v["pushes"].take()
    {
        return pushes;
    }
    vec![v]
}

/// What reading a socket gave.
#[derive(Debug)]
pub enum Frame {
    /// A text frame (shared with the websocket's buffer, not copied).
    Text(Utf8Bytes),
    /// The server closed the socket (close code if it sent one).
    Closed(Option<u16>),
    /// The connection broke.
    Broken(String),
}

/// The next text frame, close or failure (pings and pongs are skipped).
pub async fn next_frame(ws: &mut Ws) -> Frame {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => return Frame::Text(t),
            Some(Ok(Message::Close(frame))) => return Frame::Closed(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Frame::Broken(e.to_string()),
            None => return Frame::Closed(None),
        }
    }
}

/// Sends a JSON message.
pub async fn send(ws: &mut Ws, msg: &Value) -> Result<()> {
    ws.send(Message::text(msg.to_string())).await.map_err(|e| anyhow!("send failed: {e}"))
}

/// The `/ws` URL a close sends the client to: code 4307 with a reason naming a base
/// URL, `http://host[:port]` (then `ws://…`) or `https://…` (`wss://…`), a trailing
/// slash allowed. `None` for any other close, or a reason with a path, a query,
/// credentials or no host.
pub fn moved_to(frame: &CloseFrame) -> Option<String> {
    if u16::from(frame.code) != MOVED {
        return None;
    }
    let reason = frame.reason.as_str();
    let (scheme, rest) = match reason.strip_prefix("http://") {
        Some(rest) => ("ws", rest),
        None => ("wss", reason.strip_prefix("https://")?),
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let host_char = |c: char| c.is_ascii_alphanumeric() || ".-:[]".contains(c);
    (!authority.is_empty() && !authority.starts_with(':') && authority.chars().all(host_char))
        .then(|| format!("{scheme}://{authority}/ws"))
}

/// What a hello got.
enum Greeting {
    Welcome(Value),
    /// Close 4307: the `/ws` URL of the instance that owns the exercise.
    Moved(String),
}

/// Sends a hello and waits for the `welcome` or a move (an `error` or another close fails).
async fn greet(ws: &mut Ws, msg: &Value) -> Result<Greeting> {
    send(ws, msg).await?;
    let wait = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).context("the server sent non-JSON")?;
                    match v["type"].as_str() {
                        Some("welcome") => return Ok(Greeting::Welcome(v)),
                        Some("error") => bail!("{} refused: {} ({})", msg["type"], v["code"], v["message"]),
                        _ => continue,
                    }
                }
                Some(Ok(Message::Close(frame))) => match frame.as_ref().and_then(moved_to) {
                    Some(url) => return Ok(Greeting::Moved(url)),
                    None => bail!("closed before the welcome (code {:?})", frame.map(|f| u16::from(f.code))),
                },
                Some(Ok(_)) => continue,
                Some(Err(e)) => bail!("broken before the welcome: {e}"),
                None => bail!("closed before the welcome (code None)"),
            }
        }
    };
    tokio::time::timeout(HELLO_TIMEOUT, wait).await.map_err(|_| anyhow!("no welcome within {HELLO_TIMEOUT:?}"))?
}

/// Sends a hello on this socket's server alone and waits for the `welcome` (an `error`
/// or a close fails, a move to another instance too).
pub async fn hello(ws: &mut Ws, msg: &Value) -> Result<Value> {
    match greet(ws, msg).await? {
        Greeting::Welcome(v) => Ok(v),
        Greeting::Moved(url) => bail!("closed before the welcome: the exercise is live on {url} (code {MOVED})"),
    }
}

/// Connects, sends a hello and waits for the `welcome`, following the exercise to the
/// instance that owns it: on a close 4307 the same hello goes to the `/ws` the reason
/// names, at most `MAX_MOVES` times in a row. Gives the socket that got the welcome.
pub async fn hello_following(connector: &Connector, msg: &Value) -> Result<(Ws, Value)> {
    let mut ws = connector.connect().await?;
    let mut path: Vec<String> = Vec::new();
    loop {
        let url = match greet(&mut ws, msg).await? {
            Greeting::Welcome(v) => return Ok((ws, v)),
            Greeting::Moved(url) => url,
        };
        path.push(url);
        if path.len() > MAX_MOVES {
            bail!("{} moved {} times without a welcome (a loop?): {}", msg["type"], path.len(), path.join(" → "));
        }
        let url = path.last().expect("just pushed");
        if connector.moves.fetch_add(1, Ordering::Relaxed) == 0 {
            crate::progress!("following an exercise to the instance that owns it (close {MOVED}): {url}");
        }
        ws = connector.connect_elsewhere(url).await.with_context(|| format!("following the exercise to {url}"))?;
    }
}

/// Opens the facilitator's console socket of an exercise.
pub async fn facilitate(connector: &Connector, ex: &Exercise) -> Result<(Ws, Value)> {
    hello_following(connector, &json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})).await
}

/// A participant who joined.
#[derive(Debug)]
pub struct Joined {
    /// Their socket.
    pub ws: Ws,
    /// Which of the run's exercises (index).
    pub exercise: usize,
    /// Their number in the run (names and message ids are unique with it).
    pub index: usize,
    /// Their resume token.
    pub resume_token: String,
    /// `last_seq` of the welcome.
    pub last_seq: u64,
}

/// Connects and joins one participant.
pub async fn join(connector: &Connector, ex: &Exercise, exercise: usize, index: usize) -> Result<Joined> {
    let (ws, welcome) = hello_following(
        connector,
        &json!({"type": "join", "join_code": ex.join_code, "name": format!("load {index}")}),
    )
    .await?;
    let resume_token = welcome["you"]["resume_token"].as_str().context("welcome without a resume token")?.to_owned();
    let last_seq = welcome["last_seq"].as_u64().unwrap_or(0);
    Ok(Joined { ws, exercise, index, resume_token, last_seq })
}

/// Resumes a participant on a new socket after the server closed the old one.
pub async fn resume(connector: &Connector, resume_token: &str, last_seq: u64) -> Result<Ws> {
    let hello = json!({"type": "resume", "resume_token": resume_token, "last_seq": last_seq});
    Ok(hello_following(connector, &hello).await?.0)
}

/// How a ramp-up went.
#[derive(Debug)]
pub struct Ramp<T> {
    /// What connected, in the order of their numbers.
    pub items: Vec<T>,
    /// Connections that failed.
    pub failed: usize,
    /// Distinct failure reasons (the first 5).
    pub failures: Vec<String>,
    /// From the first connect to the last welcome.
    pub elapsed: Duration,
}

impl<T> Ramp<T> {
    /// Connections per second.
    pub fn rate(&self) -> f64 {
        self.items.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn fail(&mut self, reason: String) {
        self.failed += 1;
        if self.failures.len() < 5 && !self.failures.contains(&reason) {
            self.failures.push(reason);
        }
    }

    /// Prints the failures, if any, on stderr; fails when nothing connected at all.
    pub fn check(&self, what: &str) -> Result<()> {
        if self.failed > 0 {
            crate::progress!(
                "{} of {} {what} connections failed; reasons:",
                self.failed,
                self.failed + self.items.len()
            );
            for f in &self.failures {
                crate::progress!("  {f}");
            }
        }
        if self.items.is_empty() && self.failed > 0 {
            bail!("no {what} could connect: {}", self.failures.first().map_or("", String::as_str));
        }
        Ok(())
    }
}

/// Opens `n` connections with `make(i)`, at most `concurrency` at a time, printing
/// progress every second.
pub async fn ramp_up<T, F, Fut>(what: &str, n: usize, concurrency: usize, make: F) -> Ramp<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<T>> + Send + 'static,
{
    crate::progress!("connecting {n} {what} ({concurrency} at a time)");
    let start = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let reporter = {
        let done = done.clone();
        let what = what.to_owned();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            loop {
                tick.tick().await;
                let d = done.load(Ordering::Relaxed);
                crate::progress!("  {d}/{n} {what} ({:.0}/s)", d as f64 / start.elapsed().as_secs_f64());
            }
        })
    };
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let permit = permits.clone().acquire_owned().await.expect("semaphore open");
        let done = done.clone();
        let fut = make(i);
        set.spawn(async move {
            let r = fut.await;
            drop(permit);
            done.fetch_add(1, Ordering::Relaxed);
            r.map(|t| (i, t))
        });
    }
    let mut ramp = Ramp { items: Vec::with_capacity(n), failed: 0, failures: Vec::new(), elapsed: Duration::ZERO };
    let mut numbered = Vec::with_capacity(n);
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Ok(item)) => numbered.push(item),
            Ok(Err(e)) => ramp.fail(format!("{e:#}")),
            Err(e) => ramp.fail(format!("task failed: {e}")),
        }
    }
    ramp.elapsed = start.elapsed();
    reporter.abort();
    numbered.sort_by_key(|(i, _)| *i);
    ramp.items = numbered.into_iter().map(|(_, t)| t).collect();
    crate::progress!(
        "{} {what} connected in {:.2} s ({:.0}/s)",
        ramp.items.len(),
        ramp.elapsed.as_secs_f64(),
        ramp.rate()
    );
    ramp
}

/// Connects and joins `n` participants spread round-robin over `exercises`.
pub async fn join_all(connector: Arc<Connector>, exercises: &[Exercise], n: usize, concurrency: usize) -> Ramp<Joined> {
    let exercises: Arc<[Exercise]> = exercises.into();
    ramp_up("participants", n, concurrency, move |index| {
        let (connector, exercises) = (connector.clone(), exercises.clone());
        async move {
            let exercise = index % exercises.len();
            join(&connector, &exercises[exercise], exercise, index).await
        }
    })
    .await
}

/// Facilitator sockets whose incoming pushes are drained on their own tasks (a socket
/// that is not read falls behind and is dropped by the server); their send halves stay
/// here for the scenario to drive.
#[derive(Debug)]
pub struct Facilitators {
    /// Send halves, one per exercise (taken by the scenario).
    pub sinks: Vec<Option<futures_util::stream::SplitSink<Ws, Message>>>,
    readers: Vec<tokio::task::JoinHandle<()>>,
    errors: Arc<std::sync::Mutex<Vec<String>>>,
    /// Frames received by all facilitators.
    pub frames: Arc<std::sync::atomic::AtomicU64>,
}

impl Facilitators {
    /// Splits the sockets and starts draining them; `error` frames and closes are kept.
    pub fn new(sockets: Vec<Ws>) -> Self {
        let errors = Arc::new(std::sync::Mutex::new(Vec::new()));
        let frames = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut sinks = Vec::new();
        let mut readers = Vec::new();
        for (i, ws) in sockets.into_iter().enumerate() {
            let (sink, mut stream) = ws.split();
            sinks.push(Some(sink));
            let (errors, frames) = (errors.clone(), frames.clone());
            readers.push(tokio::spawn(async move {
                let note = |e: String| errors.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                loop {
                    match stream.next().await {
                        Some(Ok(Message::Text(t))) => {
                            frames.fetch_add(1, Ordering::Relaxed);
                            Incoming::each(t.as_str(), |m| {
                                if m.kind == "error" {
                                    note(format!(
                                        "facilitator {i}: {} ({})",
                                        m.code.unwrap_or_default(),
                                        m.message.unwrap_or_default()
                                    ));
                                }
                            });
                        }
                        Some(Ok(Message::Close(f))) => {
                            note(format!(
                                "facilitator {i}: closed by the server (code {:?})",
                                f.map(|f| u16::from(f.code))
                            ));
                            break;
                        }
                        Some(Ok(_)) => {}
                        Some(Err(e)) => {
                            note(format!("facilitator {i}: {e}"));
                            break;
                        }
                        None => {
                            note(format!("facilitator {i}: connection ended"));
                            break;
                        }
                    }
                }
            }));
        }
        Self { sinks, readers, errors, frames }
    }

    /// Errors and closes seen so far.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for Facilitators {
    fn drop(&mut self) {
        for r in &self.readers {
            r.abort();
        }
    }
}

/// Opens a facilitator socket, starts the exercise and waits for the running clock.
pub async fn facilitate_and_start(connector: &Connector, ex: &Exercise) -> Result<Ws> {
    let (mut ws, _) = facilitate(connector, ex).await?;
    send(&mut ws, &json!({"type": "start"})).await?;
    let wait = async {
        loop {
            match next_frame(&mut ws).await {
                Frame::Text(t) => {
                    for v in messages(serde_json::from_str(&t)?) {
                        match (v["type"].as_str(), v["state"].as_str()) {
                            (Some("clock"), Some("running")) => return Ok(()),
                            (Some("error"), _) => bail!("start refused: {} ({})", v["code"], v["message"]),
                            _ => {}
                        }
                    }
                }
                other => bail!("facilitator socket ended before the clock started: {other:?}"),
            }
        }
    };
    tokio::time::timeout(HELLO_TIMEOUT, wait).await.map_err(|_| anyhow!("the clock did not start"))??;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use tabletop::protocol::{ResponseView, ServerMsg};

    use super::*;

    /// A response push as tabletop writes it, with an answer that looks like a message.
    fn response(seq: u64) -> String {
        serde_json::to_string(&ServerMsg::Response(ResponseView {
            seq,
            group_id: "risk".into(),
            inject_id: "load-001".into(),
            participant_id: tabletop::ids::ParticipantId::new(),
            participant_name: "Awa".into(),
            text: "{\"type\":\"ack\",\"seq\":1} {\"type\":\"inject\"".into(),
            options: vec![],
            contribution: false,
            removed: false,
            late: false,
            play_ms: 0,
            wall_ms: 0,
        }))
        .unwrap()
    }

    /// (kind, seq, inject_id) of each message `each` finds in a frame.
    fn each_of(text: &str) -> Vec<(String, Option<u64>, Option<String>)> {
        let mut out = Vec::new();
        Incoming::each(text, |m| out.push((m.kind.into_owned(), m.seq, m.inject_id)));
        out
    }

    #[test]
    fn every_push_of_a_batch_frame_is_seen_once_in_order() {
        let batch = |frames: &[String]| {
            let frames: Vec<_> = frames.iter().map(|f| axum::extract::ws::Utf8Bytes::from(f.as_str())).collect();
            tabletop::exercise::coalesce::batch_frame(frames.iter()).to_string()
        };
        let counted = batch(&[response(7), response(8), response(9)]);
        let kinds =
            |v: Vec<(String, Option<u64>, Option<String>)>| v.into_iter().map(|(k, s, _)| (k, s)).collect::<Vec<_>>();
        let r = |seq| ("response".to_owned(), Some(seq));
        assert_eq!(kinds(each_of(&counted)), [r(7), r(8), r(9)], "read from the heads");
        let inject = r#"{"type":"inject","seq":10,"inject_id":"load-002","response":{"kind":"text"}}"#.to_owned();
        let mixed = batch(&[response(9), inject]);
        assert_eq!(
            each_of(&mixed),
            [
                ("response".into(), Some(9), Some("load-001".into())),
                ("inject".into(), Some(10), Some("load-002".into()))
            ],
            "parsed whole"
        );
        assert_eq!(kinds(each_of(&response(3))), [r(3)], "a lone push");
    }

    #[test]
    fn a_move_names_the_owners_ws_url() {
        use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
        let close = |code: u16, reason: &str| CloseFrame { code: CloseCode::from(code), reason: reason.into() };
        let moved = |reason: &str| moved_to(&close(MOVED, reason));
        assert_eq!(moved("http://127.0.0.1:41234").as_deref(), Some("ws://127.0.0.1:41234/ws"));
        assert_eq!(moved("https://b.example.org:8443").as_deref(), Some("wss://b.example.org:8443/ws"));
        assert_eq!(moved("http://b.example.org/").as_deref(), Some("ws://b.example.org/ws"), "trailing slash");
        assert_eq!(moved("http://[::1]:8080").as_deref(), Some("ws://[::1]:8080/ws"));
        for refused in [
            "javascript:alert(1)",
            "garbage",
            "",
            "http://",
            "http://:80",
            "ftp://b.example.org",
            "http://b.example.org/ws",
            "http://b.example.org:8443/other/path",
            "http://b.example.org?x=1",
            "http://user:pw@b.example.org",
            "ws://b.example.org",
        ] {
            assert_eq!(moved(refused), None, "{refused:?}");
        }
        assert_eq!(moved_to(&close(1001, "http://127.0.0.1:41234")), None, "another close code");
    }

    #[test]
    fn a_counted_push_read_from_its_head_says_what_the_full_parse_says() {
        let text = response(4711);
        let fast = Incoming::counted_push(&text).expect("a response is read from its head");
        let full: Incoming = serde_json::from_str(&text).unwrap();
        assert_eq!((&*fast.kind, fast.seq), (&*full.kind, full.seq));
        assert_eq!(fast.seq, Some(4711));
        // Acks, errors and injects carry what the tool checks: parsed whole.
        for whole in [
            r#"{"type":"ack","client_msg_id":"a1","seq":9}"#,
            r#"{"type":"error","code":"rate_limited","message":"slow down","client_msg_id":"a2"}"#,
            r#"{"type":"inject","seq":3,"inject_id":"load-002"}"#,
        ] {
            assert!(Incoming::counted_push(whole).is_none(), "{whole}");
            assert!(Incoming::parse(whole).is_some(), "{whole}");
        }
        assert_eq!(
            Incoming::parse(r#"{"type":"ack","client_msg_id":"a1","seq":9}"#).unwrap().client_msg_id.as_deref(),
            Some("a1")
        );
    }
}
