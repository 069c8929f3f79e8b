//! How a check runs: its phases (a probe, the exhaustive search, sampling past its budget),
//! one after the other into one collector, then the report.

use std::any::Any;
use std::cell::RefCell;
use std::panic;
use std::rc::Rc;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use super::checkpoint::Saved;
use super::collector::{Collector, Sink};
use super::progress::{self, Live};
use super::{Check, Outcome, PROBE, Search};
use crate::check::coverage::{Coverage, MemoryModel, Method, Phase, Segment, Shards, StopReason};
use crate::check::report::Report;
use crate::check::rt::model::Model;
use crate::check::rt::scheduler::{self, Body, Control, Stop};
use crate::check::rt::spurious::Spurious;
use crate::check::rt::trace::switches;
use crate::check::search::GraphSearch;
use crate::check::search::share::Share;
use crate::check::search::trust::{DEAL, Frame, ShardOf, Trust};
use crate::check::shrink;
use crate::check::strategy::Strategy;
use crate::check::strategy::every_order::EveryOrder;
use crate::check::strategy::pct::Pct;
use crate::check::strategy::pos::Pos;
use crate::check::strategy::probe::Probe;
use crate::check::strategy::random::Random;
use crate::check::strategy::steps::{StepDfs, Steps};

/// Random walks that estimate the size of a watched search (see [`Phases::walk`]).
const WALKS: usize = 1_000;

impl<O: Outcome> Check<O> {
    /// Runs the check (reporting its progress if asked: [`Check::progress`], or
    /// `RACELAB_PROGRESS=1`).
    pub fn run(self) -> Report<O> {
        super::erased::run(self)
    }

    /// [`Check::run`] with the outcome type as it is: only ever called with outcomes erased
    /// (see `super::erased`), so that it is compiled once.
    pub(crate) fn run_typed(self) -> Report<O> {
        match self.progress.clone().or_else(progress::from_env) {
            None => self.run_phases(None),
            Some(watcher) => {
                let live = Arc::new(Live::new());
                progress::watched(&live, &watcher, || self.run_phases(Some(Arc::clone(&live))))
            }
        }
    }

