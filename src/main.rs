use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    rapport::memory::give_back_freed_buffers();
    rapport::cli::main_with(rapport::cli::Cli::parse())
}
