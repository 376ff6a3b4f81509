//! The server under load: either a real `tabletop` child the tool starts on a temporary
//! data dir (and can read `/proc` figures of), or a running server given by `--url`.
//!
//! The child is started as a user would (`tabletop serve --addr 127.0.0.1:0 …`), its
//! banner is read from stdout for the address, its stderr is passed through with a
//! `server:` prefix, and it is killed when the [`Target`] is dropped, on Ctrl-C (the run
//! is dropped) and on a panic (see [`crate::sys::kill_children_on_panic`]).
//!
//! With `--instances N` the tool starts N such children on one shared PostgreSQL store
//! (issue 17): the first is the front every client connects to, as behind a load
//! balancer without sticky sessions, and the exercises are created round-robin over all
//! of them (the instance that creates an exercise owns it), so a client whose exercise
//! lives elsewhere follows the close 4307 there ([`crate::client::hello_following`]).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use rand::Rng;
use serde_json::{Value, json};

use crate::http::Endpoint;
use crate::{scenario, sys};

/// Where the load goes: flags shared by every scenario.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Load a running server (http://host:port) instead of starting one; needs --admin-token.
    /// Its memory and CPU cannot be read then. It must have the load scenario (see write-scenario).
    #[arg(long, global = true)]
    pub url: Option<String>,
    /// Admin token of the --url server.
    #[arg(long, global = true, hide_env_values = true)]
    pub admin_token: Option<String>,
    /// The tabletop binary to start [default: `tabletop` next to this tool's executable].
    #[arg(long, global = true)]
    pub server_bin: Option<PathBuf>,
    /// RUST_LOG of the started server.
    #[arg(long, global = true, default_value = "warn")]
    pub server_log: String,
    /// Extra argument for the started server, repeatable (e.g. --server-arg=--max-participants=20000).
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub server_arg: Vec<String>,
    /// Seconds to wait for the started server's banner.
    #[arg(long, global = true, default_value_t = 120)]
    pub start_timeout_secs: u64,
    /// Connections being opened at once while ramping up (the server's listen backlog is
    /// 4096; a server with a smaller one makes the excess connects wait for a SYN retry).
    #[arg(long, global = true, default_value_t = 200)]
    pub connect_concurrency: usize,
    /// Loopback source addresses (127.0.0.1, 127.0.0.2, …) to spread connections over
    /// [default: one per 25,000 connections].
    #[arg(long, global = true)]
    pub source_addrs: Option<usize>,
    /// Start this many server instances on one PostgreSQL store (needs
    /// --server-arg=--store=postgres://…): clients connect to the first, exercises are
    /// created round-robin over all of them (the creator owns one), so clients of an
    /// exercise on another instance are sent there (close 4307).
    #[arg(long, global = true, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub instances: u16,
    /// Start the server with the limits a fresh install has (`abuse`), not the ones load
    /// from one address needs.
    #[arg(skip)]
    pub default_limits: bool,
}

/// What load from one address needs of a server the tool starts, each unless `given`
/// sets it already: no per-address connection cap or join rate (every client is on
/// loopback), and per-participant answer quotas far above what a closed loop sends
/// (`respond` answers flat out for as long as it is asked to).
fn single_ip_flags(given: &[String]) -> Vec<&'static str> {
    const UNLIMITED: &str = "1000000000000";
    [
        ("--max-connections-per-ip", "0"),
        ("--joins-per-ip-per-minute", "0"),
        ("--answers-per-minute", UNLIMITED),
        ("--answers-per-inject", UNLIMITED),
        ("--participant-answer-bytes", UNLIMITED),
        ("--exercise-answer-bytes", UNLIMITED),
    ]
    .into_iter()
    .filter(|(flag, _)| !given.iter().any(|g| g.starts_with(flag)))
    .flat_map(|(flag, value)| [flag, value])
    .collect()
}

/// An exercise created for the load: what the protocol needs to drive it.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The exercise id.
    pub id: String,
    /// The join code.
    pub join_code: String,
    /// The facilitator key.
    pub key: String,
}

/// The server under load.
#[derive(Debug)]
pub struct Target {
    /// Where it listens (with `--instances`: the front, where every client connects).
    pub endpoint: Endpoint,
    /// Its admin token.
    pub admin_token: String,
    /// The child process, when the tool started it.
    pub server: Option<ServerProcess>,
    /// The other instances on the same store (`--instances` N > 1: N - 1 of them, each
    /// with the same admin token). Exercises are created round-robin over this one and
    /// these; clients only ever connect here.
    pub peers: Vec<Target>,
    /// Exercises created on each instance (this one first, then the peers).
    created: Mutex<Vec<usize>>,
}

