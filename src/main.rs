//! The `tabletop` command: serve (the default), validate scenario files, list scenarios,
//! export an exercise's after-action report from the data dir, print a scenario's exercise pack,
//! back up the event store.

mod banner;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tabletop::config::{LogFormat, ServeArgs};
use tabletop::debrief::export::{Format, export, parse_attribution, parse_language};
use tabletop::events::Recorded;
use tabletop::ids::ExerciseId;
use tabletop::scenario::{Catalog, load, msel};
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
    Serve(Box<ServeArgs>),
    /// Check scenario files; prints FILE:LINE:COL: message per problem, then
    /// FILE:LINE:COL: warning: message per lint warning; exits 1 on any problem (and on
    /// any warning with --deny-warnings).
    Validate {
        /// Scenario files (.toml or .json).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Exit 1 when there are warnings, too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// List the scenarios the server would load (the shipped ones when the folder is missing).
    Scenarios {
        /// Folder of scenario files.
        #[arg(long, env = "TABLETOP_SCENARIOS", default_value = "./scenarios")]
        scenarios: PathBuf,
    },
    /// Export an exercise's after-action report (md, csv, json, html, pdf, plan-csv,
    /// plan-json) from the data dir; works with the server stopped.
    Export(ExportArgs),
    /// List, archive, unarchive or delete exercises of a stopped server's data dir.
    Exercises(tabletop::lifecycle::cli::ExercisesArgs),
    /// MSEL spreadsheets: a scenario's injects as CSV, and back (docs/authoring.md).
    #[command(subcommand)]
    Msel(MselCmd),
    /// Print the scenario format's JSON Schema (scenarios/scenario.schema.json).
    Schema,
    /// Copy the event store to a file while the server runs (docs/operations.md).
    Backup(tabletop::store::backup::BackupArgs),
    /// Build the printable exercise pack from a scenario: situation manual, facilitator
    /// and evaluator guides, participant handouts, inject cards (docs/pack.md).
    Pack(PackArgs),
}

#[derive(Debug, Args)]
struct PackArgs {
    /// The scenario file (.toml or .json).
    scenario: PathBuf,
    /// `X.pdf`: one PDF; a folder: `pack.html` in it, and `pack.pdf` when Chromium is found.
    #[arg(long)]
    out: PathBuf,
    /// Write the pack in `en` or `fr`; default: the scenario's language.
    #[arg(long)]
    lang: Option<String>,
    /// The join address printed (with its QR code) on the participant handouts.
    #[arg(long)]
    join_url: Option<String>,
    /// Wall-clock time play starts (HH:MM): the run of show gets a clock column.
    #[arg(long)]
    start: Option<String>,
    /// Only these documents, comma-separated: sitman, guide, evaluator, handouts, cards,
    /// or `participants` (handouts and cards: nothing staff-only).
    #[arg(long)]
    only: Option<String>,
    /// Chromium binary for the PDF (a path or a name on PATH).
    #[arg(long, env = "TABLETOP_CHROMIUM")]
    chromium: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum MselCmd {
    /// Write a scenario's injects as an MSEL sheet (CSV) on stdout.
    Export {
        /// The scenario file (.toml or .json).
        scenario: PathBuf,
    },
    /// Read an MSEL sheet into a scenario file; prints FILE:ROW:COL: message per problem
    /// on stderr and exits 1 on any.
    Import {
        /// The sheet (CSV, as exported or saved by a spreadsheet).
        csv: PathBuf,
        /// Take everything but the injects from this scenario (attachment files are read
        /// from its folder; without it, from the sheet's folder).
        #[arg(long)]
        base: Option<PathBuf>,
        /// The scenario file to write; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Folder of the SQLite event store.
    #[arg(long, env = "TABLETOP_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// The exercise id (printed at startup; listed by GET /api/exercises).
    #[arg(long)]
    exercise: String,
    /// md, csv, json, html, pdf, plan-csv or plan-json.
    #[arg(long, default_value = "md")]
    format: String,
    /// Attribute answers to `group` or to `names`; default: as the scenario says.
    #[arg(long)]
    attribution: Option<String>,
    /// Write the report in `en` or `fr`; default: the scenario's language.
    #[arg(long)]
    lang: Option<String>,
    /// File to write; stdout when absent (required for pdf).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Chromium binary for pdf (a path or a name on PATH).
    #[arg(long, env = "TABLETOP_CHROMIUM")]
    chromium: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve),
        Some(Cmd::Serve(args)) => serve(*args),
        Some(Cmd::Validate { files, deny_warnings }) => validate(&files, deny_warnings),
        Some(Cmd::Scenarios { scenarios }) => list_scenarios(&scenarios),
        Some(Cmd::Msel(cmd)) => msel(cmd),
        Some(Cmd::Schema) => {
            print!("{}", tabletop::scenario::schema::json());
            ExitCode::SUCCESS
        }
        Some(Cmd::Pack(args)) => match pack(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tabletop pack: {e}");
                ExitCode::FAILURE
            }
        },
        Some(Cmd::Backup(args)) => tabletop::store::backup::command(&args),
        Some(Cmd::Exercises(args)) => tabletop::lifecycle::cli::run(&args),
        Some(Cmd::Export(args)) => match export_report(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tabletop export: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn export_report(args: &ExportArgs) -> Result<(), String> {
    let format: Format = args.format.parse().map_err(|e| format!("{e}"))?;
    let attribution = args.attribution.as_deref().map(parse_attribution).transpose().map_err(|e| e.to_string())?;
    let language = args.lang.as_deref().map(parse_language).transpose().map_err(|e| e.to_string())?;
    if format == Format::Pdf && args.out.is_none() {
        return Err("pdf is a binary file: give --out FILE".into());
    }
    let id: ExerciseId =
        args.exercise.trim().parse().map_err(|_| format!("\"{}\" is not an exercise id (a UUID)", args.exercise))?;
    let log = load_log(&args.data_dir, id)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let file = runtime
        .block_on(export(&log, format, attribution, language, args.chromium.as_deref()))
        .map_err(|e| e.to_string())?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &file.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {} ({} bytes)", path.display(), file.bytes.len());
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&file.bytes).and_then(|()| out.flush()).map_err(|e| format!("stdout: {e}"))?;
        }
    }
    Ok(())
}

