//! The BERT encoder's forward pass, written for the one shape the coder runs: a handful of
//! sentences at a time on a CPU. It reads the same weights as Hugging Face's `BertModel`
//! (the names `scripts/train_relations.py` saves) and gives the same token states, but:
//!
//! - every token-wise step (the projections, the feed-forward block, layer norm) runs over the
//!   tokens of all sentences stacked together, so nothing is padded: a batch costs its real
//!   tokens, not `batch × longest`;
//! - attention runs per sentence over its own tokens, which is what a padding mask computes;
//! - query, key and value are one product (three times the width, a third of the calls);
//! - GELU and softmax use a branch-free erf and exp the compiler vectorises. In candle's BERT
//!   the scalar `erf` took a fifth of the coder's time, as much as a third of the matrix work.

use crate::error::ModelError;
use crate::kernels::{dot, gelu_in_place, layer_norm_in_place, softmax_in_place};
use std::collections::HashMap;

/// What the encoder needs of `config.json`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct EncoderConfig {
    pub hidden_size: usize,
    pub num_attention_heads: usize,
    pub num_hidden_layers: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f64 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// A linear layer `y = x·Wᵀ + b`, with W as stored: `out × in`, row-major.
pub(crate) struct Dense {
    w: Vec<f32>,
    b: Vec<f32>,
    n_in: usize,
    n_out: usize,
}

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

struct Layer {
    /// Query, key and value stacked: `3·hidden × hidden`.
    qkv: Dense,
    attn_out: Dense,
    attn_norm: Norm,
    up: Dense,
    down: Dense,
    out_norm: Norm,
}

pub struct Encoder {
    word: Vec<f32>,
    position: Vec<f32>,
    /// Row 0 of the token-type table: every token is of segment 0.
    segment: Vec<f32>,
    emb_norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
    eps: f32,
    vocab: usize,
    max_pos: usize,
}

/// Token states of a batch: `tokens × hidden`, row-major, the sentences one after another.
pub struct States {
    pub rows: Vec<f32>,
    /// Where each sentence's rows start, and one past the last sentence.
    pub starts: Vec<usize>,
}

/// Weights by name, as f32 with their shape.
pub(crate) type Weights = HashMap<String, (Vec<f32>, Vec<usize>)>;

pub(crate) fn take(
    w: &mut Weights,
    name: &str,
    shape: &[usize],
    what: &str,
) -> Result<Vec<f32>, ModelError> {
    let (data, got) = w.remove(name).ok_or_else(|| ModelError::Load {
        dir: what.into(),
        msg: format!("weight {name} is missing"),
    })?;
    if got != shape {
        return Err(ModelError::Load {
            dir: what.into(),
            msg: format!("weight {name} has shape {got:?}, expected {shape:?}"),
        });
    }
    Ok(data)
}

impl Dense {
    pub(crate) fn new(w: Vec<f32>, b: Vec<f32>) -> Dense {
        let n_out = b.len();
        let n_in = w.len() / n_out.max(1);
        Dense { w, b, n_in, n_out }
    }

    fn load(
        w: &mut Weights,
        prefix: &str,
        n_out: usize,
        n_in: usize,
        what: &str,
    ) -> Result<Dense, ModelError> {
        let weight = take(w, &format!("{prefix}.weight"), &[n_out, n_in], what)?;
        let bias = take(w, &format!("{prefix}.bias"), &[n_out], what)?;
        Ok(Dense::new(weight, bias))
    }

    /// `m` rows of `x` (each `n_in` wide) through the layer.
    pub(crate) fn apply(&self, x: &[f32], m: usize) -> Vec<f32> {
        debug_assert_eq!(x.len(), m * self.n_in);
        let mut out = Vec::with_capacity(m * self.n_out);
        for _ in 0..m {
            out.extend_from_slice(&self.b);
        }
        if m == 0 {
            return out;
        }
        // SAFETY: the three buffers hold m×n_out, m×n_in and n_out×n_in floats, and the
        // strides below address exactly those elements. Wᵀ is read through W's own layout:
        // element (i, j) of Wᵀ is w[j·n_in + i].
        unsafe {
            gemm::gemm(
                m,
                self.n_out,
                self.n_in,
                out.as_mut_ptr(),
                1,
                self.n_out as isize,
                true,
                x.as_ptr(),
                1,
                self.n_in as isize,
                self.w.as_ptr(),
                self.n_in as isize,
                1,
                1.0,
                1.0,
                false,
                false,
                false,
                parallelism(),
            );
        }
        out
    }
}

