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
use crate::library::Library;
use crate::registry::Registry;
use crate::scenario::Catalog;
use crate::store::{Backend, Change, FileRow, SharedLog, Store, StoreError, Writer};
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
    /// HTTPS cannot be set up (a certificate file, the ACME settings, the redirect port).
    #[error("{0}")]
    Https(String),
    /// A flag's value cannot be used (`--advertise-url` with a path).
    #[error("{0}")]
    BadOption(String),
    /// The data dir cannot be created or made private.
    #[error("data dir {path}: {source}")]
    DataDir {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
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
    /// Every join code drawn was taken (practically impossible with random codes).
    #[error("no free join code after {0} draws")]
    NoJoinCode(usize),
    /// The new exercise's actor stopped at once (the server is stopping).
    #[error("the new exercise is not available: {0}")]
    Gone(#[from] crate::exercise::RequestError),
}

/// Join codes drawn for one exercise before giving up.
const JOIN_CODE_DRAWS: usize = 100;

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
    /// The event store: SQLite, or PostgreSQL shared with other instances.
    pub store: Backend,
    /// What actors append to: the store, as an [`crate::store::EventLog`] (a fault test
    /// wraps it, see [`Server::new_with_log`]).
    pub log: SharedLog,
    /// The scenarios offered, reloadable (see [`App::catalog`]).
    pub library: Arc<Library>,
    /// Wall clock.
    pub clock: WallClock,
    /// Options as started.
    pub options: ServerOptions,
    /// The admin token.
    pub admin_token: String,
    /// Flips to true when the server begins shutting down.
    pub shutdown: watch::Receiver<bool>,
    /// Counters and gauges for `GET /metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Failed guesses and lookups per client address (`src/http/guard.rs`).
    pub guard: Arc<crate::http::guard::Guard>,
    /// Open connections per client address and in all, over every listener (the main
    /// one, `--redirect-http`, `--metrics-addr`; `src/http/serve.rs`).
    pub gate: Arc<crate::http::serve::Gate>,
    /// Held while an exercise is taken over from another instance (`src/ownership.rs`).
    pub(crate) taking_over: tokio::sync::Mutex<()>,
    /// The other instances' base URLs (PostgreSQL only), as last read by the lease loop.
    pub(crate) peers: std::sync::RwLock<Vec<String>>,
}

/// A loaded server, ready to listen.
#[derive(Debug)]
pub struct Server {
    app: Arc<App>,
    writer: Writer,
    shutdown: watch::Sender<bool>,
    https: Option<crate::http::tls::Https>,
    /// Exercises found in the store, as replayed.
    pub exercises: Vec<ExerciseSummary>,
}

impl Server {
    /// Loads scenarios, opens the store and replays every stored exercise (with
    /// PostgreSQL: every exercise no live instance owns).
    pub async fn new(options: ServerOptions) -> Result<Self, StartupError> {
        Self::new_with_log(options, |log| log).await
    }

    /// [`Server::new`], with the actors' event log wrapped by `wrap` (fault tests make
    /// appends fail through it).
    #[doc(hidden)]
    pub async fn new_with_log(
        options: ServerOptions,
        wrap: impl FnOnce(SharedLog) -> SharedLog,
    ) -> Result<Self, StartupError> {
        let https = crate::http::tls::Https::new(&options).map_err(StartupError::Https)?;
        let library = Arc::new(Library::open(&options.scenarios_dir));
        private_data_dir(&options.data_dir)
            .map_err(|source| StartupError::DataDir { path: options.data_dir.display().to_string(), source })?;
        if let Some(url) = &options.advertise_url {
            check_advertise_url(url).map_err(StartupError::BadOption)?;
        }
        let admin_token = match (&options.admin_token, &options.admin_token_file) {
            (Some(t), _) => t.clone(),
            (None, Some(file)) => admin_token_from_file(file)?,
            (None, None) => admin_token_from_dir(&options.data_dir)?,
        };
        let guard = Arc::new(crate::http::guard::Guard::new(&options.net));
        let net = &options.net;
        let gate = crate::http::serve::Gate::new(
            crate::http::serve::connection_cap(net),
            net.max_connections_per_ip,
            net.trusted_proxies.clone(),
        );

        let metrics = Arc::<crate::metrics::Metrics>::default();
        let url = options.store.as_ref().map(|u| u.0.as_str());
        let (store, writer) = Backend::open(url, &options.data_dir, options.lease, metrics.clone()).await?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let log = wrap(store.log());
        let app = Arc::new(App {
            registry: Registry::default(),
            store,
            log,
            library,
            clock: WallClock::system(),
            options,
            admin_token,
            shutdown: shutdown_rx,
            metrics,
            guard,
            gate,
            taking_over: tokio::sync::Mutex::new(()),
            peers: std::sync::RwLock::default(),
        });
        let mut exercises = Vec::new();
        for state in replay(&app).await? {
            exercises.push(summary(&state));
            app.start_actor(state);
        }
        crate::lifecycle::restore(&app).await?;
        tracing::info!(
            scenarios = app.catalog().iter().count(),
            exercises = exercises.len(),
            data_dir = %app.options.data_dir.display(),
            store = %app.options.store.as_ref().map_or("sqlite".to_owned(), |u| u.redacted()),
            "server loaded"
        );
        Ok(Server { app, writer, shutdown, https, exercises })
    }

