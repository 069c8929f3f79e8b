//! The command line's arguments (clap derive) and the help texts built from racelab's own
//! tables, so `--help` cannot drift from what the commands accept. (One concept, past 400
//! lines: every command's flags and help, in the order `racelab --help` lists them.)

use std::time::Duration;

use clap::{Parser, Subcommand};
use racelab::teach::challenge::{CHALLENGES, Challenge};
use racelab::teach::demo::{Program, SQUARE_NUMBERS_ARG};
use racelab::teach::sizes::{Flag, Purpose, check_range, sizes_help};
use racelab::teach::{Kind, Params};

/// racelab: see a lost update happen, then see why a lock or a queue prevents it.
///
/// With no command, runs a short tour of the tutorial's programs.
///
/// Words used in every view: an interleaving is one order of the threads' visible steps
/// (read, write, acquire, put, wait, ...); explore counts distinct interleavings, found in a
/// number of executions (runs of the program, a few more than the interleavings when a
/// thread is blocked). The share column is the fraction of interleavings with that outcome,
/// not how often an operating system picks them: `stress` answers that question.
#[derive(Debug, Parser)]
#[command(name = "racelab", version, about, long_about, disable_help_flag = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Print help (-h and --help show the same).
    #[arg(short = 'h', long = "help", action = clap::ArgAction::HelpLong, global = true)]
    help: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
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
    /// Threads switch only before visible steps (read, write, acquire, put, wait, wake, ...),
    /// so each interleaving is one distinct sequence of steps; "N interleavings in M
    /// executions" says how many runs it took to find them (a blocked thread costs a run
    /// that ends early). The share of an outcome is the fraction of interleavings that end
    /// with it, not a probability: the OS picks some interleavings far more often than
    /// others (see `racelab stress`). Every witness replays with `racelab replay`.
    #[command(after_help = explore_help())]
    Explore {
        /// What to explore.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        #[command(flatten)]
        view: View,
    },
    /// Check a scenario as `racelab::check` checks your own code: every operation a switch
    /// point, every execution graph explored (TruSt), the report with its coverage.
    ///
    /// Unlike `explore`, which switches threads only at the marked steps a learner sees,
    /// this treats the scenario as code racelab did not write: every lock, unlock, wait,
    /// notify, atomic and join is a point where another thread may run, and each order of
    /// conflicting operations is run once. --schedules lists what was run, one line per
    /// execution (the thread of every operation, then the ending), so that a passing check
    /// can be checked by hand. While it runs, a bar on stderr (when stderr is a terminal)
    /// shows the executions, their rate, and the search's estimated size; a search that
    /// runs to its end notes in the report how far off that estimate was along the way.
    #[command(after_help = check_help())]
    Check {
        /// What to check.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        /// How to choose schedules.
        #[arg(long, value_enum, default_value_t = SearchArg::Exhaustive)]
        search: SearchArg,
        /// List the schedule of each of the first N executions.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        schedules: Option<u64>,
        /// Most executions before the search stops (the report then says "bounded").
        #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        budget: u64,
        /// Parallel jobs that share the exhaustive search, one OS thread each (default:
        /// RACELAB_JOBS, else one per core). The report is the same for any number;
        /// --schedules runs as one job.
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
        jobs: Option<u64>,
        /// Run shard I of N of the exhaustive search (numbered from 1; default:
        /// RACELAB_SHARD): a part of it disjoint from the other shards', so that N machines
        /// can share one large check. Write each shard's report with --format json, then add
        /// them up with `racelab merge`.
        #[arg(long, value_name = "I/N", value_parser = parse_shard)]
        shard: Option<(usize, usize)>,
        /// Spread the search over several runs: when it runs out of --budget, save its
        /// place in FILE; the next run with the same FILE goes on from there, and a search
        /// that runs to its end removes FILE. `racelab merge` adds up the runs' JSON reports.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<std::path::PathBuf>,
        /// Let every condition-variable wait wake spuriously, as std allows
        /// (`Check::spurious_wakeups`): racelab's own waits loop, so their verdicts stand,
        /// but two threads waiting at once make the search bounded (unless
        /// --wakeups-without-notify limits them).
        #[arg(long)]
        spurious_wakeups: bool,
        /// Let each thread wake without a notify (spuriously, or a timed wait timing out)
        /// at most N times (`Check::wakeups_without_notify`): past that it waits for a
        /// notify, so two threads waiting at once no longer make the search bounded. An
        /// execution no thread can go on in but after a timed wait at its limit is cut, a
        /// row of its own (a deadlock among the other threads is still a deadlock).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32))]
        wakeups_without_notify: Option<u32>,
        #[command(flatten)]
        view: View,
    },
    /// Add up the JSON reports of the parts of one check (its shards, or its runs between
    /// checkpoints) into the whole check's report.
    ///
    /// The shards of `racelab check --shard I/N`, and the runs of `racelab check
    /// --checkpoint FILE` (or of a check run with `Check::shard`, RACELAB_SHARD or
    /// `Check::checkpoint`, its report written with `racelab::render::json::report`),
    /// partition the exhaustive search: their outcome counts add up to the whole search's,
    /// and the merge keeps the witness a single run would have kept. The merged report says
    /// "exhaustive" only when every shard from 1 to N is there once, or the runs chain from
    /// the start of the search to its end. Exit code 1 unless it passed.
    #[command(after_help = "Example:\n  \
        racelab check queue --workers 2 --items 2 --shard 1/2 --format json -o 1.json\n  \
        racelab check queue --workers 2 --items 2 --shard 2/2 --format json -o 2.json\n  \
        racelab merge 1.json 2.json")]
    Merge {
        /// The parts' JSON reports.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
        /// Write to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Be the scheduler: run a scenario along your schedule, one thread per step.
    ///
    /// "1 2 1 2" on counter-unlocked: Thread1 reads 0, Thread2 reads 0, Thread1 writes 1,
    /// Thread2 writes 1: End value 1. "1 1 2 2" ends at 2. A step that cannot be taken is
    /// refused with the reason (exit code 2).
    #[command(after_help = replay_help())]
    Replay {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: Kind,
        /// One thread per step, by number or name: "1 2 1 2", "P 1 main", "T1 T2".
        schedule: String,
        #[command(flatten)]
        size: Size,
        #[command(flatten)]
        view: View,
    },
    /// Run a scenario many times on real threads and count the outcomes seen, next to the
    /// outcomes that exploring shows are reachable.
    ///
    /// Each run releases its threads together from a barrier. Without --jitter there is no
    /// pause between read and write, so how often an update is lost depends on the machine
    /// and its load; --jitter adds a random pause there (seeded: --seed fixes every delay),
    /// as the tutorial's sleep does, and the loss shows on any machine.
    #[command(after_help = stress_help())]
    Stress {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: StressKind,
        /// How many runs.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        trials: u64,
        #[command(flatten)]
        size: Size,
        /// A random pause of up to DURATION between each read and write (e.g. 500us, 2ms;
        /// 1ms when no value is given).
        #[arg(long, value_name = "DURATION", num_args = 0..=1, default_missing_value = "1ms", value_parser = parse_duration)]
        jitter: Option<Duration>,
        /// The seed of --jitter's delays.
        #[arg(long, requires = "jitter")]
        seed: Option<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// Challenges: reach a goal (lose an update, deadlock, ...) by typing a schedule.
    ///
    /// With no name, lists the challenges. With a name and a schedule, runs the schedule
    /// (as `racelab replay` does) and says whether it meets the goal; a failed try gets a
    /// hint. One challenge is impossible: racelab shows the exploration that proves it.
    #[command(after_help = challenge_help())]
    Challenge {
        /// Which challenge.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(Challenge::names()))]
        name: Option<String>,
        /// Your schedule, as for `racelab replay`.
        schedule: Option<String>,
        /// Show hint N (1 is shown after a failed try).
        #[arg(long, value_name = "N", requires = "name", value_parser = clap::value_parser!(u64).range(1..))]
        hint: Option<u64>,
        /// Show a schedule that meets the goal (found by exploring every interleaving).
        #[arg(long, requires = "name", conflicts_with_all = ["schedule", "hint"])]
        solution: bool,
        /// Show each step's line of the tutorial's Python program.
        #[arg(long)]
        python: bool,
    },
    /// Measure the tutorial's claims on this machine: thread vs process start-up, CPU-bound
    /// work on threads vs processes (the GIL), and the task queue's throughput against
    /// crossbeam-channel and std::sync::mpsc — with CPython's numbers beside Rust's when
    /// python3 is installed.
    ///
    /// Timings depend on the machine and its load: run it twice and compare. Numbers are
    /// medians; `spawn` also gives the 10th and 90th percentiles.
    Measure {
        #[command(subcommand)]
        what: Measure,
    },
    /// Run one scenario under every checker built into racelab, side by side: executions
    /// to the first forbidden outcome, executions to explore everything, time.
    ///
    /// Engines: racelab's explorer (marked steps), racelab's exhaustive search and its default
    /// check (a seeded probe, then the exhaustive search), shuttle's random, PCT and DFS schedulers, schedules from
    /// proptest's and from uniformly random byte lists, and real threads with and without a
    /// random pause. Random engines run once per seed (0, 1, ...) and show the median. loom
    /// cannot run in this binary: see the loom suite.
    #[command(after_help = engines_help())]
    Engines {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        /// Seeds for the random engines.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        seeds: u64,
        /// Most executions per engine and seed (also the exhaustive engines' budget).
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        budget: u64,
        /// Most real-thread runs per seed.
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        trials: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// (internal) the work of one child process of `demo processes`.
    #[command(name = SQUARE_NUMBERS_ARG, hide = true)]
    SquareNumbers,
    /// (internal) a child process of `measure`: SQUARES squares, then exit.
    #[command(name = racelab::measure::CHILD_ARG, hide = true)]
    MeasureChild {
        /// How many squares.
        squares: u64,
    },
}

/// What `racelab measure` measures.
#[derive(Debug, Subcommand)]
pub enum Measure {
    /// Creating and joining a thread vs starting and waiting for a process.
    Spawn {
        /// Threads to time (processes: at most 100).
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        runs: u64,
        #[command(flatten)]
        common: MeasureCommon,
    },
    /// The tutorial's CPU-bound squares on 1..N threads and on 1..N processes (N = cores).
    Cpu {
        /// Squares in all, split over the workers (CPython does 1/50 of it).
        #[arg(long, default_value_t = 200_000_000, value_parser = clap::value_parser!(u64).range(1_000..=100_000_000_000))]
        work: u64,
        #[command(flatten)]
        common: MeasureCommon,
    },
    /// What exploring every interleaving costs at every size `explore` accepts:
    /// interleavings, executions, time.
    Scale {
        /// The scenarios (all when none is given).
        #[arg(value_enum)]
        scenarios: Vec<Kind>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// `racelab check`'s exhaustive search in 1..=N parallel jobs on one scenario:
    /// executions, time, speed-up over one job and its ratio to linear, and whether every
    /// number of jobs gave the same report (it must).
    ///
    /// `racelab measure jobs queue --workers 2 --items 2` is the README's table.
    Jobs {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        /// Most parallel jobs (default: one per core).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
        max_jobs: Option<u64>,
        /// Runs per number of jobs (the best time counts).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
        runs: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// `racelab check`'s exhaustive search split into shards on one scenario: each shard
    /// run on its own, the slowest shard's time against the whole search's (the speed-up on
    /// as many machines), what splitting costs in all, and whether the merged report is the
    /// whole search's (it must).
    ///
    /// `racelab measure shards queue --workers 2 --items 2` is the README's table.
    Shards {
        /// Which scenario.
        #[arg(value_enum)]
        scenario: Kind,
        #[command(flatten)]
        size: Size,
        /// The numbers of shards to split the search into.
        #[arg(long, value_name = "N,...", value_delimiter = ',', default_values_t = [2, 3, 7],
              value_parser = clap::value_parser!(u64).range(1..=64))]
        counts: Vec<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Human)]
        format: TableFormat,
    },
    /// 1 producer, 10 workers: racelab's TaskQueue against crossbeam-channel and mpsc.
    Queue {
        /// Items per run (CPython moves 1/10 of them).
        #[arg(long, default_value_t = 500_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        items: u64,
        /// Runs per queue (the median is shown).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
        runs: u64,
        #[command(flatten)]
        common: MeasureCommon,
    },
}

