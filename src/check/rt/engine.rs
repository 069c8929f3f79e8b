//! The state of the execution being explored: its threads and what each will do next, its
//! objects, its trace, and how it ended.
//!
//! Threads are numbered as the program spawns them: 0 is the body's main thread, 1 the first
//! thread it spawns, and so on (shuttle's task numbers, which count racelab's own helper
//! task, never show). Objects are numbered as they are first used.

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::clock::Hb;
use super::op::{Declared, Footprint, ObjId, Op};
use super::trace::{Detail, Event, What};
use crate::check::mark::Intent;
use crate::check::sync::condvar::CondvarCore;
use crate::step::Step;

/// Which switch points the strategy decides at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Granularity {
    /// Every operation (sound for any code).
    Ops,
    /// Only marked steps, and where a thread cannot go on: the step-level teaching tables,
    /// exact for code whose shared state is all marked.
    Marks,
}

/// What a thread does when it next runs.
#[derive(Debug, Clone)]
pub(crate) enum Next {
    /// It has not started.
    Start,
    /// A declared operation.
    Op(Declared),
    /// Inside racelab's own call into shuttle: keep running it.
    Internal,
    /// Something racelab did not declare (a raw shuttle primitive).
    Unknown,
    /// Nothing: it finished.
    Done,
}

/// The kind of a shared object, for its default name (`mutex#1`, `atomic#2`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjKind {
    Mutex,
    Condvar,
    Atomic,
    Thread,
}

impl ObjKind {
    fn name(self) -> &'static str {
        match self {
            ObjKind::Mutex => "mutex",
            ObjKind::Condvar => "condvar",
            ObjKind::Atomic => "atomic",
            ObjKind::Thread => "thread",
        }
    }
}

/// Per-object bookkeeping that primitives carry: their kind, optional name, and the id the
/// current execution gave them.
#[derive(Debug)]
pub(crate) struct ObjMeta {
    kind: ObjKind,
    name: Option<&'static str>,
    /// `generation << 32 | (id + 1)`, 0 when never registered.
    slot: AtomicU64,
}

impl ObjMeta {
    pub(crate) fn new(kind: ObjKind) -> Self {
        ObjMeta {
            kind,
            name: None,
            slot: AtomicU64::new(0),
        }
    }

    pub(crate) fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    pub(crate) fn set_name(&mut self, name: &'static str) {
        self.name = Some(name);
    }

    /// The name given to the object, if one was.
    pub(crate) fn static_name(&self) -> Option<&'static str> {
        self.name
    }

    /// The id of the object in the current execution (0 outside a racelab check).
    pub(crate) fn id(&self) -> ObjId {
        super::with_engine(|e| e.object_id(self)).unwrap_or(0)
    }
}

/// One thread of the execution.
#[derive(Debug)]
pub(crate) struct ThreadRt {
    /// shuttle's task number.
    pub(crate) task: usize,
    pub(crate) name: Arc<str>,
    pub(crate) next: Next,
    /// Its last step was taken (or it panicked).
    pub(crate) finished: bool,
    /// It said it has no more marked steps to take.
    pub(crate) done_marking: bool,
    /// The object that stands for the thread (what `join` waits on).
    pub(crate) obj: ObjId,
    /// What it said it waits for, before blocking (`join with 2 unfinished tasks`).
    pub(crate) note: Option<String>,
    /// The objects it touched since its last yield.
    touched: Vec<ObjId>,
    /// After a yield in a spin loop: the objects it touched in the loop, with the version
    /// each had; it waits until one changes (see [`crate::check::thread::yield_now`]).
    awaiting: Option<Vec<(ObjId, u64)>>,
    /// When nothing else could run, it was let go on without a change: the count of writes
    /// at that moment (the same count at its next yield means it spins forever).
    let_go_at: Option<u64>,
    /// What its next marked step does to a lock, if it said so (see
    /// [`crate::check::mark::intend`]).
    intent: Option<Intent>,
}

/// How an execution ended, before the outcome is judged.
pub(crate) enum RawEnding {
    /// The body returned this (a `Box` of the outcome type).
    Returned(Box<dyn Any + Send>),
    /// No thread could go on.
    Deadlock(Vec<crate::check::report::Blocked>),
    /// A thread panicked.
    Panicked { thread: usize, message: String },
    /// More steps than the limit: a livelock or an endless loop.
    StepLimit(usize),
    /// The strategy stopped the execution (it could only repeat an order already explored,
    /// or a replay could not go on): no outcome.
    Abandoned,
}

