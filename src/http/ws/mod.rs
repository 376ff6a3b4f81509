//! `GET /ws`: one task per socket, one `select!` loop.
//!
//! The transport only moves bytes. The loop reads client frames (size-checked,
//! rate-limited), has [`crate::protocol::parse`] type them, hands them to the exercise
//! actor and writes the replies; it also writes what the socket's
//! [`Subscription`] gives, also while a command of its own waits to be stored (one
//! command in flight per socket: the next frame is read after its reply). Which pushes
//! a socket takes, and what a move or a lag means, is the subscription's to decide.
//! Close codes: 4008 fell behind (resume to catch up), 4009 message too big, 4010 no
//! successful hello within the deadline to identify (10 s after the upgrade), 4029 too
//! many failed handshakes (on this socket, or from this address: after an `error`
//! `rate_limited`), 4307 the exercise is live on another instance (the reason is its
//! base URL: resume there), 1001 server stopping, 1011 the exercise is not available.
//!
//! Keepalive: the server pings every 20 s; a socket that sends no frame at all (a pong
//! is one; browsers answer pings by themselves) for two intervals is dropped. Every
//! frame, text or binary, takes a token of the socket's rate limit; refusals are logged
//! at most once a second per socket (with the count of those left out).
//!
//! - [`command`]: a client message as an exercise request.
//! - [`rate`]: the per-socket rate limit.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use tokio::time::Instant;

use crate::exercise::actor::encode;
use crate::exercise::{
    Credentials, ExerciseError, ExerciseHandle, Fell, Newcomer, PendingReply, RequestError, Session, Stored,
    Subscription, Taken, Viewer,
};
use crate::ids::{normalize_join_code, resume_token_exercise, secrets_equal};
use crate::metrics::{Connected, SocketRole};
use crate::ownership::Located;
use crate::protocol::{ClientMsg, Hello, Incoming, Refusal, ServerMsg, parse};
use crate::server::App;

use super::ApiError;
use super::client::ClientAddr;
use super::guard::Charge;
use command::{Ask, from_action};
use rate::TokenBucket;

pub(crate) mod command;
mod rate;

/// Most pushes forwarded in one write.
const MAX_PUSHES_PER_WRITE: usize = 64;

/// Close code: the socket fell behind the exercise's pushes; resume to catch up.
pub const CLOSE_LAGGING: u16 = 4008;
/// The facilitator removed this participant.
pub const CLOSE_REMOVED: u16 = 4003;
/// Close code: a message was over the size limit.
pub const CLOSE_TOO_BIG: u16 = 4009;
/// Close code: no successful hello within the deadline to identify.
pub const CLOSE_IDENTIFY_TIMEOUT: u16 = 4010;
/// Close code: too many failed join/resume/facilitate attempts.
pub const CLOSE_TOO_MANY_FAILURES: u16 = 4029;
/// Close code: the exercise is live on another instance (several instances on one
/// PostgreSQL store); the reason is its base URL, where the client resumes.
pub const CLOSE_MOVED: u16 = 4307;
/// Close code: the server is stopping (clients should reconnect).
pub const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code: the exercise is not available (its actor stopped; clients reconnect).
pub const CLOSE_UNAVAILABLE: u16 = 1011;

/// Upgrades the request to a websocket with the configured limits, after checking that
/// a browser's `Origin` is this server (so another site cannot open sockets with a
/// visitor's stored tokens).
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(app): State<Arc<App>>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
) -> Response {
    let client = client.map_or(crate::http::client::UNKNOWN, |Extension(ClientAddr(ip))| ip);
    if !origin_allowed(&app, &headers) {
        tracing::info!("websocket refused: foreign origin");
        return ApiError::ForeignOrigin.into_response();
    }
    let limits = &app.options.limits;
    // The hard limit sits above the configured one so oversized messages are read whole
    // and refused with a proper close code; beyond it the connection is simply dropped.
    let hard_limit = limits.max_message_bytes.saturating_mul(4).max(256 * 1024);
    // tungstenite zeroes a read buffer of this size on every poll of the socket and keeps
    // it allocated: 2 KiB (client messages are small; big ones take a few reads) took
    // idle memory from 13.7 to 7.4 KiB per connection (docs/performance.md).
    ws.read_buffer_size(2 * 1024)
        .write_buffer_size(8 * 1024)
        .max_write_buffer_size(limits.max_write_buffer_bytes)
        .max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .on_upgrade(move |socket| Connection::new(app, socket, client).run())
}

