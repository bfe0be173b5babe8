//! `sitrep bench`: throughput and memory of each pipeline stage, on one thread and on all, over
//! a generated corpus (deterministic from a seed) or a given file. The corpus streams through
//! in batches, each run on one thread and then on all before the next: memory follows the
//! batch, and both runs share the machine's load as it changes.

use super::bench_input::Corpus;
use super::bench_model::Sample;
use super::common::KbArgs;
use crate::progress;
use anyhow::{bail, Result};
use indicatif::ProgressBar;
use serde::Serialize;
use sitrep_core::CoderOptions;
use sitrep_eval::corpus::{parse_size, DEFAULT_BATCH_BYTES};
use sitrep_eval::cpu::thread_cpu_ns;
use sitrep_eval::pipeline::{run_batched, PipelineRun};
use sitrep_eval::rss::peak_rss_bytes;
use sitrep_eval::stages::{Progress, Stage};
use std::io::IsTerminal;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Size of the generated corpus (B, KB, MB, GB)
    #[arg(long, default_value = "50MB")]
    pub size: String,
    /// Threads for the parallel run (default: all cores); a one-thread run always comes first
    #[arg(long)]
    pub threads: Option<usize>,
    /// Benchmark this file (JSON Lines, seed format or text) instead of a generated corpus
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Seed of the generated corpus: the same seed and KB give the same text
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the generated corpus to this file
    #[arg(long, value_name = "FILE")]
    pub save_corpus: Option<PathBuf>,
    #[command(flatten)]
    pub kb: KbArgs,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
    /// Text the learned coder is timed on, from the start of the corpus (on one thread, then
    /// on --threads)
    #[arg(long, default_value = "200KB")]
    pub model_sample: String,
    /// Time the rules alone
    #[arg(long)]
    pub rules_only: bool,
    /// Input read and coded at a time: peak memory follows this, not the corpus size
    #[arg(long, default_value_t = format!("{}MB", DEFAULT_BATCH_BYTES / 1_000_000))]
    pub batch: String,
}

/// One bar over the corpus's bytes; hidden when stderr is not a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, _: &str, _: u64) {}
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

#[derive(Serialize)]
struct Report {
    date: String,
    cpus: usize,
    corpus: String,
    input_bytes: u64,
    kb_load_ms: f64,
    /// CPU time of the load (Linux): what the code costs, whatever else the machine runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    kb_load_cpu_ms: Option<f64>,
    kb_actor_aliases: usize,
    batch_bytes: u64,
    runs: Vec<PipelineRun>,
    #[serde(skip_serializing_if = "Option::is_none")]
    learned: Option<super::bench_model::ModelRun>,
    peak_rss_mb: f64,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.unwrap_or(cpus);
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    // check what the user gave before the KB load, so mistakes are reported at once
    let size = parse_size(&args.size).map_err(anyhow::Error::msg)?;
    let model_sample = parse_size(&args.model_sample).map_err(anyhow::Error::msg)? as usize;
    let batch = parse_size(&args.batch).map_err(anyhow::Error::msg)? as usize;
    let file = args.input.as_deref().map(Corpus::open).transpose()?;
    let total = match &args.input {
        Some(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        None => size,
    };
    let c = thread_cpu_ns();
    let t = Instant::now();
    let kb = args.kb.load()?;
    let kb_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let kb_load_cpu_ms = c
        .zip(thread_cpu_ns())
        .map(|(c, d)| d.saturating_sub(c) as f64 / 1e6);

    let (name, mut corpus) = match (file, &args.input) {
        (Some(f), Some(p)) => (p.display().to_string(), f),
        _ => (
            format!("generated.jsonl (seed {})", args.seed),
            Corpus::generated(&kb, args.seed, size, args.save_corpus.as_deref())?,
        ),
    };
    if std::io::stderr().is_terminal() {
        eprintln!(
            "{}: {:.1} MB in batches of {:.1} MB, on 1 and {threads} threads…",
            name,
            total as f64 / 1e6,
            batch as f64 / 1e6
        );
    }
    let bar = Bar(progress::bar(total, "bytes"));
    let mut sample = Sample::new(if args.rules_only { 0 } else { model_sample });
    let batches = std::iter::from_fn(|| corpus.next_batch(batch)).map(|b| {
        let b = b.map_err(|e| format!("{e:#}"))?;
        sample.add(&name, &b);
        Ok(b)
    });
    let mut counts = vec![1];
    if threads != 1 {
        counts.push(threads);
    }
    let runs = run_batched(&kb, &CoderOptions::default(), &name, batches, &counts, &bar);
    bar.finish();
    let runs = runs.map_err(anyhow::Error::msg)?;
    let failed = report_problems(&runs[0]);

    let learned = if args.rules_only {
        None
    } else {
        Some(super::bench_model::run(&kb, &sample.docs, threads)?)
    };
    let report = Report {
        date: chrono::Local::now().date_naive().to_string(),
        cpus,
        corpus: name,
        input_bytes: runs[0].stages[0].bytes,
        kb_load_ms,
        kb_load_cpu_ms,
        kb_actor_aliases: kb.actors.len(),
        batch_bytes: batch as u64,
        runs,
        learned,
        peak_rss_mb: peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0)),
    };
    let mut out = crate::output::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", render(&report))?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the first run's bad records (the same in every run); true if any was an error.
