//! What an execution did, step by step: the trace in every report and witness.
//!
//! A trace interleaves two kinds of events: the **operations** racelab's primitives perform
//! (`lock mutex#1`, `load x = 0`, `wait not_empty`, ...), each a point where another thread
//! could have run, and the **marked steps** code reports by name (`read 0`, `put #1`, see
//! [`crate::check::mark`]), which say what the operations meant.

use std::fmt;
use std::sync::Arc;

use crate::check::mark::Mark;

/// A value an operation saw or changed, for traces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Detail {
    /// Nothing to add.
    None,
    /// The value loaded, stored or swapped in.
    Value(i128),
    /// An update: the value before and after (`fetch_add`, a successful exchange).
    Update(i128, i128),
    /// A `compare_exchange` that failed: the value found.
    Failed(i128),
    /// A lock attempt that failed (`try_lock` of a held mutex).
    Busy,
    /// How many waiting threads a notify made eligible to wake.
    Woke(usize),
    /// What a load read under weak memory, and why it could read it.
    ReadFrom(ReadFrom),
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
    /// A marked step (see [`crate::check::mark`]).
    Mark(Mark),
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
            What::Op { op, object, detail } => {
                f.write_str(op)?;
                if let Some(object) = object {
                    write!(f, " {object}")?;
                }
                match detail {
                    Detail::None => Ok(()),
                    Detail::Value(v) => match *op {
                        "load" => write!(f, " = {v}"),
                        _ => write!(f, " <- {v}"),
                    },
                    Detail::Update(a, b) => write!(f, ": {a} -> {b}"),
                    Detail::Failed(found) => write!(f, ": found {found}, no change"),
                    Detail::Busy => f.write_str(": held, not taken"),
                    Detail::Woke(0) => f.write_str(" (nobody waits)"),
                    Detail::Woke(n) => write!(f, " ({n} waiting)"),
                    Detail::ReadFrom(read) => write!(f, "{read}"),
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
