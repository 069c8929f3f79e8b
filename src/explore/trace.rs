//! Recording the interleaving: which thread took which [`Step`], in order.
//!
//! Under shuttle exactly one thread runs at a time, so appending each step to one list as
//! it happens yields the interleaving itself. Threads are numbered as shuttle numbers its
//! tasks: the main thread is 0, the spawned ones 1, 2, ... in spawn order, which the
//! scenarios name `Thread1`, `Thread2`, ...

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::step::{Observe, Observer, Step};

/// One step taken by one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    /// The thread: 1 for `Thread1`, ... (0 would be the main thread).
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
    finished: Arc<Mutex<Vec<usize>>>,
    switching: bool,
    /// A helper task (the explorer's watchdog) that is not a scenario thread: tasks after
    /// it are numbered one lower, so scenario threads are still 1, 2, ...
    helper_task: Option<usize>,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("events", &self.events.lock().map(|e| e.len()).ok())
            .field("switching", &self.switching)
            .finish()
    }
}

impl Recorder {
    /// A recorder that only records.
    pub fn new() -> Self {
        Recorder::default()
    }

    /// A recorder that also yields before every step, so that a scheduler may switch
    /// threads at exactly the points a learner sees.
    pub fn switching() -> Self {
        Recorder {
            switching: true,
            ..Recorder::default()
        }
    }

    /// Like [`switching`](Self::switching), for executions in which task `helper` is not a
    /// scenario thread (see [`crate::explore::engine`]).
    pub fn switching_around(helper: usize) -> Self {
        Recorder {
            switching: true,
            helper_task: Some(helper),
            ..Recorder::default()
        }
    }

    /// The scenario thread number of shuttle task `task` (0 is main).
    pub fn thread_of(&self, task: usize) -> usize {
        match self.helper_task {
            Some(helper) if task > helper => task - 1,
            _ => task,
        }
    }

    /// The scenario thread number of the running shuttle task.
    pub fn current_thread(&self) -> usize {
        let task = shuttle::current::get_current_task().map_or(0, usize::from);
        self.thread_of(task)
    }

    /// About to take a step: yields, if switching, so that a scheduler can decide who
    /// takes the next step.
    pub fn before_step(&self) {
        if self.switching {
            shuttle::thread::yield_now();
        }
    }

    /// Records `step` as taken by the running thread.
    pub fn record(&self, step: Step) {
        let thread = self.current_thread();
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Event { thread, step });
    }

    /// [`before_step`](Self::before_step), then `operation`, then records the step it
    /// returns: for learner code that takes steps of its own.
    pub fn step<R>(&self, operation: impl FnOnce() -> (R, Step)) -> R {
        self.before_step();
        let (result, step) = operation();
        self.record(step);
        result
    }

    /// Notes that the running thread has finished its work (not a step).
    pub fn finish(&self) {
        let thread = self.current_thread();
        self.finished
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(thread);
    }

    /// Whether thread `thread` called [`finish`](Self::finish).
    pub fn is_finished(&self, thread: usize) -> bool {
        self.finished
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&thread)
    }

    /// How many steps were recorded so far.
    pub fn len(&self) -> usize {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no step was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the steps recorded so far.
    pub fn snapshot(&self) -> Vec<Event> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets everything recorded (steps and finished threads).
    pub fn clear(&self) {
        self.take();
        self.finished
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The observer to attach to the core's objects. Must be called from inside a shuttle
    /// execution when steps are reported.
    pub fn observer(&self) -> Observer {
        Arc::new(self.clone())
    }

    /// The events recorded so far, leaving the recorder empty.
    pub fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Observe for Recorder {
    fn before_step(&self) {
        Recorder::before_step(self);
    }

    fn step(&self, step: Step) {
        self.record(step);
    }
}
