//! The attacker's and the bystander's connections: TCP and websockets bound to a chosen
//! loopback source address (each finding attacks from its own address, so the server's
//! per-address limits of one finding never touch the next), a keep-alive HTTP/1.1
//! client for request floods, and a `/healthz` probe that records latency while an
//! attack runs.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use crate::client::{Ws, ws_config};
use crate::stats::Latency;

/// `127.0.0.n`: a loopback source address of its own.
pub fn loopback(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
}

/// A TCP connection to `server` from `source`.
pub async fn tcp_from(source: IpAddr, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(server).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// A websocket to `server`'s `/ws` from `source` (the handshake included).
pub async fn ws_from(source: IpAddr, server: SocketAddr) -> Result<Ws> {
    let stream = tcp_from(source, server).await.with_context(|| format!("connect from {source}"))?;
    let url = format!("ws://{server}/ws");
    let (ws, _) = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::client_async_with_config(url, stream, Some(ws_config())),
    )
    .await
    .context("websocket handshake timed out")?
    .context("websocket handshake")?;
    Ok(ws)
}

/// True once the server has closed `stream` (a read gives end of file or an error);
/// false while it is open and silent.
pub fn closed_by_server(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// One HTTP/1.1 connection kept alive for many requests.
pub struct KeepAlive {
    reader: BufReader<TcpStream>,
    host: String,
}

/// One response: status, `Retry-After` if any, the body.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: String,
}

impl KeepAlive {
    /// Opens a connection from `source`.
    pub async fn open(source: IpAddr, server: SocketAddr) -> Result<Self> {
        let stream = tcp_from(source, server).await?;
        Ok(Self { reader: BufReader::new(stream), host: server.to_string() })
    }

    /// Sends a request and reads its response (`Content-Length` or chunked bodies).
    pub async fn request(&mut self, method: &str, path: &str, bearer: Option<&str>) -> Result<Answer> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n", self.host);
        if let Some(token) = bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        head.push_str("\r\n");
        self.reader.get_mut().write_all(head.as_bytes()).await?;
        let mut line = String::new();
        if self.reader.read_line(&mut line).await? == 0 {
            bail!("the server closed the connection");
        }
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no status line")?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            if self.reader.read_line(&mut line).await? == 0 {
                bail!("the server closed the connection in the headers");
            }
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if l.starts_with("transfer-encoding:") && l.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body).await?;
        }
        Ok(Answer { status, body: String::from_utf8_lossy(&body).into_owned() })
    }
}

/// A `GET` on a fresh connection from `source` (`Connection: close`).
pub async fn get_once(source: IpAddr, server: SocketAddr, path: &str, bearer: Option<&str>) -> Result<Answer> {
    let mut c = KeepAlive::open(source, server).await?;
    c.request("GET", path, bearer).await
}

/// The error code of an `{"error":{"code":…}}` body, if it is one.
pub fn error_code(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    v["error"]["code"].as_str().map(str::to_owned)
}

/// `/healthz` asked every 100 ms from a bystander's address while an attack runs.
pub struct Probe {
    stop: Arc<AtomicBool>,
    task: JoinHandle<(Latency, usize)>,
}

/// What the probe saw.
#[derive(Debug)]
pub struct Probed {
    /// Latency of the answered requests.
    pub latency: Latency,
    /// Requests that failed or did not answer 200 within 5 s.
    pub failed: usize,
}

impl Probe {
    /// Starts probing `server` from `source`.
    pub fn start(source: IpAddr, server: SocketAddr) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let task = tokio::spawn(async move {
            let (mut latency, mut failed) = (Latency::new(), 0);
            while !stopping.load(Ordering::Relaxed) {
                let started = Instant::now();
                let asked = tokio::time::timeout(Duration::from_secs(5), get_once(source, server, "/healthz", None));
                match asked.await {
                    Ok(Ok(a)) if a.status == 200 => latency.record(started.elapsed()),
                    _ => failed += 1,
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            (latency, failed)
        });
        Self { stop, task }
    }

    /// Stops probing and gives what it saw.
    pub async fn finish(self) -> Probed {
        self.stop.store(true, Ordering::Relaxed);
        let (latency, failed) = self.task.await.unwrap_or_else(|_| (Latency::new(), usize::MAX));
        Probed { latency, failed }
    }
}
