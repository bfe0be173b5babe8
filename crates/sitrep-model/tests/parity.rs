//! The Rust relation model against the probabilities the training script computed for a few
//! validation sentences with the same fp16 weights (data/model/relation/parity.json): the
//! tokenizer, span mapping, encoder and head must all agree for the numbers to.

use sitrep_model::{PairQuery, RelationModel};

#[derive(serde::Deserialize)]
struct Parity {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    mentions: Vec<(usize, usize)>,
    pairs: Vec<(Option<usize>, Option<usize>)>,
    probs: Vec<Vec<f32>>,
}

#[test]
fn rust_probabilities_match_the_training_script() {
    let parity: Parity =
        serde_json::from_str(include_str!("../../../data/model/relation/parity.json")).unwrap();
    assert!(!parity.cases.is_empty(), "the fixture holds cases");
    let model = RelationModel::embedded().expect("the built-in model loads");
    let queries: Vec<PairQuery> = parity
        .cases
        .iter()
        .map(|c| PairQuery {
            text: &c.text,
            mentions: c.mentions.clone(),
            pairs: c.pairs.clone(),
        })
        .collect();
    let got = model.score(&queries).unwrap();
    let mut worst = 0f32;
    for (c, g) in parity.cases.iter().zip(&got) {
        assert_eq!(g.pairs.len(), c.probs.len(), "{}", c.text);
        for (want, have) in c.probs.iter().zip(&g.pairs) {
            for (w, h) in want.iter().zip(have) {
                worst = worst.max((w - h).abs());
            }
        }
    }
    assert!(worst < 2e-3, "largest probability difference {worst}");
}

#[test]
fn thresholds_and_labels_cover_the_sixteen_types() {
    let model = RelationModel::embedded().unwrap();
    assert_eq!(model.labels.len(), 16);
    assert!(model.thresholds.iter().all(|t| (0.0..1.0).contains(t)));
    assert!(model.id.starts_with("minilm-rel-"), "{}", model.id);
}

#[derive(serde::Deserialize)]
struct SentenceParity {
    parity: Vec<SentenceCase>,
}

#[derive(serde::Deserialize)]
struct SentenceCase {
    text: String,
    probs: Vec<f32>,
}

#[test]
fn rust_sentence_types_match_the_training_script() {
    let file: SentenceParity =
        serde_json::from_str(include_str!("../../../data/model/relation/sentence.json")).unwrap();
    assert!(!file.parity.is_empty(), "the fixture holds cases");
    let model = RelationModel::embedded().unwrap();
    let queries: Vec<PairQuery> = file
        .parity
        .iter()
        .map(|c| PairQuery {
            text: &c.text,
            mentions: Vec::new(),
            pairs: Vec::new(),
        })
        .collect();
    let got = model.score(&queries).unwrap();
    let mut worst = 0f32;
    for (c, g) in file.parity.iter().zip(&got) {
        let have = g
            .sentence
            .as_ref()
            .expect("the built-in model has a sentence head");
        assert_eq!(have.len(), c.probs.len(), "{}", c.text);
        for (w, h) in c.probs.iter().zip(have) {
            worst = worst.max((w - h).abs());
        }
    }
    assert!(worst < 2e-3, "largest probability difference {worst}");
}
