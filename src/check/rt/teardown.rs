//! The end of an execution that leaves threads inside the program (a deadlock, an
//! execution the search abandons, `main` returning while others wait): racelab unwinds
//! them, so that what they hold is dropped and their stacks are used again.
//!
//! shuttle, whose coroutines run the threads, cannot stop a thread in the middle of its
//! function: at the end of a stopped execution it leaks the thread's stack, with everything
//! on it (about 1 KB a thread, measured), and the next execution maps a new stack (`mmap`,
//! `mprotect`, page faults, `munmap`). A search in which most executions end with a thread
//! still blocked spent about a fifth of its time there, and grew without bound.
//!
//! So when [`super::decide`] says the execution is over, the scheduler keeps it going a
//! little longer, outside the model: [`begin`] marks the teardown, and [`next`] resumes, one
//! at a time and the most recently spawned first, every thread that started and has not
//! finished. Each is suspended inside an operation (the only place an engine thread
//! switches); the operation sees the teardown and unwinds the thread ([`unwind`]); its
//! thread's entry point ([`super::spawn`]) swallows the unwinding. The thread's
//! function then returns, and shuttle gives its stack back to its pool. Last, racelab's root
//! task returns.
//!
//! Invariants:
//! * Nothing of the teardown reaches the model: the ending was recorded before it began;
//!   [`super::op()`] returns `None` for every operation while it lasts (a destructor's release
//!   does nothing), [`super::in_execution`] is false, a guard dropped by it does not poison
//!   its lock, and no strategy or search hears of it.
//! * Children before parents (highest thread number first): a scoped thread borrows from
//!   its parent's stack, which must still hold what it borrows while it unwinds. An
//!   execution in which a thread never ran is not torn down at all (shuttle drops that
//!   thread's function, which may borrow from its parent's stack, after racelab would have
//!   unwound the parent); a thread waiting inside shuttle itself (not runnable) is left to
//!   shuttle's teardown, as before.
//! * A thread that catches the unwinding and goes on stops at its next operation for good
//!   (a loop around `catch_unwind` would be unwound for ever); shuttle leaks it, as it did
//!   every such thread before. Whatever a thread panics with during the teardown is
//!   swallowed by its entry point.
//!
//! The one risk is the one any unwinding carries: a destructor that panics while its thread
//! is unwound aborts the process. The panic hook ([`super::panics`]) says what happened
//! before the abort, and `RACELAB_LEAK_BLOCKED_THREADS=1` turns the teardown off (stacks
//! leaked, as shuttle does).

use std::cell::Cell;

use shuttle_engine::runtime::task::{Task, TaskId};

use super::engine::Engine;

thread_local! {
    /// Whether this OS thread's execution is being torn down (every job of a check runs on
    /// its own OS thread, with its own engine).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// Whether the teardown is wanted at all (read once per OS thread).
    static ENABLED: bool = std::env::var_os("RACELAB_LEAK_BLOCKED_THREADS")
        .is_none_or(|v| v.is_empty() || v == "0");
}

/// The payload a thread is unwound with (its entry point swallows whatever reaches it
/// while the teardown lasts).
struct TearDown;

/// Whether the running execution is being torn down.
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// The execution is over: starts tearing it down, unless teardown is turned off or a
/// thread never ran (its function, which shuttle drops, may borrow from its parent's stack:
/// the parent is not unwound before it). Whether it started.
pub(crate) fn begin(e: &Engine, runnable: &[&Task]) -> bool {
    let never_ran = e
        .threads
        .iter()
        .flatten()
        .any(|rt| !rt.started && is_runnable(runnable, rt.task));
    let start = ENABLED.with(|on| *on) && !never_ran;
    ACTIVE.with(|a| a.set(start));
    start
}

fn is_runnable(runnable: &[&Task], task: usize) -> bool {
    runnable.iter().any(|t| usize::from(t.id()) == task)
}

/// The teardown is over (or an execution starts): operations reach the model again.
pub(crate) fn end() {
    ACTIVE.with(|a| a.set(false));
}

/// Unwinds the running thread (it was resumed by [`next`]).
pub(crate) fn unwind() -> ! {
    std::panic::resume_unwind(Box::new(TearDown))
}

/// The task to resume next while tearing down: the highest-numbered thread that started
/// and is still runnable, then racelab's root task; `None` (and the teardown ends) once
/// neither is left.
pub(crate) fn next(e: &mut Engine, runnable: &[&Task]) -> Option<TaskId> {
    let is_runnable = |task: usize| is_runnable(runnable, task);
    let thread = e
        .threads
        .iter()
        .rev()
        .flatten()
        // Not one that caught its unwinding and stopped for good (see `super::unwind_if_torn_down`).
        .find(|rt| rt.started && (rt.returned || !rt.unwound) && is_runnable(rt.task))
        .map(|rt| rt.task);
    let next = thread.or_else(|| e.root.filter(|&root| is_runnable(root)));
    e.running = None;
    if next.is_none() {
        end();
    }
    next.map(TaskId::from)
}
