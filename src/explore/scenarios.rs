//! The scenarios `racelab explore` and `racelab replay` know: the tutorial's programs and
//! the classic mistakes a learner makes with them.
//!
//! Each scenario runs the real core compiled on shuttle (this module's siblings `counter`,
//! `lock`, `queue`, `pool`); the mistakes are learner code written *with* the core's
//! primitives, exactly as a learner would write it. Every thread a scenario spawns reports
//! its steps to the [`Recorder`] and calls [`Recorder::finish`] when it is done.

use std::fmt;
use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering::SeqCst as StdSeqCst};
use std::sync::Arc as StdArc;

use super::counter::Strategy;
use super::dfs::Pruning;
use super::lock::Lock;
use super::queue::TaskQueue;
use super::scenario;
use super::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use super::sync::{lock as lock_mutex, thread, Arc, Condvar, Mutex};
use super::trace::Recorder;
use crate::pause::Pause;
use crate::step::Step;

/// What one execution of a scenario ended with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The final `database_value`.
    Value(usize),
    /// A described end state (queue scenarios).
    Label(String),
    /// Every thread was blocked: the program could never finish.
    Deadlock,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Value(v) => write!(f, "{v}"),
            Outcome::Label(label) => f.write_str(label),
            Outcome::Deadlock => f.write_str("deadlock"),
        }
    }
}

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

/// The scenarios (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Kind {
    /// The tutorial's unlocked increment: read, then write. Loses updates.
    CounterUnlocked,
    /// The increment inside the lock. Never loses an update.
    CounterLocked,
    /// One `fetch_add`. Never loses an update.
    CounterAtomic,
    /// The tutorial's pool: workers get, handle, task_done; a producer puts; main joins.
    Queue,
    /// Mistake: the lock is held around the read only, and released before the write.
    InsufficientLock,
    /// Mistake: each thread locks a different lock.
    TwoLocks,
    /// Mistake: a thread takes the lock and never releases it.
    NeverReleased,
    /// Mistake: the worker calls task_done before doing the work, so join returns early.
    TaskDoneEarly,
    /// Mistake: a consumer waits on its condition with `if` instead of `while`.
    IfNotWhile,
    /// Your own `SharedCounter` (see [`super::yours`]); not a command line scenario.
    #[value(skip)]
    YourCounter,
}

impl Kind {
    /// Every scenario.
    pub const ALL: [Kind; 9] = [
        Kind::CounterUnlocked,
        Kind::CounterLocked,
        Kind::CounterAtomic,
        Kind::Queue,
        Kind::InsufficientLock,
        Kind::TwoLocks,
        Kind::NeverReleased,
        Kind::TaskDoneEarly,
        Kind::IfNotWhile,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::CounterUnlocked => "counter-unlocked",
            Kind::CounterLocked => "counter-locked",
            Kind::CounterAtomic => "counter-atomic",
            Kind::Queue => "queue",
            Kind::InsufficientLock => "insufficient-lock",
            Kind::TwoLocks => "two-locks",
            Kind::NeverReleased => "never-released",
            Kind::TaskDoneEarly => "task-done-early",
            Kind::IfNotWhile => "if-not-while",
            Kind::YourCounter => "your-counter",
        }
    }
}

/// The sizes of a scenario. Counters use `threads` × `increments`; the queue scenarios use
/// `workers` and `items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Threads incrementing the counter.
    pub threads: usize,
    /// Increments per thread.
    pub increments: usize,
    /// Workers draining the queue.
    pub workers: usize,
    /// Items put on the queue.
    pub items: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            threads: 2,
            increments: 1,
            workers: 2,
            items: 2,
        }
    }
}

/// A request the explorer refuses, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TooLarge(pub String);

/// Distinct interleavings of `threads` sequences of `steps` steps each:
/// (threads·steps)! / (steps!)^threads, or `None` on overflow.
pub fn interleavings(threads: usize, steps: usize) -> Option<u128> {
    let mut total: u128 = 1;
    let mut placed = 0u128;
    for _ in 0..threads {
        for k in 1..=steps as u128 {
            placed += 1;
            total = total.checked_mul(placed)? / k;
        }
    }
    Some(total)
}

/// Most distinct interleavings an exploration is allowed (a few seconds in release).
pub const MAX_INTERLEAVINGS: u128 = 100_000;

/// A scenario with its sizes, checked to be small enough to explore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    kind: Kind,
    params: Params,
}

impl Scenario {
    /// Checks `params` for `kind`; the error says which limit was passed and what to try.
    pub fn new(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        if kind == Kind::YourCounter {
            return Err(TooLarge(
                "your-counter is checked with racelab::explore::yours::check_counter".to_string(),
            ));
        }
        Scenario::sized(kind, params)
    }