fn report_problems(run: &PipelineRun) -> bool {
    for d in run.diagnostics.iter().take(20) {
        eprintln!("sitrep: {d}");
    }
    if run.diagnostics.len() > 20 {
        eprintln!("sitrep: … and {} more problems", run.diagnostics.len() - 20);
    }
    run.diagnostics
        .iter()
        .any(|d| d.severity == sitrep_core::readers::Severity::Error)
}

fn render(r: &Report) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let first = &r.runs[0];
    let _ = writeln!(
        o,
        "{}: {:.1} MB, {} documents, {:.1} MB of text, {} sentences, {} actor mentions, {} events",
        r.corpus,
        r.input_bytes as f64 / 1e6,
        first.docs,
        first.text_bytes as f64 / 1e6,
        first.sentences,
        first.actor_mentions,
        first.events
    );
    let cpu = r
        .kb_load_cpu_ms
        .map(|c| format!(" ({c:.0} ms CPU)"))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{}, {} CPUs; KB ({} actor aliases) loaded in {:.0} ms{cpu}; {} batches of up to {:.1} MB\n",
        r.date,
        r.cpus,
        r.kb_actor_aliases,
        r.kb_load_ms,
        first.batches,
        first.largest_batch_bytes as f64 / 1e6
    );
    let _ = writeln!(
        o,
        "{:<8} {:>7} {:>8} {:>9} {:>10} {:>10} {:>6} {:>11}",
        "stage", "threads", "seconds", "MB/s", "docs/s", "events/s", "cores", "peak RSS MB"
    );
    for run in &r.runs {
        for s in &run.stages {
            let ev = if matches!(s.stage, Stage::Events | Stage::Write) {
                format!("{:.0}", s.events_per_s)
            } else {
                "-".into()
            };
            let _ = writeln!(
                o,
                "{:<8} {:>7} {:>8.3} {:>9.1} {:>10.0} {:>10} {:>6.2} {:>11.0}",
                s.stage.name(),
                s.threads,
                s.seconds,
                s.mb_per_s,
                s.docs_per_s,
                ev,
                s.cores_used,
                s.peak_rss_mb
            );
        }
    }
    let _ = writeln!(
        o,
        "\nMB/s: read counts the {}, write the {}, the others the {}; actors includes segmenting.",
        Stage::Read.bytes_of(),
        Stage::Write.bytes_of(),
        Stage::Events.bytes_of()
    );
    let _ = writeln!(
        o,
        "cores: CPU time of the workers over wall time, what the run got of the machine."
    );
    if let [one, many] = &r.runs[..] {
        let ev = |run: &PipelineRun| {
            run.stages
                .iter()
                .find(|s| s.stage == Stage::Events)
                .cloned()
        };
        if let (Some(a), Some(b)) = (ev(one), ev(many)) {
            let _ = writeln!(
                o,
                "events on {} threads: {:.2}x the one-thread speed, {:.2}x its CPU time",
                b.threads,
                a.seconds / b.seconds.max(1e-9),
                b.cpu_seconds / a.cpu_seconds.max(1e-9)
            );
        }
    }
    if let Some(m) = &r.learned {
        o.push_str(&super::bench_model::render(m));
    }
    o
}
