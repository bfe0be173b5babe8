//! `sitrep code`: documents in, events out as JSON Lines, CSV or a readable listing.

use super::common::{limit_warnings, read_inputs, use_threads, CoderArgs, InputArgs, KbArgs};
use super::engine::Engine;
use crate::progress;
use anyhow::Result;
use rayon::prelude::*;
use sitrep_core::coder::{CodeReport, Coder, CoderOptions};
use sitrep_core::Event;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub kb: KbArgs,
    /// Output format [default: pretty when stdout is a terminal, jsonl when it is a pipe or file]
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,
    #[command(flatten)]
    pub coder: CoderArgs,
    /// Sentences longer than this many bytes are skipped (with a warning naming the document)
    #[arg(long, default_value_t = CoderOptions::default().max_sentence_bytes)]
    pub max_sentence_bytes: usize,
    /// At most this many events per document; the rest is dropped (with a warning)
    #[arg(long, default_value_t = CoderOptions::default().max_events_per_doc)]
    pub max_events_per_doc: usize,
    // Not shared with `ingest`: the two help texts differ.
    /// Worker threads (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    Jsonl,
    Csv,
    Pretty,
}

pub fn run(args: Args) -> Result<ExitCode> {
    use_threads(args.threads);
    let engine = args.coder.engine.load()?;
    let kb = args.kb.load()?;
    let inputs = read_inputs(&args.input)?;
    let opts = CoderOptions {
        max_sentence_bytes: args.max_sentence_bytes,
        max_events_per_doc: args.max_events_per_doc,
        ..args.coder.options()
    };
    let coder = Coder::new(&kb, opts.clone());
    let bar = progress::bar(inputs.documents.len() as u64, "docs");
    let coded: Vec<(Vec<Event>, CodeReport)> = inputs
        .documents
        .par_iter()
        .map(|d| {
            let (rule_events, report) = coder.code_counted(d);
            let events = match &engine {
                Engine::Rules => rule_events,
                learned => learned.code(&coder, d)?,
            };
            bar.inc(1);
            Ok((events, report))
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    // warnings after the bar is gone, in input order, so they neither garble it nor interleave
    for ((doc, (file, line)), (_, report)) in
        inputs.documents.iter().zip(&inputs.origins).zip(&coded)
    {
        for w in limit_warnings(&doc.id, report, &opts) {
            eprintln!("sitrep: {file}:{line}: warning: {w}");
        }
    }
    let events: Vec<Vec<Event>> = coded.into_iter().map(|(e, _)| e).collect();

    let mut w = crate::output::stdout();
    let all = events.iter().flatten();
    match args.format.unwrap_or_else(default_format) {
        OutFormat::Jsonl => {
            for e in all {
                serde_json::to_writer(&mut w, e)?;
                w.write_all(b"\n")?;
            }
        }
        OutFormat::Csv => crate::output::write_csv(&mut w, all)?,
        OutFormat::Pretty => {
            for e in all {
                crate::output::write_pretty(&mut w, e)?;
            }
        }
    }
    w.flush()?;
    Ok(if inputs.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A person at a terminal gets the readable listing; a pipe or file gets JSON Lines.
fn default_format() -> OutFormat {
    if crate::output::stdout_is_terminal() {
        OutFormat::Pretty
    } else {
        OutFormat::Jsonl
    }
}