    /// A scenario for real-thread stress runs, where sizes may be far larger than an
    /// exhaustive exploration allows (up to 64 threads or workers, 1,000,000 increments,
    /// 100,000 items).
    pub fn for_stress(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        let name = kind.name();
        for (what, value, hi) in [
            ("--threads", params.threads, 64),
            ("--increments", params.increments, 1_000_000),
            ("--workers", params.workers, 64),
            ("--items", params.items, 100_000),
        ] {
            if !(1..=hi).contains(&value) {
                return Err(TooLarge(format!(
                    "{name}: {what} must be between 1 and {hi} for stress, got {value}"
                )));
            }
        }
        Ok(Scenario { kind, params })
    }

    /// The size checks of [`new`](Self::new), for every kind.
    pub(crate) fn sized(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        let Params {
            threads,
            increments,
            workers,
            items,
        } = params;
        let name = kind.name();
        let range = |what: &str, value: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(TooLarge(format!(
                    "{name}: {what} must be between {lo} and {hi}, got {value}"
                )))
            }
        };
        match kind {
            Kind::CounterUnlocked
            | Kind::CounterLocked
            | Kind::CounterAtomic
            | Kind::InsufficientLock
            | Kind::TwoLocks
            | Kind::YourCounter => {
                range("--threads", threads, 1, 4)?;
                range("--increments", increments, 1, 4)?;
                // Distinct interleavings (an upper bound for the lock mistakes, whose locks
                // rule some out): whole critical sections for the locked counter.
                let steps_per_increment = match kind {
                    Kind::CounterAtomic | Kind::CounterLocked => 1,
                    Kind::CounterUnlocked | Kind::YourCounter => 2,
                    _ => 4,
                };
                // Blocked threads cost extra executions where a lock is involved (about 8
                // per interleaving for the locked counter), so those get a smaller budget.
                let budget = match kind {
                    Kind::CounterUnlocked | Kind::CounterAtomic | Kind::YourCounter => {
                        MAX_INTERLEAVINGS
                    }
                    _ => MAX_INTERLEAVINGS / 5,
                };
                let n =
                    interleavings(threads, increments * steps_per_increment).unwrap_or(u128::MAX);
                if n > budget {
                    return Err(TooLarge(format!(
                        "{name} with {threads} threads × {increments} increments has up to {n} interleavings, \
                         more than the {budget} racelab explores for it; try fewer threads or increments"
                    )));
                }
            }
            Kind::NeverReleased => range("--threads", threads, 2, 3)?,
            Kind::Queue | Kind::TaskDoneEarly => {
                range("--workers", workers, 1, 3)?;
                range("--items", items, 1, 3)?;
                if workers * items > 6 {
                    return Err(TooLarge(format!(
                        "{name} with {workers} workers and {items} items is too large to explore; \
                         keep workers × items at 6 or less"
                    )));
                }
            }
            Kind::IfNotWhile => {}
        }
        Ok(Scenario { kind, params })
    }

    /// The scenario's kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The scenario's sizes.
    pub fn params(&self) -> Params {
        self.params
    }

    /// One sentence: what the scenario runs.
    pub fn describe(&self) -> String {
        let Params {
            threads: n,
            increments: k,
            workers: w,
            items: i,
        } = self.params;
        let drain = if w == 1 { "drains" } else { "drain" };
        let (n, k, w, i) = (
            plural(n, "thread"),
            plural(k, "increment"),
            plural(w, "worker"),
            plural(i, "item"),
        );
        match self.kind {
            Kind::CounterUnlocked => format!("{n} × {k}: read value, write value+1, no lock"),
            Kind::CounterLocked => format!("{n} × {k}: read and write inside one lock"),
            Kind::CounterAtomic => format!("{n} × {k}: one fetch_add each"),
            Kind::InsufficientLock => format!("{n} × {k}: lock; read; unlock; write"),
            Kind::TwoLocks => format!("{n} × {k}: odd threads lock A, even threads lock B"),
            Kind::NeverReleased => format!("{n}: lock; read; write; (no unlock)"),
            Kind::Queue => format!("{w} {drain} {i} (get, handle, task_done); main joins"),
            Kind::TaskDoneEarly => format!("{w} {drain} {i}, calling task_done before handling each"),
            Kind::IfNotWhile => "2 consumers wait with `if` (not `while`) on a hand-made queue; 1 producer puts 2 items".to_string(),
            Kind::YourCounter => format!("{n} × {k}: your SharedCounter::increment"),
        }
    }

    /// The name of scenario thread `thread` (0 is main).
    pub fn thread_name(&self, thread: usize) -> String {
        let workers = self.spawned_workers();
        match thread {
            0 => "main".to_string(),
            t if t <= workers => format!("Thread{t}"),
            _ => "Producer".to_string(),
        }
    }

    /// The number of scenario threads (main not counted).
    pub fn thread_count(&self) -> usize {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => self.params.workers + 1,
            Kind::IfNotWhile => 3,
            _ => self.params.threads,
        }
    }

    fn spawned_workers(&self) -> usize {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => self.params.workers,
            Kind::IfNotWhile => 2,
            _ => self.params.threads,
        }
    }

    /// Whether main takes steps of its own after spawning.
    pub fn main_has_steps(&self) -> bool {
        matches!(self.kind, Kind::Queue | Kind::TaskDoneEarly)
    }

    /// Which choices that take no step the explorer may skip (see [`Pruning`]). Checked
    /// against exploration without pruning in `tests/explore.rs`.
    pub fn pruning(&self) -> Pruning {
        match self.kind {
            Kind::IfNotWhile => Pruning::Off,
            _ => Pruning::Blocked,
        }
    }

    /// The outcome a correct program always has.
    pub fn expected(&self) -> Outcome {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => Outcome::Label(all_handled(self.params.items)),
            Kind::IfNotWhile => Outcome::Label("each consumer got an item".to_string()),
            Kind::NeverReleased => Outcome::Value(self.params.threads),
            _ => Outcome::Value(self.params.threads * self.params.increments),
        }
    }

    /// Acceptable or forbidden.
    pub fn verdict(&self, outcome: &Outcome) -> Verdict {
        if *outcome == self.expected() {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// The last line under a witness: what went wrong, in words.
    pub fn explain(&self, outcome: &Outcome) -> String {
        match (outcome, self.expected()) {
            (Outcome::Deadlock, _) => {
                "deadlock: every thread is blocked, waiting for a lock that its holder never released".to_string()
            }
            (Outcome::Value(v), Outcome::Value(expected)) if *v < expected => format!(
                "End value: {v}, expected {expected}: {} lost — a thread wrote back a value it had read \
                 before another thread's write, overwriting that write",
                plural(expected - v, "update")
            ),
            (Outcome::Label(label), _) => format!("{label}: {}", self.kind_lesson()),
            (other, expected) => format!("{other}, expected {expected}"),
        }
    }

    fn kind_lesson(&self) -> &'static str {
        match self.kind {
            Kind::TaskDoneEarly => "task_done() told join the work was finished before it was done",
            Kind::IfNotWhile => {
                "another consumer took the item between the notify and this consumer's wake-up; \
                 `while` would have checked again"
            }
            _ => "not what the program is meant to do",
        }
    }

    /// Runs the scenario in the current shuttle execution.
    pub fn run(&self, rec: &Recorder) -> Outcome {
        let Params {
            threads,
            increments,
            workers,
            items,
        } = self.params;
        match self.kind {
            Kind::CounterUnlocked => counter(rec, threads, increments, Strategy::Unlocked),
            Kind::CounterLocked => counter(rec, threads, increments, Strategy::Locked),
            Kind::CounterAtomic => counter(rec, threads, increments, Strategy::Atomic),
            Kind::InsufficientLock => {
                learner_counter(rec, threads, increments, Mistake::LockReadOnly)
            }
            Kind::TwoLocks => learner_counter(rec, threads, increments, Mistake::TwoLocks),
            Kind::NeverReleased => learner_counter(rec, threads, 1, Mistake::NeverRelease),
            Kind::Queue => pool(rec, workers, items),
            Kind::TaskDoneEarly => task_done_early(rec, workers, items),
            Kind::IfNotWhile => if_not_while(rec),
            // Not constructible with `Scenario::new`: `yours::check_counter` runs its own body.
            Kind::YourCounter => {
                Outcome::Label("your counter runs through check_counter".to_string())
            }
        }
    }
}

