//! How an execution ended, before its outcome is judged.

use std::any::Any;
use std::sync::Arc;

use super::trace::Event;
use crate::check::report::Blocked;

/// How an execution ended, before the outcome is judged.
pub(crate) enum RawEnding {
    /// The body returned this (a `Box` of the outcome type).
    Returned(Box<dyn Any + Send>),
    /// No thread could go on.
    Deadlock(Vec<Blocked>),
    /// `main` returned this, and the other threads that had not finished could never go on.
    LeftBlocked(Box<dyn Any + Send>, Vec<Blocked>),
    /// A thread panicked.
    Panicked { thread: usize, message: String },
    /// Two accesses of a cell, one of them `thread`'s, raced (see `rt::race`).
    DataRace { thread: usize, message: String },
    /// More steps than the limit: a livelock or an endless loop.
    StepLimit(usize),
    /// Nothing else could run while a thread waited at its limit of wake-ups without a
    /// notify (`Check::wakeups_without_notify`, this limit): cut (see `rt::timeout`).
    WakeupLimit(u32),
    /// No outcome: the strategy stopped the execution (it could only repeat what was
    /// explored, a replay could not go on), or it was found redundant.
    Abandoned,
}

/// A spawned thread's panic that did not end the execution (see `rt::spawn`): `join` hands
/// it to whoever joins the thread, as `Err`.
#[derive(Debug, Clone)]
pub(crate) struct ThreadPanic {
    pub(crate) thread: usize,
    pub(crate) message: String,
    /// A `join` of the thread returned it.
    pub(crate) observed: bool,
}

/// A finished execution, handed to the collector.
pub(crate) struct Finished {
    pub(crate) ending: RawEnding,
    pub(crate) trace: Vec<Event>,
    pub(crate) threads: Vec<Arc<str>>,
}
