//! The relation model: a BERT encoder read once per sentence, and a head that gives each
//! candidate (source, target) mention pair a probability for each PLOVER type. A side with no
//! mention ("no actor named") is a learned vector. The features mirror
//! `scripts/train_relations.py`: [CLS, mean of the source's tokens, mean of the target's
//! tokens, mean of the tokens between them], a GELU layer, then one sigmoid per type.
//!
//! The shipped weights (`data/model/relation/`, fp16) are built into the binary, so the
//! learned coder needs no files beside it and no Python; `load` reads another directory.

use crate::encoder::{take, Encoder, EncoderConfig, Weights};
use crate::error::ModelError;
use crate::head::PairHead;
use crate::sentence::SentenceHead;
use candle_core::{DType, Device};
use serde::Deserialize;
use sitrep_core::EventType;
use std::path::Path;
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

const EMBEDDED_WEIGHTS: &[u8] = include_bytes!("../../../data/model/relation/model.safetensors");
const EMBEDDED_CONFIG: &str = include_str!("../../../data/model/relation/config.json");
const EMBEDDED_TOKENIZER: &[u8] = include_bytes!("../../../data/model/relation/tokenizer.json");
const EMBEDDED_RELATION: &str = include_str!("../../../data/model/relation/relation.json");
const EMBEDDED_SENTENCE_WEIGHTS: &[u8] =
    include_bytes!("../../../data/model/relation/sentence.safetensors");
const EMBEDDED_SENTENCE: &str = include_str!("../../../data/model/relation/sentence.json");

/// Sentences encoded in one forward pass. Nothing is padded, so a larger batch only buys
/// longer matrix products; past a few hundred tokens they gain little.
const BATCH: usize = 32;

/// `relation.json`: the head's labels and the thresholds tuned on the validation split.
#[derive(Debug, Clone, Deserialize)]
struct RelationFile {
    id: String,
    labels: Vec<String>,
    thresholds: Vec<f32>,
    max_tokens: usize,
}

/// The id of a model directory's weights (the built-in model's with `None`), without
/// loading them.
pub fn model_id(dir: Option<&Path>) -> Result<String, ModelError> {
    let text = match dir {
        None => EMBEDDED_RELATION.to_string(),
        Some(d) => std::fs::read_to_string(d.join("relation.json"))
            .map_err(|e| load_err(&d.display().to_string(), format!("relation.json: {e}")))?,
    };
    let rel: RelationFile =
        serde_json::from_str(&text).map_err(|e| load_err("relation.json", e))?;
    Ok(rel.id)
}

/// One side of a candidate pair: a mention (index into the sentence's mentions) or nobody.
pub type Side = Option<usize>;

/// A sentence to score: its text, its mentions as byte spans of that text, and the pairs.
pub struct PairQuery<'a> {
    pub text: &'a str,
    pub mentions: Vec<(usize, usize)>,
    pub pairs: Vec<(Side, Side)>,
}

/// One sentence's scores: per pair one probability per label, and the sentence head's
/// probability per label when the model has that head.
pub struct Scored {
    pub pairs: Vec<Vec<f32>>,
    pub sentence: Option<Vec<f32>>,
}

pub struct RelationModel {
    encoder: Encoder,
    tokenizer: Tokenizer,
    head: PairHead,
    /// Which types the sentence reports (optional in a model directory).
    pub sentence: Option<SentenceHead>,
    /// The head's label order.
    pub labels: Vec<EventType>,
    /// Per label: the probability from which a pair is an event of that type.
    pub thresholds: Vec<f32>,
    /// Names the weights in every event's `evidence.rule`.
    pub id: String,
}

fn load_err(what: &str, e: impl std::fmt::Display) -> ModelError {
    ModelError::Load {
        dir: what.into(),
        msg: e.to_string(),
    }
}

fn infer(e: impl std::fmt::Display) -> ModelError {
    ModelError::Inference(e.to_string())
}

/// Every tensor of a safetensors file as f32 (the shipped weights are fp16).
fn read_weights(bytes: &[u8], what: &str) -> Result<Weights, ModelError> {
    let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
        .map_err(|e| load_err(what, e))?;
    tensors
        .into_iter()
        .map(|(name, t)| {
            let shape = t.dims().to_vec();
            let data = t
                .to_dtype(DType::F32)
                .and_then(|t| t.flatten_all())
                .and_then(|t| t.to_vec1::<f32>())
                .map_err(|e| load_err(what, format!("{name}: {e}")))?;
            Ok((name, (data, shape)))
        })
        .collect()
}

impl RelationModel {
    /// The model built into the binary.
    pub fn embedded() -> Result<RelationModel, ModelError> {
        let what = "embedded model";
        let mut m = Self::build(
            read_weights(EMBEDDED_WEIGHTS, what)?,
            EMBEDDED_CONFIG,
            EMBEDDED_TOKENIZER,
            EMBEDDED_RELATION,
            what,
        )?;
        m.sentence = Some(m.sentence_head(
            read_weights(EMBEDDED_SENTENCE_WEIGHTS, what)?,
            EMBEDDED_SENTENCE,
            what,
        )?);
        Ok(m)
    }

    fn sentence_head(
        &self,
        w: Weights,
        json: &str,
        what: &str,
    ) -> Result<SentenceHead, ModelError> {
        let labels: Vec<String> = self.labels.iter().map(|l| l.as_str().to_string()).collect();
        SentenceHead::new(w, json, &labels, self.encoder.hidden(), what)
    }

