//! The `tension` binary: parse the arguments, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tension_cli::Cli::parse();
    match tension_cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            tension_cli::report_error(&error);
            ExitCode::from(1)
        }
    }
}
