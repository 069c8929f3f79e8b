//! The shuttle `Scheduler` of every racelab check: it turns shuttle's switch points into
//! decision points and asks the strategy.
//!
//! shuttle calls [`Scheduler::next_task`] at every switch point. Switches *inside* racelab's
//! own calls into shuttle (a spawn, a join) keep the running thread. Everywhere else, the
//! engine works out which threads can take their next step (a `lock` of a held mutex cannot,
//! a `wake` waits for a notify, a `join` for the thread's end); if none can, the execution
//! is over: finished, or deadlocked. Otherwise the strategy picks one.
//!
//! Each execution runs under a root task that shuttle sees as its main thread: it spawns the
//! body as racelab's `main` and waits until every thread has finished. Because the root can
//! always run, shuttle never declares a deadlock itself; racelab does, and reports who waits
//! for whom instead of panicking.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};

use super::decide::{Decision, decide};
use super::engine::{Engine, Finished, RawEnding};
use super::graph::Graph;
use super::panics::{LAST_PANIC, Quiet, install_quiet_panic_hook};
use super::stall::Stall;
use super::strategy::Strategy;
use super::strategy::View;
use crate::words::panic_message;

/// Why a run stopped before its strategy was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The execution budget ran out.
    Executions,
    /// The time budget ran out.
    Time,
    /// The collector asked to stop (a forbidden outcome was found).
    Collector,
}

/// Budgets and the collector of one run.
pub(crate) struct Control {
    pub(crate) sink: Box<dyn FnMut(Finished) -> bool>,
    pub(crate) max_executions: usize,
    pub(crate) deadline: Option<Instant>,
    pub(crate) executions: usize,
    pub(crate) stopped: Option<Stop>,
    started: bool,
    /// What a replay found the body doing differently, if it did.
    pub(crate) nondeterminism: Option<String>,
    /// Runs dropped without an outcome.
    pub(crate) abandoned: usize,
    /// The digest of every execution that ended with an outcome, when counting distinct
    /// executions.
    pub(crate) signatures: Option<std::collections::HashSet<u128>>,
    /// Executions that ended with an outcome.
    pub(crate) ended: usize,
    /// Whether an atomic access weaker than `SeqCst` ran (see `Engine::weak_seen`).
    pub(crate) weak_seen: bool,
    /// How long a modelled thread may stay away from racelab (see [`super::stall`]).
    pub(crate) stall_limit: Duration,
    /// What may happen spuriously (`Check::spurious_wakeups`, `Check::spurious_failures`).
    pub(crate) spurious: super::spurious::Spurious,
    /// Executions started by every worker of a shared search (their budget is one); set
    /// exactly when this run is one of those workers (see `Engine::exclusive`).
    pub(crate) shared_executions: Option<Arc<AtomicUsize>>,
    /// Whether an object outlived an execution (see `Engine::outlived`).
    pub(crate) outlived: bool,
    /// Whether one of those kept a value from one execution to the next (see
    /// `Engine::kept`).
    pub(crate) kept: bool,
    /// Runs of a shard's search that another shard reports (see `Trust::reports_run`).
    pub(crate) unreported: usize,
}

impl Control {
    pub(crate) fn new(
        max_executions: usize,
        deadline: Option<Instant>,
        sink: impl FnMut(Finished) -> bool + 'static,
    ) -> Self {
        Control {
            sink: Box::new(sink),
            max_executions,
            deadline,
            executions: 0,
            stopped: None,
            started: false,
            nondeterminism: None,
            abandoned: 0,
            signatures: None,
            ended: 0,
            weak_seen: false,
            stall_limit: super::stall::DEFAULT_LIMIT,
            spurious: Default::default(),
            shared_executions: None,
            outlived: false,
            kept: false,
            unreported: 0,
        }
    }
}

/// The shuttle scheduler of racelab's runs. Not generic: a strategy is a trait object, so
/// shuttle's runner is compiled once, in racelab, not once per outcome type and strategy in
/// every crate that calls [`crate::check::check`] (which made test binaries slow to build).
struct EngineScheduler {
    engine: Rc<RefCell<Engine>>,
    strategy: Rc<RefCell<dyn Strategy>>,
    control: Rc<RefCell<Control>>,
    /// Reused between decision points, not to allocate at every step.
    views: Vec<View>,
    stall: Stall,
}

