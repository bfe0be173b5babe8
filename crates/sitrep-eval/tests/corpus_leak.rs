//! The written training corpus (data/train/corpus) holds no sentence of the dev gold or the
//! seed story: they are the final check, and a model that has seen them would flatter itself.
//! Needs ../shared: `#[ignore]`d, run with `cargo test -- --ignored shared_` (CI does).

use std::collections::HashSet;
use std::path::Path;

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "jsonl"))
    {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(t) = v["text"].as_str() {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

/// Word 8-grams: a shared run of eight words is a copied clause, not a common phrase.
fn grams(s: &str) -> Vec<String> {
    let w: Vec<&str> = s.split(' ').collect();
    w.windows(8).map(|x| x.join(" ")).collect()
}

#[test]
#[ignore = "needs ../shared beside the repo: cargo test -- --ignored shared_"]
fn shared_gold_and_seed_sentences_are_not_in_the_training_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared");
    assert!(
        shared.join("gold").is_dir(),
        "../shared/gold not found: the corpus leak check needs ../shared beside the repo"
    );
    let corpus = texts_in(&root.join("data/train/corpus"));
    assert!(
        corpus.len() > 1000,
        "the corpus is there ({} records)",
        corpus.len()
    );
    let mut gold = texts_in(&shared.join("gold"));
    gold.extend(
        std::fs::read_to_string(shared.join("fixtures/seed-2023-11-07.txt"))
            .unwrap_or_default()
            .split(['.', '\n'])
            .filter(|s| s.split_whitespace().count() >= 8)
            .map(str::to_string),
    );
    let corpus_grams: HashSet<String> = corpus.iter().flat_map(|t| grams(&norm(t))).collect();
    let corpus_texts: HashSet<String> = corpus.iter().map(|t| norm(t)).collect();
    let mut leaks = Vec::new();
    for g in &gold {
        let n = norm(g);
        if corpus_texts.contains(&n) || grams(&n).iter().any(|x| corpus_grams.contains(x)) {
            leaks.push(g.clone());
        }
    }
    assert!(
        leaks.is_empty(),
        "{} gold sentences overlap the corpus: {:?}",
        leaks.len(),
        &leaks[..leaks.len().min(5)]
    );
}
