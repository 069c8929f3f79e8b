//! The `racelab` command: parsing (clap, in [`args`]), dispatch, and how failures are
//! reported. Usage errors, whether clap's or racelab's own (a size out of range, a flag that
//! does not apply), look alike: `error: ...`, the subcommand's usage, exit code 2.

mod args;
mod commands;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use racelab::render::Style;
use racelab::teach::demo;

use args::{Cli, Cmd, Format, TableFormat};
use commands::{ChallengeArgs, StressArgs};

/// Why a command failed.
pub enum Failure {
    /// Bad input: printed like clap's errors, with the usage, exit code 2.
    Usage(String),
    /// A schedule could not be followed; the report on stdout said why (and the message,
    /// if any, goes to stderr). Exit code 2.
    Refused(Option<String>),
    /// A challenge's goal was not met. Exit code 1.
    NotYet,
    /// Writing the output failed.
    Io(io::Error),
    /// Something else went wrong while running. Exit code 1.
    Other(String),
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

pub fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e, &args),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let style = Style::detect();
    let result = match cli.command {
        None | Some(Cmd::Tour) => {
            racelab::render::tour::run(&exe(), &mut out, style).map_err(Failure::Io)
        }
        Some(Cmd::Demo { program }) => demo::run(program, &exe(), &mut out).map_err(Failure::Io),
        Some(Cmd::Explore {
            scenario,
            size,
            view,
        }) => to_output(view.output.as_deref(), view.format, &mut out, |w| {
            commands::explore_cmd(
                scenario,
                &size,
                style.with_python(view.python),
                view.format,
                w,
            )
        }),
        Some(Cmd::Replay {
            scenario,
            schedule,
            size,
            view,
        }) => to_output(view.output.as_deref(), view.format, &mut out, |w| {
            commands::replay_cmd(
                scenario,
                &schedule,
                &size,
                style.with_python(view.python),
                view.format,
                w,
            )
        }),
        Some(Cmd::Stress {
            scenario,
            trials,
            size,
            jitter,
            seed,
            format,
        }) => commands::stress_cmd(
            StressArgs {
                kind: scenario,
                trials,
                jitter,
                seed,
            },
            &size,
            style,
            format,
            &mut out,
        ),
        Some(Cmd::Challenge {
            name,
            schedule,
            hint,
            solution,
            python,
        }) => commands::challenge_cmd(
            ChallengeArgs {
                name,
                schedule,
                hint,
                solution,
            },
            style.with_python(python),
            &mut out,
        ),
        Some(Cmd::SquareNumbers) => {
            demo::square_numbers();
            Ok(())
        }
        Some(Cmd::MeasureChild { squares }) => {
            racelab::measure::squares(squares);
            Ok(())
        }
        Some(Cmd::Measure { what }) => commands::measure_cmd(what, &exe(), &mut out),
        Some(Cmd::Check {
            scenario,
            size,
            search,
            schedules,
            budget,
            jobs,
            shard,
            checkpoint,
            spurious_wakeups,
            wakeups_without_notify,
            view,
        }) => to_output(view.output.as_deref(), view.format, &mut out, |w| {
            commands::check_cmd(
                scenario,
                &size,
                commands::CheckArgs {
                    search,
                    schedules,
                    budget,
                    jobs,
                    shard,
                    checkpoint,
                    spurious_wakeups,
                    wakeups_without_notify,
                },
                style.with_python(view.python),
                view.format,
                w,
            )
        }),
        Some(Cmd::Merge {
            files,
            format,
            output,
        }) => {
            let shown = match format {
                TableFormat::Human => Format::Human,
                TableFormat::Json => Format::Json,
            };
            to_output(output.as_deref(), shown, &mut out, |w| {
                commands::merge_cmd(&files, format, w)
            })
        }
        Some(Cmd::Engines {
            scenario,
            size,
            seeds,
            budget,
            trials,
            format,
        }) => {
            let budget = racelab::measure::engines::Budget {
                seeds,
                executions: usize::try_from(budget).unwrap_or(usize::MAX),
                trials: usize::try_from(trials).unwrap_or(usize::MAX),
            };
            commands::engines_cmd(scenario, &size, budget, format, &exe(), &mut out)
        }
    };
    let result = result.and_then(|()| out.flush().map_err(Failure::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`racelab | head`) is not an error worth a message.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
        Err(Failure::NotYet) => ExitCode::FAILURE,
        Err(Failure::Refused(message)) => {
            if let Some(message) = message {
                eprintln!("error: {message}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Usage(message)) => {
            let _ = out.flush();
            let _ = subcommand(&args)
                .error(ErrorKind::ValueValidation, message)
                .print();
            ExitCode::from(2)
        }
    }
}

/// Runs `command` into a buffer, then writes what it printed to `path` (saying so, with
/// the size, on stderr) or to `out`. A command that fails before printing writes no file;
/// a refused replay still writes its page (which says why) and keeps its exit code.
fn to_output(
    path: Option<&std::path::Path>,
    format: Format,
    out: &mut dyn Write,
    command: impl FnOnce(&mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let Some(path) = path else {
        return command(out);
    };
    let mut buffer: Vec<u8> = Vec::new();
    let result = command(&mut buffer);
    if !buffer.is_empty() {
        std::fs::write(path, &buffer)
            .map_err(|e| Failure::Refused(Some(format!("cannot write {}: {e}", path.display()))))?;
        let what = match format {
            Format::Html => "one self-contained page; open it in a browser",
            Format::Json => "JSON",
            Format::Human => "text",
        };
        eprintln!(
            "wrote {} ({}, {what})",
            path.display(),
            racelab::render::html::kilobytes(buffer.len())
        );
    }
    result
}

/// The subcommand named in `args` (for its usage line), or the top-level command.
fn subcommand(args: &[OsString]) -> clap::Command {
    let mut command = Cli::command();
    command.build();
    let sub = args.get(1).and_then(|a| a.to_str()).unwrap_or_default();
    match command.find_subcommand(sub) {
        Some(found) => found.clone(),
        None => command,
    }
}

/// Prints clap's error with the usage of the command it concerns, exit code 2
/// (`--help` and `--version` are not errors and go to stdout with exit code 0).
fn clap_error(error: clap::Error, args: &[OsString]) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let _ = error.print();
    if !error.render().to_string().contains("Usage:") {
        eprintln!("\n{}", subcommand(args).render_usage());
    }
    ExitCode::from(2)
}

/// The path of this binary, for `demo processes` to start children with.
pub(crate) fn exe() -> std::path::PathBuf {
    std::env::current_exe().unwrap_or_else(|_| "racelab".into())
}
