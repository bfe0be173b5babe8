//! `--model` from the command line: with the feature it adds model events (skipping, with a
//! message, when the MiniLM package is not installed); without it, it says how to get it.

use std::io::Write;
use std::process::{Command, Stdio};

fn sitrep(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sitrep runs");
    // A refused flag can make sitrep exit before it reads its input: the write then meets a
    // closed pipe, which is not what these tests are about.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

#[cfg(not(feature = "model"))]
#[test]
fn without_the_feature_model_flags_explain_the_rebuild() {
    let out = sitrep(
        &["code", "--date", "2024-05-02", "--model", "-"],
        "Iran threatened Israel.",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--features model"), "{err}");
}

#[cfg(feature = "model")]
#[test]
fn model_adds_an_event_the_rules_miss_and_says_so() {
    if let Err(e) = sitrep_model::find_model_dir(None) {
        eprintln!("SKIPPED: {e}");
        return;
    }
    let text = "Russian and Ukrainian forces traded artillery fire across the river overnight.";
    let plain = sitrep(&["code", "--date", "2024-05-02", "-"], text);
    let with = sitrep(&["code", "--date", "2024-05-02", "--model", "-"], text);
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let rules = String::from_utf8_lossy(&plain.stdout);
    let model = String::from_utf8_lossy(&with.stdout);
    let events: Vec<serde_json::Value> = model
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        events.iter().any(|e| e["event"] == "ASSAULT"),
        "rules: {rules}\nwith model: {model}"
    );
    let from_model: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["evidence"]["rule"].as_str().unwrap().contains("model:"))
        .collect();
    if rules.trim().is_empty() {
        assert_eq!(from_model.len(), 1, "{model}");
        assert!(from_model[0]["evidence"]["rule"]
            .as_str()
            .unwrap()
            .starts_with("model:ASSAULT@"));
    }
}

#[cfg(feature = "model")]
#[test]
fn a_missing_model_dir_is_a_clear_error() {
    let out = sitrep(
        &[
            "code",
            "--date",
            "2024-05-02",
            "--model",
            "--model-dir",
            "/nonexistent/sitrep-model",
            "-",
        ],
        "Iran threatened Israel.",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pip install"), "{err}");
}