/// A finished execution, handed to the collector.
pub(crate) struct Finished {
    pub(crate) ending: RawEnding,
    pub(crate) trace: Vec<Event>,
    pub(crate) threads: Vec<Arc<str>>,
}

/// What the strategy sees of a thread at a decision point.
#[derive(Debug, Clone)]
pub(crate) struct View {
    /// It can take its next step now (a thread that yielded waits for a change: see
    /// [`crate::check::thread::yield_now`]).
    pub(crate) enabled: bool,
    /// It waits for a change after a yield.
    pub(crate) awaiting: bool,
    /// It has no next step.
    pub(crate) finished: bool,
    /// Its next step is a marked one.
    pub(crate) at_mark: bool,
    /// It said it has no more marked steps.
    pub(crate) done_marking: bool,
    /// Its next marked step is a blocking acquire of a lock another step holds: run now,
    /// it would only wait (see [`crate::check::mark::intend`]).
    pub(crate) waits_for_held_lock: bool,
    /// What its next step touches (`None` when finished).
    pub(crate) footprint: Option<Footprint>,
}

/// The state of the current execution (see the module docs).
pub(crate) struct Engine {
    pub(crate) granularity: Granularity,
    pub(crate) max_steps: usize,
    generation: u64,
    pub(crate) threads: Vec<ThreadRt>,
    task_thread: Vec<Option<usize>>,
    pub(crate) root: Option<usize>,
    root_next: Next,
    names: Vec<Arc<str>>,
    kind_counts: [u32; 4],
    /// Default names made so far, by kind and ordinal: the same in every execution, so made
    /// once.
    default_names: [Vec<Arc<str>>; 4],
    pub(crate) trace: Vec<Event>,
    pub(crate) hb: Hb,
    last_op: Vec<Option<usize>>,
    pub(crate) marks: usize,
    /// No more marks in this execution (see `crate::check::mark::end_of_lesson`).
    pub(crate) marks_off: bool,
    pub(crate) running: Option<usize>,
    pub(crate) ending: Option<RawEnding>,
    /// How many times each object was written in this execution (a yielding thread waits
    /// for one of these to change), and how many writes there were in all.
    versions: Vec<u64>,
    writes: u64,
    /// The objects the running thread's last step counted as written (undone if it turns
    /// out to have changed nothing: a failed `compare_exchange` or `try_lock`).
    last_writes: Vec<ObjId>,
    /// What the body returned, once `main` has returned.
    pub(crate) returned: Option<Box<dyn Any + Send>>,
    /// The locks held, by number, as their `Acquire` and `Release` marks said (see
    /// [`crate::check::mark::intend`]).
    held_locks: Vec<u64>,
}

impl Engine {
    pub(crate) fn new(granularity: Granularity, max_steps: usize) -> Self {
        Engine {
            granularity,
            max_steps,
            generation: 0,
            threads: Vec::new(),
            task_thread: Vec::new(),
            root: None,
            root_next: Next::Internal,
            names: Vec::new(),
            kind_counts: [0; 4],
            default_names: Default::default(),
            trace: Vec::new(),
            hb: Hb::default(),
            last_op: Vec::new(),
            marks: 0,
            marks_off: false,
            running: None,
            ending: None,
            versions: Vec::new(),
            writes: 0,
            last_writes: Vec::new(),
            returned: None,
            held_locks: Vec::new(),
        }
    }

    /// Forgets the last execution and starts a new one.
    pub(crate) fn reset(&mut self) {
        self.generation += 1;
        self.threads.clear();
        self.task_thread.clear();
        self.root = None;
        self.root_next = Next::Internal;
        self.names.clear();
        self.kind_counts = [0; 4];
        self.trace.clear();
        self.hb.clear();
        self.last_op.clear();
        self.marks = 0;
        self.marks_off = false;
        self.held_locks.clear();
        self.running = None;
        self.ending = None;
        self.returned = None;
        self.versions.clear();
        self.writes = 0;
        self.last_writes.clear();
    }

