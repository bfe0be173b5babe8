//! `sitrep serve`: the JSON API and the dashboard over an event database, read-only, so an
//! ingest may run beside it.

use super::common::KbArgs;
use super::engine::{Engine, EngineArgs};
use anyhow::{Context, Result};
use sitrep_server::StoreBackend;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event database written by `sitrep ingest`
    #[arg(long, default_value = "sitrep.db")]
    pub db: PathBuf,
    /// Address to listen on; loopback unless you mean to expose the data
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// KB used by `POST /code`
    #[command(flatten)]
    pub kb: KbArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Largest request body accepted, in bytes
    #[arg(long, default_value_t = sitrep_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let backend =
        StoreBackend::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let kb = Arc::new(args.kb.load()?);
    let engine = Arc::new(args.engine.load()?);
    let code: Option<sitrep_server::DocCoder> = match *engine {
        Engine::Rules => None,
        Engine::Learned(_) => Some(Arc::new(move |c: &_, d: &_| engine.code_or_rules(c, d))),
    };
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "sitrep: warning: listening on {} serves the data to other machines, without authentication",
            args.addr
        );
    }
    sitrep_server::serve_blocking(args.addr, Arc::new(backend), kb, code, args.max_body, |a| {
        eprintln!(
            "sitrep: serving {} on http://{a}/ (API: /openapi.json); Ctrl-C stops",
            args.db.display()
        );
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
