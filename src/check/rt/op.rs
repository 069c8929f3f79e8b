//! Operations: what a thread is about to do at a switch point, and which shared objects that
//! touches.
//!
//! Every racelab primitive *declares* its operation right before its switch point, so the
//! scheduler knows, for every thread, the next thing it will do: whether it can do it now
//! (a `lock` of a held mutex cannot), and which objects it reads or writes. Two operations
//! *conflict* (are dependent) when they touch one object and at least one of them writes it;
//! operations that do not conflict give the same result in either order, which is what lets
//! the DPOR strategy skip orders that cannot make a difference.
//!
//! An operation racelab did not declare (a raw shuttle primitive) has an unknown footprint,
//! [`Footprint::Global`]: it conflicts with every operation that touches anything, so
//! exploring it stays sound, only slower.

use std::fmt;
use std::sync::Arc;

use super::engine::ObjMeta;
use crate::check::sync::condvar::CondvarCore;
use crate::check::sync::mutex::MutexCore;

/// Identifies a shared object within one execution (objects are numbered as they are first
/// used; the numbering is the same in every execution that follows the same schedule).
pub(crate) type ObjId = u32;

/// How an operation touches an object.
///
/// Every kind but `Read` changes the object. The finer kinds say which pairs can never both
/// be possible at once, and so never race although they conflict: an `Acquire` (a `lock`,
/// possible only while the mutex is free) and a `Release` (possible only while it is held),
/// a thread's `Finish` and a `Join` on it (possible only after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Access {
    Read,
    Write,
    Acquire,
    Release,
    Finish,
    Join,
}

impl Access {
    fn conflicts(self, other: Access) -> bool {
        !(self == Access::Read && other == Access::Read)
    }

    /// Whether the two can both be possible in one state (see the type's docs).
    fn co_enabled(self, other: Access) -> bool {
        use Access::*;
        !matches!(
            (self, other),
            (Acquire, Release) | (Release, Acquire) | (Finish, Join) | (Join, Finish)
        )
    }
}

/// The objects an operation touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Footprint {
    /// Touches nothing shared (a thread's start, a yield).
    None,
    /// Touches one or two objects.
    Objects([Option<(ObjId, Access)>; 2]),
    /// Unknown (an operation racelab did not declare): conflicts with everything that
    /// touches something.
    Global,
}

impl Footprint {
    pub(crate) fn one(obj: ObjId, access: Access) -> Self {
        Footprint::Objects([Some((obj, access)), None])
    }

    pub(crate) fn two(a: (ObjId, Access), b: (ObjId, Access)) -> Self {
        Footprint::Objects([Some(a), Some(b)])
    }

    /// The objects touched (empty for `None` and `Global`).
    pub(crate) fn accesses(&self) -> impl Iterator<Item = (ObjId, Access)> + '_ {
        let slots: &[Option<(ObjId, Access)>] = match self {
            Footprint::Objects(slots) => slots,
            _ => &[],
        };
        slots.iter().flatten().copied()
    }

    /// Whether the order of `self` and `other` can matter (they are dependent).
    pub(crate) fn conflicts(&self, other: &Footprint) -> bool {
        self.related(other, |x, y| x.conflicts(y))
    }

    /// Whether `self`, already taken, and `other`, some thread's next operation, race: they
    /// conflict and could both have been possible at once, so the other order could happen.
    pub(crate) fn races(&self, other: &Footprint) -> bool {
        self.related(other, |x, y| x.conflicts(y) && x.co_enabled(y))
    }

    fn related(&self, other: &Footprint, pair: impl Fn(Access, Access) -> bool) -> bool {
        match (self, other) {
            (Footprint::None, _) | (_, Footprint::None) => false,
            (Footprint::Global, _) | (_, Footprint::Global) => true,
            (a, b) => a
                .accesses()
                .any(|(o, x)| b.accesses().any(|(p, y)| o == p && pair(x, y))),
        }
    }
}

/// The kind of an atomic operation, for traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AtomicKind {
    Load,
    Store,
    Swap,
    CompareExchange,
    FetchAdd,
    FetchSub,
    FetchOther,
}

impl AtomicKind {
    fn name(self) -> &'static str {
        match self {
            AtomicKind::Load => "load",
            AtomicKind::Store => "store",
            AtomicKind::Swap => "swap",
            AtomicKind::CompareExchange => "compare_exchange",
            AtomicKind::FetchAdd => "fetch_add",
            AtomicKind::FetchSub => "fetch_sub",
            AtomicKind::FetchOther => "fetch_update",
        }
    }

    fn access(self) -> Access {
        match self {
            AtomicKind::Load => Access::Read,
            _ => Access::Write,
        }
    }
}

