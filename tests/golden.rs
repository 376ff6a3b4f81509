//! Golden logs: data dirs written by past builds (tests/fixtures/golden/*/tabletop.db,
//! never rewritten) open with this build, and what they mean has not changed.
//!
//! Each is copied to a temporary data dir and served by a real server; its timeline
//! and its JSON report, read over HTTP, are snapshotted (tests/snapshots/golden__*). A
//! change that alters what an old log says fails here: review it with
//! `INSTA_UPDATE=always cargo test --test golden` and `git diff tests/snapshots`, and
//! keep it only if the old log really means that. Together the golden logs must use
//! every event kind this build knows: a new kind fails until a new golden log (written
//! by `scripts/golden-log.mjs`, see tests/fixtures/golden/README.md) holds it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use strum::IntoEnumIterator;
use tabletop::events::EventKind;
use tabletop::store::Store;

fn golden_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("tabletop.db").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no golden logs under {}", root.display());
    dirs
}

/// A copy of a golden data dir (the fixture itself is never opened: SQLite and the
/// server write beside the database).
fn copy_of(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("tabletop.db"), copy.path().join("tabletop.db")).unwrap();
    copy
}

/// The stored rows as the dump beside each golden log has them.
fn rows(data_dir: &Path) -> Vec<Value> {
    let conn = rusqlite::Connection::open(data_dir.join("tabletop.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT exercise_id, seq, wall_ms, kind, version, payload FROM events ORDER BY exercise_id, seq")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(serde_json::json!({
            "exercise_id": r.get::<_, String>(0)?,
            "seq": r.get::<_, i64>(1)?,
            "wall_ms": r.get::<_, i64>(2)?,
            "kind": r.get::<_, String>(3)?,
            "version": r.get::<_, i64>(4)?,
            "payload": r.get::<_, String>(5)?,
        }))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[tokio::test]
async fn every_golden_log_opens_and_replays_to_the_same_timeline_and_report() {
    let mut kinds_seen = BTreeSet::new();
    for dir in golden_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let data = copy_of(&dir);

        // The review dump beside the database says what is in it.
        let dump: Vec<Value> = std::fs::read_to_string(dir.join("events.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows(data.path()), dump, "{name}: events.jsonl is a dump of tabletop.db");
        kinds_seen.extend(dump.iter().map(|r| r["kind"].as_str().unwrap().to_owned()));

        // This build reads every event.
        let ids = {
            let (store, writer) = Store::open(data.path()).unwrap();
            let ids = store.exercise_ids().unwrap();
            for id in &ids {
                let log = store.load(*id).unwrap_or_else(|e| panic!("{name}: {e}"));
                tabletop::exercise::State::replay(&log).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            drop(store);
            writer.join();
            ids
        };

        // A real server opens the data dir; the timeline and report read over HTTP.
        let server = common::TestServer::start_in(data, |_| {}).await;
        for id in ids {
            let get = |path: String| {
                let url = format!("{}/api/exercises/{id}/{path}", server.base);
                async move {
                    let res = reqwest::Client::new().get(url).bearer_auth(common::ADMIN).send().await.unwrap();
                    assert_eq!(res.status(), 200);
                    res.text().await.unwrap()
                }
            };
            let timeline: Value = serde_json::from_str(&get("timeline".into()).await).unwrap();
            // Files a release links to are served from the store (dfs-v4 on).
            let links = timeline["entries"].as_array().unwrap().iter().flat_map(|e| {
                e["attachments"].as_array().into_iter().flatten().filter_map(|a| a["file"]["src"].as_str())
            });
            for src in links {
                let res = reqwest::Client::new().get(format!("{}{src}", server.base)).send().await.unwrap();
                assert_eq!(res.status(), 200, "{name}: {src}");
                assert!(!res.bytes().await.unwrap().is_empty(), "{name}: {src}");
            }
            let report: Value = serde_json::from_str(&get("export?format=json".into()).await).unwrap();
            let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap();
            insta::assert_snapshot!(format!("{name}_timeline"), pretty(&timeline));
            insta::assert_snapshot!(format!("{name}_report"), pretty(&report));
        }
        server.stop().await;
    }
    let missing: Vec<&str> = EventKind::iter().map(EventKind::as_str).filter(|k| !kinds_seen.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "no golden log holds {missing:?}: write a new one with scripts/golden-log.mjs (tests/fixtures/golden/README.md)"
    );
}
