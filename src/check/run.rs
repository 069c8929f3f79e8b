//! The general check: [`check`] a body, declare what it may end with, [`Check::run`] it.

use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::coverage::{Coverage, MemoryModel, Method, Phase, StopReason};
use super::deadlock;
use super::report::{Blocked, Ending, Report, Requirement, Row, Schedule, Verdict, Witness};
use super::rt::engine::{Finished, RawEnding};
use super::rt::model::Model;
use super::rt::scheduler::{self, Body, Control, Stop};
use super::rt::trace::{switches, Event};
use super::search::GraphSearch;
use super::shrink;
use super::strategy::every_order::EveryOrder;
use super::strategy::pct::Pct;
use super::strategy::pos::Pos;
use super::strategy::probe::Probe;
use super::strategy::random::Random;
use super::strategy::steps::{Pruning, StepDfs, Steps};
use super::strategy::Strategy;

/// The outcome type of a check: what the body returns.
pub trait Outcome: Clone + Debug + Eq + Hash + Send + Sync + 'static {}
impl<T: Clone + Debug + Eq + Hash + Send + Sync + 'static> Outcome for T {}

type Predicate<O> = Arc<dyn Fn(&O) -> bool + Send + Sync>;
type Explainer<O> = Arc<dyn Fn(&O) -> String + Send + Sync>;
/// A required outcome: its description, and how to tell an ending that reaches it.
type Required<O> = (String, Arc<dyn Fn(&Ending<O>) -> bool + Send + Sync>);

/// How a check chooses schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Exhaustive at every operation: every execution graph (TruSt, see
    /// [`crate::check`]), each order of conflicting operations once. When stopping at the
    /// first bug, a short seeded
    /// probe of partial-order aware and random schedules runs first (most bugs show within a
    /// few of them); when the exhaustive search runs out of budget, random and PCT schedules
    /// with the seed sample what is left. The default.
    Auto,
    /// Exhaustive at every operation (TruSt), nothing else.
    Exhaustive,
    /// Every order of every operation, without reduction: the baseline the exhaustive search is checked
    /// and measured against (far slower; for small programs only).
    EveryOrder,
    /// Every interleaving of the *marked* steps only (see [`crate::check::mark`]): exact
    /// step-level counts, but sound only for code whose shared state is all marked.
    MarkedSteps {
        /// Whether `main` takes marked steps of its own after spawning.
        main_has_steps: bool,
        /// Whether a choice that blocks at once may be skipped.
        pruning: Pruning,
    },
    /// `n` random schedules from the seed.
    Random(usize),
    /// `n` partial-order aware random schedules (POS) from the seed.
    Pos(usize),
    /// `n` PCT schedules of this depth from the seed.
    Pct {
        /// Schedules.
        executions: usize,
        /// Priority change points plus one.
        depth: usize,
    },
}

/// Executions of the probe (partial-order aware and uniform random schedules in turn) that
/// runs first when stopping at the first forbidden outcome (see [`Search::Auto`]).
pub const PROBE: usize = 32;
/// The default execution budget of an exhaustive search.
pub const MAX_EXECUTIONS: usize = 200_000;
/// The default limit on one execution's steps.
pub const MAX_STEPS: usize = 10_000;
/// Random and PCT schedules sampled when an exhaustive search runs out of budget.
pub const SAMPLE: usize = 2_000;

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

/// A check being set up (see the [module docs](crate::check)).
pub struct Check<O: Outcome> {
    body: Arc<dyn Fn() -> O + Send + Sync>,
    name: String,
    acceptable: Option<Predicate<O>>,
    forbidden: Option<Predicate<O>>,
    explain: Option<Explainer<O>>,
    allow_deadlock: bool,
    required: Vec<Required<O>>,
    stop_at_first_bug: bool,
    search: Search,
    max_executions: usize,
    time_limit: Option<Duration>,
    max_steps: usize,
    seed: u64,
    sample: usize,
    count_traces: bool,
    list_schedules: usize,
    memory_model: Option<MemoryModel>,
}