    /// What the execution left: its ending (`Abandoned` if it never ended) and trace.
    pub(crate) fn take_finished(&mut self) -> Finished {
        Finished {
            ending: self
                .ending
                .take()
                .or_else(|| self.returned.take().map(RawEnding::Returned))
                .unwrap_or(RawEnding::Abandoned),
            trace: std::mem::take(&mut self.trace),
            threads: self.threads.iter().map(|t| Arc::clone(&t.name)).collect(),
        }
    }

    /// The id of the object with `meta` in this execution, registering it on first use.
    pub(crate) fn object_id(&mut self, meta: &ObjMeta) -> ObjId {
        let slot = meta.slot.load(Ordering::Relaxed);
        if slot >> 32 == self.generation && slot & 0xffff_ffff != 0 {
            return (slot & 0xffff_ffff) as ObjId - 1;
        }
        let id = self.names.len() as ObjId;
        let name: Arc<str> = match meta.name {
            Some(name) => name.into(),
            None => {
                let kind = meta.kind as usize;
                self.kind_counts[kind] += 1;
                let n = self.kind_counts[kind] as usize;
                let made = &mut self.default_names[kind];
                if made.len() < n {
                    made.push(format!("{}#{n}", meta.kind.name()).into());
                }
                Arc::clone(&made[n - 1])
            }
        };
        self.names.push(name);
        meta.slot.store(
            self.generation << 32 | (u64::from(id) + 1),
            Ordering::Relaxed,
        );
        id
    }

    /// The name of the object with `meta`, if this execution numbered it.
    fn known_name(&self, meta: &ObjMeta) -> String {
        let slot = meta.slot.load(Ordering::Relaxed);
        match slot & 0xffff_ffff {
            id if slot >> 32 == self.generation && id != 0 => {
                self.names[id as usize - 1].to_string()
            }
            _ => meta.name.unwrap_or("(an object)").to_string(),
        }
    }

    /// The name of object `id`.
    pub(crate) fn object_name(&self, id: ObjId) -> Arc<str> {
        Arc::clone(&self.names[id as usize])
    }

    /// The thread of shuttle task `task` (a task racelab did not spawn gets a number now).
    pub(crate) fn thread_of(&mut self, task: usize) -> Option<usize> {
        if Some(task) == self.root {
            return None;
        }
        if let Some(Some(thread)) = self.task_thread.get(task) {
            return Some(*thread);
        }
        let number = self.threads.len();
        let name = format!("Thread{number}");
        Some(self.register_thread(task, name.into(), None, Next::Unknown))
    }

    /// Registers the thread of `task`, spawned by thread `parent`.
    pub(crate) fn register_thread(
        &mut self,
        task: usize,
        name: Arc<str>,
        parent: Option<usize>,
        next: Next,
    ) -> usize {
        let number = self.threads.len();
        let meta = ObjMeta {
            kind: ObjKind::Thread,
            name: None,
            slot: AtomicU64::new(0),
        };
        let obj = self.object_id(&meta);
        self.names[obj as usize] = Arc::clone(&name);
        if self.task_thread.len() <= task {
            self.task_thread.resize(task + 1, None);
        }
        self.task_thread[task] = Some(number);
        self.threads.push(ThreadRt {
            task,
            name,
            next,
            finished: false,
            done_marking: false,
            obj,
            note: None,
            touched: Vec::new(),
            awaiting: None,
            let_go_at: None,
            intent: None,
        });
        self.last_op.push(None);
        if let Some(parent) = parent {
            self.hb.spawned(number, parent);
        }
        number
    }

    /// The name the next spawned thread gets unless it is given one.
    pub(crate) fn default_name(&self) -> String {
        match self.threads.len() {
            0 => "main".to_string(),
            n => format!("Thread{n}"),
        }
    }

    fn next_mut(&mut self) -> &mut Next {
        match self.running {
            Some(thread) => &mut self.threads[thread].next,
            None => &mut self.root_next,
        }
    }

    /// The running thread will do `op` next.
    pub(crate) fn declare(&mut self, op: Op) {
        let footprint = op.footprint(&mut |meta| self.object_id(meta));
        let object = op.object(&mut |meta| self.object_id(meta));
        *self.next_mut() = Next::Op(Declared {
            op,
            footprint,
            object,
        });
    }