/// The matrix products may use the threads of the rayon pool they run in: one in the
/// coder's per-document workers when those already fill the machine, all of them when a
/// single document is coded alone.
fn parallelism() -> gemm::Parallelism {
    match rayon::current_num_threads() {
        0 | 1 => gemm::Parallelism::None,
        n => gemm::Parallelism::Rayon(n),
    }
}

impl Norm {
    fn load(w: &mut Weights, prefix: &str, n: usize, what: &str) -> Result<Norm, ModelError> {
        Ok(Norm {
            w: take(w, &format!("{prefix}.weight"), &[n], what)?,
            b: take(w, &format!("{prefix}.bias"), &[n], what)?,
        })
    }

    fn apply(&self, rows: &mut [f32], eps: f32) {
        for row in rows.chunks_exact_mut(self.w.len()) {
            layer_norm_in_place(row, &self.w, &self.b, eps);
        }
    }
}

impl Layer {
    fn load(w: &mut Weights, i: usize, c: &EncoderConfig, what: &str) -> Result<Layer, ModelError> {
        let (h, inner) = (c.hidden_size, c.intermediate_size);
        let p = format!("encoder.layer.{i}");
        let mut qkv_w = Vec::with_capacity(3 * h * h);
        let mut qkv_b = Vec::with_capacity(3 * h);
        for part in ["query", "key", "value"] {
            qkv_w.extend(take(
                w,
                &format!("{p}.attention.self.{part}.weight"),
                &[h, h],
                what,
            )?);
            qkv_b.extend(take(
                w,
                &format!("{p}.attention.self.{part}.bias"),
                &[h],
                what,
            )?);
        }
        Ok(Layer {
            qkv: Dense::new(qkv_w, qkv_b),
            attn_out: Dense::load(w, &format!("{p}.attention.output.dense"), h, h, what)?,
            attn_norm: Norm::load(w, &format!("{p}.attention.output.LayerNorm"), h, what)?,
            up: Dense::load(w, &format!("{p}.intermediate.dense"), inner, h, what)?,
            down: Dense::load(w, &format!("{p}.output.dense"), h, inner, what)?,
            out_norm: Norm::load(w, &format!("{p}.output.LayerNorm"), h, what)?,
        })
    }
}

impl Encoder {
    /// Width of a token state.
    pub(crate) fn hidden(&self) -> usize {
        self.hidden
    }

    /// The encoder's weights, taken out of `w` (the head's stay behind).
    pub(crate) fn load(
        w: &mut Weights,
        c: &EncoderConfig,
        what: &str,
    ) -> Result<Encoder, ModelError> {
        let err = |msg: String| ModelError::Load {
            dir: what.into(),
            msg,
        };
        if c.hidden_act != "gelu" {
            return Err(err(format!(
                "activation {:?}: only the exact (erf) gelu is built",
                c.hidden_act
            )));
        }
        if c.num_attention_heads == 0 || !c.hidden_size.is_multiple_of(c.num_attention_heads) {
            return Err(err("hidden size is not a multiple of the heads".into()));
        }
        let h = c.hidden_size;
        let (word, shape) = w
            .remove("embeddings.word_embeddings.weight")
            .ok_or_else(|| err("weight embeddings.word_embeddings.weight is missing".into()))?;
        if shape.len() != 2 || shape[1] != h {
            return Err(err(format!("word embeddings have shape {shape:?}")));
        }
        let vocab = shape[0];
        let max_pos = c.max_position_embeddings;
        let position = take(
            w,
            "embeddings.position_embeddings.weight",
            &[max_pos, h],
            what,
        )?;
        let types = w
            .remove("embeddings.token_type_embeddings.weight")
            .ok_or_else(|| {
                err("weight embeddings.token_type_embeddings.weight is missing".into())
            })?;
        let layers = (0..c.num_hidden_layers)
            .map(|i| Layer::load(w, i, c, what))
            .collect::<Result<_, _>>()?;
        Ok(Encoder {
            word,
            position,
            segment: types.0[..h].to_vec(),
            emb_norm: Norm::load(w, "embeddings.LayerNorm", h, what)?,
            layers,
            hidden: h,
            heads: c.num_attention_heads,
            eps: c.layer_norm_eps as f32,
            vocab,
            max_pos,
        })
    }

