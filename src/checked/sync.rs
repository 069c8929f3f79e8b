//! racelab's model-checking primitives under the names the core expects (the twin of
//! `crate::sync`): under a racelab check every operation is a switch point the engine knows,
//! and under a plain shuttle scheduler they behave like shuttle's own.

pub(crate) use crate::check::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Atomics (modelled as sequentially consistent).
pub(crate) mod atomic {
    pub(crate) use crate::check::sync::atomic::{AtomicUsize, Ordering};
}

/// Threads; `sleep` is a yield, time does not pass.
pub(crate) mod thread {
    #[allow(unused_imports)]
    pub(crate) use crate::check::thread::{Builder, JoinHandle, sleep, spawn, yield_now};
}

/// Objects that take a name for traces and deadlock reports.
pub(crate) trait Named {
    fn with_name(self, name: &'static str) -> Self;
}

impl<T> Named for Mutex<T> {
    fn with_name(self, name: &'static str) -> Self {
        self.named(name)
    }
}

impl Named for Condvar {
    fn with_name(self, name: &'static str) -> Self {
        self.named(name)
    }
}

impl Named for atomic::AtomicUsize {
    fn with_name(self, name: &'static str) -> Self {
        self.named(name)
    }
}

/// Names an object in traces and deadlock reports.
pub(crate) fn named<T: Named>(value: T, name: &'static str) -> T {
    value.with_name(name)
}

/// A condition variable that is the inner workings of a primitive with steps of its own:
/// named, and kept out of the marked steps (see `Condvar::inner_workings`).
pub(crate) fn inner_condvar(name: &'static str) -> Condvar {
    Condvar::new().named(name).inner_workings()
}

/// Says what the running thread is about to wait for (shown if it never stops waiting).
pub(crate) fn waiting_for(note: impl FnOnce() -> String) {
    crate::check::mark::waiting_for(note());
}

/// Locks `mutex`, ignoring poisoning (see `crate::sync`).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Rounds a getter yields before it sleeps: 0 under the checkers, whose scenarios count
/// every wait as a step.
pub(crate) const SPINS_BEFORE_WAIT: usize = 0;
