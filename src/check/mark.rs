//! Marked steps: names for what the operations of a trace mean (`read 0`, `put #1`), and a
//! note of what a thread waits for.
//!
//! Marks change nothing about what is explored by default: every operation of
//! [`crate::check::sync`] is a switch point whether or not it is marked. Only a check that
//! declares all its shared state marked ([`crate::check::Search::MarkedSteps`], as racelab's
//! own scenarios do) switches threads at marks alone, which gives the exact step-level counts
//! of the teaching tables.

pub use super::rt::trace::Mark;

use super::rt::op::Op;
use super::rt::strategy::Granularity;
pub(crate) use super::rt::thread::Intent;
use super::rt::{self};

/// Runs `operation` as one marked step: the mark it returns is recorded right after it.
pub fn step<R>(operation: impl FnOnce() -> (R, Mark)) -> R {
    before_step();
    let (result, mark) = operation();
    record(mark);
    result
}

/// Right before a marked step: where a check that switches only at marks may switch.
#[track_caller]
pub fn before_step() {
    let at_marks =
        rt::with_engine(|e| e.granularity == Granularity::Marks && !e.marks_off).unwrap_or(false);
    if at_marks {
        rt::op(Op::MarkPoint);
    }
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
