//! `sitrep serve`: the JSON API and the dashboard over stored events, or over documents and
//! events read from files and held in memory.

use super::common::{read_inputs, InputArgs, KbArgs};
use anyhow::{bail, Context, Result};
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::{Event, Kb};
use sitrep_server::{Backend, MemoryBackend};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on; loopback unless you mean to expose the data
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Events to serve, as JSON Lines from `sitrep code` (instead of coding the documents)
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Documents to serve (their text backs the evidence view); coded at start unless --events
    #[arg(long = "docs", num_args = 1..)]
    pub docs: Vec<PathBuf>,
    /// Date for documents that carry none (YYYY-MM-DD)
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub kb: KbArgs,
    /// Largest request body accepted, in bytes
    #[arg(long, default_value_t = sitrep_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let kb = Arc::new(args.kb.load()?);
    let backend = memory_backend(&args, &kb)?;
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "sitrep: warning: listening on {} serves the data to other machines; it has no authentication",
            args.addr
        );
    }
    sitrep_server::serve_blocking(args.addr, backend, kb, args.max_body, |a| {
        eprintln!(
            "sitrep: serving on http://{a}/ (API description at /openapi.json); Ctrl-C stops"
        );
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

fn memory_backend(args: &Args, kb: &Kb) -> Result<Arc<dyn Backend>> {
    let documents = if args.docs.is_empty() {
        Vec::new()
    } else {
        let input = InputArgs {
            inputs: args.docs.clone(),
            date: args.date,
            input_format: None,
            max_doc_bytes: 8 * 1024 * 1024,
            strict: false,
        };
        read_inputs(&input)?.documents
    };
    let events = match &args.events {
        Some(p) => read_events(p)?,
        None => {
            if documents.is_empty() {
                bail!("nothing to serve: give --docs FILE… (and optionally --events FILE.jsonl)");
            }
            let coder = Coder::new(kb, CoderOptions::default());
            documents.iter().flat_map(|d| coder.code(d)).collect()
        }
    };
    eprintln!(
        "sitrep: {} documents, {} events in memory",
        documents.len(),
        events.len()
    );
    Ok(Arc::new(MemoryBackend::new(documents, events)))
}

/// Reads `sitrep code` output; a bad line is an error naming the file and line.
fn read_events(path: &PathBuf) -> Result<Vec<Event>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: reading", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let e: Event = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not an event record", path.display(), i + 1))?;
        out.push(e);
    }
    Ok(out)
}
