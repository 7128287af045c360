use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    rapport::cli::main_with(rapport::cli::Cli::parse())
}
