//! The learned coder's share of `sitrep bench`: on one thread, over the first part of the same
//! corpus, the rules alone and the learned coder, so the two compare as a ratio measured in
//! the same run; then the learned coder again on N threads, for its own scaling. The model is
//! slow next to the rules, so a sample keeps the bench short.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use sitrep_core::readers::{read_bytes, ReadOptions};
use sitrep_core::text::sentences;
use sitrep_core::{Coder, CoderOptions, Document, Kb};
use sitrep_eval::cpu::pool_cpu_ns;
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
    /// The learned coder over the same sample on `threads` worker threads (absent for one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallel: Option<ParallelRun>,
    pub peak_rss_mb: f64,
}

#[derive(Serialize)]
pub struct ParallelRun {
    pub threads: usize,
    pub seconds: f64,
    /// CPU time of the workers, against the one-thread run's: above 1, threads cost each other.
    pub cpu_seconds: f64,
    pub one_thread_cpu_seconds: f64,
    pub events: usize,
}

impl ModelRun {
    pub fn sentences_per_s(&self) -> f64 {
        self.sentences as f64 / self.learned_seconds.max(1e-9)
    }
    pub fn mb_per_s(&self) -> f64 {
        self.sample_bytes as f64 / 1e6 / self.learned_seconds.max(1e-9)
    }
}

/// Documents from the start of the corpus holding about `max_bytes` of text, gathered batch by
/// batch.
pub struct Sample {
    pub docs: Vec<Document>,
    text_bytes: usize,
    max_bytes: usize,
}

impl Sample {
    pub fn new(max_bytes: usize) -> Sample {
        Sample {
            docs: Vec::new(),
            text_bytes: 0,
            max_bytes,
        }
    }

    /// Takes documents from a batch until the sample is full; reads nothing once it is.
    pub fn add(&mut self, name: &str, batch: &[u8]) {
        if self.text_bytes >= self.max_bytes {
            return;
        }
        for d in read_bytes(name, batch, &ReadOptions::default()).documents {
            if self.text_bytes >= self.max_bytes {
                break;
            }
            self.text_bytes += d.text.len();
            self.docs.push(d);
        }
    }
}

/// Times the rules and the learned coder over the sample on one thread, then the learned coder
/// on `threads`.
pub fn run(kb: &Kb, docs: &[Document], threads: usize) -> Result<ModelRun> {
    let t = Instant::now();
    let learned = LearnedCoder::new(RelationModel::embedded()?);
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let coder = Coder::new(kb, CoderOptions::default());
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let t = Instant::now();
    let rules_events: usize = one.install(|| docs.iter().map(|d| coder.code(d).len()).sum());
    let rules_seconds = t.elapsed().as_secs_f64();
    let (learned_seconds, one_cpu, learned_events) = time_learned(&one, &learned, &coder, docs)?;
    let parallel = if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let (seconds, cpu_seconds, events) = time_learned(&pool, &learned, &coder, docs)?;
        Some(ParallelRun {
            threads,
            seconds,
            cpu_seconds,
            one_thread_cpu_seconds: one_cpu,
            events,
        })
    } else {
        None
    };
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
        parallel,
        peak_rss_mb: peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0)),
    })
}

/// Wall seconds, worker CPU seconds and events of the learned coder over `docs` in `pool`.
fn time_learned(
    pool: &rayon::ThreadPool,
    learned: &LearnedCoder,
    coder: &Coder<'_>,
    docs: &[Document],
) -> Result<(f64, f64, usize)> {
    let cpu = pool_cpu_ns(pool);
    let t = Instant::now();
    let counts: Vec<usize> = pool.install(|| {
        docs.par_iter()
            .map(|d| learned.code(coder, d).map(|e| e.len()))
            .collect::<Result<_, _>>()
    })?;
    let seconds = t.elapsed().as_secs_f64();
    let cpu_s = pool_cpu_ns(pool).saturating_sub(cpu) as f64 / 1e9;
    Ok((seconds, cpu_s, counts.iter().sum()))
}

pub fn render(m: &ModelRun) -> String {
    let mut o = format!(
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
    );
    if let Some(p) = &m.parallel {
        o.push_str(&format!(
            "  learned on {} threads {:.3} s, {} events: {:.2}x the one-thread speed; CPU {:.3} s, \
             {:.2}x the one-thread run's\n",
            p.threads,
            p.seconds,
            p.events,
            m.learned_seconds / p.seconds.max(1e-9),
            p.cpu_seconds,
            p.cpu_seconds / p.one_thread_cpu_seconds.max(1e-9)
        ));
    }
    o
}