impl Scheduler for EngineScheduler {
    fn new_execution(&mut self) -> Option<Schedule> {
        let mut control = self.control.borrow_mut();
        let mut engine = self.engine.borrow_mut();
        let mut strategy = self.strategy.borrow_mut();
        if control.started {
            // A shard runs the search's shared trunk, but only the first reports it.
            let reported = strategy.as_trust().is_none_or(|t| t.reports_run());
            if !reported {
                // Runs a check does not report do not count against its budget.
                control.unreported += 1;
                control.executions = control.executions.saturating_sub(1);
                if let Some(shared) = &control.shared_executions {
                    shared.fetch_sub(1, Ordering::Relaxed);
                }
            }
            let ended = !matches!(engine.ending, Some(RawEnding::Abandoned))
                && (engine.ending.is_some() || engine.returned.is_some());
            if reported && ended {
                control.ended += 1;
                if let Some(signatures) = &mut control.signatures {
                    signatures.insert(engine.graph.signature());
                }
            } else if reported {
                control.abandoned += 1;
            }
            let finished = engine.take_finished();
            if let Some(trust) = strategy.as_trust() {
                trust.end_run(engine.take_graph());
            }
            if reported && !(control.sink)(finished) {
                control.stopped = Some(Stop::Collector);
            }
        }
        control.started = true;
        self.stall.beat();
        control.nondeterminism.clone_from(&engine.nondeterminism);
        control.weak_seen |= engine.weak_seen;
        control.outlived |= engine.outlived;
        control.kept |= engine.kept;
        if control.stopped.is_some() || engine.fatal.is_some() || engine.halted() {
            return None;
        }
        let started = match &control.shared_executions {
            Some(shared) => shared.fetch_add(1, Ordering::Relaxed),
            None => control.executions,
        };
        if started >= control.max_executions {
            control.stopped = Some(Stop::Executions);
            return None;
        }
        if control.deadline.is_some_and(|d| Instant::now() >= d) {
            control.stopped = Some(Stop::Time);
            return None;
        }
        let graph = match strategy.as_trust() {
            Some(trust) => {
                // A worker of a shared search may wait here for another to hand it work.
                self.stall.waiting(true);
                let graph = trust.next_graph();
                self.stall.waiting(false);
                graph?
            }
            None => {
                if !strategy.new_execution() {
                    return None;
                }
                Graph::new()
            }
        };
        control.executions += 1;
        engine.reset(graph);
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        _is_yielding: bool,
    ) -> Option<TaskId> {
        let mut engine = self.engine.borrow_mut();
        let e = &mut *engine;
        let Some(current) = current else {
            e.root = Some(usize::from(runnable[0].id()));
            e.running = None;
            return Some(runnable[0].id());
        };
        let cur = usize::from(current);
        if runnable.iter().any(|t| t.id() == current) && e.is_internal(cur) {
            return Some(current);
        }
        if runnable.iter().any(|t| {
            Some(usize::from(t.id())) != e.root && e.thread_of(usize::from(t.id())).is_none()
        }) {
            panic!(
                "racelab: a thread racelab did not start is running (shuttle::thread or \
                 std::thread inside a check?): use racelab::check::thread"
            );
        }
        if let Some(t) = e.thread_of(cur).filter(|&t| {
            let rt = e.thread(t);
            e.ending.is_none() && !rt.finished && rt.pending.is_none() && !rt.internal
        }) {
            let message = format!(
                "racelab: {} used a primitive racelab does not model (a shuttle or std::sync \
                 primitive?) after its step {}: use racelab::check::sync and \
                 racelab::check::thread instead",
                e.thread(t).name,
                e.steps.iter().filter(|(u, _)| *u == t).count()
            );
            return fatal(e, message);
        }
        let mut strategy = self.strategy.borrow_mut();
        match decide(e, &mut *strategy, &mut self.views) {
            Decision::Thread(t) => {
                e.running = Some(t);
                let rt = e.thread(t);
                self.stall.running(&rt.name, rt.ops, rt.at);
                Some(TaskId::from(rt.task))
            }
            Decision::Root => {
                self.stall.beat();
                e.running = None;
                e.root.map(TaskId::from)
            }
            Decision::End => None,
        }
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

/// Ends the execution and the whole check with `message` (a misuse racelab cannot explore
/// past: it panics with it once shuttle is done).
fn fatal(e: &mut Engine, message: String) -> Option<TaskId> {
    e.fatal.get_or_insert(message);
    e.ending = Some(RawEnding::Abandoned);
    None
}

/// What the body of a check returns, boxed.
pub(crate) type Body = Arc<dyn Fn() -> Box<dyn Any + Send> + Send + Sync>;

/// Runs `body` under `strategy` until the strategy, the budget or the collector stops.
pub(crate) fn run(
    strategy: Rc<RefCell<dyn Strategy>>,
    max_steps: usize,
    control: Rc<RefCell<Control>>,
    body: Body,
) {
    install_quiet_panic_hook();
    let granularity = strategy.borrow().granularity();
    let engine = Rc::new(RefCell::new(Engine::new(granularity, max_steps)));
    engine.borrow_mut().exclusive = control.borrow().shared_executions.is_some();
    engine.borrow_mut().spurious = control.borrow().spurious;
    let stall = Stall::start(control.borrow().stall_limit);
    let scheduler = EngineScheduler {
        engine: Rc::clone(&engine),
        strategy,
        control,
        views: Vec::new(),
        stall,
    };
    let mut config = shuttle::Config::new();
    config.silence_warnings = true;
    config.failure_persistence = shuttle::FailurePersistence::None;
    config.max_steps = shuttle::MaxSteps::None;
    let installed = super::install(Rc::clone(&engine));
    let quiet = Quiet::new();
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        shuttle::Runner::new(scheduler, config).run(move || root(&body));
    }));
    drop(quiet);
    drop(installed);
    if let Some(message) = engine.borrow_mut().fatal.take() {
        panic!("{message}");
    }
    if let Err(payload) = result {
        let message = LAST_PANIC
            .with(|p| p.take())
            .unwrap_or_else(|| panic_message(&*payload));
        if message.starts_with("racelab: ") {
            panic!("{message}");
        }
        panic!("racelab: internal error while exploring: {message}");
    }
}

