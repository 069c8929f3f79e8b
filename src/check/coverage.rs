//! How much a check covered. Every report says it, so that "no forbidden outcome" is never
//! quieter than the truth: **exhaustive** (every order that can make a difference was run),
//! **bounded** (an exhaustive search stopped early, and why), or **sampled** (how many random
//! or PCT schedules, with which seed) — and under which **assumptions** ([`ASSUMPTIONS`]):
//! "exhaustive" is exhaustive for the model racelab runs, not for what it cannot see.

use std::fmt;
use std::time::Duration;

use crate::words::group;

/// How a phase of a check chose its schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Every consistent execution graph (TruSt): every order of conflicting operations,
    /// each once.
    Exhaustive,
    /// Every order of every operation, no reduction.
    EveryOrder,
    /// Every interleaving of the marked steps (for code whose shared state is all marked).
    Steps,
    /// Partial-order aware random schedules (POS) from a seed.
    Pos {
        /// The seed.
        seed: u64,
    },
    /// The probe: POS and random schedules in turn, from a seed.
    Probe {
        /// The seed.
        seed: u64,
    },
    /// Random schedules from a seed.
    Random {
        /// The seed.
        seed: u64,
    },
    /// PCT schedules from a seed.
    Pct {
        /// The seed.
        seed: u64,
        /// The number of priority change points plus one.
        depth: usize,
    },
    /// One schedule, given.
    Replay,
}

impl Method {
    /// Its name in a sentence: "every-order", "random", "PCT", ...
    pub fn name(self) -> &'static str {
        match self {
            Method::Exhaustive => "exhaustive (TruSt)",
            Method::EveryOrder => "every-order",
            Method::Steps => "marked-step",
            Method::Pos { .. } => "POS",
            Method::Probe { .. } => "probe",
            Method::Random { .. } => "random",
            Method::Pct { .. } => "PCT",
            Method::Replay => "replayed",
        }
    }

    fn exhaustive(self) -> bool {
        matches!(
            self,
            Method::Exhaustive | Method::EveryOrder | Method::Steps
        )
    }
}

/// What every check assumes besides its memory model: "exhaustive" covers every order of
/// conflicting operations of racelab's primitives *under these assumptions*. Every report
/// lists them ([`Coverage::assumptions`]).
pub const ASSUMPTIONS: [&str; 5] = [
    "Condvar waits and park wake only when notified, unparked or timed out (no spurious \
     wake-ups; Check::spurious_wakeups explores them) and compare_exchange_weak never fails \
     spuriously (Check::spurious_failures explores it)",
    "a wait_timeout may time out at any moment, but a thread whose last two timed-out turns \
     were identical and read nothing another thread wrote does not time out again (it polls)",
    "a thread that yields after two identical read-only turns of a loop waits until \
     something it read changes (a spin loop)",
    "only racelab's primitives are seen: std::sync, I/O and time are not modelled, and data races only on check::cell::UnsafeCell",
    "every thread runs to completion: an execution that takes more steps than its limit is \
     reported as not finishing",
];

/// What a check with [`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups)
/// assumes instead of [`ASSUMPTIONS`]' first entry.
pub const SPURIOUS_WAKEUPS: &str = "Condvar waits and park may wake spuriously at any moment \
     while they wait, or never, as std allows, cut as a wait_timeout's polling loop is (below); \
     compare_exchange_weak never fails spuriously (Check::spurious_failures explores it)";

/// How the first assumption ends when a check explores spurious failures
/// ([`Check::spurious_failures`](crate::check::Check::spurious_failures)), instead of
/// [`NEVER_FAILS`]; `{n}` stands for the bound.
const MAY_FAIL: &str = "compare_exchange_weak may fail spuriously although it finds the \
     expected value, as std allows, in at most {n} of each thread's calls \
     (Check::spurious_failures)";

/// How [`ASSUMPTIONS`]' first entry and [`SPURIOUS_WAKEUPS`] end.
const NEVER_FAILS: &str =
    "compare_exchange_weak never fails spuriously (Check::spurious_failures explores it)";

