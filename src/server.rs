//! Assembling the server: load scenarios, open the store, replay every exercise, serve
//! HTTP and websockets, and shut down in order.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::ServerOptions;
use crate::events::{Event, Recorded, ScenarioSnapshot};
pub use crate::exercise::summary::{ExerciseSummary, summary};
use crate::exercise::{ExerciseHandle, State, actor};
use crate::ids::{ExerciseId, new_join_code, new_secret};
use crate::registry::Registry;
use crate::scenario::{Catalog, LoadError};
use crate::store::{Store, StoreError, WriterGuard};
use crate::time::WallClock;

/// Name of the file in the data dir that keeps a generated admin token.
pub const ADMIN_TOKEN_FILE: &str = "admin-token";

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The store cannot be opened or its log read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored exercise log is not a valid history.
    #[error("exercise {exercise}: {reason}")]
    Replay {
        /// The exercise.
        exercise: ExerciseId,
        /// Why.
        reason: String,
    },
    /// The admin token file cannot be read or written.
    #[error("admin token file {path}: {source}")]
    AdminToken {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Why an exercise could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// No loaded scenario has this id.
    #[error("no scenario \"{0}\"")]
    UnknownScenario(String),
    /// The store refused the first event.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new exercise's public ids and its facilitator key.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Created {
    /// The exercise.
    pub exercise_id: ExerciseId,
    /// Code participants type.
    pub join_code: String,
    /// The facilitator's key.
    pub facilitator_key: String,
}

/// Everything request handlers share.
#[derive(Debug)]
pub struct App {
    /// Live exercises.
    pub registry: Registry,
    /// The event store.
    pub store: Store,
    /// Loaded scenarios.
    pub catalog: Catalog,
    /// Wall clock.
    pub clock: WallClock,
    /// Options as started.
    pub options: ServerOptions,
    /// The admin token.
    pub admin_token: String,
    /// Flips to true when the server begins shutting down.
    pub shutdown: watch::Receiver<bool>,
}

/// A loaded server, ready to listen.
#[derive(Debug)]
pub struct Server {
    app: Arc<App>,
    writer: WriterGuard,
    shutdown: watch::Sender<bool>,
    /// Problems with scenario files (those files were skipped).
    pub scenario_problems: Vec<LoadError>,
    /// Exercises found in the store, as replayed.
    pub exercises: Vec<ExerciseSummary>,
}

impl Server {
    /// Loads scenarios, opens the store and replays every stored exercise. Must be
    /// called inside a tokio runtime (actors are spawned).
    pub fn new(options: ServerOptions) -> Result<Self, StartupError> {
        let (catalog, scenario_problems) = Catalog::load(&options.scenarios_dir);
        for p in &scenario_problems {
            tracing::warn!("scenario skipped: {p}");
        }
        let admin_token = match &options.admin_token {
            Some(t) => t.clone(),
            None => admin_token_from_dir(&options.data_dir)?,
        };
        let (store, writer) = Store::open(&options.data_dir)?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let app = Arc::new(App {
            registry: Registry::default(),
            store,
            catalog,
            clock: WallClock::system(),
            options,
            admin_token,
            shutdown: shutdown_rx,
        });
        let mut exercises = Vec::new();
        for state in replay_all(&app.store)? {
            exercises.push(summary(&state));
            app.start_actor(state);
        }
        tracing::info!(
            scenarios = app.catalog.iter().count(),
            exercises = exercises.len(),
            data_dir = %app.options.data_dir.display(),
            "server loaded"
        );
        Ok(Server { app, writer, shutdown, scenario_problems, exercises })
    }

    /// The shared application state.
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Serves on `listener` until `signal` completes, then shuts down in order: stop
    /// accepting, close sockets with 1001 (clients reconnect), let actors finish their
    /// batch, let the writer commit, return.
    pub async fn listen(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use axum::serve::ListenerExt;
        let Server { app, writer, shutdown, .. } = self;
        let router = crate::http::router(app.clone());
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let shutdown_tx = shutdown.clone();
        let graceful = async move {
            signal.await;
            tracing::info!("shutting down: closing sockets");
            let _ = shutdown_tx.send(true);
        };
        let served = axum::serve(listener, router).with_graceful_shutdown(graceful).await;
        let _ = shutdown.send(true);
        app.registry.clear();
        drop(app);
        let joined = tokio::task::spawn_blocking(move || writer.join());
        if tokio::time::timeout(Duration::from_secs(10), joined).await.is_err() {
            tracing::warn!("the store writer did not stop within 10 s");
        }
        tracing::info!("stopped");
        served
    }
}

