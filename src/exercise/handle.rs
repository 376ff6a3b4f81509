//! [`ExerciseHandle`]: the cheap-to-clone way the transport talks to an exercise actor.
//!
//! Every call answers with its own success type or a [`RequestError`]: the exercise
//! refused ([`ExerciseError`], nothing changed) or it is [`RequestError::Gone`] (its
//! actor stopped). The transport maps the two once: HTTP in `http::error`, websockets in
//! `http::ws`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};

use super::files::FileScope;
use crate::ids::{ExerciseId, ObserverId, ParticipantId, new_resume_token};
use crate::lang::Lang;
use crate::protocol::{JoinInfo, Welcome};

use super::decide::{Command, Role};
use super::error::ExerciseError;
use super::subscription::Subscription;
use super::summary::ExerciseSummary;
use super::view::Audience;

/// A message pushed to the exercise's sockets, serialized once.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Log position of the event that caused it.
    pub seq: u64,
    /// Which sockets it is for.
    pub audience: Arc<Audience>,
    /// The JSON text frame.
    pub frame: Utf8Bytes,
    /// The language its text is in (`None`: the scenario has one language); a socket
    /// takes only its reader's language.
    pub lang: Option<Lang>,
}

/// A command's events are stored (or there was nothing to store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// The log position that answers it: for an answer, the stored answer's (also when
    /// it was stored earlier under the same client id); otherwise the log's last.
    pub seq: u64,
}

/// A participant joined.
#[derive(Debug)]
pub struct Joined {
    /// The new participant.
    pub participant_id: ParticipantId,
    /// Their welcome and push channel.
    pub session: Session,
}

/// Who joins, as the join form says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Newcomer {
    /// Display name.
    pub name: String,
    /// The group asked for (honoured when the scenario lets participants pick).
    pub group_id: Option<String>,
    /// The organisation they speak for (optional).
    pub organisation: Option<String>,
    /// One of the scenario's sector ids (optional).
    pub sector: Option<String>,
    /// Email, when the scenario asks for one.
    pub email: Option<String>,
    /// The language they read the scenario in (not stored: a reader's choice).
    pub lang: Option<Lang>,
}

/// Who asks for a welcome snapshot, with their credentials.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// The facilitator key.
    Facilitator(String),
    /// The server's admin token, already checked by the transport: acts as facilitator.
    Admin,
    /// A participant's resume token.
    Participant(String),
    /// The join code, for the read-only shared screen.
    Projector(String),
    /// An observer's key.
    Observer(String),
}

/// Who a socket is, for routing pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The facilitator's console.
    Facilitator,
    /// A participant.
    Participant(ParticipantId),
    /// The shared screen (sends no commands).
    Projector,
    /// An observer (evaluator): sees what the facilitator sees, adds notes and ratings.
    Observer(ObserverId),
}

impl Viewer {
    /// The role commands from this socket run as; `None` for the projector.
    pub fn role(self) -> Option<Role> {
        match self {
            Viewer::Facilitator => Some(Role::Facilitator),
            Viewer::Participant(p) => Some(Role::Participant(p)),
            Viewer::Observer(o) => Some(Role::Observer(o)),
            Viewer::Projector => None,
        }
    }
}

/// An opened view of the exercise: the welcome, and the push channel subscribed at the
/// same moment (pushes after the welcome's `last_seq` are new).
#[derive(Debug)]
pub struct Session {
    /// The welcome message.
    pub welcome: Box<Welcome>,
    /// The viewer's pushes from here on.
    pub subscription: Subscription,
}

/// A moved participant's new channel and a `moved` message as of now.
#[derive(Debug)]
pub struct Rehomed {
    /// The new group.
    pub group_id: String,
    /// The `moved` message to send.
    pub frame: Utf8Bytes,
    /// The message covers the log up to here.
    pub covered_seq: u64,
    /// The new group's channel.
    pub deliveries: broadcast::Receiver<Delivery>,
}

/// What a client asks with `older_responses`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OlderQuery {
    /// The inject.
    pub inject_id: String,
    /// The group (participants: their own; the control room: any, or none for all).
    pub group_id: Option<String>,
    /// Answers stored before this log position.
    pub before_seq: u64,
    /// Most answers in the page.
    pub limit: usize,
}

