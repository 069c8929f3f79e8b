//! The sync facade: the only module of the threaded core that knows which backend runs.
//!
//! Every core module (`counter`, `lock`, `queue`, `pool`) imports `Arc`, `Mutex`,
//! `Condvar`, the atomics and `thread` from `super::sync`, never from `std`, `loom` or
//! `shuttle` directly. Here `super::sync` is this file, which picks:
//!
//! * **std** by default: real OS threads, used by the demos, the stress runner and the
//!   ordinary tests;
//! * **loom** when the crate is built with `RUSTFLAGS="--cfg loom"`: every
//!   primitive becomes a loom primitive, so `loom::model` can enumerate the
//!   interleavings of the *same* code.
//!
//! The third backend, shuttle, is not chosen here: [`crate::checked`] compiles the core
//! files a second time next to its own `sync` module (see its docs for why).
//!
//! Two helpers smooth over the backends' differences:
//! [`lock`] ignores poisoning (no core critical section runs user code, so a poisoned
//! mutex still guards consistent data) and `thread::sleep` is a plain yield under loom,
//! which has no notion of time.

#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Atomics of the selected backend.
pub(crate) mod atomic {
    #[cfg(not(loom))]
    pub(crate) use std::sync::atomic::{AtomicUsize, Ordering};

    #[cfg(loom)]
    pub(crate) use loom::sync::atomic::{AtomicUsize, Ordering};
}

/// Threads of the selected backend.
pub(crate) mod thread {
    #[cfg(not(loom))]
    #[allow(unused_imports)] // the std facade mirrors the shuttle one
    pub(crate) use std::thread::{Builder, JoinHandle, sleep, spawn, yield_now};

    #[cfg(loom)]
    #[allow(unused_imports)]
    pub(crate) use loom::thread::{Builder, JoinHandle, spawn, yield_now};

    /// loom has no clock: a sleep is just a point where another thread may run.
    #[cfg(loom)]
    pub(crate) fn sleep(_duration: std::time::Duration) {
        yield_now();
    }
}

/// loom's checked `UnsafeCell`, for the data-race lesson (`crate::data_race`, loom only).
#[cfg(loom)]
pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

/// Names an object for racelab's checker (see `crate::checked::sync`); std and loom have no
/// use for names.
pub(crate) fn named<T>(value: T, _name: &'static str) -> T {
    value
}

/// A condition variable that is the inner workings of a primitive with steps of its own
/// (see `crate::checked::sync`); std and loom have no steps.
pub(crate) fn inner_condvar(_name: &'static str) -> Condvar {
    Condvar::new()
}

/// Says what the running thread is about to wait for, for racelab's deadlock reports (see
/// `crate::checked::sync`); nothing to do on std and loom.
pub(crate) fn waiting_for(_note: impl FnOnce() -> String) {}

/// Locks `mutex`, ignoring poisoning (see the module docs).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Rounds of releasing the mutex and yielding that a getter takes on an empty queue before it
/// sleeps (real threads only: under loom, 0).
pub(crate) const SPINS_BEFORE_WAIT: usize = if cfg!(loom) { 0 } else { 16 };