/// How `explore` and `replay` show what they found.
#[derive(Debug, clap::Args)]
pub struct View {
    /// Show each step's line of the tutorial's Python program (JSON and HTML always
    /// carry it).
    #[arg(long)]
    pub python: bool,
    /// Output format: html is one self-contained page (pictures, be-the-scheduler).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Flags every measurement takes.
#[derive(Debug, clap::Args)]
pub struct MeasureCommon {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
    /// Do not run CPython's side of the measurement.
    #[arg(long)]
    pub no_python: bool,
}

/// The scenarios that run on real threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StressKind {
    /// The tutorial's unlocked increment: read, then write. Loses updates.
    CounterUnlocked,
    /// The increment inside the lock. Never loses an update.
    CounterLocked,
    /// One `fetch_add`. Never loses an update.
    CounterAtomic,
    /// The tutorial's pool: workers get, handle, task_done; a producer puts; main joins.
    Queue,
}

impl StressKind {
    /// The scenario it runs.
    pub fn kind(self) -> Kind {
        match self {
            StressKind::CounterUnlocked => Kind::CounterUnlocked,
            StressKind::CounterLocked => Kind::CounterLocked,
            StressKind::CounterAtomic => Kind::CounterAtomic,
            StressKind::Queue => Kind::Queue,
        }
    }

