//! The event-type head: multinomial logistic regression over sentence embeddings, trained by
//! full-batch gradient descent with momentum. Small enough to ship as JSON in `data/model/`.

use crate::examples::{label_name, parse_label, Label};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Head {
    /// Class names: PLOVER types and NONE.
    pub labels: Vec<String>,
    pub dim: usize,
    /// Row-major, one row of `dim` weights per label.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    /// What it was trained on, for the record.
    #[serde(default)]
    pub trained_on: String,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    pub momentum: f32,
    /// L2 penalty on the weights; embeddings are unit vectors, so weights grow large without it.
    pub l2: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 400,
            learning_rate: 2.0,
            momentum: 0.9,
            l2: 1e-4,
        }
    }
}

impl Head {
    /// Trains on `xs` (equal-length vectors) with class indices `ys` into `labels`. Each
    /// example's weight is `weights[i]` (1.0 when empty), so scarce gold can count for more.
    pub fn train(
        labels: Vec<String>,
        xs: &[Vec<f32>],
        ys: &[usize],
        weights: &[f32],
        opts: &TrainOptions,
    ) -> Head {
        assert_eq!(xs.len(), ys.len());
        let k = labels.len();
        let dim = xs.first().map_or(0, |x| x.len());
        let mut head = Head {
            labels,
            dim,
            weights: vec![0.0; k * dim],
            bias: vec![0.0; k],
            trained_on: String::new(),
        };
        if xs.is_empty() {
            return head;
        }
        let w_of = |i: usize| weights.get(i).copied().unwrap_or(1.0);
        let total: f32 = (0..xs.len()).map(w_of).sum();
        let mut vel_w = vec![0.0f32; k * dim];
        let mut vel_b = vec![0.0f32; k];
        let mut grad_w = vec![0.0f32; k * dim];
        let mut grad_b = vec![0.0f32; k];
        let mut p = vec![0.0f32; k];
        for _ in 0..opts.epochs {
            grad_w.iter_mut().for_each(|g| *g = 0.0);
            grad_b.iter_mut().for_each(|g| *g = 0.0);
            for (i, (x, &y)) in xs.iter().zip(ys).enumerate() {
                head.probabilities_into(x, &mut p);
                let wi = w_of(i) / total;
                for c in 0..k {
                    let err = (p[c] - if c == y { 1.0 } else { 0.0 }) * wi;
                    if err == 0.0 {
                        continue;
                    }
                    grad_b[c] += err;
                    let row = &mut grad_w[c * dim..(c + 1) * dim];
                    for (g, xv) in row.iter_mut().zip(x) {
                        *g += err * xv;
                    }
                }
            }
            for ((w, g), v) in head.weights.iter_mut().zip(&grad_w).zip(&mut vel_w) {
                *v = opts.momentum * *v - opts.learning_rate * (g + opts.l2 * *w);
                *w += *v;
            }
            for ((b, g), v) in head.bias.iter_mut().zip(&grad_b).zip(&mut vel_b) {
                *v = opts.momentum * *v - opts.learning_rate * g;
                *b += *v;
            }
        }
        head
    }

    /// Trains on labelled embeddings, with the label set of the PLOVER types plus NONE.
    pub fn train_labelled(
        xs: &[Vec<f32>],
        labels: &[Label],
        weights: &[f32],
        opts: &TrainOptions,
    ) -> Head {
        let names: Vec<String> = std::iter::once(None)
            .chain(
                sitrep_core::ontology::PLOVER_TYPES
                    .iter()
                    .copied()
                    .map(Some),
            )
            .map(|l| label_name(l).to_string())
            .collect();
        let ys: Vec<usize> = labels
            .iter()
            .map(|l| names.iter().position(|n| n == label_name(*l)).unwrap())
            .collect();
        Head::train(names, xs, &ys, weights, opts)
    }

