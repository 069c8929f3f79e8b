//! Outcomes with their type erased ([`Erased`]), so that a check's machinery (its phases,
//! the search, the collector, shrinking, merging reports) is compiled once, in racelab,
//! instead of once per outcome type in every crate that checks code: `Check<O>::run` runs a
//! `Check<Erased>` (see `run::erased`), and [`typed`] gives the report its type back.
//!
//! Invariant: an [`Erased`] compares, hashes and prints exactly as the outcome inside it
//! (its `Debug` text and its `Hash` writes are the outcome's), so a report, its row order
//! and everything derived from outcomes are the same as if `O` had run directly.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::{Ending, Report, Row, Schedule, Witness};
use crate::check::run::Outcome;

/// An outcome of some type (see the module docs).
#[derive(Clone)]
pub(crate) struct Erased(Arc<dyn Value>);

/// What a check needs of an outcome, through a vtable.
trait Value: Send + Sync + 'static {
    fn any(&self) -> &dyn Any;
    fn same(&self, other: &dyn Value) -> bool;
    fn hash_into(&self, state: &mut dyn Hasher);
    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<O: Outcome> Value for O {
    fn any(&self) -> &dyn Any {
        self
    }

    fn same(&self, other: &dyn Value) -> bool {
        other.any().downcast_ref::<O>() == Some(self)
    }

    fn hash_into(&self, mut state: &mut dyn Hasher) {
        self.hash(&mut state);
    }

    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl Erased {
    /// `outcome`, erased.
    pub(crate) fn new<O: Outcome>(outcome: O) -> Self {
        Erased(Arc::new(outcome))
    }

    /// The outcome inside: always of the check's type (a `Check<Erased>` is only made by
    /// erasing a `Check<O>`, whose body returns `O`).
    pub(crate) fn get<O: Outcome>(&self) -> &O {
        self.0
            .any()
            .downcast_ref()
            .expect("an erased outcome is of its check's outcome type")
    }
}

impl PartialEq for Erased {
    fn eq(&self, other: &Self) -> bool {
        self.0.same(&*other.0)
    }
}

impl Eq for Erased {}

impl Hash for Erased {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_into(state);
    }
}

impl fmt::Debug for Erased {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(f)
    }
}

/// `ending` with its outcome's type back.
pub(crate) fn typed_ending<O: Outcome>(ending: Ending<Erased>) -> Ending<O> {
    match ending {
        Ending::Returned(o) => Ending::Returned(o.get::<O>().clone()),
        Ending::LeftBlocked(o) => Ending::LeftBlocked(o.get::<O>().clone()),
        Ending::Deadlock => Ending::Deadlock,
        Ending::Panicked(message) => Ending::Panicked(message),
        Ending::DataRace(race) => Ending::DataRace(race),
        Ending::StepLimit(steps) => Ending::StepLimit(steps),
        Ending::WakeupLimit(limit) => Ending::WakeupLimit(limit),
    }
}

/// `report` with its outcomes' type back.
pub(crate) fn typed<O: Outcome>(report: Report<Erased>) -> Report<O> {
    map(report, typed_ending)
}

/// `report` with its outcomes erased.
pub(crate) fn erased<O: Outcome>(report: Report<O>) -> Report<Erased> {
    map(report, |ending| match ending {
        Ending::Returned(o) => Ending::Returned(Erased::new(o)),
        Ending::LeftBlocked(o) => Ending::LeftBlocked(Erased::new(o)),
        Ending::Deadlock => Ending::Deadlock,
        Ending::Panicked(message) => Ending::Panicked(message),
        Ending::DataRace(race) => Ending::DataRace(race),
        Ending::StepLimit(steps) => Ending::StepLimit(steps),
        Ending::WakeupLimit(limit) => Ending::WakeupLimit(limit),
    })
}

/// `report` with `ending` applied to every ending.
fn map<A, B>(report: Report<A>, ending: impl Fn(Ending<A>) -> Ending<B>) -> Report<B> {
    Report {
        name: report.name,
        rows: report
            .rows
            .into_iter()
            .map(|row| Row {
                ending: ending(row.ending),
                executions: row.executions,
                verdict: row.verdict,
            })
            .collect(),
        witnesses: report
            .witnesses
            .into_iter()
            .map(|w| Witness {
                ending: ending(w.ending),
                trace: w.trace,
                threads: w.threads,
                blocked: w.blocked,
                explanation: w.explanation,
            })
            .collect(),
        requirements: report.requirements,
        coverage: report.coverage,
        executions: report.executions,
        elapsed: report.elapsed,
        notes: report.notes,
        schedules: report
            .schedules
            .into_iter()
            .map(|s| Schedule {
                threads: s.threads,
                names: s.names,
                ending: ending(s.ending),
            })
            .collect(),
    }
}
