//! Check your own lock: Python's `threading.Lock` contract.
//!
//! * **mutual exclusion**: threads that each acquire, update a shared value in two steps
//!   (read, then write) and release never overlap, so no update is lost — checked with 2
//!   threads × 2 critical sections (a bug on a thread's second acquire shows) and 3 threads
//!   × 1 (a bug that needs a third thread shows);
//! * **no deadlock, no lost wake-up**: every thread gets the lock in the end, in every
//!   schedule (a release that wakes nobody leaves a waiter blocked: a deadlock);
//! * **release of an unlocked lock is an error**, on a fresh lock and after a release.
//!
//! Limit: the contract counts who is inside with `SeqCst` read-modify-writes, which
//! synchronise one critical section with the next by themselves; so a lock whose own
//! orderings are too weak (a spin lock released with `Relaxed`) keeps this contract. To
//! check its orderings, guard a [`cell::UnsafeCell`](crate::check::cell::UnsafeCell) with
//! it: a next holder not ordered after the last one is a data race.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::contracts::lock::{check_lock, LockUnderTest};
//! use racelab::check::sync::atomic::{AtomicBool, Ordering::SeqCst};
//! use racelab::check::thread;
//!
//! /// A learner's spin lock: wait until free, then take it. Two steps.
//! #[derive(Default)]
//! struct CheckThenSet(AtomicBool);
//!
//! impl LockUnderTest for CheckThenSet {
//!     type ReleaseError = &'static str;
//!     fn acquire(&self) {
//!         while self.0.load(SeqCst) {
//!             thread::yield_now();
//!         }
//!         self.0.store(true, SeqCst);
//!     }
//!     fn release(&self) -> Result<(), &'static str> {
//!         if !self.0.swap(false, SeqCst) {
//!             return Err("release unlocked lock");
//!         }
//!         Ok(())
//!     }
//! }
//!
//! let report = check_lock(CheckThenSet::default).each(|c| c.stop_at_first_bug(true)).run();
//! assert!(!report.passed()); // two threads can both see "free" and both take it
//! ```

use std::fmt::Debug;
use std::sync::Arc;

use super::Contract;
use crate::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::check::{Check, check, thread};
use crate::words::plural;

/// A lock with Python `threading.Lock` semantics: yours, to be checked.
pub trait LockUnderTest: Send + Sync + 'static {
    /// What `release` returns for a lock that is not held.
    type ReleaseError: Debug;
    /// Waits until the lock is free, then takes it.
    fn acquire(&self);
    /// Frees the lock; an error if it is not held.
    fn release(&self) -> Result<(), Self::ReleaseError>;
}

/// What one execution of a lock check ended with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LockOutcome {
    /// The mutual exclusion program.
    Exclusion {
        /// The shared value at the end (each critical section adds one).
        total: usize,
        /// The most threads seen inside critical sections at once.
        most_inside: usize,
        /// A `release` by the holder failed.
        release_failed: bool,
    },
    /// The release program.
    Release {
        /// `release` on a fresh lock returned an error.
        fresh_refused: bool,
        /// `release` after acquire + release returned an error.
        again_refused: bool,
    },
}

/// The lock contract for locks made by `make` (see the module docs).
pub fn check_lock<L, F>(make: F) -> Contract<LockOutcome>
where
    L: LockUnderTest,
    F: Fn() -> L + Send + Sync + 'static,
{
    let make = Arc::new(make);
    Contract::new(
        "lock contract",
        vec![
            exclusion(Arc::clone(&make), 2, 2),
            exclusion(Arc::clone(&make), 3, 1),
            release(make),
        ],
    )
}

fn exclusion<L, F>(make: Arc<F>, threads: usize, sections: usize) -> Check<LockOutcome>
where
    L: LockUnderTest,
    F: Fn() -> L + Send + Sync + 'static,
{
    let expected = threads * sections;
    check(move || {
        struct Shared<L> {
            lock: L,
            inside: AtomicUsize,
            most_inside: AtomicUsize,
            total: AtomicUsize,
            release_failed: AtomicUsize,
        }
        let shared = Arc::new(Shared {
            lock: make(),
            inside: AtomicUsize::new(0).named("inside"),
            most_inside: AtomicUsize::new(0).named("most inside"),
            total: AtomicUsize::new(0).named("total"),
            release_failed: AtomicUsize::new(0).named("release failed"),
        });
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let s = Arc::clone(&shared);
                thread::spawn(move || {
                    for _ in 0..sections {
                        s.lock.acquire();
                        let now = s.inside.fetch_add(1, SeqCst) + 1;
                        s.most_inside.fetch_max(now, SeqCst);
                        let v = s.total.load(SeqCst);
                        s.total.store(v + 1, SeqCst);
                        s.inside.fetch_sub(1, SeqCst);
                        if s.lock.release().is_err() {
                            s.release_failed.fetch_add(1, SeqCst);
                        }
                    }
                })
            })
            .collect();
        for handle in handles {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        LockOutcome::Exclusion {
            total: shared.total.load(SeqCst),
            most_inside: shared.most_inside.load(SeqCst),
            release_failed: shared.release_failed.load(SeqCst) > 0,
        }
    })
    .name(format!(
        "mutual exclusion: {} × {} (acquire; read; write; release)",
        plural(threads, "thread"),
        plural(sections, "critical section")
    ))
    .expect(move |o| {
        *o == LockOutcome::Exclusion {
            total: expected,
            most_inside: 1,
            release_failed: false,
        }
    })
    .explain(move |o| match o {
        LockOutcome::Exclusion {
            total,
            most_inside,
            release_failed,
        } => {
            let mut what = Vec::new();
            if *most_inside > 1 {
                what.push(format!(
                    "{most_inside} threads were inside the critical section at once: no mutual \
                     exclusion"
                ));
            }
            if *total != expected {
                what.push(super::counter::lost_updates(*total, expected));
            }
            if *release_failed {
                what.push("a holder's release was refused (someone else released its lock)".into());
            }
            what.join("; ")
        }
        other => format!("{other:?}"),
    })
}

fn release<L, F>(make: Arc<F>) -> Check<LockOutcome>
where
    L: LockUnderTest,
    F: Fn() -> L + Send + Sync + 'static,
{
    check(move || {
        let lock = make();
        let fresh_refused = lock.release().is_err();
        lock.acquire();
        let _ = lock.release();
        let again_refused = lock.release().is_err();
        LockOutcome::Release {
            fresh_refused,
            again_refused,
        }
    })
    .name("release of an unlocked lock is an error (fresh, and after a release)")
    .expect(|o| {
        *o == LockOutcome::Release {
            fresh_refused: true,
            again_refused: true,
        }
    })
    .explain(|_| {
        "release of an unlocked lock was accepted: Python raises RuntimeError('release \
         unlocked lock')"
            .to_string()
    })
}