/// Starts a check of `body`: it runs as the program's `main`, builds its shared state with
/// [`crate::check::sync`], spawns threads with [`crate::check::thread`], and returns an
/// outcome. By default every outcome it returns is acceptable, and a deadlock, a panic or an
/// endless execution is forbidden; say what else is forbidden with [`Check::expect`] or
/// [`Check::forbid`].
pub fn check<O: Outcome>(body: impl Fn() -> O + Send + Sync + 'static) -> Check<O> {
    Check {
        body: Arc::new(body),
        name: "your code".to_string(),
        acceptable: None,
        forbidden: None,
        explain: None,
        allow_deadlock: false,
        required: Vec::new(),
        stop_at_first_bug: false,
        search: Search::Auto,
        max_executions: MAX_EXECUTIONS,
        time_limit: None,
        max_steps: MAX_STEPS,
        seed: 0,
        sample: SAMPLE,
        count_traces: false,
        list_schedules: 0,
        memory_model: None,
    }
}

impl<O: Outcome> Check<O> {
    /// Names what is checked, in the report.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Only outcomes for which `acceptable` holds are acceptable; every other is forbidden.
    pub fn expect(mut self, acceptable: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        self.acceptable = Some(Arc::new(acceptable));
        self
    }

    /// Outcomes for which `forbidden` holds are forbidden.
    pub fn forbid(mut self, forbidden: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        self.forbidden = Some(Arc::new(forbidden));
        self
    }

    /// Says what a forbidden outcome means, under its witness (otherwise: "the body
    /// returned …, which is forbidden").
    pub fn explain(mut self, explain: impl Fn(&O) -> String + Send + Sync + 'static) -> Self {
        self.explain = Some(Arc::new(explain));
        self
    }

    /// A deadlock is an acceptable ending (it is forbidden by default).
    pub fn allow_deadlock(mut self) -> Self {
        self.allow_deadlock = true;
        self
    }

    /// Some execution must return `outcome` ("there exists an interleaving"): the report
    /// says so if none does.
    pub fn require(mut self, outcome: O) -> Self {
        let description = format!("{outcome:?}");
        let wanted = Ending::Returned(outcome);
        self.required
            .push((description, Arc::new(move |e: &Ending<O>| *e == wanted)));
        self
    }

    /// Some execution must end in a way `reached` accepts, described as `description`.
    pub fn require_where(
        mut self,
        description: impl Into<String>,
        reached: impl Fn(&Ending<O>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.required.push((description.into(), Arc::new(reached)));
        self
    }

    /// Stop at the first forbidden outcome (the default of [`Check::assert_passes`]).
    pub fn stop_at_first_bug(mut self, stop: bool) -> Self {
        self.stop_at_first_bug = stop;
        self
    }

    /// How to choose schedules (default [`Search::Auto`]).
    pub fn search(mut self, search: Search) -> Self {
        self.search = search;
        self
    }

    /// The budget of the exhaustive search (default [`MAX_EXECUTIONS`]).
    pub fn max_executions(mut self, executions: usize) -> Self {
        self.max_executions = executions.max(1);
        self
    }

    /// A time limit for the whole check (none by default).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// The most steps one execution may take before it counts as endless (default
    /// [`MAX_STEPS`]).
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = steps.max(1);
        self
    }

    /// The seed of the random and PCT schedules (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Random plus PCT schedules to sample when the exhaustive search runs out of budget
    /// (default [`SAMPLE`]; 0 for none).
    pub fn sample(mut self, executions: usize) -> Self {
        self.sample = executions;
        self
    }

    /// Counts how many distinct executions (Mazurkiewicz traces) the executions of each phase
    /// were, in the report's coverage ([`crate::check::coverage::Phase::distinct`]): for the
    /// exhaustive search, equal to its executions when it is optimal. Keeps a 16-byte digest
    /// per execution.
    pub fn count_traces(mut self, count: bool) -> Self {
        self.count_traces = count;
        self
    }

