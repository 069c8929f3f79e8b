//! `Mutex`, shaped like `std::sync::Mutex`. Taking it and releasing it (dropping the guard)
//! are both switch points; a `lock` of a held mutex waits until its holder releases it.
//! The model lets one thread at a time hold the mutex, which is what makes handing out the
//! data (an `UnsafeCell`) sound; no OS lock is involved, so a guard that a deadlocked
//! execution left behind (its thread is never resumed) holds nothing in the next.
//! Poisoning works as in `std`: a guard dropped while its thread unwinds a panic (that began
//! after the guard was taken) poisons the mutex at once; the model's release follows as
//! the thread's next step once it stops unwinding (a thread cannot switch while it unwinds;
//! see `rt::defer_unlock`).

use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use shuttle_engine::runtime::task::TaskId;

use crate::check::rt::graph::LocKind;
use crate::check::rt::objects::ObjMeta;
use crate::check::rt::op::{Obj, Op};
use crate::check::rt::{self};

/// Who holds the mutex and who waits, under a plain shuttle scheduler (racelab's own engine
/// keeps this in the execution graph).
#[derive(Debug)]
struct Plain {
    holder: Option<TaskId>,
    waiters: Vec<TaskId>,
}

/// `value` as std's locks hand it out: `Err` (with it) if the lock is `poisoned`.
pub(crate) fn poison_result<G>(poisoned: bool, value: G) -> LockResult<G> {
    if poisoned {
        Err(PoisonError::new(value))
    } else {
        Ok(value)
    }
}

/// A mutual exclusion lock protecting a `T` (see the module docs).
pub struct Mutex<T: ?Sized> {
    meta: ObjMeta,
    plain: std::sync::Mutex<Plain>,
    poisoned: AtomicBool,
    /// A guard of it exists: its data may be borrowed (see [`Mutex::data_unguarded`]).
    guarded: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: as std's `Mutex`: the data is reached only through a guard, and the model (or,
// under a plain shuttle scheduler, `Plain`) lets one thread at a time hold one.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

// As std's: a panic while the lock is held poisons it, which callers see.
impl<T: ?Sized> std::panic::UnwindSafe for Mutex<T> {}
impl<T: ?Sized> std::panic::RefUnwindSafe for Mutex<T> {}

/// Holds a [`Mutex`] until dropped; gives access to its data.
#[must_use = "the mutex is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    /// Its thread was already panicking when it took the mutex (std then does not poison
    /// the mutex as the guard is dropped).
    panicking: bool,
    /// `Send` and `Sync` as std's guard is.
    _std: PhantomData<std::sync::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    pub const fn new(value: T) -> Self {
        Mutex {
            meta: ObjMeta::new(LocKind::Mutex).keeping(std::mem::size_of::<T>() != 0),
            plain: std::sync::Mutex::new(Plain {
                holder: None,
                waiters: Vec::new(),
            }),
            poisoned: AtomicBool::new(false),
            guarded: AtomicBool::new(false),
            data: UnsafeCell::new(value),
        }
    }

    /// Names the mutex in traces and reports (otherwise `mutex#1`, `mutex#2`, ...).
    pub fn named(mut self, name: &'static str) -> Self {
        self.meta.set_name(name);
        self
    }

    /// The data, when nobody else can hold the mutex.
    pub fn into_inner(self) -> LockResult<T> {
        let poisoned = self.poisoned.into_inner();
        poison_result(poisoned, self.data.into_inner())
    }
}

impl<T: ?Sized> Mutex<T> {
    fn plain(&self) -> std::sync::MutexGuard<'_, Plain> {
        self.plain.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn obj(&self) -> Obj {
        Obj::new(&self.meta)
    }

