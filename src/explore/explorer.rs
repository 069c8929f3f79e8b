//! Exhaustive exploration of a scenario at step granularity: the outcome table and the
//! minimal witness of each forbidden outcome.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::dfs::{Dfs, Pruning};
use super::engine::{Chooser, NullChoice, StepScheduler, WATCHDOG};
use super::scenarios::{Outcome, Scenario, Verdict};
use super::trace::{Event, Recorder};

/// Most executions an exploration may take before it gives up (far above what the
/// accepted sizes need: `counter-unlocked` 3 × 2 takes about 100,000).
pub const MAX_EXECUTIONS: usize = 5_000_000;

/// One row of the outcome table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The outcome.
    pub outcome: Outcome,
    /// Distinct interleavings (recorded step sequences) that end with it.
    pub interleavings: usize,
    /// Acceptable or forbidden.
    pub verdict: Verdict,
}

/// The interleaving that shows a forbidden outcome with the fewest thread switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    /// The forbidden outcome it reaches.
    pub outcome: Outcome,
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
    pub rows: Vec<Row>,
    /// One witness per forbidden outcome.
    pub witnesses: Vec<Witness>,
}

impl Exploration {
    /// Whether some interleaving reaches a forbidden outcome.
    pub fn has_bug(&self) -> bool {
        !self.witnesses.is_empty()
    }

    /// The outcomes reached.
    pub fn outcomes(&self) -> Vec<Outcome> {
        self.rows.iter().map(|r| r.outcome.clone()).collect()
    }
}

/// The exploration did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("exploring {scenario} stopped after {executions} executions without finishing; try a smaller size")]
pub struct Unfinished {
    /// The scenario's name.
    pub scenario: &'static str,
    /// Executions run.
    pub executions: usize,
}

/// A [`Chooser`] shared with the code that reads it after the run.
#[derive(Debug)]
pub struct Shared<C>(pub Arc<Mutex<C>>);

impl<C> Shared<C> {
    fn get(&self) -> std::sync::MutexGuard<'_, C> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<C: Chooser> Chooser for Shared<C> {
    fn choose(&mut self, k: usize, options: &[usize], recorder: &Recorder) -> Option<usize> {
        self.get().choose(k, options, recorder)
    }
    fn null_choice(
        &mut self,
        k: usize,
        thread: usize,
        finished: bool,
        recorder: &Recorder,
    ) -> NullChoice {
        self.get().null_choice(k, thread, finished, recorder)
    }
    fn productive_choice(&mut self, k: usize) {
        self.get().productive_choice(k)
    }
    fn deadlock(&mut self, recorder: &Recorder) {
        self.get().deadlock(recorder)
    }
    fn new_execution(&mut self) -> bool {
        self.get().new_execution()
    }
    fn wants_every_choice(&self) -> bool {
        self.get().wants_every_choice()
    }
}

/// Runs `scenario` under `chooser` (every execution) and returns what each finished
/// execution ended with, with its trace. Deadlocked executions are reported to the chooser.
pub fn run_with<C: Chooser + 'static>(
    scenario: Scenario,
    chooser: C,
) -> Vec<(Outcome, Vec<Event>)> {
    run_steps(chooser, scenario.main_has_steps(), move |recorder| {
        scenario.run(recorder)
    })
}

/// Runs `body` under `chooser` with a switching recorder and the deadlock watchdog (see
/// [`super::engine`]); `body` spawns the threads that take steps and returns the outcome.
pub fn run_steps<C, B>(chooser: C, main_has_steps: bool, body: B) -> Vec<(Outcome, Vec<Event>)>
where
    C: Chooser + 'static,
    B: Fn(&Recorder) -> Outcome + Send + Sync + 'static,
{
    let recorder = Recorder::switching_around(WATCHDOG);
    let done = Arc::new(AtomicBool::new(false));
    let scheduler =
        StepScheduler::new(chooser, recorder.clone(), Arc::clone(&done), main_has_steps);
    let results = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&results);
    let mut config = shuttle::Config::new();
    config.silence_warnings = true;
    config.failure_persistence = shuttle::FailurePersistence::None;
    shuttle::Runner::new(scheduler, config).run(move || {
        let watchdog = {
            let done = Arc::clone(&done);
            shuttle::thread::spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    shuttle::thread::yield_now();
                }
            })
        };
        let outcome = body(&recorder);
        let trace = recorder.snapshot();
        done.store(true, Ordering::SeqCst);
        watchdog.join().expect("the watchdog does not panic");
        sink.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((outcome, trace));
    });
    let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
    std::mem::take(&mut *results)
}

/// Explores every interleaving of `scenario`'s steps (see [`super::engine`]).
pub fn explore(scenario: Scenario) -> Result<Exploration, Unfinished> {
    explore_bounded(scenario, MAX_EXECUTIONS)
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
    explore_body(
        scenario,
        scenario.kind().name(),
        max_executions,
        pruning,
        move |rec| scenario.run(rec),
    )
}

/// Explores `body` (see [`run_steps`]), judging outcomes as `scenario` does; `name` is
/// what an error calls it.
pub fn explore_body<B>(
    scenario: Scenario,
    name: &'static str,
    max_executions: usize,
    pruning: Pruning,
    body: B,
) -> Result<Exploration, Unfinished>
where
    B: Fn(&Recorder) -> Outcome + Send + Sync + 'static,
{
    let dfs = Arc::new(Mutex::new(Dfs::new(max_executions, pruning)));
    let finished = run_steps(Shared(Arc::clone(&dfs)), scenario.main_has_steps(), body);
    let dfs = dfs.lock().unwrap_or_else(PoisonError::into_inner);
    if dfs.exceeded {
        return Err(Unfinished {
            scenario: name,
            executions: dfs.executions,
        });
    }
    let all = finished.into_iter().chain(
        dfs.deadlocks
            .iter()
            .map(|trace| (Outcome::Deadlock, trace.clone())),
    );
    Ok(tabulate(scenario, dfs.executions, all))
}

/// Builds the outcome table from (outcome, trace) pairs, counting each trace once.
pub fn tabulate(
    scenario: Scenario,
    executions: usize,
    results: impl IntoIterator<Item = (Outcome, Vec<Event>)>,
) -> Exploration {
    let mut seen = HashSet::new();
    let mut counts: HashMap<Outcome, usize> = HashMap::new();
    let mut best: HashMap<Outcome, Vec<Event>> = HashMap::new();
    for (outcome, trace) in results {
        if !seen.insert(trace.clone()) {
            continue;
        }
        *counts.entry(outcome.clone()).or_default() += 1;
        let better = best
            .get(&outcome)
            .is_none_or(|b| switches(&trace) < switches(b));
        if better {
            best.insert(outcome, trace);
        }
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|(outcome, interleavings)| Row {
            verdict: scenario.verdict(&outcome),
            outcome,
            interleavings,
        })
        .collect();
    rows.sort_by(|a, b| (a.verdict, &a.outcome).cmp(&(b.verdict, &b.outcome)));
    let witnesses = rows
        .iter()
        .filter(|r| r.verdict == Verdict::Forbidden)
        .map(|r| Witness {
            outcome: r.outcome.clone(),
            trace: best[&r.outcome].clone(),
            explanation: scenario.explain(&r.outcome),
        })
        .collect();
    Exploration {
        scenario,
        executions,
        interleavings: seen.len(),
        rows,
        witnesses,
    }
}

/// How many times the running thread changes along `trace`.
pub fn switches(trace: &[Event]) -> usize {
    trace
        .windows(2)
        .filter(|w| w[0].thread != w[1].thread)
        .count()
}
