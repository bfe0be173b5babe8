//! The CLI against what used to trap or fool it: databases on read-only media, reused ids,
//! damaged databases, the file-size limit, coder limits hidden by ingest, link loops.

use std::path::Path;
use std::process::{Command, Output};

fn sitrep(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ingest(dir: &Path, input: &str, db: &str) -> Output {
    sitrep(dir, &["ingest", "--rules-only", input, "--db", db])
}

const REPORT: &str =
    r#"{"id":"r1","date":"2024-03-04","text":"Protesters marched in the capital on Monday."}"#;

#[test]
fn a_reused_id_with_other_text_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), format!("{REPORT}\n")).unwrap();
    let other = r#"{"id":"r1","date":"2024-03-04","text":"Troops shelled the border town."}"#;
    std::fs::write(dir.path().join("b.jsonl"), format!("{REPORT}\n{other}\n")).unwrap();
    assert!(ingest(dir.path(), "a.jsonl", "t.db").status.success());
    let o = ingest(dir.path(), "b.jsonl", "t.db");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("b.jsonl:2: error: id `r1` is already stored with different text"),
        "{e}"
    );
    assert!(
        !e.contains("b.jsonl:1: error"),
        "an identical rerun is no error: {e}"
    );
}

#[test]
fn a_damaged_database_fails_ingest_and_check_db_names_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"date":"2024-03-04","text":"Protesters marched in town number {i} on Monday."}}"#
            )
        })
        .collect();
    std::fs::write(dir.path().join("a.jsonl"), lines.join("\n")).unwrap();
    assert!(ingest(dir.path(), "a.jsonl", "t.db").status.success());
    let ok = sitrep(dir.path(), &["check-db", "--db", "t.db"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stderr(&ok).contains(": ok ("), "{}", stderr(&ok));

    let db = dir.path().join("t.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    let end = (mid + 20_000).min(bytes.len());
    bytes[mid..end].fill(0xff);
    std::fs::write(&db, bytes).unwrap();
    std::fs::write(dir.path().join("b.jsonl"), format!("{REPORT}\n")).unwrap();
    let o = ingest(dir.path(), "b.jsonl", "t.db");
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("damaged") || stderr(&o).contains("corrupt"),
        "{}",
        stderr(&o)
    );
    let c = sitrep(dir.path(), &["check-db", "--db", "t.db"]);
    assert_eq!(c.status.code(), Some(1), "{}", stderr(&c));
    assert!(
        stderr(&c).contains("problem") || stderr(&c).contains("damaged"),
        "{}",
        stderr(&c)
    );
}

#[test]
fn ingest_shows_the_warnings_code_prints() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!(
        "date 2024-03-04 Protesters marched {}.\n",
        "and marched ".repeat(600)
    );
    std::fs::write(dir.path().join("long.txt"), &long).unwrap();
    let code = sitrep(
        dir.path(),
        &["code", "--rules-only", "long.txt", "--format", "jsonl"],
    );
    let o = ingest(dir.path(), "long.txt", "t.db");
    assert!(o.status.success(), "{}", stderr(&o));
    for out in [&code, &o] {
        assert!(
            stderr(out).contains("long.txt:1: warning: document")
                && stderr(out).contains("--max-sentence-bytes"),
            "{}",
            stderr(out)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_ends_in_a_message_not_a_silent_kill() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Protesters marched in the capital and troops fired on them. ".repeat(40);
    let lines: Vec<String> = (0..400)
        .map(|i| format!(r#"{{"date":"2024-03-04","text":"Report {i}. {body}"}}"#))
        .collect();
    std::fs::write(dir.path().join("a.jsonl"), lines.join("\n")).unwrap();
    let script = format!(
        "ulimit -f 1000; exec {} ingest --rules-only a.jsonl --db t.db",
        env!("CARGO_BIN_EXE_sitrep")
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.code().is_some(), "killed by a signal: {o:?}");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("file-size limit"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_directory_that_links_to_itself_is_ingested_once() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("in");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(tree.join("a.jsonl"), format!("{REPORT}\n")).unwrap();
    std::os::unix::fs::symlink(&tree, tree.join("again")).unwrap();
    std::os::unix::fs::symlink(&tree, tree.join("and-again")).unwrap();
    let o = ingest(dir.path(), "in", "t.db");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ingested 1 documents"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("loop"), "{}", stderr(&o));
}

#[test]
fn a_bad_seed_date_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.txt"),
        "date 2023-02-27 Protesters marched.\ndate 2023-02-30 Troops fired.\n",
    )
    .unwrap();
    let o = ingest(dir.path(), "s.txt", "t.db");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("s.txt:2: error: bad date line"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn query_export_and_check_work_on_a_read_only_mount() {
    if sitrep_testkit::skip_without_unshare() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), format!("{REPORT}\n")).unwrap();
    assert!(ingest(dir.path(), "a.jsonl", "t.db").status.success());
    let bin = env!("CARGO_BIN_EXE_sitrep");
    let script = format!(
        "cd {{v}} && ! touch probe 2>/dev/null && \
         {bin} query --db t.db > q.out 2>/dev/null; echo query=$?; \
         {bin} query --db t.db --format jsonl 2>&1 | head -c 300; echo; \
         {bin} export --db t.db --format csv 2>&1 | tail -n 1; echo export=$?; \
         {bin} check-db --db t.db 2>&1; echo check=$?"
    );
    let o = sitrep_testkit::in_read_only_view(dir.path(), &script);
    let log = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(!log.contains("unable to open"), "{log}");
    assert!(log.contains("\"event\":\"PROTEST\""), "{log}");
    assert!(log.contains("exported 1 events"), "{log}");
    assert!(log.contains("t.db: ok (1 documents"), "{log}");
    assert!(log.contains("check=0"), "{log}");
}
