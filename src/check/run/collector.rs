//! Collects the executions of every phase into the outcome table, the witnesses and the
//! requirements.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::{Check, Explainer, Outcome, Predicate, Required};
use crate::check::coverage::Coverage;
use crate::check::report::{Blocked, Ending, Report, Requirement, Row, Schedule, Verdict, Witness};
use crate::check::report::{deadlock, order};
use crate::check::rt::engine::{Finished, RawEnding};
use crate::check::rt::trace::{Event, switches};

/// A collector with its outcome type erased: the phases of a check run through this, so
/// that they are compiled once in racelab, not once per outcome type in every crate that
/// calls [`crate::check::check`] (which made test binaries slow to build).
pub(crate) trait Sink: Send {
    /// Takes one finished execution; `false` asks to stop.
    fn accept(&mut self, finished: Finished) -> bool;
    /// A forbidden outcome was found and the check stops at the first.
    fn found(&self) -> bool;
    /// A copy, to go back to if a phase is void.
    fn snapshot(&self) -> Box<dyn Sink>;
    /// Back to the concrete collector.
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any>;
}

impl<O: Outcome> Sink for Collector<O> {
    fn accept(&mut self, finished: Finished) -> bool {
        Collector::accept(self, finished)
    }

    fn found(&self) -> bool {
        self.stop_at_first_bug && self.found_bug
    }

    fn snapshot(&self) -> Box<dyn Sink> {
        Box::new(self.clone())
    }

    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

/// Collects the executions of every phase into the table.
#[derive(Clone)]
pub(crate) struct Collector<O: Outcome> {
    pub(crate) acceptable: Option<Predicate<O>>,
    pub(crate) forbidden: Option<Predicate<O>>,
    pub(crate) explain: Option<Explainer<O>>,
    pub(crate) allow_deadlock: bool,
    pub(crate) allow_left_blocked: bool,
    pub(crate) required: Vec<Required<O>>,
    pub(crate) reached: Vec<bool>,
    pub(crate) stop_at_first_bug: bool,
    pub(crate) steps_only: bool,
    pub(crate) seen: HashSet<u128>,
    pub(crate) counts: HashMap<Ending<O>, usize>,
    pub(crate) order: Vec<Ending<O>>,
    pub(crate) best: HashMap<Ending<O>, Candidate>,
    pub(crate) found_bug: bool,
    pub(crate) executions: usize,
    pub(crate) schedules: Vec<Schedule<O>>,
    pub(crate) list_schedules: usize,
}

/// The best witness of an ending so far.
#[derive(Clone)]
pub(crate) struct Candidate {
    pub(crate) trace: Vec<Event>,
    pub(crate) threads: Vec<String>,
    pub(crate) blocked: Vec<Blocked>,
    pub(crate) panicked: Option<usize>,
    pub(crate) switches: usize,
    /// Fewest switches, then fewest events, then the lowest-numbered threads first, then
    /// the digest: the best witness is the same whichever execution ran first (in one job
    /// or in several).
    pub(crate) rank: order::Rank,
}

impl<O: Outcome> Collector<O> {
    pub(crate) fn new(check: &Check<O>, steps_only: bool) -> Self {
        Collector {
            acceptable: check.acceptable.clone(),
            forbidden: check.forbidden.clone(),
            explain: check.explain.clone(),
            allow_deadlock: check.allow_deadlock,
            allow_left_blocked: check.allow_left_blocked,
            required: check.required.clone(),
            reached: vec![false; check.required.len()],
            stop_at_first_bug: check.stop_at_first_bug,
            steps_only,
            seen: HashSet::new(),
            counts: HashMap::new(),
            order: Vec::new(),
            best: HashMap::new(),
            found_bug: false,
            executions: 0,
            schedules: Vec::new(),
            list_schedules: check.list_schedules,
        }
    }

