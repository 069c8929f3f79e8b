//! `std::thread::scope` under a check: threads that may borrow from the caller, all joined
//! before `scope` returns.
//!
//! A scoped thread is a checked thread like any other (its spawn and its joins are
//! operations of the model). Its closure borrows for `'scope`, and the runtime's threads
//! run closures that must be `'static`: as in `std` and crossbeam, the closure's lifetime is
//! erased, which is sound because `scope` joins every thread it spawned before it returns.
//! (If the body panics instead, the check's execution ends there: its other threads are
//! stopped and never run again, so nothing reads the borrowed data after it is gone.)

use std::any::Any;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use super::{JoinHandle, Thread, spawn};

/// A scope to spawn threads in (like `std::thread::Scope`).
pub struct Scope<'scope, 'env: 'scope> {
    /// Threads not joined yet, by number: joined when the scope ends.
    pending: Mutex<Vec<(usize, JoinHandle<()>)>>,
    next: Mutex<usize>,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// A scoped thread's handle (like `std::thread::ScopedJoinHandle`).
pub struct ScopedJoinHandle<'scope, T> {
    id: usize,
    thread: Thread,
    result: Arc<Mutex<Option<T>>>,
    pending: &'scope Mutex<Vec<(usize, JoinHandle<()>)>>,
}

/// Runs `f` with a [`Scope`] whose threads may borrow what `f` can; returns once every
/// thread spawned in it has finished (like `std::thread::scope`).
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        pending: Mutex::new(Vec::new()),
        next: Mutex::new(0),
        scope: PhantomData,
        env: PhantomData,
    };
    let result = f(&scope);
    loop {
        let next = scope
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let Some((_, handle)) = next else { break };
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
    result
}

impl<'scope> Scope<'scope, '_> {
    /// Spawns a thread that may borrow from outside the scope (like `Scope::spawn`).
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        let job: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
            let value = f();
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        });
        // SAFETY: `scope` joins this thread before `'scope` ends (see the module docs), so
        // the closure never outlives what it borrows; only the lifetime is changed.
        let job: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(job) };
        let handle = spawn(job);
        let thread = handle.thread().clone();
        let id = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            *next += 1;
            *next
        };
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, handle));
        ScopedJoinHandle {
            id,
            thread,
            result,
            pending: &self.pending,
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// The thread's handle.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has finished (see [`JoinHandle::is_finished`]).
    #[track_caller]
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Waits for the thread to finish and returns what it returned, or its panic.
    #[track_caller]
    pub fn join(self) -> Result<T, Box<dyn Any + Send + 'static>> {
        let handle = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            let at = pending
                .iter()
                .position(|(id, _)| *id == self.id)
                .expect("a scoped thread is joined once");
            pending.remove(at).1
        };
        handle.join()?;
        let value = self
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Ok(value.expect("a thread that finished left its result"))
    }
}

impl std::fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedJoinHandle")
            .field("thread", &self.thread)
            .finish_non_exhaustive()
    }
}