/// The next operation of a thread (see the module docs).
#[derive(Clone)]
pub(crate) enum Op {
    /// The thread returns: `join` on it may go on.
    Finish { obj: ObjId },
    /// Spawns a thread (which starts after it).
    Spawn,
    /// Waits for thread `thread` (object `obj`) to finish.
    Join { thread: usize, obj: ObjId },
    /// `yield_now` / `spin_loop`: waits until another thread changes something this one
    /// touched since its last yield (see `crate::check::thread::yield_now`).
    Yield,
    /// `sleep`: a switch point that touches nothing.
    Sleep,
    /// `Mutex::lock`: possible only while the mutex is free.
    Lock(Arc<MutexCore>),
    /// `Mutex::try_lock`: always possible.
    TryLock(Arc<MutexCore>),
    /// Dropping a `MutexGuard`.
    Unlock(Arc<MutexCore>),
    /// `Condvar::wait`: releases the mutex and starts waiting.
    Wait {
        cv: Arc<CondvarCore>,
        mutex: Arc<MutexCore>,
    },
    /// Waking from `Condvar::wait` (possible once notified; it then re-takes the mutex).
    Wake {
        cv: Arc<CondvarCore>,
        mutex: Arc<MutexCore>,
    },
    /// `notify_one` / `notify_all`.
    Notify { cv: Arc<CondvarCore>, all: bool },
    /// An operation on an atomic.
    Atomic { obj: ObjId, kind: AtomicKind },
    /// Right before a marked step (see `crate::check::mark`): where the step-level strategy
    /// switches threads.
    MarkPoint,
}

impl Op {
    /// What the operation touches; `id` numbers the objects.
    pub(crate) fn footprint(&self, id: &mut dyn FnMut(&ObjMeta) -> ObjId) -> Footprint {
        use Access::{Acquire, Release, Write};
        match self {
            Op::Spawn | Op::Yield | Op::Sleep | Op::MarkPoint => Footprint::None,
            Op::Finish { obj } => Footprint::one(*obj, Access::Finish),
            Op::Join { obj, .. } => Footprint::one(*obj, Access::Join),
            Op::Lock(m) => Footprint::one(id(m.meta()), Acquire),
            Op::TryLock(m) => Footprint::one(id(m.meta()), Write),
            Op::Unlock(m) => Footprint::one(id(m.meta()), Release),
            Op::Wait { cv, mutex } => {
                Footprint::two((id(mutex.meta()), Release), (id(cv.meta()), Write))
            }
            Op::Wake { cv, .. } | Op::Notify { cv, .. } => Footprint::one(id(cv.meta()), Write),
            Op::Atomic { obj, kind } => Footprint::one(*obj, kind.access()),
        }
    }

    /// The object a trace names for the operation (for `join`, the thread's object).
    pub(crate) fn object(&self, id: &mut dyn FnMut(&ObjMeta) -> ObjId) -> Option<ObjId> {
        match self {
            Op::Lock(m) | Op::TryLock(m) | Op::Unlock(m) => Some(id(m.meta())),
            Op::Wait { cv, .. } | Op::Wake { cv, .. } | Op::Notify { cv, .. } => {
                Some(id(cv.meta()))
            }
            Op::Atomic { obj, .. } | Op::Join { obj, .. } => Some(*obj),
            Op::Finish { .. } | Op::Spawn | Op::Yield | Op::Sleep | Op::MarkPoint => None,
        }
    }

    /// The short name of the operation, for traces and JSON.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Op::Finish { .. } => "finish",
            Op::Spawn => "spawn",
            Op::Join { .. } => "join",
            Op::Yield => "yield",
            Op::Sleep => "sleep",
            Op::Lock(_) => "lock",
            Op::TryLock(_) => "try_lock",
            Op::Unlock(_) => "unlock",
            Op::Wait { .. } => "wait",
            Op::Wake { .. } => "wake",
            Op::Notify { all: false, .. } => "notify_one",
            Op::Notify { all: true, .. } => "notify_all",
            Op::Atomic { kind, .. } => kind.name(),
            Op::MarkPoint => "mark",
        }
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())
    }
}

/// An operation as the engine keeps it: with what it touches, worked out when declared.
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    pub(crate) op: Op,
    pub(crate) footprint: Footprint,
    pub(crate) object: Option<ObjId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_need_a_shared_object_and_a_write() {
        let r1 = Footprint::one(1, Access::Read);
        let w1 = Footprint::one(1, Access::Write);
        let w2 = Footprint::one(2, Access::Write);
        assert!(!r1.conflicts(&r1));
        assert!(r1.conflicts(&w1) && w1.conflicts(&r1) && w1.conflicts(&w1));
        assert!(!w1.conflicts(&w2));
        assert!(Footprint::Global.conflicts(&r1));
        assert!(!Footprint::Global.conflicts(&Footprint::None));
        let both = Footprint::two((2, Access::Write), (1, Access::Read));
        assert!(both.conflicts(&w1) && both.conflicts(&w2) && !both.conflicts(&r1));
    }

    #[test]
    fn an_unlock_and_the_next_lock_conflict_but_never_race() {
        let unlock = Footprint::one(1, Access::Release);
        let lock = Footprint::one(1, Access::Acquire);
        let try_lock = Footprint::one(1, Access::Write);
        assert!(unlock.conflicts(&lock) && !unlock.races(&lock));
        assert!(lock.races(&lock), "two threads may both want a free mutex");
        assert!(unlock.races(&try_lock), "try_lock is always possible");
        let finish = Footprint::one(2, Access::Finish);
        let join = Footprint::one(2, Access::Join);
        assert!(finish.conflicts(&join) && !finish.races(&join));
    }
}
