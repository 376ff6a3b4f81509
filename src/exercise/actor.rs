//! One tokio task per live exercise: owns its [`State`], takes requests from a bounded
//! queue, stores events, applies them, then pushes them to sockets.
//!
//! Batching: the actor takes every request already waiting (up to a limit), decides
//! and applies each in memory so later requests see earlier ones, then commits all
//! their events in one store append. Replies and pushes go out only after the commit,
//! so nobody hears of an event that is not on disk. If the commit fails, the actor
//! reloads its state from the store (the truth) and fails the batch's requests with
//! `storage_unavailable`; the control room is told (`storage` push, see
//! [`storage_push`]) on every failed commit and once when a commit succeeds again, and
//! due timers wait [`COMMIT_RETRY`] before trying again (no busy loop on a full disk).
//! A read request (a socket opening) ends a batch, so snapshots only ever show
//! committed events.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::events::{Event, Recorded};
use crate::ids::{ParticipantId, secrets_equal};
use crate::lang::Lang;
use crate::protocol::{ServerMsg, Welcome};
use crate::store::SharedLog;
use crate::time::WallClock;

use super::decide::{Command, Role, Rules, decide};
use super::error::ExerciseError;
use super::fanout::{ChannelSizes, Channels};
use super::handle::{
    Credentials, Delivery, ExerciseHandle, Joined, KeyHolder, Newcomer, Read, Rehomed, Request, Session, Stored, Viewer,
};
use super::state::State;
use super::subscription::Subscription;
use super::view::{self, Localized};

/// Most requests taken into one batch.
const MAX_BATCH: usize = 256;
/// After a failed commit, how long due timers wait before the actor tries again
/// (requests still try at once: each is a person pressing send).
pub const COMMIT_RETRY: Duration = Duration::from_secs(1);

/// Sizes of an exercise's queues.
#[derive(Debug, Clone, Copy)]
pub struct ActorConfig {
    /// Requests waiting for the actor before senders wait.
    pub request_queue: usize,
    /// Pushes a socket may fall behind, per channel, before it is dropped (and resyncs
    /// on resume).
    pub channels: ChannelSizes,
}

impl Default for ActorConfig {
    fn default() -> Self {
        Self { request_queue: 1024, channels: ChannelSizes::default() }
    }
}

/// Starts the actor for an exercise whose log is already stored and replayed.
pub fn spawn(
    state: State,
    store: SharedLog,
    clock: WallClock,
    rules: Arc<Rules>,
    config: ActorConfig,
) -> ExerciseHandle {
    let (tx, rx) = mpsc::channel(config.request_queue);
    let channels = Channels::new(state.scenario.groups.iter().map(|g| g.id.as_str()), config.channels);
    let handle = ExerciseHandle { id: state.exercise_id, join_code: state.join_code.as_str().into(), tx };
    let actor = Actor { state, store, clock, rules, rx, channels, stopped: false, failing_since: None, stale: false };
    tokio::spawn(actor.run());
    handle
}

struct Actor {
    state: State,
    store: SharedLog,
    clock: WallClock,
    rules: Arc<Rules>,
    rx: mpsc::Receiver<Request>,
    channels: Channels,
    /// Asked to stop (the exercise is deleted), or fenced off (another instance owns
    /// it): the loop ends after this batch.
    stopped: bool,
    /// When the last commit failed, if it did (until one succeeds).
    failing_since: Option<tokio::time::Instant>,
    /// A commit failed and the store could not be read back: memory is ahead of it.
    stale: bool,
}

/// A reply owed once the batch is committed.
enum Owed {
    Stored(u64, Reply<Stored>),
    Joined(ParticipantId, Option<Lang>, Reply<Joined>),
    Acked(ParticipantId, String, Reply<Stored>),
}

type Reply<T> = oneshot::Sender<Result<T, ExerciseError>>;

impl Actor {
    async fn run(mut self) {
        let id = self.state.exercise_id;
        tracing::info!(exercise = %id, phase = ?self.state.phase(), "exercise actor started");
        loop {
            let retry = self.failing_since.map(|at| at + COMMIT_RETRY);
            let due = self.state.next_due_wall_ms().map(|ms| {
                let at = self.clock.instant_at(ms);
                retry.map_or(at, |r| at.max(r))
            });
            let first = tokio::select! {
                req = self.rx.recv() => match req {
                    Some(req) => Some(req),
                    None => break,
                },
                () = sleep_until(due), if due.is_some() => None,
            };
            self.batch(first).await;
            if self.stopped {
                break;
            }
        }
        tracing::info!(exercise = %id, "exercise actor stopped");
    }