/// What [`ASSUMPTIONS`]' second entry gains when a check limits the wake-ups without a
/// notify ([`Check::wakeups_without_notify`](crate::check::Check::wakeups_without_notify));
/// `{n}` stands for the limit.
pub const WAKEUP_LIMIT: &str = "; and each thread wakes without a notify (a timeout or a \
     spurious wake-up) at most {n} times (Check::wakeups_without_notify): after that it \
     waits for a notify, and an execution that no thread could go on in but after a timed \
     wait at that limit is cut, a row of its own";

/// Why a phase stopped before it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// It stopped at the first forbidden outcome, as asked.
    FirstBug,
    /// It ran out of its execution budget.
    Executions(usize),
    /// It ran out of time.
    Time(Duration),
    /// A replay found the body doing something else than the execution it repeats recorded
    /// (the report's warning says what): the body is not deterministic, so orders may have
    /// been missed, and the search cannot say it was exhaustive.
    Nondeterminism,
    /// An object that outlives an execution (in a `static`, or created outside the body)
    /// holds a value racelab cannot reset (a `Mutex`'s data, a cell's contents, a
    /// `OnceLock` made full): executions did not all start from the same state, so the search
    /// cannot say it reached what fresh runs reach (the report's note names it).
    KeptState,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::FirstBug => f.write_str("at the first forbidden outcome"),
            StopReason::Executions(n) => write!(f, "at its budget of {} executions", group(*n)),
            StopReason::Time(t) => write!(f, "at its time limit of {:.1} s", t.as_secs_f64()),
            StopReason::Nondeterminism => {
                f.write_str("short of exhaustive: the body did not repeat itself in a replay")
            }
            StopReason::KeptState => f.write_str(
                "short of exhaustive: an object outside the body kept its value from one \
                 execution to the next",
            ),
        }
    }
}

/// One phase of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Phase {
    /// How it chose schedules.
    pub method: Method,
    /// Executions it ran (runs that ended with an outcome).
    pub executions: usize,
    /// Runs it started and dropped without an outcome: redundant ones (a spin-loop turn
    /// that only re-read a stale value) or ones a strategy abandoned.
    pub abandoned: usize,
    /// How many distinct executions (Mazurkiewicz traces: distinct orders of conflicting
    /// operations) the executions were, when asked for ([`crate::check::Check::count_traces`]).
    pub distinct: Option<usize>,
    /// Why it stopped early, if it did.
    pub stopped: Option<StopReason>,
    /// The parallel jobs that shared it (1 but for a shared exhaustive search; the
    /// executions and the outcome table are the same for any number).
    pub jobs: usize,
    /// Subtrees of the search one job handed to another (it varies from run to run;
    /// nothing else in the report does).
    pub handed_over: usize,
}

impl Phase {
    /// Executions that repeated an execution already run (known only when distinct
    /// executions were counted).
    pub fn repeated(&self) -> Option<usize> {
        self.distinct.map(|d| self.executions - d)
    }
}

/// The three kinds of coverage (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoverageKind {
    /// Every order that can make a difference was run.
    Exhaustive,
    /// An exhaustive search stopped before it was done.
    Bounded,
    /// Random or PCT schedules only.
    Sampled,
    /// Some of the shards of an exhaustive search that was split
    /// ([`crate::check::Check::shard`]), each run to its end: merge the reports of every
    /// shard ([`crate::check::Report::merge`]) for the whole search.
    Partial,
}

impl fmt::Display for CoverageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CoverageKind::Exhaustive => "exhaustive",
            CoverageKind::Bounded => "bounded",
            CoverageKind::Sampled => "sampled",
            CoverageKind::Partial => "partial",
        })
    }
}

/// Which memory model atomics followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MemoryModel {
    /// Sequential consistency: one interleaving of all operations; every atomic acts as
    /// `SeqCst`. The default for a program whose atomics are all `SeqCst` (where it is
    /// exact); forced with [`crate::check::Check::memory_model`] it is faster but misses
    /// what weaker orderings allow.
    SequentiallyConsistent,
    /// RC11 (Lahav et al., PLDI 2017), the model of Rust's atomics: `Relaxed`, `Acquire`,
    /// `Release`, `AcqRel` and `SeqCst` loads, stores, read-modify-writes and fences as
    /// `std` defines them, without out-of-thin-air values. The default as soon as the
    /// program uses an ordering weaker than `SeqCst`.
    Rc11,
}

