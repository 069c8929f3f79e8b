//! Be the scheduler: follow a schedule a learner types, one thread number per marked step.
//!
//! At each branch point the next number in the schedule picks the thread that takes the next
//! step. A thread that cannot take a step is refused with the reason; when the schedule runs
//! out, the lowest-numbered thread that can run goes on, so that the caller can tell which
//! threads still had steps to take.

use super::steps::{Chooser, NullChoice};
use super::Point;

/// Why the schedule could not be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The thread at `position` (1-based) could not take a step.
    Blocked { position: usize, thread: usize },
    /// The thread at `position` had no steps left.
    NoStepsLeft { position: usize, thread: usize },
}

/// A [`Chooser`] that follows a schedule (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Follow {
    schedule: Vec<usize>,
    used: usize,
    started: bool,
    /// Marked steps taken when the schedule ran out (from then on, the fixed rule runs).
    pub(crate) exhausted_at: Option<usize>,
    /// Why the schedule could not be followed, if it could not.
    pub(crate) refused: Option<Refused>,
}

impl Follow {
    pub(crate) fn new(schedule: &[usize]) -> Self {
        Follow {
            schedule: schedule.to_vec(),
            ..Follow::default()
        }
    }

    fn refuse(&mut self, thread: usize, finished: bool) {
        let position = self.used;
        self.refused = Some(if finished {
            Refused::NoStepsLeft { position, thread }
        } else {
            Refused::Blocked { position, thread }
        });
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
        let Some(&thread) = self.schedule.get(self.used) else {
            self.exhausted_at.get_or_insert(point.marks);
            return Some(options[0]);
        };
        self.used += 1;
        if options.contains(&thread) {
            return Some(thread);
        }
        let finished = point
            .views
            .get(thread)
            .is_none_or(|v| v.finished || v.done_marking);
        self.refuse(thread, finished);
        None
    }

    fn null_choice(&mut self, _k: usize, thread: usize, finished: bool) -> NullChoice {
        if self.exhausted_at.is_some() {
            return NullChoice::Continue;
        }
        self.refuse(thread, finished);
        NullChoice::Abandon
    }
}
