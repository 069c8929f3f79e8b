//! The body of a check under a plain shuttle scheduler (racelab's engine not involved), to
//! compare checkers side by side on the same program.

use std::sync::Arc;

use super::collector::Collector;
use super::{Check, Outcome};
use crate::check::report::{Ending, Verdict};
use crate::check::rt::scheduler;

/// The first execution of a plain shuttle scheduler that reached a forbidden outcome (see
/// [`Check::first_bug_under`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstBug {
    /// Its number, from 1.
    pub execution: usize,
    /// How many times its schedule switched between tasks.
    pub switches: usize,
}

/// What [`Check::count_under`] ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainRun {
    /// Executions run.
    pub executions: usize,
    /// The last one failed (a panic, or a deadlock), which ended the run.
    pub failed: bool,
    /// The scheduler ran out of schedules before the budget did: for an exhaustive
    /// scheduler, everything was explored. (One that ran out exactly at the budget counts
    /// as stopped by the budget.)
    pub finished: bool,
}

impl<O: Outcome> Check<O> {
    /// Runs the body under a plain shuttle scheduler (racelab's engine not involved, as
    /// with `shuttle::check_random`) for at most `max_executions` executions, and returns
    /// the number of the first execution that reached a forbidden outcome (a deadlock or a
    /// panic included: shuttle reports those itself), or `None`. For comparing schedulers
    /// side by side on the same program.
    pub fn first_bug_under<S>(&self, scheduler: S, max_executions: usize) -> Option<FirstBug>
    where
        S: shuttle::scheduler::Scheduler + Send + 'static,
    {
        let collector = Collector::new(self, false);
        let found = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let body = Arc::clone(&self.body);
        let found_in = Arc::clone(&found);
        let verdict = move |o: &O| collector.verdict(&Ending::Returned(o.clone()));
        let verdict = Arc::new(verdict);
        let stop = Arc::clone(&found);
        let end = scheduler::run_plain(scheduler, max_executions, stop, move || {
            let outcome = body();
            if verdict(&outcome) == Verdict::Forbidden {
                // Ends the run after this execution (a panic would make shuttle print it).
                found_in.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
        // A forbidden outcome, or a deadlock or a panic that shuttle reported. (Not a run
        // that merely stopped early: an exhaustive scheduler ends when it has explored all.)
        (found.load(std::sync::atomic::Ordering::SeqCst) || end.failed).then_some(FirstBug {
            execution: end.executions,
            switches: end.switches,
        })
    }

    /// Runs the body under a plain shuttle scheduler (as [`first_bug_under`]) until the
    /// scheduler has no more schedules, `max_executions` have run, or an execution failed
    /// (a panic, or a deadlock shuttle found; a forbidden outcome does not stop it). For
    /// counting the executions an exhaustive shuttle scheduler (DFS) needs.
    ///
    /// [`first_bug_under`]: Check::first_bug_under
    pub fn count_under<S>(&self, scheduler: S, max_executions: usize) -> PlainRun
    where
        S: shuttle::scheduler::Scheduler + Send + 'static,
    {
        let body = Arc::clone(&self.body);
        let never = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let end = scheduler::run_plain(scheduler, max_executions, never, move || {
            body();
        });
        PlainRun {
            executions: end.executions,
            failed: end.failed,
            finished: !end.failed && end.executions < max_executions,
        }
    }
}