    /// Takes the mutex, waiting while another thread holds it. Fails (with the guard) only if
    /// a thread panicked while holding it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        rt::require_execution("Mutex::lock");
        if rt::has_engine() {
            rt::op(Op::Lock { mutex: self.obj() });
        } else {
            self.acquire_plain();
        }
        self.guard()
    }

    /// Takes the mutex if it is free now.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        rt::require_execution("Mutex::try_lock");
        let got = if rt::has_engine() {
            rt::op(Op::TryLock { mutex: self.obj() }).is_some_and(|d| d.ok)
        } else {
            shuttle_engine::runtime::thread::switch();
            let mut plain = self.plain();
            let free = plain.holder.is_none();
            if free {
                plain.holder = Some(rt::me());
            }
            free
        };
        if !got {
            return Err(TryLockError::WouldBlock);
        }
        self.guard().map_err(TryLockError::Poisoned)
    }

    fn acquire_plain(&self) {
        shuttle_engine::runtime::thread::switch();
        let me = rt::me();
        loop {
            let mut plain = self.plain();
            if plain.holder.is_none() {
                plain.holder = Some(me);
                return;
            }
            plain.waiters.push(me);
            drop(plain);
            rt::block();
        }
    }

    fn release_plain(&self) {
        let waiters = {
            let mut plain = self.plain();
            plain.holder = None;
            std::mem::take(&mut plain.waiters)
        };
        for task in waiters {
            rt::unblock(task);
        }
    }

    /// The guard of a mutex the model just gave this thread.
    fn guard(&self) -> LockResult<MutexGuard<'_, T>> {
        self.guarded.store(true, Ordering::Relaxed);
        let guard = MutexGuard {
            mutex: self,
            panicking: std::thread::panicking(),
            _std: PhantomData,
        };
        poison_result(self.is_poisoned(), guard)
    }

    /// The data, if no guard of the mutex exists now (a thread suspended inside its
    /// critical section has one), for a change the model does not see: one that no thread
    /// can observe before the model's next operation on the mutex (see `mpsc`'s receiver).
    /// Nothing borrows the data then (references reached through a guard do not outlive
    /// it), so the pointer may be used as a unique reference until the caller's thread
    /// switches.
    pub(crate) fn data_unguarded(&self) -> Option<*mut T> {
        (!self.guarded.load(Ordering::Relaxed)).then(|| self.data.get())
    }

    /// Whether a thread panicked while holding the mutex.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::Relaxed)
    }

    /// Forgets that a thread panicked while holding the mutex (like std's).
    pub fn clear_poison(&self) {
        self.poisoned.store(false, Ordering::Relaxed);
    }

    /// The data, through a unique borrow (no locking needed).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        poison_result(*self.poisoned.get_mut(), self.data.get_mut())
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// The mutex this guard holds.
    pub(crate) fn mutex(&self) -> &'a Mutex<T> {
        self.mutex
    }

    /// Gives the data back without releasing the mutex in the model (the caller's operation
    /// releases it: `Condvar::wait`).
    pub(crate) fn into_mutex(self) -> &'a Mutex<T> {
        let mutex = self.mutex;
        mutex.guarded.store(false, Ordering::Relaxed);
        std::mem::forget(self);
        mutex
    }

    /// Releases the mutex as part of the current step (plain shuttle mode).
    pub(crate) fn release_plain(self) -> &'a Mutex<T> {
        let mutex = self.into_mutex();
        mutex.release_plain();
        mutex
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // Nothing borrows the data any more; the release below may switch threads.
        self.mutex.guarded.store(false, Ordering::Relaxed);
        if !self.panicking && std::thread::panicking() {
            // As in std: a panic while the guard lives poisons the mutex.
            self.mutex.poisoned.store(true, Ordering::Relaxed);
            self.mutex.meta.set_keeps();
        }
        if rt::has_engine() {
            if rt::in_execution() {
                if rt::unwinding() {
                    rt::defer_unlock(&self.mutex.meta);
                } else {
                    rt::op(Op::Unlock {
                        mutex: self.mutex.obj(),
                    });
                }
            }
        } else {
            if rt::in_execution() {
                shuttle_engine::runtime::thread::switch();
            }
            self.mutex.release_plain();
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard's thread holds the mutex (see `Mutex`'s `Sync`).
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and the guard is borrowed uniquely.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the data or the lock's state would be an operation of its own: show
        // neither.
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
