//! `sitrep eval`: codes the text of each gold record and scores the events against the gold.

use super::common::KbArgs;
use super::engine::EngineArgs;
use crate::progress;
use anyhow::{bail, Result};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::{Document, Event, Status};
use sitrep_eval::score::Scores;
use sitrep_eval::table::{render_errors, render_scores};
use sitrep_eval::{collect_errors, evaluate, read_gold_file, DocErrors, Level};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold files: PLOVER gold-standard or seed-expected JSON Lines
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    #[command(flatten)]
    pub kb: KbArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Print one JSON object per gold file instead of tables
    #[arg(long)]
    pub json: bool,
    /// List each miss and false alarm with its sentence, the predicted events and their rules
    #[arg(long)]
    pub errors: bool,
    /// Exit with status 1 when a file's event-type micro F1 is below X (0–1)
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
    /// Let the coder emit STATEMENT and APPEAL, which some gold records accept
    #[arg(long)]
    pub statements: bool,
    /// Score negated and hypothetical predictions even against gold that has no statuses
    /// (by default they are left out there: such gold codes only events that took place)
    #[arg(long)]
    pub all_statuses: bool,
}

#[derive(Serialize)]
struct FileReport<'a> {
    gold_file: String,
    #[serde(flatten)]
    scores: &'a Scores,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [DocErrors]>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(x) = args.min_f1 {
        if !(0.0..=1.0).contains(&x) {
            bail!("--min-f1 must be between 0 and 1, not {x}");
        }
    }
    // where/when/how-many files are scored on their own (places, dates, counts)
    let mut ww_files = Vec::new();
    let mut event_files = Vec::new();
    for p in &args.gold {
        let text = std::fs::read_to_string(p)
            .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", p.display()))?;
        if sitrep_eval::where_when::is_where_when(&text) {
            let shown = p.display().to_string();
            ww_files.push((
                shown.clone(),
                sitrep_eval::where_when::parse_where_when(&shown, &text)?,
            ));
        } else {
            event_files.push(p.clone());
        }
    }
    // read every gold file before the (slow) KB load, so a bad record is reported at once
    let golds = event_files
        .iter()
        .map(|p| read_gold_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    let engine = args.engine.load()?;
    let kb = args.kb.load()?;
    if !ww_files.is_empty() {
        let coder = Coder::new(&kb, CoderOptions::default());
        super::eval_where_when::run(&ww_files, &coder, &engine, args.json)?;
        if event_files.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let coder = Coder::new(
        &kb,
        CoderOptions {
            statements: args.statements,
            ..CoderOptions::default()
        },
    );
    let mut below = Vec::new();
    let mut out = crate::output::stdout();
    for (i, (path, docs)) in event_files.iter().zip(&golds).enumerate() {
        let bar = progress::bar(docs.len() as u64, "docs");
        let preds: Vec<Vec<Event>> = docs
            .par_iter()
            .map(|g| {
                let doc = Document {
                    id: g.id.clone(),
                    date: g.date,
                    source: None,
                    url: None,
                    title: None,
                    text: g.text.clone(),
                };
                let ev = engine.code(&coder, &doc)?;
                bar.inc(1);
                Ok(ev)
            })
            .collect::<Result<_>>()?;
        bar.finish_and_clear();
        let gold_has_status = docs
            .iter()
            .flat_map(|d| &d.events)
            .any(|g| g.status.is_some());
        let unreal_left_out = !gold_has_status && !args.all_statuses;
        let preds: Vec<Vec<Event>> = if unreal_left_out {
            preds
                .into_iter()
                .map(|v| {
                    v.into_iter()
                        .filter(|e| !matches!(e.status, Status::Negated | Status::Hypothetical))
                        .collect()
                })
                .collect()
        } else {
            preds
        };
        let (scores, outcomes) = evaluate(docs, &preds);
        let errors = args.errors.then(|| collect_errors(docs, &preds, &outcomes));
        let name = path.display().to_string();
        if args.json {
            let report = FileReport {
                gold_file: name.clone(),
                scores: &scores,
                errors: errors.as_deref(),
            };
            writeln!(out, "{}", serde_json::to_string(&report)?)?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", render_scores(&name, &scores))?;
            if unreal_left_out {
                writeln!(out, "(negated and hypothetical predictions are not scored: this gold has no statuses; --all-statuses scores them)")?;
            }
            if let Some(e) = &errors {
                writeln!(out)?;
                write!(out, "{}", render_errors(e))?;
            }
        }
        let f1 = scores.levels[Level::Type as usize].f1;
        if args.min_f1.is_some_and(|x| f1 < x) {
            below.push(format!("{name}: event-type F1 {f1:.3}"));
        }
    }
    out.flush()?;
    if let (Some(x), false) = (args.min_f1, below.is_empty()) {
        for b in &below {
            eprintln!("sitrep eval: below --min-f1 {x}: {b}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
