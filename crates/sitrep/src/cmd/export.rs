//! `sitrep export`: stored events for other tools (GDELT-style CSV, PLOVER JSON, Parquet).

use super::common::ExistingDbArg;
use super::query::FilterArgs;
use anyhow::{Context, Result};
use sitrep_store::{export, Store};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: ExistingDbArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// csv: GDELT-2.0-style columns (docs/store.md); jsonl: PLOVER JSON; events: sitrep's own
    /// Event JSON; parquet: the CSV's columns (needs the `parquet` build feature)
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Output file (default: stdout; required for parquet)
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Events,
    Parquet,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let store = Store::open_read_only(&args.db.db)?;
    let f = args.filter.to_filter()?;
    let n = if args.format == Format::Parquet {
        let out = args
            .output
            .as_ref()
            .context("--format parquet writes a file: give --output FILE")?;
        parquet(&store, &f, out)?
    } else {
        let w: Box<dyn Write> = match &args.output {
            Some(p) => Box::new(BufWriter::new(
                std::fs::File::create(p)
                    .with_context(|| format!("cannot create {}", p.display()))?,
            )),
            None => Box::new(crate::output::stdout()),
        };
        match args.format {
            Format::Csv => export::write_gdelt_csv(&store, &f, w)?,
            Format::Jsonl => export::write_plover_jsonl(&store, &f, w)?,
            Format::Events => export::write_events_jsonl(&store, &f, w)?,
            Format::Parquet => unreachable!("handled above"),
        }
    };
    eprintln!("sitrep: exported {n} events");
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "parquet")]
fn parquet(store: &Store, f: &sitrep_store::EventFilter, out: &std::path::Path) -> Result<u64> {
    Ok(export::write_parquet(store, f, out)?)
}

#[cfg(not(feature = "parquet"))]
fn parquet(_: &Store, _: &sitrep_store::EventFilter, _: &std::path::Path) -> Result<u64> {
    anyhow::bail!("this sitrep was built without Parquet: rebuild with `cargo build --release --features parquet`")
}
