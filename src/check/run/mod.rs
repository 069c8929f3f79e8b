//! The general check: [`check`] a body, declare what it may end with, [`Check::run`] it.
//!
//! * here: the [`Check`] builder and [`Search`];
//! * [`phases`]: how a run goes (probe, exhaustive search, sampling past its budget);
//! * [`collector`]: the outcome table, the witnesses and the requirements, execution by
//!   execution;
//! * [`plain`]: the same body under a plain shuttle scheduler, to compare checkers;
//! * [`executions`]: every execution of a strategy, for callers that drive their own;
//! * [`erased`]: a check's outcome type erased, so that the above is compiled once.

mod checkpoint;
mod collector;
mod erased;
pub(crate) mod executions;

pub(crate) use executions::{RawExecution, executions};
mod phases;
mod plain;
pub(crate) mod progress;

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use super::coverage::MemoryModel;
use super::report::{Ending, Report};
use super::rt::spurious::Spurious;
use super::strategy::steps::Pruning;

pub use plain::{FirstBug, PlainRun};
pub use progress::Progress;

/// The outcome type of a check: what the body returns.
pub trait Outcome: Clone + Debug + Eq + Hash + Send + Sync + 'static {}
impl<T: Clone + Debug + Eq + Hash + Send + Sync + 'static> Outcome for T {}

pub(crate) type Predicate<O> = Arc<dyn Fn(&O) -> bool + Send + Sync>;
pub(crate) type Explainer<O> = Arc<dyn Fn(&O) -> String + Send + Sync>;
/// A required outcome: its description, and how to tell an ending that reaches it.
pub(crate) type Required<O> = (String, Arc<dyn Fn(&Ending<O>) -> bool + Send + Sync>);

/// How a check chooses schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Search {
    /// Exhaustive at every operation: every execution graph (TruSt, see
    /// [`crate::check`]), each order of conflicting operations once. When stopping at the
    /// first bug, a short seeded
    /// probe of partial-order aware and random schedules runs first (most bugs show within a
    /// few of them); when the exhaustive search runs out of budget, random and PCT schedules
    /// with the seed sample what is left. The default.
    Auto,
    /// Exhaustive at every operation (TruSt), nothing else.
    Exhaustive,
    /// Every order of every operation, without reduction: the baseline the exhaustive search is checked
    /// and measured against (far slower; for small programs only).
    EveryOrder,
    /// Every interleaving of the *marked* steps only (see [`crate::check::step`]): exact
    /// step-level counts, but sound only for code whose shared state is all marked.
    MarkedSteps {
        /// Whether `main` takes marked steps of its own after spawning.
        main_has_steps: bool,
        /// Whether a choice that blocks at once may be skipped.
        pruning: Pruning,
    },
    /// `n` random schedules from the seed.
    Random(usize),
    /// `n` partial-order aware random schedules (POS) from the seed.
    Pos(usize),
    /// `n` PCT schedules of this depth from the seed.
    Pct {
        /// Schedules.
        executions: usize,
        /// Priority change points plus one.
        depth: usize,
    },
}

/// Executions of the probe (partial-order aware and uniform random schedules in turn) that
/// runs first when stopping at the first forbidden outcome (see [`Search::Auto`]).
pub const PROBE: usize = 32;
/// The default execution budget of an exhaustive search.
pub const MAX_EXECUTIONS: usize = 200_000;
/// The default limit on one execution's steps.
pub const MAX_STEPS: usize = 10_000;
/// How long, by default, a modelled thread may stay away from racelab (see
/// [`Check::stall_limit`]).
pub const STALL_LIMIT: Duration = crate::check::rt::stall::DEFAULT_LIMIT;
/// Random and PCT schedules sampled when an exhaustive search runs out of budget.
pub const SAMPLE: usize = 2_000;

