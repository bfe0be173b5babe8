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
    /// Check the knowledge base, look names up in it, measure it
    Kb(cmd::kb::Args),
    /// Train the learned model's event-type head; cross-validate it against the rules
    Train(cmd::train::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(a) => cmd::code::run(a),
        Command::Kb(a) => cmd::kb::run(a),
        Command::Train(a) => cmd::train::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
