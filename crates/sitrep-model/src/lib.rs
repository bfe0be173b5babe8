//! sitrep-model: a learned second opinion for the rule-based coder. MiniLM-L6 sentence
//! embeddings (feature `model`, candle on CPU) feed a small logistic-regression head that names
//! a sentence's PLOVER event type; `combine` adds the events the rules missed and vetoes weak
//! rule events the model strongly disagrees with, recording each decision in `evidence.rule`.
//!
//! Without the `model` feature the crate still reads training data, trains and applies heads
//! and combines opinions, so all of that is tested in the default build without candle.

pub mod combine;
pub mod discovery;
pub mod examples;
pub mod head;
pub mod typescore;

#[cfg(feature = "model")]
pub mod embed;

pub use combine::{combine, is_candidate, Policy, SentenceClassifier};
pub use discovery::{find_model_dir, ModelError};
pub use examples::{read_gold_jsonl, read_tsv, Example, Label};
pub use head::{Head, TrainOptions};

#[cfg(feature = "model")]
pub use embed::{Embedder, ModelClassifier};
