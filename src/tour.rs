//! The tour that `racelab` runs with no arguments.

use std::io::{self, Write};
use std::path::Path;

use crate::demo::{self, Program};

/// Runs the tour, writing to `out`.
pub fn run(exe: &Path, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "racelab tour: the Python threading tutorial's programs, in Rust."
    )?;
    for program in [Program::Race, Program::Lock, Program::Queue] {
        let (title, lesson) = match program {
            Program::Race => (
                "race: two threads, `local = value; local += 1; pause; value = local`, no lock",
                "Both threads read 0 before either wrote, so both wrote 1: one update was lost.\n\
                 Here the pause is a barrier, so this schedule happens every time; with the\n\
                 tutorial's sleep it happens only when the timing is just so.",
            ),
            Program::Lock => (
                "lock: the same increment inside a lock (with the tutorial's 0.1 s sleep)",
                "The second thread cannot read until the first has written and released the\n\
                 lock, so it reads 1 and writes 2, whatever the timing.",
            ),
            _ => (
                "queue: 10 workers named Thread1..Thread10 drain 20 items from a queue",
                "Every item is handled exactly once, each worker's values increase (FIFO), and\n\
                 join() returned only after the 20th task_done(), so `main done` comes last.",
            ),
        };
        writeln!(out, "\n== {title}")?;
        let mut captured = Vec::new();
        demo::run(program, exe, &mut captured)?;
        for line in String::from_utf8_lossy(&captured).lines() {
            writeln!(out, "  | {line}")?;
        }
        writeln!(out, "{lesson}")?;
    }
    writeln!(
        out,
        "\nNext: `racelab demo --help` lists the tutorial's programs; `cargo test` runs the proofs."
    )
}
