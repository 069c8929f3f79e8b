//! The state of the execution being explored: its threads and what each will do next, its
//! execution graph, its trace, and how it ended; and the loop that decides, at every switch
//! point, which thread goes on.
//!
//! Threads are numbered by the graph: 0 is the body's `main`, a spawned thread gets the
//! number its spawn event gave it (the first spawned is 1, and so on). shuttle's task
//! numbers, which count racelab's own root task, never show.
//!
//! Each execution either follows a strategy that picks a thread at every switch point
//! (random, PCT, POS, a replayed schedule, every order, the marked steps) and reads always
//! read the latest write; or it belongs to the exhaustive search ([`Trust`]), which hands
//! over a graph to **replay** (re-execute its events in a dependency-respecting order,
//! checking that the program does the same thing again) and then **extends** it, one event
//! at a time, always with the lowest-numbered thread that can go on, branching at every
//! read and write.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use super::graph::{Ev, Graph, HELD, Label, Loc, Tid};
use super::objects::fresh_generation;
use super::op::{Done, Footprint, Op};
use super::trace::Mark;
use super::trace::{Detail, Event, ReadFrom, What};

pub(crate) use super::ending::{Finished, RawEnding, ThreadPanic};
pub(crate) use super::strategy::Granularity;
pub(crate) use super::thread::{Pending, Spin, ThreadRt};

/// The state of the current execution (see the module docs).
pub(crate) struct Engine {
    pub(crate) granularity: Granularity,
    pub(crate) max_steps: usize,
    /// What may happen spuriously (`Check::spurious_wakeups`, `Check::spurious_failures`).
    pub(crate) spurious: super::spurious::Spurious,
    pub(crate) generation: u32,
    /// By graph thread number (`None`: a number not used in this execution).
    pub(crate) threads: Vec<Option<ThreadRt>>,
    task_thread: HashMap<usize, usize>,
    pub(crate) root: Option<usize>,
    pub(crate) root_internal: bool,
    pub(crate) graph: Graph,
    /// Which object each location is bound to in this execution (its address).
    pub(crate) bound: HashMap<Loc, usize>,
    /// How many unnamed objects of each kind were bound (their names count up).
    pub(crate) kind_counts: [u32; 3],
    /// The events of the graph still to replay, and how far the replay got.
    pub(crate) replay: Vec<Ev>,
    pub(crate) replay_pos: usize,
    /// Events replayed so far, per thread.
    pub(crate) replayed: Vec<u32>,
    pub(crate) trace: Vec<Event>,
    /// Steps committed (thread, footprint), for strategies.
    pub(crate) steps: Vec<(usize, Footprint)>,
    pub(crate) marks: usize,
    /// No more marks in this execution (see `crate::check::mark::end_of_lesson`).
    pub(crate) marks_off: bool,
    pub(crate) running: Option<usize>,
    pub(crate) ending: Option<RawEnding>,
    /// What the body returned, once `main` has returned.
    pub(crate) returned: Option<Box<dyn Any + Send>>,
    /// The locks held, by number, as their `Acquire` and `Release` marks said.
    pub(crate) held_locks: Vec<u64>,
    /// Set when a replay found the program doing something else than the graph recorded.
    pub(crate) nondeterminism: Option<String>,
    /// A misuse that ends the whole check (see `scheduler::fatal`).
    pub(crate) fatal: Option<String>,
    /// Whether an atomic access weaker than `SeqCst` ran in any execution of this run (a
    /// strategy that is not the graph search runs it as `SeqCst`: the report says so).
    pub(crate) weak_seen: bool,
    /// Under weak memory: each load's place in the trace and its read event, to say at
    /// the end what it read and why ([`super::trace::ReadFrom`]).
    pub(crate) loads: Vec<(usize, Ev)>,
    /// This engine is one of several workers of a shared search, on their own OS threads.
    pub(crate) exclusive: bool,
    /// An object bound by another execution was used (see [`super::objects::ObjMeta::bind`]):
    /// its data is not reset between executions; sticky for the whole run.
    pub(crate) outlived: bool,
    /// One of those holds a value of its own outside the graph (see
    /// [`super::objects::ObjMeta::keeps`]): executions did not all start from the same
    /// state, so the search cannot say it saw what fresh runs would; sticky for the run.
    pub(crate) kept: bool,
    /// The cells (`check::cell::UnsafeCell`) this execution accessed, by number.
    pub(crate) cells: super::race::Cells,
    /// The pointer values of this execution and their ids in the graph.
    pub(crate) pointers: super::pointers::Pointers,
    /// Spawned threads' panics the execution went on after, in the order they happened.
    pub(crate) panics: Vec<ThreadPanic>,
    /// The states objects that outlive an execution have in this one (see
    /// [`super::fresh`]).
    pub(crate) fresh: super::fresh::FreshStates,
}

