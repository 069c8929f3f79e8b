//! The tour that `racelab` runs with no arguments: the tutorial's programs on real threads,
//! then what exploring every interleaving shows about them.

use std::io::{self, Write};
use std::path::Path;

use super::demo::{self, Program};
use super::{explore, Kind, Params, Scenario};
use crate::render::{teach as report, Style};

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

fn explored(kind: Kind, out: &mut dyn Write, style: Style) -> io::Result<()> {
    let scenario = Scenario::new(kind, Params::default()).map_err(io::Error::other)?;
    let exploration = explore(scenario).map_err(io::Error::other)?;
    write!(out, "{}", report::exploration_text(&exploration, style))
}

/// Runs the tour, writing to `out`.
pub fn run(exe: &Path, out: &mut dyn Write, style: Style) -> io::Result<()> {
    writeln!(out, "racelab tour: the Python threading tutorial's programs, in Rust, and the proof of what they show.")?;

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
        "Of the 6 possible orders of the two reads and two writes, 4 lose an update: any order\n\
         in which the second read comes before the first write."
    )?;

    section(
        out,
        "3. lock: the same increment inside a lock (with the tutorial's 0.1 s sleep)",
    )?;
    run_program(Program::Lock, exe, out)?;
    explored(Kind::CounterLocked, out, style)?;
    writeln!(
        out,
        "With the lock, the only orders left run one critical section after the other: every one ends at 2."
    )?;

    section(
        out,
        "4. queue: 10 workers Thread1..Thread10 drain 20 items, then join",
    )?;
    run_program(Program::Queue, exe, out)?;
    explored(Kind::Queue, out, style)?;
    writeln!(
        out,
        "Every item is handled exactly once and join returns only after the last task_done, in\n\
         every interleaving (explored here with 2 workers and 2 items)."
    )?;

    section(out, "what to try next")?;
    writeln!(
        out,
        "  racelab replay counter-unlocked \"1 2 1 2\"     be the scheduler: lose the update yourself\n  \
         racelab explore two-locks                     a classic mistake (also: insufficient-lock,\n  \
         \x20                                            never-released, task-done-early, if-not-while)\n  \
         racelab explore counter-unlocked --threads 3 --increments 2\n  \
         racelab stress counter-unlocked --increments 100000 --trials 20   real threads, real losses\n  \
         racelab --help                                all commands; cargo test runs the proofs"
    )
}