impl App {
    /// Creates an exercise from a loaded scenario: stores its first event, starts its actor.
    pub async fn create_exercise(&self, scenario_id: &str) -> Result<Created, CreateError> {
        let scenario =
            self.catalog.get(scenario_id).ok_or_else(|| CreateError::UnknownScenario(scenario_id.to_owned()))?;
        let exercise_id = ExerciseId::new();
        let join_code = loop {
            let code = new_join_code();
            if !self.registry.code_taken(&code) {
                break code;
            }
        };
        let facilitator_key = new_secret();
        let first = Recorded {
            seq: 1,
            wall_ms: self.clock.now_ms(),
            event: Event::ExerciseCreated {
                exercise_id,
                scenario: Box::new(ScenarioSnapshot::from(&**scenario)),
                join_code: join_code.clone(),
                facilitator_key: facilitator_key.clone(),
            },
        };
        self.store.append(exercise_id, std::slice::from_ref(&first)).await?;
        let state = State::created(&first).expect("a fresh exercise_created is a valid log");
        self.start_actor(state);
        tracing::info!(exercise = %exercise_id, scenario = %scenario_id, "exercise created");
        Ok(Created { exercise_id, join_code, facilitator_key })
    }

    fn start_actor(&self, state: State) -> ExerciseHandle {
        let limits = &self.options.limits;
        let handle = actor::spawn(state, self.store.clone(), self.clock, Arc::new(limits.rules.clone()), limits.actor);
        if !self.registry.insert(handle.clone()) {
            tracing::warn!(exercise = %handle.id, "join code already in use by another exercise; joining by code is off");
        }
        handle
    }

    /// Reads an exercise's stored log (committed events only).
    pub async fn load_log(&self, exercise: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.load(exercise)).await.unwrap_or(Err(StoreError::Closed))
    }
}

/// Replays every stored exercise, on every core: each worker reads one exercise's log at
/// a time and folds it, so only a worker's current log is in memory besides the states.
/// The states come back in the store's order.
fn replay_all(store: &Store) -> Result<Vec<State>, StartupError> {
    let ids = store.exercise_ids()?;
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, ids.len().max(1));
    let next = AtomicUsize::new(0);
    let replay_some = || -> Result<Vec<(usize, State)>, StartupError> {
        let reader = store.log_reader()?;
        let mut states = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&exercise) = ids.get(i) else { return Ok(states) };
            let log = reader.read(exercise)?;
            let state = State::replay(&log).map_err(|e| StartupError::Replay { exercise, reason: e.to_string() })?;
            states.push((i, state));
        }
    };
    let per_worker: Vec<_> = std::thread::scope(|s| {
        let running: Vec<_> = (0..workers).map(|_| s.spawn(replay_some)).collect();
        running.into_iter().map(|w| w.join().expect("a replay worker panicked")).collect()
    });
    let mut states = Vec::with_capacity(ids.len());
    for worker in per_worker {
        states.extend(worker?);
    }
    states.sort_unstable_by_key(|(i, _)| *i);
    Ok(states.into_iter().map(|(_, s)| s).collect())
}

/// Reads the admin token kept in the data dir, creating it (mode 0600) the first time.
fn admin_token_from_dir(data_dir: &Path) -> Result<String, StartupError> {
    let path = data_dir.join(ADMIN_TOKEN_FILE);
    let fail = |source| StartupError::AdminToken { path: path.display().to_string(), source };
    match std::fs::read_to_string(&path) {
        Ok(t) if !t.trim().is_empty() => return Ok(t.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e)),
    }
    std::fs::create_dir_all(data_dir).map_err(fail)?;
    let token = new_secret();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    use std::io::Write;
    options.open(&path).and_then(|mut f| f.write_all(token.as_bytes())).map_err(fail)?;
    Ok(token)
}

/// Connections the kernel queues while the server accepts: a room scanning the QR code
/// at once connects hundreds of phones in the same second (tokio's default is 128,
/// beyond which connects wait a second for a SYN retry).
pub const LISTEN_BACKLOG: u32 = 4096;

/// Binds a listener with [`LISTEN_BACKLOG`] (`SO_REUSEADDR` on, so a restarted server
/// gets its port back at once).
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}