/// A bound socket: which exercise, and what of it this socket reads.
struct Bound {
    handle: ExerciseHandle,
    subscription: Subscription,
}

/// A request of this socket's, queued at the actor, whose reply is not in yet.
struct InFlight {
    reply: PendingReply,
    /// The client's id for it, echoed in `ack` and `error`.
    client_msg_id: Option<String>,
}

struct Connection {
    app: Arc<App>,
    socket: WebSocket,
    /// The client's address (guessing and join limits).
    client: std::net::IpAddr,
    bound: Option<Bound>,
    in_flight: Option<InFlight>,
    failed_hellos: u32,
    bucket: TokenBucket,
    /// This socket in the connections gauge.
    counted: Connected,
    /// When a frame last came in (any frame: pongs too).
    last_heard: Instant,
    /// Refusals logged at most once a second.
    refusals_logged: LogGate,
}

/// Lets a log line through at most once a second, counting those held back.
#[derive(Debug, Default)]
struct LogGate {
    last: Option<Instant>,
    suppressed: u64,
}

impl LogGate {
    /// `Some(held back since the last line)` when a line may be written now.
    fn allow(&mut self, now: Instant) -> Option<u64> {
        if self.last.is_some_and(|last| now.duration_since(last) < Duration::from_secs(1)) {
            self.suppressed += 1;
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.suppressed))
    }
}

/// How a loop step ends the connection.
enum Exit {
    Close(u16, &'static str),
    /// The exercise is live on the instance at this base URL: close 4307 with it.
    Moved(String),
    Gone,
}

impl From<Fell> for Exit {
    fn from(fell: Fell) -> Self {
        match fell {
            Fell::Behind => {
                tracing::info!("socket fell behind; dropping it");
                Exit::Close(CLOSE_LAGGING, "fell behind; resume to catch up")
            }
            Fell::Closed => Exit::Close(CLOSE_UNAVAILABLE, "the exercise is not available; reconnect"),
            Fell::Removed => Exit::Close(CLOSE_REMOVED, "removed from the exercise by the facilitator"),
        }
    }
}

/// The one place a request's failure meets the socket: a refusal stays a value (sent
/// as an `error` frame), a stopped actor closes the socket.
fn settle<T>(outcome: Result<T, RequestError>) -> Result<Result<T, ExerciseError>, Exit> {
    match outcome {
        Ok(value) => Ok(Ok(value)),
        Err(RequestError::Refused(e)) => Ok(Err(e)),
        Err(RequestError::Gone) => Err(Exit::Close(CLOSE_UNAVAILABLE, "the exercise is not available; reconnect")),
    }
}

impl Connection {
    fn new(app: Arc<App>, socket: WebSocket, client: std::net::IpAddr) -> Self {
        let limits = &app.options.limits;
        let bucket = TokenBucket::new(limits.messages_per_second, limits.message_burst);
        let counted = app.metrics.connected();
        Self {
            app,
            socket,
            client,
            bound: None,
            in_flight: None,
            failed_hellos: 0,
            bucket,
            counted,
            last_heard: Instant::now(),
            refusals_logged: LogGate::default(),
        }
    }