impl fmt::Display for MemoryModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MemoryModel::SequentiallyConsistent => "sequentially consistent",
            MemoryModel::Rc11 => "RC11 weak memory",
        })
    }
}

/// The phases a check ran (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Coverage {
    /// In the order they ran.
    pub phases: Vec<Phase>,
    /// The memory model of the exhaustive search, if one ran; whether it was forced.
    pub model: Option<(MemoryModel, bool)>,
    /// The shards this report covers, if the search was split into shards.
    pub shards: Option<Shards>,
    /// The stretches of a search resumed from checkpoints this report covers
    /// ([`crate::check::Check::checkpoint`]); empty if it was not checkpointed.
    pub segments: Vec<Segment>,
    /// Whether waits could wake spuriously
    /// ([`crate::check::Check::spurious_wakeups`]; the assumptions then say
    /// [`SPURIOUS_WAKEUPS`]).
    pub spurious_wakeups: bool,
    /// How many times each thread's `compare_exchange_weak` could fail spuriously
    /// ([`crate::check::Check::spurious_failures`]; 0: never, which the assumptions say).
    pub spurious_failures: u32,
    /// How many times each thread could wake without a notify
    /// ([`crate::check::Check::wakeups_without_notify`]; `None`: no limit). The assumptions
    /// then name it ([`WAKEUP_LIMIT`]).
    pub wakeup_limit: Option<u32>,
}

/// A stretch of an exhaustive search between checkpoints (see
/// [`crate::check::Check::checkpoint`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Segment {
    /// The checkpoint it resumed from; `None`: the start of the search.
    pub from: Option<String>,
    /// The checkpoint it saved when its budget or time ran out; `None`: it ran to the end.
    pub to: Option<String>,
}

/// `parts` in the order of the search, each starting where the one before ended (`ends`
/// gives a part's first `from` and last `to`); parts that do not chain come after the
/// others, in their order (a merge of them is then partial).
pub(crate) fn in_chain_order<T>(
    mut parts: Vec<T>,
    ends: impl Fn(&T) -> (Option<String>, Option<String>),
) -> Vec<T> {
    let mut ordered = Vec::with_capacity(parts.len());
    let mut at = None;
    while let Some(i) = parts.iter().position(|p| ends(p).0 == at) {
        let part = parts.remove(i);
        at = ends(&part).1;
        ordered.push(part);
        if at.is_none() {
            break;
        }
    }
    ordered.extend(parts);
    ordered
}

/// Whether `segments` chain from the start of a search to its end, each used once.
pub(crate) fn chained(segments: &[Segment]) -> bool {
    let mut at: Option<&String> = None;
    for used in 1..=segments.len() {
        let mut next = segments.iter().filter(|s| s.from.as_ref() == at);
        let (Some(segment), None) = (next.next(), next.next()) else {
            return false;
        };
        match &segment.to {
            None => return used == segments.len(),
            Some(to) => at = Some(to),
        }
    }
    false
}

/// The shards of a split search that a report covers (see
/// [`crate::check::Check::shard`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shards {
    /// How many shards the search was split into.
    pub count: usize,
    /// The shards covered, numbered from 1, in order.
    pub covered: Vec<usize>,
}

impl Shards {
    /// Whether every shard is covered, so the report is the whole search's.
    pub fn complete(&self) -> bool {
        self.covered.iter().copied().eq(1..=self.count)
    }
}

impl fmt::Display for Shards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list: Vec<String> = self.covered.iter().map(|i| i.to_string()).collect();
        let word = if self.covered.len() == 1 {
            "shard"
        } else {
            "shards"
        };
        write!(f, "{word} {} of {}", list.join(", "), self.count)
    }
}

