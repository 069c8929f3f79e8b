//! Check your own implementation: run your counter through the same exploration.
//!
//! Write your counter with shuttle's primitives (`shuttle::sync::{Mutex, atomic::*}`,
//! re-exported as [`racelab::explore::shuttle`](crate::explore::shuttle)) or with
//! [`racelab::explore::lock::Lock`](crate::explore::lock::Lock), and mark each visible
//! operation with [`Steps::read`] / [`Steps::write`] (or [`Steps::step`] for anything
//! else): racelab then switches threads right before each of them, explores every
//! interleaving, and returns the same outcome table and witness as `racelab explore`.
//!
//! **Only marked operations are switch points.** If you take a mutex of your own, mark
//! taking and releasing it too (`Step::Acquire`, `Step::Release`, as
//! `examples/check_your_counter.rs` does): otherwise a thread that releases and re-takes
//! the mutex is never interrupted in between, and the interleavings where another thread
//! gets it there are not explored. (racelab's own [`Lock`](crate::explore::lock::Lock)
//! marks itself.)
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::explore::shuttle::sync::atomic::{AtomicUsize, Ordering::SeqCst};
//! use racelab::explore::yours::{check_counter, SharedCounter, Steps};
//!
//! /// A learner's counter: load, then store. Looks fine on one thread.
//! #[derive(Default)]
//! struct Mine(AtomicUsize);
//!
//! impl SharedCounter for Mine {
//!     fn increment(&self, steps: &Steps) {
//!         let v = steps.read(|| self.0.load(SeqCst));
//!         steps.write(v + 1, || self.0.store(v + 1, SeqCst));
//!     }
//!     fn value(&self) -> usize {
//!         self.0.load(SeqCst)
//!     }
//! }
//!
//! let report = check_counter(Mine::default, 2, 1).unwrap();
//! assert_eq!(report.interleavings, 6);
//! assert!(report.has_bug()); // End value 1 is reachable
//! println!("{}", racelab::report::exploration_text(&report, racelab::report::Style::plain()));
//! ```

use std::sync::Arc;

use super::dfs::Pruning;
use super::explorer::{explore_body, Exploration, Unfinished, MAX_EXECUTIONS};
use super::scenarios::{Kind, Outcome, Params, Scenario, TooLarge};
use super::trace::Recorder;
use crate::step::Step;

/// A counter shared by threads: yours, to be checked.
pub trait SharedCounter: Send + Sync + 'static {
    /// One increment, marking its visible operations on `steps`.
    fn increment(&self, steps: &Steps);
    /// The current value.
    fn value(&self) -> usize;
}

/// Marks the visible operations of your code (see the module docs).
#[derive(Debug, Clone)]
pub struct Steps {
    recorder: Recorder,
}

impl Steps {
    /// A read of the shared value: `load` returns what was read.
    pub fn read(&self, load: impl FnOnce() -> usize) -> usize {
        self.recorder.step(|| {
            let v = load();
            (v, Step::Read(v))
        })
    }

    /// A write of `value` to the shared value, done by `store`.
    pub fn write(&self, value: usize, store: impl FnOnce()) {
        self.recorder.step(|| {
            store();
            ((), Step::Write(value))
        })
    }

    /// Any other visible operation.
    pub fn step<R>(&self, operation: impl FnOnce() -> (R, Step)) -> R {
        self.recorder.step(operation)
    }
}

/// Why a check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// The size is refused (too many interleavings).
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    /// The exploration hit its budget.
    #[error(transparent)]
    Unfinished(#[from] Unfinished),
}

/// Explores `threads` threads each calling [`SharedCounter::increment`] `increments`
/// times on one counter made by `make`, and returns the outcome table: an outcome other
/// than `threads × increments` is forbidden, with its witness.
///
/// Blocked threads are explored too (no pruning), so any lock you build is checked as
/// written, not as racelab's own lock is known to behave.
pub fn check_counter<C, F>(
    make: F,
    threads: usize,
    increments: usize,
) -> Result<Exploration, CheckError>
where
    C: SharedCounter,
    F: Fn() -> C + Send + Sync + 'static,
{
    let scenario = Scenario::sized(
        Kind::YourCounter,
        Params {
            threads,
            increments,
            ..Params::default()
        },
    )?;
    let make = Arc::new(make);
    let body = move |recorder: &Recorder| {
        let counter = shuttle::sync::Arc::new(make());
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = shuttle::sync::Arc::clone(&counter);
                let steps = Steps {
                    recorder: recorder.clone(),
                };
                shuttle::thread::spawn(move || {
                    (0..increments).for_each(|_| counter.increment(&steps));
                    steps.recorder.finish();
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("your increment panicked");
        }
        Outcome::Value(counter.value())
    };
    Ok(explore_body(
        scenario,
        "your counter",
        MAX_EXECUTIONS,
        Pruning::Off,
        body,
    )?)
}