    /// Decides and applies every command waiting (from `first`, or none on a timer
    /// wake) and what is due, commits them at once, then answers and pushes.
    async fn batch(&mut self, first: Option<Request>) {
        if self.stale {
            if !self.reload().await {
                self.refuse_while_stale(first);
                return;
            }
            self.stale = false;
        }
        let mut appended: Vec<Recorded> = Vec::new();
        let mut owed: Vec<Owed> = Vec::new();
        let mut pushes: Vec<Delivery> = Vec::new();
        let mut read = None;
        let mut next = first;
        while let Some(req) = next.take() {
            let mut step = |role, cmd: &Command| self.decide_and_apply(role, cmd, &mut appended, &mut pushes);
            match req {
                Request::Command { role, cmd, reply } => match step(role, &cmd) {
                    Ok(()) => owed.push(match (cmd, role) {
                        (Command::Respond { client_msg_id, .. }, Role::Participant(who)) => {
                            Owed::Acked(who, client_msg_id, reply)
                        }
                        _ => Owed::Stored(self.state.last_seq, reply),
                    }),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                },
                Request::Join { newcomer, participant_id, resume_token, reply } => {
                    let Newcomer { name, group_id, organisation, sector, email, lang } = newcomer;
                    let cmd =
                        Command::Join { name, group_id, organisation, sector, email, participant_id, resume_token };
                    match step(Role::Participant(participant_id), &cmd) {
                        Ok(()) => owed.push(Owed::Joined(participant_id, lang, reply)),
                        Err(e) => {
                            let _ = reply.send(Err(e));
                        }
                    }
                }
                Request::Read(r) => {
                    self.stopped = matches!(r, Read::Stop { .. });
                    read = Some(r);
                    break;
                }
            }
            if owed.len() < MAX_BATCH {
                next = self.rx.try_recv().ok();
            }
        }
        // Timed injects due by now go out in the same commit (release never refuses).
        let _ = self.decide_and_apply(Role::Facilitator, &Command::ReleaseDue, &mut appended, &mut pushes);

        if !appended.is_empty() {
            if let Err(e) = self.store.append(self.state.exercise_id, &appended).await {
                if matches!(e, crate::store::StoreError::Fenced) {
                    // Another instance owns the exercise now: nothing of this batch is
                    // stored, and this actor must never write again. Its requests end
                    // unanswered and its sockets close (1011): they reconnect and are
                    // sent to the owner, to which they resend what was not acked.
                    tracing::warn!(exercise = %self.state.exercise_id, "fenced off: another instance owns the exercise");
                    self.stopped = true;
                    return;
                }
                tracing::error!(exercise = %self.state.exercise_id, error = %e, "commit failed; reloading from the store");
                // Memory holds this batch's events, which the store does not: until a
                // reload succeeds nothing is decided on it (an answer sent again would be
                // taken for stored, and the next commit would leave a gap in the log).
                self.stale = !self.reload().await;
                self.failing_since = Some(tokio::time::Instant::now());
                self.channels.send_all([storage_push(self.state.last_seq + 1, false)]);
                for o in owed {
                    match o {
                        Owed::Stored(_, r) | Owed::Acked(_, _, r) => {
                            let _ = r.send(Err(ExerciseError::Storage));
                        }
                        Owed::Joined(_, _, r) => {
                            let _ = r.send(Err(ExerciseError::Storage));
                        }
                    }
                }
                return self.answer_read(read);
            }
            for rec in &appended {
                log_event(self.state.exercise_id, rec);
            }
        }
        let recovered = !appended.is_empty() && self.failing_since.take().is_some();
        // Replies first: a sender's ack does not wait behind the fan-out of the batch.
        // (A socket that joins in this batch is subscribed here and drops this batch's
        // pushes by `seq`: its welcome covers them.)
        self.pay(owed);
        if !pushes.is_empty() {
            // One language's pushes together (in log order within it), so they merge.
            pushes.sort_by_key(|d| d.lang);
            self.channels.send_all(pushes);
        }
        if recovered {
            tracing::warn!(exercise = %self.state.exercise_id, "commits succeed again");
            self.channels.send_all([storage_push(self.state.last_seq + 1, true)]);
        }
        self.answer_read(read);
    }