    /// Forces the memory model of the exhaustive search. By default it is sequential
    /// consistency while every atomic operation the program runs is `SeqCst` (exact then,
    /// and cheapest), and RC11 as soon as one is weaker. Forcing sequential consistency on a
    /// program with weaker orderings is faster but misses what they allow (the report says
    /// so); forcing RC11 on a `SeqCst` program finds the same outcomes, slower.
    pub fn memory_model(mut self, model: MemoryModel) -> Self {
        self.memory_model = Some(model);
        self
    }

    /// Keeps the schedule of each of the first `max` executions in the report
    /// ([`Report::schedules`]): which thread took each operation, and how it ended — one line
    /// each, to see what a passing check explored.
    pub fn list_schedules(mut self, max: usize) -> Self {
        self.list_schedules = max;
        self
    }

    /// Runs the check and panics with the rendered report (table, witness, coverage) unless
    /// it passes; stops at the first forbidden outcome. For `cargo test`.
    #[track_caller]
    pub fn assert_passes(self) -> Report<O> {
        let report = self.stop_at_first_bug(true).run();
        report.assert_passed();
        report
    }

    /// Runs the check and panics with the rendered report unless some execution reaches a
    /// forbidden outcome; stops at the first. For tests that show a bug is found.
    #[track_caller]
    pub fn assert_finds_bug(self) -> Report<O> {
        let report = self.stop_at_first_bug(true).run();
        report.assert_has_bug();
        report
    }

    /// Runs the body under a plain shuttle scheduler (racelab's engine not involved, as
    /// with `shuttle::check_random`) for at most `max_executions` executions, and returns
    /// the number of the first execution that reached a forbidden outcome (a deadlock or a
    /// panic included: shuttle reports those itself), or `None`. For comparing schedulers
    /// side by side on the same program.
    pub fn first_bug_under<S>(&self, scheduler: S, max_executions: usize) -> Option<FirstBug>
    where
        S: shuttle::scheduler::Scheduler + 'static,
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
        S: shuttle::scheduler::Scheduler + 'static,
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

