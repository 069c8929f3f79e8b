//! A Python-style `threading.Lock`: acquire and release, no owner, no re-entry.
//!
//! Unlike `std::sync::Mutex`, a Python lock guards no data and has no owner: any thread may
//! release it, and releasing an unlocked lock is an error ([`LockError::ReleaseUnlocked`])
//! rather than undefined behaviour. It is built from the backend's `Mutex<bool>` (is the
//! lock held?) and a `Condvar` that a release signals, so waiters sleep instead of spinning
//! and a release can never be missed: the flag is changed and the waiter woken under the
//! same mutex that the waiter checks the flag under.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::lock::Lock;
//!
//! let lock = Lock::new();
//! assert!(lock.acquire());
//! assert!(!lock.try_acquire()); // held: a second acquire would wait
//! lock.release().unwrap();
//! assert!(lock.release().is_err()); // "release unlocked lock"
//!
//! {
//!     let _guard = lock.lock(); // Python's `with lock:`
//!     assert!(lock.locked());
//! }
//! assert!(!lock.locked());
//! ```

use std::time::{Duration, Instant};

use super::sync::{lock, Condvar, Mutex};
use crate::error::LockError;
use crate::step::{Observer, Report, Step};

/// A lock with Python `threading.Lock` semantics (see the module docs).
pub struct Lock {
    held: Mutex<bool>,
    released: Condvar,
    observer: Option<Observer>,
    name: &'static str,
}

impl std::fmt::Debug for Lock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .finish()
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

/// How long an acquire may wait.
enum Wait {
    No,
    Forever,
    Until(Instant),
}

impl Lock {
    /// A new, unlocked lock.
    pub fn new() -> Self {
        Lock {
            held: Mutex::new(false),
            released: Condvar::new(),
            observer: None,
            name: "lock",
        }
    }

    /// A new lock that reports [`Step::Acquire`] / [`Step::Release`] to `observer`.
    pub fn observed(observer: Observer) -> Self {
        Lock::observed_as("lock", observer)
    }

    /// Like [`observed`](Self::observed), naming the lock in the steps it reports.
    pub fn observed_as(name: &'static str, observer: Observer) -> Self {
        Lock {
            observer: Some(observer),
            name,
            ..Lock::new()
        }
    }

    /// Blocks until the lock is free, takes it and returns `true` (Python: `acquire()`).
    ///
    /// The lock is not re-entrant: a thread that already holds it waits forever.
    pub fn acquire(&self) -> bool {
        self.acquire_until(Wait::Forever)
    }

    /// Takes the lock if it is free, without waiting (Python: `acquire(blocking=False)`).
    pub fn try_acquire(&self) -> bool {
        self.acquire_until(Wait::No)
    }

    /// Waits at most `timeout` for the lock (Python: `acquire(timeout=t)`).
    /// Returns whether the lock was taken. Time is measured with a monotonic clock.
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.acquire_until(Wait::Until(deadline)),
            None => self.acquire(),
        }
    }

    /// Python's `acquire(blocking, timeout)` with its argument rules: `timeout == -1.0`
    /// means no timeout; a timeout with `blocking == false` and any other negative timeout
    /// are errors; a timeout too large for the clock is [`LockError::TimeoutOverflow`].
    pub fn acquire_with(&self, blocking: bool, timeout: f64) -> Result<bool, LockError> {
        if !blocking {
            if timeout != -1.0 {
                return Err(LockError::TimeoutWithoutBlocking);
            }
            return Ok(self.try_acquire());
        }
        if timeout == -1.0 {
            return Ok(self.acquire());
        }
        if timeout.is_nan() || timeout < 0.0 {
            return Err(LockError::NegativeTimeout);
        }
        let deadline = Duration::try_from_secs_f64(timeout)
            .ok()
            .and_then(|t| Instant::now().checked_add(t))
            .ok_or(LockError::TimeoutOverflow)?;
        Ok(self.acquire_until(Wait::Until(deadline)))
    }

    fn acquire_until(&self, wait: Wait) -> bool {
        self.observer.before_step();
        let mut held = lock(&self.held);
        while *held {
            held = match wait {
                Wait::No => return false,
                Wait::Forever => self
                    .released
                    .wait(held)
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                Wait::Until(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    self.released
                        .wait_timeout(held, deadline - now)
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .0
                }
            };
        }
        *held = true;
        drop(held);
        self.observer.report(Step::Acquire(self.name));
        true
    }

    /// Releases the lock, from any thread (Python: `release()`).
    ///
    /// Fails with [`LockError::ReleaseUnlocked`] if the lock is not held.
    pub fn release(&self) -> Result<(), LockError> {
        self.observer.before_step();
        let mut held = lock(&self.held);
        if !*held {
            return Err(LockError::ReleaseUnlocked);
        }
        *held = false;
        drop(held);
        // Reported after the state change and outside the internal mutex (an observer may
        // yield, and must not do so while holding it), but before any waiter is woken.
        self.observer.report(Step::Release(self.name));
        self.released.notify_one();
        Ok(())
    }

    /// Whether some thread holds the lock (Python: `locked()`).
    pub fn locked(&self) -> bool {
        *lock(&self.held)
    }

    /// Acquires the lock and returns a guard that releases it when dropped, also when the
    /// scope is left by a panic: Python's `with lock:`.
    pub fn lock(&self) -> LockGuard<'_> {
        self.acquire();
        LockGuard { lock: self }
    }
}

/// Holds a [`Lock`] until dropped (see [`Lock::lock`]).
#[must_use = "the lock is released as soon as the guard is dropped"]
#[derive(Debug)]
pub struct LockGuard<'a> {
    lock: &'a Lock,
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // Cannot fail: the guard's existence means the lock is held, and nobody else may
        // release it while the guard lives without breaking the protocol (which would be a
        // bug in the caller, not a reason to panic inside a destructor).
        let _ = self.lock.release();
    }
}
