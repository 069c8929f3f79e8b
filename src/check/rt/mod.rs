//! The runtime under racelab's primitives: it owns every piece of model state, and
//! primitives are thin wrappers that declare an operation and read its result.
//!
//! * [`graph`]: execution graphs — events, reads-from, coherence — the model state;
//! * [`model`]: memory models — which graphs are consistent;
//! * [`op`]: the operations primitives declare, and the dependency table;
//! * [`objects`]: the bookkeeping primitives carry, bound to graph locations;
//! * [`engine`]: the current execution (threads, graph, trace, ending);
//! * [`apply`]: taking an operation: replaying or adding its events;
//! * [`decide`]: who goes on at each switch point;
//! * [`replay`]: the order a run re-executes a graph in;
//! * [`spin`]: spin loops that wait for a change;
//! * [`spurious`]: spurious wake-ups and `compare_exchange_weak` failures, when asked for;
//! * [`blocked`]: who waits for what when nothing can go on;
//! * [`pointers`]: the ids pointer values have in the graph (`AtomicPtr`);
//! * [`fresh`]: the state `Once`, `OnceLock` and `LazyLock` start every execution with;
//! * [`race`], [`cell`]: data races on non-atomic memory (`check::cell`);
//! * [`scheduler`]: the shuttle `Scheduler` that turns shuttle's switch points into
//!   decisions (shuttle runs the threads as coroutines);
//! * [`trace`]: the events reports show.
//!
//! Primitives also work without racelab's engine, under any plain shuttle scheduler
//! (`shuttle::check_random`, a proptest-driven scheduler, ...): then they keep their own
//! state and only switch and block, as shuttle's own do (see `crate::checked`).

pub(crate) mod apply;
pub(crate) mod binding;
pub(crate) mod blocked;
pub(crate) mod cell;
pub(crate) mod decide;
pub(crate) mod ending;
pub(crate) mod engine;
pub(crate) mod fresh;
pub(crate) mod graph;
pub(crate) mod marking;
pub(crate) mod model;
pub(crate) mod objects;
pub(crate) mod op;
pub(crate) mod panics;
pub(crate) mod pointers;
pub(crate) mod race;
pub(crate) mod replay;
pub(crate) mod scheduler;
pub(crate) mod spawn;
pub(crate) mod spin;
pub(crate) mod spurious;
pub(crate) mod stall;
pub(crate) mod strategy;
pub(crate) mod thread;
pub(crate) mod timeout;
pub mod trace;
pub(crate) mod views;

use std::cell::RefCell;
use std::rc::Rc;

use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;

use engine::Engine;
use op::{Done, Obj, Op};

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

/// The id pointer `addr` has in the graph, in an operation of an atomic whose initial
/// pointer is `init` (see [`pointers`]), if an engine runs.
pub(crate) fn pointer_id(addr: usize, init: usize) -> Option<u64> {
    with_engine(|e| {
        let thread = e.running.unwrap_or(0);
        e.pointers.id(addr, init, thread)
    })
}

/// The address pointer `id` stands for in this execution, read from an atomic whose initial
/// pointer is `init` (see [`pointers`]); null, with the execution marked nondeterministic,
/// if it never named it.
pub(crate) fn pointer_addr(id: u64, init: usize) -> usize {
    with_engine(|e| match e.pointers.addr(id, init) {
        Some(addr) => addr,
        None => {
            e.nondeterministic("a pointer value read that this execution never stored");
            0
        }
    })
    .unwrap_or(0)
}

/// Whether an engine is installed (a racelab check is running on this thread).
pub(crate) fn has_engine() -> bool {
    ENGINE.with(|e| e.borrow().is_some())
}

/// Whether waits may wake spuriously in this check (`Check::spurious_wakeups`); `false`
/// when no engine runs.
pub(crate) fn spurious_wakeups() -> bool {
    with_engine(|e| e.spurious.wakeups).unwrap_or(false)
}

