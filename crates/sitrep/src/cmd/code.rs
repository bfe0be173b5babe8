//! `sitrep code`: documents in, events out as JSON Lines, CSV or a readable listing.

use super::common::{read_inputs, InputArgs, KbArgs};
use super::opinion::ModelArgs;
use crate::progress;
use anyhow::Result;
use rayon::prelude::*;
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::Event;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub kb: KbArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutFormat::Jsonl)]
    pub format: OutFormat,
    /// Also emit CAMEO 01/02 events as STATEMENT and APPEAL
    #[arg(long)]
    pub statements: bool,
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
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .ok();
    }
    let opinion = args.model.load()?;
    let kb = args.kb.load()?;
    let inputs = read_inputs(&args.input)?;
    let coder = Coder::new(
        &kb,
        CoderOptions {
            statements: args.statements,
            ..CoderOptions::default()
        },
    );
    let bar = progress::bar(inputs.documents.len() as u64, "docs");
    let events: Vec<Vec<Event>> = inputs
        .documents
        .par_iter()
        .map(|d| {
            let ev = match &opinion {
                Some(o) => o.code(&coder, d)?,
                None => coder.code(d),
            };
            bar.inc(1);
            Ok(ev)
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();

    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    let all = events.iter().flatten();
    match args.format {
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