    /// Decides a command against the current state and applies its events in memory;
    /// they are stored with the rest of the batch.
    fn decide_and_apply(
        &mut self,
        role: Role,
        cmd: &Command,
        appended: &mut Vec<Recorded>,
        pushes: &mut Vec<Delivery>,
    ) -> Result<(), ExerciseError> {
        let now = self.clock.now_ms();
        let events = decide(&self.state, role, cmd, now, &self.rules).inspect_err(|e| {
            tracing::info!(exercise = %self.state.exercise_id, code = e.code(), "command refused");
        })?;
        for event in events {
            let rec = Recorded { seq: self.state.last_seq + 1, wall_ms: now, event };
            self.state.apply(&rec);
            for lang in self.state.reading_langs() {
                for (audience, msg) in view::deliveries(&Localized::new(&self.state, lang), &rec) {
                    pushes.push(Delivery { seq: rec.seq, audience: Arc::new(audience), frame: encode(&msg), lang });
                }
            }
            appended.push(rec);
        }
        Ok(())
    }

    fn pay(&self, owed: Vec<Owed>) {
        let now = self.clock.now_ms();
        for o in owed {
            match o {
                Owed::Stored(seq, r) => {
                    let _ = r.send(Ok(Stored { seq }));
                }
                Owed::Joined(pid, lang, r) => {
                    let seen = self.seen(lang);
                    let reply = match self.state.participant(pid) {
                        Some(p) => Ok(Joined {
                            participant_id: pid,
                            session: self.session(
                                Viewer::Participant(pid),
                                seen.lang,
                                Some(p.group_id.clone()),
                                view::participant_welcome(&seen, p, 0, now),
                            ),
                        }),
                        None => Err(ExerciseError::UnknownParticipant(pid.to_string())),
                    };
                    let _ = r.send(reply);
                }
                Owed::Acked(who, client_msg_id, r) => {
                    let reply = match self.state.response_by_client_id(who, &client_msg_id) {
                        Some(resp) => Ok(Stored { seq: resp.stamp.seq }),
                        None => Err(ExerciseError::UnknownParticipant(who.to_string())),
                    };
                    let _ = r.send(reply);
                }
            }
        }
    }

    /// A welcome and the viewer's channel, subscribed at the same moment: no push falls
    /// between them.
    fn session(&self, viewer: Viewer, lang: Option<Lang>, group_id: Option<String>, welcome: Welcome) -> Session {
        let deliveries = self.channels.subscribe(viewer, group_id.as_deref());
        let subscription = Subscription::new(viewer, lang, group_id, deliveries, welcome.last_seq);
        Session { welcome: Box::new(welcome), subscription }
    }

    fn answer_read(&self, read: Option<Read>) {
        let now = self.clock.now_ms();
        match read {
            Some(Read::Open { credentials, since, lang, reply }) => {
                let _ = reply.send(self.open(credentials, since, lang, now));
            }
            Some(Read::Rehome { participant_id, lang, reply }) => {
                let _ = reply.send(self.rehome(participant_id, lang));
            }
            Some(Read::JoinInfo { lang, reply }) => {
                let _ = reply.send(view::join_info(&self.seen(lang)));
            }
            Some(Read::Summary { reply }) => {
                let _ = reply.send(super::summary::summary(&self.state));
            }
            Some(Read::File { scope, hash, tag, reply }) => {
                let _ = reply.send(super::files::readable(&self.state, &scope, &hash, &tag));
            }
            Some(Read::Older { viewer, lang, query, reply }) => {
                let _ = reply.send(self.older(viewer, lang, query));
            }
            Some(Read::Sync { reply }) => {
                let _ = reply.send(Ok(Stored { seq: self.state.last_seq }));
            }
            Some(Read::CheckKey { key, reply }) => {
                let holder = if secrets_equal(&key, &self.state.facilitator_key) {
                    Some(KeyHolder::Facilitator)
                } else {
                    self.observer_by_key(&key).map(KeyHolder::Observer)
                };
                let _ = reply.send(holder);
            }
            Some(Read::Stop { reply }) => {
                let _ = reply.send(());
            }
            None => {}
        }
    }

