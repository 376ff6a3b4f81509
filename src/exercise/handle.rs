//! [`ExerciseHandle`]: the cheap-to-clone way the transport talks to an exercise actor.

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::ids::{ExerciseId, ObserverId, ParticipantId};
use crate::protocol::Welcome;

use super::decide::{Command, Role};
use super::error::ExerciseError;
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
}

/// What a successful command answers.
#[derive(Debug)]
pub enum Reply {
    /// Done (possibly nothing to do); `seq` is the log position after it.
    Done {
        /// The last log position once the command's events are stored.
        seq: u64,
    },
    /// A participant joined: who they are and what they see.
    Joined {
        /// The new participant.
        participant_id: ParticipantId,
        /// Their welcome.
        welcome: Box<Welcome>,
        /// Their group's push channel, subscribed as the welcome was taken.
        deliveries: broadcast::Receiver<Delivery>,
    },
    /// A response is stored (now or earlier, under the same client id).
    Acked {
        /// The client's id.
        client_msg_id: String,
        /// The stored response's seq.
        seq: u64,
    },
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

/// The answer to a [`Credentials`] check: the role and what it may see.
#[derive(Debug)]
pub struct Session {
    /// The authenticated viewer.
    pub viewer: Viewer,
    /// The participant's group (participants only).
    pub group_id: Option<String>,
    /// The welcome message.
    pub welcome: Box<Welcome>,
    /// The viewer's push channel, subscribed as the welcome was taken: pushes with a
    /// `seq` above the welcome's `last_seq` are new.
    pub deliveries: broadcast::Receiver<Delivery>,
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

/// The outcome of a submitted command, once the actor has stored (or refused) it.
pub type PendingReply = oneshot::Receiver<Result<Reply, ExerciseError>>;

/// A request to the actor.
#[derive(Debug)]
pub(crate) enum Request {
    /// Decide, store, apply, broadcast; then reply.
    Command { role: Role, cmd: Command, reply: oneshot::Sender<Result<Reply, ExerciseError>> },
    /// Check credentials and snapshot what the role may see after `since`.
    Open { credentials: Credentials, since: u64, reply: oneshot::Sender<Result<Session, ExerciseError>> },
    /// Move a participant's socket to their current group's channel.
    Rehome { participant_id: ParticipantId, reply: oneshot::Sender<Option<Rehomed>> },
    /// The exercise as lists show it.
    Summary { reply: oneshot::Sender<ExerciseSummary> },
    /// Which staff key this is, if any (for HTTP reads of the log and exports).
    CheckKey { key: String, reply: oneshot::Sender<Option<KeyHolder>> },
}

/// Who holds a key that reads the exercise over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHolder {
    /// The facilitator key.
    Facilitator,
    /// An observer's key.
    Observer(ObserverId),
}

/// The actor has stopped (server shutting down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the exercise is not available (the server is stopping)")]
pub struct ActorGone;

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
    /// A moved participant's new channel and `moved` message (`None`: unknown participant).
    pub async fn rehome(&self, participant_id: ParticipantId) -> Result<Option<Rehomed>, ActorGone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Rehome { participant_id, reply }).await.map_err(|_| ActorGone)?;
        rx.await.map_err(|_| ActorGone)
    }

    /// The exercise as lists show it, from the actor's state (no replay).
    pub async fn summary(&self) -> Result<ExerciseSummary, ActorGone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Summary { reply }).await.map_err(|_| ActorGone)?;
        rx.await.map_err(|_| ActorGone)
    }

    /// Runs a command as `role` and waits for the outcome (after it is stored).
    pub async fn command(&self, role: Role, cmd: Command) -> Result<Result<Reply, ExerciseError>, ActorGone> {
        self.submit(role, cmd).await?.await.map_err(|_| ActorGone)
    }

    /// Queues a command as `role` (waiting only while the actor's queue is full); the
    /// outcome arrives on the returned receiver once it is stored. A socket keeps
    /// forwarding pushes meanwhile.
    pub async fn submit(&self, role: Role, cmd: Command) -> Result<PendingReply, ActorGone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Command { role, cmd, reply }).await.map_err(|_| ActorGone)?;
        Ok(rx)
    }

    /// Checks credentials and returns the welcome for the role.
    pub async fn open(
        &self,
        credentials: Credentials,
        since: u64,
    ) -> Result<Result<Session, ExerciseError>, ActorGone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Open { credentials, since, reply }).await.map_err(|_| ActorGone)?;
        rx.await.map_err(|_| ActorGone)
    }

    /// Whose key `key` is: the facilitator's, an observer's, or nobody's.
    pub async fn check_key(&self, key: &str) -> Result<Option<KeyHolder>, ActorGone> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::CheckKey { key: key.to_owned(), reply }).await.map_err(|_| ActorGone)?;
        rx.await.map_err(|_| ActorGone)
    }
}
