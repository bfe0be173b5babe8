//! Reading a database that sits on read-only media, and searches that take user text literally.

use sitrep_store::{EventFilter, Store};
use std::path::Path;
use std::process::Command;

fn filled(path: &Path) -> u64 {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    let docs = sitrep_store::synth::corpus(3, 40, 2, start, 10);
    let mut s = Store::open(path).unwrap();
    s.ingest(&docs, "test").unwrap();
    s.counts().unwrap().events
}

/// Whether this machine lets a test mount a read-only view in a private namespace.
fn can_unshare() -> bool {
    Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_wal_database_on_a_read_only_mount_is_read() {
    if !can_unshare() {
        eprintln!("skipped: no user namespaces here to mount a read-only view");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.db");
    let events = filled(&db);
    assert!(events > 0);
    let view = dir.path().join("ro");
    std::fs::create_dir(&view).unwrap();
    // The test binary reruns itself (the ignored helper below) inside the read-only view.
    let me = std::env::current_exe().unwrap();
    let script = format!(
        "mount --bind {d} {v} && mount -o remount,ro,bind {v} && \
         SITREP_RO_DB={v}/archive.db SITREP_RO_EVENTS={events} {me} --ignored --exact \
         read_only_helper --nocapture",
        d = dir.path().display(),
        v = view.display(),
        me = me.display()
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .output()
        .unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
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
    if !can_unshare() {
        eprintln!("skipped: no user namespaces here to mount a read-only view");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    filled(&db);
    // A non-empty log beside the file, as a copy taken while a writer was open would leave.
    std::fs::write(dir.path().join("live.db-wal"), vec![1u8; 4096]).unwrap();
    let view = dir.path().join("ro");
    std::fs::create_dir(&view).unwrap();
    let me = std::env::current_exe().unwrap();
    let script = format!(
        "mount --bind {d} {v} && mount -o remount,ro,bind {v} && \
         SITREP_RO_WAL_DB={v}/live.db {me} --ignored --exact wal_helper --nocapture",
        d = dir.path().display(),
        v = view.display(),
        me = me.display()
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .output()
        .unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
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
