//! How large a scenario may be: to explore every interleaving (a few seconds at most), or to
//! run on real threads.

use super::catalogue::{Kind, Scenario};

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

impl Scenario {
    /// Checks `params` for `kind`; the error says which limit was passed and what to try.
    pub fn new(kind: Kind, params: Params) -> Result<Self, TooLarge> {
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
            | Kind::TwoLocks => {
                range("--threads", threads, 1, 4)?;
                range("--increments", increments, 1, 4)?;
                // Distinct interleavings (an upper bound for the lock mistakes, whose locks
                // rule some out): whole critical sections for the locked counter.
                let steps_per_increment = match kind {
                    Kind::CounterAtomic | Kind::CounterLocked => 1,
                    Kind::CounterUnlocked => 2,
                    _ => 4,
                };
                // Blocked threads cost extra executions where a lock is involved (about 8
                // per interleaving for the locked counter), so those get a smaller budget.
                let budget = match kind {
                    Kind::CounterUnlocked | Kind::CounterAtomic => MAX_INTERLEAVINGS,
                    _ => MAX_INTERLEAVINGS / 5,
                };
                let n =
                    interleavings(threads, increments * steps_per_increment).unwrap_or(u128::MAX);
                if n > budget {
                    return Err(TooLarge(format!(
                        "{name} with {threads} threads × {increments} increments has up to {n} \
                         interleavings, more than the {budget} racelab explores for it; try fewer \
                         threads or increments"
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
}