/// A check being set up (see the [module docs](crate::check)).
pub struct Check<O: Outcome> {
    pub(crate) body: Arc<dyn Fn() -> O + Send + Sync>,
    pub(crate) name: String,
    pub(crate) acceptable: Option<Predicate<O>>,
    pub(crate) forbidden: Option<Predicate<O>>,
    pub(crate) explain: Option<Explainer<O>>,
    pub(crate) allow_deadlock: bool,
    pub(crate) allow_left_blocked: bool,
    pub(crate) required: Vec<Required<O>>,
    pub(crate) stop_at_first_bug: bool,
    pub(crate) search: Search,
    pub(crate) max_executions: usize,
    pub(crate) time_limit: Option<Duration>,
    pub(crate) max_steps: usize,
    pub(crate) stall_limit: Duration,
    pub(crate) spurious: Spurious,
    pub(crate) seed: u64,
    pub(crate) sample: usize,
    pub(crate) count_traces: bool,
    pub(crate) list_schedules: usize,
    pub(crate) memory_model: Option<MemoryModel>,
    pub(crate) jobs: Option<usize>,
    pub(crate) shard: Option<(usize, usize)>,
    pub(crate) checkpoint: Option<std::path::PathBuf>,
    pub(crate) progress: Option<progress::Watcher>,
}

/// Starts a check of `body`: it runs as the program's `main`, builds its shared state with
/// [`crate::check::sync`], spawns threads with [`crate::check::thread`], and returns an
/// outcome. By default every outcome it returns is acceptable, and a deadlock, a panic or an
/// endless execution is forbidden; say what else is forbidden with [`Check::expect`] or
/// [`Check::forbid`].
pub fn check<O: Outcome>(body: impl Fn() -> O + Send + Sync + 'static) -> Check<O> {
    Check {
        body: Arc::new(body),
        name: "your code".to_string(),
        acceptable: None,
        forbidden: None,
        explain: None,
        allow_deadlock: false,
        allow_left_blocked: false,
        required: Vec::new(),
        stop_at_first_bug: false,
        search: Search::Auto,
        max_executions: MAX_EXECUTIONS,
        time_limit: None,
        max_steps: MAX_STEPS,
        stall_limit: STALL_LIMIT,
        spurious: Spurious::default(),
        seed: 0,
        sample: SAMPLE,
        count_traces: false,
        list_schedules: 0,
        memory_model: None,
        jobs: None,
        shard: None,
        checkpoint: None,
        progress: None,
    }
}

impl<O: Outcome> Check<O> {
    /// Names what is checked, in the report.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Only outcomes for which `acceptable` holds are acceptable; every other is forbidden.
    pub fn expect(mut self, acceptable: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        self.acceptable = Some(Arc::new(acceptable));
        self
    }

    /// Outcomes for which `forbidden` holds are forbidden.
    pub fn forbid(mut self, forbidden: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        self.forbidden = Some(Arc::new(forbidden));
        self
    }

    /// Says what a forbidden outcome means, under its witness (otherwise: "the body
    /// returned …, which is forbidden").
    pub fn explain(mut self, explain: impl Fn(&O) -> String + Send + Sync + 'static) -> Self {
        self.explain = Some(Arc::new(explain));
        self
    }

    /// A deadlock is an acceptable ending (it is forbidden by default).
    pub fn allow_deadlock(mut self) -> Self {
        self.allow_deadlock = true;
        self
    }

    /// A thread still blocked when the body returns is acceptable (forbidden by default):
    /// for threads that wait for ever by design, like a worker nobody shuts down. The row
    /// is then judged by the outcome the body returned.
    ///
    /// ```
    /// # if racelab::UNDER_LOOM { return; }
    /// use racelab::check::sync::{Arc, Condvar, Mutex};
    /// use racelab::check::{Ending, check, thread};
    ///
    /// // A worker waits for a job that never comes; the body returns without it.
    /// let body = || {
    ///     let jobs = Arc::new((Mutex::new(Vec::<u32>::new()), Condvar::new()));
    ///     let worker = Arc::clone(&jobs);
    ///     thread::spawn(move || {
    ///         let (queue, ready) = &*worker;
    ///         let mut queue = queue.lock().unwrap();
    ///         while queue.is_empty() {
    ///             queue = ready.wait(queue).unwrap();
    ///         }
    ///     });
    ///     "done"
    /// };
    /// let strict = check(body).run();
    /// assert!(!strict.passed());
    /// assert!(strict.witness(&Ending::LeftBlocked("done")).is_some());
    /// assert!(check(body).allow_left_blocked().run().passed());
    /// ```
    pub fn allow_left_blocked(mut self) -> Self {
        self.allow_left_blocked = true;
        self
    }