    pub(crate) fn set_next(&mut self, next: Next) {
        *self.next_mut() = next;
    }

    /// Whether `task` is inside racelab's own shuttle call (it keeps running).
    pub(crate) fn is_internal(&mut self, task: usize) -> bool {
        let next = match self.thread_of(task) {
            Some(thread) => &self.threads[thread].next,
            None => &self.root_next,
        };
        matches!(next, Next::Internal)
    }

    /// Adds `detail` to the running thread's last operation in the trace.
    pub(crate) fn detail(&mut self, detail: Detail) {
        if matches!(detail, Detail::Failed(_) | Detail::Busy) {
            // It changed nothing after all: a thread waiting for a change still waits.
            for obj in self.last_writes.drain(..) {
                self.versions[obj as usize] -= 1;
                self.writes -= 1;
            }
        }
        let last = self
            .running
            .and_then(|t| self.last_op.get(t).copied().flatten());
        if let Some(Event {
            what: What::Op { detail: d, .. },
            ..
        }) = last.and_then(|i| self.trace.get_mut(i))
        {
            *d = detail;
        }
    }

    /// Names the object of the running thread's last operation (a spawn names its child).
    pub(crate) fn name_last_object(&mut self, name: Arc<str>) {
        let last = self
            .running
            .and_then(|t| self.last_op.get(t).copied().flatten());
        if let Some(Event {
            what: What::Op { object, .. },
            ..
        }) = last.and_then(|i| self.trace.get_mut(i))
        {
            *object = Some(name);
        }
    }

    /// Records a marked step of the running thread.
    pub(crate) fn mark(&mut self, step: Step) {
        if self.marks_off {
            return;
        }
        if let Some(thread) = self.running {
            match (step, self.threads[thread].intent.take()) {
                (Step::Acquire(_), Some(Intent::Acquire(lock))) => self.held_locks.push(lock),
                (Step::Release(_), Some(Intent::Release(lock))) => {
                    self.held_locks.retain(|&held| held != lock);
                }
                _ => {}
            }
            self.trace.push(Event {
                thread,
                what: What::Step(step),
            });
            self.marks += 1;
        }
    }

    /// The running thread's next marked step does `intent` (see
    /// [`crate::check::mark::intend`]).
    pub(crate) fn intend(&mut self, intent: Intent) {
        if let Some(thread) = self.running {
            self.threads[thread].intent = Some(intent);
        }
    }

    /// The running thread will take no more marked steps.
    pub(crate) fn done_marking(&mut self) {
        if let Some(thread) = self.running {
            self.threads[thread].done_marking = true;
        }
    }

    /// What the running thread waits for (shown if the execution deadlocks there).
    pub(crate) fn note(&mut self, note: Option<String>) {
        if let Some(thread) = self.running {
            self.threads[thread].note = note;
        }
    }

    /// Whether every thread has finished.
    pub(crate) fn all_finished(&self) -> bool {
        self.threads.iter().all(|t| t.finished)
    }

    /// What the strategy sees of each thread (into `views`), given the tasks shuttle can run.
    pub(crate) fn views(&mut self, runnable: &[usize], views: &mut Vec<View>) {
        views.clear();
        views.extend(self.threads.iter().map(|t| {
            let can_run = runnable.contains(&t.task);
            let (enabled, footprint, at_mark) = match &t.next {
                Next::Done => (false, None, false),
                Next::Start => (can_run, Some(Footprint::None), false),
                Next::Unknown | Next::Internal => (can_run, Some(Footprint::Global), false),
                Next::Op(d) => (
                    can_run && self.possible(&d.op, t.task),
                    Some(d.footprint),
                    // A wake-up is a step of its own, which any thread's may precede; a
                    // wait and a notify follow their thread's step at once.
                    matches!(d.op, Op::MarkPoint)
                        || matches!(d.op, Op::Wake { .. }) && self.condvar_step(&d.op).is_some(),
                ),
            };
            let finished = t.finished || matches!(t.next, Next::Done);
            View {
                enabled: enabled && !finished,
                awaiting: false,
                finished,
                at_mark,
                done_marking: t.done_marking,
                waits_for_held_lock: matches!(
                    t.intent,
                    Some(Intent::Acquire(lock)) if self.held_locks.contains(&lock)
                ),
                footprint: if finished { None } else { footprint },
            }
        }));
        // A thread waiting for a change after a yield: enabled once another thread wrote
        // something it touched; its step is ordered against everything meanwhile.
        let version = |o: ObjId| self.versions.get(o as usize).copied().unwrap_or(0);
        for (t, v) in views.iter_mut().enumerate() {
            if self.threads[t].awaiting.is_some() {
                if !self.changed_for(t, &version) {
                    v.enabled = false;
                    v.awaiting = v.footprint.is_some();
                }
                if v.footprint.is_some() {
                    v.footprint = Some(Footprint::Global);
                }
            }
        }
        // Nothing else can run: a waiting thread goes on once without a change (code that
        // yields and then goes on, not a loop); if it yields again with nothing written
        // since, it spins forever, and stays blocked (a livelock, reported as a deadlock).
        if !views.iter().any(|v| v.enabled) {
            for (t, v) in views.iter_mut().enumerate() {
                if v.awaiting && self.threads[t].let_go_at != Some(self.writes) {
                    v.enabled = self.possible_next(t);
                }
            }
        }
    }

