//! `RwLock`, shaped like `std::sync::RwLock`: any number of readers, or one writer.
//!
//! **Built on racelab's [`Mutex`](super::Mutex) and [`Condvar`](super::Condvar)**, not known
//! to the engine natively: who holds the lock (a count of readers, a writer flag) and who
//! waits is data under one modelled mutex, and a blocked `read` or `write` waits on a
//! modelled condition variable. Taking and releasing the lock are each a few modelled
//! operations, so a check may take more executions than with a primitive the engine knew
//! natively. In a deadlock a blocked thread is shown waiting on a condition variable, having
//! released the lock's state mutex (name it with [`RwLock::named`]).
//!
//! **Policy.** `std` leaves it to the platform; this follows `std` on Linux, which prefers
//! writers: a reader waits (and `try_read` fails) while a writer holds the lock *or waits*
//! for it. So taking a read lock twice in one thread deadlocks when a writer comes in
//! between, as it does there. Waits never wake spuriously; who of several waiters goes
//! first is explored, not fair.
//!
//! **Poisoning** is `std`'s: the data lives in a `std::sync::RwLock`, which the model lets
//! only compatible holders take, and a panic while a write guard lives poisons it. But a
//! guard dropped while its thread unwinds cannot release the lock in the model (that takes
//! several operations, and a thread cannot switch while it unwinds), so such a panic ends
//! the execution as a panic row; the poison is seen only by code that catches a panic
//! that dropped no guard.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use super::composite::{lock, may_operate, wait};
use super::condvar::Condvar;
use super::mutex::Mutex;

/// Who holds the lock and who waits.
#[derive(Debug)]
struct State {
    readers: usize,
    writer: bool,
    readers_waiting: usize,
    writers_waiting: usize,
}

impl State {
    /// Whether a reader may come in now (writers first, as on Linux).
    fn readable(&self) -> bool {
        !self.writer && self.writers_waiting == 0
    }

    fn writable(&self) -> bool {
        !self.writer && self.readers == 0
    }
}

/// A reader-writer lock protecting a `T` (see the module docs).
pub struct RwLock<T: ?Sized> {
    state: Mutex<State>,
    released: Condvar,
    data: std::sync::RwLock<T>,
}

/// Shared access to a [`RwLock`]'s data until dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    inner: Option<std::sync::RwLockReadGuard<'a, T>>,
}

/// Exclusive access to a [`RwLock`]'s data until dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    inner: Option<std::sync::RwLockWriteGuard<'a, T>>,
}

impl<T> RwLock<T> {
    /// A new, unlocked lock holding `value`.
    pub const fn new(value: T) -> Self {
        RwLock {
            state: Mutex::new(State {
                readers: 0,
                writer: false,
                readers_waiting: 0,
                writers_waiting: 0,
            }),
            released: Condvar::new(),
            data: std::sync::RwLock::new(value),
        }
    }

    /// Names the lock in traces and reports: its state's mutex is called `name` (otherwise
    /// `mutex#1`, ...). A thread blocked on it waits on a condition variable, having
    /// released `name`.
    pub fn named(self, name: &'static str) -> Self {
        let RwLock {
            state,
            released,
            data,
        } = self;
        RwLock {
            state: state.named(name),
            released,
            data,
        }
    }

    /// The data, when nobody else can hold the lock; fails (with it) if poisoned.
    pub fn into_inner(self) -> LockResult<T> {
        self.data.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Shared access, waiting while a writer holds the lock or waits for it. Fails (with the
    /// guard) only if a thread panicked while writing.
    #[track_caller]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let mut state = lock(&self.state);
        while !state.readable() {
            state.readers_waiting += 1;
            state = wait(&self.released, state);
            state.readers_waiting -= 1;
        }
        state.readers += 1;
        drop(state);
        self.read_guard()
    }

    /// Exclusive access, waiting while anyone else holds the lock. Fails (with the guard)
    /// only if a thread panicked while writing.
    #[track_caller]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let mut state = lock(&self.state);
        while !state.writable() {
            state.writers_waiting += 1;
            state = wait(&self.released, state);
            state.writers_waiting -= 1;
        }
        state.writer = true;
        drop(state);
        self.write_guard()
    }

    /// Shared access if it can be had now (no writer holds the lock or waits for it).
    #[track_caller]
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let mut state = lock(&self.state);
        if !state.readable() {
            return Err(TryLockError::WouldBlock);
        }
        state.readers += 1;
        drop(state);
        self.read_guard().map_err(TryLockError::Poisoned)
    }

    /// Exclusive access if nobody holds the lock now.
    #[track_caller]
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let mut state = lock(&self.state);
        if !state.writable() {
            return Err(TryLockError::WouldBlock);
        }
        state.writer = true;
        drop(state);
        self.write_guard().map_err(TryLockError::Poisoned)
    }

    /// Whether a thread panicked while writing.
    pub fn is_poisoned(&self) -> bool {
        self.data.is_poisoned()
    }

    /// The data, through a unique borrow (no locking needed).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.data.get_mut()
    }

    fn read_guard(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let guard = |inner| RwLockReadGuard {
            lock: self,
            inner: Some(inner),
        };
        match self.data.try_read() {
            Ok(inner) => Ok(guard(inner)),
            Err(TryLockError::Poisoned(p)) => Err(PoisonError::new(guard(p.into_inner()))),
            Err(TryLockError::WouldBlock) => unreachable!("the model lets this thread read"),
        }
    }

    fn write_guard(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let guard = |inner| RwLockWriteGuard {
            lock: self,
            inner: Some(inner),
        };
        match self.data.try_write() {
            Ok(inner) => Ok(guard(inner)),
            Err(TryLockError::Poisoned(p)) => Err(PoisonError::new(guard(p.into_inner()))),
            Err(TryLockError::WouldBlock) => unreachable!("the model lets this thread write"),
        }
    }

    fn release(&self, writer: bool) {
        if !may_operate() {
            return;
        }
        let mut state = lock(&self.state);
        if writer {
            state.writer = false;
        } else {
            state.readers -= 1;
        }
        let wake = if writer {
            state.readers_waiting + state.writers_waiting > 0
        } else {
            state.readers == 0 && state.writers_waiting > 0
        };
        if wake {
            self.released.notify_all();
        }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        // Let go of the data before the model says it is free.
        self.inner = None;
        self.lock.release(false);
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        // Let go of the data (poisoning it if this thread panics) before the model says it
        // is free.
        self.inner = None;
        self.lock.release(true);
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.inner.as_ref().expect("the guard holds the data")
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.inner.as_ref().expect("the guard holds the data")
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("the guard holds the data")
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T: ?Sized> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the data or the lock's state would be an operation of its own: show
        // neither.
        f.debug_struct("RwLock").finish_non_exhaustive()
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
