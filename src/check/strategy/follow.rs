//! Be the scheduler: follow a schedule a learner types, one thread per marked step.
//!
//! At each branch point the next entry of the schedule picks the thread that takes the next
//! step. A step that follows its thread's previous one at once (a `wait` right after the
//! check that failed, a `notify` after a `put`) takes an entry too, which must name the
//! same thread. A thread that cannot take a step is refused with the reason; when the
//! schedule runs out, the lowest-numbered thread that can run goes on, so that the caller
//! can tell which threads still had steps to take.

use super::Point;
use super::steps::{Chooser, NullChoice};

/// Why the schedule could not be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The thread at `position` (1-based) could not take a step.
    Blocked { position: usize, thread: usize },
    /// The thread at `position` had no steps left.
    NoStepsLeft { position: usize, thread: usize },
    /// At `position`, thread `follows` takes a step that follows its previous one at once,
    /// but the schedule names `asked`.
    FollowsAtOnce {
        position: usize,
        asked: usize,
        follows: usize,
    },
}

/// A [`Chooser`] that follows a schedule (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Follow {
    schedule: Vec<usize>,
    /// Entries consumed.
    pub(crate) used: usize,
    started: bool,
    /// The thread chosen last, and how many marked steps there were then.
    last: Option<(usize, usize)>,
    /// Marked steps taken when the schedule ran out (from then on, the fixed rule runs).
    pub(crate) exhausted_at: Option<usize>,
    /// Why the schedule could not be followed, if it could not.
    pub(crate) refused: Option<Refused>,
    /// What the thread refused as blocked waits for (filled by the caller's engine view).
    pub(crate) blocked_reason: Option<crate::check::report::Blocked>,
    /// Once the schedule has run out, stop the execution at the first choice after another
    /// marked step, instead of finishing it by the fixed rule (for callers that only need
    /// the prefix and whether the run ends there: the tree of schedules).
    pub(crate) stop_at_end: bool,
}

impl Follow {
    pub(crate) fn new(schedule: &[usize]) -> Self {
        Follow {
            schedule: schedule.to_vec(),
            ..Follow::default()
        }
    }

    fn refuse(&mut self, thread: usize, finished: bool, point: Option<&Point<'_>>) {
        let position = self.used;
        self.refused = Some(if finished {
            Refused::NoStepsLeft { position, thread }
        } else {
            Refused::Blocked { position, thread }
        });
        self.blocked_reason = point.and_then(|p| (p.why_blocked)(thread));
    }

    /// Consumes the entries of the steps that followed the last choice at once; `false` if
    /// one named another thread (the refusal is recorded).
    pub(crate) fn account(&mut self, marks: usize) -> bool {
        let Some((thread, marks_then)) = self.last else {
            return true;
        };
        // The first step after a choice is the chosen one's; the rest followed at once.
        for extra in 1..marks.saturating_sub(marks_then) {
            if self.exhausted_at.is_some() {
                break;
            }
            match self.schedule.get(self.used) {
                None => {
                    self.exhausted_at = Some(marks_then + extra);
                }
                Some(&asked) if asked == thread => self.used += 1,
                Some(&asked) => {
                    self.used += 1;
                    self.refused = Some(Refused::FollowsAtOnce {
                        position: self.used,
                        asked,
                        follows: thread,
                    });
                    return false;
                }
            }
        }
        self.last = None;
        true
    }
}

impl Chooser for Follow {
    fn new_execution(&mut self) -> bool {
        !std::mem::replace(&mut self.started, true)
    }

    fn wants_every_choice(&self) -> bool {
        true
    }

    fn choose(&mut self, _k: usize, options: &[usize], point: &Point<'_>) -> Option<usize> {
        if !self.account(point.marks) {
            return None;
        }
        let Some(&thread) = self
            .schedule
            .get(self.used)
            .filter(|_| self.exhausted_at.is_none())
        else {
            let at = *self.exhausted_at.get_or_insert(point.marks);
            // Past the schedule: only whether the run ends before another marked step
            // decides anything (an outcome, or threads with steps left).
            if self.stop_at_end && point.marks > at {
                return None;
            }
            return Some(options[0]);
        };
        self.used += 1;
        if options.contains(&thread) {
            self.last = Some((thread, point.marks));
            return Some(thread);
        }
        let finished = point
            .views
            .get(thread)
            .is_none_or(|v| v.finished || v.done_marking);
        self.refuse(thread, finished, Some(point));
        None
    }

    fn null_choice(&mut self, _k: usize, thread: usize, finished: bool) -> NullChoice {
        if self.exhausted_at.is_some() {
            return NullChoice::Continue;
        }
        self.last = None;
        self.refuse(thread, finished, None);
        NullChoice::Abandon
    }
}

/// Follows several schedules, one execution each, in one run of the engine (starting the
/// engine costs more than a short execution: the tree of schedules replays thousands).
#[derive(Debug, Default)]
pub(crate) struct FollowEach {
    /// The schedules still to run, last first.
    pending: Vec<Vec<usize>>,
    /// The schedule being followed.
    pub(crate) current: Follow,
    /// The followed schedules' states, in order.
    pub(crate) done: Vec<Follow>,
    started: bool,
    stop_at_end: bool,
}

impl FollowEach {
    pub(crate) fn new(schedules: &[Vec<usize>], stop_at_end: bool) -> Self {
        FollowEach {
            pending: schedules.iter().rev().cloned().collect(),
            stop_at_end,
            ..FollowEach::default()
        }
    }

    /// The states of every schedule followed, in order.
    pub(crate) fn finish(mut self) -> Vec<Follow> {
        if self.started {
            self.done.push(self.current);
        }
        self.done
    }
}

impl Chooser for FollowEach {
    fn new_execution(&mut self) -> bool {
        let Some(schedule) = self.pending.pop() else {
            return false;
        };
        let next = Follow {
            stop_at_end: self.stop_at_end,
            started: true,
            ..Follow::new(&schedule)
        };
        let previous = std::mem::replace(&mut self.current, next);
        if std::mem::replace(&mut self.started, true) {
            self.done.push(previous);
        }
        true
    }

    fn wants_every_choice(&self) -> bool {
        true
    }

    fn choose(&mut self, k: usize, options: &[usize], point: &Point<'_>) -> Option<usize> {
        self.current.choose(k, options, point)
    }

    fn null_choice(&mut self, k: usize, thread: usize, finished: bool) -> NullChoice {
        self.current.null_choice(k, thread, finished)
    }
}
