//! The relation model's pair head, factored so that a sentence with many mentions stays cheap.
//! It must give the same numbers as the training script's head, up to float rounding.
//!
//! The head is GELU(W·[cls; mean(src); mean(tgt); mean(between)] + b), then one sigmoid per
//! type. W is linear and a span mean commutes with it, so every token state is projected once
//! by the four blocks of W in one matrix product (`project`), and a pair only sums projected
//! rows: O(span tokens × inner) per pair instead of O(4 × hidden × inner).

use crate::encoder::{Dense, States};
use crate::error::ModelError;
use crate::kernels::{dot, gelu};

/// A token range of the sentence, end exclusive; `None` is "no actor named".
pub type Span = Option<(usize, usize)>;

pub struct PairHead {
    hidden: usize,
    inner: usize,
    /// fc1's four input blocks as one layer `hidden → 4·inner`, no bias: output block k is
    /// block k of fc1 applied to a token state.
    fc1_blocks: Dense,
    fc1_b: Vec<f32>,
    /// fc1's source and target blocks applied to the learned "nobody" vector.
    null_src: Vec<f32>,
    null_tgt: Vec<f32>,
    fc2_w: Vec<f32>,
    fc2_b: Vec<f32>,
}

/// One sentence's token states after projection: `len × 4·inner`, row-major.
pub struct Projected {
    rows: Vec<f32>,
}

impl PairHead {
    /// From the trained weights: fc1 is `inner × 4·hidden`, fc2 `labels × inner`.
    pub fn new(
        hidden: usize,
        null: &[f32],
        fc1_w: &[f32],
        fc1_b: Vec<f32>,
        fc2_w: Vec<f32>,
        fc2_b: Vec<f32>,
    ) -> Result<PairHead, ModelError> {
        let inner = fc1_b.len();
        if fc1_w.len() != inner * 4 * hidden || null.len() != hidden {
            return Err(ModelError::Load {
                dir: "relation head".into(),
                msg: "fc1 is not inner × 4·hidden".into(),
            });
        }
        let mut blocks = vec![0f32; 4 * inner * hidden];
        for r in 0..inner {
            for k in 0..4 {
                let row = &fc1_w[r * 4 * hidden + k * hidden..][..hidden];
                blocks[(k * inner + r) * hidden..][..hidden].copy_from_slice(row);
            }
        }
        let block = |k: usize| -> Vec<f32> {
            (0..inner)
                .map(|r| dot(&fc1_w[r * 4 * hidden + k * hidden..][..hidden], null))
                .collect()
        };
        Ok(PairHead {
            hidden,
            inner,
            fc1_blocks: Dense::new(blocks, vec![0.0; 4 * inner]),
            null_src: block(1),
            null_tgt: block(2),
            fc1_b,
            fc2_w,
            fc2_b,
        })
    }

    /// Projects a batch's token states into one block per sentence.
    pub fn project(&self, states: &States) -> Vec<Projected> {
        let m = states.rows.len() / self.hidden;
        let all = self.fc1_blocks.apply(&states.rows, m);
        let width = 4 * self.inner;
        states
            .starts
            .windows(2)
            .map(|w| Projected {
                rows: all[w[0] * width..w[1] * width].to_vec(),
            })
            .collect()
    }

    /// One probability per label for the pair (src, tgt) of a projected sentence.
    pub fn pair(&self, p: &Projected, src: Span, tgt: Span) -> Vec<f32> {
        let inner = self.inner;
        let mut pre = self.fc1_b.clone();
        add(&mut pre, &p.rows[..inner]); // [CLS] is token 0
        match src {
            Some(s) => add_mean(&mut pre, p, 1, s, inner),
            None => add(&mut pre, &self.null_src),
        }
        match tgt {
            Some(t) => add_mean(&mut pre, p, 2, t, inner),
            None => add(&mut pre, &self.null_tgt),
        }
        // the tokens between the two mentions; nothing when they touch or overlap
        if let (Some(a), Some(b)) = (src, tgt) {
            let (lo, hi) = (a.1.min(b.1), a.0.max(b.0));
            if hi > lo {
                add_mean(&mut pre, p, 3, (lo, hi), inner);
            }
        }
        pre.iter_mut().for_each(|x| *x = gelu(*x));
        self.fc2_b
            .iter()
            .enumerate()
            .map(|(r, b)| sigmoid(dot(&self.fc2_w[r * inner..(r + 1) * inner], &pre) + b))
            .collect()
    }
}

fn add(acc: &mut [f32], v: &[f32]) {
    acc.iter_mut().zip(v).for_each(|(a, x)| *a += x);
}

/// Adds the mean over tokens a..b of projected block k.
fn add_mean(acc: &mut [f32], p: &Projected, k: usize, (a, b): (usize, usize), inner: usize) {
    let n = (b - a) as f32;
    let mut sum = vec![0f32; inner];
    for t in a..b {
        let off = t * 4 * inner + k * inner;
        add(&mut sum, &p.rows[off..off + inner]);
    }
    acc.iter_mut().zip(&sum).for_each(|(x, s)| *x += s / n);
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The factored head against the head written out as the script computes it.
    #[test]
    fn factored_head_equals_the_direct_formula() {
        let (h, inner, labels, len) = (3, 2, 2, 5);
        let val = |i: usize, s: f32| ((i * 7 + 3) % 11) as f32 * s - 0.4;
        let fc1_w: Vec<f32> = (0..inner * 4 * h).map(|i| val(i, 0.09)).collect();
        let fc1_b = vec![0.1, -0.2];
        let fc2_w: Vec<f32> = (0..labels * inner).map(|i| val(i, 0.2)).collect();
        let fc2_b = vec![0.05, -0.1];
        let null = vec![0.3, -0.1, 0.2];
        let states: Vec<f32> = (0..len * h).map(|i| val(i, 0.13)).collect();
        let head = PairHead::new(
            h,
            &null,
            &fc1_w,
            fc1_b.clone(),
            fc2_w.clone(),
            fc2_b.clone(),
        )
        .unwrap();
        let t = States {
            rows: states.clone(),
            starts: vec![0, len],
        };
        let p = &head.project(&t)[0];
        let mean = |s: Span| -> Vec<f32> {
            s.map_or(null.clone(), |(a, b)| {
                (0..h)
                    .map(|c| (a..b).map(|t| states[t * h + c]).sum::<f32>() / (b - a) as f32)
                    .collect()
            })
        };
        for (src, tgt) in [
            (Some((1, 2)), Some((3, 5))),
            (Some((3, 4)), None),
            (None, Some((1, 3))),
        ] {
            let mut x: Vec<f32> = states[..h].to_vec();
            x.extend(mean(src));
            x.extend(mean(tgt));
            x.extend(match (src, tgt) {
                (Some(a), Some(b)) if a.0.max(b.0) > a.1.min(b.1) => {
                    mean(Some((a.1.min(b.1), a.0.max(b.0))))
                }
                _ => vec![0.0; h],
            });
            let hid: Vec<f32> = (0..inner)
                .map(|r| gelu(dot(&fc1_w[r * 4 * h..(r + 1) * 4 * h], &x) + fc1_b[r]))
                .collect();
            let want: Vec<f32> = (0..labels)
                .map(|r| sigmoid(dot(&fc2_w[r * inner..(r + 1) * inner], &hid) + fc2_b[r]))
                .collect();
            let got = head.pair(p, src, tgt);
            for (w, g) in want.iter().zip(&got) {
                assert!((w - g).abs() < 1e-5, "{src:?} {tgt:?}: {want:?} vs {got:?}");
            }
        }
    }
}
