//! Operations: what a thread is about to do at a switch point.
//!
//! Every racelab primitive *declares* its operation right before its switch point
//! ([`crate::check::rt::op`]); the runtime then decides when it happens and performs it on
//! the execution graph ([`super::graph`]): an operation is one or more graph events (a
//! `fetch_add` is a read and its write part, a `Condvar::wait` registers as a waiter and
//! releases the mutex). The primitive reads the [`Done`] result when its thread runs again.
//!
//! **The dependency table.** Two operations *conflict* when their order can change what
//! happens; the exhaustive search explores every order of conflicting operations and one
//! order of the rest. In the graph, this is decided per location by reads-from and
//! coherence, which gives the table below (every row is what the code in this module and in
//! `search::trust` implements; "R" reads the location, "W" writes it, "RMW" does both
//! atomically):
//!
//! | operation | events | conflicts with |
//! |---|---|---|
//! | thread start | `Start` (synchronises with the spawn) | nothing |
//! | `spawn` | `Spawn` | nothing (the child starts after it) |
//! | thread finish | W of the thread's finished flag, then `Finish` | the `join` of it (which waits for it); `is_finished` of it |
//! | `JoinHandle::is_finished` | R (`Relaxed`) of the thread's finished flag | the thread's finish |
//! | `join` | `Join` (synchronises with the finish) | nothing else: it only waits |
//! | atomic `load` | R | writes of the atomic |
//! | atomic `store` | W | reads and writes of the atomic |
//! | `fetch_*`, `swap` | RMW | reads and writes of the atomic |
//! | `compare_exchange` that succeeds | RMW | reads and writes of the atomic |
//! | `compare_exchange` that fails | R | writes of the atomic |
//! | `fence` | `Fence` | nothing under SC; orders other accesses under weak memory |
//! | `Mutex::lock` | RMW of the mutex (only when free; waits otherwise) | every other lock, unlock and successful `try_lock` of the mutex; a failed `try_lock` that would see it held |
//! | `Mutex::try_lock` that succeeds | RMW of the mutex | as `lock` |
//! | `Mutex::try_lock` that fails | R of the mutex | locks and unlocks of the mutex |
//! | unlock (guard dropped) | W of the mutex | locks and `try_lock`s of the mutex |
//! | `Condvar::wait` | RMW of the condvar (becomes a waiter), then unlock | notifies of the condvar; the mutex as an unlock |
//! | wake-up from `wait` | `Wake` (synchronises with the notify that picked it), then `lock` | as `lock` |
//! | end of `wait_timeout` | RMW of the condvar (stops being a waiter: timed out if it still was, woken if a notify picked it), then `lock` | notifies of the condvar; then as `lock` |
//! | `notify_one` / `notify_all` with waiters | RMW of the condvar (picks one waiter, each in turn, or all) | waits and notifies of the condvar |
//! | `notify_*` with no waiter | R of the condvar | waits and notifies of the condvar |
//! | `yield_now`, `spin_loop` | `Yield` (a marker; see `search::spin`) | nothing |
//! | `sleep` | none (a switch point for sampled schedules only) | nothing |
//!
//! For the sampled strategies, which choose a thread at every step, each operation also has
//! a [`Footprint`]: which locations it touches and how, so that partial-order aware
//! sampling (POS) can tell conflicting pending operations apart.

use std::sync::Arc;

use super::graph::{Loc, Ord, Rmw};
use super::objects::ObjMeta;

/// How an operation touches a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Access {
    Read,
    Write,
}

/// The locations an operation touches (at most two), for sampled strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Footprint([Option<(Loc, Access)>; 2]);

impl Footprint {
    pub(crate) fn none() -> Self {
        Footprint::default()
    }

    pub(crate) fn one(loc: Loc, access: Access) -> Self {
        Footprint([Some((loc, access)), None])
    }

    pub(crate) fn two(a: (Loc, Access), b: (Loc, Access)) -> Self {
        Footprint([Some(a), Some(b)])
    }

    pub(crate) fn accesses(&self) -> impl Iterator<Item = (Loc, Access)> + '_ {
        self.0.iter().flatten().copied()
    }

    /// Whether the order of `self` and `other` can matter: one location, one write.
    pub(crate) fn conflicts(&self, other: &Footprint) -> bool {
        self.accesses().any(|(l, a)| {
            other
                .accesses()
                .any(|(m, b)| l == m && !(a == Access::Read && b == Access::Read))
        })
    }
}

/// An object as an operation declares it: its bookkeeping, borrowed from the primitive for
/// as long as the operation is pending (the primitive is borrowed by the caller until its
/// operation is done, so the pointer stays valid).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Obj(*const ObjMeta);

impl Obj {
    pub(crate) fn new(meta: &ObjMeta) -> Self {
        Obj(meta)
    }

    /// The object's bookkeeping.
    ///
    /// # Safety (internal)
    /// Valid while the declaring primitive call is on its thread's stack, which is as long
    /// as the engine keeps the operation pending.
    pub(crate) fn meta(&self) -> &ObjMeta {
        // SAFETY: see above; the engine drops pending operations before their thread runs.
        unsafe { &*self.0 }
    }
}

