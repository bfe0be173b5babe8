//! `sitrep ingest`: code documents and store them, batch by batch, skipping those already stored.

use super::common::{
    limit_warnings, read_paths, use_threads, BatchArg, CoderArgs, DbArg, InputArgs, Inputs, KbArgs,
};
use super::engine::Engine;
use crate::progress;
use anyhow::{Context, Result};
use rayon::prelude::*;
use sitrep_core::coder::Coder;
use sitrep_core::readers::walk_inputs;
use sitrep_core::Document;
use sitrep_store::{CodedDocument, IngestStats, Store};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub kb: KbArgs,
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub batch: BatchArg,
    #[command(flatten)]
    pub coder: CoderArgs,
    // Not shared with `code`: the two help texts differ.
    /// Worker threads for coding (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Skip the quick integrity check of the database before writing (very large files)
    #[arg(long)]
    pub skip_check: bool,
}

/// Names the coder that produced events: the sitrep version plus a digest of the extra KB
/// files, so `recode --stale` can find events coded with another KB.
pub fn coder_version(kb: &KbArgs, coder: &CoderArgs) -> Result<String> {
    let mut h = blake3::Hasher::new();
    for dir in &kb.kb {
        sitrep_core::kb::hash_tree(dir, &mut h)
            .with_context(|| format!("reading KB files in {}", dir.display()))?;
    }
    let mut v = format!("sitrep-{}", env!("CARGO_PKG_VERSION"));
    if !coder.engine.rules_only {
        // the learned coder's events change with its weights
        v.push_str(&format!("+{}", coder.engine.model_id()?));
    }
    if !kb.kb.is_empty() {
        v.push_str(&format!("+kb.{}", &h.finalize().to_hex()[..12]));
    }
    if coder.statements {
        v.push_str("+statements");
    }
    Ok(v)
}