/// A `tabletop` child process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// Its pid.
    pub pid: u32,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    _temp: Vec<TempDir>,
}

/// What the started server printed: its address and the exercises it opened.
#[derive(Debug, Default)]
pub struct Banner {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Exercises listed in the banner (opened at startup or found in the data dir).
    pub exercises: Vec<Exercise>,
}

/// A folder removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty folder under the system's temporary folder.
    pub fn new(label: &str) -> Result<Self> {
        let name = format!("tabletop-load-{}-{label}-{:08x}", std::process::id(), rand::rng().random::<u32>());
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Self(path))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A random admin token for a started server.
fn random_token() -> String {
    rand::rng().sample_iter(rand::distr::Alphanumeric).take(40).map(char::from).collect()
}

impl Target {
    /// The `--url` server, or a started one on temporary folders.
    pub async fn from_args(args: &TargetArgs) -> Result<Self> {
        match &args.url {
            Some(url) => {
                let Some(token) = args.admin_token.clone() else {
                    bail!("--url needs --admin-token (the server's admin token, to create exercises)");
                };
                let endpoint = Endpoint::parse(url).await?;
                let (status, _) = endpoint
                    .request("GET", "/healthz", None, None)
                    .await
                    .with_context(|| format!("the server at {url} does not answer"))?;
                if status != 200 {
                    bail!("{url}/healthz answered {status}, not 200");
                }
                if args.instances > 1 {
                    bail!("--instances starts the servers itself: it cannot be used with --url");
                }
                crate::progress!("target: {url} (not started by the tool: no memory or CPU figures)");
                Ok(Self::new(endpoint, token, None, Vec::new()))
            }
            None if args.instances > 1 => Self::start_instances(args).await,
            None => {
                let data = TempDir::new("data")?;
                let path = data.path().to_path_buf();
                let (target, _) = Self::start(args, &path, "", vec![data]).await?;
                Ok(target)
            }
        }
    }

    fn new(endpoint: Endpoint, admin_token: String, server: Option<ServerProcess>, peers: Vec<Target>) -> Self {
        let created = Mutex::new(vec![0; 1 + peers.len()]);
        Self { endpoint, admin_token, server, peers, created }
    }

    /// Starts `--instances` servers on the store of `--server-arg=--store=…`, one after
    /// the other (the first creates the schema), each on its own temporary data dir and
    /// with the same admin token.
    async fn start_instances(args: &TargetArgs) -> Result<Self> {
        let n = usize::from(args.instances);
        if !args.server_arg.iter().any(|a| a.starts_with("--store")) {
            bail!(
                "--instances {n} needs the instances to share a PostgreSQL store: add \
                 --server-arg=--store=postgres://USER@HOST:PORT/DB (with SQLite each instance would have its own data)"
            );
        }
        let token = random_token();
        let mut started = Vec::with_capacity(n);
        for i in 0..n {
            let data = TempDir::new(&format!("data{}", i + 1))?;
            let path = data.path().to_path_buf();
            let label = format!("server {}", i + 1);
            let (target, _) = Self::spawn(args, &path, "", vec![data], &token, &label).await?;
            crate::progress!("instance {} of {n}: {}", i + 1, target.endpoint.base());
            started.push(target);
        }
        let mut front = started.remove(0);
        front.peers = started;
        front.created = Mutex::new(vec![0; n]);
        crate::progress!(
            "{n} instances on one store; clients connect to the first ({}) and follow exercises to their owner",
            front.endpoint.base()
        );
        Ok(front)
    }

    /// Starts the `tabletop` binary on `data_dir` with a temporary scenarios folder holding
    /// the load scenario; `open` is its `--open` (a scenario id, or "" for none). `temp`
    /// folders are removed when the server is dropped.
    pub async fn start(args: &TargetArgs, data_dir: &Path, open: &str, temp: Vec<TempDir>) -> Result<(Self, Banner)> {
        Self::spawn(args, data_dir, open, temp, &random_token(), "server").await
    }

