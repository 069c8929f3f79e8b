//! Check your own concurrent code: every schedule that can make a difference, an outcome
//! table, and a witness for every forbidden outcome.
//!
//! Write the code with [`sync`] and [`thread`] instead of `std::sync` and `std::thread` (same
//! names, same signatures), put a small program that uses it in a closure that returns an
//! outcome, and [`check`] it:
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::sync::{Arc, Mutex};
//! use racelab::check::{check, thread};
//!
//! // A learner's increment: it locks to read, then locks again to write.
//! let report = check(|| {
//!     let value = Arc::new(Mutex::new(0));
//!     let threads: Vec<_> = (0..2)
//!         .map(|_| {
//!             let value = Arc::clone(&value);
//!             thread::spawn(move || {
//!                 let read = *value.lock().unwrap();
//!                 *value.lock().unwrap() = read + 1;
//!             })
//!         })
//!         .collect();
//!     for t in threads {
//!         t.join().unwrap();
//!     }
//!     let total = *value.lock().unwrap();
//!     total
//! })
//! .expect(|&total| total == 2)
//! .run();
//!
//! assert!(report.has_bug()); // 1 is reachable: both threads read 0
//! assert!(report.coverage.is_exhaustive()); // and every order that matters was explored
//! println!("{report}"); // the table, the witness, the coverage
//! ```
//!
//! **What is explored.** Every operation of [`sync`] and [`thread`] (locking and unlocking a
//! mutex, waiting on and notifying a condition variable, every atomic operation, spawning,
//! joining, yielding, a thread's end) is an event racelab records in the execution's
//! *graph*: which write each read read, the order of each location's writes. The default
//! search ([`Search::Auto`]) runs TruSt (Kokologiannakis et al., POPL 2022): it reaches
//! every consistent execution graph exactly once — every order of *conflicting* operations,
//! never two orders that only swap independent ones — under sequential consistency while
//! every atomic is `SeqCst`, and under RC11 (the C/C++/Rust memory model, Lahav et al., PLDI
//! 2017) as soon as one is not. [`Coverage::assumptions`] says what "exhaustive" assumed.
//! Operations of raw shuttle primitives work too, as switch points that conflict with
//! everything.
//!
//! **What the report says.** One row per way the program ended — an outcome it returned, a
//! deadlock, a panic, or an execution that did not end — with how many distinct executions
//! ended so, and whether that is acceptable. For each forbidden ending, the execution that
//! reaches it with the fewest thread switches, step by step, with an explanation (a deadlock
//! lists who waits for whom). And always the coverage: exhaustive, bounded (stopped early,
//! and why), or sampled (how many random / PCT schedules, which seed).
//!
//! **Contracts.** [`contracts`] checks a lock, a queue or a pool of your own against what
//! such a thing must do, and [`linearizability`] checks any object against a sequential
//! specification.

pub mod cell;
pub mod contracts;
pub(crate) mod coverage;
pub mod linearizability;
pub(crate) mod mark;
pub(crate) mod report;
pub(crate) mod rt;
pub(crate) mod run;
pub(crate) mod search;
pub(crate) mod shrink;
pub(crate) mod strategy;
pub mod sync;
pub mod thread;

pub use coverage::{
    ASSUMPTIONS, Coverage, CoverageKind, MemoryModel, Method, Phase, SPURIOUS_WAKEUPS, Segment,
    Shards, StopReason, WAKEUP_LIMIT,
};
pub use mark::{Mark, step};
pub use report::{
    Blocked, Ending, MergeError, Report, Requirement, Row, Schedule, Verdict, WaitsFor, Witness,
};
pub use rt::trace::{Detail, Event, What};
pub use run::{
    Check, FirstBug, MAX_EXECUTIONS, MAX_STEPS, Outcome, PROBE, PlainRun, Progress, SAMPLE,
    STALL_LIMIT, Search, check,
};
pub use strategy::steps::Pruning;

/// `std::thread_local!` for checked threads: each modelled thread gets its own value (they
/// all run on one OS thread, so std's `thread_local!` would be shared by all of them), and
/// the value is dropped when its thread ends. Use it as std's:
/// `racelab::check::thread_local! { static MINE: RefCell<usize> = RefCell::new(0); }`.
/// Its accesses are not operations of the model (no other thread can see them); a
/// destructor must not use racelab's primitives.
pub use shuttle::thread_local;

/// `std::hint` for spin loops under a check.
pub mod hint {
    pub use super::thread::spin_loop;
}