/// How many times each thread's `compare_exchange_weak` may fail spuriously in this check
/// (`Check::spurious_failures`); 0 when no engine runs.
pub(crate) fn spurious_failures() -> u32 {
    with_engine(|e| e.spurious.failures).unwrap_or(0)
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

/// Declares `op` as the running thread's next operation, lets the engine decide who goes
/// on, and returns what the operation did once this thread runs again. `None` when the
/// execution is being torn down (or while unwinding): the caller then does nothing.
#[track_caller]
pub(crate) fn op(op: Op) -> Option<Done> {
    if ExecutionState::should_stop() {
        return None;
    }
    if unwinding() {
        with_engine(Engine::skipped_while_unwinding);
        return None;
    }
    let at = std::panic::Location::caller();
    let mut op = Some(op);
    let deferred = with_engine(|e| match e.take_deferred() {
        Some(deferred) => Some(deferred),
        None => {
            e.declare(op.take().expect("declared once"), at);
            None
        }
    })
    .flatten();
    if let Some(deferred) = deferred {
        // Releases deferred while this thread unwound go first, in the order it dropped the
        // guards (see `defer_unlock`).
        if !release_deferred(deferred) {
            return None;
        }
        with_engine(|e| e.declare(op.take().expect("declared once"), at));
    }
    shuttle_engine::runtime::thread::switch();
    if ExecutionState::should_stop() {
        return None;
    }
    with_engine(Engine::take_done).flatten()
}

/// While the running thread unwinds a panic, a guard of the mutex with `meta` was dropped:
/// std releases the mutex and poisons it. A thread cannot switch while it unwinds, so the
/// release is deferred: it is the thread's next step once it stops unwinding (its `Finish`
/// when the panic ends it, or its next operation when the program catches the panic). No
/// other thread runs in between, so the order of operations is the program's. `meta` is
/// copied: the mutex may be dropped further up the unwinding.
pub(crate) fn defer_unlock(meta: &objects::ObjMeta) {
    with_engine(|e| e.defer_unlock(meta));
}

/// While the running thread unwinds a panic, a guard of a primitive built on racelab's
/// `Mutex` (an `RwLock`) was dropped: its release `run`, which takes several operations, is
/// deferred as [`defer_unlock`] defers a mutex's. `owner` is the address of the object `run`
/// uses; the object's destructor calls [`cancel_deferred`] with it, so `run` never outlives
/// it.
pub(crate) fn defer_action(owner: usize, run: Box<dyn FnOnce()>) {
    with_engine(|e| e.defer_action(owner, run));
}

/// While the running thread unwinds a panic, it takes an operation whose result the program
/// does not use (an atomic store, say in a spin lock's guard) on the object with `meta`:
/// deferred as a mutex's release is ([`defer_unlock`]), on a copy of the bookkeeping that
/// stays valid if the object goes further up the unwinding. Only an object this execution
/// has already bound to its location can be copied (a copy of one not bound yet would stand
/// for another location than the object's later uses): `false`, and nothing deferred,
/// otherwise.
pub(crate) fn defer_op(meta: &objects::ObjMeta, make: impl FnOnce(Obj) -> Op + 'static) -> bool {
    let copy = with_engine(|e| {
        e.bound_loc(meta)
            .is_some()
            .then(|| Box::new(meta.detached()))
    })
    .flatten();
    let Some(copy) = copy else {
        return false;
    };
    // Owner 0 is no object's address: never cancelled (the copy outlives the object).
    defer_action(
        0,
        Box::new(move || {
            op(make(Obj::new(&copy)));
        }),
    );
    true
}

/// The object at `owner` is being dropped: cancels the releases deferred on it. Never
/// panics (it runs in destructors, thread-local ones included): with no engine, or one
/// busy, nothing can be pending that would run later.
pub(crate) fn cancel_deferred(owner: usize) {
    let _ = ENGINE.try_with(|e| {
        let Ok(engine) = e.try_borrow() else { return };
        if let Some(Ok(mut engine)) = engine.as_ref().map(|en| en.try_borrow_mut()) {
            engine.cancel_deferred(owner);
        }
    });
}

/// Takes the releases in `deferred` as the running thread's next steps; `false` if the
/// execution is torn down meanwhile.
#[track_caller]
fn release_deferred(deferred: Vec<thread::Deferred>) -> bool {
    // The copied bookkeeping lives until every release is taken, as the mutexes would.
    let mut released = Vec::new();
    for item in deferred {
        match item {
            thread::Deferred::Unlock(meta) => {
                op(Op::Unlock {
                    mutex: Obj::new(&meta),
                });
                released.push(meta);
            }
            thread::Deferred::Action { run, .. } => run(),
        }
        if ExecutionState::should_stop() {
            return false;
        }
    }
    true
}

/// Runs `f`, whose shuttle calls may switch internally, as part of the current step.
pub(crate) fn internal<R>(f: impl FnOnce() -> R) -> R {
    with_engine(|e| e.set_internal(true));
    let result = f();
    with_engine(|e| e.set_internal(false));
    result
}

/// Blocks the running task until another one unblocks it (plain shuttle mode).
pub(crate) fn block() {
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