    /// [`Target::start`] with a given admin token; its stderr lines start with `label`.
    async fn spawn(
        args: &TargetArgs,
        data_dir: &Path,
        open: &str,
        mut temp: Vec<TempDir>,
        token: &str,
        label: &str,
    ) -> Result<(Self, Banner)> {
        let bin = server_bin(args)?;
        let scenarios = TempDir::new("scenarios")?;
        scenario::write(scenarios.path())?;
        let mut cmd = Command::new(&bin);
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--open", open])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--scenarios")
            .arg(scenarios.path())
            // All the load comes from one address (or a few loopback ones): no cap per
            // address and no join rate, as a large room behind one NAT would need
            // (docs/operations.md); unless --server-arg sets them.
            .args(if args.default_limits { Vec::new() } else { single_ip_flags(&args.server_arg) })
            .args(&args.server_arg)
            // The token goes through the environment (same as --admin-token) so it does
            // not show in the process list.
            .env("TABLETOP_ADMIN_TOKEN", token)
            .env("RUST_LOG", &args.server_log)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().with_context(|| format!("cannot start the server {}", bin.display()))?;
        let pid = child.id();
        sys::register_child(pid);
        temp.push(scenarios);
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        forward_stderr(child.stderr.take().expect("piped stderr"), label.to_owned(), stderr_tail.clone());
        let banner = read_banner(child.stdout.take().expect("piped stdout"));
        let mut server = ServerProcess { child, pid, stderr_tail, _temp: temp };
        let banner = match tokio::time::timeout(Duration::from_secs(args.start_timeout_secs), banner).await {
            Ok(Ok(b)) => b,
            Ok(Err(_)) => {
                let status = server.child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                bail!("the server would not start ({status}); its last words:\n{}", server.tail());
            }
            Err(_) => bail!(
                "the server printed no banner within {} s; its last words:\n{}",
                args.start_timeout_secs,
                server.tail()
            ),
        };
        let addr = banner.base.strip_prefix("http://").context("the banner's address is not http://")?;
        let endpoint = Endpoint::local(addr.parse().with_context(|| format!("bad address in the banner: {addr}"))?);
        Ok((Self::new(endpoint, token.to_owned(), Some(server), Vec::new()), banner))
    }

    /// `ws://host:port/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.endpoint.authority)
    }

    /// The child's pid, when the tool started the server (the front's, with `--instances`).
    pub fn pid(&self) -> Option<u32> {
        self.server.as_ref().map(|s| s.pid)
    }

    /// The pids of every instance the tool started (empty with `--url`).
    pub fn pids(&self) -> Vec<u32> {
        self.instances().filter_map(Target::pid).collect()
    }

    /// Every instance: this one (the front), then the peers.
    fn instances(&self) -> impl Iterator<Item = &Target> {
        std::iter::once(self).chain(&self.peers)
    }

    /// The server's resident memory (KiB), when it is a child; summed over every
    /// instance with `--instances`.
    pub fn rss_kib(&self) -> Option<u64> {
        let pids = self.pids();
        if pids.is_empty() {
            return None;
        }
        pids.into_iter().map(sys::rss_kib).sum()
    }

    /// Measures the server's CPU (summed over every instance with `--instances`).
    pub fn cpu_meter(&self) -> sys::CpuMeter {
        sys::CpuMeter::start_all(self.pids())
    }

    /// Why memory and CPU figures are missing, or what they cover, if it needs saying.
    pub fn proc_note(&self) -> Option<String> {
        if self.server.is_none() {
            return Some("the server was not started by the tool (--url): no /proc memory or CPU figures".into());
        }
        (!self.peers.is_empty()).then(|| {
            format!(
                "server CPU and RSS are summed over the {} instances (PostgreSQL's own processes not included)",
                self.peers.len() + 1
            )
        })
    }

    /// How many instances serve the load (1 unless `--instances`).
    pub fn instance_count(&self) -> usize {
        1 + self.peers.len()
    }

    /// The exercises created on each instance, front first: `[(base URL, count)]`.
    pub fn placement(&self) -> Vec<(String, usize)> {
        let created = self.created.lock().unwrap_or_else(|e| e.into_inner()).clone();
        self.instances().map(|t| t.endpoint.base()).zip(created).collect()
    }

    /// [`Target::placement`] as one line: `front http://… 25, http://… 25`.
    pub fn placement_line(&self) -> String {
        self.placement()
            .iter()
            .enumerate()
            .map(|(i, (base, n))| format!("{}{base} {n}", if i == 0 { "front " } else { "" }))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Creates `n` exercises of the load scenario through `POST /api/exercises`, the
    /// `i`-th on instance `i mod N` with `--instances` N (which then owns it).
    pub async fn create_exercises(&self, n: usize) -> Result<Vec<Exercise>> {
        let instances: Vec<&Target> = self.instances().collect();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let at = i % instances.len();
            out.push(instances[at].create_exercise(&self.admin_token).await?);
            self.created.lock().unwrap_or_else(|e| e.into_inner())[at] += 1;
        }
        if !self.peers.is_empty() {
            crate::progress!("exercises created per instance: {}", self.placement_line());
        }
        Ok(out)
    }

    async fn create_exercise(&self, admin_token: &str) -> Result<Exercise> {
        let body = json!({ "scenario_id": scenario::ID }).to_string();
        let (status, text) = self.endpoint.request("POST", "/api/exercises", Some(admin_token), Some(&body)).await?;
        if status == 422 {
            bail!(
                "the server has no scenario \"{}\": put it in its scenarios folder (tabletop-load write-scenario DIR)",
                scenario::ID
            );
        }
        if status != 201 {
            bail!("POST /api/exercises answered {status}: {text}");
        }
        let v: Value = serde_json::from_str(&text).context("POST /api/exercises: not JSON")?;
        let field = |k: &str| v[k].as_str().map(str::to_owned).with_context(|| format!("no {k} in {text}"));
        Ok(Exercise { id: field("exercise_id")?, join_code: field("join_code")?, key: field("facilitator_key")? })
    }

    /// `GET /api/exercises/{id}/timeline` with the facilitator key, asked of the front
    /// and following its 307 to the instance that owns the exercise; gives the timeline
    /// and the base URL of the instance that answered.
    pub async fn timeline(&self, ex: &Exercise) -> Result<(Value, String)> {
        let path = format!("/api/exercises/{}/timeline", ex.id);
        let (status, text, at) = self.endpoint.request_following("GET", &path, Some(&ex.key), None).await?;
        if status != 200 {
            bail!("GET {}{path} answered {status}: {text}", at.base());
        }
        let timeline = serde_json::from_str(&text).with_context(|| format!("GET {}{path}: not JSON", at.base()))?;
        Ok((timeline, at.base()))
    }

    /// Stops the started servers gracefully (SIGTERM to all at once, then SIGKILL after
    /// 10 s).
    pub async fn stop(mut self) {
        let mut servers: Vec<ServerProcess> = self.server.take().into_iter().collect();
        servers.extend(self.peers.iter_mut().filter_map(|t| t.server.take()));
        for server in &servers {
            sys::terminate(server.pid);
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            servers.retain_mut(|s| !matches!(s.child.try_wait(), Ok(Some(_))));
            if servers.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        drop(servers);
    }
}

