//! Recording the interleaving: which thread took which [`Step`], in order.
//!
//! Under a racelab check the steps go to the engine, which keeps them in the trace of every
//! execution next to the operations (see [`crate::check::step`]). Under a plain shuttle
//! scheduler (`shuttle::check_random`, a proptest-chosen schedule) the recorder keeps them
//! itself: only one thread runs at a time, so appending each step to one list as it happens
//! yields the interleaving. Threads are then numbered as shuttle numbers its tasks: the main
//! thread is 0, the spawned ones 1, 2, ... in spawn order, which the scenarios name
//! `Thread1`, `Thread2`, ...

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::check::mark::{self, Mark};
use crate::step::{Observe, Observer, Step};

/// The checker's mark of a tutorial step (the checker has no vocabulary of its own: a mark
/// is a kind, a name and a number; this one prints as the step does).
pub fn mark_of(step: Step) -> Mark {
    let mark = Mark::new(step.kind());
    let mark = match step {
        Step::Acquire(name)
        | Step::Release(name)
        | Step::Wait(name)
        | Step::Notify(name)
        | Step::NotifyAll(name)
        | Step::Wake(name)
        | Step::Store(name, _)
        | Step::Load(name, _) => mark.named(name),
        _ => mark,
    };
    let mark = match step.value() {
        Some(v) => mark.with_value(v),
        None => mark,
    };
    mark.shown(|m, f| match step_of(m) {
        Some(step) => write!(f, "{step}"),
        None => write!(f, "{}", m.kind()),
    })
}

/// The tutorial step a mark stands for, if it stands for one (the converse of
/// [`mark_of`]; the condition variables' marks the engine makes itself decode too).
pub fn step_of(mark: &Mark) -> Option<Step> {
    let name = || mark.name();
    let value = || mark.value();
    Some(match mark.kind() {
        "read" => Step::Read(value()?),
        "write" => Step::Write(value()?),
        "fetch_add" => Step::FetchAdd(value()?),
        "acquire" => Step::Acquire(name()?),
        "release" => Step::Release(name()?),
        "put" => Step::Put(value()?),
        "get" => Step::Get(value()?),
        "task_done" => Step::TaskDone,
        "handle" => Step::Handle(value()?),
        "join_returned" => Step::Joined,
        "got_nothing" => Step::GotNothing,
        "wait" => Step::Wait(name()?),
        "notify" => Step::Notify(name()?),
        "notify_all" => Step::NotifyAll(name()?),
        "wake" => Step::Wake(name()?),
        "store" => Step::Store(name()?, value()?),
        "load" => Step::Load(name()?, value()?),
        "initialise" => Step::Initialise,
        "send" => Step::Send(value()?),
        "recv" => Step::Recv(value()?),
        _ => return None,
    })
}

/// One step taken by one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    /// The thread: 1 for `Thread1`, ... (0 is the main thread).
    pub thread: usize,
    /// What it did.
    pub step: Step,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.thread {
            0 => write!(f, "main: {}", self.step),
            t => write!(f, "Thread{t}: {}", self.step),
        }
    }
}

/// Collects the [`Event`]s of one execution (see the module docs).
#[derive(Clone, Default)]
pub struct Recorder {
    events: Arc<Mutex<Vec<Event>>>,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("events", &self.events.lock().map(|e| e.len()).ok())
            .finish()
    }
}

impl Recorder {
    /// A recorder with no steps yet.
    pub fn new() -> Self {
        Recorder::default()
    }

    /// The number of the running shuttle task (0 is main), for plain shuttle schedulers.
    fn current_task() -> usize {
        shuttle::current::get_current_task().map_or(0, usize::from)
    }

    /// About to take a step: under a check that switches only at marked steps, the point
    /// where another thread may take the next step.
    pub fn before_step(&self) {
        mark::before_step();
    }

    /// Records `step` as taken by the running thread.
    pub fn record(&self, step: Step) {
        if crate::check::rt::has_engine() {
            mark::record(mark_of(step));
        } else {
            let thread = Recorder::current_task();
            self.events
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Event { thread, step });
        }
    }

    /// [`before_step`](Self::before_step), then `operation`, then records the step it
    /// returns: for learner code that takes steps of its own.
    pub fn step<R>(&self, operation: impl FnOnce() -> (R, Step)) -> R {
        self.before_step();
        let (result, step) = operation();
        self.record(step);
        result
    }

    /// What the scenario shows is over (`join` returned): what follows — stopping the
    /// workers — is run without being explored step by step or recorded.
    pub fn end_of_lesson(&self) {
        mark::end_of_lesson();
    }

    /// Notes that the running thread has taken its last step (under racelab's engine; a
    /// plain shuttle scheduler has nothing to note).
    pub fn finish(&self) {
        if crate::check::rt::has_engine() {
            mark::done();
        }
    }

    /// How many steps this recorder kept (plain shuttle schedulers).
    pub fn len(&self) -> usize {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether it kept no step.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The steps kept so far, leaving the recorder empty.
    pub fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The observer to attach to the core's objects.
    pub fn observer(&self) -> Observer {
        Arc::new(self.clone())
    }
}

impl Observe for Recorder {
    fn before_step(&self) {
        Recorder::before_step(self);
    }

    fn before_acquire(&self, lock: u64) {
        mark::intend(mark::Intent::Acquire(lock));
        Recorder::before_step(self);
    }

    fn before_release(&self, lock: u64) {
        mark::intend(mark::Intent::Release(lock));
        Recorder::before_step(self);
    }

    fn step(&self, step: Step) {
        self.record(step);
    }
}