/// `tabletop pack`: the pack as one PDF, or as `pack.html` (and `pack.pdf` when Chromium
/// is found) in a folder.
fn pack(args: &PackArgs) -> Result<(), String> {
    use tabletop::debrief::export::pdf;
    use tabletop::pack::{Documents, PackOptions, parse_start};
    let options = PackOptions {
        lang: args.lang.as_deref().map(parse_language).transpose().map_err(|e| e.to_string())?,
        join_url: args.join_url.clone(),
        join_code: None,
        start_minutes: args.start.as_deref().map(parse_start).transpose()?,
        documents: args.only.as_deref().map(Documents::parse).transpose()?.unwrap_or_default(),
    };
    let one_pdf = args.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let chromium = pdf::find_chromium(args.chromium.as_deref());
    if one_pdf && let Err(e) = &chromium {
        return Err(e.to_string());
    }
    let scenario = load::load_file(&args.scenario)
        .map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    let html = tabletop::pack::render(&scenario, &options);
    let print = |html: &str| -> Result<Vec<u8>, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        runtime.block_on(pdf::render(html, args.chromium.as_deref())).map_err(|e| e.to_string())
    };
    let write = |path: &std::path::Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
        Ok::<(), String>(())
    };
    if one_pdf {
        if let Some(folder) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        }
        return write(&args.out, &print(&html)?);
    }
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    write(&args.out.join("pack.html"), html.as_bytes())?;
    match chromium {
        Ok(_) => write(&args.out.join("pack.pdf"), &print(&html)?),
        Err(e) => {
            eprintln!("no pack.pdf: {e}");
            Ok(())
        }
    }
}

/// Reads one exercise's log, read-only; the data dir must hold a store already.
fn load_log(data_dir: &std::path::Path, id: ExerciseId) -> Result<Vec<Recorded>, String> {
    let log = tabletop::store::sqlite::read_exercise_log(data_dir, id).map_err(|e| e.to_string())?;
    if log.is_empty() {
        return Err(format!("no exercise {id} in {}", data_dir.display()));
    }
    Ok(log)
}