    /// Checks credentials and snapshots what the role may see, subscribing the socket to
    /// its channel at the same moment: no push falls between snapshot and channel.
    fn open(
        &self,
        credentials: Credentials,
        since: u64,
        lang: Option<Lang>,
        now: u64,
    ) -> Result<Session, ExerciseError> {
        let seen = self.seen(lang);
        let session = |viewer, group_id, welcome| self.session(viewer, seen.lang, group_id, welcome);
        let facilitator = || session(Viewer::Facilitator, None, view::facilitator_welcome(&seen, since, now));
        match credentials {
            Credentials::Facilitator(key) if secrets_equal(&key, &self.state.facilitator_key) => Ok(facilitator()),
            Credentials::Admin => Ok(facilitator()),
            Credentials::Participant(token) => match self.state.participant_by_token(&token) {
                Some(p) => Ok(session(
                    Viewer::Participant(p.id),
                    Some(p.group_id.clone()),
                    view::participant_welcome(&seen, p, since, now),
                )),
                None if self.state.removed_token(&token) => Err(ExerciseError::Removed),
                None => Err(ExerciseError::BadCredentials),
            },
            Credentials::Projector(code) if code == self.state.join_code => {
                Ok(session(Viewer::Projector, None, view::projector_welcome(&seen, now)))
            }
            Credentials::Observer(key) => match self.observer_by_key(&key) {
                Some(id) => Ok(session(Viewer::Observer(id), None, view::observer_welcome(&seen, id, since, now))),
                None => Err(ExerciseError::BadCredentials),
            },
            Credentials::Facilitator(_) | Credentials::Projector(_) => Err(ExerciseError::BadCredentials),
        }
    }

    /// A moved participant's socket switches to the new group's channel: a fresh `moved`
    /// message as of now, and the channel subscribed at the same moment.
    fn rehome(&self, participant_id: ParticipantId, lang: Option<Lang>) -> Option<Rehomed> {
        let p = self.state.participant(participant_id)?;
        let msg = view::moved_message(&self.seen(lang), p)?;
        Some(Rehomed {
            group_id: p.group_id.clone(),
            frame: encode(&msg),
            covered_seq: self.state.last_seq,
            deliveries: self.channels.subscribe(Viewer::Participant(participant_id), Some(&p.group_id)),
        })
    }

    /// A page of older answers, filtered as the viewer's welcome is: a participant reads
    /// their own group's, the shared screen none.
    fn older(
        &self,
        viewer: Viewer,
        lang: Option<Lang>,
        q: super::handle::OlderQuery,
    ) -> Result<Utf8Bytes, ExerciseError> {
        let group = match viewer {
            Viewer::Participant(id) => {
                let p = self.state.participant(id).ok_or(ExerciseError::Removed)?;
                match q.group_id.as_deref() {
                    Some(g) if g != p.group_id => {
                        return Err(ExerciseError::Forbidden {
                            action: "read another group's answers",
                            who: "its members and the control room",
                        });
                    }
                    _ => Some(p.group_id.clone()),
                }
            }
            Viewer::Projector => {
                return Err(ExerciseError::Forbidden { action: "read answers", who: "the control room and groups" });
            }
            Viewer::Facilitator | Viewer::Observer(_) => q.group_id.clone(),
        };
        if self.state.scenario.inject(&q.inject_id).is_none() {
            return Err(ExerciseError::UnknownInject(q.inject_id));
        }
        let msg = view::older_responses(&self.seen(lang), &q.inject_id, group.as_deref(), q.before_seq, q.limit);
        Ok(encode(&msg))
    }

