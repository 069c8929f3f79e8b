//! Marked steps: names for what the operations of a trace mean (`read 0`, `put #1`), and a
//! note of what a thread waits for.
//!
//! Marks change nothing about what is explored by default: every operation of
//! [`crate::check::sync`] is a switch point whether or not it is marked. Only a check that
//! declares all its shared state marked ([`crate::check::Search::MarkedSteps`], as racelab's
//! own scenarios do) switches threads at marks alone, which gives the exact step-level counts
//! of the teaching tables.

use super::rt::engine::Granularity;
use super::rt::op::Op;
use super::rt::{self};
use crate::step::Step;

/// Runs `operation` as one marked step: the step it returns is recorded right after it.
pub fn step<R>(operation: impl FnOnce() -> (R, Step)) -> R {
    before_step();
    let (result, step) = operation();
    record(step);
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

/// Records `step` as taken by the running thread (outside a check: does nothing).
pub fn record(step: Step) {
    rt::with_engine(|e| e.mark(step));
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
