//! What a check found: the outcome table, a witness per forbidden outcome, what required
//! outcomes were never reached, and how much was covered.

use std::fmt;
use std::time::Duration;

pub(crate) mod deadlock;
pub(crate) mod erased;
mod merge;
pub(crate) mod order;
pub(crate) mod text;

pub use merge::MergeError;

use super::coverage::Coverage;
use super::rt::trace::Event;

/// Whether an outcome is allowed by what the program is meant to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// What the program is meant to do.
    Acceptable,
    /// A bug: the program should never end like this.
    Forbidden,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Acceptable => "acceptable",
            Verdict::Forbidden => "forbidden",
        })
    }
}

/// How one execution ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Ending<O> {
    /// The body returned this outcome.
    Returned(O),
    /// Every thread that had not finished was blocked, and `main` had not returned.
    Deadlock,
    /// The body returned this outcome, but threads that had not finished were blocked and
    /// could never go on (a lost wake-up, a worker nobody shuts down): forbidden unless
    /// [`Check::allow_left_blocked`](crate::check::Check::allow_left_blocked).
    LeftBlocked(O),
    /// A thread panicked with this message: `main`, or a spawned thread whose panic no
    /// `join` returned (a joined panic is the program's to handle, as in std; see
    /// `check::thread`).
    Panicked(String),
    /// Two accesses of a [`cell::UnsafeCell`](crate::check::cell::UnsafeCell), at least one
    /// a write, that neither happens before the other: which cell, which threads, which
    /// lines. Always forbidden: a data race is undefined behaviour.
    DataRace(String),
    /// The execution took more steps than the limit: a livelock or an endless loop.
    StepLimit(usize),
    /// Cut: no thread could go on while a thread waited in a timed wait at its limit of
    /// wake-ups without a notify ([`Check::wakeups_without_notify`](crate::check::Check::wakeups_without_notify),
    /// this limit), and every other thread might go on after it. With a clock it would time
    /// out again; nothing is claimed about how the execution goes on. Acceptable: the limit
    /// is the check's stated assumption.
    WakeupLimit(u32),
}

impl<O> Ending<O> {
    /// The outcome the body returned, if it returned.
    pub fn returned(&self) -> Option<&O> {
        match self {
            Ending::Returned(o) | Ending::LeftBlocked(o) => Some(o),
            _ => None,
        }
    }
}

impl<O: fmt::Debug> fmt::Display for Ending<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Returned(o) => write!(f, "{o:?}"),
            Ending::Deadlock => f.write_str("deadlock"),
            Ending::LeftBlocked(o) => write!(f, "{o:?}, threads left blocked"),
            Ending::Panicked(message) => write!(f, "panicked: {message}"),
            Ending::DataRace(message) => write!(f, "data race on {message}"),
            Ending::StepLimit(n) => write!(f, "did not finish within {n} steps"),
            Ending::WakeupLimit(n) => write!(
                f,
                "cut at the limit of {n} wake-up{} without a notify per thread",
                if *n == 1 { "" } else { "s" }
            ),
        }
    }
}

/// One row of the outcome table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Row<O> {
    /// How the executions of this row ended.
    pub ending: Ending<O>,
    /// Distinct executions (distinct traces) that ended so.
    pub executions: usize,
    /// Acceptable or forbidden.
    pub verdict: Verdict,
}

/// What a blocked thread waits for (in a deadlock).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitsFor {
    /// To lock `object`, which thread `holder` holds.
    Lock {
        /// The mutex.
        object: String,
        /// The thread holding it, if known.
        holder: Option<usize>,
    },
    /// A notify on `condvar` (it released `mutex` when it started waiting).
    Notify {
        /// The condition variable.
        condvar: String,
        /// The mutex it waits with.
        mutex: String,
    },
    /// A notify on `condvar` or its `wait_timeout`'s timeout, in a loop that times out
    /// and waits again with nothing changed: another thread to change something, which no
    /// thread that can run will do (a livelock, reported as a deadlock).
    Timeout {
        /// The condition variable.
        condvar: String,
        /// The mutex it waits with.
        mutex: String,
    },
    /// A notify on `condvar`, in a loop around a `Condvar::wait` (or `park`) that wakes
    /// spuriously and waits again with nothing changed
    /// ([`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups)): another thread
    /// to change something, which no thread that can run will do.
    Spurious {
        /// The condition variable.
        condvar: String,
        /// The mutex it waits with.
        mutex: String,
    },
    /// After a yield in a spin loop: another thread to change one of `objects`, which no
    /// thread that can run will do (a deadlock whose waiting thread spins).
    Change {
        /// What the loop reads.
        objects: Vec<String>,
    },
    /// Thread `thread` to finish (`join`).
    Join {
        /// The thread joined.
        thread: usize,
    },
    /// Something racelab did not declare (a raw shuttle primitive).
    Unknown,
}

/// A thread that could not go on when the execution deadlocked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Blocked {
    /// The thread.
    pub thread: usize,
    /// What it waits for.
    pub waits_for: WaitsFor,
    /// What the code said it waits for, if it said (`join with 2 unfinished tasks`).
    pub note: Option<String>,
}

impl Blocked {
    /// One line: who waits for what, with the code's note — "Thread1 is blocked in get on an
    /// empty queue (waits on not_empty, having released queue, for a notify)". `name` names
    /// threads by number (a [`Witness::thread_name`], say).
    pub fn describe(&self, name: &dyn Fn(usize) -> String) -> String {
        deadlock::describe(self, name)
    }
}