/// `tabletop msel export|import`: every problem on stderr, exit 1 on any.
fn msel(cmd: MselCmd) -> ExitCode {
    let result = match cmd {
        MselCmd::Export { scenario } => msel_export(&scenario),
        MselCmd::Import { csv, base, out } => msel_import(&csv, base.as_deref(), out.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            ExitCode::FAILURE
        }
    }
}

fn msel_export(scenario: &std::path::Path) -> Result<(), Vec<String>> {
    let strings = |errs: Vec<load::LoadError>| errs.iter().map(ToString::to_string).collect::<Vec<_>>();
    let s = load::load_file(scenario).map_err(strings)?;
    let sheet = msel::export(&s).map_err(|e| vec![format!("{}: {e}", scenario.display())])?;
    print!("{sheet}");
    Ok(())
}

fn msel_import(
    csv: &std::path::Path,
    base: Option<&std::path::Path>,
    out: Option<&std::path::Path>,
) -> Result<(), Vec<String>> {
    let strings = |errs: Vec<load::LoadError>| errs.iter().map(ToString::to_string).collect::<Vec<_>>();
    // Attachment paths are relative to the base scenario's folder, else to the sheet's.
    let folder = base.unwrap_or(csv).parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let base = base.map(load::load_file).transpose().map_err(strings)?;
    let name = csv.display().to_string();
    let source = std::fs::read_to_string(csv).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
    let read = |file: &str| std::fs::read(folder.join(file));
    let imported = msel::import(&source, &name, base.as_ref(), &read)
        .map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    match out {
        Some(path) => {
            std::fs::write(path, &imported.toml).map_err(|e| vec![format!("{}: {e}", path.display())])?;
            eprintln!("wrote {} ({} injects)", path.display(), imported.scenario.injects.len());
        }
        None => print!("{}", imported.toml),
    }
    Ok(())
}

fn validate(files: &[PathBuf], deny_warnings: bool) -> ExitCode {
    let mut ok = true;
    let mut warned = Vec::new();
    for file in files {
        match load::check_file(file) {
            Ok((s, warnings)) => {
                let sectors = match s.sectors.len() {
                    0 => String::new(),
                    n => format!(", {n} sectors"),
                };
                let warning_count = match warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                };
                eprintln!(
                    "{}: ok ({}: {} groups, {} injects{sectors}{warning_count})",
                    file.display(),
                    s.id,
                    s.groups.len(),
                    s.injects.len()
                );
                warned.extend(warnings);
            }
            Err(problems) => {
                ok = false;
                for p in problems {
                    println!("{p}");
                }
            }
        }
    }
    // Warnings after every error, so the errors come first.
    for w in &warned {
        println!("{w}");
    }
    if ok && (warned.is_empty() || !deny_warnings) { ExitCode::SUCCESS } else { ExitCode::FAILURE }
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
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "tabletop=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr);
    match args.log_format {
        LogFormat::Text => logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init(),
        LogFormat::Json => logs.json().init(),
    }
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
    // Connections are capped below the open-file limit (src/http/serve.rs): raise it first.
    if let Some(limit) = tabletop::http::serve::raise_open_file_limit() {
        tracing::debug!(limit, "open-file limit");
    }
    let stop = shutdown_signal();
    let mut server = Server::new(ServerOptions::from(&args)).await?;
    let listener =
        tabletop::server::bind(args.addr).map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr()?;
    let scheme = if args.tls.options(&args.data_dir).is_some() { "https" } else { "http" };
    let open = server.open_at_startup().await?;
    let public_url = server.app().options.public_url.clone();
    let mut lines = banner::lines(addr, public_url.as_deref(), scheme, &server.app().admin_token, &open);
    if public_url.is_none() && server.app().options.net.allowed_hosts.is_empty() {
        lines.push("  Any Host name is answered: set --public-url or --allowed-host to refuse others.".into());
    }
    print_banner(&lines);
    server.listen(listener, stop).await?;
    Ok(())
}

/// What a facilitator needs, on stdout (never in the logs): like Jupyter's token URL.
fn print_banner(lines: &[String]) {
    println!();
    for line in lines {
        println!("{line}");
    }
    println!();
}

/// Completes on SIGTERM or Ctrl-C. The handlers are installed when this is called, not
/// when it is first polled: a signal right after the banner stops the server cleanly.
fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (term, interrupt) = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(interrupt) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
