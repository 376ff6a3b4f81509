//! The real `tabletop` binary as a child process on a data dir, for tests that kill it
//! with SIGKILL (or SIGTERM) and start it again on the same dir.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use super::{ADMIN, Client, Exercise, scenarios_dir};

/// Flags that let every participant's answers through when they all come from 127.0.0.1
/// and answer flat out, which the per-socket rate, the per-participant quotas and the
/// per-address caps would (rightly) refuse in a real room (the crash and failover loops).
pub const FLAT_OUT: &[&str] = &[
    "--messages-per-second",
    "100000",
    "--answers-per-minute",
    "1000000",
    "--answers-per-inject",
    "1000000",
    "--max-connections-per-ip",
    "0",
    "--joins-per-ip-per-minute",
    "0",
];

/// The `tabletop` binary running on a data dir.
pub struct Binary {
    pub child: Child,
    pub base: String,
}

impl Binary {
    pub fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[], &[])
    }

    /// [`Binary::start`] with extra `serve` flags and environment variables.
    pub fn start_with(data_dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut child = serve(data_dir, args)
            .env("TABLETOP_ADMIN_TOKEN", ADMIN)
            .env("RUST_LOG", "warn")
            .envs(envs.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines.next().expect("the binary prints its address").unwrap();
            if let Some(base) = listening_on(&line) {
                break base;
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Binary { child, base }
    }

    /// [`Binary::start_with`] at `RUST_LOG=debug` with stdout and stderr into the file
    /// `log` (tests that read what the server logs); no admin token is given.
    pub fn start_logged(data_dir: &Path, log: &Path, args: &[&str]) -> Self {
        let file = std::fs::File::create(log).unwrap();
        let child = serve(data_dir, args)
            .env("RUST_LOG", "debug")
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let started = std::time::Instant::now();
        let base = loop {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            if let Some(base) = text.lines().find_map(listening_on) {
                break base;
            }
            assert!(started.elapsed() < super::WAIT, "the binary prints its address:\n{text}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        Binary { child, base }
    }

    pub fn kill_9(mut self) {
        self.child.kill().unwrap(); // SIGKILL on Unix
        self.child.wait().unwrap();
    }

    pub fn ws(&self) -> String {
        format!("{}/ws", self.base.replace("http://", "ws://"))
    }

    pub async fn create(&self, scenario: &str) -> Exercise {
        super::create_exercise(&self.base, scenario).await
    }

    pub async fn timeline(&self, ex: &Exercise) -> Vec<Value> {
        super::timeline(&self.base, ex).await["entries"].as_array().unwrap().clone()
    }

    pub async fn facilitate(&self, ex: &Exercise) -> (Client, Value) {
        let mut c = Client::connect(&self.ws()).await;
        c.send(json!({"type": "facilitate", "exercise_id": ex.id, "facilitator_key": ex.key})).await;
        let w = c.recv_type("welcome").await;
        (c, w)
    }

    pub async fn join(&self, ex: &Exercise, name: &str) -> (Client, Value) {
        let mut c = Client::connect(&self.ws()).await;
        c.send(json!({"type": "join", "join_code": ex.join_code, "name": name})).await;
        let w = c.recv_type("welcome").await;
        (c, w)
    }
}

/// `tabletop serve` on a free loopback port, on `data_dir`, with the test scenarios.
fn serve(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tabletop"));
    command.args(["serve", "--addr", "127.0.0.1:0", "--open", ""]).args(args);
    command.arg("--data-dir").arg(data_dir).arg("--scenarios").arg(scenarios_dir());
    command
}

/// The base URL in the banner's `listening on` line.
fn listening_on(line: &str) -> Option<String> {
    line.split("listening on ").nth(1).map(|rest| rest.trim().to_owned())
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