impl Coverage {
    /// Exhaustive if an exhaustive phase ran to its end; bounded if one stopped early;
    /// sampled otherwise.
    pub fn kind(&self) -> CoverageKind {
        let exhaustive = self.phases.iter().filter(|p| p.method.exhaustive());
        if exhaustive.clone().any(|p| p.stopped.is_none()) {
            let part = self.shards.as_ref().is_some_and(|s| !s.complete())
                || !(self.segments.is_empty() || chained(&self.segments));
            if part {
                CoverageKind::Partial
            } else {
                CoverageKind::Exhaustive
            }
        } else if exhaustive.count() > 0 {
            CoverageKind::Bounded
        } else {
            CoverageKind::Sampled
        }
    }

    /// Whether every order that can make a difference was run.
    pub fn is_exhaustive(&self) -> bool {
        self.kind() == CoverageKind::Exhaustive
    }

    /// What the coverage assumes, the memory model first (see [`ASSUMPTIONS`]).
    pub fn assumptions(&self) -> Vec<String> {
        let model = match self.model {
            None => "atomics act as SeqCst (sampled and step-level schedules read the latest \
                     write)"
                .to_string(),
            Some((MemoryModel::SequentiallyConsistent, false)) => {
                "atomics are sequentially consistent: every atomic operation is SeqCst, so \
                 RC11 would allow nothing more"
                    .to_string()
            }
            Some((MemoryModel::SequentiallyConsistent, true)) => {
                "atomics explored as sequentially consistent, as asked: what weaker orderings \
                 allow is not explored"
                    .to_string()
            }
            Some((MemoryModel::Rc11, _)) => "atomics follow RC11 weak memory (every ordering \
                                              as std defines it; no out-of-thin-air values)"
                .to_string(),
        };
        std::iter::once(model)
            .chain(ASSUMPTIONS.iter().enumerate().map(|(i, s)| {
                // A limit of 0 leaves no spurious wake-up to explore.
                let s = if i == 0 && self.spurious_wakeups && self.wakeup_limit != Some(0) {
                    SPURIOUS_WAKEUPS
                } else {
                    s
                };
                if i == 0 && self.spurious_failures > 0 {
                    let n = self.spurious_failures.to_string();
                    s.replace(NEVER_FAILS, &MAY_FAIL.replace("{n}", &n))
                } else if let (1, Some(n)) = (i, self.wakeup_limit) {
                    format!("{s}{}", WAKEUP_LIMIT.replace("{n}", &n.to_string()))
                } else {
                    s.to_string()
                }
            }))
            .collect()
    }

    /// Executions run in all phases.
    pub fn executions(&self) -> usize {
        self.phases.iter().map(|p| p.executions).sum()
    }

    pub(crate) fn push(&mut self, phase: Phase) {
        if phase.executions > 0 || phase.abandoned > 0 || phase.stopped.is_none() {
            self.phases.push(phase);
        }
    }
}