/// Runs `body` under a plain shuttle `scheduler` (no racelab engine) until it has run
/// `max_executions` executions, `stop` was set, the scheduler ended, or an execution failed
/// (a panic, or a deadlock shuttle found). Panics stay quiet, as in racelab's own runs.
pub(crate) fn run_plain<S: Scheduler + Send + 'static>(
    scheduler: S,
    max_executions: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
    body: impl Fn() + Send + Sync + 'static,
) -> PlainEnd {
    run_plain_erased(Box::new(scheduler), max_executions, stop, Arc::new(body))
}

/// [`run_plain`] without type parameters, so that shuttle's runner is compiled once.
fn run_plain_erased(
    scheduler: Box<dyn Scheduler + Send>,
    max_executions: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
    body: Arc<dyn Fn() + Send + Sync>,
) -> PlainEnd {
    install_quiet_panic_hook();
    let mut config = shuttle::Config::new();
    config.silence_warnings = true;
    config.failure_persistence = shuttle::FailurePersistence::None;
    let switches = Rc::new(Cell::new(0));
    let executions = Rc::new(Cell::new(0));
    let limited = Limited {
        // shuttle's RandomScheduler prints its seed to stderr when it is dropped in the
        // middle of a run (after a failure, or stopped here): racelab reports the failure
        // itself, so the scheduler is never dropped (it holds a few hundred bytes).
        inner: std::mem::ManuallyDrop::new(scheduler),
        left: max_executions,
        last: None,
        switches: Rc::clone(&switches),
        executions: Rc::clone(&executions),
        stop,
    };
    let quiet = Quiet::new();
    let failed = panic::catch_unwind(AssertUnwindSafe(|| {
        shuttle::Runner::new(limited, config).run(move || body());
    }))
    .is_err();
    drop(quiet);
    LAST_PANIC.with(|p| p.take());
    PlainEnd {
        switches: switches.get(),
        executions: executions.get(),
        failed,
    }
}

/// How a [`run_plain`] ended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainEnd {
    /// How many times the last execution's schedule switched tasks.
    pub(crate) switches: usize,
    /// How many executions started.
    pub(crate) executions: usize,
    /// Whether the last execution failed (a panic, or a deadlock shuttle found).
    pub(crate) failed: bool,
}

/// A scheduler that ends after a number of executions, or once `stop` is set, counting
/// each execution's task switches.
struct Limited {
    inner: std::mem::ManuallyDrop<Box<dyn Scheduler + Send>>,
    left: usize,
    last: Option<TaskId>,
    switches: Rc<Cell<usize>>,
    executions: Rc<Cell<usize>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Scheduler for Limited {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.left == 0 || self.stop.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        self.left -= 1;
        self.last = None;
        self.switches.set(0);
        let schedule = self.inner.new_execution();
        if schedule.is_some() {
            self.executions.set(self.executions.get() + 1);
        }
        schedule
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let next = self.inner.next_task(runnable, current, is_yielding);
        if let (Some(last), Some(next)) = (self.last, next) {
            if last != next {
                self.switches.set(self.switches.get() + 1);
            }
        }
        self.last = next.or(self.last);
        next
    }

    fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}

/// The root task: spawns the body as `main`, then waits until every thread has finished.
fn root(body: &Body) {
    let body = Arc::clone(body);
    let main = super::spawn::start(
        0,
        None,
        super::spawn::STACK_SIZE,
        None,
        None,
        Box::new(move || {
            let value = body();
            super::with_engine(|e| e.returned = Some(value));
        }),
    );
    super::with_engine(|e| e.root_internal = false);
    while !super::with_engine(|e| e.all_finished()).unwrap_or(true) {
        shuttle_engine::runtime::thread::switch();
    }
    let _ = super::internal(|| main.join());
}