    /// When no exercise is open (every stored one has ended, or there are none), opens
    /// one of the `open_scenario` of the options, so a fresh start shows a join code at
    /// once. Returns the open exercises, as the startup banner lists them.
    pub async fn open_at_startup(&mut self) -> Result<Vec<ExerciseSummary>, CreateError> {
        let open = |e: &&ExerciseSummary| e.phase != crate::exercise::Phase::Ended;
        // Several instances on one store: only the first start of an empty store opens
        // one (an instance joining others runs none of their exercises here).
        let shared_and_used = match self.app.store.postgres() {
            Some(pg) => !pg.exercise_ids().await?.is_empty(),
            None => false,
        };
        if !shared_and_used && !self.exercises.iter().any(|e| open(&e)) {
            match self.app.options.open_scenario.clone() {
                Some(id) if self.app.catalog().get(&id).is_none() => {
                    tracing::warn!(scenario = %id, "no exercise opened at startup: that scenario is not loaded");
                }
                Some(id) => {
                    let (_, handle) = self.app.create_exercise(&id).await?;
                    // The actor's own summary: what it holds, not a copy made up here.
                    let summary = handle.summary().await?;
                    self.exercises.push(summary);
                }
                None => {}
            }
        }
        Ok(self.exercises.iter().filter(open).cloned().collect())
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
        let Server { app, writer, shutdown, https, .. } = self;
        let router = crate::http::router(app.clone());
        if let Some(every) = app.options.scenarios_poll {
            tokio::spawn(crate::library::watch_folder(app.library.clone(), every, app.shutdown.clone()));
        }
        #[cfg(unix)]
        tokio::spawn(crate::library::reload_on_hangup(app.library.clone(), app.shutdown.clone()));
        tokio::spawn(crate::http::guard::prune_every_minute(app.guard.clone(), app.shutdown.clone()));
        let leases = app.store.postgres().is_some().then(|| {
            let url = advertised_url(&app, &listener, https.is_some());
            tokio::spawn(crate::ownership::keep_leases(app.clone(), url, app.shutdown.clone()))
        });
        let metrics = match app.options.metrics_addr {
            Some(addr) => Some(crate::http::metrics::serve_apart(app.clone(), bind(addr)?)?),
            None => None,
        };
        let shutdown_tx = shutdown.clone();
        tokio::spawn(async move {
            signal.await;
            tracing::info!("shutting down: closing sockets");
            let _ = shutdown_tx.send(true);
        });
        let net = app.options.net.clone();
        let gate = app.gate.clone();
        tracing::info!(
            max_connections = gate.max_total(),
            max_connections_per_ip = net.max_connections_per_ip,
            "accepting"
        );
        let (router, tls) = match https {
            None => (router, None),
            Some(https) => {
                let handshake = https.start(listener.local_addr()?, &app);
                (crate::http::tls::with_hsts(router), Some(handshake))
            }
        };
        let served = crate::http::serve::serve(listener, router, tls, net, gate, app.shutdown.clone()).await;
        let _ = shutdown.send(true);
        if let Some(metrics) = metrics {
            let _ = metrics.await;
        }
        if let Some(leases) = leases {
            let _ = leases.await;
        }
        app.registry.clear();
        drop(app);
        if tokio::time::timeout(Duration::from_secs(10), writer.join()).await.is_err() {
            tracing::warn!("the store writer did not stop within 10 s");
        }
        tracing::info!("stopped");
        served
    }
}

impl App {
    /// The scenarios offered now (a reload swaps in a new catalog; this one stays whole).
    pub fn catalog(&self) -> Catalog {
        self.library.current().catalog.clone()
    }

    /// Creates an exercise from a loaded scenario: stores its first event, starts its actor.
    pub async fn create_exercise(&self, scenario_id: &str) -> Result<(Created, ExerciseHandle), CreateError> {
        self.create_exercise_with_codes(scenario_id, new_join_code).await
    }

