//! The `tabletop` command: serve (the default), validate scenario files, list scenarios.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tabletop::config::ServeArgs;
use tabletop::scenario::{Catalog, load};
use tabletop::{Server, ServerOptions};

/// Live, multi-user cyber-resilience tabletop exercises.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run the server (the default).
    Serve(ServeArgs),
    /// Check scenario files; prints FILE:LINE:COL: message per problem, exits 1 on any.
    Validate {
        /// Scenario files (.toml or .json).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the scenarios the server would load (the shipped ones when the folder is missing).
    Scenarios {
        /// Folder of scenario files.
        #[arg(long, env = "TABLETOP_SCENARIOS", default_value = "./scenarios")]
        scenarios: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve),
        Some(Cmd::Serve(args)) => serve(args),
        Some(Cmd::Validate { files }) => validate(&files),
        Some(Cmd::Scenarios { scenarios }) => list_scenarios(&scenarios),
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match load::load_file(file) {
            Ok(s) => {
                eprintln!("{}: ok ({}: {} groups, {} injects)", file.display(), s.id, s.groups.len(), s.injects.len())
            }
            Err(problems) => {
                ok = false;
                for p in problems {
                    println!("{p}");
                }
            }
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn list_scenarios(dir: &std::path::Path) -> ExitCode {
    if !dir.is_dir() {
        eprintln!("{}: no such folder; listing the scenarios shipped in the binary", dir.display());
    }
    let (catalog, problems) = Catalog::load(dir);
    for s in catalog.iter() {
        let timed = s.injects.iter().filter(|i| i.at.is_some()).count();
        println!(
            "{:<20} {} ({} min, {} groups, {} timed + {} contingency injects)",
            s.id,
            s.title,
            s.duration_minutes,
            s.groups.len(),
            timed,
            s.injects.len() - timed
        );
    }
    for p in &problems {
        eprintln!("skipped: {p}");
    }
    if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "tabletop=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tabletop: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tabletop: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let options = ServerOptions::from(&args);
    let open = options.open_scenario.clone();
    let mut server = Server::new(options)?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
    let base = format!("http://{}", listener.local_addr()?);
    let mut open_exercises: Vec<_> =
        server.exercises.iter().filter(|e| e.phase != tabletop::exercise::Phase::Ended).cloned().collect();
    if open_exercises.is_empty() {
        if let Some(missing) = open.as_ref().filter(|s| server.app().catalog.get(s).is_none()) {
            tracing::warn!(scenario = %missing, "no exercise opened at startup: that scenario is not loaded");
        }
        if let Some(scenario) = open.filter(|s| server.app().catalog.get(s).is_some()) {
            let created = server.app().create_exercise(&scenario).await?;
            let state_like = tabletop::server::ExerciseSummary {
                exercise_id: created.exercise_id,
                scenario_id: scenario.clone(),
                title: server.app().catalog.get(&scenario).map(|s| s.title.clone()).unwrap_or_default(),
                phase: tabletop::exercise::Phase::Lobby,
                join_code: created.join_code,
                created_wall_ms: 0,
                participants: 0,
                facilitator_key: created.facilitator_key,
            };
            server.exercises.push(state_like.clone());
            open_exercises.push(state_like);
        }
    }
    print_banner(&base, &server.app().admin_token, &open_exercises);
    server.listen(listener, shutdown_signal()).await?;
    Ok(())
}

/// What a facilitator needs, on stdout (never in the logs): like Jupyter's token URL.
fn print_banner(base: &str, admin_token: &str, open: &[tabletop::server::ExerciseSummary]) {
    println!();
    println!("tabletop {} listening on {base}", env!("CARGO_PKG_VERSION"));
    println!("  Facilitator: {base}/facilitator?token={admin_token}");
    for e in open {
        println!("  Exercise:    {} ({}) id {}", e.title, e.phase.as_str(), e.exercise_id);
        println!("  Join code:   {}   participants open {base}/join/{}", e.join_code, e.join_code);
        println!("  Facilitator key for this exercise: {}", e.facilitator_key);
    }
    println!();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