impl ServerProcess {
    fn tail(&self) -> String {
        let tail = self.stderr_tail.lock().unwrap_or_else(|e| e.into_inner());
        if tail.is_empty() { "  (nothing on stderr)".into() } else { tail.iter().map(|l| format!("  {l}\n")).collect() }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        sys::unregister_child(self.pid);
    }
}

fn server_bin(args: &TargetArgs) -> Result<PathBuf> {
    let bin = match &args.server_bin {
        Some(b) => b.clone(),
        None => {
            let me = std::env::current_exe().context("cannot find this tool's executable")?;
            me.with_file_name(format!("tabletop{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !bin.is_file() {
        bail!(
            "no tabletop server binary at {}: build it (cargo build --release) or pass --server-bin PATH",
            bin.display()
        );
    }
    Ok(bin)
}

/// Passes the child's stderr through (prefixed) and keeps its last lines for errors.
fn forward_stderr(stderr: std::process::ChildStderr, label: String, tail: Arc<Mutex<VecDeque<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{label}: {line}");
            let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
            if t.len() == 30 {
                t.pop_front();
            }
            t.push_back(line);
        }
    });
}

/// Reads the banner from the child's stdout on a thread (which then keeps draining it).
fn read_banner(stdout: std::process::ChildStdout) -> tokio::sync::oneshot::Receiver<Banner> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
        let mut banner = Banner::default();
        for line in lines.by_ref() {
            if let Some(base) = line.split("listening on ").nth(1) {
                banner.base = base.trim().to_owned();
            } else if banner.base.is_empty() {
                continue;
            } else if line.trim().is_empty() {
                break;
            } else if let Some(rest) = line.trim().strip_prefix("Exercise:") {
                let id = rest.rsplit(" id ").next().unwrap_or("").trim().to_owned();
                banner.exercises.push(Exercise { id, join_code: String::new(), key: String::new() });
            } else if let Some(rest) = line.trim().strip_prefix("Join code:") {
                if let Some(ex) = banner.exercises.last_mut() {
                    ex.join_code = rest.split_whitespace().next().unwrap_or("").to_owned();
                }
            } else if let Some(rest) = line.trim().strip_prefix("Facilitator key for this exercise:")
                && let Some(ex) = banner.exercises.last_mut()
            {
                ex.key = rest.trim().to_owned();
            }
        }
        if !banner.base.is_empty() {
            let _ = tx.send(banner);
        }
        for _ in lines {}
    });
    rx
}
