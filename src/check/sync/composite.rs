//! What the primitives built from racelab's own [`Mutex`] and [`Condvar`] share
//! (`mpsc`, `RwLock`, `Barrier`, `Once`, `OnceLock`, `LazyLock`): they keep their state in a
//! modelled mutex and wait on a modelled condition variable, so every point where they can
//! block or be seen by another thread is an operation the checker explores.

use std::sync::PoisonError;
use std::time::Duration;

use super::condvar::Condvar;
use super::mutex::{Mutex, MutexGuard};
use crate::check::rt;

/// Whether a destructor may take modelled steps: inside an execution that is not being torn
/// down, and not while unwinding (a thread cannot switch out while it unwinds). Otherwise a
/// guard or a channel end lets go without telling the model; while unwinding, the thread
/// is marked as having skipped an operation, so its panic ends the execution (the model no
/// longer matches the program; see `rt::spawn`).
pub(crate) fn may_operate() -> bool {
    if !rt::in_execution() {
        return false;
    }
    if rt::unwinding() {
        rt::with_engine(rt::engine::Engine::skipped_while_unwinding);
        return false;
    }
    true
}

/// Whether the running thread unwinds a panic inside a check: a destructor's release then
/// cannot be taken now, and is deferred to the thread's next steps (`rt::defer_action`)
/// where it can be.
pub(crate) fn unwinding_in_check() -> bool {
    rt::has_engine() && rt::in_execution() && rt::unwinding()
}

/// Takes the state's mutex (it is never poisoned: no user code runs while it is held).
#[track_caller]
pub(crate) fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `cv` with the state's guard.
#[track_caller]
pub(crate) fn wait<'a, T>(cv: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    cv.wait(guard).unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `cv` with the state's guard until notified or until the timeout fires (which a
/// check explores at every moment of the wait); also says whether it timed out.
#[track_caller]
pub(crate) fn wait_timeout<'a, T>(
    cv: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> (MutexGuard<'a, T>, bool) {
    let (guard, result) = cv
        .wait_timeout(guard, timeout)
        .unwrap_or_else(PoisonError::into_inner);
    (guard, result.timed_out())
}