    fn probabilities_into(&self, x: &[f32], out: &mut [f32]) {
        let mut max = f32::NEG_INFINITY;
        for (c, o) in out.iter_mut().enumerate() {
            let row = &self.weights[c * self.dim..(c + 1) * self.dim];
            *o = self.bias[c] + row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
            max = max.max(*o);
        }
        let mut sum = 0.0;
        for o in out.iter_mut() {
            *o = (*o - max).exp();
            sum += *o;
        }
        out.iter_mut().for_each(|o| *o /= sum);
    }

    /// Class probabilities for one embedding, in the order of `labels`.
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        let mut p = vec![0.0; self.labels.len()];
        self.probabilities_into(x, &mut p);
        p
    }

    /// The label of class `c`.
    pub fn label(&self, c: usize) -> Label {
        parse_label(&self.labels[c]).flatten()
    }

    /// The probability the head gives `label`; 0 for a label it does not know.
    pub fn probability_of(&self, probs: &[f32], label: Label) -> f32 {
        let name = label_name(label);
        self.labels
            .iter()
            .position(|l| l == name)
            .map_or(0.0, |c| probs[c])
    }

    /// The most probable label and its probability.
    pub fn best(&self, probs: &[f32]) -> (Label, f32) {
        let (c, p) = probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(c, p)| (c, *p))
            .unwrap_or((0, 0.0));
        (self.label(c), p)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a head serialises")
    }

    pub fn from_json(s: &str) -> Result<Head, String> {
        let h: Head = serde_json::from_str(s).map_err(|e| e.to_string())?;
        let k = h.labels.len();
        if h.bias.len() != k || h.weights.len() != k * h.dim {
            return Err(format!(
                "head shape mismatch: {k} labels, dim {}, {} weights, {} biases",
                h.dim,
                h.weights.len(),
                h.bias.len()
            ));
        }
        if let Some(bad) = h.labels.iter().find(|l| parse_label(l).is_none()) {
            return Err(format!("head has an unknown label '{bad}'"));
        }
        Ok(h)
    }

    pub fn load(path: &Path) -> Result<Head, String> {
        let s = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Head::from_json(&s).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::EventType;

    /// Three well-separated clusters on the unit sphere, with a little deterministic noise.
    fn clusters() -> (Vec<Vec<f32>>, Vec<Label>) {
        let centres = [
            (None, [1.0, 0.0, 0.0, 0.0]),
            (Some(EventType::Threaten), [0.0, 1.0, 0.0, 0.0]),
            (Some(EventType::Agree), [0.0, 0.0, 0.6, 0.8]),
        ];
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..60 {
            let (l, c) = centres[i % 3];
            let noise = ((i * 7919) % 13) as f32 / 13.0 - 0.5;
            let mut x: Vec<f32> = c.iter().map(|v| v + 0.3 * noise).collect();
            let n = x.iter().map(|v| v * v).sum::<f32>().sqrt();
            x.iter_mut().for_each(|v| *v /= n);
            xs.push(x);
            ys.push(l);
        }
        (xs, ys)
    }

    #[test]
    fn learns_separable_classes_and_round_trips() {
        let (xs, ys) = clusters();
        let head = Head::train_labelled(&xs, &ys, &[], &TrainOptions::default());
        assert_eq!(head.labels.len(), 17);
        for (x, y) in xs.iter().zip(&ys) {
            let (l, p) = head.best(&head.probabilities(x));
            assert_eq!(l, *y);
            assert!(p > 0.5, "{p}");
        }
        let back = Head::from_json(&head.to_json()).unwrap();
        assert_eq!(back.probabilities(&xs[1]), head.probabilities(&xs[1]));
        let probs = head.probabilities(&xs[1]);
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(head.probability_of(&probs, Some(EventType::Threaten)) > 0.5);
    }

    #[test]
    fn rejects_malformed_heads() {
        let (xs, ys) = clusters();
        let mut head = Head::train_labelled(&xs, &ys, &[], &TrainOptions::default());
        head.bias.pop();
        assert!(Head::from_json(&head.to_json()).is_err());
    }
}
