//! `startup`: how long a restart takes with a big event log. Builds a data dir of M
//! exercises holding E events in all through the crate's own store (a valid history:
//! `exercise_created`, joins, clock start, releases, answers), plus one small probe
//! exercise, then times from spawning the server to its first websocket welcome
//! (connect, `facilitate` on the probe, `welcome`): the server replays every exercise
//! before it listens, so this is the restart time without the cost of one huge welcome.
//! Afterwards it also opens the first big exercise once and reports its welcome's size.
//! With `--empty` the data dir is empty and the server opens one exercise at startup.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;
use tabletop::events::{Event, Recorded, ScenarioSnapshot};
use tabletop::ids::{ExerciseId, ParticipantId, new_join_code, new_resume_token, new_secret};
use tabletop::scenario::Scenario;
use tabletop::store::Store;

use crate::client::{self, Connector};
use crate::scenario;
use crate::stats::{Table, print_json, round3};
use crate::target::{Exercise, Target, TargetArgs, TempDir};

/// Events per store call while building.
const BATCH: usize = 10_000;

/// `startup` flags.
#[derive(Debug, Clone, Args)]
pub struct StartupArgs {
    /// Exercises in the data dir.
    #[arg(long, default_value_t = 10)]
    pub exercises: usize,
    /// Events in all (spread evenly over the exercises).
    #[arg(long, default_value_t = 100_000)]
    pub events: u64,
    /// Starts to time; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Start on an empty data dir instead (the server opens one exercise of the load scenario).
    #[arg(long)]
    pub empty: bool,
}

/// One timed start.
#[derive(Debug, Clone, Copy)]
struct Sample {
    banner: Duration,
    welcome: Duration,
    rss_kib: Option<u64>,
}

