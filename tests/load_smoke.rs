//! Smoke test of the load tool: `tabletop-load` runs as a subprocess against the real
//! `tabletop` binary with a couple of hundred participants, and its final JSON line must
//! say that every participant got every inject exactly once and that every answer was
//! acked once and is in the timeline. Correctness only: no time is asserted.

use std::process::Command;

use serde_json::Value;

/// Runs the tool with `args` against the test build of the server; returns its final
/// JSON line (and fails with its output when it exits non-zero).
fn load(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tabletop-load"))
        .args(args)
        .arg("--server-bin")
        .arg(env!("CARGO_BIN_EXE_tabletop"))
        .output()
        .expect("tabletop-load runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tabletop-load {args:?} failed ({}):\n{stdout}\n{stderr}", out.status);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("the last line is not JSON ({e}): {last:?}\n{stdout}"))
}

#[test]
fn fanout_delivers_every_inject_to_every_participant_exactly_once() {
    let v = load(&["fanout", "--exercises", "2", "--participants-per-exercise", "100", "--rounds", "2"]);
    assert_eq!(v["scenario"], "fanout");
    assert_eq!(v["receivers"], 200);
    assert_eq!(v["expected"], 400);
    assert_eq!(v["delivered_once"], 400, "{v}");
    assert_eq!(v["missing"], 0, "{v}");
    assert_eq!(v["duplicates"], 0, "{v}");
    assert_eq!(v["unexpected"], 0, "{v}");
    assert_eq!(v["latency"]["count"], 400);
    assert_eq!(v["ok"], true, "{v}");
}

/// The baseline server runs as a child process of the tool (`serve-baseline`).
#[test]
fn the_baseline_fanout_reaches_every_receiver_of_the_bare_server_once() {
    let v =
        load(&["fanout", "--exercises", "2", "--participants-per-exercise", "30", "--rounds", "2", "--with-baseline"]);
    let baseline = &v["baseline"];
    assert_eq!(baseline["receivers"], 60, "{v}");
    assert_eq!(baseline["delivered_once"], 120, "{v}");
    assert_eq!((baseline["missing"].as_u64(), baseline["duplicates"].as_u64()), (Some(0), Some(0)), "{v}");
    assert!(v["ratio_p99"].as_f64().is_some_and(|r| r > 0.0), "{v}");
    assert_eq!(v["ok"], true, "{v}");
}

#[test]
fn closed_loop_answers_are_acked_once_and_all_in_the_timeline() {
    let v = load(&["respond", "--participants", "200", "--exercises", "2", "--closed-loop", "--duration-secs", "2"]);
    assert_eq!(v["scenario"], "respond");
    assert_eq!(v["connected"], 200);
    let acked = v["acked"].as_u64().unwrap();
    assert!(acked >= 200, "every participant answered at least once: {v}");
    assert_eq!(v["duplicate_acks"], 0, "{v}");
    assert_eq!(v["stray_acks"], 0, "{v}");
    assert_eq!(v["unacked"], 0, "{v}");
    assert_eq!(v["timeline_responses"], acked, "{v}");
    assert_eq!(v["missing_in_timeline"], 0, "{v}");
    assert_eq!(v["extra_in_timeline"], 0, "{v}");
    assert_eq!(v["repeated_in_timeline"], 0, "{v}");
    assert_eq!(v["ok"], true, "{v}");
}
