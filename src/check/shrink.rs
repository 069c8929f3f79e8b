//! Shrinking a witness: fewer thread switches, same forbidden ending.
//!
//! A witness found by a sampled schedule switches threads wherever the dice fell. Like
//! proptest shrinking a failing input, racelab edits the schedule — at each switch, either
//! the running thread goes on instead, or the switch is dropped — replays it
//! ([`super::strategy::guided`]), and keeps the edit when the execution still ends the same
//! way with fewer switches, until no edit helps or the budget is spent.

use std::sync::Arc;

use super::report::{Blocked, Ending};
use super::rt::spurious::Spurious;
use super::rt::trace::{Event, switches};
use super::run::{Outcome, executions};
use super::strategy::guided::Guided;

/// Replays at most this many edited schedules per witness.
pub const SHRINK_BUDGET: usize = 300;

/// The threads chosen at each decision of `trace` (every operation is one).
fn choices(trace: &[Event]) -> Vec<usize> {
    trace
        .iter()
        .filter(|e| e.is_decision())
        .map(|e| e.thread)
        .collect()
}

/// What shrinking found: the witness with the fewest switches, and the replays it took.
pub(crate) struct Shrunk {
    pub(crate) trace: Vec<Event>,
    /// Who waited for what at its end, if it deadlocked (`None`: as before).
    pub(crate) blocked: Option<Vec<Blocked>>,
    pub(crate) replays: usize,
}

/// A trace with fewer switches that ends in `ending` too (or `trace` itself).
pub(crate) fn shrink<O: Outcome>(
    body: &Arc<dyn Fn() -> O + Send + Sync>,
    ending: &Ending<O>,
    trace: Vec<Event>,
    spurious: Spurious,
) -> Shrunk {
    let mut best = trace;
    let mut blocked = None;
    let mut best_switches = switches(&best);
    let mut replays = 0;
    let mut improved = true;
    while improved && replays < SHRINK_BUDGET {
        improved = false;
        let schedule = choices(&best);
        'positions: for i in 1..schedule.len() {
            if schedule[i] == schedule[i - 1] {
                continue;
            }
            let mut stay = schedule.clone();
            stay[i] = schedule[i - 1];
            let mut drop = schedule.clone();
            drop.remove(i);
            for edited in [stay, drop] {
                if replays >= SHRINK_BUDGET {
                    break 'positions;
                }
                replays += 1;
                let body = Arc::clone(body);
                let (mut runs, _) = executions(move || body(), Guided::new(edited), 1, spurious);
                let Some(run) = runs.pop() else { continue };
                if run.ending.as_ref() == Some(ending) {
                    let n = switches(&run.trace);
                    if n < best_switches {
                        best = run.trace;
                        blocked = Some(run.blocked);
                        best_switches = n;
                        improved = true;
                        break 'positions;
                    }
                }
            }
        }
    }
    Shrunk {
        trace: best,
        blocked,
        replays,
    }
}
