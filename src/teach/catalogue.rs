//! The scenarios `racelab explore` and `racelab replay` know: the tutorial's programs and the
//! classic mistakes a learner makes with them, with their sizes and thread names.

use crate::check::Pruning;
use crate::words::plural;

/// The sizes of a scenario. Counters use `threads` × `increments`; the queue scenarios use
/// `workers` and `items`; `never-released` uses `threads`; `if-not-while` has a fixed size.
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
            items: 1,
        }
    }
}

/// The scenarios (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
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
    /// Mistake: data published through a flag stored and loaded with `Relaxed`. No
    /// interleaving shows the bug: under RC11 weak memory (`racelab check`) the reader can
    /// see the flag set and still read the old data.
    MessageRelaxed,
    /// The fix: the flag stored with `Release` and loaded with `Acquire`. Never stale.
    MessageReleaseAcquire,
    /// Mistake: a one-time initialisation guarded by a hand-made flag (check, then set)
    /// instead of `std::sync::Once`. Can run twice.
    OnceByHand,
    /// Mistake: the increment under an `RwLock`, read under the read lock and written under
    /// the write lock, taken after the read lock is released. Loses updates.
    ReadThenWriteLock,
    /// Mistake: a Producer sends on a clone of main's `Sender` to a worker that receives
    /// until every `Sender` is dropped; main joins both without dropping its own. Deadlocks.
    SenderKept,
}

impl Kind {
    /// Every scenario.
    pub const ALL: [Kind; 14] = [
        Kind::CounterUnlocked,
        Kind::CounterLocked,
        Kind::CounterAtomic,
        Kind::Queue,
        Kind::InsufficientLock,
        Kind::TwoLocks,
        Kind::NeverReleased,
        Kind::TaskDoneEarly,
        Kind::IfNotWhile,
        Kind::MessageRelaxed,
        Kind::MessageReleaseAcquire,
        Kind::OnceByHand,
        Kind::ReadThenWriteLock,
        Kind::SenderKept,
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
            Kind::MessageRelaxed => "message-relaxed",
            Kind::MessageReleaseAcquire => "message-release-acquire",
            Kind::OnceByHand => "once-by-hand",
            Kind::ReadThenWriteLock => "read-then-write-lock",
            Kind::SenderKept => "sender-kept",
        }
    }

    /// Whether the scenario's bug (or its absence) is a matter of weak memory: its atomics
    /// use orderings weaker than `SeqCst`, so interleavings (`explore`, `replay`, which read
    /// the latest store) cannot show what RC11 allows; `racelab check` explores it.
    pub fn weak_memory(self) -> bool {
        matches!(self, Kind::MessageRelaxed | Kind::MessageReleaseAcquire)
    }
}

/// A scenario with its sizes, checked to be small enough to explore (see
/// [`super::sizes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub(super) kind: Kind,
    pub(super) params: Params,
}

impl Scenario {
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
            Kind::TaskDoneEarly => {
                format!("{w} {drain} {i}, calling task_done before handling each")
            }
            Kind::IfNotWhile => "2 consumers wait with `if` (not `while`) on a hand-made queue; \
                                 1 producer puts 2 items"
                .to_string(),
            Kind::MessageRelaxed => "Thread1 stores data = 42, then flag = 1, both Relaxed; \
                                     Thread2 loads flag (Relaxed), and data if the flag was set"
                .to_string(),
            Kind::MessageReleaseAcquire => "Thread1 stores data = 42 (Relaxed), then flag = 1 \
                                            (Release); Thread2 loads flag (Acquire), and data \
                                            if the flag was set"
                .to_string(),
            Kind::OnceByHand => {
                format!("{n}: if not initialised: initialise; set initialised (no Once)")
            }
            Kind::ReadThenWriteLock => {
                format!("{n} × {k}: read under the read lock, write under the write lock")
            }
            Kind::SenderKept => format!(
                "the Producer sends {} on a clone of main's Sender to Thread1, which \
                 receives until every Sender is dropped; main joins both without dropping its \
                 own",
                plural(self.params.items, "message")
            ),
        }
    }

    /// The name of scenario thread `thread` (0 is main).
    pub fn thread_name(&self, thread: usize) -> String {
        match thread {
            0 => "main".to_string(),
            t if t <= self.spawned_workers() => format!("Thread{t}"),
            _ => "Producer".to_string(),
        }
    }

    /// The Producer's thread number, in the scenarios that have one.
    pub fn producer(&self) -> Option<usize> {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly | Kind::IfNotWhile | Kind::SenderKept => {
                Some(self.thread_count())
            }
            _ => None,
        }
    }

    /// The number of scenario threads (main not counted).
    pub fn thread_count(&self) -> usize {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => self.params.workers + 1,
            Kind::IfNotWhile => 3,
            Kind::MessageRelaxed | Kind::MessageReleaseAcquire | Kind::SenderKept => 2,
            _ => self.params.threads,
        }
    }

    fn spawned_workers(&self) -> usize {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => self.params.workers,
            Kind::IfNotWhile | Kind::MessageRelaxed | Kind::MessageReleaseAcquire => 2,
            Kind::SenderKept => 1,
            _ => self.params.threads,
        }
    }

    /// Whether main takes steps of its own after spawning.
    pub fn main_has_steps(&self) -> bool {
        matches!(self.kind, Kind::Queue | Kind::TaskDoneEarly)
    }

    /// Which choices that take no step the explorer may skip (see [`Pruning`]). Checked
    /// against exploration without pruning in `tests/teach/explore.rs`.
    pub fn pruning(&self) -> Pruning {
        match self.kind {
            Kind::IfNotWhile | Kind::SenderKept => Pruning::Off,
            _ => Pruning::Blocked,
        }
    }
}
