//! `sitrep eval` and `sitrep bench` as a user runs them: exit codes, JSON shapes, error messages.

use std::path::PathBuf;
use std::process::{Command, Output};

fn sitrep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .output()
        .expect("the sitrep binary runs")
}

/// A fresh scratch directory per test, so tests can run in parallel.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sitrep-measure-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// No event can be read from these sentences, so whatever the coder becomes, it scores 0 here.
const QUIET_GOLD: &str = r#"{"id":"q1","date":"2010-05-04","text":"The weather was mild and the shops opened late.","event":"AGREE","source":[{"actorText":"x","code":"AAA"}],"target":""}
{"id":"q2","date":"2010-05-04","text":"A new bridge spans the river.","event":"FIGHT","source":[{"actorText":"y","code":"BBB","sector":"MIL"}],"target":[{"actorText":"z","code":"CCC"}]}
"#;

#[test]
fn eval_json_has_every_level_and_min_f1_fails_below_threshold() {
    let dir = scratch("eval");
    let gold = dir.join("quiet.jsonl");
    std::fs::write(&gold, QUIET_GOLD).unwrap();
    let out = sitrep(&["eval", gold.to_str().unwrap(), "--json", "--errors"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 2);
    assert_eq!(v["gold_events"], 2);
    let levels: Vec<&str> = v["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["type", "type+source", "type+source+target"]);
    assert_eq!(v["levels"][2]["gold"], 1);
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);

    let out = sitrep(&["eval", gold.to_str().unwrap(), "--min-f1", "0.5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("below --min-f1 0.5"));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("type+source+target"), "{table}");

    let out = sitrep(&["eval", gold.to_str().unwrap(), "--min-f1", "7"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn eval_names_the_file_and_line_of_a_bad_record() {
    let dir = scratch("bad");
    let gold = dir.join("bad.jsonl");
    std::fs::write(
        &gold,
        format!("{QUIET_GOLD}{{\"date\":\"2010-05-04\",\"text\":\"x\"}}\n"),
    )
    .unwrap();
    let out = sitrep(&["eval", gold.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl:3: missing 'event' label"), "{err}");
}

#[test]
#[ignore = "needs ../shared beside the repo: cargo test -- --ignored shared_"]
fn shared_gold_files_evaluate() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/gold");
    let files = ["plover-gsr.dev.jsonl", "seed.expected.jsonl"].map(|f| root.join(f));
    assert!(
        files.iter().all(|f| f.exists()),
        "{} not found: this test needs ../shared beside the repo",
        root.display()
    );
    let args: Vec<&str> = ["eval", "--json"]
        .into_iter()
        .chain(files.iter().map(|f| f.to_str().unwrap()))
        .collect();
    let out = sitrep(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["gold_events"], 153);
    // the seed file codes several events from one sentence: fewer documents than events
    let seed = &reports[1];
    assert!(seed["documents"].as_u64() < seed["gold_events"].as_u64());
}

#[test]
fn bench_reports_every_stage_for_one_and_two_threads() {
    let dir = scratch("bench");
    let saved = dir.join("corpus.jsonl");
    let out = sitrep(&[
        "bench",
        "--size",
        "150KB",
        "--threads",
        "2",
        "--seed",
        "9",
        "--model-sample",
        "3KB",
        "--json",
        "--save-corpus",
        saved.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, threads) in runs.iter().zip([1, 2]) {
        assert_eq!(run["threads"], threads);
        let stages: Vec<&str> = run["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["stage"].as_str().unwrap())
            .collect();
        assert_eq!(stages, ["read", "segment", "actors", "events", "write"]);
    }
    assert!(v["input_bytes"].as_u64().unwrap() >= 150_000);
    // the learned coder is timed on its sample, and finds events there
    assert!(
        v["learned"]["sentences"].as_u64().unwrap() > 0,
        "{}",
        v["learned"]
    );
    assert!(
        v["learned"]["learned_events"].as_u64().unwrap() > 0,
        "{}",
        v["learned"]
    );
    assert_eq!(
        std::fs::metadata(&saved).unwrap().len(),
        v["input_bytes"].as_u64().unwrap()
    );

    // the saved corpus benchmarks as an input file with the same documents
    let out = sitrep(&[
        "bench",
        "--input",
        saved.to_str().unwrap(),
        "--threads",
        "1",
        "--rules-only",
        "--json",
    ]);
    assert!(out.status.success());
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["runs"].as_array().unwrap().len(), 1);
    assert_eq!(w["runs"][0]["docs"], v["runs"][0]["docs"]);
}

/// The figures of a rules-only bench run of `args`, as JSON.
fn bench_json(args: &[&str]) -> serde_json::Value {
    let out = sitrep(&[&["bench", "--rules-only", "--json"], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn bench_streams_the_corpus_in_batches_and_counts_the_same_as_in_one() {
    let dir = scratch("batches");
    let saved = dir.join("corpus.jsonl");
    let saved = saved.to_str().unwrap();
    let size = ["--size", "200KB", "--threads", "2"];
    let one = bench_json(&[&size[..], &["--batch", "10MB", "--save-corpus", saved]].concat());
    let many = bench_json(&[&size[..], &["--batch", "30KB"]].concat());
    let file = bench_json(&["--input", saved, "--threads", "1", "--batch", "30KB"]);
    assert_eq!(one["runs"][0]["batches"], 1);
    // a batch stops at the first document that fills it: far below the corpus, whatever its size
    let longest = std::fs::read_to_string(saved)
        .unwrap()
        .lines()
        .map(str::len)
        .max()
        .unwrap() as u64;
    for v in [&many, &file] {
        for run in v["runs"].as_array().unwrap() {
            assert!(run["batches"].as_u64().unwrap() >= 6, "{run}");
            assert!(run["largest_batch_bytes"].as_u64().unwrap() <= 30_000 + longest + 1);
            for key in ["docs", "sentences", "actor_mentions", "events"] {
                assert_eq!(run[key], one["runs"][0][key], "{key}");
            }
            let events = &run["stages"][3];
            assert_eq!(events["stage"], "events");
            assert!(events["cores_used"].as_f64().is_some(), "{events}");
        }
    }
}

#[test]
fn bench_rejects_bad_sizes_and_missing_inputs() {
    let out = sitrep(&["bench", "--size", "lots"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'lots' is not a size"));
    let out = sitrep(&["bench", "--batch", "0MB"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the size must be positive"));
    let out = sitrep(&["bench", "--input", "/nonexistent/corpus.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/corpus.jsonl"));
}
