//! A throwaway PostgreSQL cluster for a test: Debian's `postgresql` binaries
//! (`/usr/lib/postgresql/<version>/bin`, or `PG_BINDIR`), a fresh data dir in a temp
//! dir, a free loopback port, trust authentication, no fsync (the tests kill tabletop,
//! never PostgreSQL). Stopped and removed when dropped. As root (CI), the cluster runs as
//! the `postgres` user the package creates: PostgreSQL refuses to run as root.
//! `scripts/test` installs the package when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running cluster.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// `postgres` options (port, socket dir, no fsync): a restart listens where it did.
    options: String,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

fn bindir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BINDIR") {
        return dir.into();
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed: scripts/test installs Debian's postgresql (apt-get install postgresql)")
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("no /usr/lib/postgresql/<version>/bin/initdb").1
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A PostgreSQL program, to run as `postgres` when we are root.
fn command(program: &Path) -> Command {
    if !is_root() {
        return Command::new(program);
    }
    let mut c = Command::new("runuser");
    c.args(["-u", "postgres", "--"]).arg(program);
    c
}

/// Runs a PostgreSQL program; panics with its output on failure.
fn run(program: &Path, args: &[&str]) {
    let out = command(program).args(args).output().unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?}: {}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    /// Creates and starts a cluster; returns once it accepts connections.
    pub fn start() -> Self {
        let bin = bindir();
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let chown = Command::new("chown").arg("postgres:postgres").arg(dir.path()).status().unwrap();
            assert!(chown.success(), "chown the cluster's dir to postgres");
        }
        let data = dir.path().join("data");
        let data = data.to_str().unwrap();
        run(
            &bin.join("initdb"),
            &["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
            dir.path().display()
        );
        let cluster = Cluster { url: format!("postgres://postgres@127.0.0.1:{port}/postgres"), dir, bin, options };
        cluster.resume();
        cluster
    }

    /// Stops the server (`fast`: every session cut, what was committed kept; the
    /// cluster runs without fsync, so a crash-like stop would lose it), as a database
    /// that goes away for a while.
    pub fn halt(&self) {
        let data = self.dir.path().join("data");
        run(&self.bin.join("pg_ctl"), &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"]);
    }

    /// Starts the server (again) on the same port; returns once it accepts connections.
    pub fn resume(&self) {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("postgres.log");
        let args = ["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-o", &self.options, "-w", "start"];
        run(&self.bin.join("pg_ctl"), &args);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = command(&self.bin.join("pg_ctl")).arg("-D").arg(&data).args(["-m", "immediate", "-w", "stop"]).output();
    }
}