/// "1 thread", "2 threads".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn join_all(handles: Vec<thread::JoinHandle<()>>) {
    for handle in handles {
        handle.join().expect("a scenario thread does not panic");
    }
}

fn counter(rec: &Recorder, threads: usize, increments: usize, strategy: Strategy) -> Outcome {
    Outcome::Value(scenario::counter_with(
        Pause::None,
        threads,
        increments,
        strategy,
        rec,
    ))
}

#[derive(Clone, Copy)]
enum Mistake {
    LockReadOnly,
    TwoLocks,
    NeverRelease,
}

/// Learner code: the tutorial's increment with the lock used wrongly.
fn learner_counter(rec: &Recorder, threads: usize, increments: usize, mistake: Mistake) -> Outcome {
    let value = Arc::new(AtomicUsize::new(0));
    let names = match mistake {
        Mistake::TwoLocks => ["lock A", "lock B"],
        _ => ["lock", "unused"],
    };
    let locks = Arc::new(names.map(|name| Lock::observed_as(name, rec.observer())));
    let handles = (1..=threads)
        .map(|t| {
            let (value, locks, rec) = (Arc::clone(&value), Arc::clone(&locks), rec.clone());
            thread::spawn(move || {
                let lock = match mistake {
                    Mistake::TwoLocks => &locks[(t + 1) % 2],
                    _ => &locks[0],
                };
                for _ in 0..increments {
                    lock.acquire();
                    let local = rec.step(|| {
                        let v = value.load(SeqCst);
                        (v, Step::Read(v))
                    });
                    if let Mistake::LockReadOnly = mistake {
                        let _ = lock.release(); // too early: the write is not protected
                    }
                    rec.step(|| {
                        value.store(local + 1, SeqCst);
                        ((), Step::Write(local + 1))
                    });
                    if let Mistake::TwoLocks = mistake {
                        let _ = lock.release();
                    }
                }
                rec.finish();
            })
        })
        .collect();
    join_all(handles);
    Outcome::Value(value.load(SeqCst))
}

