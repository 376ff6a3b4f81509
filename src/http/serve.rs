//! The accept loop (hyper-util, not `axum::serve`): every connection is admitted by the
//! [`Gate`] (a cap per client address and one in all, so the process never runs out of
//! file descriptors), gets TCP_NODELAY, an optional TLS handshake, an HTTP/1 header-read
//! timeout (slowloris), an idle timeout, and `ConnectInfo<SocketAddr>` for the handlers.
//! On shutdown connections end gracefully (the response in progress is finished).
//!
//! A connection's place in the gate is held by its IO ([`Tracked`]), so a websocket
//! upgraded from it keeps counting until it closes.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use dashmap::DashMap;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tower_http::add_extension::AddExtension;

use super::tls::Handshake;
use crate::config::NetOptions;

/// How long connections may take to finish after shutdown begins.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Open connections, in all and per client address.
#[derive(Debug)]
pub struct Gate {
    open: AtomicUsize,
    per_ip: DashMap<IpAddr, usize>,
    max_total: usize,
    max_per_ip: usize,
    /// Addresses not capped per address (reverse proxies).
    uncapped: Vec<IpAddr>,
    /// Connections closed at once for being over a cap.
    refused: AtomicU64,
}

/// A connection's place in the [`Gate`], given back when dropped.
#[derive(Debug)]
pub struct Slot {
    gate: Arc<Gate>,
    ip: Option<IpAddr>,
}

impl Gate {
    /// A gate with these caps (`max_per_ip` 0: none).
    pub fn new(max_total: usize, max_per_ip: usize, uncapped: Vec<IpAddr>) -> Arc<Self> {
        Arc::new(Gate {
            open: AtomicUsize::new(0),
            per_ip: DashMap::new(),
            max_total,
            max_per_ip,
            uncapped,
            refused: AtomicU64::new(0),
        })
    }

    /// A place for a connection from `ip`, or `None` when a cap is reached.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        if self.open.fetch_add(1, Ordering::AcqRel) >= self.max_total {
            self.open.fetch_sub(1, Ordering::AcqRel);
            self.refused.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let capped = self.max_per_ip > 0 && !self.uncapped.contains(&ip);
        if !capped {
            return Some(Slot { gate: self.clone(), ip: None });
        }
        let mut count = self.per_ip.entry(ip).or_insert(0);
        if *count >= self.max_per_ip {
            drop(count);
            self.open.fetch_sub(1, Ordering::AcqRel);
            self.refused.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        *count += 1;
        Some(Slot { gate: self.clone(), ip: Some(ip) })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// The cap in all.
    pub fn max_total(&self) -> usize {
        self.max_total
    }

    /// Connections refused so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(ip) = self.ip {
            self.gate.per_ip.remove_if_mut(&ip, |_, count| {
                *count -= 1;
                *count == 0
            });
        }
        self.gate.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The cap in all: the open-file limit (its soft value, see [`raise_open_file_limit`])
/// less a reserve for the store, scenario and attachment files, logs and Chromium.
pub fn connection_cap(net: &NetOptions) -> usize {
    if let Some(cap) = net.max_connections {
        return cap;
    }
    let limit = open_file_limit().unwrap_or(1024);
    let reserve = (limit / 8).clamp(64, 1024);
    limit.saturating_sub(reserve).max(16)
}

/// Raises the soft open-file limit to the hard one (once, at startup); returns the new
/// soft limit.
#[cfg(unix)]
pub fn raise_open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit write and read the struct given, nothing else.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    usize::try_from(limit.rlim_cur).ok()
}

/// Not on this platform.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> Option<usize> {
    None
}

#[cfg(unix)]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes the struct given.
    (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0).then_some(())?;
    usize::try_from(limit.rlim_cur).ok()
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<usize> {
    None
}

