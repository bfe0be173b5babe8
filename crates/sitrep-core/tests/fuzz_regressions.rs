//! Replays every input the fuzzers ever broke the code with (`tests/data/fuzz-regressions/<target>/`)
//! through the same harness and checks as the fuzz target of that name, so CI guards the fixes
//! without running a fuzzer.

use sitrep_core::invariants::{fuzz_coder, fuzz_coder_for, fuzz_parsers, fuzz_readers, fuzz_text};
use sitrep_core::Kb;
use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: impl Fn(&[u8]) -> Result<(), String>) {
    let files = corpus(target);
    assert!(!files.is_empty(), "no regression inputs for {target}");
    for f in files {
        let data = std::fs::read(&f).unwrap();
        if let Err(e) = run(&data) {
            panic!("{}: {e}", f.display());
        }
    }
}

#[test]
fn readers_regressions() {
    replay("readers", fuzz_readers);
}

#[test]
fn text_regressions() {
    replay("text", fuzz_text);
}

#[test]
fn parsers_regressions() {
    let kb = Kb::embedded();
    let coder = fuzz_coder_for(&kb);
    replay("parsers", |d| fuzz_parsers(&coder, d));
}

#[test]
fn coder_regressions() {
    let kb = Kb::embedded();
    let coder = fuzz_coder_for(&kb);
    replay("coder", |d| fuzz_coder(&coder, d));
}