fn all_handled(items: usize) -> String {
    format!("all {items} items handled once, then join returned")
}

/// The tutorial's pool: `workers` workers (Thread1..), a Producer putting `items` items,
/// main joining the producer, then the queue, then noting how many items were handled.
fn pool(rec: &Recorder, workers: usize, items: usize) -> Outcome {
    let outcome = scenario::pool_observed(rec, 1, workers, items, 0);
    join_outcome(outcome.finished_at_join, items)
}

fn producer(rec: &Recorder, queue: &Arc<TaskQueue<usize>>, items: usize) -> thread::JoinHandle<()> {
    let (queue, rec) = (Arc::clone(queue), rec.clone());
    thread::spawn(move || {
        for item in 0..items {
            queue.put(item).expect("the queue is open");
        }
        rec.finish();
    })
}

/// The queue scenarios' outcome: were all `items` handled when `join` returned?
pub fn join_outcome(handled_at_join: usize, items: usize) -> Outcome {
    if handled_at_join == items {
        Outcome::Label(all_handled(items))
    } else {
        Outcome::Label(format!(
            "join returned with {} of {items} not yet handled",
            plural(items - handled_at_join, "item")
        ))
    }
}

/// Learner code: a worker loop that calls task_done before the work.
fn task_done_early(rec: &Recorder, workers: usize, items: usize) -> Outcome {
    let handled = StdArc::new(StdAtomicUsize::new(0));
    let queue = Arc::new(TaskQueue::observed(0, rec.observer()));
    let handles: Vec<_> = (1..=workers)
        .map(|_| {
            let (queue, rec, handled) = (Arc::clone(&queue), rec.clone(), StdArc::clone(&handled));
            thread::spawn(move || {
                while let Ok(item) = queue.get() {
                    let _ = queue.task_done(); // the mistake: done before the work
                    rec.step(|| (handled.fetch_add(1, StdSeqCst), Step::Handle(item)));
                }
                rec.finish();
            })
        })
        .collect();
    let producer = producer(rec, &queue, items);
    producer.join().expect("the producer does not panic");
    rec.before_step();
    queue.join();
    let handled_at_join = handled.load(StdSeqCst);
    rec.record(Step::Joined);
    queue.shutdown(false);
    join_all(handles);
    join_outcome(handled_at_join, items)
}

/// Learner code: a hand-made queue whose consumers wait with `if`.
fn if_not_while(rec: &Recorder) -> Outcome {
    let shared = Arc::new((
        Mutex::new(std::collections::VecDeque::new()),
        Condvar::new(),
    ));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let (shared, rec) = (Arc::clone(&shared), rec.clone());
            thread::spawn(move || {
                let (items, nonempty) = &*shared;
                rec.before_step();
                let mut queue = lock_mutex(items);
                if queue.is_empty() {
                    // The mistake: `if`. Between the notify and this wake-up another
                    // consumer may have taken the item; `while` would check again.
                    queue = nonempty
                        .wait(queue)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                let got = queue.pop_front();
                drop(queue);
                rec.record(got.map_or(Step::GotNothing, Step::Get));
                rec.finish();
                got.is_some()
            })
        })
        .collect();
    let producer = {
        let (shared, rec) = (Arc::clone(&shared), rec.clone());
        thread::spawn(move || {
            let (items, nonempty) = &*shared;
            for item in 0..2 {
                rec.before_step();
                lock_mutex(items).push_back(item);
                nonempty.notify_one();
                rec.record(Step::Put(item));
            }
            rec.finish();
        })
    };
    producer.join().expect("the producer does not panic");
    let all_got = consumers
        .into_iter()
        .all(|c| c.join().expect("a consumer does not panic"));
    if all_got {
        Outcome::Label("each consumer got an item".to_string())
    } else {
        Outcome::Label("a consumer woke up to an empty queue and got nothing".to_string())
    }
}