impl fmt::Display for Coverage {
    /// One sentence: the kind, then each phase.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.kind())?;
        if let Some(shards) = &self.shards {
            write!(f, "{shards} (a search split into shards)")?;
            if !shards.complete() {
                f.write_str(", the others not included here")?;
            }
            f.write_str("; ")?;
        }
        if !self.segments.is_empty() && !chained(&self.segments) {
            for segment in &self.segments {
                match (&segment.from, &segment.to) {
                    (None, Some(to)) => write!(f, "from the start to checkpoint {to}")?,
                    (Some(from), Some(to)) => {
                        write!(f, "from checkpoint {from} to checkpoint {to}")?
                    }
                    (Some(from), None) => write!(f, "from checkpoint {from} to the end")?,
                    (None, None) => f.write_str("from the start to the end")?,
                }
                f.write_str("; ")?;
            }
        } else if self.segments.len() > 1 {
            write!(
                f,
                "{} stretches between checkpoints, merged; ",
                self.segments.len()
            )?;
        }
        for (i, phase) in self.phases.iter().enumerate() {
            if i > 0 {
                f.write_str("; then ")?;
            }
            let n = group(phase.executions);
            let runs = if phase.executions == 1 {
                "execution"
            } else {
                "executions"
            };
            match phase.method {
                Method::Exhaustive => write!(
                    f,
                    "every execution graph (TruSt: each order of conflicting operations \
                     once){}, {n} {runs}",
                    if phase.stopped.is_some() {
                        " was being explored"
                    } else {
                        " was explored"
                    }
                )?,
                Method::EveryOrder => write!(
                    f,
                    "every order of every operation{}, {n} {runs}",
                    if phase.stopped.is_some() {
                        " was being explored"
                    } else {
                        " was explored"
                    }
                )?,
                Method::Steps => write!(
                    f,
                    "every interleaving of the marked steps{}, {n} {runs} \
                     (only marked steps switch threads)",
                    if phase.stopped.is_some() {
                        " was being explored"
                    } else {
                        " was explored"
                    }
                )?,
                Method::Random { seed } => {
                    write!(f, "{n} random {} (seed {seed})", schedules(phase))?
                }
                Method::Probe { seed } => write!(
                    f,
                    "{n} probe {} (random and POS in turn, seed {seed})",
                    schedules(phase)
                )?,
                Method::Pos { seed } => write!(
                    f,
                    "{n} partial-order sampled {} (POS, seed {seed})",
                    schedules(phase)
                )?,
                Method::Pct { seed, depth } => write!(
                    f,
                    "{n} PCT {} (depth {depth}, seed {seed})",
                    schedules(phase)
                )?,
                Method::Replay => write!(f, "one given schedule")?,
            }
            if let Some(distinct) = phase.distinct {
                match phase.executions - distinct {
                    0 => write!(f, " (all distinct)")?,
                    repeats => write!(
                        f,
                        " ({} distinct, {} repeats)",
                        group(distinct),
                        group(repeats)
                    )?,
                }
            }
            if phase.jobs > 1 {
                write!(f, " in {} parallel jobs", phase.jobs)?;
            }
            if phase.abandoned > 0 {
                write!(
                    f,
                    ", {} more dropped without an outcome",
                    group(phase.abandoned)
                )?;
            }
            if let Some(reason) = phase.stopped {
                write!(f, ", stopped {reason}")?;
            }
        }
        if self.phases.is_empty() {
            f.write_str("nothing was run")?;
        }
        Ok(())
    }
}

fn schedules(phase: &Phase) -> &'static str {
    if phase.executions == 1 {
        "schedule"
    } else {
        "schedules"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(method: Method, executions: usize, stopped: Option<StopReason>) -> Phase {
        Phase {
            method,
            executions,
            abandoned: 0,
            distinct: None,
            stopped,
            jobs: 1,
            handed_over: 0,
        }
    }

    #[test]
    fn the_first_assumption_names_spurious_failures_and_their_bound() {
        assert!(ASSUMPTIONS[0].ends_with(NEVER_FAILS));
        assert!(SPURIOUS_WAKEUPS.ends_with(NEVER_FAILS));
        let mut c = Coverage::default();
        assert_eq!(c.assumptions()[1], ASSUMPTIONS[0]);
        c.spurious_failures = 2;
        let first = &c.assumptions()[1];
        assert!(first.starts_with("Condvar waits and park wake only when notified"));
        assert!(
            first.ends_with("in at most 2 of each thread's calls (Check::spurious_failures)"),
            "{first}"
        );
        c.spurious_wakeups = true;
        let first = &c.assumptions()[1];
        assert!(first.starts_with("Condvar waits and park may wake spuriously"));
        assert!(!first.contains("never fails"), "{first}");
    }

    #[test]
    fn the_kind_follows_the_exhaustive_phase() {
        let mut c = Coverage::default();
        c.push(phase(
            Method::Random { seed: 1 },
            8,
            Some(StopReason::Executions(8)),
        ));
        assert_eq!(c.kind(), CoverageKind::Sampled);
        c.push(phase(
            Method::Exhaustive,
            100,
            Some(StopReason::Executions(100)),
        ));
        assert_eq!(c.kind(), CoverageKind::Bounded);
        assert!(
            c.to_string()
                .contains("stopped at its budget of 100 executions")
        );
        let mut done = Coverage::default();
        done.push(phase(Method::Exhaustive, 1234, None));
        assert_eq!(
            done.to_string(),
            "exhaustive: every execution graph (TruSt: each order of conflicting operations once) \
             was explored, 1,234 executions"
        );
    }
}
