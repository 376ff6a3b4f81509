//! `GET /ws`: one task per socket, one `select!` loop.
//!
//! The loop reads client frames (size-checked, rate-limited, parsed), forwards them
//! to the exercise actor and writes the replies; it also forwards the exercise's
//! pushes that are for this socket, also while a command of its own waits to be stored
//! (one command in flight per socket: the next frame is read after its reply). Close
//! codes: 4008 fell behind (resume to catch up), 4009 message too big, 4029 too many
//! failed handshakes, 1001 server stopping.
//!
//! - [`command`]: a client message as an exercise command.
//! - [`rate`]: the per-socket rate limit.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use serde_json::Value;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::exercise::actor::encode;
use crate::exercise::fanout::is_for;
use crate::exercise::view::Audience;
use crate::exercise::{
    Command, Credentials, Delivery, ExerciseError, ExerciseHandle, PendingReply, Reply, Role, Session, Viewer,
};
use crate::ids::{ParticipantId, new_resume_token, normalize_join_code, resume_token_exercise, secrets_equal};
use crate::protocol::{CLIENT_TYPES, ClientMsg, Hello, ServerMsg, Welcome};
use crate::server::App;

use super::ApiError;
use rate::TokenBucket;

mod command;
mod rate;

/// Most pushes forwarded in one write.
const MAX_PUSHES_PER_WRITE: usize = 64;

/// Close code: the socket fell behind the exercise's pushes; resume to catch up.
pub const CLOSE_LAGGING: u16 = 4008;
/// Close code: a message was over the size limit.
pub const CLOSE_TOO_BIG: u16 = 4009;
/// Close code: too many failed join/resume/facilitate attempts.
pub const CLOSE_TOO_MANY_FAILURES: u16 = 4029;
/// Close code: the server is stopping (clients should reconnect).
pub const CLOSE_GOING_AWAY: u16 = 1001;

/// Upgrades the request to a websocket with the configured limits, after checking that
/// a browser's `Origin` is this server (so another site cannot open sockets with a
/// visitor's stored tokens).
pub async fn upgrade(ws: WebSocketUpgrade, State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
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
        .on_upgrade(move |socket| Connection::new(app, socket).run())
}

/// A bound socket: which exercise, as whom, and what it has already been sent.
struct Bound {
    handle: ExerciseHandle,
    viewer: Viewer,
    group_id: Option<String>,
    deliveries: broadcast::Receiver<Delivery>,
    /// Pushes up to this log position were covered by the welcome.
    covered_seq: u64,
}

/// A command of this socket's, queued at the actor, whose reply is not in yet.
struct InFlight {
    reply: PendingReply,
    /// The client's id for it, echoed in `ack` and `error`.
    client_msg_id: Option<String>,
}

struct Connection {
    app: Arc<App>,
    socket: WebSocket,
    bound: Option<Bound>,
    in_flight: Option<InFlight>,
    failed_hellos: u32,
    bucket: TokenBucket,
}

/// How a loop step ends the connection.
enum Exit {
    Close(u16, &'static str),
    Gone,
}

impl Connection {
    fn new(app: Arc<App>, socket: WebSocket) -> Self {
        let limits = &app.options.limits;
        let bucket = TokenBucket::new(limits.messages_per_second, limits.message_burst);
        Self { app, socket, bound: None, in_flight: None, failed_hellos: 0, bucket }
    }

    async fn run(mut self) {
        // One wait for the whole life of the socket: a fresh `changed()` per loop turn
        // would register and drop a waiter on the server-wide watch for every push.
        let mut shutdown = self.app.shutdown.clone();
        let stopping = async move {
            let _ = shutdown.wait_for(|stopping| *stopping).await;
        };
        let mut stopping = std::pin::pin!(stopping);
        let exit = loop {
            let step = tokio::select! {
                () = &mut stopping => Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
                msg = self.socket.recv(), if self.in_flight.is_none() => self.on_frame(msg).await,
                pushed = next_delivery(&mut self.bound) => self.on_delivery(pushed).await,
                replied = next_reply(&mut self.in_flight) => self.on_reply(replied).await,
            };
            if let Err(exit) = step {
                break exit;
            }
        };
        if let Exit::Close(code, reason) = exit {
            tracing::debug!(code, reason, "closing socket");
            let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
            let _ = tokio::time::timeout(Duration::from_secs(2), self.socket.send(Message::Close(Some(frame)))).await;
        }
    }

