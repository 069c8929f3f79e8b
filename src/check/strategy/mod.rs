//! Strategies: who runs next at each decision point. One strategy a file, like shuttle's
//! schedulers; all of them drive the same engine ([`crate::check::rt`]), so every one of
//! them sees the same operations, detects the same deadlocks and records the same traces.
//!
//! * [`every_order`]: every order of every operation (and every choice of which waiter a
//!   notify wakes), with no reduction: the brute-force baseline;
//! * [`steps`]: exhaustive at marked steps only, one execution per distinct interleaving of
//!   the steps: the exact counts of the teaching tables, for code whose shared state is all
//!   marked;
//! * [`pos`], [`random`] and [`pct`]: sampled schedules with a seed (partial-order aware,
//!   uniform, priority-based), to find bugs fast and for what is too large to explore;
//! * [`follow`]: a schedule a learner types, step by step.

pub(crate) mod every_order;
pub(crate) mod follow;
pub(crate) mod guided;
pub(crate) mod pct;
pub(crate) mod pos;
pub(crate) mod probe;
pub(crate) mod random;
pub(crate) mod steps;

use super::rt::engine::{Granularity, RawEnding, View};
use super::rt::op::Footprint;
use super::search::trust::Trust;

/// What a strategy sees at a decision point.
pub(crate) struct Point<'a> {
    /// Every thread of the execution, by number.
    pub(crate) views: &'a [View],
    /// The thread that was running, if it is one of them.
    pub(crate) current: Option<usize>,
    /// The steps taken so far: which thread, touching what.
    pub(crate) steps: &'a [(usize, Footprint)],
    /// Marked steps recorded so far.
    pub(crate) marks: usize,
    /// The marked steps are over for this execution (see `crate::check::mark::end_of_lesson`).
    pub(crate) marks_off: bool,
    /// What a thread that cannot run waits for, in words.
    pub(crate) why_blocked: Box<dyn Fn(usize) -> Option<crate::check::report::Blocked> + 'a>,
}

impl Point<'_> {
    /// The threads that can take a step now.
    pub(crate) fn enabled(&self) -> impl Iterator<Item = usize> + '_ {
        self.views
            .iter()
            .enumerate()
            .filter(|(_, v)| v.enabled)
            .map(|(t, _)| t)
    }

    /// The number of steps taken so far in this execution.
    pub(crate) fn depth(&self) -> usize {
        self.steps.len()
    }
}

/// Decides who runs next (see the module docs).
pub(crate) trait Strategy {
    /// Where the strategy is asked.
    fn granularity(&self) -> Granularity {
        Granularity::Ops
    }

    /// A new execution starts; `false` ends the exploration (everything is explored, or the
    /// strategy has run its course).
    fn new_execution(&mut self) -> bool;

    /// The thread that takes the next step (one of `point.enabled()`), or `None` to stop
    /// this execution without an outcome.
    fn choose(&mut self, point: &Point<'_>) -> Option<usize>;

    /// The execution ended at `point` (no thread could go on, or one panicked).
    fn ended(&mut self, _point: &Point<'_>, _ending: &RawEnding) {}

    /// One of `n` choices the execution makes besides the thread (which of several waiters
    /// a `notify_one` wakes): the first by default.
    fn choose_value(&mut self, _n: usize) -> usize {
        0
    }

    /// The exhaustive graph search, if this strategy is it: the engine then replays the
    /// graphs it hands over and lets it branch at every read and write.
    fn as_trust(&mut self) -> Option<&mut Trust> {
        None
    }
}
