//! Ready-made specifications: racelab's own `TaskQueue` and `Lock` (the std build, run one
//! operation at a time) as the sequential truth, and the operations to generate.
//!
//! A specification must be cloned while the checker searches for an order, and a queue or
//! a lock holds a mutex: each spec keeps the operations applied so far and clones by
//! replaying them on a fresh object.

use std::fmt;

use proptest::prelude::*;

use crate::check::linearizability::Spec;
use crate::error::{LockError, QueueError};

/// An operation on a `queue.Queue`-like queue of small numbers, none of which waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueOp {
    /// `put_nowait(v)`.
    Put(u8),
    /// `get_nowait()`.
    GetNowait,
    /// `qsize()`.
    Qsize,
    /// `task_done()`.
    TaskDone,
}

/// What a [`QueueOp`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueRet {
    /// `put_nowait`'s result.
    Put(Result<(), QueueError>),
    /// `get_nowait`'s result.
    Got(Result<u8, QueueError>),
    /// `qsize`'s result.
    Size(usize),
    /// `task_done`'s result.
    Done(Result<(), QueueError>),
}

/// Runs a [`QueueOp`] on any of racelab's `TaskQueue`s (std, loom or checker build).
macro_rules! apply_queue {
    ($queue:expr, $op:expr) => {
        match $op {
            QueueOp::Put(v) => QueueRet::Put($queue.put_nowait(*v).map_err(|r| r.error)),
            QueueOp::GetNowait => QueueRet::Got($queue.get_nowait()),
            QueueOp::Qsize => QueueRet::Size($queue.qsize()),
            QueueOp::TaskDone => QueueRet::Done($queue.task_done()),
        }
    };
}

impl QueueOp {
    /// Runs this operation on racelab's `TaskQueue` built for checking.
    pub fn apply_to(&self, queue: &crate::checked::queue::TaskQueue<u8>) -> QueueRet {
        apply_queue!(queue, self)
    }

    /// Generates operations: puts of 0..3, gets, sizes, `task_done`s.
    pub fn strategy() -> impl Strategy<Value = QueueOp> + Clone {
        prop_oneof![
            3 => (0u8..3).prop_map(QueueOp::Put),
            3 => Just(QueueOp::GetNowait),
            1 => Just(QueueOp::Qsize),
            1 => Just(QueueOp::TaskDone),
        ]
    }
}

/// `queue.Queue`'s sequential semantics: racelab's std [`TaskQueue`](crate::queue::TaskQueue).
#[derive(Default)]
pub struct QueueSpec {
    maxsize: isize,
    applied: Vec<QueueOp>,
    queue: crate::queue::TaskQueue<u8>,
}

impl QueueSpec {
    /// A queue holding at most `maxsize` items (`<= 0`: unbounded).
    pub fn bounded(maxsize: isize) -> Self {
        QueueSpec {
            maxsize,
            applied: Vec::new(),
            queue: crate::queue::TaskQueue::new(maxsize),
        }
    }
}

impl Clone for QueueSpec {
    fn clone(&self) -> Self {
        let mut copy = QueueSpec::bounded(self.maxsize);
        for op in &self.applied {
            copy.apply(op);
        }
        copy
    }
}

impl fmt::Debug for QueueSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue.Queue({})", self.maxsize.max(0))
    }
}

impl Spec for QueueSpec {
    type Op = QueueOp;
    type Ret = QueueRet;

    fn apply(&mut self, op: &QueueOp) -> QueueRet {
        self.applied.push(*op);
        apply_queue!(self.queue, op)
    }
}

/// An operation on a Python-style lock, none of which waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockOp {
    /// `acquire(blocking=False)`.
    TryAcquire,
    /// `release()`.
    Release,
    /// `locked()`.
    Locked,
}

/// What a [`LockOp`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockRet {
    /// Whether the lock was taken / is held.
    Bool(bool),
    /// `release`'s result.
    Released(Result<(), LockError>),
}

macro_rules! apply_lock {
    ($lock:expr, $op:expr) => {
        match $op {
            LockOp::TryAcquire => LockRet::Bool($lock.try_acquire()),
            LockOp::Release => LockRet::Released($lock.release()),
            LockOp::Locked => LockRet::Bool($lock.locked()),
        }
    };
}

impl LockOp {
    /// Runs this operation on racelab's `Lock` built for checking.
    pub fn apply_to(&self, lock: &crate::checked::lock::Lock) -> LockRet {
        apply_lock!(lock, self)
    }

    /// Generates operations: tries, releases, `locked()`.
    pub fn strategy() -> impl Strategy<Value = LockOp> + Clone {
        prop_oneof![
            2 => Just(LockOp::TryAcquire),
            2 => Just(LockOp::Release),
            1 => Just(LockOp::Locked),
        ]
    }
}

/// `threading.Lock`'s sequential semantics: racelab's std [`Lock`](crate::lock::Lock).
#[derive(Default)]
pub struct LockSpec {
    applied: Vec<LockOp>,
    lock: crate::lock::Lock,
}

impl Clone for LockSpec {
    fn clone(&self) -> Self {
        let mut copy = LockSpec::default();
        for op in &self.applied {
            copy.apply(op);
        }
        copy
    }
}

impl fmt::Debug for LockSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("threading.Lock()")
    }
}

impl Spec for LockSpec {
    type Op = LockOp;
    type Ret = LockRet;

    fn apply(&mut self, op: &LockOp) -> LockRet {
        self.applied.push(*op);
        apply_lock!(self.lock, op)
    }
}
