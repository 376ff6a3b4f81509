//! The operating system's side: the open-file limit, a process's memory and CPU time
//! from `/proc`, and killing the server child on every way out (panics included).
//!
//! Linux only for the `/proc` figures; elsewhere they read as unknown.

use std::sync::Mutex;

/// Pids of server children still running, killed by the panic hook.
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Raises the open-file limit (children inherit it): to the kernel's ceiling
/// (`fs.nr_open`) when the process may raise its hard limit (root), else the soft limit
/// to the hard one. 10,000 receivers with a few hundred facilitators and spare
/// descriptors come close to a hard limit of 20,000. Returns
/// `(soft, hard)` as they are afterwards.
pub fn raise_nofile_limit() -> std::io::Result<(u64, u64)> {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    let ceiling = std::fs::read_to_string("/proc/sys/fs/nr_open")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(0, |n| n.min(1 << 20));
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let wished = [ceiling, lim.rlim_max].into_iter().filter(|&n| n > lim.rlim_cur);
        for n in wished {
            let raised = libc::rlimit { rlim_cur: n, rlim_max: n.max(lim.rlim_max) };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
                break;
            }
        }
    }
    Ok((lim.rlim_cur, lim.rlim_max))
}

/// Clock ticks per second, the unit of `utime` and `stime` in `/proc/<pid>/stat`.
pub fn clock_ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no memory effects.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

/// Resident memory of a process in KiB (`VmRSS` of `/proc/<pid>/status`).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time a process has used, user + system, in clock ticks (`/proc/<pid>/stat`).
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; fields after its closing ')' are plain.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// CPU use of a process (or of several together) over a window, as a percentage of one core.
#[derive(Debug, Clone)]
pub struct CpuMeter {
    pids: Vec<u32>,
    ticks: Option<u64>,
    at: std::time::Instant,
}

/// CPU time of all of `pids` together (`None` if there are none, or one is gone).
fn total_ticks(pids: &[u32]) -> Option<u64> {
    if pids.is_empty() {
        return None;
    }
    pids.iter().map(|&p| cpu_ticks(p)).sum()
}

impl CpuMeter {
    /// Starts measuring `pid` (`None`: nothing to measure, every reading is `None`).
    pub fn start(pid: Option<u32>) -> Self {
        Self::start_all(pid.into_iter().collect())
    }

    /// Starts measuring the sum of several processes (none: every reading is `None`).
    pub fn start_all(pids: Vec<u32>) -> Self {
        Self { ticks: total_ticks(&pids), pids, at: std::time::Instant::now() }
    }

    /// Starts measuring this process.
    pub fn own() -> Self {
        Self::start(Some(own_pid()))
    }

    /// % of one core used since the start, to 0.01.
    pub fn percent(&self) -> Option<f64> {
        let used = total_ticks(&self.pids)?.checked_sub(self.ticks?)?;
        let secs = self.at.elapsed().as_secs_f64().max(1e-9);
        Some((used as f64 / clock_ticks_per_sec() as f64 / secs * 10_000.0).round() / 100.0)
    }
}

/// This process's id.
pub fn own_pid() -> u32 {
    std::process::id()
}

/// Sends a signal to a process.
pub fn signal(pid: u32, sig: i32) {
    // SAFETY: kill has no memory effects; a stale pid at worst gets ESRCH.
    unsafe {
        libc::kill(pid as libc::pid_t, sig);
    }
}

/// Sends SIGTERM (graceful stop).
pub fn terminate(pid: u32) {
    signal(pid, libc::SIGTERM);
}

/// Remembers a child to kill if the tool panics.
pub fn register_child(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
}

/// Forgets a child that has been stopped.
pub fn unregister_child(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).retain(|&p| p != pid);
}

/// Installs a panic hook that kills every registered child before the usual report.
pub fn kill_children_on_panic() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        kill_all_children();
        default(info);
    }));
}

/// Kills every registered child (SIGKILL).
pub fn kill_all_children() {
    let pids = std::mem::take(&mut *CHILDREN.lock().unwrap_or_else(|e| e.into_inner()));
    for pid in pids {
        signal(pid, libc::SIGKILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_figures_are_readable() {
        assert!(rss_kib(own_pid()).is_some_and(|k| k > 0));
        assert!(cpu_ticks(own_pid()).is_some());
        assert!(clock_ticks_per_sec() > 0);
    }
}