/// Serves `router` on `listener` (through `tls` when given) until `stop` flips, then
/// waits up to [`SHUTDOWN_GRACE`] for the connections to finish their responses.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<Arc<Handshake>>,
    net: NetOptions,
    gate: Arc<Gate>,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(net.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let net = Arc::new(net);
    // Each connection task holds a sender; when all are gone, every connection is done.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        let Some(slot) = gate.admit(peer.ip()) else {
            // Closed at once: the descriptor goes back before the next accept.
            drop(tcp);
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let io = Tracked::new(tcp, slot);
        let conn = Conn {
            builder: builder.clone(),
            router: router.clone(),
            net: net.clone(),
            stop: stop.clone(),
            peer,
            _alive: alive.clone(),
        };
        let tls = tls.clone();
        tokio::spawn(async move {
            let activity = io.activity.clone();
            match tls {
                None => conn.run(io, activity).await,
                Some(handshake) => {
                    if let Some(io) = handshake.run_timed(io, peer).await {
                        conn.run(io, activity).await;
                    }
                }
            }
        });
    }
    drop(alive);
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, all_done.recv()).await.is_err() {
        tracing::warn!("some connections did not finish within {} s", SHUTDOWN_GRACE.as_secs());
    }
    Ok(())
}

/// One connection's settings.
struct Conn {
    builder: Arc<Builder<TokioExecutor>>,
    router: Router,
    net: Arc<NetOptions>,
    stop: watch::Receiver<bool>,
    peer: SocketAddr,
    _alive: mpsc::Sender<()>,
}

impl Conn {
    async fn run<IO>(mut self, io: IO, activity: Arc<Activity>)
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let service = TowerToHyperService::new(AddExtension::new(self.router.clone(), ConnectInfo(self.peer)));
        let conn = self.builder.serve_connection_with_upgrades(TokioIo::new(io), service);
        let mut conn = std::pin::pin!(conn);
        let (first, idle) = (self.net.header_read_timeout, self.net.idle_timeout);
        let mut closing: Option<Instant> = None;
        loop {
            tokio::select! {
                done = conn.as_mut() => {
                    if let Err(e) = done {
                        tracing::debug!(peer = %self.peer, error = %e, "connection ended");
                    }
                    return;
                }
                () = stopped(&mut self.stop), if closing.is_none() => {
                    conn.as_mut().graceful_shutdown();
                    closing = Some(Instant::now() + SHUTDOWN_GRACE);
                }
                () = activity.idle(first, idle), if closing.is_none() => {
                    tracing::debug!(peer = %self.peer, "idle connection closed");
                    conn.as_mut().graceful_shutdown();
                    closing = Some(Instant::now() + idle);
                }
                () = sleep_until(closing) => return,
            }
        }
    }
}

/// Completes once `stop` is true (the guard of `wait_for` is not held across awaits).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// When a connection last read or wrote, and whether it ever read anything.
#[derive(Debug)]
pub struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    read_any: AtomicBool,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Completes once the connection has been quiet for `idle` (`first` before it has
    /// sent a byte).
    async fn idle(&self, first: Duration, idle: Duration) {
        loop {
            let quiet = if self.read_any.load(Ordering::Relaxed) { idle } else { first };
            let deadline = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + quiet;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A connection's IO that records activity and holds its place in the [`Gate`].
#[derive(Debug)]
pub struct Tracked<IO> {
    io: IO,
    activity: Arc<Activity>,
    _slot: Slot,
}

impl<IO> Tracked<IO> {
    fn new(io: IO, slot: Slot) -> Self {
        let activity =
            Arc::new(Activity { start: Instant::now(), last_ms: AtomicU64::new(0), read_any: AtomicBool::new(false) });
        Tracked { io, activity, _slot: slot }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Tracked<IO> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
            self.activity.read_any.store(true, Ordering::Relaxed);
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Tracked<IO> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_caps_each_address_and_the_total_and_gives_places_back() {
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let proxy: IpAddr = [10, 0, 0, 9].into();
        let gate = Gate::new(5, 2, vec![proxy]);
        let first = gate.admit(a).unwrap();
        let _second = gate.admit(a).unwrap();
        assert!(gate.admit(a).is_none(), "a third from one address is over its cap");
        let _b = gate.admit(b).unwrap();
        let _p1 = gate.admit(proxy).unwrap();
        let _p2 = gate.admit(proxy).unwrap();
        assert_eq!(gate.open(), 5);
        assert!(gate.admit(proxy).is_none(), "the total cap holds for a proxy, too");
        drop(first);
        assert!(gate.admit(proxy).is_some(), "a place given back is free again");
        assert_eq!(gate.refused(), 2);
    }
}
