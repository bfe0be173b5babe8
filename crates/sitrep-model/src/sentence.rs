//! The sentence-type head: one sigmoid per PLOVER type over the encoder's [CLS] state, saying
//! which types a sentence reports whichever pair of mentions holds them. The pair head must
//! find both the act and its actors; this head only the act, and on validation it tells a
//! sentence's types better (docs/model.md), so the learned coder can let it add the best pair
//! of a type the pairs narrowly missed. Fitted by `scripts/train_sentence_head.py` on the shipped
//! encoder, which it leaves untouched: `sentence.safetensors` and `sentence.json` sit beside
//! the model and are optional in a model directory. The coder uses it only when asked
//! (`--sentence-head`): on real news most of what it adds is wrong.

use crate::encoder::{take, Weights};
use crate::error::ModelError;
use crate::kernels::dot;
use serde::Deserialize;

/// `sentence.json`: the labels (the pair head's order) and thresholds tuned on validation.
#[derive(Debug, Clone, Deserialize)]
struct SentenceFile {
    labels: Vec<String>,
    thresholds: Vec<f32>,
}

pub struct SentenceHead {
    hidden: usize,
    /// `labels × hidden`, row-major.
    weight: Vec<f32>,
    bias: Vec<f32>,
    /// Per label: the probability from which the sentence reports that type.
    pub thresholds: Vec<f32>,
}

impl SentenceHead {
    /// From the head's weights and `sentence.json`; its labels must be the pair head's.
    pub fn new(
        mut w: Weights,
        json: &str,
        labels: &[String],
        hidden: usize,
        what: &str,
    ) -> Result<SentenceHead, ModelError> {
        let err = |msg: String| ModelError::Load {
            dir: what.into(),
            msg,
        };
        let file: SentenceFile =
            serde_json::from_str(json).map_err(|e| err(format!("sentence.json: {e}")))?;
        if file.labels != labels {
            return Err(err(
                "sentence.json: labels differ from relation.json's".into()
            ));
        }
        if file.thresholds.len() != labels.len() {
            return Err(err("sentence.json: one threshold per label".into()));
        }
        let n = labels.len();
        Ok(SentenceHead {
            hidden,
            weight: take(&mut w, "sent.weight", &[n, hidden], what)?,
            bias: take(&mut w, "sent.bias", &[n], what)?,
            thresholds: file.thresholds,
        })
    }

    /// One probability per label from a sentence's [CLS] state.
    pub fn probs(&self, cls: &[f32]) -> Vec<f32> {
        self.bias
            .iter()
            .enumerate()
            .map(|(r, b)| {
                let z = dot(&self.weight[r * self.hidden..][..self.hidden], cls) + b;
                1.0 / (1.0 + (-z).exp())
            })
            .collect()
    }

    /// The label and pair index of each event the head adds: per type it finds (its
    /// probability at least the threshold plus `shift`) that is not in `found`, the pair most
    /// likely of that type, when that pair's own probability is at least `floor`.
    pub fn picks(
        &self,
        sent: &[f32],
        pair_scores: &[Vec<f32>],
        found: &[usize],
        shift: f32,
        floor: f32,
    ) -> Vec<(usize, usize)> {
        (0..self.thresholds.len())
            .filter(|&k| sent[k] >= self.thresholds[k] + shift && !found.contains(&k))
            .filter_map(|k| {
                let best = (0..pair_scores.len())
                    .max_by(|&a, &b| pair_scores[a][k].total_cmp(&pair_scores[b][k]))?;
                (pair_scores[best][k] >= floor).then_some((k, best))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(labels: &[&str], json: &str) -> Result<SentenceHead, ModelError> {
        let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        let mut w = Weights::new();
        w.insert(
            "sent.weight".into(),
            (vec![1.0, 0.0, 0.0, -2.0], vec![2, 2]),
        );
        w.insert("sent.bias".into(), (vec![0.0, 1.0], vec![2]));
        SentenceHead::new(w, json, &labels, 2, "test")
    }

    #[test]
    fn probabilities_are_sigmoids_of_the_cls_projection() {
        let h = head(
            &["AGREE", "ASSAULT"],
            r#"{"labels":["AGREE","ASSAULT"],"thresholds":[0.5,0.4]}"#,
        )
        .unwrap();
        let p = h.probs(&[2.0, 0.5]);
        assert!((p[0] - 1.0 / (1.0 + (-2.0f32).exp())).abs() < 1e-6);
        assert!((p[1] - 0.5).abs() < 1e-6, "bias 1 - 2·0.5 = 0");
        assert_eq!(h.thresholds, vec![0.5, 0.4]);
    }

    #[test]
    fn picks_take_each_found_type_s_best_pair_above_the_floor() {
        let h = head(
            &["AGREE", "ASSAULT"],
            r#"{"labels":["AGREE","ASSAULT"],"thresholds":[0.5,0.4]}"#,
        )
        .unwrap();
        let pairs = vec![vec![0.30, 0.05], vec![0.20, 0.08]];
        assert_eq!(h.picks(&[0.9, 0.9], &pairs, &[], 0.0, 0.1), vec![(0, 0)]);
        assert_eq!(
            h.picks(&[0.9, 0.9], &pairs, &[], 0.0, 0.01),
            vec![(0, 0), (1, 1)]
        );
        assert!(
            h.picks(&[0.9, 0.9], &pairs, &[0], 0.0, 0.1).is_empty(),
            "AGREE is found"
        );
        assert!(
            h.picks(&[0.55, 0.9], &pairs, &[], 0.1, 0.1).is_empty(),
            "0.55 < 0.5 + 0.1"
        );
        assert!(
            h.picks(&[0.9, 0.9], &[], &[], 0.0, 0.0).is_empty(),
            "no pairs"
        );
    }

    #[test]
    fn labels_must_be_the_pair_head_s() {
        let e = head(
            &["AGREE", "ASSAULT"],
            r#"{"labels":["ASSAULT","AGREE"],"thresholds":[0.5,0.4]}"#,
        );
        assert!(e.is_err());
        let e = head(
            &["AGREE", "ASSAULT"],
            r#"{"labels":["AGREE","ASSAULT"],"thresholds":[0.5]}"#,
        );
        assert!(e.is_err());
    }
}
