//! Which coder turns documents into events: the learned relation coder (the default: the
//! rules read mentions, triggers, statuses, dates and places, the model decides which actor
//! pairs stand in an event), or the rules alone (`--rules-only`, the fast path).

use anyhow::{Context, Result};
use sitrep_core::coder::Coder;
use sitrep_core::{Document, Event};
use sitrep_model::{LearnedCoder, RelationModel};
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Code with the rules alone (no model): faster, and what earlier releases did
    #[arg(long)]
    pub rules_only: bool,
    /// Relation model directory written by scripts/train_relations.py (default: the model
    /// built into the binary)
    #[arg(long, value_name = "DIR", conflicts_with = "rules_only")]
    pub relation_model: Option<PathBuf>,
    /// Keep a rule event the model did not emit when the model gives its type at least this
    /// on its actors (tuning; default from the shipped policy)
    #[arg(long, value_name = "P", hide = true)]
    pub keep_rule_min: Option<f32>,
    /// Added to the model's tuned thresholds (tuning)
    #[arg(long, value_name = "D", hide = true, allow_hyphen_values = true)]
    pub threshold_shift: Option<f32>,
    /// Added to the thresholds of types no trigger word of the sentence names (tuning)
    #[arg(long, value_name = "D", hide = true, allow_hyphen_values = true)]
    pub untriggered_margin: Option<f32>,
    /// Let the model's sentence head add events of types the sentence reports but no actor
    /// pair reached, to sentences with none: more recall, lower precision on real news
    #[arg(long)]
    pub sentence_head: bool,
    /// Pair probability from which the sentence head may make a type's best pair an event
    /// (tuning)
    #[arg(long, value_name = "P", hide = true)]
    pub sentence_floor: Option<f32>,
    /// Added to the sentence head's tuned thresholds (tuning)
    #[arg(long, value_name = "D", hide = true, allow_hyphen_values = true)]
    pub sentence_shift: Option<f32>,
    /// Whether the sentence head adds events only to sentences with none from the pairs
    /// (tuning)
    #[arg(long, value_name = "BOOL", hide = true)]
    pub sentence_fills_only: Option<bool>,
}

pub enum Engine {
    Rules,
    Learned(Box<LearnedCoder>),
}

impl EngineArgs {
    /// The relation model's id, read without loading its weights.
    pub fn model_id(&self) -> Result<String> {
        Ok(sitrep_model::relation::model_id(
            self.relation_model.as_deref(),
        )?)
    }

    pub fn load(&self) -> Result<Engine> {
        if self.rules_only {
            return Ok(Engine::Rules);
        }
        let model = match &self.relation_model {
            Some(dir) => RelationModel::load(dir),
            None => RelationModel::embedded(),
        }
        .context("loading the relation model (--rules-only codes without it)")?;
        let mut learned = LearnedCoder::new(model);
        if let Some(k) = self.keep_rule_min {
            learned.policy.keep_rule_min = k;
        }
        if let Some(d) = self.threshold_shift {
            learned.policy.threshold_shift = d;
        }
        if let Some(d) = self.untriggered_margin {
            learned.policy.untriggered_margin = d;
        }
        learned.policy.sentence_head = self.sentence_head;
        if let Some(p) = self.sentence_floor {
            learned.policy.sentence_floor = p;
        }
        if let Some(d) = self.sentence_shift {
            learned.policy.sentence_shift = d;
        }
        if let Some(b) = self.sentence_fills_only {
            learned.policy.sentence_fills_only = b;
        }
        Ok(Engine::Learned(Box::new(learned)))
    }
}

impl Engine {
    pub fn code(&self, coder: &Coder, doc: &Document) -> Result<Vec<Event>> {
        match self {
            Engine::Rules => Ok(coder.code(doc)),
            Engine::Learned(l) => Ok(l.code(coder, doc)?),
        }
    }

    /// The learned coder's events, or the rules' with a warning naming the document when
    /// inference fails: one bad document must not stop an ingest.
    pub fn code_or_rules(&self, coder: &Coder, doc: &Document) -> Vec<Event> {
        self.code(coder, doc).unwrap_or_else(|e| {
            eprintln!(
                "sitrep: warning: document {}: {e:#}; coded with the rules alone",
                doc.id
            );
            coder.code(doc)
        })
    }
}
