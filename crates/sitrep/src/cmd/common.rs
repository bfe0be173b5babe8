//! Flag groups and helpers shared by several subcommands: inputs, KB and database selection,
//! coder flags, worker threads, diagnostics.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use sitrep_core::coder::CoderOptions;
use sitrep_core::kb::Kb;
use sitrep_core::readers::{read_path, Diagnostic, Format, ReadOptions, Severity};
use sitrep_core::Document;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files or directories to read (text, seed format `date YYYY-MM-DD …`, JSONL); `-` for stdin
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Date for documents that carry none (YYYY-MM-DD)
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Input format instead of guessing from name and content (text, jsonl)
    #[arg(long = "input-format")]
    pub input_format: Option<Format>,
    /// Documents longer than this many bytes are truncated (with a warning)
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    pub max_doc_bytes: usize,
    /// Stop at the first unreadable record instead of skipping it
    #[arg(long)]
    pub strict: bool,
    /// Accept report dates outside the years 1800–2100
    #[arg(long)]
    pub allow_dates: bool,
    /// Most bytes read from stdin, a pipe or a device before giving up
    #[arg(long, default_value_t = sitrep_core::readers::DEFAULT_MAX_STREAM_BYTES)]
    pub max_stream_bytes: u64,
}

#[derive(clap::Args, Debug, Clone, Default)]
pub struct KbArgs {
    /// Extra KB directories whose files add to or replace the built-in knowledge base
    #[arg(long = "kb")]
    pub kb: Vec<PathBuf>,
}

impl KbArgs {
    pub fn load(&self) -> Result<Kb> {
        Kb::load(&self.kb).context("loading the knowledge base")
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct DbArg {
    /// The event database (SQLite); created if missing
    #[arg(long, default_value = "sitrep.db")]
    pub db: PathBuf,
}

/// The database of `query` and `export`, which only read: a missing one is an error, not an
/// empty result.
#[derive(clap::Args, Debug, Clone)]
pub struct ExistingDbArg {
    /// The event database (SQLite) to read; it must exist (`sitrep ingest` makes one)
    #[arg(long, default_value = "sitrep.db")]
    pub db: PathBuf,
}

/// Transaction size of `ingest` and `recode`.
#[derive(clap::Args, Debug, Clone)]
pub struct BatchArg {
    /// Documents per transaction: a crash loses at most one batch, which a rerun redoes.
    /// Larger batches write faster (each commit rewrites the index pages it touched)
    #[arg(long, default_value_t = 5000)]
    pub batch: usize,
}

/// Coder flags of `code`, `ingest` and `recode`. `eval` keeps its own `--statements`: its help
/// text speaks of gold records.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CoderArgs {
    /// Also emit CAMEO 01/02 events as STATEMENT and APPEAL
    #[arg(long)]
    pub statements: bool,
    #[command(flatten)]
    pub engine: super::engine::EngineArgs,
}

impl CoderArgs {
    pub fn options(&self) -> CoderOptions {
        CoderOptions {
            statements: self.statements,
            ..CoderOptions::default()
        }
    }
}

/// Sizes rayon's global pool, which only the first call can do; `None` keeps one per core.
pub fn use_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .ok();
    }
}

/// Documents read from every input, and whether any record failed. Diagnostics go to stderr.
pub struct Inputs {
    pub documents: Vec<Document>,
    /// File and line where each document starts, parallel to `documents`.
    pub origins: Vec<(String, usize)>,
    pub failed: bool,
}

pub fn read_inputs(args: &InputArgs) -> Result<Inputs> {
    read_paths(&args.inputs, args)
}

/// Reads `paths` (files, directories or `-`) with the options of `args`, reporting each
/// unreadable record as it goes.
pub fn read_paths(paths: &[PathBuf], args: &InputArgs) -> Result<Inputs> {
    let opts = ReadOptions {
        default_date: args.date,
        max_doc_bytes: args.max_doc_bytes,
        format: args.input_format,
        any_year: args.allow_dates,
        max_stream_bytes: args.max_stream_bytes,
    };
    let mut documents = Vec::new();
    let mut origins = Vec::new();
    let mut failed = false;
    for p in paths {
        let out = read_path(p, &opts);
        for d in &out.diagnostics {
            report(d);
            if d.severity == Severity::Error {
                failed = true;
                if args.strict {
                    anyhow::bail!("stopping at the first bad record (--strict): {d}");
                }
            }
        }
        documents.extend(out.documents);
        origins.extend(out.origins);
    }
    Ok(Inputs {
        documents,
        origins,
        failed,
    })
}

pub fn report(d: &Diagnostic) {
    eprintln!("sitrep: {d}");
}

/// What the coder's limits cut from one document, in words that say which flag to raise
/// (`code` and `ingest` both print them).
pub fn limit_warnings(
    doc_id: &str,
    r: &sitrep_core::coder::CodeReport,
    o: &CoderOptions,
) -> Vec<String> {
    let mut out = Vec::new();
    if r.skipped_sentences > 0 {
        out.push(format!(
            "document {doc_id}: {} sentence(s) longer than {} bytes skipped, the first at byte {} \
             (--max-sentence-bytes)",
            r.skipped_sentences,
            o.max_sentence_bytes,
            r.first_skipped.unwrap_or(0)
        ));
    }
    if r.dropped_events > 0 || r.uncoded_sentences > 0 {
        out.push(format!(
            "document {doc_id}: stopped at {} events, {} sentence(s) after byte {} not coded \
             (--max-events-per-doc)",
            o.max_events_per_doc,
            r.uncoded_sentences,
            r.stopped_at.unwrap_or(0)
        ));
    }
    out
}
