//! shuttle's primitives under the names the core expects (the twin of `crate::sync`).

pub(crate) use shuttle::sync::{Arc, Condvar, Mutex, MutexGuard};

/// shuttle's atomics (all modelled as sequentially consistent).
pub(crate) mod atomic {
    pub(crate) use shuttle::sync::atomic::{AtomicUsize, Ordering};
}

/// shuttle's threads; `sleep` is a context switch, time does not pass.
pub(crate) mod thread {
    pub(crate) use shuttle::thread::{sleep, spawn, yield_now, Builder, JoinHandle};
}

/// Locks `mutex`, ignoring poisoning (see `crate::sync`).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
