//! MiniLM-L6 sentence embeddings on CPU with candle, as sentence-transformers computes them:
//! BERT token states, mean-pooled over the attention mask, L2-normalised.

use crate::combine::SentenceClassifier;
use crate::discovery::ModelError;
use crate::head::Head;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// The model's sentence length limit in sentence-transformers (sentence_bert_config.json);
/// longer sentences are cut, as there.
pub const MAX_TOKENS: usize = 256;

/// Sentences embedded in one forward pass. Sorted by length first, so padding stays small.
const BATCH: usize = 32;

pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    pub dir: PathBuf,
}

fn load_err(dir: &Path, e: impl std::fmt::Display) -> ModelError {
    ModelError::Load {
        dir: dir.to_path_buf(),
        msg: e.to_string(),
    }
}

fn infer(e: impl std::fmt::Display) -> ModelError {
    ModelError::Inference(e.to_string())
}

impl Embedder {
    /// Loads the model from `dir` (see `discovery::find_model_dir`).
    pub fn load(dir: &Path) -> Result<Embedder, ModelError> {
        let device = Device::Cpu;
        let config = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| load_err(dir, format!("config.json: {e}")))?;
        let config: Config = serde_json::from_str(&config)
            .map_err(|e| load_err(dir, format!("config.json: {e}")))?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| load_err(dir, format!("tokenizer.json: {e}")))?;
        // the file pads every input to 128 and truncates there; sentence-transformers instead
        // truncates at 256 and pads per batch, which is what the embeddings must match
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| load_err(dir, e))?;
        let weights = dir.join("model.safetensors");
        // SAFETY: the file is memory-mapped read-only; it must not change while mapped, which
        // holds for an installed package's data file
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .map_err(|e| load_err(dir, format!("model.safetensors: {e}")))?;
        let model = BertModel::load(vb, &config).map_err(|e| load_err(dir, e))?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
            dir: dir.to_path_buf(),
        })
    }

    /// Token ids as the model sees them, [CLS] and [SEP] included.
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        let enc = self.tokenizer.encode(text, true).map_err(infer)?;
        Ok(enc.get_ids().to_vec())
    }

    /// The dimension of the embeddings.
    pub fn dim(&self) -> usize {
        384
    }

    /// One unit-length embedding per sentence, in input order.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let ids: Vec<Vec<u32>> = sentences
            .iter()
            .map(|s| self.token_ids(s))
            .collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); ids.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            for (&i, e) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = e;
            }
        }
        Ok(out)
    }

    fn embed_batch(&self, ids: &[&[u32]]) -> Result<Vec<Vec<f32>>, ModelError> {
        let n = ids.len();
        let len = ids.iter().map(|x| x.len()).max().unwrap_or(0);
        let mut flat = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for x in ids {
            flat.extend_from_slice(x);
            flat.extend(std::iter::repeat_n(0u32, len - x.len()));
            mask.extend(std::iter::repeat_n(1u32, x.len()));
            mask.extend(std::iter::repeat_n(0u32, len - x.len()));
        }
        let input = Tensor::from_vec(flat, (n, len), &self.device).map_err(infer)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device).map_err(infer)?;
        let types = input.zeros_like().map_err(infer)?;
        let states = self
            .model
            .forward(&input, &types, Some(&mask))
            .map_err(infer)?;
        let pooled = mean_pool(&states, &mask).map_err(infer)?;
        pooled.to_vec2::<f32>().map_err(infer)
    }
}

/// Mean of the token states under the mask, then L2 normalisation (sentence-transformers'
/// Pooling + Normalize modules).
fn mean_pool(states: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = states.broadcast_mul(&m)?.sum(1)?;
    let counts = m.sum(1)?.clamp(1e-9, f32::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
    mean.broadcast_div(&norm)
}

/// The embedder with a trained head: the model's opinion on sentences.
pub struct ModelClassifier {
    pub embedder: Embedder,
    pub head: Head,
}

impl SentenceClassifier for ModelClassifier {
    fn head(&self) -> &Head {
        &self.head
    }

    fn classify(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if self.head.dim != self.embedder.dim() {
            return Err(ModelError::Inference(format!(
                "the head expects {}-dimensional embeddings, the model gives {}",
                self.head.dim,
                self.embedder.dim()
            )));
        }
        Ok(self
            .embedder
            .embed(sentences)?
            .iter()
            .map(|x| self.head.probabilities(x))
            .collect())
    }
}
