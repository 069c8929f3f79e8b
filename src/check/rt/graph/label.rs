//! What events are: threads, locations, orderings, read-modify-write operations, labels.

use std::fmt;
use std::sync::Arc;

/// A thread of the graph: 0 is `main`.
pub(crate) type Tid = u32;

/// An event: the `index`-th operation of `thread`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct Ev {
    pub(crate) thread: Tid,
    pub(crate) index: u32,
}

impl Ev {
    pub(crate) fn new(thread: Tid, index: u32) -> Self {
        Ev { thread, index }
    }
}

impl fmt::Display for Ev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}.{}", self.thread, self.index)
    }
}

/// What a read reads from: the location's initial value (`None`) or a write event.
pub(crate) type Src = Option<Ev>;

/// A memory ordering (`std::sync::atomic::Ordering` without the non-exhaustive marker).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) enum Ord {
    Relaxed,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

impl Ord {
    pub(crate) fn is_acquire(self) -> bool {
        matches!(self, Ord::Acquire | Ord::AcqRel | Ord::SeqCst)
    }

    pub(crate) fn is_release(self) -> bool {
        matches!(self, Ord::Release | Ord::AcqRel | Ord::SeqCst)
    }

    /// The ordering of a read-modify-write's write part: without its acquire half.
    pub(crate) fn write_part(self) -> Ord {
        match self {
            Ord::Acquire => Ord::Relaxed,
            Ord::AcqRel => Ord::Release,
            o => o,
        }
    }

    /// Its name in `std::sync::atomic::Ordering`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Ord::Relaxed => "Relaxed",
            Ord::Acquire => "Acquire",
            Ord::Release => "Release",
            Ord::AcqRel => "AcqRel",
            Ord::SeqCst => "SeqCst",
        }
    }
}

/// A shared location: an atomic, a mutex or a condition variable of one execution.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct Loc(pub(crate) u32);

/// What kind of object a location is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum LocKind {
    Atomic,
    Mutex,
    Condvar,
}

/// A location's kind, initial value and name.
#[derive(Clone, Debug)]
pub(crate) struct LocInfo {
    pub(crate) kind: LocKind,
    pub(crate) init: u64,
    pub(crate) name: Arc<str>,
}

/// The value of a free mutex.
pub(crate) const FREE: u64 = 0;
/// The value of a held mutex.
pub(crate) const HELD: u64 = 1;

/// A read-modify-write operation on an integer of `width` bits (values are kept as `u64`,
/// zero-extended).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Rmw {
    pub(crate) op: RmwOp,
    pub(crate) operand: u64,
    pub(crate) width: u8,
    pub(crate) signed: bool,
}

/// The operation of a read-modify-write.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum RmwOp {
    Add,
    Sub,
    And,
    Nand,
    Or,
    Xor,
    Max,
    Min,
    Swap,
}

impl RmwOp {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RmwOp::Add => "fetch_add",
            RmwOp::Sub => "fetch_sub",
            RmwOp::And => "fetch_and",
            RmwOp::Nand => "fetch_nand",
            RmwOp::Or => "fetch_or",
            RmwOp::Xor => "fetch_xor",
            RmwOp::Max => "fetch_max",
            RmwOp::Min => "fetch_min",
            RmwOp::Swap => "swap",
        }
    }
}

impl Rmw {
    fn mask(&self) -> u64 {
        if self.width >= 64 {
            u64::MAX
        } else {
            (1u64 << self.width) - 1
        }
    }

    fn signed_value(&self, v: u64) -> i128 {
        if self.signed && self.width < 64 && v >> (self.width - 1) & 1 == 1 {
            i128::from(v) - (1i128 << self.width)
        } else if self.signed && self.width == 64 {
            i128::from(v as i64)
        } else {
            i128::from(v)
        }
    }

    /// The value written when the read part read `old`.
    pub(crate) fn apply(&self, old: u64) -> u64 {
        let x = self.operand;
        let new = match self.op {
            RmwOp::Add => old.wrapping_add(x),
            RmwOp::Sub => old.wrapping_sub(x),
            RmwOp::And => old & x,
            RmwOp::Nand => !(old & x),
            RmwOp::Or => old | x,
            RmwOp::Xor => old ^ x,
            RmwOp::Swap => x,
            RmwOp::Max => {
                if self.signed_value(x) > self.signed_value(old) {
                    x
                } else {
                    old
                }
            }
            RmwOp::Min => {
                if self.signed_value(x) < self.signed_value(old) {
                    x
                } else {
                    old
                }
            }
        };
        new & self.mask()
    }
}

/// What a read is part of.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum ReadKind {
    /// An atomic `load`.
    Load,
    /// The read part of an unconditional read-modify-write (`fetch_add`, `swap`, ...).
    Rmw(Rmw),
    /// The read part of a `compare_exchange`: it writes `new` if it read `expected`; when
    /// it fails, the read has ordering `failure` instead of the label's.
    ///
    /// `spurious_limit`: a `compare_exchange_weak` in a check that explores its spurious
    /// failures (`Check::spurious_failures`) may fail although it read `expected` if fewer
    /// than this many of its thread's did before it (0: a strong one, or a check that
    /// does not explore them); `spurious`: this one did (set by the search or a strategy,
    /// never by the program: see [`ReadKind::same_operation`]).
    Cas {
        expected: u64,
        new: u64,
        failure: Ord,
        spurious_limit: u32,
        spurious: bool,
    },
    /// `Mutex::lock`: reads a free mutex and holds it. Only ever reads [`FREE`]: a thread
    /// whose lock would read a held mutex waits instead (the read is not added).
    Lock,
    /// `Mutex::try_lock`: takes the mutex if it reads it free, fails otherwise.
    TryLock,
    /// `Condvar::wait`, first part: adds the thread to the set of waiters.
    WaitRegister,
    /// `notify_one` / `notify_all`: reads the set of waiters; when it is not empty, the
    /// write part takes one (or all) of them out, and each one taken may wake.
    Notify { all: bool },
    /// `Condvar::wait_timeout`, after the wait: takes the thread out of the set of
    /// waiters; it timed out if it still was in it (no notify took it out).
    ///
    /// `spurious`: the wake of a `wait` or `park` that may wake spuriously
    /// (`Check::spurious_wakeups`), whose "timeout" is the spurious wake-up. Such a wait
    /// may also never wake: `forever`, set by the search and never by the program (see
    /// [`ReadKind::same_operation`]), is that choice. The read then writes nothing, the
    /// thread stays in the waiter set and blocks for ever (`rt::spurious`).
    TimedWake { spurious: bool, forever: bool },
}