/// The next operation of a thread, as declared by a primitive.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// The thread's first step.
    Start,
    /// The thread returns (or ends by panicking); a spawned thread first sets its finished
    /// flag (what `JoinHandle::is_finished` reads).
    Finish {
        flag: Option<Obj>,
    },
    /// Spawns a thread (named so; `None`: `ThreadN`).
    Spawn {
        name: Option<Arc<str>>,
    },
    /// Waits for thread `thread` to finish.
    Join {
        thread: usize,
    },
    /// `JoinHandle::is_finished`: a `Relaxed` load of thread `thread`'s finished flag (std
    /// promises no synchronisation).
    IsFinished {
        flag: Obj,
        thread: usize,
    },
    Load {
        obj: Obj,
        ord: Ord,
    },
    Store {
        obj: Obj,
        ord: Ord,
        value: u64,
    },
    Rmw {
        obj: Obj,
        ord: Ord,
        rmw: Rmw,
    },
    Cas {
        obj: Obj,
        success: Ord,
        failure: Ord,
        expected: u64,
        new: u64,
        /// `compare_exchange_weak`.
        weak: bool,
        /// See [`ReadKind::Cas`](super::graph::ReadKind::Cas): 0 unless `weak` and the check
        /// explores spurious failures.
        spurious_limit: u32,
    },
    Fence {
        ord: Ord,
    },
    Lock {
        mutex: Obj,
    },
    TryLock {
        mutex: Obj,
    },
    Unlock {
        mutex: Obj,
    },
    /// `Condvar::wait`: become a waiter of `cv` and release `mutex`, at once.
    Wait {
        cv: Obj,
        mutex: Obj,
    },
    /// Wake from `Condvar::wait` (possible once a notify picked this thread); `mutex` is
    /// the one it will take again (for reports).
    Wake {
        cv: Obj,
        mutex: Obj,
    },
    /// The end of `Condvar::wait_timeout`'s wait, possible at any moment (a timeout may
    /// fire at any time) unless the thread polls (`rt::timeout`): stop being a waiter of
    /// `cv`. It timed out if the thread still was one, and was woken if a notify picked it
    /// first; `mutex` is the one it will take again (for reports). `spurious`: the end of a
    /// `Condvar::wait` (or `park`) that may wake spuriously (`Check::spurious_wakeups`), a
    /// timeout by another name.
    TimedWake {
        cv: Obj,
        mutex: Obj,
        spurious: bool,
    },
    Notify {
        cv: Obj,
        all: bool,
    },
    Yield,
    /// `sleep`: a switch point, no event.
    Sleep,
    /// Right before a marked step (see `crate::check::mark`): a switch point, no event.
    MarkPoint,
}

impl Op {
    /// The short name of the operation, for traces and JSON.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Op::Start => "start",
            Op::Finish { .. } => "finish",
            Op::Spawn { .. } => "spawn",
            Op::Join { .. } => "join",
            Op::IsFinished { .. } => "is_finished",
            Op::Load { .. } => "load",
            Op::Store { .. } => "store",
            Op::Rmw { rmw, .. } => rmw.op.name(),
            Op::Cas { weak: false, .. } => "compare_exchange",
            Op::Cas { weak: true, .. } => "compare_exchange_weak",
            Op::Fence { .. } => "fence",
            Op::Lock { .. } => "lock",
            Op::TryLock { .. } => "try_lock",
            Op::Unlock { .. } => "unlock",
            Op::Wait { .. } => "wait",
            Op::Wake { .. } | Op::TimedWake { .. } => "wake",
            Op::Notify { all: false, .. } => "notify_one",
            Op::Notify { all: true, .. } => "notify_all",
            Op::Yield => "yield",
            Op::Sleep => "sleep",
            Op::MarkPoint => "mark",
        }
    }

    /// The objects the operation touches, in the order its events touch them.
    pub(crate) fn objects(&self) -> [Option<Obj>; 2] {
        match self {
            Op::Load { obj, .. }
            | Op::Store { obj, .. }
            | Op::Rmw { obj, .. }
            | Op::Cas { obj, .. } => [Some(*obj), None],
            Op::Lock { mutex } | Op::TryLock { mutex } | Op::Unlock { mutex } => {
                [Some(*mutex), None]
            }
            Op::Wait { cv, mutex } => [Some(*cv), Some(*mutex)],
            Op::Wake { cv, .. } | Op::TimedWake { cv, .. } | Op::Notify { cv, .. } => {
                [Some(*cv), None]
            }
            _ => [None, None],
        }
    }
}

/// What an operation did, for the primitive that declared it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Done {
    /// The value read (a load, the value before a read-modify-write or a
    /// `compare_exchange`).
    pub(crate) value: u64,
    /// Whether it succeeded (`compare_exchange`, `try_lock`); for a timed wake, whether it
    /// timed out.
    pub(crate) ok: bool,
    /// The thread a spawn created.
    pub(crate) child: usize,
    /// The operation's first graph event (a spawn's, which the child synchronises with).
    pub(crate) event: Option<super::graph::Ev>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_need_a_shared_location_and_a_write() {
        let r1 = Footprint::one(Loc(1), Access::Read);
        let w1 = Footprint::one(Loc(1), Access::Write);
        let w2 = Footprint::one(Loc(2), Access::Write);
        assert!(!r1.conflicts(&r1));
        assert!(r1.conflicts(&w1) && w1.conflicts(&r1) && w1.conflicts(&w1));
        assert!(!w1.conflicts(&w2));
        assert!(!Footprint::none().conflicts(&w1));
        let both = Footprint::two((Loc(2), Access::Write), (Loc(1), Access::Read));
        assert!(both.conflicts(&w1) && both.conflicts(&w2) && !both.conflicts(&r1));
    }
}
