//! What an execution did, step by step: the trace in every report and witness.
//!
//! A trace interleaves two kinds of events: the **operations** racelab's primitives perform
//! (`lock mutex#1`, `load x = 0`, `wait not_empty`, ...), each a point where another thread
//! could have run, and the **marked steps** code reports by name (`read 0`, `put #1`, see
//! [`crate::check::mark`]), which say what the operations meant.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A value an operation saw or changed, for traces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Detail {
    /// Nothing to add.
    None,
    /// The value loaded, stored or swapped in.
    Value(i128),
    /// An update: the value before and after (`fetch_add`, a successful exchange).
    Update(i128, i128),
    /// A `compare_exchange` that failed: the value found.
    Failed(i128),
    /// A `compare_exchange_weak` that failed spuriously
    /// ([`Check::spurious_failures`](crate::check::Check::spurious_failures)): it found the
    /// value it expected, and changed nothing.
    FailedSpuriously(i128),
    /// A lock attempt that failed (`try_lock` of a held mutex).
    Busy,
    /// How many threads waited when a notify came (a `notify_all` wakes them all).
    Woke(usize),
    /// A `notify_one` that found threads waiting: how many, and the one it woke.
    WokeOne {
        /// How many threads waited.
        waiting: usize,
        /// The thread it woke.
        woke: Arc<str>,
    },
    /// What a load read under weak memory, and why it could read it.
    ReadFrom(ReadFrom),
    /// How a `wait_timeout` ended: `true` if it timed out, `false` if a notify woke it.
    TimedOut(bool),
    /// How a `Condvar::wait` (or `park`) that may wake spuriously ended
    /// ([`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups)): `true` if it
    /// woke spuriously, `false` if a notify woke it.
    Spurious(bool),
}

/// What a load read under weak memory (RC11): the store it read from, and the newer
/// store it did not see, if there was one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadFrom {
    /// The value read.
    pub value: i128,
    /// The store read: its thread and ordering (`None`: the initial value).
    pub from: Option<(Arc<str>, &'static str)>,
    /// The coherence-latest store of the location, when the load read an older one: its
    /// thread and value. It does not happen before the load, which is why the older
    /// value was still visible.
    pub newer: Option<(Arc<str>, i128)>,
}

impl fmt::Display for ReadFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " = {}", self.value)?;
        match &self.from {
            None => write!(f, " (the initial value")?,
            Some((thread, ord)) => write!(f, " ({thread}'s {ord} store")?,
        }
        if let Some((thread, value)) = &self.newer {
            write!(
                f,
                "; {thread}'s store of {value} is newer but does not happen before this load"
            )?;
        }
        f.write_str(")")
    }
}

/// What a thread did in one event of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum What {
    /// An operation of a racelab primitive (a switch point).
    Op {
        /// Its name: `lock`, `unlock`, `load`, `wait`, `notify_one`, `spawn`, ...
        op: &'static str,
        /// The object it touched (`mutex#1`, or the name given with `named`), if any.
        object: Option<Arc<str>>,
        /// The value it saw or changed.
        detail: Detail,
    },
    /// A marked step (see [`crate::check::step`]).
    Mark(Mark),
    /// An access of a [`crate::check::cell::UnsafeCell`]: not a switch point, but what a
    /// data race is made of.
    Access {
        /// The cell (`cell#1`, or the name given with `named`).
        object: Arc<str>,
        /// A write (`with_mut`), or a read (`with`).
        write: bool,
    },
    /// An operation racelab did not declare (a raw shuttle primitive): a switch point whose
    /// effect is unknown.
    Unknown,
}

/// One event of a trace: which thread did what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// The thread: 0 is main, 1 the first thread spawned, and so on.
    pub thread: usize,
    /// What it did.
    pub what: What,
}

impl Event {
    /// Whether this is a decision: an operation, a point where another thread could have
    /// run (marked steps and cell accesses are not).
    pub fn is_decision(&self) -> bool {
        matches!(self.what, What::Op { .. } | What::Unknown)
    }

    /// Whether this is a marked step.
    pub fn is_mark(&self) -> bool {
        matches!(self.what, What::Mark(_))
    }

    /// The marked step, if this is one.
    pub fn mark(&self) -> Option<Mark> {
        match self.what {
            What::Mark(mark) => Some(mark),
            _ => None,
        }
    }
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Mark(mark) => write!(f, "{mark}"),
            What::Unknown => f.write_str("(shuttle operation)"),
            What::Access { object, write } => {
                write!(f, "{} {object}", if *write { "write" } else { "read" })
            }
            What::Op { op, object, detail } => {
                f.write_str(op)?;
                if let Some(object) = object {
                    write!(f, " {object}")?;
                }
                match detail {
                    Detail::None => Ok(()),
                    Detail::Value(v) => match *op {
                        "load" => write!(f, " = {v}"),
                        "is_finished" => write!(f, " = {}", *v != 0),
                        _ => write!(f, " <- {v}"),
                    },
                    Detail::Update(a, b) => write!(f, ": {a} -> {b}"),
                    Detail::Failed(found) => write!(f, ": found {found}, no change"),
                    Detail::FailedSpuriously(found) => {
                        write!(
                            f,
                            ": found {found} as expected, failed spuriously, no change"
                        )
                    }
                    Detail::Busy => f.write_str(": held, not taken"),
                    Detail::Woke(0) => f.write_str(" (nobody waits)"),
                    Detail::Woke(n) => write!(f, " ({n} waiting)"),
                    Detail::WokeOne { waiting, woke } => {
                        write!(f, " ({waiting} waiting): woke {woke}")
                    }
                    Detail::ReadFrom(read) => write!(f, "{read}"),
                    Detail::TimedOut(true) => f.write_str(": timed out"),
                    Detail::TimedOut(false) | Detail::Spurious(false) => f.write_str(": notified"),
                    Detail::Spurious(true) => f.write_str(": woke spuriously"),
                }
            }
        }
    }
}

/// How many times the running thread changes along `trace`.
pub fn switches(trace: &[Event]) -> usize {
    trace
        .windows(2)
        .filter(|w| w[0].thread != w[1].thread)
        .count()
}

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
