//! The pipeline cut into stages that can be timed one by one: read (JSON Lines → documents),
//! segment (sentences and tokens), actors (segment + KB actor lookup per sentence), events (the
//! full coder) and write (events → JSON Lines). Intermediate sentences are not kept between
//! stages — holding every token of a large corpus would measure the benchmark, not the coder —
//! so the actors stage segments again and its time includes segmentation.

use crate::rss::peak_rss_bytes;
use rayon::prelude::*;
use serde::Serialize;
use sitrep_core::readers::{read_bytes, sniff_format, Diagnostic, Format, ReadOptions};
use sitrep_core::{Coder, CoderOptions, Document, Event, Kb};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Read,
    Segment,
    Actors,
    Events,
    Write,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Read,
        Stage::Segment,
        Stage::Actors,
        Stage::Events,
        Stage::Write,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Segment => "segment",
            Stage::Actors => "actors",
            Stage::Events => "events",
            Stage::Write => "write",
        }
    }

    /// What the stage's bytes are, for MB/s.
    pub fn bytes_of(self) -> &'static str {
        match self {
            Stage::Read => "input file",
            Stage::Segment | Stage::Actors | Stage::Events => "document text",
            Stage::Write => "JSON written",
        }
    }
}

/// Told about each stage's work so a caller can draw a progress bar.
pub trait Progress: Sync {
    fn start(&self, label: &str, total: u64);
    fn inc(&self, n: u64);
    fn finish(&self);
}

pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
}

/// Reads an input in memory; JSON Lines are cut at line ends into pieces read in parallel.
pub fn read_stage(
    name: &str,
    bytes: &[u8],
    progress: &dyn Progress,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let opts = ReadOptions::default();
    if sniff_format(name, bytes) != Format::Jsonl {
        let out = read_bytes(name, bytes, &opts);
        progress.inc(bytes.len() as u64);
        return (out.documents, out.diagnostics);
    }
    let opts = ReadOptions {
        format: Some(Format::Jsonl),
        ..opts
    };
    let chunks = line_chunks(bytes, 1 << 20);
    let outs: Vec<_> = chunks
        .par_iter()
        .map(|(first_line, c)| {
            let mut out = read_bytes(name, c, &opts);
            for d in &mut out.diagnostics {
                if d.line > 0 {
                    d.line += first_line - 1;
                }
            }
            progress.inc(c.len() as u64);
            out
        })
        .collect();
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for o in outs {
        docs.extend(o.documents);
        diags.extend(o.diagnostics);
    }
    (docs, diags)
}

/// Pieces of about `size` bytes ending at a newline, each with the line number it starts on.
fn line_chunks(bytes: &[u8], size: usize) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1;
    while start < bytes.len() {
        let mut end = (start + size).min(bytes.len());
        while end < bytes.len() && bytes[end - 1] != b'\n' {
            end += 1;
        }
        let piece = &bytes[start..end];
        out.push((line, piece));
        line += piece.iter().filter(|b| **b == b'\n').count();
        start = end;
    }
    out
}

/// Returns the number of sentences.
pub fn segment_stage(docs: &[Document], progress: &dyn Progress) -> usize {
    docs.par_iter()
        .map(|d| {
            let n = sitrep_core::text::sentences(&d.text).len();
            progress.inc(1);
            n
        })
        .sum()
}

/// Returns the number of actor mentions found.
pub fn actors_stage(kb: &Kb, docs: &[Document], progress: &dyn Progress) -> usize {
    docs.par_iter()
        .map(|d| {
            let n: usize = sitrep_core::text::sentences(&d.text)
                .iter()
                .map(|s| kb.actors.find(&d.text, &s.tokens).len())
                .sum();
            progress.inc(1);
            n
        })
        .sum()
}

pub fn events_stage(
    coder: &Coder<'_>,
    docs: &[Document],
    progress: &dyn Progress,
) -> Vec<Vec<Event>> {
    docs.par_iter()
        .map(|d| {
            let ev = coder.code(d);
            progress.inc(1);
            ev
        })
        .collect()
}

/// Serialises every event as a JSON line; returns the bytes written.
pub fn write_stage(events: &[Vec<Event>], progress: &dyn Progress) -> usize {
    events
        .par_iter()
        .map(|evs| {
            let mut buf = Vec::with_capacity(evs.len() * 900);
            for e in evs {
                // an Event of plain fields always serialises into memory
                let _ = serde_json::to_writer(&mut buf, e);
                buf.push(b'\n');
            }
            progress.inc(1);
            buf.len()
        })
        .sum()
}

