//! Every interleaving of a scenario's steps: the outcome table and the minimal witness of
//! each forbidden outcome.
//!
//! A scenario's shared state is all marked (each read and write, acquire and release, put
//! and get reports its step), so the engine switches threads at marked steps only
//! ([`Search::MarkedSteps`]) and the table counts each distinct interleaving of the steps
//! once — the numbers a learner can check by hand (6 for two unlocked increments). The
//! counts are checked against an independent enumeration in `tests/teach/explore.rs`.

use super::catalogue::Scenario;
use super::outcome::EndState;
use crate::check::{Ending, Pruning, Search, Verdict, check};
use crate::checked::trace::{Event, Recorder};

/// Most executions an exploration may take before it gives up (far above what the
/// accepted sizes need: `counter-unlocked` 3 × 2 takes about 35,000).
pub const EXPLORE_BUDGET: usize = 5_000_000;

/// One row of the outcome table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplorationRow {
    /// The outcome.
    pub outcome: EndState,
    /// Distinct interleavings (recorded step sequences) that end with it.
    pub interleavings: usize,
    /// Acceptable or forbidden.
    pub verdict: Verdict,
}

/// The interleaving that shows a forbidden outcome with the fewest thread switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    /// The forbidden outcome it reaches.
    pub outcome: EndState,
    /// The steps, in order.
    pub trace: Vec<Event>,
    /// What went wrong, in words.
    pub explanation: String,
}

/// What [`explore`] found.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The scenario explored.
    pub scenario: Scenario,
    /// Executions run (including abandoned ones).
    pub executions: usize,
    /// Distinct interleavings found.
    pub interleavings: usize,
    /// One row per outcome, acceptable ones first, then by outcome.
    pub rows: Vec<ExplorationRow>,
    /// One witness per forbidden outcome.
    pub witnesses: Vec<Witness>,
}

impl Exploration {
    /// Whether some interleaving reaches a forbidden outcome.
    pub fn has_bug(&self) -> bool {
        !self.witnesses.is_empty()
    }

    /// The outcomes reached.
    pub fn outcomes(&self) -> Vec<EndState> {
        self.rows.iter().map(|r| r.outcome.clone()).collect()
    }
}

/// The exploration did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "exploring {scenario} stopped after {executions} executions without finishing; try a smaller size"
)]
pub struct Unfinished {
    /// The scenario's name.
    pub scenario: &'static str,
    /// Executions run.
    pub executions: usize,
}

/// How an execution ended, as a scenario outcome.
pub(crate) fn outcome_of(ending: &Ending<EndState>) -> EndState {
    match ending {
        // The scenarios' own end states say what a thread still waiting means.
        Ending::Returned(outcome) | Ending::LeftBlocked(outcome) => outcome.clone(),
        Ending::Deadlock => EndState::Deadlock,
        Ending::Panicked(message) => EndState::Label(format!("panicked: {message}")),
        Ending::DataRace(message) => EndState::Label(format!("data race on {message}")),
        Ending::StepLimit(n) => EndState::Label(format!("did not finish within {n} steps")),
        cut @ Ending::WakeupLimit(_) => EndState::Label(cut.to_string()),
    }
}

/// A check trace's marked steps, as scenario events.
pub(crate) fn steps_of(trace: &[crate::check::Event]) -> Vec<Event> {
    trace
        .iter()
        .filter_map(|e| {
            e.mark()
                .and_then(|m| crate::checked::trace::step_of(&m))
                .map(|step| Event {
                    thread: e.thread,
                    step,
                })
        })
        .collect()
}

/// Explores every interleaving of `scenario`'s steps.
pub fn explore(scenario: Scenario) -> Result<Exploration, Unfinished> {
    explore_bounded(scenario, EXPLORE_BUDGET)
}

/// [`explore`] with an explicit execution budget.
pub fn explore_bounded(
    scenario: Scenario,
    max_executions: usize,
) -> Result<Exploration, Unfinished> {
    explore_with(scenario, max_executions, scenario.pruning())
}

/// [`explore`] with an explicit budget and pruning policy (to check the pruning).
pub fn explore_with(
    scenario: Scenario,
    max_executions: usize,
    pruning: Pruning,
) -> Result<Exploration, Unfinished> {
    let report = check(move || scenario.run(&Recorder::new()))
        .name(scenario.kind().name())
        .expect(move |outcome| scenario.verdict(outcome) == Verdict::Acceptable)
        .search(Search::MarkedSteps {
            main_has_steps: scenario.main_has_steps(),
            pruning,
        })
        .max_executions(max_executions)
        .run();
    let executions = report.coverage.executions();
    if !report.coverage.is_exhaustive() {
        return Err(Unfinished {
            scenario: scenario.kind().name(),
            executions,
        });
    }
    let mut rows: Vec<ExplorationRow> = report
        .rows
        .iter()
        .map(|row| {
            let outcome = outcome_of(&row.ending);
            ExplorationRow {
                verdict: scenario.verdict(&outcome),
                outcome,
                interleavings: row.executions,
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.verdict, &a.outcome).cmp(&(b.verdict, &b.outcome)));
    let witnesses = rows
        .iter()
        .filter(|r| r.verdict == Verdict::Forbidden)
        .filter_map(|r| {
            let witness = report
                .witnesses
                .iter()
                .find(|w| outcome_of(&w.ending) == r.outcome)?;
            Some(Witness {
                outcome: r.outcome.clone(),
                trace: steps_of(&witness.trace),
                explanation: scenario.explain(&r.outcome),
            })
        })
        .collect();
    Ok(Exploration {
        scenario,
        executions,
        interleavings: report.distinct(),
        rows,
        witnesses,
    })
}

/// How many times the running thread changes along `trace`.
pub fn switches(trace: &[Event]) -> usize {
    trace
        .windows(2)
        .filter(|w| w[0].thread != w[1].thread)
        .count()
}
