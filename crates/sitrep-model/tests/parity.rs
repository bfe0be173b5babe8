//! The Rust embeddings against reference vectors recorded once from sentence-transformers
//! (scripts/model-reference.py). Skips, saying so, when the model is not installed.
#![cfg(feature = "model")]

use sitrep_model::{find_model_dir, Embedder};

#[derive(serde::Deserialize)]
struct Reference {
    sentences: Vec<RefSentence>,
}

#[derive(serde::Deserialize)]
struct RefSentence {
    text: String,
    ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn embedder() -> Option<Embedder> {
    match find_model_dir(None) {
        Ok(dir) => Some(Embedder::load(&dir).expect("the installed model loads")),
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            None
        }
    }
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("fixtures/reference.json")).unwrap()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn tokenisation_matches_the_python_tokenizer() {
    let Some(e) = embedder() else { return };
    for s in reference().sentences {
        assert_eq!(e.token_ids(&s.text).unwrap(), s.ids, "{}", s.text);
    }
}

#[test]
fn embeddings_match_sentence_transformers() {
    let Some(e) = embedder() else { return };
    let r = reference();
    let texts: Vec<&str> = r.sentences.iter().map(|s| s.text.as_str()).collect();
    // batched (with padding) and one at a time must both match
    let batched = e.embed(&texts).unwrap();
    for (s, got) in r.sentences.iter().zip(&batched) {
        assert_eq!(got.len(), 384);
        let norm: f32 = got.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "unit length, got {norm}");
        let c = cosine(got, &s.embedding);
        eprintln!("cosine {c:.6} to the reference: {}", s.text);
        assert!(c >= 0.999, "cosine {c} for {}", s.text);
        let single = e.embed(&[s.text.as_str()]).unwrap();
        assert!(cosine(&single[0], got) >= 0.9999);
    }
    // different sentences stay apart
    assert!(cosine(&batched[0], &batched[1]) < 0.9);
}

#[test]
fn a_wrong_model_dir_is_a_clear_error() {
    let dir = std::env::temp_dir().join("sitrep-no-model-here");
    let err = find_model_dir(Some(&dir)).unwrap_err().to_string();
    assert!(err.contains("pip install"), "{err}");
}
