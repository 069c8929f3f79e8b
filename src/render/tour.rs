//! The tour that `racelab` runs with no arguments: the tutorial's programs on real threads,
//! what exploring every interleaving shows about them, and real threads with jitter.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use super::{Style, teach as report};
use crate::teach::demo::{self, Program};
use crate::teach::stress::{Jitter, stress};
use crate::teach::{EndState, Kind, Scenario, explore};

fn section(out: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(out, "\n== {title}")
}

fn run_program(program: Program, exe: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut captured = Vec::new();
    demo::run(program, exe, &mut captured)?;
    for line in String::from_utf8_lossy(&captured).lines() {
        writeln!(out, "  | {line}")?;
    }
    Ok(())
}

fn explored(kind: Kind, out: &mut dyn Write, style: Style) -> io::Result<Scenario> {
    let scenario = Scenario::new(kind, kind.default_params()).map_err(io::Error::other)?;
    let exploration = explore(scenario).map_err(io::Error::other)?;
    write!(out, "{}", report::exploration_text(&exploration, style))?;
    Ok(scenario)
}

/// How to run racelab again, as this binary was started: `cargo run --release --` from a
/// cargo build directory (`<target>/release`, where cargo leaves a `CACHEDIR.TAG`),
/// `racelab` once installed.
pub fn invocation(exe: &Path) -> &'static str {
    let dir = exe.parent();
    let profile = dir.and_then(|d| d.file_name()).and_then(|n| n.to_str());
    let in_target = dir
        .and_then(Path::parent)
        .is_some_and(|target| target.join("CACHEDIR.TAG").is_file());
    match (profile, in_target) {
        (Some("release"), true) => "cargo run --release --",
        (Some("debug"), true) => "cargo run --",
        _ => "racelab",
    }
}

/// The jittered real-thread runs the tour shows (few, so the tour stays quick).
const TOUR_RUNS: usize = 200;

/// Runs the tour, writing to `out`.
pub fn run(exe: &Path, out: &mut dyn Write, style: Style) -> io::Result<()> {
    let racelab = invocation(exe);
    writeln!(
        out,
        "racelab tour: the Python threading tutorial's programs, in Rust, and the proof of what they show."
    )?;

    section(
        out,
        "1. race: two threads run `local = value; local += 1; pause; value = local`, no lock",
    )?;
    run_program(Program::Race, exe, out)?;
    writeln!(
        out,
        "Both threads read 0 before either wrote, so both wrote 1: one update was lost.\n\
         Here the pause is a barrier, so this happens every time; with the tutorial's sleep it\n\
         happens only when the timing is just so. Is it a fluke of timing? Explore every order:"
    )?;

    section(out, "2. every interleaving of the unlocked increment")?;
    explored(Kind::CounterUnlocked, out, style)?;
    writeln!(
        out,
        "An interleaving is one order of the threads' steps; racelab ran the program once per\n\
         interleaving (the executions). Of the 6 orders of the two reads and two writes, 4 lose\n\
         an update: any order in which the second read comes before the first write. The share\n\
         column counts orders, not how often a machine picks them: part 5 measures that."
    )?;

    section(
        out,
        "3. lock: the same increment inside a lock (with the tutorial's 0.1 s sleep)",
    )?;
    run_program(Program::Lock, exe, out)?;
    explored(Kind::CounterLocked, out, style)?;
    writeln!(
        out,
        "With the lock, the only orders left run one critical section after the other: every one\n\
         ends at 2. (More executions than interleavings: a run in which a thread tries the\n\
         held lock ends early; it is counted as an execution, not as a new interleaving.)"
    )?;

    section(
        out,
        "4. queue: 10 workers Thread1..Thread10 drain 20 items, then join",
    )?;
    run_program(Program::Queue, exe, out)?;
    let queue = explored(Kind::Queue, out, style)?;
    let p = queue.params();
    writeln!(
        out,
        "Every item is handled exactly once and join returns only after the last task_done, in\n\
         every interleaving (explored here with {} and {}, every wait and wake-up a step).",
        crate::words::plural(p.workers, "worker"),
        crate::words::plural(p.items, "item")
    )?;

    section(
        out,
        "5. real threads: how often does a machine lose the update?",
    )?;
    let counter = Scenario::for_stress(
        Kind::CounterUnlocked,
        Kind::CounterUnlocked.default_params(),
    )
    .map_err(io::Error::other)?;
    let jitter = Jitter {
        max: Duration::from_millis(1),
        seed: 0,
    };
    let rows = stress(&counter, TOUR_RUNS, Some(jitter), |_| {}).map_err(io::Error::other)?;
    let lost: usize = rows
        .iter()
        .filter(|(o, _)| *o != EndState::Value(2))
        .map(|(_, n)| n)
        .sum();
    writeln!(
        out,
        "{TOUR_RUNS} runs of 2 threads × 1 increment, each pausing a random 0-1 ms between read and\n\
         write (seeded random delays, like the tutorial's sleep but varied): {lost} lost the update.\n\
         Without the pause the window is a few nanoseconds and how often it shows depends on the\n\
         machine and its load; the pause makes the race visible anywhere. Exploring (part 2)\n\
         needs no luck at all."
    )?;

    section(out, "what to try next")?;
    let next = [
        (
            "replay counter-unlocked \"1 2 1 2\"",
            "be the scheduler: lose the update yourself",
        ),
        ("challenge", "goals to reach by typing a schedule"),
        (
            "explore two-locks",
            "a classic mistake (more in `explore --help`)",
        ),
        (
            "explore if-not-while --python",
            "waits and wake-ups, beside the Python lines",
        ),
        (
            "stress counter-unlocked --jitter",
            "real threads, seeded random pauses",
        ),
        ("--help", "all commands; `cargo test` runs the proofs"),
        (
            "explore counter-unlocked --format html --output race.html",
            "see it: a page to open in a browser, be the scheduler by clicking",
        ),
    ];
    let width = next.iter().map(|(c, _)| c.len()).max().unwrap_or(0) + racelab.len() + 1;
    for (command, what) in next {
        writeln!(out, "  {:<width$}  {what}", format!("{racelab} {command}"))?;
    }
    Ok(())
}