    /// A model directory as `scripts/train_relations.py` writes it.
    pub fn load(dir: &Path) -> Result<RelationModel, ModelError> {
        let shown = dir.display().to_string();
        let read =
            |f: &str| std::fs::read(dir.join(f)).map_err(|e| load_err(&shown, format!("{f}: {e}")));
        let weights = read("model.safetensors")?;
        let config = String::from_utf8_lossy(&read("config.json")?).into_owned();
        let relation = String::from_utf8_lossy(&read("relation.json")?).into_owned();
        let tokenizer = read("tokenizer.json")?;
        let mut m = Self::build(
            read_weights(&weights, &shown)?,
            &config,
            &tokenizer,
            &relation,
            &shown,
        )?;
        // a model trained before the sentence head existed has none: its pairs decide alone
        if dir.join("sentence.json").exists() {
            let w = read_weights(&read("sentence.safetensors")?, &shown)?;
            let json = String::from_utf8_lossy(&read("sentence.json")?).into_owned();
            m.sentence = Some(m.sentence_head(w, &json, &shown)?);
        }
        Ok(m)
    }

    fn build(
        mut w: Weights,
        config: &str,
        tokenizer: &[u8],
        relation: &str,
        what: &str,
    ) -> Result<RelationModel, ModelError> {
        let config: EncoderConfig =
            serde_json::from_str(config).map_err(|e| load_err(what, format!("config: {e}")))?;
        let rel: RelationFile = serde_json::from_str(relation)
            .map_err(|e| load_err(what, format!("relation.json: {e}")))?;
        let labels = rel
            .labels
            .iter()
            .map(|l| EventType::parse_label(l).map(|(t, _)| t))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| load_err(what, "relation.json: unknown label"))?;
        if rel.thresholds.len() != labels.len() {
            return Err(load_err(what, "relation.json: one threshold per label"));
        }
        let mut tok = Tokenizer::from_bytes(tokenizer).map_err(|e| load_err(what, e))?;
        tok.with_padding(None);
        tok.with_truncation(Some(TruncationParams {
            max_length: rel.max_tokens,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
            direction: TruncationDirection::Right,
        }))
        .map_err(|e| load_err(what, e))?;
        let hidden = config.hidden_size;
        let encoder = Encoder::load(&mut w, &config, what)?;
        let inner = w
            .get("head.fc1.bias")
            .map(|(b, _)| b.len())
            .ok_or_else(|| load_err(what, "weight head.fc1.bias is missing"))?;
        let n = labels.len();
        let head = PairHead::new(
            hidden,
            &take(&mut w, "head.null", &[hidden], what)?,
            &take(&mut w, "head.fc1.weight", &[inner, 4 * hidden], what)?,
            take(&mut w, "head.fc1.bias", &[inner], what)?,
            take(&mut w, "head.fc2.weight", &[n, inner], what)?,
            take(&mut w, "head.fc2.bias", &[n], what)?,
        )?;
        Ok(RelationModel {
            encoder,
            tokenizer: tok,
            head,
            sentence: None,
            labels,
            thresholds: rel.thresholds,
            id: rel.id,
        })
    }

    /// For each query: for each of its pairs one probability per label, and the sentence's.
    pub fn score(&self, queries: &[PairQuery]) -> Result<Vec<Scored>, ModelError> {
        let encoded: Vec<_> = queries
            .iter()
            .map(|q| self.tokenizer.encode(q.text, true).map_err(infer))
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(queries.len());
        for (qs, encs) in queries.chunks(BATCH).zip(encoded.chunks(BATCH)) {
            let ids: Vec<&[u32]> = encs.iter().map(|e| e.get_ids()).collect();
            let states = self.encoder.forward(&ids)?;
            let hidden = self.encoder.hidden();
            let projected = self.head.project(&states);
            for (k, ((q, e), st)) in qs.iter().zip(encs).zip(&projected).enumerate() {
                let spans = token_spans(e.get_offsets(), &q.mentions);
                let pairs = q
                    .pairs
                    .iter()
                    .map(|&(s, t)| {
                        self.head
                            .pair(st, s.and_then(|k| spans[k]), t.and_then(|k| spans[k]))
                    })
                    .collect();
                // [CLS] is the sentence's first row
                let cls = &states.rows[states.starts[k] * hidden..][..hidden];
                let sentence = self.sentence.as_ref().map(|h| h.probs(cls));
                out.push(Scored { pairs, sentence });
            }
        }
        Ok(out)
    }
}

/// Token range of each mention: the tokens whose byte offsets overlap it (none when the
/// sentence was cut before it).
fn token_spans(
    offsets: &[(usize, usize)],
    mentions: &[(usize, usize)],
) -> Vec<Option<(usize, usize)>> {
    mentions
        .iter()
        .map(|&(s, e)| {
            let mut hit = offsets
                .iter()
                .enumerate()
                .filter(|(_, &(a, b))| b > a && a < e && b > s)
                .map(|(k, _)| k);
            let first = hit.next()?;
            let last = hit.next_back().unwrap_or(first);
            Some((first, last + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_map_to_the_tokens_they_overlap() {
        // [CLS] "israel" "struck" "gaza" [SEP], with byte offsets
        let offs = [(0, 0), (0, 6), (7, 13), (14, 18), (0, 0)];
        let spans = token_spans(&offs, &[(0, 6), (14, 18), (30, 40)]);
        assert_eq!(spans, vec![Some((1, 2)), Some((3, 4)), None]);
    }
}
