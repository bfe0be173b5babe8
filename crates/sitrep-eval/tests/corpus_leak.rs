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

/// The sentences of the hand-written where/when/how-many gold files in `data/gold`.
fn where_when_texts(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string(root.join("data/gold/where-when-howmany-written.jsonl"))
        .unwrap()
        .lines()
    {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            out.push(v["text"].as_str().unwrap().to_string());
        }
    }
    out
}

/// Sentences of `texts` sharing a word 8-gram with any of `other`.
fn overlapping(texts: &[String], other: &[String]) -> Vec<String> {
    let grams_of: HashSet<String> = other.iter().flat_map(|t| grams(&norm(t))).collect();
    texts
        .iter()
        .filter(|t| grams(&norm(t)).iter().any(|g| grams_of.contains(g)))
        .cloned()
        .collect()
}

/// The written place/date/count gold is an evaluation set: a clause shared with the training
/// corpus would let the learned model (which picks the event scored) flatter itself.
#[test]
fn written_where_when_gold_shares_no_clause_with_the_training_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let gold = where_when_texts(&root);
    assert!(gold.len() >= 300, "{} written records", gold.len());
    let leaks = overlapping(&gold, &texts_in(&root.join("data/train/corpus")));
    assert!(leaks.is_empty(), "{} overlap: {:?}", leaks.len(), leaks);
}

#[test]
#[ignore = "needs ../shared beside the repo: cargo test -- --ignored shared_"]
fn shared_gold_sentences_are_not_in_the_written_where_when_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = texts_in(&root.join("../shared/gold"));
    assert!(!shared.is_empty(), "../shared/gold has records");
    let leaks = overlapping(&where_when_texts(&root), &shared);
    assert!(leaks.is_empty(), "{} copied: {:?}", leaks.len(), leaks);
}