    /// Some execution must return `outcome` ("there exists an interleaving"): the report
    /// says so if none does.
    pub fn require(mut self, outcome: O) -> Self {
        let description = format!("{outcome:?}");
        let wanted = Ending::Returned(outcome);
        self.required
            .push((description, Arc::new(move |e: &Ending<O>| *e == wanted)));
        self
    }

    /// Some execution must end in a way `reached` accepts, described as `description`.
    pub fn require_where(
        mut self,
        description: impl Into<String>,
        reached: impl Fn(&Ending<O>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.required.push((description.into(), Arc::new(reached)));
        self
    }

    /// Stop at the first forbidden outcome (the default of [`Check::assert_passes`]).
    pub fn stop_at_first_bug(mut self, stop: bool) -> Self {
        self.stop_at_first_bug = stop;
        self
    }

    /// How to choose schedules (default [`Search::Auto`]).
    pub fn search(mut self, search: Search) -> Self {
        self.search = search;
        self
    }

    /// The budget of the exhaustive search (default [`MAX_EXECUTIONS`]).
    pub fn max_executions(mut self, executions: usize) -> Self {
        self.max_executions = executions.max(1);
        self
    }

    /// A time limit for the whole check (none by default).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// The most steps one execution may take before it counts as endless (default
    /// [`MAX_STEPS`]).
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = steps.max(1);
        self
    }

    /// How long a modelled thread may stay away from racelab before the check ends the
    /// process with a message naming the thread and its last line (default
    /// [`STALL_LIMIT`]). A thread that blocks on something racelab does not model (a
    /// `std::sync` lock, a std channel, I/O) would otherwise hang the check for ever; raise
    /// the limit for bodies that compute for long between two of racelab's operations.
    pub fn stall_limit(mut self, limit: Duration) -> Self {
        self.stall_limit = limit.max(Duration::from_millis(10));
        self
    }

    /// Whether `Condvar::wait` (with `wait_while`) and `thread::park` may wake spuriously, as
    /// std allows (default `false`: they wake only when notified or unparked, an assumption
    /// every report's coverage names). With `true`, the check explores a spurious wake-up
    /// at every moment a thread waits, so code that waits with an `if` instead of a `while`
    /// loop is caught. A loop that wakes spuriously and waits again with nothing changed is
    /// cut as a polling loop is (see the coverage's assumptions); one that waits for
    /// something nobody will do is reported as a deadlock.
    ///
    /// ```
    /// use racelab::check::sync::{Arc, Condvar, Mutex};
    /// use racelab::check::{check, thread};
    ///
    /// let waits_with_if = || {
    ///     let pair = Arc::new((Mutex::new(false), Condvar::new()));
    ///     let setter = Arc::clone(&pair);
    ///     let t = thread::spawn(move || {
    ///         *setter.0.lock().unwrap() = true;
    ///         setter.1.notify_one();
    ///     });
    ///     let (ready, cv) = &*pair;
    ///     let mut guard = ready.lock().unwrap();
    ///     if !*guard {
    ///         guard = cv.wait(guard).unwrap(); // should be `while`
    ///     }
    ///     let seen = *guard;
    ///     drop(guard);
    ///     t.join().unwrap();
    ///     seen
    /// };
    /// // Without spurious wake-ups the `if` looks right; with them, it is not.
    /// assert!(check(waits_with_if).expect(|ready| *ready).run().passed());
    /// let report = check(waits_with_if)
    ///     .expect(|ready| *ready)
    ///     .spurious_wakeups(true)
    ///     .run();
    /// assert!(!report.passed());
    /// ```
    pub fn spurious_wakeups(mut self, allowed: bool) -> Self {
        self.spurious.wakeups = allowed;
        self
    }

