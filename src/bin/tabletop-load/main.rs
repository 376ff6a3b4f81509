//! `tabletop-load`: puts a real tabletop server under load through its public protocol
//! (the HTTP API and the websocket messages of docs/protocol.md) and reports latency,
//! throughput, memory and CPU.
//!
//! By default it starts the `tabletop` binary next to its own executable on a temporary
//! data dir, on 127.0.0.1 with a random admin token; `--url` loads a running server
//! instead, and `--instances N` starts N servers on one PostgreSQL store (the clients
//! connect to the first and follow their exercise to the instance that owns it). Progress goes to stderr; results go to stdout as a table followed by
//! exactly one line of JSON. The exit code is 0 when every check passed, 1 when a check
//! failed (a lost or duplicated inject or answer), 2 on an error.
//!
//! Modules: [`target`] (the server child or `--url`), [`client`] (websocket clients),
//! [`http`] (the few API calls), [`stats`] (histograms and output), [`scenario`] (the
//! load scenario), [`sys`] (open-file limit, `/proc`, killing children), and one module
//! per scenario: [`hold`], [`fanout`], [`respond`], [`baseline`], [`startup`], and
//! [`abuse`] (the abuse probe's findings replayed).

/// Prints a progress line on stderr (see [`stats::progress`]).
#[macro_export]
macro_rules! progress {
    ($($arg:tt)*) => { $crate::stats::progress(format_args!($($arg)*)) };
}

mod abuse;
mod baseline;
mod client;
mod fanout;
mod hold;
mod http;
mod respond;
mod scenario;
mod startup;
mod stats;
mod sys;
mod target;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Load tests for the tabletop server, through its public protocol only.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
    #[command(flatten)]
    target: target::TargetArgs,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Many idle participants: ramp rate, server memory per connection, idle CPU.
    Hold(hold::HoldArgs),
    /// Inject fan-out: release → push latency per round; every inject exactly once.
    Fanout(fanout::FanoutArgs),
    /// Answers: durable answers/s and send → ack latency; every answer acked once and stored.
    Respond(respond::RespondArgs),
    /// The fan-out against a bare websocket broadcast server (a child process).
    Baseline(baseline::BaselineArgs),
    /// The bare broadcast server itself (started by `baseline` and `--with-baseline`).
    #[command(hide = true)]
    ServeBaseline,
    /// Replays the abuse probe's findings against default limits: held or not, each.
    Abuse(abuse::AbuseArgs),
    /// Time from spawning the server to its first welcome, with a big event log.
    Startup(startup::StartupArgs),
    /// Write the load scenario file into a folder (for a server loaded with --url).
    WriteScenario {
        /// The scenarios folder of the server.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    stats::start_clock();
    sys::kill_children_on_panic();
    match sys::raise_nofile_limit() {
        Ok((soft, hard)) => progress!("open-file limit {soft} (hard {hard})"),
        Err(e) => progress!("warning: cannot read the open-file limit: {e}"),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tabletop-load: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(&cli) => r,
            () = interrupted() => Err(anyhow::anyhow!("interrupted")),
        }
    });
    // The run (and with it the server child) is dropped by now; don't wait for
    // clients still winding down.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    sys::kill_all_children();
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("tabletop-load: checks failed (see the table above)");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("tabletop-load: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: &Cli) -> anyhow::Result<bool> {
    let t = &cli.target;
    match &cli.command {
        Cmd::Hold(a) => hold::run(a, t).await,
        Cmd::Fanout(a) => fanout::run(a, t).await,
        Cmd::Respond(a) => respond::run(a, t).await,
        Cmd::Baseline(a) => baseline::run(a, t).await,
        Cmd::ServeBaseline => baseline::serve_child().await,
        Cmd::Startup(a) => startup::run(a, t).await,
        Cmd::Abuse(a) => abuse::run(a, t).await,
        Cmd::WriteScenario { dir } => {
            scenario::write(dir)?;
            println!("{}", dir.join(scenario::FILE).display());
            Ok(true)
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn interrupted() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        () = term => {},
    }
}
