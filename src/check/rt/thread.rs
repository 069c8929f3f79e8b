//! What the runtime keeps for each thread of the execution: its pending operation and how
//! much of it was taken, where it is in a spin loop, what it said about its marks.

use std::sync::Arc;

use super::graph::{Ev, FREE, Graph, Loc, Ord, ReadKind, Tid, WriteKind};
use super::objects::ObjMeta;
use super::op::{Done, Obj, Op};
use super::timeout::Timeouts;

/// One thread of the execution.
#[derive(Debug)]
pub(crate) struct ThreadRt {
    /// shuttle's task number.
    pub(crate) task: usize,
    pub(crate) name: Arc<str>,
    /// The operation it waits to take, half taken if a replay stopped in its middle.
    pub(crate) pending: Option<Pending>,
    /// It is inside racelab's own call into shuttle (a spawn, a join): it keeps running.
    pub(crate) internal: bool,
    /// Its last step was taken.
    pub(crate) finished: bool,
    /// It said it has no more marked steps to take.
    pub(crate) done_marking: bool,
    /// What it said it waits for, before blocking (`join with 2 unfinished tasks`).
    pub(crate) note: Option<String>,
    /// What its next marked step does to a lock, if it said so.
    pub(crate) intent: Option<Intent>,
    /// Where it is in a spin loop.
    pub(crate) spin: Spin,
    /// Its last timed waits that timed out (see [`Timeouts`]).
    pub(crate) timeouts: Timeouts,
    /// The result of its last operation, for the primitive that declared it.
    pub(crate) done: Option<Done>,
    /// The spawn event that created it (`None` for `main`).
    pub(crate) spawn: Option<Ev>,
    /// Operations it declared so far, and where the last one was called (for the
    /// watchdog's message, see `super::stall`).
    pub(crate) ops: usize,
    pub(crate) at: Option<&'static std::panic::Location<'static>>,
    /// While it unwound a panic, an operation of the model (a guard's release, a cell
    /// access) was skipped: a thread cannot switch while it unwinds. The model then no
    /// longer matches what the thread did, so its panic ends the execution.
    pub(crate) skipped_unwinding: bool,
    /// What the guards it dropped while it unwound a panic would have done, in that order:
    /// taken as its next steps once it stops unwinding (see `super::defer_unlock`).
    pub(crate) deferred: Vec<Deferred>,
}

/// A guard's release, deferred while its thread unwinds a panic.
pub(crate) enum Deferred {
    /// The release of a `Mutex` (its bookkeeping copied, as the mutex may be dropped
    /// further up the unwinding; boxed, so that it stays where the operation saw it).
    Unlock(Box<ObjMeta>),
    /// The release of a primitive built on racelab's `Mutex` and `Condvar` (an `RwLock`),
    /// which takes several operations. `owner` is the address of what `run` uses: dropping
    /// it cancels the action (see `super::cancel_deferred`), so `run` never outlives it.
    Action {
        owner: usize,
        run: Box<dyn FnOnce()>,
    },
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deferred::Unlock(meta) => f.debug_tuple("Unlock").field(meta).finish(),
            Deferred::Action { owner, .. } => write!(f, "Action {{ owner: {owner:#x} }}"),
        }
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

/// Where a thread is in a spin loop.
#[derive(Debug, Default, Clone)]
pub(crate) struct Spin {
    /// It waits for a write, added after stamp `since`, to one of `locs`.
    pub(crate) waiting: Option<(Vec<Loc>, u32)>,
    /// Nothing else could run, so it was let go without a change.
    pub(crate) let_go: bool,
}

impl Spin {
    /// Whether it waits for a change that has not come.
    pub(crate) fn blocked(&self, g: &Graph) -> bool {
        match &self.waiting {
            Some((locs, since)) if !self.let_go => !locs
                .iter()
                .any(|&l| g.co(l).iter().any(|&w| g.stamp(w) > *since)),
            _ => false,
        }
    }

    /// What it waits to change, if it waits.
    pub(crate) fn locs(&self) -> Option<&[Loc]> {
        self.waiting.as_ref().map(|(locs, _)| locs.as_slice())
    }

    /// Lets it go once although nothing changed.
    pub(crate) fn let_go(&mut self) {
        self.let_go = true;
    }
}