    async fn on_frame(&mut self, msg: Option<Result<Message, axum::Error>>) -> Result<(), Exit> {
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
                return self.refuse("malformed", "send JSON text frames, not binary", None).await;
            }
            Some(Ok(Message::Text(t))) => t,
        };
        if text.len() > self.app.options.limits.max_message_bytes {
            tracing::info!(bytes = text.len(), "message over the size limit");
            return Err(Exit::Close(CLOSE_TOO_BIG, "message too big"));
        }
        if !self.bucket.take(Instant::now()) {
            return self.refuse("rate_limited", "too many messages; slow down", None).await;
        }
        self.on_text(text.as_str()).await
    }

    async fn on_text(&mut self, text: &str) -> Result<(), Exit> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return self.refuse("malformed", &format!("not JSON: {e}"), None).await,
        };
        let Some(kind) = value.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return self.refuse("invalid_message", "a message must be an object with a string \"type\"", None).await;
        };
        if !CLIENT_TYPES.contains(&kind.as_str()) {
            return self.refuse("unknown_type", &format!("unknown message type \"{kind}\""), None).await;
        }
        let is_hello = matches!(kind.as_str(), "join" | "facilitate" | "project" | "observe")
            || (kind == "resume" && self.bound.is_none());
        match (&self.bound, is_hello) {
            (None, true) => match serde_json::from_value::<Hello>(value) {
                Ok(hello) => self.hello(hello).await,
                Err(e) => self.refuse("invalid_message", &format!("{kind}: {e}"), None).await,
            },
            (None, false) => {
                self.refuse("not_identified", "send join, resume, facilitate, observe or project first", None).await
            }
            (Some(_), true) => self.refuse("already_identified", "this socket is already in an exercise", None).await,
            (Some(_), false) => {
                let client_msg_id = value.get("client_msg_id").and_then(Value::as_str).map(str::to_owned);
                match serde_json::from_value::<ClientMsg>(value) {
                    Ok(msg) => self.command(msg, client_msg_id).await,
                    Err(e) => self.refuse("invalid_message", &format!("{kind}: {e}"), client_msg_id).await,
                }
            }
        }
    }

    async fn hello(&mut self, hello: Hello) -> Result<(), Exit> {
        let app = self.app.clone();
        let outcome = match hello {
            Hello::Join { join_code, name, group_id } => {
                let Some(handle) = app.registry.by_code(&normalize_join_code(&join_code)) else {
                    return self.failed_hello("unknown_join_code", "no exercise has that join code").await;
                };
                let participant_id = ParticipantId::new();
                let cmd = Command::Join { name, group_id, participant_id, resume_token: new_resume_token(handle.id) };
                match handle.command(Role::Participant(participant_id), cmd).await {
                    Ok(Ok(Reply::Joined { participant_id, welcome, deliveries })) => {
                        let session = Session {
                            viewer: Viewer::Participant(participant_id),
                            group_id: welcome.group.as_ref().map(|g| g.id.clone()),
                            welcome,
                            deliveries,
                        };
                        Ok((handle, session))
                    }
                    Ok(Ok(_)) => Err(ExerciseError::Storage),
                    Ok(Err(e)) => Err(e),
                    Err(_) => return Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
                }
            }
            Hello::Resume { resume_token, last_seq } => {
                let handle = resume_token_exercise(&resume_token).and_then(|id| app.registry.get(id));
                let Some(handle) = handle else {
                    return self.failed_hello("bad_credentials", "that resume token is not valid").await;
                };
                self.open(handle, Credentials::Participant(resume_token), last_seq).await?
            }
            Hello::Facilitate { exercise_id, facilitator_key, last_seq } => {
                let Some(handle) = app.registry.get(exercise_id) else {
                    return self.failed_hello("unknown_exercise", "no exercise with that id").await;
                };
                let credentials = if secrets_equal(&facilitator_key, &app.admin_token) {
                    Credentials::Admin
                } else {
                    Credentials::Facilitator(facilitator_key)
                };
                self.open(handle, credentials, last_seq).await?
            }
            Hello::Observe { exercise_id, observer_key, last_seq } => {
                let Some(handle) = app.registry.get(exercise_id) else {
                    return self.failed_hello("unknown_exercise", "no exercise with that id").await;
                };
                self.open(handle, Credentials::Observer(observer_key), last_seq).await?
            }
            Hello::Project { join_code } => {
                let code = normalize_join_code(&join_code);
                let Some(handle) = app.registry.by_code(&code) else {
                    return self.failed_hello("unknown_join_code", "no exercise has that join code").await;
                };
                self.open(handle, Credentials::Projector(code), None).await?
            }
        };
        match outcome {
            Ok((handle, session)) => {
                let covered_seq = session.welcome.last_seq;
                let frame = welcome_frame(session.welcome);
                let viewer = session.viewer;
                let deliveries = session.deliveries;
                self.bound = Some(Bound { handle, viewer, group_id: session.group_id, deliveries, covered_seq });
                tracing::info!(?viewer, "socket identified");
                self.send(frame).await
            }
            Err(e @ ExerciseError::BadCredentials) => self.failed_hello(e.code(), &e.to_string()).await,
            Err(e) => self.refuse(e.code(), &e.to_string(), None).await,
        }
    }

    /// Asks for the snapshot; the session comes subscribed to the viewer's channel.
    async fn open(
        &mut self,
        handle: ExerciseHandle,
        credentials: Credentials,
        last_seq: Option<u64>,
    ) -> Result<Result<(ExerciseHandle, Session), ExerciseError>, Exit> {
        match handle.open(credentials, last_seq.unwrap_or(0)).await {
            Ok(Ok(session)) => Ok(Ok((handle, session))),
            Ok(Err(e)) => Ok(Err(e)),
            Err(_) => Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
        }
    }

    async fn failed_hello(&mut self, code: &str, message: &str) -> Result<(), Exit> {
        self.failed_hellos += 1;
        self.refuse(code, message, None).await?;
        if self.failed_hellos >= self.app.options.limits.max_failed_hellos {
            return Err(Exit::Close(CLOSE_TOO_MANY_FAILURES, "too many failed attempts"));
        }
        Ok(())
    }

    /// Queues a command; any message may carry a `client_msg_id`, echoed in its `ack` or
    /// `error` (the console uses it to show a refusal beside the control that sent it).
    async fn command(&mut self, msg: ClientMsg, raw_client_msg_id: Option<String>) -> Result<(), Exit> {
        let Some(bound) = &self.bound else { return Ok(()) };
        let Some(role) = bound.viewer.role() else {
            return self.refuse("forbidden", "the shared screen cannot send commands", raw_client_msg_id).await;
        };
        let handle = bound.handle.clone();
        let (cmd, client_msg_id) = command::from_message(msg);
        let client_msg_id = client_msg_id.or(raw_client_msg_id);
        match handle.submit(role, cmd).await {
            Ok(reply) => {
                self.in_flight = Some(InFlight { reply, client_msg_id });
                Ok(())
            }
            Err(_) => Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
        }
    }

    /// The reply to this socket's command in flight (`ack` or `error`), with the pushes
    /// already waiting in the same write: under load the answer's own push usually is.
    async fn on_reply(
        &mut self,
        replied: Result<Result<Reply, ExerciseError>, oneshot::error::RecvError>,
    ) -> Result<(), Exit> {
        let mut frames: Vec<Utf8Bytes> = self.reply_frame(replied.ok())?.into_iter().collect();
        let moved = self.take_pushes(None, &mut frames)?;
        self.write_all(frames).await?;
        match moved {
            Some(me) => self.rehome(me).await,
            None => Ok(()),
        }
    }

    /// Forwards a push and whatever else is already waiting in the channel (up to
    /// [`MAX_PUSHES_PER_WRITE`]), and this socket's reply if it has come meanwhile, in
    /// one write: under load a socket pays one system call for many frames instead of
    /// one each.
    async fn on_delivery(&mut self, pushed: Result<Delivery, RecvError>) -> Result<(), Exit> {
        let mut frames = Vec::new();
        let moved = self.take_pushes(Some(pushed), &mut frames)?;
        if moved.is_none() {
            if let Some(replied) = self.ready_reply() {
                frames.extend(self.reply_frame(replied)?);
            }
        }
        self.write_all(frames).await?;
        match moved {
            Some(me) => self.rehome(me).await,
            None => Ok(()),
        }
    }

    /// The frame answering this socket's command (`None`: the actor is gone); a command
    /// without a `client_msg_id` that changed nothing visible is answered by its push only.
    fn reply_frame(&mut self, replied: Option<Result<Reply, ExerciseError>>) -> Result<Option<Utf8Bytes>, Exit> {
        let client_msg_id = self.in_flight.take().and_then(|f| f.client_msg_id);
        Ok(match replied {
            Some(Ok(Reply::Acked { client_msg_id, seq })) => Some(encode(&ServerMsg::Ack { client_msg_id, seq })),
            Some(Ok(Reply::Done { seq })) => {
                client_msg_id.map(|client_msg_id| encode(&ServerMsg::Ack { client_msg_id, seq }))
            }
            Some(Ok(_)) => None,
            Some(Err(e)) => {
                tracing::info!(code = e.code(), "message refused");
                let msg = ServerMsg::Error { code: e.code().to_owned(), message: e.to_string(), client_msg_id };
                Some(encode(&msg))
            }
            None => return Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
        })
    }

    /// This socket's reply if it is in, without waiting.
    fn ready_reply(&mut self) -> Option<Option<Result<Reply, ExerciseError>>> {
        match self.in_flight.as_mut()?.reply.try_recv() {
            Ok(replied) => Some(Some(replied)),
            Err(oneshot::error::TryRecvError::Empty) => None,
            Err(oneshot::error::TryRecvError::Closed) => Some(None),
        }
    }

    /// Adds `first` and the pushes already waiting (up to [`MAX_PUSHES_PER_WRITE`] in
    /// all) that are for this socket to `frames`. Stops at this participant's `moved`
    /// push and returns who to rehome.
    fn take_pushes(
        &mut self,
        first: Option<Result<Delivery, RecvError>>,
        frames: &mut Vec<Utf8Bytes>,
    ) -> Result<Option<ParticipantId>, Exit> {
        let Some(bound) = &mut self.bound else { return Ok(None) };
        let try_next = |bound: &mut Bound| match bound.deliveries.try_recv() {
            Ok(d) => Some(Ok(d)),
            Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
            Err(TryRecvError::Closed) => Some(Err(RecvError::Closed)),
            Err(TryRecvError::Empty) => None,
        };
        let mut next = first.or_else(|| try_next(bound));
        let mut taken = 0;
        while let Some(pushed) = next.take() {
            let delivery = match pushed {
                Ok(d) => d,
                Err(RecvError::Lagged(n)) => {
                    tracing::info!(missed = n, "socket fell behind; dropping it");
                    return Err(Exit::Close(CLOSE_LAGGING, "fell behind; resume to catch up"));
                }
                Err(RecvError::Closed) => return Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
            };
            taken += 1;
            if delivery.seq > bound.covered_seq && is_for(&delivery.audience, bound.viewer, bound.group_id.as_deref()) {
                if let (Audience::Moved { .. }, Viewer::Participant(me)) = (&*delivery.audience, bound.viewer) {
                    return Ok(Some(me));
                }
                frames.push(delivery.frame);
            }
            if taken < MAX_PUSHES_PER_WRITE {
                next = try_next(bound);
            }
        }
        Ok(None)
    }

    /// This participant was moved: switch to the new group's channel and send `moved` as
    /// of now. Pushes for everyone still waiting in the old channel go out first, in
    /// order; the old group's own pushes are dropped.
    async fn rehome(&mut self, me: ParticipantId) -> Result<(), Exit> {
        let Some(bound) = &mut self.bound else { return Ok(()) };
        let rehomed = match bound.handle.rehome(me).await {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(()),
            Err(_) => return Err(Exit::Close(CLOSE_GOING_AWAY, "server restarting")),
        };
        let mut old = std::mem::replace(&mut bound.deliveries, rehomed.deliveries);
        let mut frames = Vec::new();
        loop {
            match old.try_recv() {
                Ok(d) => {
                    if d.seq > bound.covered_seq && d.seq <= rehomed.covered_seq && *d.audience == Audience::Everyone {
                        frames.push(d.frame);
                    }
                }
                // Pushes for everyone were lost in the old channel: resume to catch up.
                Err(TryRecvError::Lagged(_)) => {
                    return Err(Exit::Close(CLOSE_LAGGING, "fell behind; resume to catch up"));
                }
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        bound.group_id = Some(rehomed.group_id);
        bound.covered_seq = rehomed.covered_seq;
        frames.push(rehomed.frame);
        self.write_all(frames).await
    }

    async fn refuse(&mut self, code: &str, message: &str, client_msg_id: Option<String>) -> Result<(), Exit> {
        tracing::info!(code, "message refused");
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

/// True when there is no `Origin` (not a browser) or it names this server: the `Host`
/// the request came to, or the configured public URL.
fn origin_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let public = app.options.public_url.as_deref().map(|u| u.split_once("://").map_or(u, |(_, r)| r));
    Some(authority) == host || Some(authority) == public.map(|p| p.trim_end_matches('/'))
}

fn welcome_frame(welcome: Box<Welcome>) -> Utf8Bytes {
    encode(&ServerMsg::Welcome(welcome))
}

async fn next_delivery(bound: &mut Option<Bound>) -> Result<Delivery, RecvError> {
    match bound {
        Some(b) => b.deliveries.recv().await,
        None => std::future::pending().await,
    }
}

async fn next_reply(
    in_flight: &mut Option<InFlight>,
) -> Result<Result<Reply, ExerciseError>, oneshot::error::RecvError> {
    match in_flight {
        Some(f) => (&mut f.reply).await,
        None => std::future::pending().await,
    }
}
