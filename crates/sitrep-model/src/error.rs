//! What can go wrong with the learned coder: weights that do not load, or inference that fails.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("relation model ({dir}): {msg}")]
    Load { dir: PathBuf, msg: String },
    #[error("relation model inference: {0}")]
    Inference(String),
}
