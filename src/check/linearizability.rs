//! Linearizability, Lincheck-style: is every concurrent history of your object explained by
//! some sequential one?
//!
//! proptest generates small scenarios — 2 or 3 threads, each calling 1 to 3 operations on
//! one shared object — and racelab explores every schedule of each ([`crate::check`]'s
//! exhaustive search). In every execution each operation's result is recorded, with the
//! moments it was called and returned. The execution is **linearizable** when some order of
//! all the operations — keeping each thread's order, and putting an operation that returned
//! before another was called before it — gives the same results when replayed one at a time
//! on a sequential specification. A scenario with an execution that is not, fails; proptest
//! then shrinks it to the smallest scenario that still fails, and the report shows it as a
//! table of operations per thread with their results, and the execution step by step.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::linearizability::check_linearizable;
//! use racelab::checked::specs::{QueueOp, QueueSpec};
//! use racelab::checked::queue::TaskQueue;
//!
//! // racelab's own TaskQueue, against Python's queue.Queue semantics (racelab's std build).
//! let report = check_linearizable(
//!     QueueSpec::default(),
//!     || TaskQueue::<u8>::new(0),
//!     |q, op| op.apply_to(q),
//!     QueueOp::strategy(),
//! )
//! .cases(16)
//! .run();
//! assert!(report.failure.is_none());
//! ```

use std::fmt::Write as _;
use std::fmt::{self, Debug};
use std::hash::Hash;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use proptest::strategy::Strategy as Generate;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use super::{Ending, Report, check, thread};

/// A sequential specification: what each operation returns when operations run one at a
/// time.
pub trait Spec: Clone + Debug + Send + Sync + 'static {
    /// An operation, with its arguments.
    type Op: Clone + Debug + Eq + Hash + Send + Sync + 'static;
    /// What an operation returns.
    type Ret: Clone + Debug + Eq + Hash + Send + Sync + 'static;
    /// Runs `op` on this state.
    fn apply(&mut self, op: &Self::Op) -> Self::Ret;
}

/// One execution of a scenario: each thread's operations with their results, and the order
/// in which operations were called and returned.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct History<Op, Ret> {
    /// Each thread's operations and what they returned, in program order.
    pub threads: Vec<Vec<(Op, Ret)>>,
    /// Calls and returns as they happened: (thread, index in the thread, returned?).
    pub order: Vec<(usize, usize, bool)>,
}

impl<Op: Debug, Ret: Debug> Debug for History<Op, Ret> {
    /// One line: `Thread1: Qsize → Size(1), GetNowait → Got(Err(Empty)) | Thread2: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, ops) in self.threads.iter().enumerate() {
            if t > 0 {
                f.write_str(" | ")?;
            }
            let ops: Vec<String> = ops
                .iter()
                .map(|(op, r)| format!("{op:?} → {r:?}"))
                .collect();
            write!(f, "Thread{}: {}", t + 1, ops.join(", "))?;
        }
        Ok(())
    }
}

impl<Op: Clone, Ret: Clone> History<Op, Ret> {
    /// Whether some order of the operations that keeps program order and real-time order
    /// gives the recorded results on `spec`.
    pub fn linearizable<S: Spec<Op = Op, Ret = Ret>>(&self, spec: &S) -> bool
    where
        Ret: PartialEq,
    {
        // Where each operation was called and returned in `order`.
        let mut called = vec![Vec::new(); self.threads.len()];
        let mut returned = vec![Vec::new(); self.threads.len()];
        for (at, &(t, _, ret)) in self.order.iter().enumerate() {
            if ret {
                returned[t].push(at);
            } else {
                called[t].push(at);
            }
        }
        let mut done = vec![0usize; self.threads.len()];
        self.search(spec.clone(), &mut done, &called, &returned)
    }

    fn search<S: Spec<Op = Op, Ret = Ret>>(
        &self,
        state: S,
        done: &mut [usize],
        called: &[Vec<usize>],
        returned: &[Vec<usize>],
    ) -> bool
    where
        Ret: PartialEq,
    {
        if done
            .iter()
            .zip(&self.threads)
            .all(|(d, ops)| *d == ops.len())
        {
            return true;
        }
        for t in 0..self.threads.len() {
            let i = done[t];
            if i == self.threads[t].len() {
                continue;
            }
            // Not before an operation that returned before this one was called.
            let blocked = (0..self.threads.len()).any(|u| {
                (done[u]..self.threads[u].len())
                    .any(|j| (u, j) != (t, i) && returned[u][j] < called[t][i])
            });
            if blocked {
                continue;
            }
            let (op, expected) = &self.threads[t][i];
            let mut next = state.clone();
            if next.apply(op) != *expected {
                continue;
            }
            done[t] += 1;
            let found = self.search(next, done, called, returned);
            done[t] -= 1;
            if found {
                return true;
            }
        }
        false
    }
}