    /// Runs the check.
    pub fn run(self) -> Report<O> {
        let started = Instant::now();
        let deadline = self.time_limit.map(|limit| started + limit);
        let user_body = Arc::clone(&self.body);
        let body: Body = Arc::new(move || Box::new(user_body()) as Box<dyn Any + Send>);
        let steps_only = matches!(self.search, Search::MarkedSteps { .. });
        let collector = Rc::new(RefCell::new(Collector::new(&self, steps_only)));
        let mut run = Phases {
            body,
            collector: Rc::clone(&collector),
            coverage: Coverage::default(),
            deadline,
            time_limit: self.time_limit,
            max_steps: self.max_steps,
            notes: Vec::new(),
            count_traces: self.count_traces,
        };
        let seed = self.seed;
        match self.search {
            Search::Auto => {
                if self.stop_at_first_bug {
                    run.phase(Probe::new(seed, PROBE), Method::Probe { seed }, usize::MAX);
                }
                if !run.found() {
                    run.exhaustive(self.memory_model, self.max_executions);
                    let ran_out = run.coverage.phases.last().is_some_and(|p| {
                        matches!(
                            p.stopped,
                            Some(StopReason::Executions(_) | StopReason::Time(_))
                        )
                    });
                    if ran_out && self.sample > 0 && !run.out_of_time() {
                        let half = self.sample.div_ceil(2);
                        run.phase(Random::new(seed, half), Method::Random { seed }, usize::MAX);
                        if !run.found() && !run.out_of_time() {
                            run.phase(
                                Pct::new(seed, 3, half),
                                Method::Pct { seed, depth: 3 },
                                usize::MAX,
                            );
                        }
                    }
                }
            }
            Search::Exhaustive => {
                run.exhaustive(self.memory_model, self.max_executions);
            }
            Search::EveryOrder => {
                let every = run.phase(EveryOrder::new(), Method::EveryOrder, self.max_executions);
                if let Some(problem) = every.nondeterminism {
                    run.notes.push(format!(
                        "warning: {problem}; the exploration may have missed orders"
                    ));
                }
            }
            Search::MarkedSteps {
                main_has_steps,
                pruning,
            } => {
                let dfs = if self.stop_at_first_bug {
                    StepDfs::switching_first(pruning)
                } else {
                    StepDfs::new(pruning)
                };
                run.phase(
                    Steps::new(dfs, main_has_steps),
                    Method::Steps,
                    self.max_executions,
                );
            }
            Search::Random(n) => {
                run.phase(Random::new(seed, n), Method::Random { seed }, usize::MAX);
            }
            Search::Pos(n) => {
                run.phase(Pos::new(seed, n), Method::Pos { seed }, usize::MAX);
            }
            Search::Pct { executions, depth } => {
                run.phase(
                    Pct::new(seed, depth, executions),
                    Method::Pct { seed, depth },
                    usize::MAX,
                );
            }
        }
        let Phases {
            coverage,
            notes,
            collector: phases_collector,
            ..
        } = run;
        drop(phases_collector);
        let mut collector = Rc::try_unwrap(collector)
            .ok()
            .expect("the phases are over")
            .into_inner();
        let mut notes = notes;
        if self.stop_at_first_bug {
            // The witness of a check that stopped at it came from wherever the search was:
            // shrink it to fewer switches.
            for (ending, candidate) in collector.best.iter_mut() {
                let shrunk =
                    shrink::shrink(&self.body, ending, std::mem::take(&mut candidate.trace));
                candidate.switches = switches(&shrunk.trace);
                candidate.trace = shrunk.trace;
                if let Some(blocked) = shrunk.blocked {
                    candidate.blocked = blocked;
                }
                notes.push(format!(
                    "the witness was shrunk to {} thread switches in {} replays",
                    candidate.switches, shrunk.replays
                ));
            }
        }
        collector.report(self.name, coverage, notes, started.elapsed())
    }
}

/// The phases of one check, run one after the other into one collector.
struct Phases<O: Outcome> {
    body: Body,
    collector: Rc<RefCell<Collector<O>>>,
    coverage: Coverage,
    deadline: Option<Instant>,
    time_limit: Option<Duration>,
    max_steps: usize,
    notes: Vec<String>,
    count_traces: bool,
}

impl<O: Outcome> Phases<O> {
    fn found(&self) -> bool {
        let c = self.collector.borrow();
        c.stop_at_first_bug && c.found_bug
    }

    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Runs the exhaustive search: under sequential consistency while every atomic is
    /// `SeqCst`, and again from scratch under RC11 if one is not (unless `forced`).
    fn exhaustive(&mut self, forced: Option<MemoryModel>, budget: usize) {
        let saved = self.collector.borrow().clone();
        let search = match forced {
            Some(MemoryModel::Rc11) => GraphSearch::new(Model::Rc11),
            Some(_) => GraphSearch::new(Model::Sc),
            None => GraphSearch::sc_until_weak(),
        };
        let model = match search.trust.model() {
            Model::Sc => MemoryModel::SequentiallyConsistent,
            Model::Rc11 => MemoryModel::Rc11,
        };
        self.coverage.model = Some((model, forced.is_some()));
        let done = self.phase(search, Method::Exhaustive, budget);
        if done.trust.weak_seen {
            // The SC search is void: forget what it found, and search under RC11.
            *self.collector.borrow_mut() = saved;
            self.coverage.phases.pop();
            self.coverage.model = Some((MemoryModel::Rc11, false));
            self.phase(GraphSearch::new(Model::Rc11), Method::Exhaustive, budget);
        }
    }