    const ALL: [Kind; 4] = [
        Kind::CounterUnlocked,
        Kind::CounterLocked,
        Kind::CounterAtomic,
        Kind::Queue,
    ];
}

/// The sizes of a scenario, as typed: which flags were given, with what values.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Size {
    /// Threads incrementing the counter (counter scenarios; default 2).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    threads: Option<i64>,
    /// Increments per thread (counter scenarios; default 1).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    increments: Option<i64>,
    /// Workers draining the queue (queue, task-done-early; default 2).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    workers: Option<i64>,
    /// Items put on the queue (queue, task-done-early; default 1).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    items: Option<i64>,
}

impl Size {
    fn given(&self, flag: Flag) -> Option<i64> {
        match flag {
            Flag::Threads => self.threads,
            Flag::Increments => self.increments,
            Flag::Workers => self.workers,
            Flag::Items => self.items,
        }
    }

    /// The scenario's sizes: its defaults, overridden by the flags given. A flag the
    /// scenario does not take, or a value out of range for `purpose`, is an error that says
    /// what it takes.
    pub fn params(&self, kind: Kind, purpose: Purpose) -> Result<Params, String> {
        let mut params = kind.default_params();
        for flag in Flag::ALL {
            let Some(value) = self.given(flag) else {
                continue;
            };
            if !kind.flags().contains(&flag) {
                let fixed = if kind.flags().is_empty() {
                    " (it has a fixed size)"
                } else {
                    ""
                };
                return Err(format!(
                    "{} {}{fixed}; {} does not apply",
                    kind.name(),
                    kind.flags_text(),
                    flag.name()
                ));
            }
            check_range(kind, flag, purpose, i128::from(value)).map_err(|e| e.to_string())?;
            flag.set(
                &mut params,
                usize::try_from(value).expect("checked in range"),
            );
        }
        Ok(params)
    }
}