    /// [`App::create_exercise`], drawing join codes from `draw` until one is free. The
    /// code is claimed in the registry before the first event is stored with it, so two
    /// exercises created at once never share one, and a clash draws again.
    pub async fn create_exercise_with_codes(
        &self,
        scenario_id: &str,
        mut draw: impl FnMut() -> String,
    ) -> Result<(Created, ExerciseHandle), CreateError> {
        // The scenario as offered now: the exercise keeps this snapshot whatever is reloaded later.
        let catalog = self.catalog();
        let scenario = catalog.get(scenario_id).ok_or_else(|| CreateError::UnknownScenario(scenario_id.to_owned()))?;
        let exercise_id = ExerciseId::new();
        let join_code = self.free_join_code(exercise_id, &mut draw).await?;
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
        let files = scenario
            .files()
            .map(|(c, bytes)| FileRow { hash: c.hash.clone(), media_type: c.media_type.clone(), bytes: bytes.clone() })
            .collect();
        // The instance that creates an exercise owns it (with SQLite, always this one).
        let claim = Change::ClaimCode { code: join_code.clone(), exercise: exercise_id };
        let stored = match self.store.claim(exercise_id).await {
            Ok(_) => {
                self.store.append_with_changes(exercise_id, std::slice::from_ref(&first), files, vec![claim]).await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = stored {
            self.registry.release_code(&join_code, exercise_id);
            if let Some(pg) = self.store.postgres() {
                let _ = pg.abandon(exercise_id).await;
            }
            return Err(e.into());
        }
        let state = State::created(&first).expect("a fresh exercise_created is a valid log");
        let handle = self.start_actor(state);
        tracing::info!(exercise = %exercise_id, scenario = %scenario_id, "exercise created");
        Ok((Created { exercise_id, join_code, facilitator_key }, handle))
    }

    /// Draws join codes until one is free here and, with PostgreSQL, on every instance
    /// (the store's unique code still refuses a code another instance claims meanwhile).
    async fn free_join_code(
        &self,
        exercise_id: ExerciseId,
        draw: &mut impl FnMut() -> String,
    ) -> Result<String, CreateError> {
        for _ in 0..JOIN_CODE_DRAWS {
            let code = draw();
            if !self.registry.reserve_code(&code, exercise_id) {
                continue;
            }
            match self.store.postgres() {
                Some(pg) if pg.code_holder(&code).await?.is_some() => self.registry.release_code(&code, exercise_id),
                _ => return Ok(code),
            }
        }
        Err(CreateError::NoJoinCode(JOIN_CODE_DRAWS))
    }

    pub(crate) fn start_actor(&self, state: State) -> ExerciseHandle {
        let limits = &self.options.limits;
        let handle = actor::spawn(state, self.log.clone(), self.clock, Arc::new(limits.rules.clone()), limits.actor);
        if !self.registry.insert(handle.clone()) {
            tracing::warn!(exercise = %handle.id, "join code already in use by another exercise; open it by id");
        }
        handle
    }

    /// Reads an exercise's stored log (committed events only).
    pub async fn load_log(&self, exercise: ExerciseId) -> Result<Vec<Recorded>, StoreError> {
        self.store.load(exercise).await
    }
}

/// The exercises to run here at startup: with SQLite every stored one (replayed on
/// every core); with PostgreSQL those this instance can claim (no live owner).
async fn replay(app: &App) -> Result<Vec<State>, StartupError> {
    match &app.store {
        Backend::Sqlite(store) => {
            let store = store.clone();
            tokio::task::spawn_blocking(move || replay_all(&store)).await.unwrap_or(Err(StoreError::Closed.into()))
        }
        Backend::Postgres(pg) => {
            let mut states = Vec::new();
            for exercise in pg.exercise_ids().await? {
                if !pg.claim(exercise).await? {
                    continue;
                }
                let log = pg.load(exercise).await?;
                let state =
                    State::replay(&log).map_err(|e| StartupError::Replay { exercise, reason: e.to_string() })?;
                states.push(state);
            }
            Ok(states)
        }
    }
}

/// `--advertise-url` is `http(s)://host[:port]`, nothing more (clients add `/ws` and
/// paths to it).
fn check_advertise_url(url: &str) -> Result<(), String> {
    let bad = || format!("--advertise-url {url:?}: give http(s)://host[:port], with no path");
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or_else(bad)?;
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad());
    }
    Ok(())
}