/// Runs `startup`.
pub async fn run(args: &StartupArgs, target_args: &TargetArgs) -> Result<bool> {
    if target_args.url.is_some() {
        bail!("startup starts the server itself on a prepared data dir; it cannot use --url");
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let prepared = TempDir::new("startup")?;
    let data_dir = prepared.path().join("data");
    let mut built = None;
    if !args.empty {
        if args.exercises == 0 || args.events < args.exercises as u64 {
            bail!("--events must be at least --exercises (each exercise starts with exercise_created)");
        }
        crate::progress!("building {} events over {} exercises", args.events, args.exercises);
        let t = Instant::now();
        let exercises = build(&data_dir, args.exercises, args.events).await?;
        // The probe: small, so the first welcome measures the restart, not its own size.
        let probe = build_one(&data_dir, 10).await?;
        let exercises = [vec![probe], exercises].concat();
        let took = t.elapsed();
        let bytes = dir_bytes(&data_dir);
        crate::progress!("built in {:.1} s: {:.1} MiB on disk", took.as_secs_f64(), bytes as f64 / 1048576.0);
        built = Some((exercises, took, bytes));
    }

    let mut samples = Vec::new();
    let mut large_welcome = None;
    for run in 1..=args.runs {
        let (dir, temp) = if args.empty {
            let d = TempDir::new("empty")?;
            (d.path().to_path_buf(), vec![d])
        } else {
            (data_dir.clone(), Vec::new())
        };
        let open = if args.empty { scenario::ID } else { "" };
        let spawned = Instant::now();
        let (target, banner) = Target::start(target_args, &dir, open, temp).await?;
        let to_banner = spawned.elapsed();
        let ex = match &built {
            Some((exercises, ..)) => exercises[0].clone(),
            None => banner.exercises.first().cloned().context("the server opened no exercise at startup")?,
        };
        let connector = Connector::new(target.endpoint.addr, target.ws_url(), 1, None);
        client::facilitate(&connector, &ex).await.context("the first facilitate after startup")?;
        // (`ex` is the small probe exercise, or the one the server opened.)
        let to_welcome = spawned.elapsed();
        let sample = Sample { banner: to_banner, welcome: to_welcome, rss_kib: target.rss_kib() };
        crate::progress!(
            "run {run}/{}: banner after {:.1} ms, first welcome after {:.1} ms",
            args.runs,
            ms(sample.banner),
            ms(sample.welcome)
        );
        samples.push(sample);
        if let (Some((exercises, ..)), true) = (&built, run == args.runs) {
            large_welcome = Some(match client::facilitate(&connector, &exercises[1]).await {
                Ok((_, welcome)) => Ok(welcome.to_string().len()),
                Err(e) => Err(format!("{e:#}")),
            });
        }
        target.stop().await;
    }

    let median = |f: fn(&Sample) -> Duration| {
        let mut v: Vec<Duration> = samples.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let (welcome, banner) = (median(|s| s.welcome), median(|s| s.banner));
    let rss = samples.iter().filter_map(|s| s.rss_kib).max();
    let what = if args.empty {
        "empty data dir".to_owned()
    } else {
        format!("{} events over {} exercises", args.events, args.exercises)
    };
    let mut t = Table::new(format!("startup: {what}, median of {} runs", args.runs));
    if let Some((_, took, bytes)) = &built {
        t.row("data dir", format!("{:.1} MiB, built in {:.1} s", *bytes as f64 / 1048576.0, took.as_secs_f64()));
    }
    t.row("spawn -> banner", format!("{:.1} ms", ms(banner)));
    t.row("spawn -> first welcome", format!("{:.1} ms", ms(welcome)));
    t.row(
        "all runs (welcome)",
        samples.iter().map(|s| format!("{:.1}", ms(s.welcome))).collect::<Vec<_>>().join(", ") + " ms",
    );
    t.row("server RSS after startup", crate::stats::or_unknown(rss.map(|k| format!("{k} KiB"))));
    let per_exercise = args.events / args.exercises.max(1) as u64;
    match &large_welcome {
        Some(Ok(bytes)) => {
            t.row("big exercise welcome", format!("{bytes} bytes ({per_exercise} events)"));
        }
        Some(Err(e)) => {
            t.row("big exercise welcome", format!("FAILED ({per_exercise} events): {e}"));
        }
        None => {}
    }
    let ok = !matches!(large_welcome, Some(Err(_)));
    t.print();
    print_json(&json!({
        "scenario": "startup",
        "empty": args.empty,
        "exercises": if args.empty { 1 } else { args.exercises },
        "events": if args.empty { 1 } else { args.events },
        "runs": args.runs,
        "data_dir_bytes": built.as_ref().map(|b| b.2),
        "build_secs": built.as_ref().map(|b| round3(b.1.as_secs_f64())),
        "banner_ms": round3(ms(banner)),
        "first_welcome_ms": round3(ms(welcome)),
        "first_welcome_ms_runs": samples.iter().map(|s| round3(ms(s.welcome))).collect::<Vec<_>>(),
        "server_rss_kib": rss,
        "large_welcome_events": large_welcome.as_ref().map(|_| per_exercise),
        "large_welcome_bytes": large_welcome.as_ref().and_then(|w| w.as_ref().ok()),
        "large_welcome_error": large_welcome.as_ref().and_then(|w| w.as_ref().err()),
        "ok": ok,
    }));
    Ok(ok)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

/// Writes `events` events over `exercises` exercises into the store in `dir`.
async fn build(dir: &Path, exercises: usize, events: u64) -> Result<Vec<Exercise>> {
    let per = events / exercises as u64;
    let rest = events % exercises as u64;
    write_logs(dir, (0..exercises).map(|e| per + u64::from((e as u64) < rest))).await
}

/// Writes one exercise of `events` events into the store in `dir`.
async fn build_one(dir: &Path, events: u64) -> Result<Exercise> {
    Ok(write_logs(dir, [events]).await?.remove(0))
}

/// Writes one generated exercise log per length.
async fn write_logs(dir: &Path, lengths: impl IntoIterator<Item = u64>) -> Result<Vec<Exercise>> {
    let scenario = Arc::new(scenario::parsed()?);
    let (store, writer) = Store::open(dir).context("cannot open the store")?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    let mut out = Vec::new();
    for count in lengths {
        let log = Log::new(scenario.clone(), count, now.saturating_sub(count + 60_000));
        out.push(log.exercise());
        let id = log.id;
        let mut batch = Vec::with_capacity(BATCH);
        for rec in log {
            batch.push(rec);
            if batch.len() == BATCH {
                store.append(id, &batch).await.context("append")?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            store.append(id, &batch).await.context("append")?;
        }
    }
    drop(store);
    tokio::task::spawn_blocking(move || writer.join()).await?;
    Ok(out)
}

/// A valid exercise history of a given length: `exercise_created`, joins, the clock
/// start, releases, then answers.
struct Log {
    id: ExerciseId,
    scenario: Arc<Scenario>,
    join_code: String,
    key: String,
    count: u64,
    seq: u64,
    wall0: u64,
    participants: Vec<(ParticipantId, String)>,
    wanted_participants: usize,
    releases: usize,
}

impl Log {
    fn new(scenario: Arc<Scenario>, count: u64, wall0: u64) -> Self {
        Self {
            id: ExerciseId::new(),
            scenario,
            join_code: new_join_code(),
            key: new_secret(),
            count,
            seq: 0,
            wall0,
            participants: Vec::new(),
            wanted_participants: (count / 20).clamp(1, 500) as usize,
            releases: (count / 200).clamp(1, scenario::INJECTS as u64) as usize,
        }
    }

    fn exercise(&self) -> Exercise {
        Exercise { id: self.id.to_string(), join_code: self.join_code.clone(), key: self.key.clone() }
    }
}

impl Iterator for Log {
    type Item = Recorded;

    fn next(&mut self) -> Option<Recorded> {
        if self.seq == self.count {
            return None;
        }
        self.seq += 1;
        let p = self.wanted_participants as u64;
        let r = self.releases as u64;
        let event = match self.seq {
            1 => Event::ExerciseCreated {
                exercise_id: self.id,
                scenario: Box::new(ScenarioSnapshot::from(&*self.scenario)),
                join_code: self.join_code.clone(),
                facilitator_key: self.key.clone(),
            },
            s if s <= 1 + p => {
                let i = self.participants.len();
                let group = self.scenario.groups[i % self.scenario.groups.len()].id.clone();
                let id = ParticipantId::new();
                self.participants.push((id, group.clone()));
                Event::ParticipantJoined {
                    participant_id: id,
                    name: format!("load {i}"),
                    group_id: group,
                    resume_token: new_resume_token(self.id),
                    organisation: None,
                    sector: None,
                    email: None,
                }
            }
            s if s == 2 + p => Event::ClockStarted,
            s if s <= 2 + p + r => {
                Event::InjectReleased { inject_id: scenario::inject_id((s - 2 - p) as usize), manual: true }
            }
            s => {
                let k = s - 3 - p - r;
                let (who, group) = self.participants[(k % p) as usize].clone();
                Event::ResponseSubmitted {
                    participant_id: who,
                    group_id: group,
                    inject_id: scenario::inject_id(1 + (k % r) as usize),
                    text: format!("Answer {k}: hold transfers from recently swapped SIMs and brief the agents."),
                    client_msg_id: format!("r{k}"),
                    options: vec![],
                    contribution: false,
                }
            }
        };
        Some(Recorded { seq: self.seq, wall_ms: self.wall0 + self.seq, event })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabletop::exercise::State;

    #[test]
    fn generated_logs_replay_with_joins_releases_and_answers() {
        let scenario = Arc::new(scenario::parsed().unwrap());
        let log: Vec<Recorded> = Log::new(scenario.clone(), 1_000, 1_000_000).collect();
        assert_eq!(log.len(), 1_000);
        let state = State::replay(&log).unwrap();
        assert_eq!(state.participants.len(), 50);
        assert_eq!(state.last_seq, 1_000);
        assert_eq!(state.responses.len(), 1_000 - 1 - 50 - 1 - 5);
        assert!(state.responses.iter().all(|r| state.released_to(&r.inject_id, &r.group_id)));
        // Short logs are valid prefixes.
        for n in [1, 2, 3, 4] {
            let short: Vec<Recorded> = Log::new(scenario.clone(), n, 0).collect();
            State::replay(&short).unwrap();
        }
    }
}
