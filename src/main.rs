//! The `triage` binary: parse arguments, decide colour, run a command, map the result to an
//! exit code (0 success, 1 findings, 2 usage, configuration or input errors).

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let hint = || {
        if let Some(hint) = cli::prose_hint(&args) {
            eprintln!("triage: hint: {hint}");
        }
    };
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not errors; clap prints them and picks the exit code.
            let _ = err.print();
            if err.use_stderr() {
                hint();
            }
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match commands::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if commands::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("triage: error: {err:#}");
            hint();
            ExitCode::from(2)
        }
    }
}