pub fn run(args: Args) -> Result<ExitCode> {
    use_threads(args.threads);
    let mut store = Store::open(&args.db.db)?;
    if !args.skip_check {
        check_before_writing(&store)?;
    }
    let kb = args.kb.load()?;
    let version = coder_version(&args.kb, &args.coder)?;
    let opts = args.coder.options();
    let coder = Coder::new(&kb, opts.clone());
    let engine = args.coder.engine.load()?;
    let t0 = Instant::now();
    let mut stats = IngestStats::default();
    let (parts, walk_failed) = input_parts(&args.input.inputs, PART_BYTES);
    let mut failed = walk_failed;
    // A part of the input at a time, so memory follows the part, not months of reports.
    for part in parts {
        let mut inputs = read_paths(&part, &args.input)?;
        failed |= inputs.failed;
        failed |= drop_reused_ids(&store, &mut inputs)?;
        let cuts = Mutex::new(Vec::new());
        stats.add(write_coded(
            &mut store,
            &inputs.documents,
            args.batch.batch,
            &version,
            false,
            |d| {
                // The rules' pass gives the report of what the limits cut, as `code` prints.
                let (rule_events, report) = coder.code_counted(d);
                let warnings = limit_warnings(&d.id, &report, &opts);
                if !warnings.is_empty() {
                    cuts.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((d.id.clone(), warnings));
                }
                match &engine {
                    Engine::Rules => rule_events,
                    learned => learned.code_or_rules(&coder, d),
                }
            },
        )?);
        report_cuts(
            &inputs,
            cuts.into_inner().unwrap_or_else(|p| p.into_inner()),
        );
    }
    report(&stats, t0, "ingested");
    Ok(if failed {
        eprintln!(
            "sitrep: some records could not be read or stored (see above); the others were stored"
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A quick check of the file before adding to it: SQLite finds damage only in the pages it
/// touches, and an ingest into a damaged file would otherwise end "successfully".
fn check_before_writing(store: &Store) -> Result<()> {
    let problems = store.quick_check()?;
    if !problems.is_empty() {
        anyhow::bail!(
            "{} is damaged ({}); nothing was written. Run `sitrep check-db --db {}` for details, \
             and restore it from a copy or re-ingest into a new file",
            store.path().display(),
            problems
                .first()
                .map_or_else(|| "?".to_string(), |p| tidy(p)),
            store.path().display()
        );
    }
    Ok(())
}

/// SQLite's check report on one line, without its banner.
fn tidy(problem: &str) -> String {
    problem
        .replace("*** in database main ***", "")
        .trim()
        .replace('\n', " ")
}

/// Removes documents whose id is already stored with other text, naming each at its place:
/// skipping them as "already stored" would silently keep the old text. Returns whether any.
fn drop_reused_ids(store: &Store, inputs: &mut Inputs) -> Result<bool> {
    let mut keep = Vec::with_capacity(inputs.documents.len());
    let mut any = false;
    for (d, (file, line)) in inputs.documents.iter().zip(&inputs.origins) {
        let reused = store.stored_with_other_text(&d.id, &d.text)?;
        if reused {
            eprintln!(
                "sitrep: {file}:{line}: error: id `{}` is already stored with different text; \
                 not stored (give this document its own id, or leave `id` out)",
                d.id
            );
            any = true;
        }
        keep.push(!reused);
    }
    if any {
        let mut k = keep.iter();
        inputs.documents.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        inputs.origins.retain(|_| *k.next().unwrap_or(&true));
    }
    Ok(any)
}

/// The coder's limit warnings, in input order, once the part's progress bar is gone.
fn report_cuts(inputs: &Inputs, cuts: Vec<(String, Vec<String>)>) {
    if cuts.is_empty() {
        return;
    }
    let by_id: std::collections::HashMap<String, Vec<String>> = cuts.into_iter().collect();
    for (d, (file, line)) in inputs.documents.iter().zip(&inputs.origins) {
        for w in by_id.get(&d.id).into_iter().flatten() {
            eprintln!("sitrep: {file}:{line}: warning: {w}");
        }
    }
}

/// Input files read and coded together by `ingest` (a file larger than this is one part).
const PART_BYTES: u64 = 256 << 20;

/// The input files, in reading order, grouped into parts of at most `max` bytes; prints what
/// the directory walks met (loops, files reached twice) and says whether any was an error.
fn input_parts(inputs: &[PathBuf], max: u64) -> (Vec<Vec<PathBuf>>, bool) {
    let mut parts: Vec<Vec<PathBuf>> = Vec::new();
    let mut size = 0u64;
    let mut failed = false;
    let mut files = Vec::new();
    for p in inputs {
        let (f, diags) = walk_inputs(p);
        for d in &diags {
            super::common::report(d);
            failed |= d.severity == sitrep_core::readers::Severity::Error;
        }
        files.extend(f);
    }
    for f in files {
        let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        match parts.last_mut() {
            Some(part) if size + len <= max => part.push(f),
            _ => {
                parts.push(vec![f]);
                size = 0;
            }
        }
        size += len;
    }
    (parts, failed)
}

/// Codes `docs` in batches on the rayon pool while the previous batch is written, so coding
/// and SQLite work overlap; `replace` re-codes stored documents instead of skipping them.
pub fn write_coded(
    store: &mut Store,
    docs: &[Document],
    batch: usize,
    version: &str,
    replace: bool,
    code: impl Fn(&Document) -> Vec<sitrep_core::Event> + Sync,
) -> Result<IngestStats> {
    let batch = batch.max(1);
    let bar = progress::bar(docs.len() as u64, "docs");
    let mut stats = IngestStats::default();
    // Already-stored documents are not coded again on a rerun (ingest would skip them anyway).
    let mut todo: Vec<&Document> = Vec::with_capacity(docs.len());
    for d in docs {
        if replace || !store.has_document(&d.id)? {
            todo.push(d);
        } else {
            stats.documents_skipped += 1;
        }
    }
    bar.inc(stats.documents_skipped);
    let t0 = Instant::now();
    std::thread::scope(|s| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<CodedDocument>>(2);
        let (todo, code) = (&todo, &code);
        s.spawn(move || {
            for chunk in todo.chunks(batch) {
                let coded: Vec<CodedDocument> = chunk
                    .par_iter()
                    .map(|d| CodedDocument {
                        events: code(d),
                        document: (*d).clone(),
                    })
                    .collect();
                if tx.send(coded).is_err() {
                    return;
                }
            }
        });
        for coded in rx {
            let n = coded.len() as u64;
            let st = if replace {
                store.replace_events(&coded, version)?
            } else {
                store.ingest(&coded, version)?
            };
            stats.add(st);
            bar.inc(n);
            let secs = t0.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} events, {:.0} events/s",
                stats.events_added,
                stats.events_added as f64 / secs
            ));
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    store.checkpoint()?;
    Ok(stats)
}

pub fn report(st: &IngestStats, t0: Instant, what: &str) {
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "sitrep: {what} {} documents ({} already stored), {} events{}{} in {:.1}s ({:.0} docs/s, {:.0} events/s)",
        st.documents_added,
        st.documents_skipped,
        st.events_added,
        if st.events_removed > 0 { format!(" ({} replaced)", st.events_removed) } else { String::new() },
        if st.events_duplicate > 0 { format!(", {} duplicate events dropped", st.events_duplicate) } else { String::new() },
        secs,
        st.documents_added as f64 / secs.max(1e-9),
        st.events_added as f64 / secs.max(1e-9),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_read_in_parts_of_bounded_size_in_reading_order() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("reports");
        std::fs::create_dir_all(tree.join("b")).unwrap();
        let write = |p: PathBuf, n: usize| {
            std::fs::write(&p, vec![b'x'; n]).unwrap();
            p
        };
        let a1 = write(tree.join("a1.txt"), 40);
        let a2 = write(tree.join("a2.txt"), 50);
        let big = write(tree.join("b").join("big.txt"), 300);
        let c = write(tree.join("c.txt"), 30);
        let single = write(dir.path().join("single.jsonl"), 10);
        let (parts, failed) = input_parts(&[tree, single.clone()], 100);
        assert!(!failed);
        // Reading order is path order (`b/big.txt` before `c.txt`); a file over the bound is
        // a part of its own, and the next part starts after it.
        assert_eq!(parts, vec![vec![a1, a2], vec![big], vec![c, single]]);
    }
}
