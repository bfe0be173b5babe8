//! The learned coder's share of `sitrep bench`: on one thread, over the first part of the same
//! corpus, the rules alone and the learned coder, so the two compare as a ratio measured in
//! the same run. The model is slow next to the rules, so a sample keeps the bench short.

use anyhow::Result;
use serde::Serialize;
use sitrep_core::readers::{read_bytes, ReadOptions};
use sitrep_core::text::sentences;
use sitrep_core::{Coder, CoderOptions, Document, Kb};
use sitrep_eval::rss::peak_rss_bytes;
use sitrep_model::{LearnedCoder, RelationModel};
use std::time::Instant;

#[derive(Serialize)]
pub struct ModelRun {
    pub model: String,
    pub load_ms: f64,
    pub sample_bytes: usize,
    pub sentences: usize,
    /// Sentences with an actor mention: the ones the model reads.
    pub sentences_read: usize,
    pub rules_seconds: f64,
    pub learned_seconds: f64,
    pub rules_events: usize,
    pub learned_events: usize,
    pub peak_rss_mb: f64,
}

impl ModelRun {
    pub fn sentences_per_s(&self) -> f64 {
        self.sentences as f64 / self.learned_seconds.max(1e-9)
    }
    pub fn mb_per_s(&self) -> f64 {
        self.sample_bytes as f64 / 1e6 / self.learned_seconds.max(1e-9)
    }
}

/// Documents from the start of `input` holding about `max_bytes` of text.
fn sample(name: &str, input: &[u8], max_bytes: usize) -> Vec<Document> {
    let out = read_bytes(name, input, &ReadOptions::default());
    let mut size = 0;
    out.documents
        .into_iter()
        .take_while(|d| {
            size += d.text.len();
            size - d.text.len() < max_bytes
        })
        .collect()
}

/// Times the rules and the learned coder over the same sample, on the calling thread alone.
pub fn run(kb: &Kb, name: &str, input: &[u8], max_bytes: usize) -> Result<ModelRun> {
    let docs = sample(name, input, max_bytes);
    let t = Instant::now();
    let learned = LearnedCoder::new(RelationModel::embedded()?);
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let coder = Coder::new(kb, CoderOptions::default());
    let t = Instant::now();
    let rules_events: usize = docs.iter().map(|d| coder.code(d).len()).sum();
    let rules_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut learned_events = 0;
    for d in &docs {
        learned_events += learned.code(&coder, d)?.len();
    }
    let learned_seconds = t.elapsed().as_secs_f64();
    let sentences_read = docs
        .iter()
        .flat_map(|d| coder.sentence_views(d))
        .filter(|v| v.mentions.iter().any(|m| !m.actors.is_empty()))
        .count();
    Ok(ModelRun {
        model: learned.model.id.clone(),
        load_ms,
        sample_bytes: docs.iter().map(|d| d.text.len()).sum(),
        sentences: docs.iter().map(|d| sentences(&d.text).len()).sum(),
        sentences_read,
        rules_seconds,
        learned_seconds,
        rules_events,
        learned_events,
        peak_rss_mb: peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0)),
    })
}

pub fn render(m: &ModelRun) -> String {
    format!(
        "\nlearned coder ({}, loaded in {:.0} ms), one thread, first {:.2} MB ({} sentences, {} with \
         actors):\n  rules alone {:.3} s, {} events; learned {:.3} s, {} events: {:.0} sentences/s, \
         {:.3} MB/s, {:.1}x the rules' time\n",
        m.model,
        m.load_ms,
        m.sample_bytes as f64 / 1e6,
        m.sentences,
        m.sentences_read,
        m.rules_seconds,
        m.rules_events,
        m.learned_seconds,
        m.learned_events,
        m.sentences_per_s(),
        m.mb_per_s(),
        m.learned_seconds / m.rules_seconds.max(1e-9)
    )
}
