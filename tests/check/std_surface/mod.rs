//! The primitives of `racelab::check::sync` that are built on its `Mutex` and `Condvar`
//! (mpsc, `RwLock`, `Barrier`, `Once`, `OnceLock`, `LazyLock`), `AtomicPtr`, `std`'s
//! re-exported `Weak`, parking, and spurious wake-ups, each against `std` (one file per
//! primitive or subject):
//!
//! * **conformance**: each program is written once and compiled twice ([`both!`]), against
//!   `std` (real threads, run several times) and against racelab (checked); every outcome
//!   `std` gives must be one the test lists as allowed, and the check must be exhaustive,
//!   pass, and reach exactly the listed outcomes (no outcome `std` forbids, none it allows
//!   missing);
//! * **a bug racelab must find** with the primitive (a forgotten `drop(tx)`, a read lock
//!   upgraded in place, a barrier for one thread too many, a check-then-set instead of
//!   `Once`, ...), with the blocked threads of the deadlock where there is one;
//! * **error paths** (disconnected channels, an owned lock's data).

use std::collections::BTreeSet;

use racelab::check::{Blocked, Ending, Outcome, Report, WaitsFor, check};

/// Writes each item twice: in `mod real`, where `sync` and `thread` are `std`'s, and in
/// `mod model`, where they are racelab's. The same source compiling against both is itself
/// a check that the signatures are `std`'s.
macro_rules! both {
    ($($item:item)*) => {
        /// The programs under `std`, on real threads.
        pub(super) mod real {
            #![allow(dead_code, unused_imports)]
            use std::{sync, thread};
            $($item)*
        }
        /// The same programs under racelab.
        pub(super) mod model {
            #![allow(dead_code, unused_imports)]
            use racelab::check::{sync, thread};
            $($item)*
        }
    };
}

mod atomic_ptr;
mod barrier;
mod condvar;
mod lazy_lock;
mod mpsc;
mod once;
mod once_lock;
mod poison;
mod rwlock;
mod spurious;
mod spurious_failures;
mod thread;
mod wakeup_limit;
mod weak;

/// How many times the `std` version runs (each must give an allowed outcome).
const STD_RUNS: usize = 20;

/// Runs `real` under `std` [`STD_RUNS`] times and `model` under racelab: every outcome
/// `std` gives must be in `allowed`, and the check must be exhaustive, pass, and return
/// exactly the outcomes in `allowed`. Returns the report.
fn conforms<O: Outcome + Ord>(real: fn() -> O, model: fn() -> O, allowed: &[O]) -> Report<O> {
    let allowed: BTreeSet<O> = allowed.iter().cloned().collect();
    for _ in 0..STD_RUNS {
        let outcome = real();
        assert!(
            allowed.contains(&outcome),
            "std returned {outcome:?}, which the test does not allow ({allowed:?})"
        );
    }
    let acceptable = allowed.clone();
    let report = check(model).expect(move |o| acceptable.contains(o)).run();
    report.assert_passed();
    assert!(report.coverage.is_exhaustive(), "{report}");
    let allowed: Vec<O> = allowed.into_iter().collect();
    assert_eq!(
        reached(&report),
        allowed,
        "reached outcomes differ\n{report}"
    );
    report
}

/// The outcomes a report reached, in order, each once. Panics if an execution ended
/// otherwise than by returning.
fn reached<O: Outcome + Ord>(report: &Report<O>) -> Vec<O> {
    let reached: BTreeSet<O> = report
        .endings()
        .map(|e| match e {
            Ending::Returned(o) => o.clone(),
            other => panic!("ended with {other}, not an outcome\n{report}"),
        })
        .collect();
    reached.into_iter().collect()
}

/// The witness of the report's deadlock: who was blocked on what. Panics if the check
/// found no deadlock.
fn deadlock<O: Outcome>(report: &Report<O>) -> Vec<Blocked> {
    report
        .witness(&Ending::Deadlock)
        .unwrap_or_else(|| panic!("no deadlock found\n{report}"))
        .blocked
        .clone()
}

/// Whether thread `thread` is among `blocked`, waiting for a notify (a wait inside a
/// primitive built on `Condvar`).
fn waits_for_notify(blocked: &[Blocked], thread: usize) -> bool {
    blocked
        .iter()
        .any(|b| b.thread == thread && matches!(b.waits_for, WaitsFor::Notify { .. }))
}

/// Whether thread `thread` is among `blocked`, joining thread `joined`.
fn waits_to_join(blocked: &[Blocked], thread: usize, joined: usize) -> bool {
    blocked
        .iter()
        .any(|b| b.thread == thread && b.waits_for == WaitsFor::Join { thread: joined })
}
