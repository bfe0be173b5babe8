//! `sitrep bench`: throughput and memory of each pipeline stage, on one thread and on all, over
//! a generated corpus (deterministic from a seed) or a given file.

use super::common::KbArgs;
use crate::progress;
use anyhow::{bail, Context, Result};
use indicatif::ProgressBar;
use serde::Serialize;
use sitrep_core::CoderOptions;
use sitrep_eval::corpus::{generate_jsonl, parse_size};
use sitrep_eval::cpu::thread_cpu_ns;
use sitrep_eval::rss::peak_rss_bytes;
use sitrep_eval::stages::{run_pipeline, PipelineRun, Progress, Stage};
use std::io::IsTerminal;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::RwLock;
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
    /// Text the learned coder is timed on, from the start of the corpus (one thread)
    #[arg(long, default_value = "200KB")]
    pub model_sample: String,
    /// Time the rules alone
    #[arg(long)]
    pub rules_only: bool,
}

/// One bar per stage, swapped in as stages start; hidden when stderr is not a terminal.
struct Bars(RwLock<ProgressBar>);

impl Progress for Bars {
    fn start(&self, label: &str, total: u64) {
        let unit = if label.starts_with("read") {
            "bytes"
        } else {
            "docs"
        };
        let bar = progress::bar(total, unit);
        bar.set_message(label.to_string());
        if let Ok(mut b) = self.0.write() {
            *b = bar;
        }
    }
    fn inc(&self, n: u64) {
        if let Ok(b) = self.0.read() {
            b.inc(n);
        }
    }
    fn finish(&self) {
        if let Ok(b) = self.0.read() {
            b.finish_and_clear();
        }
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
    let given = match &args.input {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?),
        None => None,
    };
    let c = thread_cpu_ns();
    let t = Instant::now();
    let kb = args.kb.load()?;
    let kb_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let kb_load_cpu_ms = c
        .zip(thread_cpu_ns())
        .map(|(c, d)| d.saturating_sub(c) as f64 / 1e6);

    let (name, input) = match (given, &args.input) {
        (Some(bytes), Some(p)) => (p.display().to_string(), bytes),
        _ => {
            if std::io::stderr().is_terminal() {
                eprintln!(
                    "generating {:.1} MB of news-like text (seed {})…",
                    size as f64 / 1e6,
                    args.seed
                );
            }
            let text = generate_jsonl(&kb, args.seed, size);
            if let Some(out) = &args.save_corpus {
                std::fs::write(out, &text)
                    .with_context(|| format!("cannot write {}", out.display()))?;
            }
            (
                format!("generated.jsonl (seed {})", args.seed),
                text.into_bytes(),
            )
        }
    };

    let bars = Bars(RwLock::new(ProgressBar::hidden()));
    let opts = CoderOptions::default();
    let mut counts = vec![1];
    if threads != 1 {
        counts.push(threads);
    }
    let mut runs = Vec::new();
    let mut failed = false;
    for n in counts {
        let run = run_pipeline(&kb, &opts, &name, &input, n, &bars).map_err(anyhow::Error::msg)?;
        // report bad records once, from the first run
        if runs.is_empty() {
            for d in run.diagnostics.iter().take(20) {
                eprintln!("sitrep: {d}");
            }
            if run.diagnostics.len() > 20 {
                eprintln!("sitrep: … and {} more problems", run.diagnostics.len() - 20);
            }
            failed = run
                .diagnostics
                .iter()
                .any(|d| d.severity == sitrep_core::readers::Severity::Error);
        }
        runs.push(run);
    }

    let learned = if args.rules_only {
        None
    } else {
        // one thread, as the speed target is per core
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
        Some(pool.install(|| super::bench_model::run(&kb, &name, &input, model_sample))?)
    };
    let report = Report {
        date: chrono::Local::now().date_naive().to_string(),
        cpus,
        corpus: name,
        input_bytes: input.len() as u64,
        kb_load_ms,
        kb_load_cpu_ms,
        kb_actor_aliases: kb.actors.len(),
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
        "{}, {} CPUs; KB ({} actor aliases) loaded in {:.0} ms{cpu}\n",
        r.date, r.cpus, r.kb_actor_aliases, r.kb_load_ms
    );
    let _ = writeln!(
        o,
        "{:<8} {:>7} {:>8} {:>9} {:>10} {:>10} {:>11}",
        "stage", "threads", "seconds", "MB/s", "docs/s", "events/s", "peak RSS MB"
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
                "{:<8} {:>7} {:>8.3} {:>9.1} {:>10.0} {:>10} {:>11.0}",
                s.stage.name(),
                s.threads,
                s.seconds,
                s.mb_per_s,
                s.docs_per_s,
                ev,
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
    if let Some(m) = &r.learned {
        o.push_str(&super::bench_model::render(m));
    }
    o
}