/// Why a request to an exercise failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RequestError {
    /// The exercise refused; nothing changed.
    #[error(transparent)]
    Refused(#[from] ExerciseError),
    /// The exercise's actor has stopped: the exercise is not available.
    #[error("the exercise is not available; try again")]
    Gone,
}

/// Who holds a key that reads the exercise over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHolder {
    /// The facilitator key.
    Facilitator,
    /// An observer's key.
    Observer(ObserverId),
}

type Reply<T> = oneshot::Sender<Result<T, ExerciseError>>;

/// A request to the actor.
#[derive(Debug)]
pub(crate) enum Request {
    /// Decide, store, apply, broadcast; then answer.
    Command { role: Role, cmd: Command, reply: Reply<Stored> },
    /// A new participant joins (the caller chose id and token).
    Join { newcomer: Newcomer, participant_id: ParticipantId, resume_token: String, reply: Reply<Joined> },
    /// A read: it ends the batch and is answered after its commit and pushes.
    Read(Read),
}

/// A request that changes nothing: answered once the batch before it is committed and
/// its pushes are in the channels, so it only ever sees what is on disk.
#[derive(Debug)]
pub(crate) enum Read {
    /// Answer with the log's last position (every push before it is in the channels).
    Sync { reply: Reply<Stored> },
    /// Check credentials and snapshot what the role may see after `since`.
    Open { credentials: Credentials, since: u64, lang: Option<Lang>, reply: Reply<Session> },
    /// Move a participant's socket to their current group's channel.
    Rehome { participant_id: ParticipantId, lang: Option<Lang>, reply: oneshot::Sender<Option<Rehomed>> },
    /// The exercise as lists show it.
    Summary { reply: oneshot::Sender<ExerciseSummary> },
    /// What the join form offers.
    JoinInfo { lang: Option<Lang>, reply: oneshot::Sender<JoinInfo> },
    /// The media type of an attachment file, if the link may read it now.
    File { scope: FileScope, hash: String, tag: String, reply: oneshot::Sender<Option<String>> },
    /// A page of older answers for a viewer, as a frame (`older_responses`).
    Older { viewer: Viewer, lang: Option<Lang>, query: OlderQuery, reply: Reply<Utf8Bytes> },
    /// Which staff key this is, if any (for HTTP reads of the log and exports).
    CheckKey { key: String, reply: oneshot::Sender<Option<KeyHolder>> },
    /// Stop after this batch is committed (the exercise is being deleted): answered
    /// once nothing more of it will be stored; its sockets' channels close.
    Stop { reply: oneshot::Sender<()> },
}

/// The outcome of a submitted command, once the actor has stored (or refused) it.
#[derive(Debug)]
pub struct PendingReply(oneshot::Receiver<Result<Stored, ExerciseError>>);

impl PendingReply {
    /// The outcome if it is in, without waiting.
    pub fn try_take(&mut self) -> Option<Result<Stored, RequestError>> {
        match self.0.try_recv() {
            Ok(outcome) => Some(outcome.map_err(RequestError::Refused)),
            Err(oneshot::error::TryRecvError::Empty) => None,
            Err(oneshot::error::TryRecvError::Closed) => Some(Err(RequestError::Gone)),
        }
    }
}

impl Future for PendingReply {
    type Output = Result<Stored, RequestError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|r| match r {
            Ok(outcome) => outcome.map_err(RequestError::Refused),
            Err(_) => Err(RequestError::Gone),
        })
    }
}

/// A handle to a live exercise: send commands, open sessions (which come with their
/// push channel).
#[derive(Debug, Clone)]
pub struct ExerciseHandle {
    /// The exercise.
    pub id: ExerciseId,
    /// Its join code.
    pub join_code: Arc<str>,
    pub(crate) tx: mpsc::Sender<Request>,
}

impl ExerciseHandle {
    /// Whether the actor has stopped (deleted, or fenced off: another instance owns the
    /// exercise now).
    pub fn is_stopped(&self) -> bool {
        self.tx.is_closed()
    }