/// Runs one operation on the object under test.
type Apply<S, T> = Arc<dyn Fn(&T, &<S as Spec>::Op) -> <S as Spec>::Ret + Send + Sync>;

/// A linearizability check being set up (see the module docs).
pub struct Linearizability<S: Spec, T> {
    spec: S,
    make: Arc<dyn Fn() -> T + Send + Sync>,
    apply: Apply<S, T>,
    ops: proptest::strategy::BoxedStrategy<S::Op>,
    cases: u32,
    seed: u64,
}

/// The scenario that broke linearizability, shrunk.
#[derive(Debug, Clone)]
pub struct Failure<S: Spec> {
    /// Each thread's operations, in program order (the shrunk scenario).
    pub scenario: Vec<Vec<S::Op>>,
    /// The exploration of that scenario: its witness is a non-linearizable execution.
    pub report: Report<History<S::Op, S::Ret>>,
}

/// What a linearizability check found.
#[derive(Debug, Clone)]
pub struct LinearizabilityReport<S: Spec> {
    /// What was checked.
    pub name: String,
    /// Scenarios run (each explored exhaustively, unless a note says otherwise).
    pub scenarios: usize,
    /// Scenarios whose exploration was not exhaustive (too many schedules).
    pub not_exhaustive: usize,
    /// The smallest failing scenario, if one failed.
    pub failure: Option<Failure<S>>,
}

/// Checks the object made by `make` against `spec`: `apply` runs an operation on it,
/// `ops` generates operations (see the module docs).
pub fn check_linearizable<S, T, G>(
    spec: S,
    make: impl Fn() -> T + Send + Sync + 'static,
    apply: impl Fn(&T, &S::Op) -> S::Ret + Send + Sync + 'static,
    ops: G,
) -> Linearizability<S, T>
where
    S: Spec,
    T: Send + Sync + 'static,
    G: Generate<Value = S::Op> + Send + Sync + 'static,
{
    Linearizability {
        spec,
        make: Arc::new(make),
        apply: Arc::new(apply),
        ops: ops.boxed(),
        cases: 64,
        seed: 0,
    }
}

