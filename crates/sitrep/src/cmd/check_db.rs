//! `sitrep check-db`: SQLite's integrity check plus the store's own invariants (summary counts,
//! actor links, the evidence index), with a clear verdict. Must never change stored data.

use super::common::ExistingDbArg;
use anyhow::Result;
use sitrep_store::Store;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: ExistingDbArg,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let path = &args.db.db;
    if !path.exists() {
        anyhow::bail!("{}: no such database", path.display());
    }
    // A writable open also checks the evidence index (a check SQLite runs as a write) and
    // folds the write-ahead log into the file at the end; read-only media get the rest.
    let writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
    let store = match writable.then(|| Store::open(path)) {
        Some(Ok(s)) => Ok(s),
        _ => Store::open_read_only(path),
    };
    let store = match store {
        Ok(s) => s,
        // Damage in the schema pages stops the open itself; that is the verdict.
        Err(e @ sitrep_store::StoreError::NotADatabase { .. }) => {
            eprintln!("sitrep: {e}");
            eprintln!("sitrep: {}: damaged; restore the file from a copy, or ingest the inputs into a new database", path.display());
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    // The file's structure first: the store's own checks read tables a damaged file may not
    // give back, and their error would hide the damage list.
    let mut problems = match store.quick_check() {
        Ok(p) => p,
        // So damaged that the check itself cannot read it: that is the verdict.
        Err(e @ sitrep_store::StoreError::NotADatabase { .. }) => vec![e.to_string()],
        Err(e) => return Err(e.into()),
    };
    if problems.is_empty() {
        problems = match store.check_integrity() {
            Ok(p) => p,
            Err(e) => vec![e.to_string()],
        };
    }
    if problems.is_empty() {
        if writable {
            let _ = store.checkpoint();
        }
        let c = store.counts()?;
        eprintln!(
            "sitrep: {}: ok ({} documents, {} events, {} stories)",
            path.display(),
            c.documents,
            c.events,
            c.stories
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!(
            "sitrep: {}: problem: {}",
            path.display(),
            p.replace("*** in database main ***", "").trim()
        );
    }
    eprintln!(
        "sitrep: {}: {} problem(s) found; restore the file from a copy, or ingest the inputs \
         into a new database",
        path.display(),
        problems.len()
    );
    Ok(ExitCode::from(1))
}