    pub(crate) fn verdict(&self, ending: &Ending<O>) -> Verdict {
        let ok = match ending {
            Ending::Returned(o) => {
                self.acceptable.as_ref().is_none_or(|accept| accept(o))
                    && !self.forbidden.as_ref().is_some_and(|forbid| forbid(o))
            }
            Ending::LeftBlocked(o) => {
                self.allow_left_blocked
                    && self.verdict(&Ending::Returned(o.clone())) == Verdict::Acceptable
            }
            Ending::Deadlock => self.allow_deadlock,
            // The check's stated limit (`Check::wakeups_without_notify`), not a failure.
            Ending::WakeupLimit(_) => true,
            Ending::Panicked(_) | Ending::DataRace(_) | Ending::StepLimit(_) => false,
        };
        if ok {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// Takes one finished execution; `false` asks to stop.
    pub(crate) fn accept(&mut self, finished: Finished) -> bool {
        self.executions += 1;
        let Finished {
            ending,
            trace,
            threads,
        } = finished;
        let (ending, blocked, panicked) = match ending {
            RawEnding::Abandoned => return true,
            RawEnding::Returned(value) => match value.downcast::<O>() {
                Ok(o) => (Ending::Returned(*o), Vec::new(), None),
                Err(_) => unreachable!("the body returns O"),
            },
            RawEnding::Deadlock(blocked) => (Ending::Deadlock, blocked, None),
            RawEnding::LeftBlocked(value, blocked) => match value.downcast::<O>() {
                Ok(o) => (Ending::LeftBlocked(*o), blocked, None),
                Err(_) => unreachable!("the body returns O"),
            },
            RawEnding::Panicked { thread, message } => {
                (Ending::Panicked(message), Vec::new(), Some(thread))
            }
            RawEnding::DataRace { thread, message } => {
                (Ending::DataRace(message), Vec::new(), Some(thread))
            }
            RawEnding::StepLimit(n) => (Ending::StepLimit(n), Vec::new(), None),
            RawEnding::WakeupLimit(n) => (Ending::WakeupLimit(n), Vec::new(), None),
        };
        let trace: Vec<Event> = if self.steps_only {
            trace.into_iter().filter(Event::is_mark).collect()
        } else {
            trace
        };
        if self.schedules.len() < self.list_schedules {
            self.schedules.push(Schedule {
                threads: trace
                    .iter()
                    .filter(|e| e.is_decision())
                    .map(|e| e.thread)
                    .collect(),
                names: threads.iter().map(|t| t.to_string()).collect(),
                ending: ending.clone(),
            });
        }
        let digest = order::digest(&ending, &trace);
        if !self.seen.insert(digest) {
            return true;
        }
        for (i, (_, reached)) in self.required.iter().enumerate() {
            if reached(&ending) {
                self.reached[i] = true;
            }
        }
        let count = self.counts.entry(ending.clone()).or_insert(0);
        if *count == 0 {
            self.order.push(ending.clone());
        }
        *count += 1;
        let forbidden = self.verdict(&ending) == Verdict::Forbidden;
        if forbidden {
            let n = switches(&trace);
            let rank = order::rank(&trace, digest);
            if self.best.get(&ending).is_none_or(|b| rank < b.rank) {
                self.best.insert(
                    ending,
                    Candidate {
                        trace,
                        threads: threads.iter().map(|t| t.to_string()).collect(),
                        blocked,
                        panicked,
                        switches: n,
                        rank,
                    },
                );
            }
            self.found_bug = true;
            return !self.stop_at_first_bug;
        }
        true
    }

    pub(crate) fn report(
        self,
        name: String,
        coverage: Coverage,
        notes: Vec<String>,
        elapsed: Duration,
    ) -> Report<O> {
        let mut rows: Vec<Row<O>> = self
            .order
            .iter()
            .map(|ending| Row {
                ending: ending.clone(),
                executions: self.counts[ending],
                verdict: self.verdict(ending),
            })
            .collect();
        // Forbidden first, then the most executions; ties in the natural order of the
        // outcomes' text (not the order they were found in: that depends on the parallel jobs).
        order::sort_rows(&mut rows);
        let mut best = self.best;
        let witnesses = rows
            .iter()
            .filter(|r| r.verdict == Verdict::Forbidden)
            .filter_map(|r| {
                let c = best.remove(&r.ending)?;
                let names = c.threads.clone();
                let name = move |t: usize| {
                    names
                        .get(t)
                        .cloned()
                        .unwrap_or_else(|| format!("Thread{t}"))
                };
                let explanation = match &r.ending {
                    Ending::Deadlock => deadlock::explain(&c.blocked, &c.trace, &name),
                    Ending::LeftBlocked(o) => format!(
                        "the body returned {o:?} while {} for ever (a thread left blocked: \
                         use allow_left_blocked() if that is by design)",
                        c.blocked
                            .iter()
                            .map(|b| deadlock::describe(b, &name))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    Ending::Panicked(message) => {
                        format!("{} panicked: {message}", name(c.panicked.unwrap_or(0)))
                    }
                    Ending::DataRace(_) => "two threads touch the cell without synchronisation, \
                         one of them writing: undefined behaviour. Order the accesses: a mutex \
                         held around both, a join, or an atomic whose store releases and whose \
                         load acquires"
                        .to_string(),
                    Ending::StepLimit(n) => format!(
                        "the execution did not finish within {n} steps: a livelock, or a loop \
                         that waits for something that never happens (a spin loop should call \
                         thread::yield_now)"
                    ),
                    Ending::WakeupLimit(_) => {
                        unreachable!("an execution cut at the wake-up limit is acceptable")
                    }
                    Ending::Returned(o) => match &self.explain {
                        Some(explain) => explain(o),
                        None => format!("the body returned {o:?}, which is forbidden"),
                    },
                };
                Some(Witness {
                    ending: r.ending.clone(),
                    trace: c.trace,
                    threads: c.threads,
                    blocked: c.blocked,
                    explanation,
                })
            })
            .collect();
        let requirements = self
            .required
            .iter()
            .zip(&self.reached)
            .map(|((description, _), reached)| Requirement {
                description: description.clone(),
                reached: *reached,
            })
            .collect();
        Report {
            name,
            rows,
            witnesses,
            requirements,
            coverage,
            executions: self.executions,
            elapsed,
            notes,
            schedules: self.schedules,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::check::rt::trace::What;

    fn finished(ending: RawEnding) -> Finished {
        Finished {
            ending,
            trace: vec![Event {
                thread: 1,
                what: What::Mark(crate::check::mark::Mark::new("read").with_value(0)),
            }],
            threads: vec!["main".into(), "Thread1".into()],
        }
    }

    #[test]
    fn the_table_keeps_endings_with_equal_traces_apart() {
        let check = check(|| 0usize).expect(|&v| v == 2);
        let mut c = Collector::new(&check, true);
        assert!(c.accept(finished(RawEnding::Returned(Box::new(2usize)))));
        assert!(c.accept(finished(RawEnding::Deadlock(Vec::new()))));
        assert!(c.accept(finished(RawEnding::Returned(Box::new(1usize)))));
        assert!(
            c.accept(finished(RawEnding::Returned(Box::new(2usize)))),
            "a repeat"
        );
        let report = c.report("t".into(), Coverage::default(), Vec::new(), Duration::ZERO);
        let rows: Vec<(Ending<usize>, usize)> = report
            .rows
            .iter()
            .map(|r| (r.ending.clone(), r.executions))
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows.contains(&(Ending::Deadlock, 1)));
        assert!(rows.contains(&(Ending::Returned(1), 1)));
        assert!(
            rows.contains(&(Ending::Returned(2), 1)),
            "the repeat is counted once"
        );
        assert_eq!(
            report.witnesses.len(),
            2,
            "the deadlock and 1 are forbidden"
        );
    }
}
