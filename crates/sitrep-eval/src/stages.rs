//! The pipeline cut into stages that can be timed one by one: read (JSON Lines → documents),
//! segment (sentences and tokens), actors (segment + KB actor lookup per sentence), events (the
//! full coder) and write (events → JSON Lines). Intermediate sentences are not kept between
//! stages — holding every token of a large corpus would measure the benchmark, not the coder —
//! so the actors stage segments again and its time includes segmentation.

use rayon::prelude::*;
use serde::Serialize;
use sitrep_core::readers::{read_bytes, sniff_format, Diagnostic, Format, ReadOptions};
use sitrep_core::{Coder, Document, Event, Kb};

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
    read_stage_at(name, bytes, 1, progress)
}

/// `read_stage` for a part of an input that starts on line `first_line`: diagnostics give the
/// line in the whole input.
pub fn read_stage_at(
    name: &str,
    bytes: &[u8],
    first_line: usize,
    progress: &dyn Progress,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let opts = ReadOptions::default();
    if sniff_format(name, bytes) != Format::Jsonl {
        let mut out = read_bytes(name, bytes, &opts);
        shift_lines(&mut out.diagnostics, first_line);
        progress.inc(bytes.len() as u64);
        return (out.documents, out.diagnostics);
    }
    let opts = ReadOptions {
        format: Some(Format::Jsonl),
        ..opts
    };
    // small pieces, so a batch of a few MB still keeps every worker of a large machine busy
    let chunks = line_chunks(bytes, 256 << 10);
    let outs: Vec<_> = chunks
        .par_iter()
        .map(|(chunk_line, c)| {
            let mut out = read_bytes(name, c, &opts);
            shift_lines(&mut out.diagnostics, first_line + chunk_line - 1);
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

/// Moves diagnostics of a piece that starts on line `first_line` to the whole input's lines.
fn shift_lines(diagnostics: &mut [Diagnostic], first_line: usize) {
    for d in diagnostics {
        if d.line > 0 {
            d.line += first_line - 1;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_chunks_cut_at_line_ends_and_count_lines() {
        let text = b"aa\nbbbb\nc\ndd\n";
        let chunks = line_chunks(text, 4);
        let pieces: Vec<&[u8]> = chunks.iter().map(|(_, c)| *c).collect();
        assert_eq!(pieces, [&b"aa\nbbbb\n"[..], &b"c\ndd\n"[..]]);
        assert_eq!(chunks[1].0, 3);
        assert_eq!(pieces.concat(), text);
    }
}
