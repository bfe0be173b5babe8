//! `sitrep serve`: the JSON API and the dashboard over an event database, read-only, so an
//! ingest may run beside it. Must never expose the data beyond loopback without a token.

use super::common::KbArgs;
use super::engine::{Engine, EngineArgs};
use anyhow::{bail, Context, Result};
use sitrep_server::{Access, AppState, Limits, ServerConfig, StoreBackend, WireLimits};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event database written by `sitrep ingest`
    #[arg(long, default_value = "sitrep.db")]
    pub db: PathBuf,
    /// Address to listen on; loopback unless you mean to expose the data (then --token-file)
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
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub access: AccessArgs,
}

#[derive(clap::Args, Debug)]
pub struct LimitArgs {
    /// Requests served at once (and database connections); default: the cores, 2 to 8
    #[arg(long)]
    pub workers: Option<usize>,
    /// Requests that may wait for a worker; more get 503 at once
    #[arg(long, default_value_t = 32)]
    pub queue: usize,
    /// Seconds a request may take before its query is stopped and it gets 503
    #[arg(long, default_value_t = 10.0)]
    pub request_timeout: f64,
    /// Seconds a client may take to send its headers, and an idle connection is kept
    #[arg(long, default_value_t = 10.0)]
    pub header_timeout: f64,
    /// Open connections at most; more wait to be accepted (default: half the file-handle limit)
    #[arg(long)]
    pub max_connections: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct AccessArgs {
    /// Another Host name (or address) clients may use, besides the loopback names; repeatable;
    /// `*` allows any (behind a proxy that checks names itself)
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Access token every API call must carry (prefer --token-file: a command line is visible
    /// to other users of the machine)
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,
    /// File whose first line is the access token
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

fn seconds(name: &str, s: f64) -> Result<Duration> {
    if !(s > 0.0 && s <= 3600.0) {
        bail!("--{name} must be between 0 and 3600 seconds, got {s}");
    }
    Ok(Duration::from_secs_f64(s))
}

impl AccessArgs {
    fn token(&self) -> Result<Option<String>> {
        let t = match (&self.token, &self.token_file) {
            (Some(t), _) => t.trim().to_string(),
            (None, Some(f)) => std::fs::read_to_string(f)
                .with_context(|| format!("reading the token file {}", f.display()))?
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
            (None, None) => return Ok(None),
        };
        if t.len() < 16
            || !t
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b'&')
        {
            bail!("the access token must be at least 16 printable characters, without `;` or `&`");
        }
        Ok(Some(t))
    }
}

/// The server's settings from the flags; refuses a non-loopback address without a token.
fn config(args: &Args) -> Result<ServerConfig> {
    let l = &args.limits;
    let d = Limits::default();
    let limits = Limits {
        workers: l.workers.unwrap_or(d.workers).clamp(1, 256),
        queue: l.queue,
        deadline: seconds("request-timeout", l.request_timeout)?,
    };
    let wire = WireLimits {
        max_connections: l
            .max_connections
            .unwrap_or_else(sitrep_server::wire::default_max_connections)
            .max(1),
        header_timeout: seconds("header-timeout", l.header_timeout)?,
    };
    let token = args.access.token()?;
    let mut hosts = args.access.allow_host.clone();
    let ip = args.addr.ip();
    if !ip.is_loopback() {
        if token.is_none() {
            bail!(
                "listening on {} would serve the data to other machines without authentication; \
                 give --token-file FILE (a secret of 16+ characters), or listen on 127.0.0.1",
                args.addr
            );
        }
        if !ip.is_unspecified() {
            hosts.push(ip.to_string());
        } else if hosts.is_empty() {
            eprintln!(
                "sitrep: warning: listening on {} answers only to loopback names until you add \
                 --allow-host NAME for the names clients use",
                args.addr
            );
        }
    } else if token.is_none() && !hosts.is_empty() {
        eprintln!("sitrep: warning: --allow-host without a token: anyone who can reach those names reads the data");
    }
    Ok(ServerConfig {
        max_body: args.max_body,
        limits,
        wire,
        access: Access::new(&hosts, token),
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    let cfg = config(&args)?;
    let backend = StoreBackend::with_readers(&args.db, cfg.limits.workers)
        .with_context(|| format!("opening {}", args.db.display()))?;
    let kb = Arc::new(args.kb.load()?);
    let engine = Arc::new(args.engine.load()?);
    let code: Option<sitrep_server::DocCoder> = match *engine {
        Engine::Rules => None,
        Engine::Learned(_) => Some(Arc::new(move |c: &_, d: &_| engine.code_or_rules(c, d))),
    };
    let state = AppState {
        backend: Arc::new(backend),
        kb,
        code,
    };
    let db = args.db.display().to_string();
    sitrep_server::serve_blocking(args.addr, state, cfg, |a| {
        eprintln!("sitrep: serving {db} on http://{a}/ (API: /openapi.json); Ctrl-C stops");
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