    async fn run(mut self) {
        // One wait for the whole life of the socket: a fresh `changed()` per loop turn
        // would register and drop a waiter on the server-wide watch for every push.
        let mut shutdown = self.app.shutdown.clone();
        let stopping = async move {
            let _ = shutdown.wait_for(|stopping| *stopping).await;
        };
        let mut stopping = std::pin::pin!(stopping);
        let net = &self.app.options.net;
        let identify_by = Instant::now() + net.identify_timeout;
        let ping_every = net.ping_interval;
        let mut pings = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
        pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let exit = loop {
            let step = tokio::select! {
                () = &mut stopping => Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
                () = tokio::time::sleep_until(identify_by), if self.bound.is_none() => {
                    tracing::debug!("socket did not identify in time");
                    Err(Exit::Close(CLOSE_IDENTIFY_TIMEOUT, "no hello in time"))
                }
                _ = pings.tick() => self.keepalive(ping_every).await,
                msg = self.socket.recv(), if self.in_flight.is_none() => self.on_frame(msg).await,
                ready = pushes_ready(&mut self.bound) => match ready {
                    Ok(()) => self.on_pushes().await,
                    Err(fell) => Err(fell.into()),
                },
                replied = next_reply(&mut self.in_flight) => self.on_reply(replied).await,
            };
            if let Err(exit) = step {
                break exit;
            }
        };
        let frame = match exit {
            Exit::Close(code, reason) => {
                tracing::debug!(code, reason, "closing socket");
                if code == CLOSE_LAGGING {
                    self.app.metrics.lagging_closed();
                }
                Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) })
            }
            Exit::Moved(url) => {
                tracing::debug!(owner = %url, "exercise live elsewhere; closing socket");
                self.app.metrics.client_moved();
                Some(CloseFrame { code: CLOSE_MOVED, reason: Utf8Bytes::from(url) })
            }
            Exit::Gone => None,
        };
        if let Some(frame) = frame {
            let _ = tokio::time::timeout(Duration::from_secs(2), self.socket.send(Message::Close(Some(frame)))).await;
        }
    }

    /// Pings the peer, or drops it when nothing came from it for two intervals.
    async fn keepalive(&mut self, every: Duration) -> Result<(), Exit> {
        if self.last_heard.elapsed() >= every * 2 {
            tracing::debug!("no frame from the peer for two ping intervals; dropping it");
            return Err(Exit::Gone);
        }
        within_send_timeout(self.send_timeout(), self.socket.send(Message::Ping(Default::default()))).await
    }

    async fn on_frame(&mut self, msg: Option<Result<Message, axum::Error>>) -> Result<(), Exit> {
        self.last_heard = Instant::now();
        let text = match msg {
            None | Some(Ok(Message::Close(_))) => return Err(Exit::Gone),
            Some(Err(e)) => {
                tracing::info!(error = %e, "socket read failed");
                return Err(Exit::Close(CLOSE_TOO_BIG, "message too big or malformed frame"));
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => return Ok(()),
            Some(Ok(Message::Binary(b))) => {
                if b.len() > self.app.options.limits.max_message_bytes {
                    return Err(Exit::Close(CLOSE_TOO_BIG, "message too big"));
                }
                if !self.take_token() {
                    return self.refuse("rate_limited", "too many messages; slow down", None).await;
                }
                return self.refuse("malformed", "send JSON text frames, not binary", None).await;
            }
            Some(Ok(Message::Text(t))) => t,
        };
        if text.len() > self.app.options.limits.max_message_bytes {
            tracing::info!(bytes = text.len(), "message over the size limit");
            return Err(Exit::Close(CLOSE_TOO_BIG, "message too big"));
        }
        if !self.take_token() {
            return self.refuse("rate_limited", "too many messages; slow down", None).await;
        }
        match parse(text.as_str(), self.bound.is_some()) {
            Ok(Incoming::Hello(hello)) => self.hello(hello).await,
            Ok(Incoming::Message(msg)) => self.message(msg).await,
            Err(Refusal { code, message, client_msg_id }) => self.refuse(code, &message, client_msg_id).await,
        }
    }

    async fn hello(&mut self, hello: Hello) -> Result<(), Exit> {
        let app = self.app.clone();
        if let Some(retry_after) = app.guard.blocked(self.client) {
            return self.throttled(retry_after).await;
        }
        let lang = hello.lang();
        let joining = matches!(hello, Hello::Join { .. });
        let (handle, opened) = match hello {
            Hello::Join { join_code, name, group_id, organisation, sector, email, .. } => {
                let handle = match app.locate_code(&normalize_join_code(&join_code)).await {
                    Located::Here(handle) => handle,
                    Located::There(url) => return Err(Exit::Moved(url)),
                    Located::Nowhere => {
                        return self.failed_hello("unknown_join_code", "no exercise has that join code").await;
                    }
                };
                if let Err(retry_after) = app.guard.may_join(self.client) {
                    let message = format!("too many joins from your address; retry in {} s", retry_after.as_secs() + 1);
                    return self.refuse("rate_limited", &message, None).await;
                }
                let joined = handle
                    .join(Newcomer { name, group_id, organisation, sector, email, lang })
                    .await
                    .map(|j| j.session);
                (handle, joined)
            }
            Hello::Resume { resume_token, last_seq, .. } => {
                let located = match resume_token_exercise(&resume_token) {
                    Some(id) => app.locate(id).await,
                    None => Located::Nowhere,
                };
                let handle = match located {
                    Located::Here(handle) => handle,
                    Located::There(url) => return Err(Exit::Moved(url)),
                    Located::Nowhere => {
                        return self.failed_hello("bad_credentials", "that resume token is not valid").await;
                    }
                };
                let opened = handle.open(Credentials::Participant(resume_token), last_seq.unwrap_or(0), lang).await;
                (handle, opened)
            }
            Hello::Facilitate { exercise_id, facilitator_key, last_seq, .. } => {
                let handle = match app.locate(exercise_id).await {
                    Located::Here(handle) => handle,
                    Located::There(url) => return Err(Exit::Moved(url)),
                    Located::Nowhere => {
                        return self.failed_hello("unknown_exercise", "no exercise with that id").await;
                    }
                };
                let credentials = if secrets_equal(&facilitator_key, &app.admin_token) {
                    Credentials::Admin
                } else {
                    Credentials::Facilitator(facilitator_key)
                };
                let opened = handle.open(credentials, last_seq.unwrap_or(0), lang).await;
                (handle, opened)
            }
            Hello::Observe { exercise_id, observer_key, last_seq, .. } => {
                let handle = match app.locate(exercise_id).await {
                    Located::Here(handle) => handle,
                    Located::There(url) => return Err(Exit::Moved(url)),
                    Located::Nowhere => {
                        return self.failed_hello("unknown_exercise", "no exercise with that id").await;
                    }
                };
                let opened = handle.open(Credentials::Observer(observer_key), last_seq.unwrap_or(0), lang).await;
                (handle, opened)
            }
            Hello::Project { join_code, .. } => {
                let code = normalize_join_code(&join_code);
                let handle = match app.locate_code(&code).await {
                    Located::Here(handle) => handle,
                    Located::There(url) => return Err(Exit::Moved(url)),
                    Located::Nowhere => {
                        return self.failed_hello("unknown_join_code", "no exercise has that join code").await;
                    }
                };
                let opened = handle.open(Credentials::Projector(code), 0, lang).await;
                (handle, opened)
            }
        };
        match settle(opened)? {
            Ok(Session { mut welcome, subscription }) => {
                if welcome.join_code.is_some() {
                    welcome.public_url = app.options.public_url.as_deref().map(|u| u.trim_end_matches('/').to_owned());
                }
                let frame = encode(&ServerMsg::Welcome(welcome));
                if joining {
                    app.guard.joined(self.client);
                }
                tracing::info!(viewer = ?subscription.viewer(), "socket identified");
                self.counted.identified(socket_role(subscription.viewer()));
                self.bound = Some(Bound { handle, subscription });
                self.send(frame).await
            }
            Err(e @ ExerciseError::BadCredentials) => self.failed_hello(e.code(), &e.to_string()).await,
            Err(e) => self.refuse(e.code(), &e.to_string(), None).await,
        }
    }

    async fn failed_hello(&mut self, code: &str, message: &str) -> Result<(), Exit> {
        self.failed_hellos += 1;
        if let Err(retry_after) = self.app.guard.charge(self.client, Charge::Failure) {
            return self.throttled(retry_after).await;
        }
        self.refuse(code, message, None).await?;
        if self.failed_hellos >= self.app.options.limits.max_failed_hellos {
            return Err(Exit::Close(CLOSE_TOO_MANY_FAILURES, "too many failed attempts"));
        }
        Ok(())
    }

    /// This address guessed too often: `rate_limited`, then close 4029.
    async fn throttled(&mut self, retry_after: Duration) -> Result<(), Exit> {
        let message = format!("too many failed attempts from your address; retry in {} s", retry_after.as_secs() + 1);
        self.refuse("rate_limited", &message, None).await?;
        Err(Exit::Close(CLOSE_TOO_MANY_FAILURES, "too many failed attempts"))
    }

    /// Queues a message's request; its `client_msg_id` is echoed in the `ack` or `error`
    /// (the console uses it to show a refusal beside the control that sent it).
    async fn message(&mut self, msg: ClientMsg) -> Result<(), Exit> {
        let Some(bound) = &self.bound else { return Ok(()) };
        let ClientMsg { action, client_msg_id } = msg;
        let handle = bound.handle.clone();
        let queued = match (from_action(action, client_msg_id.as_deref()), bound.subscription.viewer().role()) {
            (Ask::Older(query), _) => {
                let (viewer, lang) = (bound.subscription.viewer(), bound.subscription.lang());
                return match settle(handle.older(viewer, lang, query).await)? {
                    Ok(frame) => self.send(frame).await,
                    Err(e) => self.refuse(e.code(), &e.to_string(), client_msg_id).await,
                };
            }
            (Ask::Sync, _) => handle.sync().await,
            (Ask::Command(cmd), Some(role)) => handle.submit(role, *cmd).await,
            (Ask::Command(_), None) => {
                return self.refuse("forbidden", "the shared screen cannot send commands", client_msg_id).await;
            }
        };
        match settle(queued)? {
            Ok(reply) => {
                self.in_flight = Some(InFlight { reply, client_msg_id });
                Ok(())
            }
            Err(e) => self.refuse(e.code(), &e.to_string(), client_msg_id).await,
        }
    }

    /// The reply to this socket's request in flight (`ack` or `error`), written after
    /// every push already waiting up to its log position: an `ack` of `ping` means all
    /// that came before has been sent. Under load the answer's own push is usually in
    /// the same write.
    async fn on_reply(&mut self, replied: Result<Stored, RequestError>) -> Result<(), Exit> {
        let up_to = replied.as_ref().map_or(u64::MAX, |stored| stored.seq);
        loop {
            let mut frames = Vec::new();
            let taken = self.take_pushes(up_to, &mut frames)?;
            let more = taken == Taken::Done && frames.len() == MAX_PUSHES_PER_WRITE;
            if taken == Taken::Done && !more {
                frames.extend(self.reply_frame(replied)?);
                return self.write_all(frames).await;
            }
            self.write_all(frames).await?;
            if taken == Taken::Moved {
                // Pushes for everyone before the move went out with the rehome.
                self.rehome().await?;
            }
        }
    }

    /// Writes what the subscription gives (up to [`MAX_PUSHES_PER_WRITE`]) and this
    /// socket's reply if it has come meanwhile, in one write: under load a socket pays
    /// one system call for many frames instead of one each.
    async fn on_pushes(&mut self) -> Result<(), Exit> {
        let mut frames = Vec::new();
        let taken = self.take_pushes(u64::MAX, &mut frames)?;
        if taken == Taken::Done
            && let Some(replied) = self.in_flight.as_mut().and_then(|f| f.reply.try_take())
        {
            frames.extend(self.reply_frame(replied)?);
        }
        self.write_all(frames).await?;
        match taken {
            Taken::Moved => self.rehome().await,
            Taken::Done => Ok(()),
        }
    }

    fn take_pushes(&mut self, up_to: u64, frames: &mut Vec<Utf8Bytes>) -> Result<Taken, Exit> {
        match &mut self.bound {
            Some(b) => Ok(b.subscription.take(MAX_PUSHES_PER_WRITE, up_to, frames)?),
            None => Ok(Taken::Done),
        }
    }

    /// The frame answering this socket's request; a command without a `client_msg_id`
    /// that was stored is answered by its push only.
    fn reply_frame(&mut self, replied: Result<Stored, RequestError>) -> Result<Option<Utf8Bytes>, Exit> {
        let client_msg_id = self.in_flight.take().and_then(|f| f.client_msg_id);
        Ok(match settle(replied)? {
            Ok(Stored { seq }) => client_msg_id.map(|client_msg_id| encode(&ServerMsg::Ack { client_msg_id, seq })),
            Err(e) => {
                if let Some(suppressed) = self.refusals_logged.allow(Instant::now()) {
                    tracing::info!(code = e.code(), suppressed, "message refused");
                }
                Some(encode(&ServerMsg::Error { code: e.code().to_owned(), message: e.to_string(), client_msg_id }))
            }
        })
    }

    /// This participant was moved: the actor gives the new group's channel and a
    /// `moved` message as of now; the subscription switches to it.
    async fn rehome(&mut self) -> Result<(), Exit> {
        let Some(bound) = &mut self.bound else { return Ok(()) };
        let Viewer::Participant(me) = bound.subscription.viewer() else { return Ok(()) };
        let Ok(Some(rehomed)) = settle(bound.handle.rehome(me, bound.subscription.lang()).await)? else {
            return Ok(());
        };
        let frames = bound.subscription.rehome(rehomed)?;
        self.write_all(frames).await
    }

    /// A token of the rate limit for a frame (text or binary); counted when there is none.
    fn take_token(&mut self) -> bool {
        let taken = self.bucket.take(Instant::now());
        if !taken {
            self.app.metrics.rate_limited();
        }
        taken
    }

    async fn refuse(&mut self, code: &str, message: &str, client_msg_id: Option<String>) -> Result<(), Exit> {
        if let Some(suppressed) = self.refusals_logged.allow(Instant::now()) {
            tracing::info!(code, suppressed, "message refused");
        }
        let msg = ServerMsg::Error { code: code.to_owned(), message: message.to_owned(), client_msg_id };
        self.send(encode(&msg)).await
    }

    async fn send(&mut self, frame: Utf8Bytes) -> Result<(), Exit> {
        within_send_timeout(self.send_timeout(), self.socket.send(Message::Text(frame))).await
    }

    /// Writes frames with one flush (one system call when they fit the write buffer).
    async fn write_all(&mut self, frames: Vec<Utf8Bytes>) -> Result<(), Exit> {
        if frames.is_empty() {
            return Ok(());
        }
        let timeout = self.send_timeout();
        let socket = &mut self.socket;
        let write = async move {
            for frame in frames {
                socket.feed(Message::Text(frame)).await?;
            }
            socket.flush().await
        };
        within_send_timeout(timeout, write).await
    }

    fn send_timeout(&self) -> Duration {
        Duration::from_secs(self.app.options.limits.send_timeout_secs)
    }
}

