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
//! **Poisoning** is `std`'s: a panic while a write guard lives poisons the lock, and the
//! guards dropped on the way release it. (The data is an `UnsafeCell` that the model lets
//! only compatible holders reach; no OS lock is involved, so guards a deadlocked execution
//! left behind hold nothing in the next.) A thread cannot switch while it unwinds, so a
//! release on the way (several operations) is deferred: its thread takes it once it stops
//! unwinding, before anything else, as a `Mutex`'s release is; it is cancelled if the lock
//! itself is dropped first.

use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LockResult, TryLockError, TryLockResult};

use super::composite::{lock, may_operate, unwinding_in_check, wait};
use super::condvar::Condvar;
use super::mutex::{Mutex, poison_result};
use crate::check::rt;

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
    /// Cancels a release deferred on this lock if the lock is dropped first.
    anchor: Anchor,
    poisoned: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: as std's `RwLock`: the data is reached only through guards, and the state (under
// the modelled mutex) admits either one writer or only readers.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: as above; readers share `&T` across threads, hence `T: Sync`.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

// As std's: a panic while writing poisons the lock, which callers see.
impl<T: ?Sized> std::panic::UnwindSafe for RwLock<T> {}
impl<T: ?Sized> std::panic::RefUnwindSafe for RwLock<T> {}

/// Shared access to a [`RwLock`]'s data until dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    /// `Send` and `Sync` as std's guard is.
    _std: PhantomData<std::sync::RwLockReadGuard<'a, T>>,
}

/// Exclusive access to a [`RwLock`]'s data until dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    /// Its thread was already panicking when it took the lock (std then does not poison
    /// the lock as the guard is dropped).
    panicking: bool,
    /// `Send` and `Sync` as std's guard is.
    _std: PhantomData<std::sync::RwLockWriteGuard<'a, T>>,
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
            anchor: Anchor { _byte: 0 },
            poisoned: AtomicBool::new(false),
            data: UnsafeCell::new(value),
        }
    }

    /// Names the lock in traces and reports: its state's mutex is called `name` (otherwise
    /// `mutex#1`, ...). A thread blocked on it waits on a condition variable, having
    /// released `name`.
    pub fn named(self, name: &'static str) -> Self {
        let RwLock {
            state,
            released,
            anchor,
            poisoned,
            data,
        } = self;
        RwLock {
            state: state.named(name),
            released,
            anchor,
            poisoned,
            data,
        }
    }

    /// The data, when nobody else can hold the lock; fails (with it) if poisoned.
    pub fn into_inner(self) -> LockResult<T> {
        let poisoned = self.poisoned.into_inner();
        poison_result(poisoned, self.data.into_inner())
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
        self.poisoned.load(Ordering::Relaxed)
    }

    /// Forgets that a thread panicked while writing (like std's).
    pub fn clear_poison(&self) {
        self.poisoned.store(false, Ordering::Relaxed);
    }

    /// The data, through a unique borrow (no locking needed).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        poison_result(*self.poisoned.get_mut(), self.data.get_mut())
    }

    /// A read guard, once the state admitted this thread as a reader.
    fn read_guard(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let guard = RwLockReadGuard {
            lock: self,
            _std: PhantomData,
        };
        poison_result(self.is_poisoned(), guard)
    }

    /// The write guard, once the state admitted this thread as the writer.
    fn write_guard(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let guard = RwLockWriteGuard {
            lock: self,
            panicking: std::thread::panicking(),
            _std: PhantomData,
        };
        poison_result(self.is_poisoned(), guard)
    }

    fn release(&self, writer: bool) {
        if unwinding_in_check() {
            // Taken once the thread stops unwinding, as a `Mutex`'s release is (see
            // `rt::defer_action`); cancelled if the lock is dropped first.
            let state: *const Mutex<State> = &self.state;
            let released: *const Condvar = &self.released;
            let owner = &self.anchor as *const Anchor as usize;
            rt::defer_action(
                owner,
                Box::new(move || {
                    // SAFETY: the action runs before the thread takes any other step, and
                    // `Anchor`'s destructor cancels it if the lock is dropped before that,
                    // so the lock is alive.
                    let (state, released) = unsafe { (&*state, &*released) };
                    release(state, released, writer);
                }),
            );
            return;
        }
        if may_operate() {
            release(&self.state, &self.released, writer);
        }
    }
}

/// Releases a read (or, if `writer`, the write) lock: one fewer reader, or no writer, and
/// the waiters woken if they may now come in.
#[track_caller]
fn release(state: &Mutex<State>, released: &Condvar, writer: bool) {
    let mut state = lock(state);
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
        released.notify_all();
    }
}

/// A byte of the lock whose destructor cancels the releases deferred on the lock (see
/// `RwLock::release`).
struct Anchor {
    _byte: u8,
}

impl Drop for Anchor {
    fn drop(&mut self) {
        rt::cancel_deferred(self as *const Anchor as usize);
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.release(false);
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        if !self.panicking && std::thread::panicking() {
            // As in std: a panic while writing poisons the lock.
            self.lock.poisoned.store(true, Ordering::Relaxed);
        }
        self.lock.release(true);
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this thread is a reader: no writer holds the lock while the guard lives.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this thread is the writer: nobody else holds the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and the guard is borrowed uniquely.
        unsafe { &mut *self.lock.data.get() }
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
