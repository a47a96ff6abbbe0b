//! The `triage` binary: parse arguments, decide colour, run a command, map the result to an
//! exit code (0 success, 1 findings, 2 usage, configuration or input errors).

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if commands::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("triage: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