    /// Runs one phase; returns its strategy to read what it learned.
    fn phase<S: Strategy + 'static>(&mut self, strategy: S, method: Method, budget: usize) -> S {
        let strategy = Rc::new(RefCell::new(strategy));
        let sink = Rc::clone(&self.collector);
        let control = Rc::new(RefCell::new(Control::new(
            budget,
            self.deadline,
            move |finished| sink.borrow_mut().accept(finished),
        )));
        if self.count_traces {
            control.borrow_mut().signatures = Some(Default::default());
        }
        scheduler::run(
            Rc::clone(&strategy),
            self.max_steps,
            Rc::clone(&control),
            Arc::clone(&self.body),
        );
        let control = control.borrow();
        let stopped = match control.stopped {
            None => None,
            Some(Stop::Collector) => Some(StopReason::FirstBug),
            Some(Stop::Executions) => Some(StopReason::Executions(budget)),
            Some(Stop::Time) => Some(StopReason::Time(self.time_limit.unwrap_or_default())),
        };
        self.coverage.push(Phase {
            method,
            executions: control.ended,
            abandoned: control.abandoned,
            distinct: control.signatures.as_ref().map(|s| s.len()),
            stopped,
        });
        if let Some(problem) = &control.nondeterminism {
            let note = format!("warning: {problem}; the exploration may have missed orders");
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        drop(control);
        Rc::try_unwrap(strategy)
            .ok()
            .expect("the run is over")
            .into_inner()
    }
}

/// Collects the executions of every phase into the table.
#[derive(Clone)]
struct Collector<O: Outcome> {
    acceptable: Option<Predicate<O>>,
    forbidden: Option<Predicate<O>>,
    explain: Option<Explainer<O>>,
    allow_deadlock: bool,
    required: Vec<Required<O>>,
    reached: Vec<bool>,
    stop_at_first_bug: bool,
    steps_only: bool,
    seen: HashSet<u128>,
    counts: HashMap<Ending<O>, usize>,
    order: Vec<Ending<O>>,
    best: HashMap<Ending<O>, Candidate>,
    found_bug: bool,
    executions: usize,
    schedules: Vec<Schedule<O>>,
    list_schedules: usize,
}

/// The best witness of an ending so far.
#[derive(Clone)]
struct Candidate {
    trace: Vec<Event>,
    threads: Vec<String>,
    blocked: Vec<Blocked>,
    panicked: Option<usize>,
    switches: usize,
}

