//! Measuring the tutorial's claims on this machine, now (`racelab measure`):
//!
//! * [`spawn`]: creating and joining a thread vs a process;
//! * [`cpu`]: CPU-bound work on 1..=N threads and on 1..=N processes (N = cores);
//! * [`queue`]: racelab's `TaskQueue` + workers against `crossbeam-channel` and
//!   `std::sync::mpsc` on one workload;
//! * [`engines`]: every checker built into the binary on one scenario, side by side;
//! * [`scale`]: what exploring every interleaving costs at each accepted size;
//! * [`jobs`]: the exhaustive search in 1..=N parallel jobs: speed-up, same report;
//! * [`python`]: the same measurements of CPython, run as a child process when `python3`
//!   is on the machine (absent, they are "not measured", never quoted);
//! * [`stats`]: median and spread.
//!
//! Timings live here and in `cargo bench`, never in tests: the tests check that each
//! measurement runs and that its output has the right shape.

pub mod cpu;
pub mod engines;
pub mod jobs;
pub mod python;
pub mod queue;
pub mod scale;
pub mod shards;
pub mod spawn;
pub mod stats;

/// The hidden argument with which `measure` re-runs the binary as a child process that does
/// `count` squares (`count` 0: exits at once).
pub const CHILD_ARG: &str = "__measure-child";

/// The work unit of `cpu` (and of `demo processes`' children): squares of 0..count,
/// thrown away.
pub use crate::teach::demo::squares;

/// The cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// CPython's side of a measurement: measured, or why not.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Python<T> {
    /// CPython's numbers.
    Measured(T),
    /// Why there are none (no `python3`, `--no-python`, a failure).
    NotMeasured {
        /// Why.
        not_measured: String,
    },
}

impl<T> Python<T> {
    /// From a measurement's result.
    pub fn from(result: Result<T, String>) -> Self {
        match result {
            Ok(t) => Python::Measured(t),
            Err(why) => Python::NotMeasured { not_measured: why },
        }
    }
}