    /// The last layer's token states of each sentence (token ids, `[CLS]` … `[SEP]`).
    pub fn forward(&self, ids: &[&[u32]]) -> Result<States, ModelError> {
        let mut starts = Vec::with_capacity(ids.len() + 1);
        let mut total = 0;
        for s in ids {
            if s.len() > self.max_pos {
                return Err(ModelError::Inference(format!(
                    "{} tokens, more than the {} positions the encoder has",
                    s.len(),
                    self.max_pos
                )));
            }
            starts.push(total);
            total += s.len();
        }
        starts.push(total);
        let mut x = self.embed(ids)?;
        for layer in &self.layers {
            x = self.layer(layer, x, &starts);
        }
        Ok(States { rows: x, starts })
    }

    fn embed(&self, ids: &[&[u32]]) -> Result<Vec<f32>, ModelError> {
        let h = self.hidden;
        let mut x = Vec::with_capacity(ids.iter().map(|s| s.len()).sum::<usize>() * h);
        for s in ids {
            for (pos, &id) in s.iter().enumerate() {
                let id = id as usize;
                if id >= self.vocab {
                    return Err(ModelError::Inference(format!(
                        "token id {id} is outside the vocabulary"
                    )));
                }
                let word = &self.word[id * h..(id + 1) * h];
                let posv = &self.position[pos * h..(pos + 1) * h];
                x.extend(
                    word.iter()
                        .zip(posv)
                        .zip(&self.segment)
                        .map(|((a, b), c)| a + b + c),
                );
            }
        }
        self.emb_norm.apply(&mut x, self.eps);
        Ok(x)
    }

    fn layer(&self, l: &Layer, x: Vec<f32>, starts: &[usize]) -> Vec<f32> {
        let m = x.len() / self.hidden;
        let qkv = l.qkv.apply(&x, m);
        let ctx = self.attention(&qkv, starts);
        let mut y = l.attn_out.apply(&ctx, m);
        add_in_place(&mut y, &x);
        l.attn_norm.apply(&mut y, self.eps);
        let mut up = l.up.apply(&y, m);
        gelu_in_place(&mut up);
        let mut z = l.down.apply(&up, m);
        add_in_place(&mut z, &y);
        l.out_norm.apply(&mut z, self.eps);
        z
    }

    /// Scaled dot-product attention of each sentence over its own tokens, all heads.
    fn attention(&self, qkv: &[f32], starts: &[usize]) -> Vec<f32> {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let total = *starts.last().unwrap_or(&0);
        let mut ctx = vec![0f32; total * h];
        let mut scores = Vec::new();
        for w in starts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let len = b - a;
            for head in 0..self.heads {
                let (q0, k0, v0) = (head * d, h + head * d, 2 * h + head * d);
                for i in a..b {
                    let q = &qkv[i * 3 * h + q0..][..d];
                    scores.clear();
                    scores.extend((a..b).map(|j| dot(q, &qkv[j * 3 * h + k0..][..d]) * scale));
                    softmax_in_place(&mut scores[..len]);
                    let out = &mut ctx[i * h + head * d..][..d];
                    for (j, &p) in (a..b).zip(scores.iter()) {
                        let v = &qkv[j * 3 * h + v0..][..d];
                        out.iter_mut().zip(v).for_each(|(o, v)| *o += p * v);
                    }
                }
            }
        }
        ctx
    }
}

fn add_in_place(acc: &mut [f32], v: &[f32]) {
    acc.iter_mut().zip(v).for_each(|(a, x)| *a += x);
}
