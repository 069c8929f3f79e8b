//! Check your own counter: N threads × K increments must end at N·K.
//!
//! Write the counter with [`crate::check::sync`] (a `Mutex`, atomics) or with a lock of
//! your own, implement [`SharedCounter`], and call [`check_counter`].
//! Every operation of those primitives is a switch point, so a counter that releases its
//! mutex between reading and writing, or that loads and then stores, is caught whether or
//! not you mark anything. Marking the read and the write with [`Steps`] only names them in
//! the witness.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::contracts::counter::{check_counter, SharedCounter, Steps};
//! use racelab::check::sync::Mutex;
//!
//! /// A learner's counter: it locks to read, and locks again to write.
//! #[derive(Default)]
//! struct Mine(Mutex<usize>);
//!
//! impl SharedCounter for Mine {
//!     fn increment(&self, steps: &Steps) {
//!         let v = steps.read(|| *self.0.lock().unwrap());
//!         steps.write(v + 1, || *self.0.lock().unwrap() = v + 1);
//!     }
//!     fn value(&self) -> usize {
//!         *self.0.lock().unwrap()
//!     }
//! }
//!
//! let report = check_counter(Mine::default, 2, 1).run();
//! assert!(report.has_bug()); // 1 is reachable
//! assert!(report.coverage.is_exhaustive());
//! ```

use std::sync::Arc;

use crate::check::mark::Mark;
use crate::check::{Check, check, mark, thread};

/// A counter shared by threads: yours, to be checked.
pub trait SharedCounter: Send + Sync + 'static {
    /// One increment; mark its read and write on `steps` to name them in traces.
    fn increment(&self, steps: &Steps);
    /// The current value.
    fn value(&self) -> usize;
}

/// Names the steps of an increment in traces (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Steps;

impl Steps {
    /// A read of the shared value: `load` returns what was read.
    pub fn read(&self, load: impl FnOnce() -> usize) -> usize {
        mark::step(|| {
            let v = load();
            (v, Mark::new("read").with_value(v))
        })
    }

    /// A write of `value` to the shared value, done by `store`.
    pub fn write(&self, value: usize, store: impl FnOnce()) {
        mark::step(|| {
            store();
            ((), Mark::new("write").with_value(value))
        })
    }

    /// Any other step.
    pub fn step<R>(&self, operation: impl FnOnce() -> (R, Mark)) -> R {
        mark::step(operation)
    }
}

/// A check of `threads` threads each calling [`SharedCounter::increment`] `increments` times
/// on one counter made by `make`: any end value other than `threads × increments` is
/// forbidden. Call [`Check::run`] for the report, or [`Check::assert_passes`] in a test.
pub fn check_counter<C, F>(make: F, threads: usize, increments: usize) -> Check<usize>
where
    C: SharedCounter,
    F: Fn() -> C + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let expected = threads * increments;
    check(move || {
        let counter = Arc::new(make());
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    (0..increments).for_each(|_| counter.increment(&Steps));
                })
            })
            .collect();
        for handle in handles {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        counter.value()
    })
    .name(format!(
        "your counter: {} × {}",
        crate::words::plural(threads, "thread"),
        crate::words::plural(increments, "increment")
    ))
    .expect(move |&value| value == expected)
    .explain(move |&value| lost_updates(value, expected))
}

/// "End value: 1, expected 2: 1 update lost — …".
pub(crate) fn lost_updates(value: usize, expected: usize) -> String {
    match expected.checked_sub(value) {
        Some(lost) if lost > 0 => format!(
            "End value: {value}, expected {expected}: {} lost — a thread wrote back a value it \
             had read before another thread's write, overwriting that write",
            crate::words::plural(lost, "update")
        ),
        _ => format!("End value: {value}, expected {expected}"),
    }
}