/// One step of an operation, before it is bound to locations.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    Start,
    Spawn,
    Finish,
    Join(Tid),
    Fence(Ord),
    Yield,
    Wake {
        cv: Obj,
    },
    Read {
        obj: Obj,
        ord: Ord,
        kind: ReadKind,
    },
    Write {
        obj: Obj,
        ord: Ord,
        value: u64,
        kind: WriteKind,
    },
}

/// A thread's pending operation and how much of it was taken.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) op: Op,
    pub(crate) steps: Vec<Part>,
    pub(crate) applied: usize,
    pub(crate) done: Done,
    /// The first graph event of the operation, once its first step was taken.
    pub(crate) first: Option<Ev>,
    /// Waiters a notify found.
    pub(crate) waiters: u32,
    /// A lock whose read was added although the mutex was held (when nothing else could
    /// run, so that the search can try taking the mutex earlier): the thread waits forever.
    pub(crate) blocked: bool,
}

impl Pending {
    pub(crate) fn new(op: Op, _t: Tid, _g: &Graph) -> Self {
        use Part::*;
        let steps = match &op {
            Op::Start => vec![Start],
            Op::Finish { flag: None } => vec![Finish],
            Op::Finish { flag: Some(flag) } => vec![
                Write {
                    obj: *flag,
                    ord: Ord::Release,
                    value: 1,
                    kind: WriteKind::Store,
                },
                Finish,
            ],
            Op::IsFinished { flag, .. } => vec![Read {
                obj: *flag,
                ord: Ord::Relaxed,
                kind: ReadKind::Load,
            }],
            Op::Spawn { .. } => vec![Spawn],
            Op::Join { thread } => vec![Join(*thread as Tid)],
            Op::Load { obj, ord } => vec![Read {
                obj: *obj,
                ord: *ord,
                kind: ReadKind::Load,
            }],
            Op::Store { obj, ord, value } => vec![Write {
                obj: *obj,
                ord: *ord,
                value: *value,
                kind: WriteKind::Store,
            }],
            Op::Rmw { obj, ord, rmw } => vec![Read {
                obj: *obj,
                ord: *ord,
                kind: ReadKind::Rmw(*rmw),
            }],
            Op::Cas {
                obj,
                success,
                failure,
                expected,
                new,
                spurious_limit,
                ..
            } => vec![Read {
                obj: *obj,
                ord: *success,
                kind: ReadKind::Cas {
                    expected: *expected,
                    new: *new,
                    failure: *failure,
                    spurious_limit: *spurious_limit,
                    spurious: false,
                },
            }],
            Op::Fence { ord } => vec![Fence(*ord)],
            Op::Lock { mutex } => vec![Read {
                obj: *mutex,
                ord: Ord::Acquire,
                kind: ReadKind::Lock,
            }],
            Op::TryLock { mutex } => vec![Read {
                obj: *mutex,
                ord: Ord::Acquire,
                kind: ReadKind::TryLock,
            }],
            Op::Unlock { mutex } => vec![unlock(*mutex)],
            Op::Wait { cv, mutex } => vec![
                Read {
                    obj: *cv,
                    ord: Ord::SeqCst,
                    kind: ReadKind::WaitRegister,
                },
                unlock(*mutex),
            ],
            Op::Wake { cv, .. } => vec![Wake { cv: *cv }],
            // Clears the thread's bit in the waiter set: it still was a waiter (the timeout
            // fired first) if the bit was set.
            Op::TimedWake { cv, spurious, .. } => vec![Read {
                obj: *cv,
                ord: Ord::SeqCst,
                kind: ReadKind::TimedWake {
                    spurious: *spurious,
                    forever: false,
                },
            }],
            Op::Notify { cv, all } => vec![Read {
                obj: *cv,
                ord: Ord::SeqCst,
                kind: ReadKind::Notify { all: *all },
            }],
            Op::Yield => vec![Yield],
            Op::Sleep | Op::MarkPoint => vec![],
        };
        Pending {
            op,
            steps,
            applied: 0,
            done: Done::default(),
            first: None,
            waiters: 0,
            blocked: false,
        }
    }

    /// Whether some of its steps were taken and some were not.
    pub(crate) fn half_taken(&self) -> bool {
        self.applied > 0 && self.applied < self.steps.len()
    }

    pub(crate) fn complete(&self) -> bool {
        self.applied == self.steps.len()
    }
}

fn unlock(mutex: Obj) -> Part {
    Part::Write {
        obj: mutex,
        ord: Ord::Release,
        value: FREE,
        kind: WriteKind::Unlock,
    }
}