/// The execution that shows a forbidden outcome (or a required one) with the fewest thread
/// switches found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Witness<O> {
    /// How it ended.
    pub ending: Ending<O>,
    /// What happened, in order.
    pub trace: Vec<Event>,
    /// The threads' names, by number.
    pub threads: Vec<String>,
    /// Who waited for what, when it ended in a deadlock.
    pub blocked: Vec<Blocked>,
    /// What went wrong, in words.
    pub explanation: String,
}

impl<O> Witness<O> {
    /// How many times the running thread changes along the trace.
    pub fn switches(&self) -> usize {
        super::rt::trace::switches(&self.trace)
    }

    /// The name of thread `thread`.
    pub fn thread_name(&self, thread: usize) -> &str {
        self.threads
            .get(thread)
            .map(String::as_str)
            .unwrap_or("(unknown thread)")
    }
}

/// An outcome the check required to be reachable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Requirement {
    /// What was required, in words.
    pub description: String,
    /// Whether some execution reached it.
    pub reached: bool,
}

/// What a check found (see the module docs).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report<O> {
    /// What was checked.
    pub name: String,
    /// One row per way an execution ended: forbidden first, then by how many executions.
    pub rows: Vec<Row<O>>,
    /// One witness per forbidden ending.
    pub witnesses: Vec<Witness<O>>,
    /// The outcomes required to be reachable, and whether they were.
    pub requirements: Vec<Requirement>,
    /// How much was covered: exhaustive, bounded, or sampled.
    pub coverage: Coverage,
    /// Executions run in all (including those cut short as redundant).
    pub executions: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings about the check itself (a body that is not deterministic, say).
    pub notes: Vec<String>,
    /// The schedule of every execution, in the order they ran, when asked for
    /// ([`crate::check::Check::list_schedules`]).
    pub schedules: Vec<Schedule<O>>,
}

/// One execution as a line: which thread took each operation, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Schedule<O> {
    /// The thread that took each operation, in order (0 is `main`).
    pub threads: Vec<usize>,
    /// The threads' names, by number.
    pub names: Vec<String>,
    /// How it ended.
    pub ending: Ending<O>,
}

impl<O: fmt::Debug> fmt::Display for Schedule<O> {
    /// `main ×3, Thread1 ×2, Thread2, main ×4 => (1, 0)`: runs of one thread, then the
    /// ending.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |t: usize| {
            self.names
                .get(t)
                .cloned()
                .unwrap_or_else(|| format!("Thread{t}"))
        };
        let mut i = 0;
        while i < self.threads.len() {
            let t = self.threads[i];
            let run = self.threads[i..].iter().take_while(|&&u| u == t).count();
            if i > 0 {
                f.write_str(", ")?;
            }
            match run {
                1 => write!(f, "{}", name(t))?,
                n => write!(f, "{} ×{n}", name(t))?,
            }
            i += run;
        }
        write!(f, " => {}", self.ending)
    }
}

impl<O> Report<O> {
    /// Whether some execution reached a forbidden outcome.
    pub fn has_bug(&self) -> bool {
        !self.witnesses.is_empty()
    }

    /// Required outcomes that no execution reached.
    pub fn unreached(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| !r.reached)
    }

    /// No forbidden outcome, and every required outcome reached.
    pub fn passed(&self) -> bool {
        !self.has_bug() && self.unreached().next().is_none()
    }

    /// Distinct executions in the table.
    pub fn distinct(&self) -> usize {
        self.rows.iter().map(|r| r.executions).sum()
    }

    /// The endings reached, in table order.
    pub fn endings(&self) -> impl Iterator<Item = &Ending<O>> {
        self.rows.iter().map(|r| &r.ending)
    }

    /// The witness of `ending`, if it is forbidden and was reached.
    pub fn witness(&self, ending: &Ending<O>) -> Option<&Witness<O>>
    where
        O: PartialEq,
    {
        self.witnesses.iter().find(|w| &w.ending == ending)
    }

    /// Whether `other` found the same as this report: the same rows (outcomes, counts,
    /// verdicts), the same witness traces, the same executions, and phases that ran and
    /// stopped alike. Everything a search determines — not its time, nor how many parallel
    /// jobs shared it ([`crate::check::Check::jobs`]), which must change none of this.
    pub fn same_findings(&self, other: &Self) -> bool
    where
        O: PartialEq,
    {
        let phases = |r: &Self| -> Vec<_> {
            r.coverage
                .phases
                .iter()
                .map(|p| (p.method, p.executions, p.abandoned, p.distinct, p.stopped))
                .collect()
        };
        self.rows == other.rows
            && self.executions == other.executions
            && self.witnesses.len() == other.witnesses.len()
            && self
                .witnesses
                .iter()
                .zip(&other.witnesses)
                .all(|(a, b)| a.ending == b.ending && a.trace == b.trace)
            && phases(self) == phases(other)
    }
}

impl<O: fmt::Debug> Report<O> {
    /// Panics with the rendered report (table, witness, coverage) unless the check passed:
    /// for `cargo test`, where a failing check should show the interleaving.
    #[track_caller]
    pub fn assert_passed(&self) {
        if !self.passed() {
            panic!("\n{}", text::report(self, false));
        }
    }

    /// Panics with the rendered report unless some execution reached a forbidden outcome:
    /// for tests that show a bug is there.
    #[track_caller]
    pub fn assert_has_bug(&self) {
        if !self.has_bug() {
            panic!(
                "expected a forbidden outcome, found none\n{}",
                text::report(self, false)
            );
        }
    }
}

impl<O: fmt::Debug> fmt::Display for Report<O> {
    /// The whole report as plain text: coverage, outcome table, witnesses, requirements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::report(self, false))
    }
}
