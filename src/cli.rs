//! Command line parsing (clap) and dispatch.

use std::io::{self, Write};
use std::process::ExitCode;

use std::io::IsTerminal;

use clap::{CommandFactory, Parser, Subcommand};
use racelab::render::{json, teach as text, Style};
use racelab::teach::demo::{self, Program, SQUARE_NUMBERS_ARG};
use racelab::teach::{explore, parse_schedule, replay, Kind, Params, Scenario};

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
    /// Explore every interleaving of a scenario: an outcome table, and for each forbidden
    /// outcome the witness with the fewest thread switches.
    ///
    /// Threads switch only before visible steps (read, write, acquire, put, ...), so each
    /// interleaving is one distinct sequence of steps. Example:
    /// racelab explore counter-unlocked --threads 3 --increments 2
    Explore {
        /// What to explore.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Be the scheduler: run a scenario along your schedule, one thread number per step.
    ///
    /// "1 2 1 2" on counter-unlocked: Thread1 reads 0, Thread2 reads 0, Thread1 writes 1,
    /// Thread2 writes 1: End value 1. "1 1 2 2" ends at 2. A step that cannot be taken is
    /// refused with the reason (exit code 2).
    Replay {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: Kind,
        /// Thread numbers, one per step, e.g. "1 2 1 2" (0 or main for the main thread).
        schedule: String,
        #[command(flatten)]
        size: Size,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Run a scenario many times on real threads and count the outcomes seen, next to the
    /// outcomes that exploring shows are reachable.
    Stress {
        /// Which scenario (counter-unlocked, counter-locked, counter-atomic or queue).
        #[arg(value_enum)]
        scenario: Kind,
        /// How many runs.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        trials: u64,
        #[command(flatten)]
        size: Size,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// (internal) the work of one child process of `demo processes`.
    #[command(name = SQUARE_NUMBERS_ARG, hide = true)]
    SquareNumbers,
}

/// The sizes of a scenario.
#[derive(Debug, Clone, Copy, clap::Args)]
struct Size {
    /// Threads incrementing the counter (counter scenarios).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Increments per thread (counter scenarios).
    #[arg(long, default_value_t = 1)]
    increments: usize,
    /// Workers draining the queue (queue, task-done-early).
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Items put on the queue (queue, task-done-early).
    #[arg(long, default_value_t = 2)]
    items: usize,
}

impl Size {
    fn params(self) -> Params {
        Params {
            threads: self.threads,
            increments: self.increments,
            workers: self.workers,
            items: self.items,
        }
    }

    fn scenario(self, kind: Kind) -> Result<Scenario, Failure> {
        Scenario::new(kind, self.params()).map_err(|e| Failure::Usage(e.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Tables for people.
    Human,
    /// JSON for programs.
    Json,
}

/// Why a command failed: a usage error (exit 2) or a failure while running (exit 1).
enum Failure {
    Usage(String),
    /// A replay refused a step; the report said why.
    Refused,
    Io(io::Error),
    Other(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

fn explore_cmd(kind: Kind, size: Size, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
    let scenario = size.scenario(kind)?;
    let exploration = explore(scenario).map_err(|e| Failure::Other(e.to_string()))?;
    match format {
        Format::Human => write!(
            out,
            "{}",
            text::exploration_text(&exploration, Style::detect())
        )?,
        Format::Json => write!(out, "{}", json::exploration_json(&exploration))?,
    }
    Ok(())
}

fn replay_cmd(
    kind: Kind,
    schedule: &str,
    size: Size,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let scenario = size.scenario(kind)?;
    let schedule = parse_schedule(schedule).map_err(|e| Failure::Usage(e.to_string()))?;
    let replayed = replay(scenario, &schedule);
    match format {
        Format::Human => write!(out, "{}", text::replay_text(&scenario, &replayed))?,
        Format::Json => write!(out, "{}", json::replay_json(&scenario, &replayed))?,
    }
    match (&replayed.refusal, format) {
        (None, _) => Ok(()),
        // The report on stdout already says why.
        (Some(_), Format::Human) => Err(Failure::Refused),
        (Some(refusal), Format::Json) => {
            Err(Failure::Usage(text::refusal_text(&scenario, refusal)))
        }
    }
}

fn stress_cmd(
    kind: Kind,
    trials: u64,
    size: Size,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let params = size.params();
    let scenario = Scenario::for_stress(kind, params).map_err(|e| Failure::Usage(e.to_string()))?;
    let trials = usize::try_from(trials).unwrap_or(usize::MAX);
    let show_progress = std::io::stderr().is_terminal() && trials >= 1_000;
    let rows = racelab::teach::stress::stress(&scenario, trials, |done| {
        if show_progress {
            let filled = done * 30 / trials;
            eprint!(
                "\r[{}{}] {done}/{trials}",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            if done == trials {
                eprintln!();
            }
        }
    })
    .map_err(|e| Failure::Usage(e.to_string()))?;
    // The exhaustive set, when the size is small enough to explore.
    let reachable = Scenario::new(kind, params)
        .ok()
        .and_then(|s| explore(s).ok())
        .map(|e| e.outcomes());
    match format {
        Format::Json => write!(
            out,
            "{}",
            json::stress_json(&scenario, trials, &rows, reachable.as_deref())
        )?,
        Format::Human => write!(
            out,
            "{}",
            text::stress_text(&scenario, trials, &rows, reachable.as_deref())
        )?,
    }
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        None | Some(Cmd::Tour) => {
            racelab::teach::tour::run(&exe(), &mut out, Style::detect()).map_err(Failure::Io)
        }
        Some(Cmd::Demo { program }) => demo::run(program, &exe(), &mut out).map_err(Failure::Io),
        Some(Cmd::Explore {
            scenario,
            size,
            format,
        }) => explore_cmd(scenario, size, format, &mut out),
        Some(Cmd::Replay {
            scenario,
            schedule,
            size,
            format,
        }) => replay_cmd(scenario, &schedule, size, format, &mut out),
        Some(Cmd::Stress {
            scenario,
            trials,
            size,
            format,
        }) => stress_cmd(scenario, trials, size, format, &mut out),
        Some(Cmd::SquareNumbers) => {
            demo::square_numbers();
            Ok(())
        }
    };
    let result = result.and_then(|()| out.flush().map_err(Failure::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`racelab | head`) is not an error worth a message.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("racelab: {e}");
            ExitCode::FAILURE
        }
        Err(Failure::Other(message)) => {
            eprintln!("racelab: {message}");
            ExitCode::FAILURE
        }
        Err(Failure::Refused) => ExitCode::from(2),
        Err(Failure::Usage(message)) => {
            let _ = out.flush();
            eprintln!("racelab: {message}");
            ExitCode::from(2)
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
