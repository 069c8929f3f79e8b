//! Marked steps: names for what the operations of a trace mean (`read 0`, `put #1`), and a
//! note of what a thread waits for.
//!
//! Marks change nothing about what is explored by default: every operation of
//! [`crate::check::sync`] is a switch point whether or not it is marked. Only a check that
//! declares all its shared state marked ([`crate::check::Search::MarkedSteps`], as racelab's
//! own scenarios do) switches threads at marks alone, which gives the exact step-level counts
//! of the teaching tables.

use std::fmt;
use std::hash::{Hash, Hasher};

use super::rt::engine::Granularity;
use super::rt::op::Op;
use super::rt::{self};

/// A marked step: a name for what some operations mean — its kind (`"read"`, `"acquire"`),
/// an optional name (the lock's) and an optional number (the value read). Two marks are
/// equal when their kind, name and number are; how a mark reads in a trace can be given
/// ([`Mark::shown`]), so that a vocabulary of its own (the tutorial's, say) prints as it
/// wants.
#[derive(Clone, Copy)]
pub struct Mark {
    kind: &'static str,
    name: Option<&'static str>,
    value: Option<usize>,
    show: fn(&Mark, &mut fmt::Formatter<'_>) -> fmt::Result,
}

impl Mark {
    /// A mark of kind `kind`, shown as its kind, name and number.
    pub const fn new(kind: &'static str) -> Self {
        Mark {
            kind,
            name: None,
            value: None,
            show: Mark::plain,
        }
    }

    /// With a name (the lock's, the condition variable's).
    pub const fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    /// With a number (the value read, a ticket).
    pub const fn with_value(mut self, value: usize) -> Self {
        self.value = Some(value);
        self
    }

    /// Shown in traces by `show` instead.
    pub const fn shown(mut self, show: fn(&Mark, &mut fmt::Formatter<'_>) -> fmt::Result) -> Self {
        self.show = show;
        self
    }

    /// Its kind.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Its name, if it has one.
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// Its number, if it has one.
    pub fn value(&self) -> Option<usize> {
        self.value
    }

    fn plain(m: &Mark, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(m.kind)?;
        if let Some(name) = m.name {
            write!(f, " {name}")?;
        }
        if let Some(value) = m.value {
            write!(f, " {value}")?;
        }
        Ok(())
    }

    fn key(&self) -> (&'static str, Option<&'static str>, Option<usize>) {
        (self.kind, self.name, self.value)
    }
}

impl PartialEq for Mark {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Mark {}

impl Hash for Mark {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Mark {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Mark {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.show)(self, f)
    }
}

impl fmt::Debug for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mark({self})")
    }
}

/// Runs `operation` as one marked step: the mark it returns is recorded right after it.
pub fn step<R>(operation: impl FnOnce() -> (R, Mark)) -> R {
    before_step();
    let (result, mark) = operation();
    record(mark);
    result
}

/// Right before a marked step: where a check that switches only at marks may switch.
pub fn before_step() {
    let at_marks =
        rt::with_engine(|e| e.granularity == Granularity::Marks && !e.marks_off).unwrap_or(false);
    if at_marks {
        rt::op(Op::MarkPoint);
    }
}

/// What the running thread's next marked step will do to a lock, as far as an explorer that
/// switches at marks may rely on it (see [`intend`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    /// Wait while the lock numbered so is held, then take it: its next `Acquire` mark.
    Acquire(u64),
    /// Release the lock numbered so: its next `Release` mark.
    Release(u64),
}

/// Declares what the running thread's next marked step does to a lock. With it the engine
/// knows which locks are held (an `Acquire` mark after an `Acquire` intent takes the lock,
/// a `Release` mark after a `Release` intent frees it), and an explorer that prunes blocked
/// choices skips a thread that would only wait for a held lock.
pub(crate) fn intend(intent: Intent) {
    rt::with_engine(|e| e.intend(intent));
}

/// Records `mark` as taken by the running thread (outside a check: does nothing).
pub fn record(mark: Mark) {
    rt::with_engine(|e| e.mark(mark));
}

/// Marks end here for the rest of the execution: no more marked steps are recorded, and a
/// check that switches only at marks no longer switches at them (the part of a program
/// that only tears down what it showed).
pub fn end_of_lesson() {
    rt::with_engine(|e| e.marks_off = true);
}

/// The running thread will take no more marked steps (replays use it to tell "no steps
/// left" from "blocked").
pub fn done() {
    rt::with_engine(|e| e.done_marking());
}

/// Says what the running thread is about to wait for (`join with 2 unfinished tasks`): shown
/// next to it if the execution deadlocks while it waits.
pub fn waiting_for(note: impl Into<String>) {
    let note = note.into();
    rt::with_engine(|e| e.note(Some(note)));
}
