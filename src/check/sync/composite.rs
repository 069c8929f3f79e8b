//! What the primitives built from racelab's own [`Mutex`] and [`Condvar`] share
//! (`mpsc`, `RwLock`, `Barrier`, `Once`, `OnceLock`, `LazyLock`): they keep their state in a
//! modelled mutex and wait on a modelled condition variable, so every point where they can
//! block or be seen by another thread is an operation the checker explores.

use std::sync::PoisonError;

use super::condvar::Condvar;
use super::mutex::{Mutex, MutexGuard};
use crate::check::rt;

/// Whether a destructor may take modelled steps: inside an execution that is not being torn
/// down, and not while unwinding (a panic ends the execution, and a thread cannot switch
/// out while it unwinds). Otherwise a guard or a channel end lets go without telling the
/// model.
pub(crate) fn may_operate() -> bool {
    rt::in_execution() && !std::thread::panicking()
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