    /// The state as a reader asking for `lang` sees it.
    fn seen(&self, lang: Option<Lang>) -> Localized<'_> {
        Localized::new(&self.state, self.state.reading_lang(lang))
    }

    fn observer_by_key(&self, key: &str) -> Option<crate::ids::ObserverId> {
        self.state.evaluation.observers.iter().find(|o| secrets_equal(key, &o.key)).map(|o| o.id)
    }

    /// Replaces the state with the store's; false when the store cannot be read.
    async fn reload(&mut self) -> bool {
        let id = self.state.exercise_id;
        match self
            .store
            .load(id)
            .await
            .map_err(|e| e.to_string())
            .and_then(|log| State::replay(&log).map_err(|e| e.to_string()))
        {
            Ok(state) => {
                self.state = state;
                true
            }
            Err(e) => {
                tracing::error!(exercise = %id, error = %e, "cannot reload the exercise; refusing until the store reads");
                false
            }
        }
    }

    /// While memory is ahead of the store: every command is refused as a storage
    /// failure, and reads go unanswered (their sockets close and reconnect later) since
    /// they would show what was never stored. A stop still stops.
    fn refuse_while_stale(&mut self, first: Option<Request>) {
        let mut next = first;
        let mut taken = 0;
        while let Some(req) = next.take() {
            match req {
                Request::Command { reply, .. } => {
                    let _ = reply.send(Err(ExerciseError::Storage));
                }
                Request::Join { reply, .. } => {
                    let _ = reply.send(Err(ExerciseError::Storage));
                }
                Request::Read(r) => self.stopped |= matches!(r, Read::Stop { .. }),
            }
            taken += 1;
            if taken < MAX_BATCH {
                next = self.rx.try_recv().ok();
            }
        }
    }
}