    /// Whether something thread `t` waits for (after a yield) has changed.
    fn changed_for(&self, t: usize, version: &dyn Fn(ObjId) -> u64) -> bool {
        self.threads[t]
            .awaiting
            .iter()
            .flatten()
            .any(|&(o, seen)| version(o) != seen)
    }

    /// Whether thread `t`'s next step is possible, waiting for a change aside.
    fn possible_next(&self, t: usize) -> bool {
        match &self.threads[t].next {
            Next::Op(d) => self.possible(&d.op, self.threads[t].task),
            Next::Done => false,
            _ => true,
        }
    }

    /// Whether `op` can be taken now by `task`.
    fn possible(&self, op: &Op, task: usize) -> bool {
        match op {
            Op::Lock(m) => m.is_free(),
            Op::Wake { cv, .. } => cv.is_signalled(task),
            Op::Join { thread, .. } => self.threads.get(*thread).is_some_and(|t| t.finished),
            _ => true,
        }
    }

    /// `thread` takes its next step: records it and makes it the running thread.
    pub(crate) fn commit(&mut self, thread: usize) {
        let next = std::mem::replace(&mut self.threads[thread].next, Next::Unknown);
        let (footprint, what, op) = match &next {
            Next::Start => (Footprint::None, op_event("start", None), None),
            Next::Op(d) => (
                d.footprint,
                op_event(d.op.kind(), d.object.map(|o| self.object_name(o))),
                Some(&d.op),
            ),
            Next::Unknown | Next::Internal | Next::Done => (Footprint::Global, What::Unknown, None),
        };
        if let Some(Op::Finish { .. }) = op {
            self.threads[thread].finished = true;
            self.threads[thread].next = Next::Done;
        }
        self.touch(thread, footprint, matches!(op, Some(Op::Yield)));
        if !matches!(op, Some(Op::Wait { .. } | Op::MarkPoint)) {
            self.threads[thread].note = None; // it moved on from what it waited for
        }
        let is_mark_point = matches!(op, Some(Op::MarkPoint));
        let step = op.and_then(|op| self.condvar_step(op));
        self.hb.commit(thread, footprint);
        if !is_mark_point {
            self.last_op[thread] = Some(self.trace.len());
            self.trace.push(Event { thread, what });
        }
        if let Some(step) = step {
            self.trace.push(Event {
                thread,
                what: What::Step(step),
            });
            self.marks += 1;
        }
        self.running = Some(thread);
    }

