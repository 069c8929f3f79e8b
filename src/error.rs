//! Error types shared by every backend's instance of the core.
//!
//! Each Python exception of `threading.Lock` and `queue.Queue` maps to one variant, so a
//! test (or a learner) can match on exactly what went wrong. Nothing in the core panics on
//! misuse: misuse is an `Err`.

use thiserror::Error;

/// What can go wrong with a [`Lock`](crate::lock::Lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum LockError {
    /// `release()` on a lock nobody holds (Python: `RuntimeError: release unlocked lock`).
    #[error("release unlocked lock")]
    ReleaseUnlocked,
    /// A non-blocking acquire was given a timeout (Python: `ValueError`).
    #[error("can't specify a timeout for a non-blocking call")]
    TimeoutWithoutBlocking,
    /// A timeout below zero other than `-1`, Python's "wait forever" (Python: `ValueError`).
    #[error("timeout value must be a non-negative number")]
    NegativeTimeout,
    /// A timeout too large to add to the clock (Python: `OverflowError`).
    #[error("timeout is too large for this platform's clock")]
    TimeoutOverflow,
}

/// What can go wrong with a [`TaskQueue`](crate::queue::TaskQueue).
///
/// `Full` and `Empty` are the answers of calls that would have had to wait (non-blocking
/// or out of time), as Python's `queue.Full` / `queue.Empty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Error)]
pub enum QueueError {
    /// A `put` that could not wait found the queue full (Python: `queue.Full`).
    #[error("the queue is full")]
    Full,
    /// A `get` that could not wait found the queue empty (Python: `queue.Empty`).
    #[error("the queue is empty")]
    Empty,
    /// The queue was shut down: no more puts, and gets fail once it is drained
    /// (Python 3.13: `queue.ShutDown`).
    #[error("the queue is shut down")]
    ShutDown,
    /// More `task_done` calls than items ever put (Python: `ValueError`).
    #[error("task_done() called too many times")]
    TaskDoneTooManyTimes,
    /// A negative (or NaN) timeout for a call that would wait (Python: `ValueError`).
    #[error("'timeout' must be a non-negative number")]
    NegativeTimeout,
}

/// A `put` that failed, with the item handed back so that nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}")]
pub struct Rejected<T> {
    /// Why the item was not queued.
    pub error: QueueError,
    /// The item, returned to the caller.
    pub item: T,
}

impl<T> From<Rejected<T>> for QueueError {
    fn from(rejected: Rejected<T>) -> Self {
        rejected.error
    }
}

/// A worker's handler panicked while handling a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerPanic {
    /// The worker's name (`Thread1`, `Thread2`, ...).
    pub worker: String,
    /// The panic message, when it was a string.
    pub message: String,
}

/// What a [`WorkerPool`](crate::pool::WorkerPool) reports instead of hanging.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PoolError {
    /// One or more handlers panicked. Their tasks were still marked done, so `join`
    /// returned; Python's pool would have hung in `join` forever.
    #[error("{} task(s) panicked: {}", .0.len(), describe(.0))]
    HandlerPanicked(Vec<WorkerPanic>),
    /// A worker thread itself died outside a handler (should not happen).
    #[error("worker {0} died unexpectedly")]
    WorkerDied(String),
}

fn describe(panics: &[WorkerPanic]) -> String {
    panics
        .iter()
        .map(|p| format!("{}: {}", p.worker, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}