impl ReadKind {
    /// Whether the read, having read `value`, is followed by a write part.
    pub(crate) fn writes(&self, value: u64) -> bool {
        match self {
            ReadKind::Load => false,
            ReadKind::Rmw(_) | ReadKind::WaitRegister => true,
            ReadKind::TimedWake { forever, .. } => !forever,
            ReadKind::Cas {
                expected, spurious, ..
            } => value == *expected && !spurious,
            ReadKind::Lock | ReadKind::TryLock => value == FREE,
            ReadKind::Notify { .. } => value != 0,
        }
    }

    /// Whether a thread's operation of kind `self` is the one recorded as `recorded`: the
    /// same, but for whether a weak `compare_exchange` failed spuriously, which the search
    /// (or a strategy) decides, not the program.
    pub(crate) fn same_operation(&self, recorded: &ReadKind) -> bool {
        match (self, recorded) {
            (
                ReadKind::Cas {
                    expected,
                    new,
                    failure,
                    spurious_limit,
                    ..
                },
                ReadKind::Cas {
                    expected: e,
                    new: n,
                    failure: f,
                    spurious_limit: l,
                    ..
                },
            ) => expected == e && new == n && failure == f && spurious_limit == l,
            (ReadKind::TimedWake { spurious, .. }, ReadKind::TimedWake { spurious: s, .. }) => {
                spurious == s
            }
            _ => self == recorded,
        }
    }

    /// Whether this read is a weak `compare_exchange` that failed spuriously.
    pub(crate) fn failed_spuriously(&self) -> bool {
        matches!(self, ReadKind::Cas { spurious: true, .. })
    }

    /// Whether this read is the wake of a wait that never wakes (see
    /// [`ReadKind::TimedWake`]).
    pub(crate) fn waits_for_ever(&self) -> bool {
        matches!(self, ReadKind::TimedWake { forever: true, .. })
    }

    /// Whether the read can be the read part of a read-modify-write at all.
    pub(crate) fn is_rmw(&self) -> bool {
        !matches!(self, ReadKind::Load)
    }

    /// The ordering of a read of this kind whose label says `ord`, having read `value`: a
    /// failed `compare_exchange` has its failure ordering. (A read-modify-write's label
    /// carries the operation's whole ordering; its read part acquires if that does.)
    pub(crate) fn effective_ord(&self, ord: Ord, value: u64) -> Ord {
        match self {
            ReadKind::Cas {
                expected,
                failure,
                spurious,
                ..
            } if value != *expected || *spurious => *failure,
            _ => ord,
        }
    }
}

/// What a write is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum WriteKind {
    /// An atomic `store`.
    Store,
    /// The write part of a read-modify-write; its read part is the previous event.
    RmwPart,
    /// `MutexGuard` dropped: the mutex is free again.
    Unlock,
}

/// What an event is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// The first event of a thread (`spawn`: the spawn that created it; `None` for `main`).
    Start { spawn: Option<Ev> },
    /// Spawns thread `child`.
    Spawn { child: Tid },
    /// The thread returned (or panicked).
    Finish,
    /// Waits for thread `child` to finish (synchronises with its `Finish`).
    Join { child: Tid },
    /// A read of `loc`.
    Read {
        loc: Loc,
        ord: Ord,
        kind: ReadKind,
        rf: Src,
        /// It read the coherence-latest write when it was added ("added maximally").
        max: bool,
    },
    /// A write of `value` to `loc`.
    Write {
        loc: Loc,
        ord: Ord,
        value: u64,
        kind: WriteKind,
        /// It was placed last in coherence when it was added.
        max: bool,
        /// For the write part of a notify: the waiting threads it wakes (a bit each).
        woke: u64,
    },
    /// A fence.
    Fence { ord: Ord },
    /// The wake-up of a condition variable's waiter, caused by the notify write `by`.
    Wake { by: Ev },
    /// `yield_now` / `spin_loop`: a marker, no memory effect. `spin`: it ended a turn of a
    /// spin loop that changed nothing and read only the latest writes, so the thread waits
    /// until one of them is overwritten (see `rt::spin`).
    Yield { spin: bool },
}

impl Label {
    pub(crate) fn loc(&self) -> Option<Loc> {
        match self {
            Label::Read { loc, .. } | Label::Write { loc, .. } => Some(*loc),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn is_write(&self) -> bool {
        matches!(self, Label::Write { .. })
    }

    /// The events this one synchronises with, other than its program-order predecessor.
    pub(crate) fn sources(&self) -> [Option<Ev>; 1] {
        match self {
            Label::Start { spawn } => [*spawn],
            Label::Read { rf, .. } => [*rf],
            Label::Wake { by } => [Some(*by)],
            _ => [None],
        }
    }
}
