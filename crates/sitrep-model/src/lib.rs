//! sitrep-model: the learned relation coder. A fine-tuned MiniLM encoder (on CPU: our own forward pass
//! over gemm, the weights read with candle)
//! reads each sentence once; a small head gives every candidate (source, target) pair of
//! actor mentions a probability per PLOVER type (`relation`, with the head in `head`). `learned` turns those into
//! events, with the rules' mentions, KB codes, trigger words, status cues, dates and places.
//! The weights ship in the binary (data/model/relation, fp16), so nothing is downloaded.

mod encoder;
pub mod error;
mod head;
mod kernels;
pub mod learned;
pub mod relation;
mod sentence;

pub use error::ModelError;
pub use learned::{LearnedCoder, LearnedPolicy};
pub use relation::{PairQuery, RelationModel};
