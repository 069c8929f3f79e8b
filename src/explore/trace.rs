//! Recording the interleaving: which thread took which [`Step`], in order.
//!
//! Under shuttle exactly one thread runs at a time, so appending each step to one list as
//! it happens yields the interleaving itself. Threads are numbered as shuttle numbers its
//! tasks: the main thread is 0, the spawned ones 1, 2, ... in spawn order, which the
//! scenarios name `Thread1`, `Thread2`, ...

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::step::{Observer, Step};

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
        write!(f, "Thread{}: {}", self.thread, self.step)
    }
}

/// Collects the [`Event`]s of one execution (see the module docs).
#[derive(Clone, Default)]
pub struct Recorder {
    events: Arc<Mutex<Vec<Event>>>,
    switch_after_step: bool,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("events", &self.events.lock().map(|e| e.len()).ok())
            .field("switch_after_step", &self.switch_after_step)
            .finish()
    }
}

impl Recorder {
    /// A recorder that only records.
    pub fn new() -> Self {
        Recorder::default()
    }

    /// A recorder that also yields after every step, so that a scheduler may switch
    /// threads at exactly the points a learner sees.
    pub fn switching() -> Self {
        Recorder {
            switch_after_step: true,
            ..Recorder::default()
        }
    }

    /// The observer to attach to the core's objects. Must be called from inside a shuttle
    /// execution when steps are reported.
    pub fn observer(&self) -> Observer {
        let events = Arc::clone(&self.events);
        let switch = self.switch_after_step;
        Arc::new(move |step| {
            let thread = shuttle::current::get_current_task().map_or(0, usize::from);
            events
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Event { thread, step });
            if switch {
                shuttle::thread::yield_now();
            }
        })
    }

    /// The events recorded so far, leaving the recorder empty.
    pub fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