/// The address other instances send this one's clients to: `--advertise-url`, else the
/// listening address (with a warning when that is a wildcard no client can reach).
fn advertised_url(app: &App, listener: &TcpListener, https: bool) -> String {
    if let Some(url) = &app.options.advertise_url {
        return url.trim_end_matches('/').to_owned();
    }
    let addr = listener.local_addr().map_or_else(|_| "127.0.0.1:0".into(), |a| a.to_string());
    if addr.starts_with("0.0.0.0") || addr.starts_with("[::]") {
        tracing::warn!(%addr, "listening on every address without --advertise-url: other instances cannot send clients here");
    }
    format!("{}://{addr}", if https { "https" } else { "http" })
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

/// Keeps the data dir private: it holds keys and resume tokens. Creates it 0700 (and an
/// empty store file 0600, whose mode SQLite gives its -wal and -shm); an existing dir or
/// file readable by others is set back to 0700/0600 with a warning. Modes are set
/// explicitly, whatever the umask.
#[cfg(unix)]
fn private_data_dir(data_dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if !data_dir.exists() {
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(data_dir)?;
    }
    let private = |path: &Path, mode: u32| -> std::io::Result<()> {
        let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "readable by others; made private ({mode:o})");
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
        Ok(())
    };
    private(data_dir, 0o700)?;
    let db = data_dir.join(crate::store::sqlite::DB_FILE);
    if !db.exists() {
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&db)?;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600))?;
    }
    for file in [crate::store::sqlite::DB_FILE, "tabletop.db-wal", "tabletop.db-shm", ADMIN_TOKEN_FILE] {
        private(&data_dir.join(file), 0o600)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_data_dir(data_dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)
}

/// Reads the admin token from `--admin-token-file` (trimmed; an empty file is an error).
fn admin_token_from_file(path: &Path) -> Result<String, StartupError> {
    let fail = |source| StartupError::AdminToken { path: path.display().to_string(), source };
    let token = std::fs::read_to_string(path).map_err(fail)?;
    match token.trim() {
        "" => Err(fail(std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is empty"))),
        t => Ok(t.to_owned()),
    }
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options(data_dir: &Path) -> ServerOptions {
        let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios");
        let mut options = ServerOptions::new(data_dir, scenarios);
        options.admin_token = Some("admin".into());
        options
    }

    #[test]
    fn an_advertised_url_is_a_scheme_and_an_authority() {
        assert!(check_advertise_url("https://tabletop-1.example.org").is_ok());
        assert!(check_advertise_url("http://10.0.0.5:8080/").is_ok());
        for bad in ["tabletop-1.example.org", "https://", "https://a.example/ws", "ftp://a", "https://u@a.example"] {
            assert!(check_advertise_url(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_join_code_clash_at_creation_draws_again_and_both_exercises_stay_reachable() {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::new(options(dir.path())).await.unwrap();
        let app = server.app();
        let (first, _) = app.create_exercise_with_codes("quick-demo", || "AAAAAAAA".into()).await.unwrap();
        let mut codes = ["AAAAAAAA", "BBBBBBBB"].into_iter().map(str::to_owned);
        let (second, _) = app.create_exercise_with_codes("quick-demo", || codes.next().unwrap()).await.unwrap();
        assert_eq!((first.join_code.as_str(), second.join_code.as_str()), ("AAAAAAAA", "BBBBBBBB"));
        assert_eq!(app.registry.by_code("AAAAAAAA").unwrap().id, first.exercise_id);
        assert_eq!(app.registry.by_code("BBBBBBBB").unwrap().id, second.exercise_id);
        assert!(app.registry.get(second.exercise_id).is_some());

        let always_taken = app.create_exercise_with_codes("quick-demo", || "AAAAAAAA".into()).await;
        assert!(matches!(always_taken, Err(CreateError::NoJoinCode(_))));
        assert_eq!(app.registry.ids().len(), 2, "nothing half-made was left behind");
    }

    #[tokio::test]
    async fn the_startup_exercise_is_the_actors_own_summary_and_is_opened_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = options(dir.path());
        options.open_scenario = Some("quick-demo".into());
        let before = WallClock::system().now_ms();
        let mut server = Server::new(options.clone()).await.unwrap();
        let open = server.open_at_startup().await.unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].scenario_id, "quick-demo");
        assert!(open[0].created_wall_ms >= before, "a real creation time, not a made-up one");
        assert_eq!(server.app().registry.by_code(&open[0].join_code).unwrap().id, open[0].exercise_id);
        let again = server.open_at_startup().await.unwrap();
        assert_eq!(again.len(), 1, "an open exercise is not opened twice");
        assert_eq!(again[0].exercise_id, open[0].exercise_id);
    }
}
