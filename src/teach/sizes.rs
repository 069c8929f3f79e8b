//! How large a scenario may be, and which sizes it takes: to explore every interleaving (a
//! few seconds at most), to replay one run, or to run on real threads.

use std::ops::RangeInclusive;

use super::catalogue::{Kind, Params, Scenario};
use crate::words::group;
use crate::words::plural;

/// A size flag of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `--threads`.
    Threads,
    /// `--increments`.
    Increments,
    /// `--workers`.
    Workers,
    /// `--items`.
    Items,
}

impl Flag {
    /// Every flag.
    pub const ALL: [Flag; 4] = [Flag::Threads, Flag::Increments, Flag::Workers, Flag::Items];

    /// How the flag is written.
    pub fn name(self) -> &'static str {
        match self {
            Flag::Threads => "--threads",
            Flag::Increments => "--increments",
            Flag::Workers => "--workers",
            Flag::Items => "--items",
        }
    }

    /// This flag's size in `p`.
    pub fn get(self, p: &Params) -> usize {
        match self {
            Flag::Threads => p.threads,
            Flag::Increments => p.increments,
            Flag::Workers => p.workers,
            Flag::Items => p.items,
        }
    }

    /// Sets this flag's size in `p`.
    pub fn set(self, p: &mut Params, value: usize) {
        match self {
            Flag::Threads => p.threads = value,
            Flag::Increments => p.increments = value,
            Flag::Workers => p.workers = value,
            Flag::Items => p.items = value,
        }
    }
}

impl Kind {
    /// The size flags the scenario takes.
    pub fn flags(self) -> &'static [Flag] {
        match self {
            Kind::CounterUnlocked
            | Kind::CounterLocked
            | Kind::CounterAtomic
            | Kind::InsufficientLock
            | Kind::TwoLocks
            | Kind::ReadThenWriteLock => &[Flag::Threads, Flag::Increments],
            Kind::NeverReleased | Kind::OnceByHand => &[Flag::Threads],
            Kind::SenderKept => &[Flag::Items],
            Kind::Queue | Kind::TaskDoneEarly => &[Flag::Workers, Flag::Items],
            Kind::IfNotWhile | Kind::MessageRelaxed | Kind::MessageReleaseAcquire => &[],
        }
    }

    /// The scenario's sizes when no flag is given.
    pub fn default_params(self) -> Params {
        Params::default()
    }

    /// "takes --threads and --increments", "takes no size flags".
    pub fn flags_text(self) -> String {
        let names: Vec<&str> = self.flags().iter().map(|f| f.name()).collect();
        match names.as_slice() {
            [] => "takes no size flags".to_string(),
            [one] => format!("takes {one} only"),
            many => format!("takes {}", many.join(" and ")),
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

/// What a scenario is sized for: each has its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Every interleaving, in a few seconds at most.
    Explore,
    /// One run along a typed schedule.
    Replay,
    /// Many runs on real threads.
    Stress,
}

impl Purpose {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Explore => "explore",
            Purpose::Replay => "replay",
            Purpose::Stress => "stress",
        }
    }
}

impl Kind {
    /// The values `flag` may take for `purpose` (every flag of [`Kind::flags`] has one).
    pub fn range(self, flag: Flag, purpose: Purpose) -> RangeInclusive<usize> {
        let queue = matches!(self, Kind::Queue | Kind::TaskDoneEarly);
        let low = if matches!(self, Kind::NeverReleased | Kind::OnceByHand) {
            2
        } else {
            1
        };
        match (purpose, flag) {
            (Purpose::Explore, _) if matches!(self, Kind::NeverReleased | Kind::OnceByHand) => {
                2..=3
            }
            (Purpose::Explore, _) if self == Kind::SenderKept => 1..=3,
            (Purpose::Explore, _) if queue => 1..=3,
            (Purpose::Explore, _) => 1..=4,
            (Purpose::Replay, _) => low..=8,
            (Purpose::Stress, Flag::Threads | Flag::Workers) => 1..=64,
            (Purpose::Stress, Flag::Increments) => 1..=1_000_000,
            (Purpose::Stress, Flag::Items) => 1..=100_000,
        }
    }

    /// What else limits the sizes for `purpose`, beyond each flag's range.
    fn size_note(self, purpose: Purpose) -> &'static str {
        match (purpose, self) {
            (_, Kind::IfNotWhile) => "a fixed size: 2 consumers, 1 producer, 2 items",
            (_, Kind::MessageRelaxed | Kind::MessageReleaseAcquire) => {
                "a fixed size: 1 writer, 1 reader"
            }
            (
                Purpose::Explore,
                Kind::CounterUnlocked | Kind::CounterAtomic | Kind::ReadThenWriteLock,
            ) => "at most 100,000 interleavings",
            (Purpose::Explore, Kind::CounterLocked | Kind::InsufficientLock | Kind::TwoLocks) => {
                "at most 20,000 interleavings"
            }
            (Purpose::Explore, Kind::Queue | Kind::TaskDoneEarly) => "workers × items at most 4",
            _ => "",
        }
    }

    /// "--threads 1-4, --increments 1-4, at most 100,000 interleavings".
    pub fn sizes_text(self, purpose: Purpose) -> String {
        let mut parts: Vec<String> = self
            .flags()
            .iter()
            .map(|&f| {
                let r = self.range(f, purpose);
                format!("{} {}-{}", f.name(), group(*r.start()), group(*r.end()))
            })
            .collect();
        let note = self.size_note(purpose);
        if !note.is_empty() {
            parts.push(note.to_string());
        }
        parts.join(", ")
    }
}