    fn run_phases(self, live: Option<Arc<Live>>) -> Report<O> {
        let started = Instant::now();
        let deadline = self.time_limit.map(|limit| started + limit);
        let user_body = Arc::clone(&self.body);
        let body: Body = Arc::new(move || Box::new(user_body()) as Box<dyn Any + Send>);
        let steps_only = matches!(self.search, Search::MarkedSteps { .. });
        let shard = shard(self.shard).map(|(index, count)| ShardOf {
            index,
            count,
            depth: 0,
        });
        if shard.is_some() && !matches!(self.search, Search::Auto | Search::Exhaustive) {
            panic!(
                "racelab: shards split the exhaustive search (Search::Auto or \
                 Search::Exhaustive); {:?} cannot be split: drop the shard (or \
                 RACELAB_SHARD)",
                self.search
            );
        }
        let checkpoint = self.checkpoint.clone().map(|path| {
            if shard.is_some() {
                panic!(
                    "racelab: a check split into shards cannot be checkpointed yet: drop \
                     the shard (or RACELAB_SHARD) or the checkpoint"
                );
            }
            if !matches!(self.search, Search::Auto | Search::Exhaustive) {
                panic!(
                    "racelab: checkpoints save the place of the exhaustive search \
                     (Search::Auto or Search::Exhaustive); {:?} has none: drop the \
                     checkpoint",
                    self.search
                );
            }
            let saved = Saved::read(&path, &self.name).unwrap_or_else(|e| panic!("{e}"));
            if let Some(saved) = &saved {
                if saved.spurious != self.spurious {
                    panic!(
                        "racelab: the checkpoint {} was saved by a search with {}, and this \
                         check has {}: set Check::spurious_wakeups, \
                         Check::spurious_failures and Check::wakeups_without_notify as they \
                         were, or delete the file to start over",
                        path.display(),
                        saved.spurious,
                        self.spurious,
                    );
                }
            }
            Checkpointing {
                path,
                name: self.name.clone(),
                resumed: saved,
                segment: None,
            }
        });
        let resuming = checkpoint.as_ref().is_some_and(|c| c.resumed.is_some());
        // With shards, or resuming, what is not the exhaustive search runs in the first
        // part only.
        let first = shard.is_none_or(|s| s.index == 1) && !resuming;
        let collector: Box<dyn Sink> = Box::new(Collector::new(&self, steps_only));
        let mut run = Phases {
            body,
            collector: Arc::new(Mutex::new(collector)),
            coverage: Coverage::default(),
            deadline,
            time_limit: self.time_limit,
            max_steps: self.max_steps,
            stall_limit: self.stall_limit,
            spurious: self.spurious,
            notes: Vec::new(),
            count_traces: self.count_traces,
            shard,
            checkpoint,
            live,
            // Listing the first schedules depends on which ran first: one job then.
            jobs: if self.list_schedules > 0 || self.checkpoint.is_some() {
                1
            } else {
                jobs(self.jobs)
            },
        };
        let seed = self.seed;
        match self.search {
            Search::Auto => {
                if self.stop_at_first_bug && first {
                    run.phase(
                        Rc::new(RefCell::new(Probe::new(seed, PROBE))),
                        Method::Probe { seed },
                        usize::MAX,
                    );
                }
                if !run.found() {
                    run.exhaustive(self.memory_model, self.max_executions);
                    let ran_out = run.coverage.phases.last().is_some_and(|p| {
                        matches!(
                            p.stopped,
                            Some(StopReason::Executions(_) | StopReason::Time(_))
                        )
                    });
                    let saved = run
                        .checkpoint
                        .as_ref()
                        .is_some_and(|c| c.segment.as_ref().is_some_and(|s| s.to.is_some()));
                    if ran_out && self.sample > 0 && first && !saved && !run.out_of_time() {
                        let half = self.sample.div_ceil(2);
                        run.phase(
                            Rc::new(RefCell::new(Random::new(seed, half))),
                            Method::Random { seed },
                            usize::MAX,
                        );
                        if !run.found() && !run.out_of_time() {
                            run.phase(
                                Rc::new(RefCell::new(Pct::new(seed, 3, half))),
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
                let every = Rc::new(RefCell::new(EveryOrder::new()));
                run.phase(every.clone(), Method::EveryOrder, self.max_executions);
                if let Some(problem) = every.borrow_mut().nondeterminism.take() {
                    run.missed_orders(&problem);
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
                    Rc::new(RefCell::new(Steps::new(dfs, main_has_steps))),
                    Method::Steps,
                    self.max_executions,
                );
            }
            Search::Random(n) => {
                run.phase(
                    Rc::new(RefCell::new(Random::new(seed, n))),
                    Method::Random { seed },
                    usize::MAX,
                );
            }
            Search::Pos(n) => {
                run.phase(
                    Rc::new(RefCell::new(Pos::new(seed, n))),
                    Method::Pos { seed },
                    usize::MAX,
                );
            }
            Search::Pct { executions, depth } => {
                run.phase(
                    Rc::new(RefCell::new(Pct::new(seed, depth, executions))),
                    Method::Pct { seed, depth },
                    usize::MAX,
                );
            }
        }
        let Phases {
            mut coverage,
            notes,
            checkpoint,
            collector: phases_collector,
            ..
        } = run;
        let mut collector = *Arc::try_unwrap(phases_collector)
            .unwrap_or_else(|_| unreachable!("the phases are over"))
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_any()
            .downcast::<Collector<O>>()
            .unwrap_or_else(|_| unreachable!("the collector of this check"));
        coverage.segments = checkpoint.and_then(|c| c.segment).into_iter().collect();
        coverage.spurious_wakeups = self.spurious.wakeups;
        coverage.spurious_failures = self.spurious.failures;
        coverage.wakeup_limit = self.spurious.wakeup_limit;
        coverage.shards = shard.map(|s| Shards {
            count: s.count,
            covered: vec![s.index],
        });
        let mut notes = notes;
        if self.stop_at_first_bug {
            // The witness of a check that stopped at it came from wherever the search was:
            // shrink it to fewer switches.
            for (ending, candidate) in collector.best.iter_mut() {
                let shrunk = shrink::shrink(
                    &self.body,
                    ending,
                    std::mem::take(&mut candidate.trace),
                    self.spurious,
                );
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

/// The phases of one check, run one after the other into one collector (its outcome type
/// erased: see [`Sink`]).
struct Phases {
    body: Body,
    collector: Arc<Mutex<Box<dyn Sink>>>,
    coverage: Coverage,
    deadline: Option<Instant>,
    time_limit: Option<Duration>,
    max_steps: usize,
    stall_limit: Duration,
    spurious: Spurious,
    notes: Vec<String>,
    count_traces: bool,
    jobs: usize,
    shard: Option<ShardOf>,
    checkpoint: Option<Checkpointing>,
    /// What a progress watcher sees, if there is one.
    live: Option<Arc<Live>>,
}

/// A check's checkpoint file, what it held when the check started, and the stretch of the
/// search this run covered.
struct Checkpointing {
    path: std::path::PathBuf,
    name: String,
    resumed: Option<Saved>,
    segment: Option<Segment>,
}

impl Phases {
    fn sink(&self) -> std::sync::MutexGuard<'_, Box<dyn Sink>> {
        self.collector
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn found(&self) -> bool {
        self.sink().found()
    }

    /// Notes (once) that a replay found the body doing something else: `problem`. The phase
    /// that just ran cannot claim to be exhaustive (its coverage says bounded, and why).
    fn missed_orders(&mut self, problem: &str) {
        if let Some(phase) = self.coverage.phases.last_mut() {
            phase.stopped.get_or_insert(StopReason::Nondeterminism);
        }
        let note = format!("warning: {problem}; the exploration may have missed orders");
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Gives a run's control this check's settings for its executions.
    fn configure(&self, control: &RefCell<Control>) {
        let mut c = control.borrow_mut();
        c.stall_limit = self.stall_limit;
        c.spurious = self.spurious;
    }

    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Runs the exhaustive search: under sequential consistency while every atomic is
    /// `SeqCst`, and again from scratch under RC11 if one is not (unless `forced`).
    fn exhaustive(&mut self, forced: Option<MemoryModel>, budget: usize) {
        let saved = self.sink().snapshot();
        let (model, memory) = match forced {
            Some(MemoryModel::Rc11) => (Model::Rc11, MemoryModel::Rc11),
            _ => (Model::Sc, MemoryModel::SequentiallyConsistent),
        };
        let mut sc_until_weak = forced.is_none();
        let (model, memory) = match self.checkpoint.as_ref().and_then(|c| c.resumed.as_ref()) {
            // The stopped search had met a weaker ordering: it goes on under RC11.
            Some(saved) if saved.model == Model::Rc11 && sc_until_weak => {
                sc_until_weak = false;
                (Model::Rc11, MemoryModel::Rc11)
            }
            _ => (model, memory),
        };
        self.coverage.model = Some((memory, forced.is_some()));
        if self.graph_search(model, sc_until_weak, budget, &*saved) {
            // The SC search is void: forget what it found, and search under RC11.
            *self.sink() = saved.snapshot();
            self.coverage.phases.pop();
            self.coverage.model = Some((MemoryModel::Rc11, false));
            self.graph_search(Model::Rc11, false, budget, &*saved);
        }
        // A watched search that ran to its end, all of it: how far off its estimate was.
        let whole =
            self.shard.is_none() && self.checkpoint.as_ref().is_none_or(|c| c.resumed.is_none());
        let ran = self
            .coverage
            .phases
            .last()
            .filter(|p| p.stopped.is_none() && whole)
            .map(|p| p.executions + p.abandoned);
        if let (Some(live), Some(total)) = (&self.live, ran) {
            if let Some(note) = live.accuracy_note(total) {
                self.notes.push(note);
            }
        }
    }

    /// Runs the graph search under `model`, in every job, from the collector `before`
    /// (what it holds now); returns whether it met an access weaker than `SeqCst` under
    /// `sc_until_weak` (the search is then void).
    fn graph_search(
        &mut self,
        model: Model,
        sc_until_weak: bool,
        budget: usize,
        before: &dyn Sink,
    ) -> bool {
        let shard = match self.shard {
            Some(shard) if shard.count > 1 => match self.split(model, sc_until_weak, budget) {
                Some(depth) => Some(ShardOf { depth, ..shard }),
                None => return true,
            },
            other => other,
        };
        if let Some(live) = self.live.clone() {
            live.search_starts();
            if !self.walk(model, sc_until_weak, budget, &live) {
                return true;
            }
        }
        if self.jobs > 1 {
            match self.shared(model, sc_until_weak, budget, shard) {
                Shared::Done { weak_seen } => return weak_seen,
                Shared::Outlived => {
                    // An object outlives an execution: its data would be shared by the
                    // jobs' OS threads. Forget this run; one job searches again.
                    *self.sink() = before.snapshot();
                }
            }
        }
        let mut search = GraphSearch::new(model);
        search.trust.sc_by_default = sc_until_weak;
        search.trust.shard = shard;
        let resumed = self.checkpoint.as_ref().and_then(|c| c.resumed.clone());
        // A resumed search voided under SC searches again from the start under RC11.
        let resumes = resumed.filter(|saved| saved.model == model);
        if let Some(saved) = &resumes {
            search.trust.resume_from(saved.place.clone());
        }
        let search = Rc::new(RefCell::new(search));
        let stopped = self.phase(search.clone(), Method::Exhaustive, budget);
        let weak_seen = search.borrow().trust.weak_seen;
        if !weak_seen {
            let place = search.borrow().trust.path.clone();
            self.save_checkpoint(model, place, resumes.is_some(), stopped);
        }
        weak_seen
    }

    /// Saves the place of a search that ran out of budget or time in the checkpoint file,
    /// or removes the file if the search ran to its end; notes the stretch this run covered.
    fn save_checkpoint(
        &mut self,
        model: Model,
        place: Vec<u32>,
        resumed: bool,
        stopped: Option<StopReason>,
    ) {
        let Some(c) = self.checkpoint.as_mut() else {
            return;
        };
        let from = c.resumed.as_ref().filter(|_| resumed).map(Saved::id);
        let to = match stopped {
            None => {
                if c.path.exists() {
                    std::fs::remove_file(&c.path).unwrap_or_else(|e| {
                        panic!(
                            "racelab: cannot remove the checkpoint {} of a finished \
                             search: {e}",
                            c.path.display()
                        )
                    });
                }
                None
            }
            Some(StopReason::Executions(_) | StopReason::Time(_)) => {
                let saved = Saved {
                    model,
                    spurious: self.spurious,
                    place,
                };
                saved
                    .write(&c.path, &c.name)
                    .unwrap_or_else(|e| panic!("{e}"));
                let id = saved.id();
                self.notes.push(format!(
                    "note: the search saved its place as checkpoint {id} in {}: run the \
                     check again to go on from there",
                    c.path.display()
                ));
                Some(id)
            }
            // Stopped at the first bug: nothing to resume, the file is left as it was.
            Some(_) => return,
        };
        c.segment = Some(Segment { from, to });
    }

    /// The depth at which this shard's search is split (see [`ShardOf`]): every shard
    /// explores the top of the tree alike, deeper each time, until a depth holds
    /// [`DEAL`] nodes per shard (or the tree ends or stops widening, probing has taken a
    /// quarter of the execution budget, or time ends: then the depth with the most nodes
    /// so far). `None` if an access weaker than `SeqCst` voids the
    /// search under `sc_until_weak`.
    fn split(&mut self, model: Model, sc_until_weak: bool, budget: usize) -> Option<u32> {
        let count = self.shard.map_or(1, |s| s.count);
        let mut limit = 2;
        let mut probed = 0;
        loop {
            let mut trust = Trust::probe(model, limit, DEAL * count);
            trust.sc_by_default = sc_until_weak;
            let search = Rc::new(RefCell::new(GraphSearch { trust }));
            let control = Rc::new(RefCell::new(Control::new(budget, self.deadline, |_| true)));
            self.configure(&control);
            scheduler::run(
                Rc::<RefCell<GraphSearch>>::clone(&search),
                self.max_steps,
                Rc::clone(&control),
                Arc::clone(&self.body),
            );
            probed += control.borrow().unreported;
            let search = search.borrow();
            if search.trust.weak_seen {
                return None;
            }
            let per_depth = &search.trust.per_depth;
            let enough = per_depth.iter().position(|&n| n >= DEAL * count);
            // The tree ends above the limit, or stops widening there (it will not reach
            // the target soon: deeper probes would cost much and deal little more), or
            // probing has cost a quarter of the budget (a deep tree that widens slowly).
            let l = limit as usize;
            let ended = per_depth.len() <= l
                || per_depth[l] <= per_depth[l - 2]
                || probed >= budget / 4
                || control.borrow().stopped.is_some();
            if enough.is_some() || ended {
                let depth = enough.unwrap_or_else(|| {
                    (1..per_depth.len())
                        .max_by_key(|&d| (per_depth[d], std::cmp::Reverse(d)))
                        .unwrap_or(1)
                });
                let dealt = per_depth.get(depth).copied().unwrap_or(0);
                let above: usize = per_depth[..depth].iter().sum();
                self.notes.push(format!(
                    "note: shards split the search at depth {depth} of its tree, {dealt} \
                     subtrees dealt out by a hash of their place; every shard runs the {above} \
                     nodes above them (shard 1 reports them), after {probed} runs to choose \
                     the depth"
                ));
                return Some(depth as u32);
            }
            limit += 2;
        }
    }

    /// Estimates the size of the search about to run, for its progress: Knuth's random
    /// walks down its tree ([`Trust::walk`]), [`WALKS`] of them, or fewer if they cost more
    /// than a hundredth of the budget (at least 200 executions), or, after 30, a twentieth
    /// of the size they estimate. `false` if an access weaker
    /// than `SeqCst` voids the search under `sc_until_weak`.
    fn walk(&mut self, model: Model, sc_until_weak: bool, budget: usize, live: &Live) -> bool {
        let most = (budget / 100).max(200);
        let mut cost = 0;
        let mut seed = 0;
        // A small search is not worth many walks: once 30 have run, stop when they have
        // cost a twentieth of what they estimate.
        let enough = |cost: usize| {
            let walks = live.estimate.walks();
            walks >= WALKS
                || cost >= most
                || walks >= 30
                    && live
                        .estimate
                        .runs()
                        .is_some_and(|runs| cost as f64 > runs / 20.0)
        };
        while !enough(cost) && !self.out_of_time() {
            let mut trust = Trust::walk(model, seed, Arc::clone(&live.estimate));
            trust.sc_by_default = sc_until_weak;
            seed += 1;
            let search = Rc::new(RefCell::new(GraphSearch { trust }));
            let control = Rc::new(RefCell::new(Control::new(budget, self.deadline, |_| true)));
            self.configure(&control);
            scheduler::run(
                Rc::<RefCell<GraphSearch>>::clone(&search),
                self.max_steps,
                Rc::clone(&control),
                Arc::clone(&self.body),
            );
            let walked = control.borrow().unreported;
            cost += walked;
            live.walked(walked);
            if search.borrow().trust.weak_seen {
                return false;
            }
        }
        true
    }

    /// The graph search shared by `self.jobs` parallel jobs (see
    /// [`crate::check::search::share`]); the executions go into one collector, under a lock.
    fn shared(
        &mut self,
        model: Model,
        sc_until_weak: bool,
        budget: usize,
        shard: Option<ShardOf>,
    ) -> Shared {
        let share = Arc::new(Share::new(self.jobs));
        let started = Arc::new(AtomicUsize::new(0));
        let results: Vec<thread::Result<Worker>> = thread::scope(|scope| {
            let handles: Vec<_> = (0..self.jobs)
                .map(|index| {
                    let worker = SharedWorker {
                        index,
                        model,
                        sc_until_weak,
                        shard,
                        budget,
                        deadline: self.deadline,
                        stall_limit: self.stall_limit,
                        spurious: self.spurious,
                        max_steps: self.max_steps,
                        count_traces: self.count_traces,
                        share: Arc::clone(&share),
                        started: Arc::clone(&started),
                        body: Arc::clone(&self.body),
                        live: self.live.clone(),
                    };
                    let sink = Arc::clone(&self.collector);
                    thread::Builder::new()
                        .name(format!("racelab-job-{index}"))
                        .spawn_scoped(scope, move || worker.run(sink))
                        .expect("racelab: could not start a thread for a parallel job")
                })
                .collect();
            handles.into_iter().map(|h| h.join()).collect()
        });
        let mut workers = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(worker) => workers.push(worker),
                Err(payload) => panic::resume_unwind(payload),
            }
        }
        if workers.iter().any(|w| w.outlived) {
            return Shared::Outlived;
        }
        let stopped = workers
            .iter()
            .filter_map(|w| w.stopped)
            .min_by_key(|s| match s {
                Stop::Collector => 0,
                Stop::Executions => 1,
                Stop::Time => 2,
            })
            .map(|s| self.stop_reason(s, budget));
        let distinct = self.count_traces.then(|| {
            let mut all = std::collections::HashSet::new();
            for w in &mut workers {
                all.extend(w.signatures.take().unwrap_or_default());
            }
            all.len()
        });
        self.coverage.push(Phase {
            method: Method::Exhaustive,
            executions: workers.iter().map(|w| w.ended).sum(),
            abandoned: workers.iter().map(|w| w.abandoned).sum(),
            distinct,
            stopped,
            jobs: self.jobs,
            handed_over: share.given.load(std::sync::atomic::Ordering::Relaxed),
        });
        if let Some(problem) = workers.iter().find_map(|w| w.nondeterminism.as_deref()) {
            self.missed_orders(problem);
        }
        Shared::Done {
            weak_seen: workers.iter().any(|w| w.weak_seen),
        }
    }

    fn stop_reason(&self, stop: Stop, budget: usize) -> StopReason {
        match stop {
            Stop::Collector => StopReason::FirstBug,
            Stop::Executions => StopReason::Executions(budget),
            Stop::Time => StopReason::Time(self.time_limit.unwrap_or_default()),
        }
    }

    /// Runs one phase; returns its strategy to read what it learned.
    fn phase(
        &mut self,
        strategy: Rc<RefCell<dyn Strategy>>,
        method: Method,
        budget: usize,
    ) -> Option<StopReason> {
        let sink = Arc::clone(&self.collector);
        let live = self.live.clone();
        let control = Rc::new(RefCell::new(Control::new(
            budget,
            self.deadline,
            move |finished| {
                if let Some(live) = &live {
                    live.executed();
                }
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .accept(finished)
            },
        )));
        self.configure(&control);
        if self.count_traces {
            control.borrow_mut().signatures = Some(Default::default());
        }
        scheduler::run(
            strategy,
            self.max_steps,
            Rc::clone(&control),
            Arc::clone(&self.body),
        );
        let control = control.borrow();
        let stopped = control.stopped.map(|s| self.stop_reason(s, budget));
        self.coverage.push(Phase {
            method,
            executions: control.ended,
            abandoned: control.abandoned,
            distinct: control.signatures.as_ref().map(|s| s.len()),
            stopped,
            jobs: 1,
            handed_over: 0,
        });
        if control.outlived && !self.notes.iter().any(|n| n.starts_with(OUTLIVED)) {
            self.notes.push(format!(
                "{OUTLIVED} (in a `static`, or created outside the body): the value a Mutex, \
                 RwLock, cell or full-made OnceLock holds is kept from one execution to the \
                 next (atomics start from their initial value in every execution, and Once, \
                 OnceLock and LazyLock from their first state), and the search ran as one job; \
                 create it inside the body, or wrap a static's in a LazyLock, to start every \
                 execution afresh"
            ));
        }
        if control.kept {
            // Executions did not start from the same state: what fresh runs would reach
            // may be missing from the table, so the search cannot call itself exhaustive.
            // It outranks a budget: a chain of checkpointed stretches that ran to its end
            // drops those, never this.
            if let Some(phase) = self.coverage.phases.last_mut() {
                if !matches!(
                    phase.stopped,
                    Some(StopReason::FirstBug | StopReason::Nondeterminism)
                ) {
                    phase.stopped = Some(StopReason::KeptState);
                }
            }
        }
        if let Some(problem) = &control.nondeterminism {
            self.missed_orders(problem);
        }
        if method != Method::Exhaustive {
            // Every strategy but the graph search picks interleavings: atomics act as SeqCst.
            self.coverage
                .model
                .get_or_insert((MemoryModel::SequentiallyConsistent, false));
            if control.weak_seen {
                let note = format!(
                    "warning: the {} schedules ran atomics weaker than SeqCst as if they \
                     were SeqCst (they choose interleavings only): outcomes that only weak \
                     memory (RC11) allows were not looked for there; Search::Exhaustive \
                     explores them",
                    method.name()
                );
                if !self.notes.contains(&note) {
                    self.notes.push(note);
                }
            }
        }
        stopped
    }
}

/// The start of the note about objects that outlive an execution.
const OUTLIVED: &str = "note: the body uses a racelab primitive that outlives one execution";

/// How a shared search ended.
enum Shared {
    Done {
        weak_seen: bool,
    },
    /// An object outlives an execution: the run is void (see `Engine::outlived`).
    Outlived,
}

/// What one worker of a shared search needs.
struct SharedWorker {
    index: usize,
    model: Model,
    sc_until_weak: bool,
    shard: Option<ShardOf>,
    budget: usize,
    deadline: Option<Instant>,
    stall_limit: Duration,
    spurious: Spurious,
    max_steps: usize,
    count_traces: bool,
    share: Arc<Share<Frame>>,
    started: Arc<AtomicUsize>,
    body: Body,
    live: Option<Arc<Live>>,
}

/// What one worker of a shared search did.
struct Worker {
    ended: usize,
    abandoned: usize,
    signatures: Option<std::collections::HashSet<u128>>,
    stopped: Option<Stop>,
    nondeterminism: Option<String>,
    weak_seen: bool,
    outlived: bool,
}

/// Stops the shared search when its worker leaves, however it leaves (a panic too).
struct Leave<'a>(&'a Share<Frame>);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

impl SharedWorker {
    fn run(self, collector: Arc<Mutex<Box<dyn Sink>>>) -> Worker {
        let leave = Leave(&self.share);
        let mut search = GraphSearch::worker(
            self.model,
            self.sc_until_weak,
            Arc::clone(&self.share),
            self.index,
        );
        search.trust.shard = self.shard;
        let strategy = Rc::new(RefCell::new(search));
        let live = self.live.clone();
        let control = Rc::new(RefCell::new(Control::new(
            self.budget,
            self.deadline,
            move |finished| {
                if let Some(live) = &live {
                    live.executed();
                }
                collector
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .accept(finished)
            },
        )));
        {
            let mut c = control.borrow_mut();
            c.stall_limit = self.stall_limit;
            c.spurious = self.spurious;
            c.shared_executions = Some(self.started);
            if self.count_traces {
                c.signatures = Some(Default::default());
            }
        }
        scheduler::run(
            Rc::<RefCell<GraphSearch>>::clone(&strategy),
            self.max_steps,
            Rc::clone(&control),
            self.body,
        );
        drop(leave);
        let mut c = control.borrow_mut();
        Worker {
            ended: c.ended,
            abandoned: c.abandoned,
            signatures: c.signatures.take(),
            stopped: c.stopped,
            nondeterminism: c.nondeterminism.take(),
            weak_seen: strategy.borrow().trust.weak_seen,
            outlived: c.outlived,
        }
    }
}

/// The number of jobs: `asked`, else `RACELAB_JOBS`, else one per core.
fn jobs(asked: Option<usize>) -> usize {
    if let Some(n) = asked {
        return n;
    }
    match std::env::var("RACELAB_JOBS") {
        Ok(text) => parse_jobs(&text).unwrap_or_else(|e| panic!("{e}")),
        Err(_) => thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// The shard to run: `asked`, else `RACELAB_SHARD`, else none.
fn shard(asked: Option<(usize, usize)>) -> Option<(usize, usize)> {
    if asked.is_some() {
        return asked;
    }
    let text = std::env::var("RACELAB_SHARD").ok()?;
    Some(super::parse_shard(&text).unwrap_or_else(|e| panic!("RACELAB_SHARD: {e}")))
}

fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "racelab: RACELAB_JOBS={text:?} is not a number of parallel jobs (a whole \
             number, 1 or more)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_jobs;

    #[test]
    fn racelab_jobs_is_a_whole_number_of_one_or_more() {
        assert_eq!(parse_jobs("3"), Ok(3));
        assert_eq!(parse_jobs(" 1\n"), Ok(1));
        for bad in ["0", "-1", "two", ""] {
            let e = parse_jobs(bad).unwrap_err();
            assert!(e.starts_with("racelab: RACELAB_JOBS="), "{e}");
        }
    }
}
