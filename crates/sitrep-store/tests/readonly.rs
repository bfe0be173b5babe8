//! Reading a database that sits on read-only media, and searches that take user text literally.

use sitrep_store::{EventFilter, Store};
use std::path::Path;

fn filled(path: &Path) -> u64 {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    let docs = sitrep_store::synth::corpus(3, 40, 2, start, 10);
    let mut s = Store::open(path).unwrap();
    s.ingest(&docs, "test").unwrap();
    s.counts().unwrap().events
}

/// Runs this test binary's ignored `helper` test inside a private read-only bind mount of
/// `dir` (at `dir/ro`), with `env` pointing it at the files there (`{v}` stands for the view),
/// and returns what it printed once it succeeded.
fn in_read_only_view(dir: &Path, env: &str, helper: &str) -> String {
    let me = std::env::current_exe().unwrap();
    let then = format!(
        "{env} {} --ignored --exact {helper} --nocapture",
        me.display()
    );
    let out = sitrep_testkit::in_read_only_view(dir, &then);
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    log
}

#[test]
fn a_wal_database_on_a_read_only_mount_is_read() {
    if sitrep_testkit::skip_without_unshare() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let events = filled(&db);
    assert!(events > 0);
    // the test binary reruns itself (the ignored helper below) inside the read-only view
    let env = format!("SITREP_RO_DB={{v}}/archive.db SITREP_RO_EVENTS={events}");
    let log = in_read_only_view(dir.path(), &env, "read_only_helper");
    assert!(log.contains("read-only view read"), "{log}");
}

#[test]
#[ignore = "run by a_wal_database_on_a_read_only_mount_is_read inside a read-only mount"]
fn read_only_helper() {
    let Ok(db) = std::env::var("SITREP_RO_DB") else {
        return;
    };
    let want: u64 = std::env::var("SITREP_RO_EVENTS").unwrap().parse().unwrap();
    assert!(
        std::fs::write(Path::new(&db).with_extension("probe"), b"x").is_err(),
        "the view is writable"
    );
    let s = Store::open_read_only(&db).unwrap();
    assert_eq!(s.counts().unwrap().events, want);
    assert_eq!(
        s.events(&EventFilter::default()).unwrap().len() as u64,
        want
    );
    let s2 = Store::open_read_only(&db).unwrap();
    assert_eq!(s2.counts().unwrap().events, want);
    println!("read-only view read");
}

#[test]
fn a_wal_with_changes_on_read_only_media_is_an_error_not_a_silent_loss() {
    if sitrep_testkit::skip_without_unshare() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    filled(&db);
    // A non-empty log beside the file, as a copy taken while a writer was open would leave.
    std::fs::write(dir.path().join("live.db-wal"), vec![1u8; 4096]).unwrap();
    let log = in_read_only_view(dir.path(), "SITREP_RO_WAL_DB={v}/live.db", "wal_helper");
    assert!(log.contains("refused: "), "{log}");
    assert!(log.contains("write-ahead log"), "{log}");
}

#[test]
#[ignore = "run by a_wal_with_changes_on_read_only_media_is_an_error_not_a_silent_loss"]
fn wal_helper() {
    let Ok(db) = std::env::var("SITREP_RO_WAL_DB") else {
        return;
    };
    match Store::open_read_only(&db) {
        Ok(_) => panic!("opened a database whose log it cannot read"),
        Err(e) => println!("refused: {e}"),
    }
}

#[test]
fn actor_search_takes_wildcards_literally() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    filled(&db);
    let s = Store::open_read_only(&db).unwrap();
    assert!(!s.actors("", 1000).unwrap().is_empty());
    for q in ["%", "_", "%%", "\\"] {
        assert!(
            s.actors(q, 1000).unwrap().is_empty(),
            "`{q}` matched actors"
        );
    }
}