/// The sizes `purpose` accepts, one scenario a line, for `--help`.
pub fn sizes_help(purpose: Purpose, kinds: &[Kind]) -> String {
    let width = kinds.iter().map(|k| k.name().len()).max().unwrap_or(0);
    let mut out = format!("Sizes {} accepts:\n", purpose.name());
    for &kind in kinds {
        out.push_str(&format!(
            "  {:<width$}  {}\n",
            kind.name(),
            kind.sizes_text(purpose)
        ));
    }
    out
}

impl Scenario {
    /// Checks `params` for `purpose`: each flag of the kind in its range, and for
    /// exploring, few enough interleavings. The error says which limit was passed and
    /// what to try.
    pub fn sized(kind: Kind, params: Params, purpose: Purpose) -> Result<Self, TooLarge> {
        for &flag in kind.flags() {
            check_range(kind, flag, purpose, flag.get(&params) as i128)?;
        }
        if purpose == Purpose::Explore {
            explore_budget(kind, params)?;
        }
        Ok(Scenario { kind, params })
    }

    /// [`Scenario::sized`] for exploring every interleaving.
    pub fn new(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        Scenario::sized(kind, params, Purpose::Explore)
    }

    /// [`Scenario::sized`] for one run along a learner's schedule.
    pub fn for_replay(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        Scenario::sized(kind, params, Purpose::Replay)
    }

    /// [`Scenario::sized`] for real-thread stress runs.
    pub fn for_stress(kind: Kind, params: Params) -> Result<Self, TooLarge> {
        Scenario::sized(kind, params, Purpose::Stress)
    }

    /// The size flags that differ from the defaults, as typed on the command line
    /// (`" --threads 3"`, or `""` at the defaults).
    pub fn size_args(&self) -> String {
        let defaults = self.kind.default_params();
        self.kind
            .flags()
            .iter()
            .filter(|f| f.get(&self.params) != f.get(&defaults))
            .map(|f| format!(" {} {}", f.name(), f.get(&self.params)))
            .collect()
    }
}

/// Checks one flag's value (which may be negative, as typed) against its range for
/// `purpose`: "counter-unlocked: --threads must be between 1 and 4 for explore, got 9".
pub fn check_range(kind: Kind, flag: Flag, purpose: Purpose, value: i128) -> Result<(), TooLarge> {
    let range = kind.range(flag, purpose);
    let (lo, hi) = (*range.start(), *range.end());
    if (lo as i128..=hi as i128).contains(&value) {
        Ok(())
    } else {
        Err(TooLarge(format!(
            "{}: {} must be between {} and {} for {}, got {value}",
            kind.name(),
            flag.name(),
            group(lo),
            group(hi),
            purpose.name()
        )))
    }
}

fn explore_budget(kind: Kind, params: Params) -> Result<(), TooLarge> {
    let Params {
        threads,
        increments,
        workers,
        items,
    } = params;
    let name = kind.name();
    match kind {
        Kind::CounterUnlocked
        | Kind::CounterLocked
        | Kind::CounterAtomic
        | Kind::InsufficientLock
        | Kind::TwoLocks
        | Kind::ReadThenWriteLock => {
            // Distinct interleavings (an upper bound for the lock mistakes, whose locks
            // rule some out): whole critical sections for the locked counter.
            let steps_per_increment = match kind {
                Kind::CounterAtomic | Kind::CounterLocked => 1,
                Kind::CounterUnlocked | Kind::ReadThenWriteLock => 2,
                _ => 4,
            };
            // Blocked threads cost extra executions where a lock is involved (about 8
            // per interleaving for the locked counter), so those get a smaller budget.
            let budget = match kind {
                Kind::CounterUnlocked | Kind::CounterAtomic | Kind::ReadThenWriteLock => {
                    MAX_INTERLEAVINGS
                }
                _ => MAX_INTERLEAVINGS / 5,
            };
            let n = interleavings(threads, increments * steps_per_increment).unwrap_or(u128::MAX);
            if n > budget {
                return Err(TooLarge(format!(
                    "{name} with {} × {} has up to {} interleavings, more than the {} racelab \
                     explores for it; try fewer threads or increments (replay runs any size up \
                     to 8 × 8)",
                    plural(threads, "thread"),
                    plural(increments, "increment"),
                    group(n),
                    group(budget)
                )));
            }
        }
        Kind::Queue | Kind::TaskDoneEarly if workers * items > 4 => {
            return Err(TooLarge(format!(
                "{name} with {} and {} has too many interleavings to explore (every wait and \
                 wake-up is a step); keep workers × items at 4 or less (replay runs up to 8 × 8)",
                plural(workers, "worker"),
                plural(items, "item")
            )));
        }
        _ => {}
    }
    Ok(())
}
