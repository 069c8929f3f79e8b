//! Steps: what the core reports to an observer as it runs.
//!
//! The core calls its [`Observer`] (if any; none by default, which costs one branch)
//! after each step that matters to a learner: a read or write of `database_value`, an
//! acquire or release of a lock. Under shuttle only one thread runs at a time, so the order
//! in which steps are reported *is* the interleaving; [`crate::explore`] uses this both to
//! draw traces and to decide where to switch threads.

use std::fmt;
use std::sync::Arc;

/// One visible step of the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Read `database_value` into a local copy; the value read.
    Read(usize),
    /// Wrote the local copy back to `database_value`; the value written.
    Write(usize),
    /// Atomically added one (`fetch_add`); the value before.
    FetchAdd(usize),
    /// Acquired the lock.
    Acquire,
    /// Released the lock.
    Release,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Read(v) => write!(f, "read {v}"),
            Step::Write(v) => write!(f, "write {v}"),
            Step::FetchAdd(v) => write!(f, "fetch_add {v}->{}", v + 1),
            Step::Acquire => f.write_str("acquire"),
            Step::Release => f.write_str("release"),
        }
    }
}

/// Receives every [`Step`] of the object it is attached to.
pub type Observer = Arc<dyn Fn(Step) + Send + Sync>;
