//! The tutorial's `database_value`, incremented three ways.
//!
//! Every increment is the tutorial's three steps: *read* the shared value into a local
//! copy, add one, *pause* (the tutorial's `sleep(0.1)`, see [`Pause`]), *write* the copy
//! back.
//!
//! * [`Counter::increment_unlocked`] does exactly that. **It races**: two threads can both
//!   read 0 before either writes, and then both write 1 — one increment is lost. The value
//!   is an atomic, so there is no *data race* and no undefined behaviour; this is a *race
//!   condition*, a logic bug that safe Rust compiles happily and only some schedules
//!   reveal. Even `SeqCst` ordering does not help: the problem is that read and write are
//!   two steps, not how each step is ordered.
//! * [`Counter::increment_locked`] does the same three steps while holding a [`Lock`].
//!   **It cannot race**: the read, pause and write of one thread form one critical section
//!   that no other thread can enter half-way, so each increment reads the value the previous
//!   one wrote.
//! * [`Counter::increment_atomic`] makes read-add-write one indivisible step (`fetch_add`).
//!   **It cannot race** either, and needs no lock, but it cannot pause in the middle: the
//!   "work" between read and write is gone, which is why real programs need the lock.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::counter::Counter;
//!
//! let counter = Counter::new();
//! counter.increment_unlocked(); // alone, even the unlocked version is right
//! counter.increment_locked();
//! counter.increment_atomic();
//! assert_eq!(counter.value(), 3);
//! ```

use super::lock::Lock;
use super::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use super::sync::{named, thread};
use crate::pause::Pause;
use crate::step::{Observer, Report, Step};

/// Which of the three increments to run (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Increment {
    /// Read, pause, write: races.
    Unlocked,
    /// Read, pause, write inside the lock: exact.
    Locked,
    /// One `fetch_add`: exact.
    Atomic,
}

impl Increment {
    /// All three, in teaching order.
    pub const ALL: [Increment; 3] = [Increment::Unlocked, Increment::Locked, Increment::Atomic];
}

/// The shared `database_value` with its lock (see the module docs).
#[derive(Default)]
pub struct Counter {
    value: AtomicUsize,
    lock: Lock,
    pause: Pause,
    observer: Option<Observer>,
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter")
            .field("value", &self.value())
            .field("pause", &self.pause)
            .finish_non_exhaustive()
    }
}

impl Counter {
    /// A counter at 0 with no pause between read and write.
    pub fn new() -> Self {
        Counter::with_pause(Pause::None)
    }

    /// A counter at 0 that runs `pause` between each read and write.
    pub fn with_pause(pause: Pause) -> Self {
        Counter {
            value: named(AtomicUsize::new(0), "database_value"),
            lock: Lock::new(),
            pause,
            observer: None,
        }
    }

    /// A counter that also reports every read, write, acquire and release to `observer`.
    pub fn observed(pause: Pause, observer: Observer) -> Self {
        Counter {
            value: named(AtomicUsize::new(0), "database_value"),
            lock: Lock::observed(observer.clone()),
            pause,
            observer: Some(observer),
        }
    }

    /// The current `database_value`.
    pub fn value(&self) -> usize {
        self.value.load(SeqCst)
    }

    /// The lock that [`increment_locked`](Self::increment_locked) holds.
    pub fn lock(&self) -> &Lock {
        &self.lock
    }

    /// Runs one increment the given way.
    pub fn increment(&self, strategy: Increment) {
        match strategy {
            Increment::Unlocked => self.increment_unlocked(),
            Increment::Locked => self.increment_locked(),
            Increment::Atomic => self.increment_atomic(),
        }
    }

    /// Read, pause, write, with nothing to stop another thread in between. Races.
    pub fn increment_unlocked(&self) {
        self.observer.before_step();
        let mut local_copy = self.value.load(SeqCst);
        self.observer.report(Step::Read(local_copy));
        local_copy += 1;
        self.pause();
        self.observer.before_step();
        // Another thread may have written since our read: we overwrite its update.
        self.value.store(local_copy, SeqCst);
        self.observer.report(Step::Write(local_copy));
    }

    /// Read, pause, write while holding the lock. Never loses an update.
    pub fn increment_locked(&self) {
        let _guard = self.lock.lock();
        self.increment_unlocked();
    }

    /// One indivisible `fetch_add`. Never loses an update.
    pub fn increment_atomic(&self) {
        self.observer.before_step();
        let before = self.value.fetch_add(1, SeqCst);
        self.observer.report(Step::FetchAdd(before));
    }

    fn pause(&self) {
        match &self.pause {
            Pause::None => {}
            Pause::Yield => thread::yield_now(),
            Pause::Sleep(duration) => thread::sleep(*duration),
            Pause::Hook(hook) => hook(),
        }
    }
}