/// A socket's role in the connections gauge.
fn socket_role(viewer: Viewer) -> SocketRole {
    match viewer {
        Viewer::Facilitator => SocketRole::Facilitator,
        Viewer::Participant(_) => SocketRole::Participant,
        Viewer::Observer(_) => SocketRole::Observer,
        Viewer::Projector => SocketRole::Projector,
    }
}

/// A write that does not finish within the send timeout drops the socket: a stalled
/// phone never holds up the others.
async fn within_send_timeout(
    timeout: Duration,
    write: impl Future<Output = Result<(), axum::Error>>,
) -> Result<(), Exit> {
    match tokio::time::timeout(timeout, write).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(Exit::Gone),
        Err(_) => {
            tracing::info!("socket stalled; dropping it");
            Err(Exit::Gone)
        }
    }
}

/// True when there is no `Origin` (not a browser) or it is this server's origin, scheme
/// and host: the scheme the request came with (https with TLS built in, else what a
/// reverse proxy's `X-Forwarded-Proto` says, else http) with the `Host` it came to or
/// the `X-Forwarded-Host` a reverse proxy passed on (a browser cannot set either header
/// on a websocket, so another site cannot forge them); or the configured public URL's
/// scheme and host.
fn origin_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    let header = |name: &str| headers.get(name).and_then(|h| h.to_str().ok()).and_then(|h| h.split(',').next());
    if let Some(public) = app.options.public_url.as_deref() {
        let public = public.trim_end_matches('/');
        if public.eq_ignore_ascii_case(origin) {
            return true;
        }
    }
    // A page of another instance on the same store, following its exercise here.
    if app.peer_origins().iter().any(|p| p.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let request_scheme = if app.options.tls.is_some() {
        "https"
    } else {
        header("x-forwarded-proto").map(str::trim).filter(|p| *p == "https").unwrap_or("http")
    };
    if !scheme.eq_ignore_ascii_case(request_scheme) {
        return false;
    }
    [header(header::HOST.as_str()), header("x-forwarded-host")]
        .into_iter()
        .flatten()
        .map(str::trim)
        .any(|h| h.eq_ignore_ascii_case(authority))
}

async fn pushes_ready(bound: &mut Option<Bound>) -> Result<(), Fell> {
    match bound {
        Some(b) => b.subscription.ready().await,
        None => std::future::pending().await,
    }
}

async fn next_reply(in_flight: &mut Option<InFlight>) -> Result<Stored, RequestError> {
    match in_flight {
        Some(f) => (&mut f.reply).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn refusals_are_logged_once_a_second_with_the_count_left_out() {
        let mut gate = LogGate::default();
        let start = Instant::now();
        assert_eq!(gate.allow(start), Some(0));
        assert_eq!(gate.allow(start + Duration::from_millis(10)), None);
        assert_eq!(gate.allow(start + Duration::from_millis(900)), None);
        assert_eq!(gate.allow(start + Duration::from_millis(1000)), Some(2));
        assert_eq!(gate.allow(start + Duration::from_millis(1001)), None);
    }
}
