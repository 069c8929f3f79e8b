//! The interface between the runtime and a strategy: what a strategy sees at a decision
//! point ([`Point`], a [`View`] per thread) and what it decides ([`Strategy`]). The
//! strategies themselves are in `crate::check::strategy` (sampled, replayed, step-level) and
//! `crate::check::search` (the exhaustive graph search).

use super::ending::RawEnding;
use super::op::Footprint;
use crate::check::report::Blocked;
use crate::check::search::trust::Trust;

/// Which switch points a strategy decides at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Granularity {
    /// Every operation (sound for any code).
    Ops,
    /// Only marked steps, and where a thread cannot go on: the step-level teaching tables,
    /// exact for code whose shared state is all marked.
    Marks,
}

/// What a strategy sees of a thread at a decision point.
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// It can take its next step now.
    pub(crate) enabled: bool,
    /// It has no next step.
    pub(crate) finished: bool,
    /// Its next step is a marked one.
    pub(crate) at_mark: bool,
    /// It said it has no more marked steps.
    pub(crate) done_marking: bool,
    /// Its next marked step is a blocking acquire of a lock another step holds.
    pub(crate) waits_for_held_lock: bool,
    /// What its next step touches (`None` when finished).
    pub(crate) footprint: Option<Footprint>,
    /// Its next operation touches nothing shared (a start, a spawn, a finish, a join, a
    /// yield, a sleep): its order against other threads' operations cannot matter.
    pub(crate) local: bool,
}

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
    pub(crate) why_blocked: Box<dyn Fn(usize) -> Option<Blocked> + 'a>,
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

    /// Whether the spurious alternative std allows is taken here: a `compare_exchange_weak`
    /// that may fail spuriously (`Check::spurious_failures`) fails, or a wait that may
    /// wake spuriously (`Check::spurious_wakeups`) never wakes instead. Never by default.
    /// Asked only when it may, so a strategy's other choices stay the same in checks that
    /// do not explore them.
    fn fail_spuriously(&mut self) -> bool {
        false
    }

    /// The exhaustive graph search, if this strategy is it: the engine then replays the
    /// graphs it hands over and lets it branch at every read and write.
    fn as_trust(&mut self) -> Option<&mut Trust> {
        None
    }
}
