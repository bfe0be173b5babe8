//! The sitrep command line: one binary for coding, storing, serving and measuring event data.

mod cmd;
mod output;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sitrep",
    version,
    about = "Turns dated news reports into sourced event data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into events (JSON Lines on stdout)
    Code(cmd::code::Args),
    /// Score the coder against gold event files
    Eval(cmd::eval::Args),
    /// Measure throughput and memory per pipeline stage
    Bench(cmd::bench::Args),
    /// Check the knowledge base, look names up in it, measure it
    Kb(cmd::kb::Args),
    /// Code documents and store them with their events in the database
    Ingest(cmd::ingest::Args),
    /// Events, stories or time series from the database
    Query(cmd::query::Args),
    /// Stored events as GDELT-style CSV, PLOVER JSON or Parquet
    Export(cmd::export::Args),
    /// Re-code stored documents with the current coder and KB
    Recode(cmd::recode::Args),
    /// Serve the JSON API and the dashboard (loopback by default)
    Serve(cmd::serve::Args),
    /// Check a database: SQLite's integrity check and the store's own invariants
    CheckDb(cmd::check_db::Args),
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => cmd::code::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Kb(a) => cmd::kb::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Query(a) => cmd::query::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Recode(a) => cmd::recode::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::CheckDb(a) => cmd::check_db::run(a),
    };
    match result {
        // the reader of stdout went away (`sitrep code … | head`): nothing is wrong
        _ if output::stdout_closed() => ExitCode::SUCCESS,
        Ok(code) => code,
        Err(e) => {
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Past the file-size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose default kills the
/// process without a word; ignored, the write fails instead and the error says what happened.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code of ours.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