impl<O: Outcome> Collector<O> {
    fn new(check: &Check<O>, steps_only: bool) -> Self {
        Collector {
            acceptable: check.acceptable.clone(),
            forbidden: check.forbidden.clone(),
            explain: check.explain.clone(),
            allow_deadlock: check.allow_deadlock,
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

    fn verdict(&self, ending: &Ending<O>) -> Verdict {
        let ok = match ending {
            Ending::Returned(o) => {
                self.acceptable.as_ref().is_none_or(|accept| accept(o))
                    && !self.forbidden.as_ref().is_some_and(|forbid| forbid(o))
            }
            Ending::Deadlock => self.allow_deadlock,
            Ending::Panicked(_) | Ending::StepLimit(_) => false,
        };
        if ok {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// Takes one finished execution; `false` asks to stop.
    fn accept(&mut self, finished: Finished) -> bool {
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
            RawEnding::Panicked { thread, message } => {
                (Ending::Panicked(message), Vec::new(), Some(thread))
            }
            RawEnding::StepLimit(n) => (Ending::StepLimit(n), Vec::new(), None),
        };
        let trace: Vec<Event> = if self.steps_only {
            trace.into_iter().filter(Event::is_step).collect()
        } else {
            trace
        };
        if self.schedules.len() < self.list_schedules {
            self.schedules.push(Schedule {
                threads: trace
                    .iter()
                    .filter(|e| !e.is_step())
                    .map(|e| e.thread)
                    .collect(),
                names: threads.iter().map(|t| t.to_string()).collect(),
                ending: ending.clone(),
            });
        }
        if !self.seen.insert(key(&ending, &trace)) {
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
            if self.best.get(&ending).is_none_or(|b| n < b.switches) {
                self.best.insert(
                    ending,
                    Candidate {
                        trace,
                        threads: threads.iter().map(|t| t.to_string()).collect(),
                        blocked,
                        panicked,
                        switches: n,
                    },
                );
            }
            self.found_bug = true;
            return !self.stop_at_first_bug;
        }
        true
    }

    fn report(
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
        rows.sort_by_key(|r| std::cmp::Reverse((r.verdict, r.executions)));
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
                    Ending::Deadlock => deadlock::explain(&c.blocked, &name),
                    Ending::Panicked(message) => {
                        format!("{} panicked: {message}", name(c.panicked.unwrap_or(0)))
                    }
                    Ending::StepLimit(n) => format!(
                        "the execution did not finish within {n} steps: a livelock, or a loop \
                         that waits for something that never happens (a spin loop should call \
                         thread::yield_now)"
                    ),
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

/// A 128-bit digest of (ending, trace): executions are told apart by both, so two endings
/// with the same steps (a deadlock and a finished run, two values) stay apart.
fn key<O: Hash>(ending: &Ending<O>, trace: &[Event]) -> u128 {
    let digest = |seed: u64| {
        let mut h = Fx(seed);
        ending.hash(&mut h);
        trace.hash(&mut h);
        h.finish()
    };
    u128::from(digest(0x243f_6a88_85a3_08d3)) << 64 | u128::from(digest(0x1319_8a2e_0370_7344))
}

/// A fast multiply-rotate hasher (the one rustc uses for its own tables): the digest of
/// every execution's trace is on the hot path, and two seeds make 128 bits.
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 56);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One execution, as a caller that drives its own strategy sees it (a replay).
pub(crate) struct RawExecution<O> {
    /// How it ended; `None` when the strategy stopped it.
    pub(crate) ending: Option<Ending<O>>,
    pub(crate) trace: Vec<Event>,
    pub(crate) blocked: Vec<Blocked>,
}

/// Runs `body` under `strategy` (at most `max_executions` executions) and returns every
/// execution as it ended, with the strategy.
pub(crate) fn executions<O: Outcome, S: Strategy + 'static>(
    body: impl Fn() -> O + Send + Sync + 'static,
    strategy: S,
    max_executions: usize,
) -> (Vec<RawExecution<O>>, S) {
    let runs = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&runs);
    let control = Rc::new(RefCell::new(Control::new(
        max_executions,
        None,
        move |finished: Finished| {
            let (ending, blocked) = match finished.ending {
                RawEnding::Abandoned => (None, Vec::new()),
                RawEnding::Returned(value) => match value.downcast::<O>() {
                    Ok(o) => (Some(Ending::Returned(*o)), Vec::new()),
                    Err(_) => unreachable!("the body returns O"),
                },
                RawEnding::Deadlock(blocked) => (Some(Ending::Deadlock), blocked),
                RawEnding::Panicked { message, .. } => {
                    (Some(Ending::Panicked(message)), Vec::new())
                }
                RawEnding::StepLimit(n) => (Some(Ending::StepLimit(n)), Vec::new()),
            };
            sink.borrow_mut().push(RawExecution {
                ending,
                trace: finished.trace,
                blocked,
            });
            true
        },
    )));
    let strategy = Rc::new(RefCell::new(strategy));
    scheduler::run(
        Rc::clone(&strategy),
        MAX_STEPS,
        control,
        Arc::new(move || Box::new(body()) as Box<dyn Any + Send>),
    );
    let strategy = Rc::try_unwrap(strategy)
        .ok()
        .expect("the run is over")
        .into_inner();
    let runs = std::mem::take(&mut *runs.borrow_mut());
    (runs, strategy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rt::trace::What;
    use crate::step::Step;

    fn finished(ending: RawEnding) -> Finished {
        Finished {
            ending,
            trace: vec![Event {
                thread: 1,
                what: What::Step(Step::Read(0)),
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
