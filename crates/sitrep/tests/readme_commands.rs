//! The README's commands run as written: every `sitrep …` line of its `sh` code blocks, in
//! order, in a scratch directory holding copies of `data/samples` and `data/gold`, with the built
//! binary first on PATH. A line fails the test when it exits non-zero, prints nothing on stdout
//! or stderr, or reports that nothing matched. Doc drift becomes a failing test.
//!
//! Skipped, by rule: `sitrep serve` (a server that does not end) and `sitrep bench` unless it
//! is given `--size` of at most 2MB (the default 50MB is a long run). `text` blocks are synopses
//! with placeholders and are never run; lines that do not start with `sitrep` (cargo, export)
//! are left to the reader.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The lines of the README's ```sh blocks that start with `sitrep`.
fn sitrep_lines(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if let Some(lang) = t.strip_prefix("```") {
            in_sh = !in_sh && lang.trim() == "sh";
            continue;
        }
        if in_sh && (t == "sitrep" || t.starts_with("sitrep ")) {
            out.push(t.to_string());
        }
    }
    out
}

/// Why a README line is not run, or `None` when it is.
fn skip_reason(line: &str) -> Option<&'static str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.get(1).copied() {
        Some("serve") => Some("starts a server"),
        Some("bench") => {
            let small = words
                .windows(2)
                .find(|w| w[0] == "--size")
                .and_then(|w| size_mb(w[1]))
                .is_some_and(|mb| mb <= 2.0);
            (!small).then_some("a long run (bench without --size of at most 2MB)")
        }
        _ => None,
    }
}

/// "500KB" → 0.49, "2MB" → 2.0.
fn size_mb(s: &str) -> Option<f64> {
    let s = s.to_ascii_uppercase();
    if let Some(n) = s.strip_suffix("KB") {
        return n.parse::<f64>().ok().map(|k| k / 1024.0);
    }
    s.strip_suffix("MB")?.parse().ok()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn the_readme_finds_its_commands() {
    let lines = sitrep_lines(
        "```sh\nsitrep code x   # y\ncargo test\n```\n```text\nsitrep code FILE\n```\n",
    );
    assert_eq!(lines, ["sitrep code x   # y"]);
    assert!(skip_reason("sitrep serve --db x").is_some());
    assert!(skip_reason("sitrep bench").is_some());
    assert!(skip_reason("sitrep bench --size 50MB").is_some());
    assert!(skip_reason("sitrep bench --size 2MB --threads 2").is_none());
    assert!(skip_reason("sitrep query --series week").is_none());
}

#[test]
fn readme_commands_run_on_what_ships() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = sitrep_lines(&readme);
    assert!(lines.len() >= 5, "README commands found: {lines:?}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("data/samples"),
        &dir.path().join("data/samples"),
    );
    copy_dir(&repo().join("data/gold"), &dir.path().join("data/gold"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_sitrep")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut ran = 0;
    let mut failures = Vec::new();
    for line in &lines {
        if let Some(why) = skip_reason(line) {
            eprintln!("readme: skipped ({why}): {line}");
            continue;
        }
        // bash runs the line as a reader would paste it: quotes, pipes and `# comments`
        let out = Command::new("bash")
            .args(["-o", "pipefail", "-c", line])
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .expect("bash runs");
        ran += 1;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let problem = if !out.status.success() {
            Some(format!("exit status {:?}", out.status.code()))
        } else if stdout.trim().is_empty() && stderr.trim().is_empty() {
            Some("printed nothing".to_string())
        } else if stderr.contains("no events match") || stderr.contains("no stories match") {
            Some("matched nothing".to_string())
        } else {
            None
        };
        if let Some(p) = problem {
            failures.push(format!("{line}\n  {p}\n  stderr: {}", stderr.trim()));
        }
    }
    assert!(ran >= 5, "only {ran} README commands ran");
    assert!(
        failures.is_empty(),
        "README commands that fail:\n{}",
        failures.join("\n")
    );
}