/// How `explore` and `replay` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    Human,
    /// JSON for programs.
    Json,
    /// One self-contained HTML page: chart, swimlanes, be-the-scheduler, tree of schedules.
    Html,
}

/// How `check` chooses schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchArg {
    /// Every execution graph (TruSt): each order of conflicting operations once.
    Exhaustive,
    /// What `check(..).run()` does: the exhaustive search, sampling past the budget.
    Auto,
    /// Every order of every operation, no reduction (the slow baseline).
    EveryOrder,
}

/// How `stress` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Tables for people.
    Human,
    /// JSON for programs.
    Json,
}

/// "2/3": shard 2 of 3, numbered from 1.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text.split_once('/').and_then(|(i, n)| {
        Some((
            i.trim().parse::<usize>().ok()?,
            n.trim().parse::<usize>().ok()?,
        ))
    });
    match parsed {
        Some((i, n)) if n >= 1 && (1..=n).contains(&i) => Ok((i, n)),
        Some((i, n)) => Err(format!(
            "there is no shard {i} of {n}: shards are numbered from 1 to their count"
        )),
        None => Err("write I/N, e.g. 2/3 for the second of three shards".to_string()),
    }
}

/// "500us", "2ms", "0.1s", "1500ns": a duration of at most 10 s.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let per_unit = match unit {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "" => {
            return Err(format!(
                "{text:?} has no unit; write e.g. 500us, 2ms or 0.1s"
            ));
        }
        _ => return Err(format!("unknown unit {unit:?}; use ns, us, ms or s")),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; write e.g. 500us, 2ms or 0.1s"))?;
    let seconds = value * per_unit;
    if !(0.0..=10.0).contains(&seconds) {
        return Err(format!("{text} is longer than 10s"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

const THREAD_NAMES: &str = "\
Threads are named the same in every view: main is 0; Thread1..ThreadN are 1..N (the
workers, in the queue scenarios); the queue scenarios' Producer is N+1 (3 with 2 workers).
In a schedule, write numbers or names: \"1 2 1 2\", \"T1 T2\", \"P P 1 2 main\".";

fn explore_help() -> String {
    format!(
        "{}\n{THREAD_NAMES}\n\nExample: racelab explore counter-unlocked --threads 3 --increments 2",
        sizes_help(Purpose::Explore, &Kind::ALL)
    )
}

fn check_help() -> String {
    format!(
        "{}\n\nExamples:\n  racelab check counter-unlocked\n  \
         racelab check counter-locked --threads 3 --schedules 20\n  \
         racelab check queue --workers 2 --format json\n  \
         racelab check queue --workers 2 --items 2 --shard 1/2 --format json -o 1.json",
        sizes_help(Purpose::Explore, &Kind::ALL)
    )
}

fn engines_help() -> String {
    format!(
        "{}\n\nExamples:\n  racelab engines counter-unlocked\n  \
         racelab engines counter-locked --threads 3 --format json",
        sizes_help(Purpose::Explore, &Kind::ALL)
    )
}

fn replay_help() -> String {
    format!(
        "{}\n{THREAD_NAMES}\n\n\
         Every step takes one entry, including one that follows its thread's previous step at\n\
         once (the wait after a failed check, the notify after a put): name that thread again.\n\
         A schedule longer than the run is refused at the first entry left over; a shorter one\n\
         says which threads still had steps.\n\n\
         Example: racelab replay if-not-while \"1 P P 2 1 1 P\"",
        sizes_help(Purpose::Replay, &Kind::ALL)
    )
}

fn stress_help() -> String {
    format!(
        "{}\nExample: racelab stress counter-unlocked --jitter --trials 100",
        sizes_help(Purpose::Stress, &StressKind::ALL)
    )
}

fn challenge_help() -> String {
    let width = CHALLENGES.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from("Challenges:\n");
    for c in &CHALLENGES {
        out.push_str(&format!("  {:<width$}  {}\n", c.name, c.goal_text));
    }
    out.push_str("\nExample: racelab challenge lose-an-update \"1 2 1 2\"");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_only() {
        assert_eq!(parse_duration("2ms"), Ok(Duration::from_millis(2)));
        assert_eq!(parse_duration("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_duration("0.1s"), Ok(Duration::from_millis(100)));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("11s").is_err());
        assert!(parse_duration("-1ms").is_err());
    }
}