impl Engine {
    pub(crate) fn new(granularity: Granularity, max_steps: usize) -> Self {
        Engine {
            granularity,
            max_steps,
            spurious: Default::default(),
            generation: fresh_generation(),
            threads: Vec::new(),
            task_thread: HashMap::new(),
            root: None,
            root_internal: true,
            graph: Graph::new(),
            bound: HashMap::new(),
            kind_counts: [0; 3],
            replay: Vec::new(),
            replay_pos: 0,
            replayed: Vec::new(),
            trace: Vec::new(),
            steps: Vec::new(),
            marks: 0,
            marks_off: false,
            running: None,
            ending: None,
            returned: None,
            held_locks: Vec::new(),
            nondeterminism: None,
            fatal: None,
            weak_seen: false,
            exclusive: false,
            outlived: false,
            kept: false,
            loads: Vec::new(),
            cells: super::race::Cells::default(),
            pointers: super::pointers::Pointers::default(),
            panics: Vec::new(),
            fresh: super::fresh::FreshStates::default(),
        }
    }

    /// Forgets the last execution and starts a new one on `graph` (empty: from scratch).
    pub(crate) fn reset(&mut self, graph: Graph) {
        self.generation = fresh_generation();
        self.threads.clear();
        self.task_thread.clear();
        self.root = None;
        self.root_internal = true;
        self.replay = if graph.threads() == 0 {
            Vec::new()
        } else {
            super::replay::order(&graph, true)
        };
        self.graph = graph;
        self.bound.clear();
        self.kind_counts = [0; 3];
        self.replay_pos = 0;
        self.replayed.clear();
        self.trace.clear();
        self.steps.clear();
        self.marks = 0;
        self.marks_off = false;
        self.held_locks.clear();
        self.running = None;
        self.ending = None;
        self.returned = None;
        self.loads.clear();
        self.cells.clear();
        self.pointers.clear();
        self.panics.clear();
        self.fresh.clear();
    }

    /// Under weak memory, says for every load what it read and why it could (see
    /// [`super::trace::ReadFrom`]).
    fn explain_loads(&mut self) {
        let names = self.names();
        for &(i, r) in &self.loads {
            let g = &self.graph;
            if !g.contains(r) {
                continue;
            }
            let Label::Read { loc, rf, .. } = g.label(r) else {
                continue;
            };
            let name = |t: Tid| {
                names
                    .get(t as usize)
                    .cloned()
                    .unwrap_or_else(|| Engine::default_name(t as usize).into())
            };
            let from = rf.map(|w| {
                let ord = match g.label(w) {
                    Label::Write { ord, .. } => ord.name(),
                    _ => "",
                };
                (name(w.thread), ord)
            });
            let newer = g
                .co_max(*loc)
                .filter(|&w| Some(w) != *rf && !g.hb(w, r) && w.thread != r.thread)
                .map(|w| (name(w.thread), g.value(*loc, Some(w)) as i128));
            let detail = Detail::ReadFrom(ReadFrom {
                value: g.read_value(r) as i128,
                from,
                newer,
            });
            if let Some(Event {
                what: What::Op { detail: d, .. },
                ..
            }) = self.trace.get_mut(i)
            {
                *d = detail;
            }
        }
    }

    /// What the execution left: its ending (`Abandoned` if it never ended) and trace.
    pub(crate) fn take_finished(&mut self) -> Finished {
        if self.graph.is_weak() {
            self.explain_loads();
        }
        Finished {
            ending: self
                .ending
                .take()
                .or_else(|| {
                    let returned = self.returned.take()?;
                    // A panic nobody joined is not handled: it is what the execution did.
                    Some(
                        self.unhandled_panic()
                            .unwrap_or(RawEnding::Returned(returned)),
                    )
                })
                .unwrap_or(RawEnding::Abandoned),
            trace: std::mem::take(&mut self.trace),
            threads: self.names(),
        }
    }

    /// The threads' names, by number.
    pub(crate) fn names(&self) -> Vec<Arc<str>> {
        self.threads
            .iter()
            .enumerate()
            .map(|(t, rt)| match rt {
                Some(rt) => Arc::clone(&rt.name),
                None => format!("Thread{t}").into(),
            })
            .collect()
    }

    pub(crate) fn take_graph(&mut self) -> Graph {
        std::mem::take(&mut self.graph)
    }

    // ----- threads ---------------------------------------------------------------------

    pub(crate) fn thread(&self, t: usize) -> &ThreadRt {
        self.threads[t]
            .as_ref()
            .expect("a thread of this execution")
    }

    pub(crate) fn thread_mut(&mut self, t: usize) -> &mut ThreadRt {
        self.threads[t]
            .as_mut()
            .expect("a thread of this execution")
    }

    /// The thread of shuttle task `task`, if racelab knows it.
    pub(crate) fn thread_of(&self, task: usize) -> Option<usize> {
        self.task_thread.get(&task).copied()
    }