    /// How many times each thread's `compare_exchange_weak` may fail spuriously: fail
    /// although the value was the one expected, as std allows on every platform (and
    /// ARM's and RISC-V's do). Default 0: it never does, an assumption every report's
    /// coverage names. With `n`, the check also explores every execution in which at most
    /// `n` of each thread's weak exchanges fail that way (the bound, which the coverage
    /// names too, is what keeps a retry loop from running for ever). Code that calls
    /// `compare_exchange_weak` outside a loop, and takes a failure to mean that another
    /// thread changed the value, is caught with 1.
    ///
    /// ```
    /// use racelab::check::{check, sync::atomic::{AtomicU32, Ordering::SeqCst}};
    ///
    /// // Claims a free slot once, without a loop: the failure is read as "taken".
    /// let claim_once = || {
    ///     let slot = AtomicU32::new(0);
    ///     slot.compare_exchange_weak(0, 1, SeqCst, SeqCst).is_ok()
    /// };
    /// // Without spurious failures it always claims the free slot; with them, not always.
    /// assert!(check(claim_once).expect(|claimed| *claimed).run().passed());
    /// let report = check(claim_once)
    ///     .expect(|claimed| *claimed)
    ///     .spurious_failures(1)
    ///     .run();
    /// assert!(!report.passed());
    /// ```
    pub fn spurious_failures(mut self, per_thread: u32) -> Self {
        self.spurious.failures = per_thread;
        self
    }

    /// How many times each thread may wake without a notify: a `wait_timeout`,
    /// `park_timeout` or `recv_timeout` that times out, or a wait that wakes spuriously
    /// ([`spurious_wakeups`](Self::spurious_wakeups)). Default: no limit, and a loop of such
    /// waits is cut only by the polling rule (a turn that repeats the one before and read
    /// nothing new), which two threads that wake each other never meet: such a search runs
    /// into its budget and says *bounded*. With `n`, a thread that has woken `n` times
    /// without a notify waits for one like a plain `wait` (with 0, spurious wake-ups are
    /// never explored), so a loop that only such wake-ups drive ends. An execution in which
    /// no thread can go on while a thread waits in a `wait_timeout` (or `park_timeout`) at
    /// its limit is cut, if every other thread might go on after that one (it waits for a
    /// notify, a change, a lock or a join that thread might still give): it ends as its own
    /// row, "cut at the limit of n wake-ups without a notify per thread"
    /// ([`Ending::WakeupLimit`](crate::check::Ending::WakeupLimit)), acceptable, and what
    /// would follow is not explored. A thread stuck whatever that one does (a lock cycle),
    /// a wait that only a spurious wake-up could end, a panic nobody joined and a value the
    /// body returned are judged as without a limit. The coverage names the limit:
    /// *exhaustive* then means every execution in which no thread wakes without a notify
    /// more than `n` times, up to the points where executions were cut.
    ///
    /// ```
    /// use racelab::check::{check, sync::{Arc, Condvar, Mutex}, thread};
    ///
    /// // Two workers wait for work on one mutex, with spurious wake-ups: a wake-up of one
    /// // re-locks the mutex the other waits on, so the waits never repeat themselves.
    /// let two_workers = || {
    ///     let shared = Arc::new((Mutex::new(0u32), Condvar::new()));
    ///     let workers: Vec<_> = (0..2)
    ///         .map(|_| {
    ///             let shared = Arc::clone(&shared);
    ///             thread::spawn(move || {
    ///                 let (items, cv) = &*shared;
    ///                 let mut items = items.lock().unwrap();
    ///                 while *items == 0 {
    ///                     items = cv.wait(items).unwrap();
    ///                 }
    ///                 *items -= 1;
    ///             })
    ///         })
    ///         .collect();
    ///     *shared.0.lock().unwrap() = 2;
    ///     shared.1.notify_all();
    ///     for w in workers {
    ///         w.join().unwrap();
    ///     }
    ///     let left = *shared.0.lock().unwrap();
    ///     left
    /// };
    /// let report = check(two_workers)
    ///     .expect(|left| *left == 0)
    ///     .spurious_wakeups(true)
    ///     .wakeups_without_notify(2)
    ///     .run();
    /// report.assert_passed();
    /// assert!(report.coverage.is_exhaustive());
    /// ```
    pub fn wakeups_without_notify(mut self, per_thread: u32) -> Self {
        self.spurious.wakeup_limit = Some(per_thread);
        self
    }

