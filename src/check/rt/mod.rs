//! The runtime under racelab's primitives: one engine per exploration, reached through a
//! thread-local while shuttle runs the executions.
//!
//! * [`op`]: the operations primitives declare and what they touch;
//! * [`clock`]: happens-before between steps, and races;
//! * [`engine`]: the state of the current execution (threads, objects, trace, ending);
//! * [`scheduler`]: the shuttle `Scheduler` that asks a strategy at every decision point;
//! * [`trace`]: the events reports show.
//!
//! Primitives work without an engine too, under any plain shuttle scheduler (`shuttle::check_random`,
//! a proptest-driven scheduler, ...): then they only switch and block, as shuttle's own do.

pub(crate) mod clock;
pub(crate) mod engine;
pub(crate) mod op;
pub(crate) mod scheduler;
pub mod trace;

use std::cell::RefCell;
use std::rc::Rc;

use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;

use engine::{Engine, Next};
use op::Op;
use trace::Detail;

thread_local! {
    static ENGINE: RefCell<Option<Rc<RefCell<Engine>>>> = const { RefCell::new(None) };
}

/// Installs `engine` for this OS thread until the guard is dropped.
pub(crate) fn install(engine: Rc<RefCell<Engine>>) -> Installed {
    ENGINE.with(|e| {
        let previous = e.borrow_mut().replace(engine);
        assert!(
            previous.is_none(),
            "racelab: a check cannot run inside another check's body"
        );
    });
    Installed
}

/// Uninstalls the engine when dropped (also when a check panics).
pub(crate) struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        ENGINE.with(|e| e.borrow_mut().take());
    }
}

/// Runs `f` on the installed engine, if there is one.
pub(crate) fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    ENGINE.with(|e| {
        let engine = e.borrow();
        engine.as_ref().map(|engine| f(&mut engine.borrow_mut()))
    })
}

/// Whether an engine is installed (a racelab check is running on this thread).
pub(crate) fn has_engine() -> bool {
    ENGINE.with(|e| e.borrow().is_some())
}

/// Panics with advice unless called inside a shuttle execution.
#[track_caller]
pub(crate) fn require_execution(what: &str) {
    if ExecutionState::try_with(|_| ()).is_err() {
        panic!(
            "racelab: {what} was used outside a check; racelab::check primitives only work inside \
             racelab::check::check(..) (or a shuttle test)"
        );
    }
}

/// Whether the current code runs inside a shuttle execution that is not being torn down.
pub(crate) fn in_execution() -> bool {
    ExecutionState::try_with(|_| ()).is_ok() && !ExecutionState::should_stop()
}

/// The running task.
pub(crate) fn me() -> TaskId {
    ExecutionState::me()
}

/// Whether the current task is unwinding a panic: primitives then act without switching (a
/// task cannot switch out while it unwinds).
pub(crate) fn unwinding() -> bool {
    std::thread::panicking()
}

/// Declares `op` as the running thread's next operation, then lets the scheduler decide who
/// goes on (see [`op`]).
#[track_caller]
pub(crate) fn op(op: Op) {
    if unwinding() || ExecutionState::should_stop() {
        return;
    }
    with_engine(|e| e.declare(op));
    shuttle_engine::runtime::thread::switch();
}

/// Runs `f`, whose shuttle calls may switch internally, as part of the current step.
pub(crate) fn internal<R>(f: impl FnOnce() -> R) -> R {
    with_engine(|e| e.set_next(Next::Internal));
    let result = f();
    with_engine(|e| e.set_next(Next::Unknown));
    result
}

/// Adds what the operation just performed saw or changed to the trace.
pub(crate) fn detail(detail: Detail) {
    with_engine(|e| e.detail(detail));
}

/// Blocks the running task until another one unblocks it (see [`unblock`]); `next` is what
/// it will do when it runs again (the scheduler runs it only once that is possible).
pub(crate) fn block(next: Op) {
    with_engine(|e| e.declare(next));
    ExecutionState::with(|s| s.current_mut().block(false));
    shuttle_engine::runtime::thread::switch();
}

/// Lets `task` run again (it was blocked with [`block`]).
pub(crate) fn unblock(task: TaskId) {
    let _ = ExecutionState::try_with(|s| {
        let t = s.get_mut(task);
        if !t.finished() {
            t.unblock();
        }
    });
}

/// Blocks `task` again (a condition variable's signal it could have taken went to another).
pub(crate) fn reblock(task: TaskId) {
    ExecutionState::with(|s| s.get_mut(task).block(false));
}