    /// Keeps what `thread`'s step touched and wrote, for the yield rule.
    fn touch(&mut self, thread: usize, footprint: Footprint, yields: bool) {
        self.last_writes.clear();
        let t = &mut self.threads[thread];
        if yields {
            let touched = std::mem::take(&mut t.touched);
            let versions = &self.versions;
            t.awaiting = (!touched.is_empty()).then(|| {
                touched
                    .into_iter()
                    .map(|o| (o, versions.get(o as usize).copied().unwrap_or(0)))
                    .collect()
            });
            return;
        }
        if footprint != Footprint::None && t.awaiting.is_some() {
            // It runs: what it waited for came, or nothing else could run (then remember
            // when it was let go, to tell a loop that spins forever).
            let version = |o: ObjId| self.versions.get(o as usize).copied().unwrap_or(0);
            let changed = t
                .awaiting
                .iter()
                .flatten()
                .any(|&(o, seen)| version(o) != seen);
            if !changed {
                t.let_go_at = Some(self.writes);
            }
            t.awaiting = None;
        }
        match footprint {
            Footprint::None => {}
            Footprint::Global => {
                // Anything may have changed.
                self.writes += 1;
                for v in &mut self.versions {
                    *v += 1;
                }
            }
            Footprint::Objects(_) => {
                for (obj, access) in footprint.accesses() {
                    let t = &mut self.threads[thread];
                    if !t.touched.contains(&obj) {
                        t.touched.push(obj);
                    }
                    if access != super::op::Access::Read {
                        let i = obj as usize;
                        if self.versions.len() <= i {
                            self.versions.resize(i + 1, 0);
                        }
                        self.versions[i] += 1;
                        self.writes += 1;
                        self.last_writes.push(obj);
                    }
                }
            }
        }
    }

    /// Under the step-level strategy, a condition variable's operations are marked steps of
    /// their own (a learner sees a consumer wait, get notified and wake up): the step of
    /// `op`, if it is one of those. A `wait` follows the step that found the condition
    /// false at once (its thread holds the mutex from the check to the wait), and a `notify`
    /// follows its thread's step; only a `wake` is a point where another thread may go first.
    fn condvar_step(&self, op: &Op) -> Option<Step> {
        if self.granularity != Granularity::Marks || self.marks_off {
            return None;
        }
        let name = |cv: &CondvarCore| cv.meta().static_name().unwrap_or("a condition variable");
        match op {
            Op::Wait { cv, .. } | Op::Wake { cv, .. } | Op::Notify { cv, .. } if cv.is_inner() => {
                None
            }
            Op::Wait { cv, .. } => Some(Step::Wait(name(cv))),
            Op::Wake { cv, .. } => Some(Step::Wake(name(cv))),
            // A notify nobody waits for changes nothing: not a step.
            Op::Notify { cv, .. } if !cv.has_waiters() => None,
            Op::Notify { cv, all: false } => Some(Step::Notify(name(cv))),
            Op::Notify { cv, all: true } => Some(Step::NotifyAll(name(cv))),
            _ => None,
        }
    }

    /// The root task runs (to end the execution once every thread has finished).
    pub(crate) fn run_root(&mut self) {
        self.running = None;
    }

    /// What thread `thread` waits for, if it is blocked.
    pub(crate) fn why_blocked(&self, thread: usize) -> Option<crate::check::report::Blocked> {
        self.blocked().into_iter().find(|b| b.thread == thread)
    }

    /// Who waits for what, for every thread that has not finished (at a deadlock).
    pub(crate) fn blocked(&self) -> Vec<crate::check::report::Blocked> {
        use crate::check::report::{Blocked, WaitsFor};
        self.threads
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.finished)
            .map(|(number, t)| {
                let name = |meta: &ObjMeta| self.known_name(meta);
                let waits_for = match &t.next {
                    Next::Op(Declared {
                        op: Op::Lock(m), ..
                    }) => WaitsFor::Lock {
                        object: name(m.meta()),
                        holder: m.holder().and_then(|task| {
                            self.task_thread.get(usize::from(task)).copied().flatten()
                        }),
                    },
                    Next::Op(Declared {
                        op: Op::Wake { cv, mutex },
                        ..
                    }) => WaitsFor::Notify {
                        condvar: name(cv.meta()),
                        mutex: name(mutex.meta()),
                    },
                    Next::Op(Declared {
                        op: Op::Join { thread, .. },
                        ..
                    }) => WaitsFor::Join { thread: *thread },
                    _ if t.awaiting.is_some() => WaitsFor::Change {
                        objects: t
                            .awaiting
                            .iter()
                            .flatten()
                            .map(|&(o, _)| self.object_name(o).to_string())
                            .collect(),
                    },
                    _ => WaitsFor::Unknown,
                };
                Blocked {
                    thread: number,
                    waits_for,
                    note: t.note.clone(),
                }
            })
            .collect()
    }
}

fn op_event(op: &'static str, object: Option<Arc<str>>) -> What {
    What::Op {
        op,
        object,
        detail: Detail::None,
    }
}
