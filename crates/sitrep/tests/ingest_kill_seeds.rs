//! (goes to crates/sitrep/tests/ once `store` is in main, beside ingest_crash.rs, whose single
//! kill it extends to several seeded kill points.) The real binary is killed with SIGKILL when
//! the store holds a seed-chosen number of documents; each time the database passes
//! `PRAGMA integrity_check` and a rerun yields exactly the rows of a clean run.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DOCS: usize = 3_000;

fn write_input(path: &Path) {
    let towns = ["Arlen", "Besk", "Corvo", "Dunmere", "Eskar", "Folley"];
    let mut s = String::with_capacity(DOCS * 160);
    for i in 0..DOCS {
        s.push_str(&format!(
            "{{\"date\":\"2024-03-{:02}\",\"text\":\"Police in {} arrested {} protesters on day {i}. Envoys met to discuss the dispute.\"}}\n",
            1 + i % 28,
            towns[i % towns.len()],
            2 + i % 50,
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn ingest(input: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    c.arg("ingest")
        .arg(input)
        .arg("--db")
        .arg(db)
        .args(["--batch", "25", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn count_docs(db: &Path) -> Option<i64> {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .ok()
}

fn dump(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut out = Vec::new();
    for (table, order) in [
        ("documents", "id"),
        ("events", "id"),
        ("actors", "code, kb, text"),
        ("stories", "id"),
    ] {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}|"));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

fn integrity(db: &Path) -> String {
    let c = Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// A small deterministic generator: the kill points differ per seed but never per run.
fn kill_point(seed: u64) -> i64 {
    let x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    50 + ((x >> 33) % (DOCS as u64 * 3 / 4)) as i64
}

#[test]
fn kill_at_seeded_points_then_rerun_equals_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reports.jsonl");
    write_input(&input);
    let clean = dir.path().join("clean.db");
    assert!(ingest(&input, &clean).status().unwrap().success());
    let want = dump(&clean);

    let mut killed_mid_way = 0;
    for seed in 1..=5u64 {
        let db = dir.path().join(format!("killed-{seed}.db"));
        let target = kill_point(seed);
        let mut child = ingest(&input, &db).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
                break;
            }
            if count_docs(&db).is_some_and(|n| n >= target) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().ok(); // SIGKILL: no destructor or rollback handler runs
        child.wait().unwrap();
        let partial = count_docs(&db).unwrap_or(0);
        if partial > 0 && (partial as usize) < DOCS {
            killed_mid_way += 1;
        }
        assert_eq!(
            integrity(&db),
            "ok",
            "seed {seed}: killed at {partial} documents"
        );
        assert!(
            ingest(&input, &db).status().unwrap().success(),
            "seed {seed}: rerun"
        );
        assert_eq!(integrity(&db), "ok", "seed {seed}: after the rerun");
        assert!(
            dump(&db) == want,
            "seed {seed}: rerun after a kill at {partial} differs from a clean run"
        );
    }
    assert!(
        killed_mid_way >= 3,
        "only {killed_mid_way} of 5 kills landed mid-ingest"
    );
}