impl<S: Spec, T: Send + Sync + 'static> Linearizability<S, T> {
    /// How many scenarios proptest generates (default 64).
    pub fn cases(mut self, cases: u32) -> Self {
        self.cases = cases.max(1);
        self
    }

    /// The seed of the scenarios (default 0): the same seed, the same scenarios.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Explores one scenario.
    fn explore(&self, scenario: &[Vec<S::Op>]) -> Report<History<S::Op, S::Ret>> {
        let (make, apply) = (Arc::clone(&self.make), Arc::clone(&self.apply));
        let threads = scenario.to_vec();
        let spec = self.spec.clone();
        check(move || {
            let object = Arc::new(make());
            // Calls and returns, in the order they happen: only one thread runs at a time
            // under the checker, and none switches between an entry and its operation.
            let order = Arc::new(StdMutex::new(Vec::new()));
            let handles: Vec<_> = threads
                .iter()
                .cloned()
                .enumerate()
                .map(|(t, ops)| {
                    let (object, apply, order) =
                        (Arc::clone(&object), Arc::clone(&apply), Arc::clone(&order));
                    thread::spawn(move || {
                        ops.into_iter()
                            .enumerate()
                            .map(|(i, op)| {
                                let log = |ret| {
                                    order
                                        .lock()
                                        .unwrap_or_else(PoisonError::into_inner)
                                        .push((t, i, ret))
                                };
                                log(false);
                                let result = apply(&object, &op);
                                log(true);
                                (op, result)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let threads = handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            let order = std::mem::take(&mut *order.lock().unwrap_or_else(PoisonError::into_inner));
            History { threads, order }
        })
        .name("a concurrent history")
        .expect(move |h| h.linearizable(&spec))
        .stop_at_first_bug(true)
        .run()
    }

    /// Generates scenarios, explores each, and shrinks a failing one.
    pub fn run(self) -> LinearizabilityReport<S> {
        let mut runner = TestRunner::new(Config {
            cases: self.cases,
            rng_seed: RngSeed::Fixed(self.seed),
            failure_persistence: None,
            ..Config::default()
        });
        let scenarios =
            proptest::collection::vec(proptest::collection::vec(self.ops.clone(), 1..=3), 2..=3);
        let explored = std::cell::Cell::new(0usize);
        let partial = std::cell::Cell::new(0usize);
        let result = runner.run(&scenarios, |scenario| {
            explored.set(explored.get() + 1);
            let report = self.explore(&scenario);
            if !report.coverage.is_exhaustive() && !report.has_bug() {
                partial.set(partial.get() + 1);
            }
            if report.has_bug() {
                return Err(TestCaseError::fail("not linearizable"));
            }
            Ok(())
        });
        let failure = match result {
            Err(TestError::Fail(_, scenario)) => {
                let report = self.explore(&scenario);
                Some(Failure { scenario, report })
            }
            _ => None,
        };
        LinearizabilityReport {
            name: format!("linearizability against {:?}", self.spec),
            scenarios: explored.get(),
            not_exhaustive: partial.get(),
            failure,
        }
    }
}

impl<S: Spec> Failure<S> {
    /// The non-linearizable execution's history: each thread's operations with results.
    pub fn history(&self) -> Option<&History<S::Op, S::Ret>> {
        self.report
            .witnesses
            .first()
            .and_then(|w| w.ending.returned())
    }

    /// How the failing execution ended, if not with a history (a deadlock, a panic).
    pub fn ending(&self) -> Option<&Ending<History<S::Op, S::Ret>>> {
        self.report.witnesses.first().map(|w| &w.ending)
    }
}

/// The verdict, and for a failure the smallest scenario as a table of operations per thread
/// with their results, then the execution.
impl<S: Spec> fmt::Display for LinearizabilityReport<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text(self))
    }
}

/// The report of a linearizability check, as [`LinearizabilityReport`]'s `Display` shows it.
fn text<S: Spec>(r: &LinearizabilityReport<S>) -> String {
    let mut out = format!("{}\n", r.name);
    let partial = match r.not_exhaustive {
        0 => "each explored exhaustively".to_string(),
        n => format!("{n} of them NOT explored exhaustively"),
    };
    let Some(failure) = &r.failure else {
        let _ = writeln!(
            out,
            "linearizable in all {} scenarios ({partial})",
            r.scenarios
        );
        return out;
    };
    let _ = writeln!(
        out,
        "NOT linearizable: the smallest failing scenario, after {} scenarios:\n",
        r.scenarios
    );
    if let Some(history) = failure.history() {
        let cells: Vec<Vec<String>> = history
            .threads
            .iter()
            .map(|ops| {
                ops.iter()
                    .map(|(op, ret)| format!("{op:?} → {ret:?}"))
                    .collect()
            })
            .collect();
        let width = cells
            .iter()
            .flatten()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
            .max(7);
        let names: Vec<String> = (1..=cells.len())
            .map(|t| format!("{:<width$}", format!("Thread{t}")))
            .collect();
        let _ = writeln!(out, "  {}", names.join(" | ").trim_end());
        let rows = cells.iter().map(Vec::len).max().unwrap_or(0);
        for row in 0..rows {
            let line: Vec<String> = cells
                .iter()
                .map(|c| format!("{:<width$}", c.get(row).map_or("", String::as_str)))
                .collect();
            let _ = writeln!(out, "  {}", line.join(" | ").trim_end());
        }
        let _ = writeln!(
            out,
            "\n  no order of these operations that keeps each thread's order, and real time, \
             gives these results one at a time"
        );
    } else if let Some(ending) = failure.ending() {
        let _ = writeln!(out, "  an execution ended: {ending}");
    }
    let _ = writeln!(out, "\nThe execution:");
    if let Some(w) = failure.report.witnesses.first() {
        let name = |t: usize| w.thread_name(t).to_string();
        out.push_str(&crate::check::report::text::trace_table(&w.trace, &name));
    }
    let _ = writeln!(
        out,
        "coverage of that scenario: {}",
        failure.report.coverage
    );
    out
}
