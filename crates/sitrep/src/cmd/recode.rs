//! `sitrep recode`: re-codes stored documents with the current coder and KB, replacing their
//! events batch by batch (each batch atomically).

use super::common::{BatchArg, CoderArgs, DbArg, KbArgs};
use super::ingest::{coder_version, write_coded};
use anyhow::Result;
use sitrep_core::coder::Coder;
use sitrep_store::{IngestStats, Store};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub kb: KbArgs,
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub batch: BatchArg,
    /// Only documents last coded by another coder version (another sitrep or KB)
    #[arg(long)]
    pub stale: bool,
    #[command(flatten)]
    pub coder: CoderArgs,
}

/// Documents are read this many at a time, so recoding a large store stays in bounded memory.
const PAGE: usize = 10_000;

pub fn run(args: Args) -> Result<ExitCode> {
    let mut store = Store::open(&args.db.db)?;
    let kb = args.kb.load()?;
    let version = coder_version(&args.kb, &args.coder)?;
    let coder = Coder::new(&kb, args.coder.options());
    let engine = args.coder.engine.load()?;
    let t0 = Instant::now();
    let mut total = IngestStats::default();
    let mut after = 0;
    let mut recoded = 0u64;
    loop {
        let page = store.documents_page(after, PAGE)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let mut docs = Vec::with_capacity(page.len());
        for (_, d) in page {
            if !args.stale
                || store.document_coder_version(&d.id)?.as_deref() != Some(version.as_str())
            {
                docs.push(d);
            }
        }
        recoded += docs.len() as u64;
        let st = write_coded(&mut store, &docs, args.batch.batch, &version, true, |d| {
            engine.code_or_rules(&coder, d)
        })?;
        total.add(st);
    }
    eprintln!(
        "sitrep: re-coded {recoded} documents with {version}: {} events replaced by {} in {:.1}s",
        total.events_removed,
        total.events_added,
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