/// A `storage` push for the control room (facilitator and observers): `ok: false` after
/// a failed commit (answers are not being saved), `ok: true` once a commit succeeds
/// again. Not an event: its `seq` is the next log position, so every socket open now
/// takes it and no welcome claims to cover it.
pub fn storage_push(seq: u64, ok: bool) -> Delivery {
    let frame = if ok { r#"{"type":"storage","ok":true}"# } else { r#"{"type":"storage","ok":false}"# };
    Delivery { seq, audience: Arc::new(view::Audience::Facilitator), frame: Utf8Bytes::from_static(frame), lang: None }
}

async fn sleep_until(due: Option<tokio::time::Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Serializes a message once; the frame is shared by every socket it goes to.
pub fn encode(msg: &ServerMsg) -> Utf8Bytes {
    // Most pushes are a few hundred bytes: start there rather than grow from nothing.
    let mut json = Vec::with_capacity(512);
    serde_json::to_writer(&mut json, msg).expect("server messages always serialize");
    Utf8Bytes::try_from(json).expect("serde_json writes UTF-8")
}

fn log_event(exercise: crate::ids::ExerciseId, rec: &Recorded) {
    match &rec.event {
        Event::ParticipantJoined { group_id, .. } => {
            tracing::info!(exercise = %exercise, seq = rec.seq, group = %group_id, "participant joined")
        }
        Event::ResponseSubmitted { .. } => tracing::debug!(exercise = %exercise, seq = rec.seq, "response stored"),
        Event::InjectReleased { inject_id, manual } => {
            tracing::info!(exercise = %exercise, seq = rec.seq, inject = %inject_id, manual, "inject released")
        }
        other => tracing::info!(exercise = %exercise, seq = rec.seq, kind = other.kind().as_str(), "exercise changed"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::exercise::tests::created;
    use crate::ids::ExerciseId;

    const MIN: u64 = 60_000;

    async fn start_exercise(dir: &std::path::Path) -> (ExerciseHandle, Subscription) {
        let (store, guard) = crate::store::Store::open(dir).unwrap();
        std::mem::forget(guard); // the writer thread lives as long as the test process
        let first = created(ExerciseId::new(), 1_000_000);
        store.append(ExerciseId::new(), std::slice::from_ref(&first)).await.unwrap();
        let state = State::created(&first).unwrap();
        let clock = WallClock::anchored_at(1_000_000);
        let handle = spawn(state, Arc::new(store), clock, Arc::new(Rules::default()), ActorConfig::default());
        let rx = handle.open(Credentials::Facilitator("k".into()), 0, None).await.unwrap().subscription;
        (handle, rx)
    }

    async fn facilitate(handle: &ExerciseHandle, cmd: Command) {
        handle.command(Role::Facilitator, cmd).await.unwrap();
    }

    /// Facilitator-bound inject pushes so far: (inject id, play ms). A sync first, so
    /// every batch due by now (timers included) is committed and pushed.
    async fn released(ex: &ExerciseHandle, rx: &mut Subscription) -> Vec<(String, u64)> {
        let synced = ex.sync().await.unwrap().await.unwrap();
        let mut frames = Vec::new();
        rx.take(usize::MAX, synced.seq, &mut frames).unwrap();
        let mut out = Vec::new();
        for frame in frames {
            let v: serde_json::Value = serde_json::from_str(frame.as_str()).unwrap();
            let pushes = if v["type"] == "batch" { v["pushes"].as_array().unwrap().clone() } else { vec![v] };
            for v in pushes.iter().filter(|v| v["type"] == "inject") {
                out.push((v["inject_id"].as_str().unwrap().to_owned(), v["play_ms"].as_u64().unwrap()));
            }
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn at_real_speed_a_ten_minute_pause_shifts_the_next_inject_by_exactly_ten_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let (ex, mut rx) = start_exercise(dir.path()).await;
        facilitate(&ex, Command::Start).await;
        assert_eq!(released(&ex, &mut rx).await, [("first".to_string(), 0)]);

        tokio::time::sleep(Duration::from_millis(3 * MIN - 1)).await;
        assert_eq!(released(&ex, &mut rx).await, [], "second is due at 4:00");
        facilitate(&ex, Command::Pause).await;
        tokio::time::sleep(Duration::from_millis(10 * MIN)).await;
        assert_eq!(released(&ex, &mut rx).await, [], "nothing while paused");
        facilitate(&ex, Command::ResumeClock).await;
        tokio::time::sleep(Duration::from_millis(MIN)).await;
        assert_eq!(released(&ex, &mut rx).await, [], "still 1 ms of play to go");
        tokio::time::sleep(Duration::from_millis(1)).await;
        assert_eq!(
            released(&ex, &mut rx).await,
            [("second".to_string(), 4 * MIN), ("third".to_string(), 4 * MIN)],
            "released at 4:00 play time, not 14:00"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn while_commits_fail_a_due_release_is_retried_once_a_second_not_in_a_loop() {
        let dir = tempfile::tempdir().unwrap();
        let (store, guard) = crate::store::Store::open(dir.path()).unwrap();
        std::mem::forget(guard);
        let id = ExerciseId::new();
        let first = created(id, 1_000_000);
        store.append(id, std::slice::from_ref(&first)).await.unwrap();
        let faulty = Arc::new(crate::store::faulty::Faulty::new(Arc::new(store)));
        let clock = WallClock::anchored_at(1_000_000);
        let state = State::created(&first).unwrap();
        let ex = spawn(state, faulty.clone(), clock, Arc::new(Rules::default()), ActorConfig::default());
        let mut rx = ex.open(Credentials::Facilitator("k".into()), 0, None).await.unwrap().subscription;
        facilitate(&ex, Command::Start).await;
        assert_eq!(released(&ex, &mut rx).await.len(), 1);

        faulty.set_failing(true);
        // "second" and "third" fall due at 4:00; the store refuses for 10 s after that.
        tokio::time::sleep(Duration::from_millis(4 * MIN + 10_000)).await;
        let tries = faulty.refused();
        assert!((8..=12).contains(&tries), "{tries} commits tried in 10 s");
        faulty.set_failing(false);
        tokio::time::sleep(COMMIT_RETRY).await;
        assert_eq!(released(&ex, &mut rx).await.len(), 2, "released once the store works");
    }

    #[tokio::test(start_paused = true)]
    async fn a_speed_change_reschedules_the_pending_timer() {
        let dir = tempfile::tempdir().unwrap();
        let (ex, mut rx) = start_exercise(dir.path()).await;
        facilitate(&ex, Command::Start).await;
        released(&ex, &mut rx).await;
        tokio::time::sleep(Duration::from_millis(MIN)).await;
        facilitate(&ex, Command::SetSpeed { speed: 60.0 }).await;
        // Three play minutes remain: three wall seconds at 60x.
        tokio::time::sleep(Duration::from_millis(2_999)).await;
        assert_eq!(released(&ex, &mut rx).await, []);
        tokio::time::sleep(Duration::from_millis(1)).await;
        assert_eq!(released(&ex, &mut rx).await.len(), 2);
        // The contingency inject waits for a hand, and a manual release is immediate.
        tokio::time::sleep(Duration::from_millis(10 * MIN)).await;
        assert_eq!(released(&ex, &mut rx).await, []);
        facilitate(&ex, Command::Release { inject_id: "spare".into() }).await;
        assert_eq!(released(&ex, &mut rx).await.len(), 1);
    }
}
