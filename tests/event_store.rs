//! The event store's contract, run against both stores: the embedded SQLite store and
//! PostgreSQL (`--store postgres://…`, issue 17) on a throwaway cluster
//! (tests/common/postgres.rs). A batch is stored whole or not at all, a bad batch fails
//! alone beside good ones committed with it, logs read back in order, every exercise is
//! listed. Then what only PostgreSQL has: the versioned schema, attachment files, typed
//! errors for a bad URL, an unreachable server and an event this build cannot read.

mod common;

use std::sync::Arc;

use common::postgres::Cluster;
use tabletop::events::{Event, Recorded};
use tabletop::ids::ExerciseId;
use tabletop::store::postgres::{MIGRATIONS, PgStore};
use tabletop::store::{EventLog, FileRow, Store, StoreError};

fn rec(seq: u64, event: Event) -> Recorded {
    Recorded { seq, wall_ms: 1_000 + seq, event }
}

/// A store under test: its log, its list of exercises, and a new exercise this
/// instance may append to (PostgreSQL: its lease claimed).
trait UnderTest {
    fn log(&self) -> &dyn EventLog;
    async fn ids(&self) -> Vec<ExerciseId>;
    async fn new_exercise(&self) -> ExerciseId;
}

struct Sqlite(Store, #[allow(dead_code)] tempfile::TempDir);

impl UnderTest for Sqlite {
    fn log(&self) -> &dyn EventLog {
        &self.0
    }
    async fn ids(&self) -> Vec<ExerciseId> {
        self.0.exercise_ids().unwrap()
    }
    async fn new_exercise(&self) -> ExerciseId {
        ExerciseId::new()
    }
}

struct Postgres(PgStore, #[allow(dead_code)] Cluster);

impl UnderTest for Postgres {
    fn log(&self) -> &dyn EventLog {
        &self.0
    }
    async fn ids(&self) -> Vec<ExerciseId> {
        self.0.exercise_ids().await.unwrap()
    }
    async fn new_exercise(&self) -> ExerciseId {
        claimed(&self.0).await
    }
}

async fn claimed(store: &PgStore) -> ExerciseId {
    let ex = ExerciseId::new();
    assert!(store.claim(ex).await.unwrap(), "a new exercise is free to claim");
    ex
}

fn sqlite() -> Sqlite {
    let dir = tempfile::tempdir().unwrap();
    let (store, _writer) = Store::open(dir.path()).unwrap();
    Sqlite(store, dir)
}

async fn postgres() -> Postgres {
    let cluster = Cluster::start();
    let (store, _writer) = PgStore::connect(&cluster.url, Arc::default()).await.unwrap();
    Postgres(store, cluster)
}

async fn batches_read_back_in_order(s: &impl UnderTest) {
    let ex = s.new_exercise().await;
    s.log().append(ex, &[rec(2, Event::ClockStarted), rec(3, Event::ClockPaused)]).await.unwrap();
    s.log().append(ex, &[rec(4, Event::ClockResumed)]).await.unwrap();
    let log = s.log().load(ex).await.unwrap();
    assert_eq!(log, [rec(2, Event::ClockStarted), rec(3, Event::ClockPaused), rec(4, Event::ClockResumed)]);
    assert!(s.ids().await.contains(&ex));
    assert!(s.log().load(ExerciseId::new()).await.unwrap().is_empty(), "an unknown exercise has an empty log");
}

async fn a_bad_batch_fails_alone(s: &impl UnderTest) {
    let (a, b) = (s.new_exercise().await, s.new_exercise().await);
    s.log().append(a, &[rec(2, Event::ClockStarted)]).await.unwrap();
    // A seq already stored: the whole batch is refused, the other exercise's is stored.
    let bad = [rec(3, Event::ClockPaused), rec(2, Event::ClockStarted)];
    let good = [rec(2, Event::ClockStarted)];
    let (dup, ok) = tokio::join!(s.log().append(a, &bad), s.log().append(b, &good));
    assert!(matches!(dup, Err(StoreError::Commit(_))), "{dup:?}");
    ok.unwrap();
    assert_eq!(s.log().load(a).await.unwrap().len(), 1, "nothing of the refused batch");
    assert_eq!(s.log().load(b).await.unwrap().len(), 1);
}

async fn many_exercises_appending_at_once_are_all_stored(s: &impl UnderTest) {
    let mut ids = Vec::new();
    for _ in 0..40 {
        ids.push(s.new_exercise().await);
    }
    let appends = ids.iter().map(|&ex| async move {
        for seq in 2..12 {
            s.log().append(ex, &[rec(seq, Event::ClockStarted)]).await.unwrap();
        }
    });
    futures_util::future::join_all(appends).await;
    let listed = s.ids().await;
    for ex in &ids {
        let seqs: Vec<u64> = s.log().load(*ex).await.unwrap().iter().map(|r| r.seq).collect();
        assert_eq!(seqs, (2..12).collect::<Vec<_>>());
        assert!(listed.contains(ex));
    }
}

#[tokio::test]
async fn sqlite_keeps_the_contract() {
    let s = sqlite();
    batches_read_back_in_order(&s).await;
    a_bad_batch_fails_alone(&s).await;
    many_exercises_appending_at_once_are_all_stored(&s).await;
}

#[tokio::test]
async fn postgres_keeps_the_contract() {
    let s = postgres().await;
    batches_read_back_in_order(&s).await;
    a_bad_batch_fails_alone(&s).await;
    many_exercises_appending_at_once_are_all_stored(&s).await;
}

#[tokio::test]
async fn postgres_migrates_once_keeps_files_and_refuses_a_newer_schema() {
    let s = postgres().await;
    let url = s.1.url.clone();
    assert_eq!(s.0.schema_version().await.unwrap(), MIGRATIONS.len());
    // A second instance on the same database: nothing to migrate, the data is shared.
    let ex = claimed(&s.0).await;
    let file = FileRow { hash: "ab".repeat(32), media_type: "image/png".into(), bytes: Arc::from(&b"\x89PNG"[..]) };
    s.0.append_with_files(ex, &[rec(2, Event::ClockStarted)], vec![file.clone()]).await.unwrap();
    let (other, _) = PgStore::connect(&url, Arc::default()).await.unwrap();
    assert_eq!(other.schema_version().await.unwrap(), MIGRATIONS.len());
    assert_eq!(other.load(ex).await.unwrap().len(), 1);
    assert_eq!(other.file(&file.hash).await.unwrap(), Some(("image/png".into(), b"\x89PNG".to_vec())));
    assert_eq!(other.file("00").await.unwrap(), None);
    // The same file again (a re-run of the scenario) is no conflict.
    other.append_with_files(claimed(&other).await, &[rec(2, Event::ClockStarted)], vec![file]).await.unwrap();

    // A database a newer build wrote is refused, not altered.
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let newer = MIGRATIONS.len() as i32 + 1;
    client.execute("INSERT INTO tabletop_schema (version) VALUES ($1)", &[&newer]).await.unwrap();
    let err = PgStore::connect(&url, Arc::default()).await.unwrap_err();
    assert!(err.to_string().contains("newer than this build knows"), "{err}");

    // An event kind from a later build is a decode error naming it, not a panic.
    client
        .execute("INSERT INTO events VALUES ($1, 3, 0, 'vote_cast', 1, '{\"kind\":\"vote_cast\"}')", &[&ex.to_string()])
        .await
        .unwrap();
    let err = s.0.load(ex).await.unwrap_err();
    assert!(err.to_string().contains("unknown event kind \"vote_cast\""), "{err}");
}

#[tokio::test]
async fn a_bad_url_or_an_unreachable_server_is_a_typed_error() {
    let err = PgStore::connect("postgres://[nonsense", Arc::default()).await.unwrap_err();
    assert!(matches!(err, StoreError::Postgres(_)), "{err:?}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{closed}/postgres?connect_timeout=2");
    let err = PgStore::connect(&url, Arc::default()).await.unwrap_err();
    assert!(matches!(err, StoreError::Postgres(_)), "{err:?}");
}

/// Two instances on one database: the lease decides who may append. An owner that
/// stopped renewing loses the exercise to a claim, and from then on every append of its
/// is refused (`Fenced`, nothing stored), also one already queued; renewing tells it
/// what it lost; the new owner appends after what the old one stored.
#[tokio::test]
async fn postgres_fences_an_owner_whose_lease_was_taken() {
    let cluster = Cluster::start();
    let lease = std::time::Duration::from_millis(400);
    let (a, _) = PgStore::connect_with_lease(&cluster.url, Arc::default(), lease).await.unwrap();
    let (b, _) = PgStore::connect_with_lease(&cluster.url, Arc::default(), lease).await.unwrap();
    assert_ne!(a.instance_id(), b.instance_id());
    a.renew(Some("http://a.example")).await.unwrap();
    b.renew(Some("http://b.example")).await.unwrap();

    let ex = claimed(&a).await;
    a.append(ex, &[rec(2, Event::ClockStarted)]).await.unwrap();
    assert!(!b.claim(ex).await.unwrap(), "a live lease is not claimed");
    let err = b.append(ex, &[rec(3, Event::ClockPaused)]).await.unwrap_err();
    assert!(matches!(err, StoreError::Fenced), "{err:?}");
    let seen = b.owner(ex).await.unwrap().unwrap();
    assert_eq!((seen.url.as_deref(), seen.expired, seen.mine), (Some("http://a.example"), false, false));
    // Renewing keeps it.
    tokio::time::sleep(lease / 2).await;
    assert!(a.renew(Some("http://a.example")).await.unwrap().is_empty());
    tokio::time::sleep(lease / 2).await;
    assert!(!b.claim(ex).await.unwrap(), "renewed, so still live");

    // A stops renewing; once the lease expires, B claims it.
    tokio::time::sleep(lease + lease / 4).await;
    assert!(b.owner(ex).await.unwrap().unwrap().expired);
    assert_eq!(b.expired(10).await.unwrap(), [ex]);
    assert!(b.claim(ex).await.unwrap());
    let err = a.append(ex, &[rec(3, Event::ClockPaused)]).await.unwrap_err();
    assert!(matches!(err, StoreError::Fenced), "the old owner is fenced off: {err:?}");
    assert_eq!(a.renew(Some("http://a.example")).await.unwrap(), [ex], "renewing says what was lost");
    assert!(!a.claim(ex).await.unwrap(), "and it cannot take it back while B renews");
    b.append(ex, &[rec(3, Event::ClockPaused)]).await.unwrap();
    let seqs: Vec<u64> = a.load(ex).await.unwrap().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [2, 3], "nothing of the fenced appends was stored");
    assert_eq!(a.owner(ex).await.unwrap().unwrap().url.as_deref(), Some("http://b.example"));
    assert_eq!(a.instance_urls().await.unwrap(), ["http://a.example", "http://b.example"]);

    // A clean shutdown gives its leases up at once.
    b.release_all().await.unwrap();
    assert!(a.claim(ex).await.unwrap(), "released leases are claimed without waiting");
    let err = b.append(ex, &[rec(4, Event::ClockResumed)]).await.unwrap_err();
    assert!(matches!(err, StoreError::Fenced), "{err:?}");
}

/// The lifecycle rows in PostgreSQL: archived, handed-over codes, a join code claimed
/// once across instances, and a delete that takes the log, the lease and the code.
#[tokio::test]
async fn postgres_keeps_lifecycle_rows_and_join_codes() {
    use tabletop::store::Change;
    let s = postgres().await;
    let (a, b) = (claimed(&s.0).await, claimed(&s.0).await);
    let claim = |code: &str, exercise| Change::ClaimCode { code: code.into(), exercise };
    s.0.append_with_changes(a, &[rec(1, Event::ClockStarted)], vec![], vec![claim("AAAA1111", a)]).await.unwrap();
    assert_eq!(s.0.code_holder("AAAA1111").await.unwrap(), Some(a));
    let taken = s.0.append_with_changes(b, &[rec(1, Event::ClockStarted)], vec![], vec![claim("AAAA1111", b)]).await;
    assert!(matches!(taken, Err(StoreError::Commit(_))), "a code is given out once: {taken:?}");
    assert!(s.0.load(b).await.unwrap().is_empty(), "nothing of the refused creation");

    s.0.change(a, vec![Change::Archive(a, Some(77))]).await.unwrap();
    let handed = Change::HandOver { from: a, to: b, code: "AAAA1111".into() };
    s.0.append_with_changes(b, &[rec(1, Event::ClockStarted)], vec![], vec![handed]).await.unwrap();
    let meta = s.0.meta().await.unwrap();
    assert_eq!(meta.archived.get(&a), Some(&77));
    assert_eq!(meta.successors.get(&a), Some(&b));
    assert_eq!(meta.codes, [("AAAA1111".to_owned(), b)]);
    assert_eq!(s.0.code_holder("AAAA1111").await.unwrap(), Some(b));

    // Deleting the re-run gives the code back to the exercise it was run again from.
    s.0.change(b, vec![Change::Delete(b)]).await.unwrap();
    assert_eq!(s.0.code_holder("AAAA1111").await.unwrap(), Some(a));
    assert!(s.0.load(b).await.unwrap().is_empty());
    assert_eq!(s.0.owner(b).await.unwrap(), None, "its lease is gone");
    assert!(s.0.meta().await.unwrap().successors.is_empty());
}