#[derive(Debug, Clone, Serialize)]
pub struct StageRun {
    pub stage: Stage,
    pub threads: usize,
    pub seconds: f64,
    /// The bytes the stage went through (see `Stage::bytes_of`).
    pub bytes: u64,
    pub docs: usize,
    /// Sentences, actor mentions or events, by stage.
    pub items: usize,
    pub events: usize,
    pub mb_per_s: f64,
    pub docs_per_s: f64,
    pub events_per_s: f64,
    /// High-water mark of the process's resident memory after the stage.
    pub peak_rss_mb: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PipelineRun {
    pub threads: usize,
    pub docs: usize,
    pub text_bytes: u64,
    pub sentences: usize,
    pub actor_mentions: usize,
    pub events: usize,
    pub stages: Vec<StageRun>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

fn per_s(n: f64, secs: f64) -> f64 {
    if secs > 0.0 {
        n / secs
    } else {
        0.0
    }
}

/// Runs every stage on `threads` worker threads over an input held in memory.
pub fn run_pipeline(
    kb: &Kb,
    opts: &CoderOptions,
    name: &str,
    input: &[u8],
    threads: usize,
    progress: &dyn Progress,
) -> Result<PipelineRun, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    pool.install(|| {
        let coder = Coder::new(kb, opts.clone());
        let mut stages = Vec::new();
        let mut record =
            |stage: Stage, t: Instant, bytes: u64, docs: usize, items: usize, events: usize| {
                let seconds = t.elapsed().as_secs_f64();
                progress.finish();
                stages.push(StageRun {
                    stage,
                    threads: threads.max(1),
                    seconds,
                    bytes,
                    docs,
                    items,
                    events,
                    mb_per_s: per_s(bytes as f64 / 1e6, seconds),
                    docs_per_s: per_s(docs as f64, seconds),
                    events_per_s: per_s(events as f64, seconds),
                    peak_rss_mb: peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0)),
                });
            };
        let label = |s: Stage| {
            format!(
                "{} ({} thread{})",
                s.name(),
                threads,
                if threads == 1 { "" } else { "s" }
            )
        };

        progress.start(&label(Stage::Read), input.len() as u64);
        let t = Instant::now();
        let (docs, diagnostics) = read_stage(name, input, progress);
        record(
            Stage::Read,
            t,
            input.len() as u64,
            docs.len(),
            docs.len(),
            0,
        );
        if docs.is_empty() {
            let why = diagnostics
                .first()
                .map(|d| format!(" (first problem: {d})"))
                .unwrap_or_default();
            return Err(format!("{name}: no documents to benchmark{why}"));
        }
        let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
        let n = docs.len();

        progress.start(&label(Stage::Segment), n as u64);
        let t = Instant::now();
        let sentences = segment_stage(&docs, progress);
        record(Stage::Segment, t, text_bytes, n, sentences, 0);

        progress.start(&label(Stage::Actors), n as u64);
        let t = Instant::now();
        let actor_mentions = actors_stage(kb, &docs, progress);
        record(Stage::Actors, t, text_bytes, n, actor_mentions, 0);

        progress.start(&label(Stage::Events), n as u64);
        let t = Instant::now();
        let events = events_stage(&coder, &docs, progress);
        let n_events: usize = events.iter().map(Vec::len).sum();
        record(Stage::Events, t, text_bytes, n, n_events, n_events);

        progress.start(&label(Stage::Write), n as u64);
        let t = Instant::now();
        let written = write_stage(&events, progress);
        record(Stage::Write, t, written as u64, n, n_events, n_events);

        Ok(PipelineRun {
            threads: threads.max(1),
            docs: n,
            text_bytes,
            sentences,
            actor_mentions,
            events: n_events,
            stages,
            diagnostics,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::generate_jsonl;

    #[test]
    fn line_chunks_cut_at_line_ends_and_count_lines() {
        let text = b"aa\nbbbb\nc\ndd\n";
        let chunks = line_chunks(text, 4);
        let pieces: Vec<&[u8]> = chunks.iter().map(|(_, c)| *c).collect();
        assert_eq!(pieces, [&b"aa\nbbbb\n"[..], &b"c\ndd\n"[..]]);
        assert_eq!(chunks[1].0, 3);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn every_stage_runs_and_counts_on_a_small_corpus() {
        let kb = crate::test_kb();
        let corpus = generate_jsonl(kb, 3, 50_000);
        let run = run_pipeline(
            kb,
            &CoderOptions::default(),
            "c.jsonl",
            corpus.as_bytes(),
            2,
            &NoProgress,
        )
        .unwrap();
        assert_eq!(run.docs, corpus.lines().count());
        assert!(run.sentences >= run.docs * 4);
        assert!(run.actor_mentions > 0);
        let names: Vec<&str> = run.stages.iter().map(|s| s.stage.name()).collect();
        assert_eq!(names, ["read", "segment", "actors", "events", "write"]);
        assert!(run
            .stages
            .iter()
            .all(|s| s.docs == run.docs && s.threads == 2));
        assert!(run.diagnostics.is_empty());
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_number() {
        let kb = crate::test_kb();
        let input = "{\"date\":\"2020-01-01\",\"text\":\"Troops left.\"}\n{broken\n";
        let run = run_pipeline(
            kb,
            &CoderOptions::default(),
            "x.jsonl",
            input.as_bytes(),
            1,
            &NoProgress,
        )
        .unwrap();
        assert_eq!(run.docs, 1);
        assert_eq!(run.diagnostics.len(), 1);
        assert_eq!(run.diagnostics[0].line, 2);

        let undated = b"Troops left the town.\n";
        let err = run_pipeline(
            kb,
            &CoderOptions::default(),
            "plain.txt",
            undated,
            1,
            &NoProgress,
        )
        .unwrap_err();
        assert!(
            err.starts_with("plain.txt: no documents to benchmark (first problem: plain.txt"),
            "{err}"
        );
    }
}