    async fn ask<T>(&self, request: impl FnOnce(oneshot::Sender<T>) -> Request) -> Result<T, RequestError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(request(reply)).await.map_err(|_| RequestError::Gone)?;
        rx.await.map_err(|_| RequestError::Gone)
    }

    /// A new participant joins (a group is chosen for them unless the scenario lets them
    /// pick one); they get a fresh id and resume token.
    pub async fn join(&self, newcomer: Newcomer) -> Result<Joined, RequestError> {
        let (participant_id, resume_token) = (ParticipantId::new(), new_resume_token(self.id));
        self.ask(|reply| Request::Join { newcomer, participant_id, resume_token, reply }).await?.map_err(Into::into)
    }

    /// Checks credentials and opens the role's view: the welcome after `since`, and the
    /// push channel, with the scenario's texts in `lang` when it is written in it.
    pub async fn open(
        &self,
        credentials: Credentials,
        since: u64,
        lang: Option<Lang>,
    ) -> Result<Session, RequestError> {
        self.ask(|reply| Request::Read(Read::Open { credentials, since, lang, reply })).await?.map_err(Into::into)
    }

    /// Runs a command as `role` and waits until it is stored.
    pub async fn command(&self, role: Role, cmd: Command) -> Result<Stored, RequestError> {
        self.submit(role, cmd).await?.await
    }

    /// Queues a command as `role` (waiting only while the actor's queue is full); the
    /// outcome arrives on the returned [`PendingReply`] once it is stored. A socket keeps
    /// forwarding pushes meanwhile.
    pub async fn submit(&self, role: Role, cmd: Command) -> Result<PendingReply, RequestError> {
        self.queue(|reply| Request::Command { role, cmd, reply }).await
    }

    /// Queues a sync point: answered with the log's last position once every push of
    /// what was stored before it is in the channels.
    pub async fn sync(&self) -> Result<PendingReply, RequestError> {
        self.queue(|reply| Request::Read(Read::Sync { reply })).await
    }

    async fn queue(&self, request: impl FnOnce(Reply<Stored>) -> Request) -> Result<PendingReply, RequestError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(request(reply)).await.map_err(|_| RequestError::Gone)?;
        Ok(PendingReply(rx))
    }

    /// A moved participant's new channel and `moved` message (`None`: unknown participant).
    pub async fn rehome(
        &self,
        participant_id: ParticipantId,
        lang: Option<Lang>,
    ) -> Result<Option<Rehomed>, RequestError> {
        self.ask(|reply| Request::Read(Read::Rehome { participant_id, lang, reply })).await
    }

    /// The exercise as lists show it, from the actor's state (no replay).
    pub async fn summary(&self) -> Result<ExerciseSummary, RequestError> {
        self.ask(|reply| Request::Read(Read::Summary { reply })).await
    }

    /// What the join form offers: sectors, and organisations named so far.
    pub async fn join_info(&self, lang: Option<Lang>) -> Result<JoinInfo, RequestError> {
        self.ask(|reply| Request::Read(Read::JoinInfo { lang, reply })).await
    }

    /// The media type of the file `hash` if a link with `tag` for `scope` may read it now
    /// (`None`: a wrong tag, an unknown file, or an inject not yet released to it).
    pub async fn file(&self, scope: FileScope, hash: String, tag: String) -> Result<Option<String>, RequestError> {
        self.ask(|reply| Request::Read(Read::File { scope, hash, tag, reply })).await
    }

    /// Stops the actor once what it took is committed; returns when it will store nothing
    /// more (at once if it had stopped already).
    pub async fn stop(&self) {
        let _ = self.ask(|reply| Request::Read(Read::Stop { reply })).await;
    }

    /// A page of older answers for `viewer` (refused when the viewer may not read them),
    /// as the frame to send.
    pub async fn older(
        &self,
        viewer: Viewer,
        lang: Option<Lang>,
        query: OlderQuery,
    ) -> Result<Utf8Bytes, RequestError> {
        self.ask(|reply| Request::Read(Read::Older { viewer, lang, query, reply })).await?.map_err(Into::into)
    }

    /// Whose key `key` is: the facilitator's, an observer's, or nobody's.
    pub async fn check_key(&self, key: &str) -> Result<Option<KeyHolder>, RequestError> {
        let key = key.to_owned();
        self.ask(|reply| Request::Read(Read::CheckKey { key, reply })).await
    }
}