    /// The seed of the random and PCT schedules (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Random plus PCT schedules to sample when the exhaustive search runs out of budget
    /// (default [`SAMPLE`]; 0 for none).
    pub fn sample(mut self, executions: usize) -> Self {
        self.sample = executions;
        self
    }

    /// Counts how many distinct executions (Mazurkiewicz traces) the executions of each phase
    /// were, in the report's coverage ([`crate::check::coverage::Phase::distinct`]): for the
    /// exhaustive search, equal to its executions when it is optimal. Keeps a 16-byte digest
    /// per execution.
    pub fn count_traces(mut self, count: bool) -> Self {
        self.count_traces = count;
        self
    }

    /// How many parallel jobs share the exhaustive search, each on its own OS thread (at
    /// least 1). By default the `RACELAB_JOBS` environment variable, else one per core
    /// ([`std::thread::available_parallelism`]).
    ///
    /// The jobs split the search tree between them, so the report is the same for any
    /// number: the same outcome table with the same counts, the same witnesses, the same
    /// coverage but for the number of jobs it names (when the search runs to its end; a
    /// search stopped by a budget or at the first bug stops wherever each job was). The
    /// body runs on several OS threads at once: a `static` it changes through std is shared
    /// by them. racelab's own primitives in a `static` (or created outside the body) are
    /// found, and the search then runs as one job (the report says why).
    ///
    /// ```
    /// use racelab::check::{check, sync::atomic::{AtomicUsize, Ordering}, sync::Arc, thread};
    ///
    /// let body = || {
    ///     let n = Arc::new(AtomicUsize::new(0));
    ///     let m = Arc::clone(&n);
    ///     let t = thread::spawn(move || m.fetch_add(1, Ordering::SeqCst));
    ///     let seen = n.load(Ordering::SeqCst);
    ///     t.join().unwrap();
    ///     seen
    /// };
    /// let one = check(body).jobs(1).run();
    /// let two = check(body).jobs(2).run();
    /// assert_eq!(one.rows, two.rows);
    /// ```
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = Some(jobs.max(1));
        self
    }

    /// Runs shard `index` of `count` (numbered from 1) of the exhaustive search: a
    /// deterministic part of it, disjoint from the others', so that a CI matrix can spread
    /// one large check over several machines. Each shard's report covers its part
    /// ([`Coverage::shards`](crate::check::Coverage::shards); its coverage is
    /// [`CoverageKind::Partial`](crate::check::CoverageKind::Partial)), and
    /// [`Report::merge`] of the reports of shards 1 to `count` is the report of the whole
    /// search: the same rows, executions and witnesses (`count` 1 is the whole search).
    /// Also set by the environment variable `RACELAB_SHARD=index/count`.
    ///
    /// Every shard runs the top of the search tree (the first executions and their first
    /// alternatives, all shards alike) and then the subtrees dealt to it; only shard 1
    /// reports the top. With [`Search::Auto`], the probe and the sampling past the budget
    /// run in shard 1 only. Other searches cannot be split (running them panics).
    ///
    /// # Panics
    ///
    /// If `count` is 0 or `index` is not in `1..=count`.
    ///
    /// ```
    /// use racelab::check::{check, sync::atomic::{AtomicUsize, Ordering}, sync::Arc, thread};
    /// use racelab::check::{Report, Search};
    ///
    /// let body = || {
    ///     let n = Arc::new(AtomicUsize::new(0));
    ///     let handles: Vec<_> = (0..3)
    ///         .map(|_| {
    ///             let n = Arc::clone(&n);
    ///             thread::spawn(move || {
    ///                 let v = n.load(Ordering::SeqCst);
    ///                 n.store(v + 1, Ordering::SeqCst);
    ///             })
    ///         })
    ///         .collect();
    ///     for h in handles {
    ///         h.join().unwrap();
    ///     }
    ///     n.load(Ordering::SeqCst)
    /// };
    /// let whole = check(body).search(Search::Exhaustive).run();
    /// let parts: Vec<_> = (1..=3)
    ///     .map(|i| check(body).search(Search::Exhaustive).shard(i, 3).run())
    ///     .collect();
    /// assert!(!parts[0].coverage.is_exhaustive());
    /// let merged = Report::merge(parts).unwrap();
    /// assert!(merged.coverage.is_exhaustive());
    /// assert_eq!(merged.rows, whole.rows);
    /// ```
    #[track_caller]
    pub fn shard(mut self, index: usize, count: usize) -> Self {
        if let Err(e) = check_shard(index, count) {
            panic!("{e}");
        }
        self.shard = Some((index, count));
        self
    }

    /// Spreads one exhaustive search over several runs (several CI jobs, one after the
    /// other): when the search runs out of its execution budget or time, it saves its place
    /// to the file at `path`; a check started with a saved place resumes from it, and a
    /// search that runs to its end removes the file. Each run's report covers its stretch of
    /// the search (a resumed one is
    /// [`CoverageKind::Partial`](crate::check::CoverageKind::Partial), "from checkpoint …
    /// to the end"), and [`Report::merge`] of every stretch's report is the report of the
    /// whole search in one run (`racelab merge` for their JSON). Runs as one job; cannot be
    /// combined with [`Check::shard`] yet (running panics).
    ///
    /// The place is the path through the search tree to the last execution run; resuming
    /// runs that path again without reporting it (as many executions as the tree is deep),
    /// then goes on exactly where the search stopped. The file names its check: a file of
    /// another check is refused.
    ///
    /// ```
    /// use racelab::check::{check, sync::atomic::{AtomicUsize, Ordering}, sync::Arc, thread};
    /// use racelab::check::{Report, Search};
    ///
    /// let body = || {
    ///     let n = Arc::new(AtomicUsize::new(0));
    ///     let handles: Vec<_> = (0..3)
    ///         .map(|_| {
    ///             let n = Arc::clone(&n);
    ///             thread::spawn(move || {
    ///                 let v = n.load(Ordering::SeqCst);
    ///                 n.store(v + 1, Ordering::SeqCst);
    ///             })
    ///         })
    ///         .collect();
    ///     for h in handles {
    ///         h.join().unwrap();
    ///     }
    ///     n.load(Ordering::SeqCst)
    /// };
    /// let file = std::env::temp_dir().join(format!("doc-checkpoint-{}", std::process::id()));
    /// let mut stretches = Vec::new();
    /// loop {
    ///     // Ten executions per run, as if each run were a CI job with little time.
    ///     let report = check(body)
    ///         .search(Search::Exhaustive)
    ///         .max_executions(10)
    ///         .checkpoint(&file)
    ///         .run();
    ///     let ended = !file.exists();
    ///     stretches.push(report);
    ///     if ended {
    ///         break;
    ///     }
    /// }
    /// let whole = check(body).search(Search::Exhaustive).run();
    /// let merged = Report::merge(stretches).unwrap();
    /// assert!(merged.coverage.is_exhaustive());
    /// assert!(merged.same_findings(&whole));
    /// ```
    pub fn checkpoint(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.checkpoint = Some(path.into());
        self
    }

    /// Hands `watch` the check's progress about five times a second while it runs, and once
    /// at the end: executions so far, their rate, and how many executions the exhaustive
    /// search takes in all, estimated before it starts by Knuth's estimator over random
    /// walks down its tree (up to 1,000 walks, costing at most a hundredth of the budget, or
    /// a twentieth of the estimate; a watched check pays for them, an unwatched one does
    /// not). A search that runs to its end notes in the report how far off the estimate
    /// was. Without this, `RACELAB_PROGRESS=1` prints a line on stderr about once a second;
    /// `racelab check` shows a bar when stderr is a terminal.
    ///
    /// ```
    /// # if racelab::UNDER_LOOM { return; }
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc as StdArc;
    /// use racelab::check::sync::{Arc, Mutex};
    /// use racelab::check::{check, thread};
    ///
    /// let last = StdArc::new(AtomicUsize::new(0));
    /// let seen = StdArc::clone(&last);
    /// let report = check(|| {
    ///     let n = Arc::new(Mutex::new(0));
    ///     let t = { let n = Arc::clone(&n); thread::spawn(move || *n.lock().unwrap() += 1) };
    ///     *n.lock().unwrap() += 1;
    ///     t.join().unwrap();
    ///     let total = *n.lock().unwrap();
    ///     total
    /// })
    /// .progress(move |p| {
    ///     if p.done {
    ///         seen.store(p.searched, Ordering::Relaxed); // the search's executions
    ///     }
    /// })
    /// .run();
    /// let phase = &report.coverage.phases[0];
    /// assert_eq!(last.load(Ordering::Relaxed), phase.executions + phase.abandoned);
    /// assert!(report.notes.iter().any(|n| n.contains("random walks")));
    /// ```
    pub fn progress(mut self, watch: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(watch));
        self
    }

    /// Forces the memory model of the exhaustive search. By default it is sequential
    /// consistency while every atomic operation the program runs is `SeqCst` (exact then,
    /// and cheapest), and RC11 as soon as one is weaker. Forcing sequential consistency on a
    /// program with weaker orderings is faster but misses what they allow (the report says
    /// so); forcing RC11 on a `SeqCst` program finds the same outcomes, slower.
    pub fn memory_model(mut self, model: MemoryModel) -> Self {
        self.memory_model = Some(model);
        self
    }

    /// Keeps the schedule of each of the first `max` executions in the report
    /// ([`Report::schedules`]): which thread took each operation, and how it ended — one line
    /// each, to see what a passing check explored.
    pub fn list_schedules(mut self, max: usize) -> Self {
        self.list_schedules = max;
        self
    }

    /// Runs the check and panics with the rendered report (table, witness, coverage) unless
    /// it passes; stops at the first forbidden outcome. For `cargo test`.
    #[track_caller]
    pub fn assert_passes(self) -> Report<O> {
        let report = self.stop_at_first_bug(true).run();
        report.assert_passed();
        report
    }

    /// Runs the check and panics with the rendered report unless some execution reaches a
    /// forbidden outcome; stops at the first. For tests that show a bug is found.
    #[track_caller]
    pub fn assert_finds_bug(self) -> Report<O> {
        let report = self.stop_at_first_bug(true).run();
        report.assert_has_bug();
        report
    }
}

/// Whether shard `index` of `count` exists.
pub(crate) fn check_shard(index: usize, count: usize) -> Result<(), String> {
    if count == 0 || index == 0 || index > count {
        return Err(format!(
            "racelab: there is no shard {index} of {count}: shards are numbered from 1 to \
             their count (1 or more), e.g. 2/3 for the second of three"
        ));
    }
    Ok(())
}

/// Parses `index/count` (as in `RACELAB_SHARD=2/3`).
pub(crate) fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text.trim().split_once('/').and_then(|(i, n)| {
        Some((
            i.trim().parse::<usize>().ok()?,
            n.trim().parse::<usize>().ok()?,
        ))
    });
    let Some((index, count)) = parsed else {
        return Err(format!(
            "racelab: {text:?} is not a shard: write index/count, numbered from 1, e.g. 2/3 \
             for the second of three"
        ));
    };
    check_shard(index, count)?;
    Ok((index, count))
}
