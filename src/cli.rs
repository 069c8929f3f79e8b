//! Command line parsing (clap) and dispatch.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use racelab::demo::{self, Program, SQUARE_NUMBERS_ARG};

/// racelab: see a lost update happen, then see why a lock or a queue prevents it.
///
/// With no command, runs a short tour of the tutorial's programs.
#[derive(Debug, Parser)]
#[command(name = "racelab", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run one of the tutorial's programs; its stdout is exactly CPython's.
    ///
    /// race forces the lost update (both threads read before either writes), so it prints
    /// "End value: 1" every time; lock prints "End value: 2" whatever the schedule.
    Demo {
        /// Which program to run.
        #[arg(value_enum)]
        program: Program,
    },
    /// A short tour: runs the tutorial's programs and says what each one shows.
    Tour,
    /// (internal) the work of one child process of `demo processes`.
    #[command(name = SQUARE_NUMBERS_ARG, hide = true)]
    SquareNumbers,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        None | Some(Cmd::Tour) => racelab::tour::run(&exe(), &mut out),
        Some(Cmd::Demo { program }) => demo::run(program, &exe(), &mut out),
        Some(Cmd::SquareNumbers) => {
            demo::square_numbers();
            Ok(())
        }
    };
    let flushed = result.and_then(|()| out.flush());
    match flushed {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`racelab | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("racelab: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints clap's error with the usage of the command it concerns, exit code 2
/// (`--help` and `--version` are not errors and go to stdout with exit code 0).
fn usage_error(error: clap::Error) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let rendered = error.render().to_string();
    eprint!("{rendered}");
    if !rendered.contains("Usage:") {
        let mut command = Cli::command();
        command.build();
        let sub = std::env::args().nth(1).unwrap_or_default();
        let usage = match command.find_subcommand_mut(&sub) {
            Some(sub) => sub.render_usage(),
            None => command.render_usage(),
        };
        eprintln!("\n{usage}");
    }
    ExitCode::from(2)
}

/// The path of this binary, for `demo processes` to start children with.
fn exe() -> std::path::PathBuf {
    std::env::current_exe().unwrap_or_else(|_| "racelab".into())
}
