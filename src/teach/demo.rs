//! The tutorial's programs, printing exactly what CPython prints.
//!
//! | program        | Python original            | stdout |
//! |----------------|----------------------------|--------|
//! | `queue-basics` | put 1, 2, 3; get           | `1` |
//! | `threads`      | 10 threads square numbers  | nothing |
//! | `processes`    | one process per core       | nothing |
//! | `race`         | two unlocked increments    | `Start value:  0` / `End value: 1` / `end main` |
//! | `lock`         | two locked increments      | the same with `End value: 2` |
//! | `queue`        | 10 workers, 20 items       | 20 × `in ThreadN got X`, then `main done` |
//!
//! **`race` loses the update every time, not by luck.** The tutorial's 0.1 s sleep
//! makes the loss likely; here the pause between read and write is a barrier that both
//! threads must reach, so both have read 0 before either writes 1. That is the one
//! schedule the tutorial hoped for, forced (see [`crate::pause`]). `lock` keeps the
//! tutorial's sleep: inside the lock, no pause can make an update disappear.

use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;

use crate::counter::{Counter, Increment};
use crate::pause::Pause;
use crate::pool::WorkerPool;
use crate::queue::TaskQueue;

/// One of the tutorial's programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Program {
    /// Put 1, 2, 3 on a queue and get the first: prints `1`.
    QueueBasics,
    /// Ten threads computing squares: prints nothing.
    Threads,
    /// One process per CPU core computing squares: prints nothing.
    Processes,
    /// Two threads increment without a lock: an update is lost (End value: 1).
    Race,
    /// Two threads increment inside a lock: End value: 2.
    Lock,
    /// Ten workers drain twenty items from a queue, then `main done`.
    Queue,
}

impl Program {
    /// Every program, in the tutorial's order.
    pub const ALL: [Program; 6] = [
        Program::QueueBasics,
        Program::Threads,
        Program::Processes,
        Program::Race,
        Program::Lock,
        Program::Queue,
    ];
}

/// The hidden command line argument with which `processes` re-runs the binary.
pub const SQUARE_NUMBERS_ARG: &str = "__square-numbers";

/// Runs `program`, writing its stdout to `out`. `exe` is the racelab binary, which the
/// `processes` program starts once per core (with [`SQUARE_NUMBERS_ARG`]).
pub fn run(program: Program, exe: &Path, out: &mut dyn Write) -> io::Result<()> {
    match program {
        Program::QueueBasics => queue_basics(out),
        Program::Threads => {
            threads();
            Ok(())
        }
        Program::Processes => processes(exe),
        Program::Race => counter_program(Increment::Unlocked, out),
        Program::Lock => counter_program(Increment::Locked, out),
        Program::Queue => queue_workers(out),
    }
}

/// The work of `threads` and `processes`: squares of 0..1000, thrown away.
pub fn square_numbers() {
    squares(1000);
}

/// Squares of 0..count, thrown away: the tutorial's CPU-bound work (also what
/// `racelab measure cpu` times).
pub fn squares(count: u64) {
    for i in 0..count {
        std::hint::black_box(i.wrapping_mul(i));
    }
}

/// Starts `count` copies of this binary (`exe`) with `args` at once and waits for all;
/// an error if one cannot start or does not succeed. Python's `Process(...).start()` then
/// `join()`, for `demo processes` and `racelab measure`.
pub fn run_children(exe: &Path, args: &[&str], count: usize) -> io::Result<()> {
    let children = (0..count)
        .map(|_| Command::new(exe).args(args).stdin(Stdio::null()).spawn())
        .collect::<io::Result<Vec<_>>>()?;
    for mut child in children {
        let status = child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "a child process failed: {status}"
            )));
        }
    }
    Ok(())
}

fn queue_basics(out: &mut dyn Write) -> io::Result<()> {
    let q = TaskQueue::unbounded();
    for x in [1, 2, 3] {
        q.put(x)
            .expect("an unbounded, open queue accepts every put");
    }
    let first = q.get().expect("the queue holds three items");
    writeln!(out, "{first}")
}

fn threads() {
    let handles: Vec<_> = (0..10).map(|_| thread::spawn(square_numbers)).collect();
    for handle in handles {
        handle.join().expect("square_numbers does not panic");
    }
}

fn processes(exe: &Path) -> io::Result<()> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    run_children(exe, &[SQUARE_NUMBERS_ARG], cores)
}

/// `race` and `lock`: two threads, one increment each.
fn counter_program(strategy: Increment, out: &mut dyn Write) -> io::Result<()> {
    let pause = match strategy {
        // Both threads must have read before either may write: the lost update, forced.
        Increment::Unlocked => {
            let both_read = Arc::new(Barrier::new(2));
            Pause::hook(move || {
                both_read.wait();
            })
        }
        // A barrier inside the lock would deadlock; the tutorial's sleep shows the point.
        _ => Pause::tutorial(),
    };
    let counter = Arc::new(Counter::with_pause(pause));
    writeln!(out, "Start value:  {}", counter.value())?;
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment(strategy))
        })
        .collect();
    for t in threads {
        t.join().expect("an increment does not panic");
    }
    writeln!(out, "End value: {}", counter.value())?;
    writeln!(out, "end main")
}

/// `queue`: the tutorial's pool. Each worker sends its line to the main thread, which
/// prints it; a channel delivers one message at a time, which is what the tutorial's print
/// lock is for.
fn queue_workers(out: &mut dyn Write) -> io::Result<()> {
    let (lines, printed) = mpsc::channel::<String>();
    let pool = WorkerPool::new(10, 0, move |worker, value: u32| {
        let line = format!("in {} got {value}", worker.name());
        // The receiver lives until after `join`, so sending cannot fail while tasks run.
        let _ = lines.send(line);
    });
    for x in 0..20 {
        pool.queue()
            .put(x)
            .expect("the queue is open and unbounded");
    }
    for _ in 0..20 {
        let line = printed
            .recv()
            .map_err(|_| io::Error::other("a worker stopped before sending its line"))?;
        writeln!(out, "{line}")?;
    }
    let joined = pool.join();
    pool.shutdown().map_err(io::Error::other)?;
    joined.map_err(io::Error::other)?;
    writeln!(out, "main done")
}
