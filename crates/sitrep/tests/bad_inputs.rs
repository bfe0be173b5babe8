//! The real `sitrep code` binary on hostile files (`tests/data/bad/`, outcomes in its
//! `expected.tsv`): the expected exit code, a diagnostic naming the file and line, and never a
//! panic. The 100 MB line is made here at run time rather than committed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/bad")
}

/// The rules alone: these files test the readers, and the rules' events on their sentences
/// are fixed, where the learned coder's follow its weights.
fn sitrep_code(args: &[&str], input: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["code", "--rules-only"])
        .args(args)
        .arg(input)
        .output()
        .expect("sitrep runs")
}

struct Expected {
    file: String,
    exit: i32,
    /// 0: the diagnostic concerns the whole file; empty message: no diagnostic at all.
    line: usize,
    message: String,
    /// Events the good records still give, at least.
    min_events: usize,
}

fn manifest() -> Vec<Expected> {
    let text = std::fs::read_to_string(bad_dir().join("expected.tsv")).expect("expected.tsv");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                f.len(),
                5,
                "expected.tsv:{}: want 5 tab-separated fields",
                i + 1
            );
            let num = |s: &str| {
                s.parse()
                    .unwrap_or_else(|_| panic!("expected.tsv:{}: bad number '{s}'", i + 1))
            };
            Expected {
                file: f[0].to_string(),
                exit: num(f[1]) as i32,
                line: num(f[2]),
                message: f[3].to_string(),
                min_events: num(f[4]),
            }
        })
        .collect()
}

fn check(path: &Path, out: &Output, exit: i32, line: usize, message: &str) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = path.display().to_string();
    if stderr.contains("panicked") || out.status.code().is_none() {
        return Err(format!("{name}: crashed ({:?}):\n{stderr}", out.status));
    }
    if out.status.code() != Some(exit) {
        return Err(format!(
            "{name}: exit {:?}, expected {exit}:\n{stderr}",
            out.status.code()
        ));
    }
    if message.is_empty() {
        if !stderr.trim().is_empty() {
            return Err(format!("{name}: expected no diagnostics, got:\n{stderr}"));
        }
        return Ok(());
    }
    let place = if line > 0 {
        format!("{name}:{line}: ")
    } else {
        format!("{name}: ")
    };
    let named = stderr
        .lines()
        .any(|l| l.contains(&place) && l.contains(message));
    if !named {
        return Err(format!(
            "{name}: expected a diagnostic at '{place}' containing '{message}', got:\n{stderr}"
        ));
    }
    Ok(())
}

#[test]
fn every_bad_file_gives_its_expected_outcome() {
    let cases = manifest();
    let dir = bad_dir();
    let mut listed: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    listed.sort();
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.tsv")
        .collect();
    present.sort();
    assert_eq!(
        listed, present,
        "expected.tsv and tests/data/bad/ list other files"
    );

    let mut failures = Vec::new();
    for c in &cases {
        let path = dir.join(&c.file);
        let out = sitrep_code(&[], &path);
        if let Err(e) = check(&path, &out, c.exit, c.line, &c.message) {
            failures.push(e);
            continue;
        }
        let events = String::from_utf8_lossy(&out.stdout).lines().count();
        if events < c.min_events {
            failures.push(format!(
                "{}: {events} events, expected at least {}",
                c.file, c.min_events
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A scraped page can be one enormous line: it is cut to the document limit and its endless
/// sentence skipped, each with a warning naming the file and line, and the run succeeds.
#[test]
fn a_100_mb_line_is_truncated_and_skipped_with_warnings() {
    let dir = std::env::temp_dir().join(format!("sitrep-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge-line.txt");
    let unit = "Israel attacked Gaza and ";
    let mut text = String::with_capacity(100 << 20);
    text.push_str("date 2023-11-07 ");
    while text.len() < 100 << 20 {
        text.push_str(unit);
    }
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    drop(text);
    let out = sitrep_code(&["--max-doc-bytes", "1000000"], &path);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    std::fs::remove_dir_all(&dir).ok();
    check(&path, &out, 0, 1, "truncated").unwrap();
    check(&path, &out, 0, 1, "longer than 4096 bytes skipped").unwrap();
    assert!(stderr.contains("--max-sentence-bytes"), "{stderr}");
}

/// The event limit cuts with a warning naming the document; raising the sentence limit lets a
/// long sentence be coded.
#[test]
fn limits_are_flags_and_cutting_is_announced() {
    let dir = std::env::temp_dir().join(format!("sitrep-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("many.txt");
    let mut text = String::from("date 2023-11-07 ");
    // thirty years of distinct acts: one act told again would merge into one event
    for year in 1980..2010 {
        text.push_str(&format!(
            "Israel attacked Hamas in {year}. Egypt condemned Israel in {year}. "
        ));
    }
    std::fs::write(&path, &text).unwrap();

    let out = sitrep_code(&["--max-events-per-doc", "5"], &path);
    check(&path, &out, 0, 1, "stopped at 5 events").unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5);

    let out = sitrep_code(&[], &path);
    check(&path, &out, 0, 0, "").unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 5);

    let long = dir.join("long.txt");
    let sentence = format!(
        "date 2023-11-07 Israel attacked Hamas{}.",
        " and the talks went on".repeat(10)
    );
    std::fs::write(&long, &sentence).unwrap();
    let out = sitrep_code(&["--max-sentence-bytes", "100"], &long);
    check(&long, &out, 0, 1, "longer than 100 bytes skipped").unwrap();
    assert_eq!(out.stdout.len(), 0);
    let out = sitrep_code(&["--max-sentence-bytes", "1000"], &long);
    check(&long, &out, 0, 0, "").unwrap();
    assert!(!out.stdout.is_empty(), "a raised limit codes the sentence");
    std::fs::remove_dir_all(&dir).ok();
}
