//! A Python-style `threading.Lock`: acquire and release, no owner, no re-entry.
//!
//! Unlike `std::sync::Mutex`, a Python lock guards no data and has no owner: any thread may
//! release it, and releasing an unlocked lock is an error ([`LockError::ReleaseUnlocked`])
//! rather than undefined behaviour. It is built from the backend's `Mutex<bool>` (is the
//! lock held?) and a `Condvar` that a release signals, so waiters sleep instead of spinning
//! and a release can never be missed: the flag is changed under the same mutex that the
//! waiter checks the flag under. The mutex also counts the waiters, so that a release with
//! nobody waiting skips the wake-up (a system call on most platforms).
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

use super::sync::{Condvar, Mutex, inner_condvar, lock, named, waiting_for};
use crate::error::LockError;
use crate::step::{Observer, Report, Step};

/// A lock with Python `threading.Lock` semantics (see the module docs).
pub struct Lock {
    state: Mutex<State>,
    released: Condvar,
    observer: Option<Observer>,
    name: &'static str,
    /// A number no other lock of this process has (for an observer: see
    /// [`crate::step::Observe::before_acquire`]).
    id: u64,
}

/// The next lock's [`Lock::id`]. A std atomic under every backend: it only numbers locks,
/// it is not state the threads share.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

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

/// What the lock's internal mutex guards.
#[derive(Debug, Default)]
struct State {
    /// Whether some thread holds the lock.
    held: bool,
    /// Threads waiting in `acquire` (a release wakes one only when there is one). Tested with
    /// `!= 0`: see the waiter counts of `TaskQueue` for why not `> 0`.
    waiters: usize,
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
            state: named(Mutex::new(State::default()), "lock state"),
            released: inner_condvar("lock released"),
            observer: None,
            name: "lock",
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
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
        match wait {
            Wait::Forever => self.observer.before_acquire(self.id),
            Wait::No | Wait::Until(_) => self.observer.before_step(),
        }
        let mut state = lock(&self.state);
        while state.held {
            let timeout = match wait {
                Wait::No => return false,
                Wait::Forever => None,
                Wait::Until(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return false,
                },
            };
            state.waiters += 1;
            waiting_for(|| format!("acquire of {}, which another thread holds", self.name));
            state = match timeout {
                None => self
                    .released
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                Some(left) => {
                    self.released
                        .wait_timeout(state, left)
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .0
                }
            };
            state.waiters -= 1;
        }
        state.held = true;
        drop(state);
        self.observer.report(Step::Acquire(self.name));
        true
    }

    /// Releases the lock, from any thread (Python: `release()`).
    ///
    /// Fails with [`LockError::ReleaseUnlocked`] if the lock is not held.
    pub fn release(&self) -> Result<(), LockError> {
        self.observer.before_release(self.id);
        let mut state = lock(&self.state);
        if !state.held {
            return Err(LockError::ReleaseUnlocked);
        }
        state.held = false;
        let someone_waits = state.waiters != 0;
        drop(state);
        // Reported after the state change and outside the internal mutex (an observer may
        // yield, and must not do so while holding it), but before any waiter is woken.
        self.observer.report(Step::Release(self.name));
        if someone_waits {
            self.released.notify_one();
        }
        Ok(())
    }

    /// Whether some thread holds the lock (Python: `locked()`).
    pub fn locked(&self) -> bool {
        lock(&self.state).held
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
