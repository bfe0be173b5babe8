//! `sitrep kb`: check KB files, explain what a name resolves to, measure the KB's cost.

use super::common::KbArgs;
use anyhow::Result;
use chrono::NaiveDate;
use sitrep_core::kb::check::{check_dirs, Severity};
use sitrep_core::kb::lookup::resolve;
use sitrep_core::kb::Kb;
use sitrep_eval::cpu::{median, thread_cpu_ns};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: KbCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum KbCommand {
    /// Validate KB files (the built-in KB, with DIRs layered over it); exit 1 on errors
    Check {
        /// Directories of KB files to check over the built-in KB
        dirs: Vec<PathBuf>,
        /// Also print warnings
        #[arg(long)]
        warnings: bool,
    },
    /// Show every sense of a name and the code it resolves to on a date, with the row that says so
    Lookup {
        name: String,
        /// Event date (YYYY-MM-DD); default today
        #[arg(long)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Load the KB and print its size, load time and peak memory
    Stats {
        /// Load it this many times and print the median load time (wall clock and CPU)
        #[arg(long, default_value_t = 1)]
        repeat: usize,
        #[command(flatten)]
        kb: KbArgs,
    },
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        KbCommand::Check { dirs, warnings } => check(&dirs, warnings),
        KbCommand::Lookup { name, date, kb } => lookup(&name, date, &kb),
        KbCommand::Stats { repeat, kb } => stats(&kb, repeat),
    }
}

fn check(dirs: &[PathBuf], warnings: bool) -> Result<ExitCode> {
    let issues = check_dirs(dirs);
    let errors = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    for i in &issues {
        if warnings || i.severity == Severity::Error {
            eprintln!("{i}");
        }
    }
    let warns = issues.len() - errors;
    if errors > 0 {
        eprintln!("sitrep: kb check: {errors} error(s), {warns} warning(s)");
        return Ok(ExitCode::from(1));
    }
    let kb = Kb::load(dirs)?;
    let mut out = crate::output::stdout();
    writeln!(out,
        "kb ok: {} countries, {} people, {} orgs, {} agents, {} places; {} actor names, {} place names; {warns} warning(s)",
        kb.countries.len(),
        kb.people.len(),
        kb.orgs.len(),
        kb.agents.len(),
        kb.places.len(),
        kb.actors.len(),
        kb.place_index.len()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn lookup(name: &str, date: Option<NaiveDate>, kb: &KbArgs) -> Result<ExitCode> {
    let kb = kb.load()?;
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let found = resolve(&kb, name, date);
    let mut out = crate::output::stdout();
    if found.is_empty() {
        writeln!(out, "'{name}': not in the KB")?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    }
    writeln!(out, "'{name}' on {date}: {} sense(s)", found.len())?;
    for r in &found {
        let code = if r.code.is_empty() { "-" } else { &r.code };
        writeln!(out, "  {code:<10} {}", r.entry)?;
        writeln!(out, "             {} ({})", r.reason, r.origin)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory of this process in kB, where the OS says (Linux).
fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn stats(kb: &KbArgs, repeat: usize) -> Result<ExitCode> {
    let before = peak_rss_kb();
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut loaded = None;
    for _ in 0..repeat.max(1) {
        // the previous KB is freed first, so peak memory stays that of one KB
        drop(loaded.take());
        let c = thread_cpu_ns();
        let t = Instant::now();
        loaded = Some(kb.load()?);
        wall.push(t.elapsed().as_secs_f64() * 1000.0);
        if let (Some(c), Some(d)) = (c, thread_cpu_ns()) {
            cpu.push(d.saturating_sub(c) as f64 / 1e6);
        }
    }
    let kb = loaded.expect("loaded at least once");
    let mut out = crate::output::stdout();
    writeln!(out, "load_ms\t{:.1}", median(wall).unwrap_or_default())?;
    if let Some(c) = median(cpu) {
        writeln!(out, "load_cpu_ms\t{c:.1}")?;
    }
    if repeat > 1 {
        writeln!(out, "load_runs\t{repeat}")?;
    }
    let aliases = kb.actors.len() + kb.place_index.len();
    writeln!(out, "actor_names\t{}", kb.actors.len())?;
    writeln!(out, "place_names\t{}", kb.place_index.len())?;
    writeln!(out, "names_total\t{aliases}")?;
    writeln!(
        out,
        "countries\t{}\npeople\t{}\norgs\t{}\nagents\t{}\nplaces\t{}",
        kb.countries.len(),
        kb.people.len(),
        kb.orgs.len(),
        kb.agents.len(),
        kb.places.len()
    )?;
    let (cities, bare) = kb.cities_without_region();
    writeln!(out, "cities\t{cities}\ncities_without_region\t{bare}")?;
    if let (Some(b), Some(a)) = (before, peak_rss_kb()) {
        writeln!(
            out,
            "peak_rss_mb\t{:.1}\nrss_before_load_mb\t{:.1}",
            a as f64 / 1024.0,
            b as f64 / 1024.0
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