    /// Registers thread number `number` running as shuttle task `task`, created by spawn
    /// event `spawn`.
    pub(crate) fn register_thread(
        &mut self,
        number: usize,
        task: usize,
        name: Arc<str>,
        spawn: Option<Ev>,
    ) {
        if self.threads.len() <= number {
            self.threads.resize_with(number + 1, || None);
        }
        self.task_thread.insert(task, number);
        self.threads[number] = Some(ThreadRt {
            task,
            name,
            pending: None,
            internal: false,
            finished: false,
            done_marking: false,
            note: None,
            intent: None,
            spin: Spin::default(),
            timeouts: Default::default(),
            done: None,
            spawn,
            ops: 0,
            at: None,
            skipped_unwinding: false,
            deferred: Vec::new(),
        });
        self.declare_for(number, Op::Start);
    }

    /// The name thread number `number` gets unless it is given one.
    pub(crate) fn default_name(number: usize) -> String {
        match number {
            0 => "main".to_string(),
            n => format!("Thread{n}"),
        }
    }

    /// Whether every thread has finished.
    pub(crate) fn all_finished(&self) -> bool {
        self.threads.iter().flatten().all(|t| t.finished)
    }

    /// Whether task `task` is inside racelab's own shuttle call (it keeps running).
    pub(crate) fn is_internal(&self, task: usize) -> bool {
        if Some(task) == self.root {
            return self.root_internal;
        }
        self.thread_of(task)
            .is_some_and(|t| self.thread(t).internal)
    }

    pub(crate) fn set_internal(&mut self, internal: bool) {
        match self.running {
            Some(t) => self.thread_mut(t).internal = internal,
            None => self.root_internal = internal,
        }
    }

    /// The running thread will do `op` next, called at `at`.
    pub(crate) fn declare(&mut self, op: Op, at: &'static std::panic::Location<'static>) {
        if let Some(t) = self.running {
            self.declare_for(t, op);
            let rt = self.thread_mut(t);
            rt.ops += 1;
            rt.at = Some(at);
        }
    }

    fn declare_for(&mut self, t: usize, op: Op) {
        let pending = Pending::new(op, t as Tid, &self.graph);
        let rt = self.thread_mut(t);
        rt.pending = Some(pending);
        rt.done = None;
    }

    /// The result of the running thread's last operation.
    pub(crate) fn take_done(&mut self) -> Option<Done> {
        let t = self.running?;
        self.thread_mut(t).done.take()
    }

    /// A shared search met an object that outlives an execution: this execution stops
    /// before anything else runs, and so does the search.
    pub(crate) fn halted(&self) -> bool {
        self.exclusive && self.outlived
    }

    pub(crate) fn nondeterministic(&mut self, what: &str) {
        if self.nondeterminism.is_none() {
            self.nondeterminism = Some(format!(
                "replaying a recorded execution, {what}: the body does something racelab does not \
                 control (time, randomness, a HashMap's order, std::sync, I/O)"
            ));
        }
        self.ending.get_or_insert(RawEnding::Abandoned);
    }

    // ----- views for strategies --------------------------------------------------------

    /// Under the step-level strategy, a condition variable's operations are marked steps of
    /// their own: the step of `op`, if it is one of those (`waiters`: how many threads
    /// waited when a notify ran, for a notify).
    pub(crate) fn condvar_step(&self, op: &Op, waiters: u32) -> Option<Mark> {
        if self.granularity != Granularity::Marks || self.marks_off {
            return None;
        }
        let name = |cv: &super::op::Obj| cv.meta().name().unwrap_or("a condition variable");
        match op {
            Op::Wait { cv, .. }
            | Op::Wake { cv, .. }
            | Op::TimedWake { cv, .. }
            | Op::Notify { cv, .. }
                if cv.meta().is_inner() =>
            {
                None
            }
            Op::Wait { cv, .. } => Some(Mark::new("wait").named(name(cv))),
            Op::Wake { cv, .. } | Op::TimedWake { cv, .. } => {
                Some(Mark::new("wake").named(name(cv)))
            }
            Op::Notify { .. } if waiters == 0 => None,
            Op::Notify { cv, all: false } => Some(Mark::new("notify").named(name(cv))),
            Op::Notify { cv, all: true } => Some(Mark::new("notify_all").named(name(cv))),
            _ => None,
        }
    }

    /// The thread holding mutex `loc`, if one does.
    pub(crate) fn holder(&self, loc: Loc) -> Option<usize> {
        let w = self.graph.co_max(loc)?;
        (self.graph.value(loc, Some(w)) == HELD).then_some(w.thread as usize)
    }

    /// Stores the trace event of an operation thread `t` just took.
    pub(crate) fn record(
        &mut self,
        t: usize,
        op: &'static str,
        object: Option<Arc<str>>,
        detail: Detail,
    ) {
        self.trace.push(Event {
            thread: t,
            what: What::Op { op, object, detail },
        });
    }

    /// The event `t` replays next, if the replay still has events of `t`.
    pub(crate) fn replay_next(&self, t: usize) -> Option<Ev> {
        let n = self.replayed.get(t).copied().unwrap_or(0);
        (n < self.graph.thread_len(t as Tid)).then(|| Ev::new(t as Tid, n))
    }

    /// Whether a replay is under way (events of the graph not yet re-executed).
    pub(crate) fn replaying(&self) -> bool {
        self.replay_pos < self.replay.len()
    }
}
