//! A reader that goes away (`sitrep code … | head`) ends sitrep quietly with exit status 0, as
//! ripgrep does: no "Broken pipe" error, no exit status 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs sitrep with the read end of its stdout closed before it writes anything, so its first
/// write fails with EPIPE whatever the size of the output. Returns (exit status, stderr).
fn with_stdout_closed(args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sitrep binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn code_query_and_export_end_quietly_when_stdout_closes() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("data/samples");
    let samples = samples.to_str().unwrap();
    for format in ["jsonl", "pretty", "csv"] {
        let (code, err) = with_stdout_closed(
            &["code", "--rules-only", "--format", format, samples],
            dir.path(),
        );
        assert_eq!(code, Some(0), "code --format {format}: {err}");
        assert!(
            !err.contains("Broken pipe"),
            "code --format {format}: {err}"
        );
    }
    let ingest = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["ingest", "--rules-only", "--db", "s.db", samples])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        ingest.status.success(),
        "{}",
        String::from_utf8_lossy(&ingest.stderr)
    );
    for args in [
        &["query", "--db", "s.db"][..],
        &["query", "--db", "s.db", "--format", "jsonl"],
        &["export", "--db", "s.db"],
        &["export", "--db", "s.db", "--format", "events"],
        &["kb", "lookup", "Netanyahu", "--date", "2023-11-07"],
    ] {
        let (code, err) = with_stdout_closed(args, dir.path());
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}
