//! How a check runs: its phases (a probe, the exhaustive search, sampling past its budget),
//! one after the other into one collector, then the report.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::collector::Collector;
use super::{Check, Outcome, PROBE, Search};
use crate::check::coverage::{Coverage, MemoryModel, Method, Phase, StopReason};
use crate::check::report::Report;
use crate::check::rt::model::Model;
use crate::check::rt::scheduler::{self, Body, Control, Stop};
use crate::check::rt::trace::switches;
use crate::check::search::GraphSearch;
use crate::check::shrink;
use crate::check::strategy::Strategy;
use crate::check::strategy::every_order::EveryOrder;
use crate::check::strategy::pct::Pct;
use crate::check::strategy::pos::Pos;
use crate::check::strategy::probe::Probe;
use crate::check::strategy::random::Random;
use crate::check::strategy::steps::{StepDfs, Steps};

impl<O: Outcome> Check<O> {
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
            stall_limit: self.stall_limit,
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
    stall_limit: Duration,
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
        control.borrow_mut().stall_limit = self.stall_limit;
        if self.count_traces {
            control.borrow_mut().signatures = Some(Default::default());
        }
        scheduler::run(
            Rc::<RefCell<S>>::clone(&strategy),
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
        if method != Method::Exhaustive {
            // Every strategy but the graph search picks interleavings: atomics act as SeqCst.
            self.coverage
                .model
                .get_or_insert((MemoryModel::SequentiallyConsistent, false));
            if control.weak_seen {
                let note = format!(
                    "warning: the {} schedules ran atomics weaker than SeqCst as if they                      were SeqCst (they choose interleavings only): outcomes that only weak                      memory (RC11) allows were not looked for there; Search::Exhaustive                      explores them",
                    method.name()
                );
                if !self.notes.contains(&note) {
                    self.notes.push(note);
                }
            }
        }
        drop(control);
        Rc::try_unwrap(strategy)
            .ok()
            .expect("the run is over")
            .into_inner()
    }
}
