//! `Mutex`, shaped like `std::sync::Mutex`. Taking it and releasing it (dropping the guard)
//! are both switch points; a `lock` of a held mutex waits until its holder releases it.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult};

use shuttle_engine::runtime::task::TaskId;

use crate::check::rt::engine::{ObjKind, ObjMeta};
use crate::check::rt::op::Op;
use crate::check::rt::trace::Detail;
use crate::check::rt::{self};

/// The shared part of a mutex: who holds it and who waits (under plain shuttle schedulers;
/// racelab's own scheduler never runs a `lock` that cannot succeed).
#[derive(Debug)]
pub(crate) struct MutexCore {
    meta: ObjMeta,
    state: std::sync::Mutex<MutexState>,
}

#[derive(Debug, Default)]
struct MutexState {
    holder: Option<TaskId>,
    waiters: Vec<TaskId>,
}

impl MutexCore {
    fn state(&self) -> std::sync::MutexGuard<'_, MutexState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn meta(&self) -> &ObjMeta {
        &self.meta
    }

    pub(crate) fn is_free(&self) -> bool {
        self.state().holder.is_none()
    }

    pub(crate) fn holder(&self) -> Option<TaskId> {
        self.state().holder
    }

    /// Takes the mutex for the running task, waiting (blocked) while another holds it.
    fn acquire(self: &Arc<Self>) {
        let me = rt::me();
        loop {
            let mut state = self.state();
            if state.holder.is_none() {
                state.holder = Some(me);
                return;
            }
            state.waiters.push(me);
            drop(state);
            rt::block(Op::Lock(Arc::clone(self)));
        }
    }

    /// Frees the mutex and lets anyone who waits try again.
    pub(crate) fn release(&self) {
        let waiters = {
            let mut state = self.state();
            state.holder = None;
            std::mem::take(&mut state.waiters)
        };
        for task in waiters {
            rt::unblock(task);
        }
    }
}

/// A mutual exclusion lock protecting a `T` (see the module docs).
pub struct Mutex<T: ?Sized> {
    core: Arc<MutexCore>,
    data: std::sync::Mutex<T>,
}

/// Holds a [`Mutex`] until dropped; gives access to its data.
#[must_use = "the mutex is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    inner: Option<std::sync::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    pub fn new(value: T) -> Self {
        Mutex {
            core: Arc::new(MutexCore {
                meta: ObjMeta::new(ObjKind::Mutex),
                state: std::sync::Mutex::new(MutexState::default()),
            }),
            data: std::sync::Mutex::new(value),
        }
    }

    /// Names the mutex in traces and reports (otherwise `mutex#1`, `mutex#2`, ...).
    pub fn named(mut self, name: &'static str) -> Self {
        if let Some(core) = Arc::get_mut(&mut self.core) {
            core.meta.set_name(name);
        }
        self
    }

    /// The data, when nobody else can hold the mutex.
    pub fn into_inner(self) -> LockResult<T> {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Takes the mutex, waiting while another thread holds it. Fails (with the guard) only if
    /// a thread panicked while holding it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        rt::require_execution("Mutex::lock");
        rt::op(Op::Lock(Arc::clone(&self.core)));
        self.core.acquire();
        self.guard()
    }

    /// Takes the mutex if it is free now.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        rt::require_execution("Mutex::try_lock");
        rt::op(Op::TryLock(Arc::clone(&self.core)));
        {
            let mut state = self.core.state();
            if state.holder.is_some() {
                drop(state);
                rt::detail(Detail::Busy);
                return Err(TryLockError::WouldBlock);
            }
            state.holder = Some(rt::me());
        }
        self.guard().map_err(TryLockError::Poisoned)
    }

    fn guard(&self) -> LockResult<MutexGuard<'_, T>> {
        match self.data.try_lock() {
            Ok(inner) => Ok(MutexGuard {
                mutex: self,
                inner: Some(inner),
            }),
            Err(TryLockError::Poisoned(poisoned)) => Err(PoisonError::new(MutexGuard {
                mutex: self,
                inner: Some(poisoned.into_inner()),
            })),
            Err(TryLockError::WouldBlock) => unreachable!("the model says the mutex is ours"),
        }
    }

    /// Whether a thread panicked while holding the mutex.
    pub fn is_poisoned(&self) -> bool {
        self.data.is_poisoned()
    }

    /// The data, through a unique borrow (no locking needed).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.data.get_mut()
    }

    pub(crate) fn core(&self) -> &Arc<MutexCore> {
        &self.core
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// The mutex this guard holds.
    pub(crate) fn mutex(&self) -> &'a Mutex<T> {
        self.mutex
    }

    /// Releases the mutex as part of the current step (no switch point of its own): for
    /// `Condvar::wait`, whose release and start of waiting are one step.
    pub(crate) fn release_in_step(mut self) -> &'a Mutex<T> {
        self.inner = None;
        self.mutex.core.release();
        let mutex = self.mutex;
        std::mem::forget(self);
        mutex
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if rt::in_execution() {
            rt::op(Op::Unlock(Arc::clone(&self.mutex.core)));
        }
        self.inner = None;
        self.mutex.core.release();
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.inner.as_ref().expect("the guard holds the data")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("the guard holds the data")
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the data would be an unmodelled access: show only the lock's state.
        f.debug_struct("Mutex")
            .field("locked", &!self.core.is_free())
            .finish_non_exhaustive()
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
