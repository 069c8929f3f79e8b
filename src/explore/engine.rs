//! Scheduling at the granularity a learner sees: threads switch only at recorded steps.
//!
//! shuttle's own schedulers may switch threads at every synchronisation primitive, which
//! for the counter explores 10× to 100,000× more executions than there are distinct
//! interleavings of its reads and writes. [`StepScheduler`] switches only where it matters:
//!
//! * **startup**: the main thread runs alone until it first blocks (it spawns every
//!   scenario thread, then joins), so every thread exists before anyone takes a step;
//! * **branch points**: whenever the running thread is about to take a step (the core calls
//!   its observer's `before_step`, where [`Recorder::switching_around`] yields) or cannot go
//!   on (it blocked or finished), the [`Chooser`] picks which runnable thread takes the next
//!   step. Every other thread is then paused right before a step of its own, so the choice
//!   *is* the choice of the next step; an operation and its report are never separated;
//! * **in between**, the chosen thread runs on through invisible work (mutex hand-offs,
//!   condition variables) until it reaches its next step;
//! * **null choices**: a thread chosen at a branch point may block (a held lock, an empty
//!   queue) before taking its step. Where being blocked is invisible to the other threads,
//!   the interleavings after it are also reached by choosing another thread there, so the
//!   chooser may abandon that execution ([`NullChoice::Abandon`]). This pruning, together
//!   with branching only before steps, brings the cost near one execution per distinct
//!   interleaving;
//! * **deadlock**: the explorer runs an idle watchdog task that is scheduled only when no
//!   other task can run. If that happens before the scenario has finished, every scenario
//!   thread is blocked: a deadlock, reported to the chooser instead of panicking.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};

use super::trace::Recorder;

/// The task id of the main thread.
pub const MAIN: usize = 0;
/// The task id of the watchdog, the first task the explorer spawns.
pub const WATCHDOG: usize = 1;

/// What to do when the thread chosen at a branch point took no step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullChoice {
    /// Stop this execution: its interleavings are reached another way.
    Abandon,
    /// Go on with the first runnable thread.
    Continue,
}

/// Decides at branch points (see the module docs).
pub trait Chooser {
    /// Picks the thread for the `k`-th branch point of this execution among `options`
    /// (scenario thread numbers, sorted, at least two); `None` stops the execution.
    fn choose(&mut self, k: usize, options: &[usize], recorder: &Recorder) -> Option<usize>;
    /// The thread chosen at branch point `k` blocked (or finished) before taking a step.
    fn null_choice(
        &mut self,
        k: usize,
        thread: usize,
        finished: bool,
        recorder: &Recorder,
    ) -> NullChoice;
    /// The thread chosen at branch point `k` took a step.
    fn productive_choice(&mut self, _k: usize) {}
    /// Every scenario thread is blocked.
    fn deadlock(&mut self, recorder: &Recorder);
    /// A new execution starts; `false` ends the exploration.
    fn new_execution(&mut self) -> bool;
    /// Whether to be asked also when only one thread can take the next step (a replay
    /// follows a schedule step by step).
    fn wants_every_choice(&self) -> bool {
        false
    }
}

/// The shuttle [`Scheduler`] that drives a [`Chooser`] (see the module docs).
#[derive(Debug)]
pub struct StepScheduler<C> {
    chooser: C,
    recorder: Recorder,
    done: Arc<AtomicBool>,
    main_has_steps: bool,
    // Per execution:
    main_blocked: bool,
    branch: usize,
    pending: Option<Pending>,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    branch: usize,
    task: TaskId,
    steps_before: usize,
}

impl<C: Chooser> StepScheduler<C> {
    /// A scheduler over executions recorded by `recorder`; `done` is set by the execution
    /// once the scenario has finished; `main_has_steps` makes main a candidate at branch
    /// points after startup (for scenarios whose main thread takes steps).
    pub fn new(
        chooser: C,
        recorder: Recorder,
        done: Arc<AtomicBool>,
        main_has_steps: bool,
    ) -> Self {
        StepScheduler {
            chooser,
            recorder,
            done,
            main_has_steps,
            main_blocked: false,
            branch: 0,
            pending: None,
        }
    }

    /// The chooser, to read its results.
    pub fn chooser(&self) -> &C {
        &self.chooser
    }

    fn thread(&self, task: TaskId) -> usize {
        self.recorder.thread_of(usize::from(task))
    }

    fn task(&self, thread: usize, runnable: &[TaskId]) -> TaskId {
        *runnable
            .iter()
            .find(|t| self.thread(**t) == thread && usize::from(**t) != WATCHDOG)
            .expect("the chooser picked a runnable thread")
    }
}

impl<C: Chooser> Scheduler for StepScheduler<C> {
    fn new_execution(&mut self) -> Option<Schedule> {
        if !self.chooser.new_execution() {
            return None;
        }
        self.recorder.clear();
        self.done.store(false, Ordering::SeqCst);
        self.main_blocked = false;
        self.branch = 0;
        self.pending = None;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let runnable: Vec<TaskId> = runnable.iter().map(|t| t.id()).collect();
        let is_runnable = |task: usize| runnable.iter().any(|t| usize::from(*t) == task);
        let main = TaskId::from(MAIN);
        let scenario_done = self.done.load(Ordering::SeqCst);

        // Did the thread chosen at the last branch point take its step yet?
        if let Some(p) = self.pending {
            if self.recorder.len() > p.steps_before {
                self.chooser.productive_choice(p.branch);
                self.pending = None;
            } else if current == Some(p.task) && runnable.contains(&p.task) {
                return Some(p.task); // still on its way to its step
            } else {
                self.pending = None;
                let thread = self.thread(p.task);
                let finished = !runnable.contains(&p.task) && self.recorder.is_finished(thread);
                if self
                    .chooser
                    .null_choice(p.branch, thread, finished, &self.recorder)
                    == NullChoice::Abandon
                {
                    return None;
                }
            }
        }

        // Startup: main alone until it first blocks.
        if !self.main_blocked {
            if is_runnable(MAIN) && !scenario_done {
                return Some(main);
            }
            self.main_blocked = true;
        }

        let candidates: Vec<TaskId> = runnable
            .iter()
            .copied()
            .filter(|t| {
                let id = usize::from(*t);
                id != WATCHDOG && (id != MAIN || self.main_has_steps)
            })
            .collect();
        if candidates.is_empty() {
            if is_runnable(MAIN) {
                return Some(main);
            }
            if !scenario_done {
                self.chooser.deadlock(&self.recorder);
                return None;
            }
            return runnable.first().copied(); // the watchdog, to let it exit
        }

        // The running thread goes on until it is about to take a step (it yields) or
        // cannot go on (it blocked or finished): then the next step is somebody's choice.
        if !is_yielding && current.is_some_and(|c| candidates.contains(&c)) {
            return current;
        }
        if candidates.len() == 1 && !self.chooser.wants_every_choice() {
            return Some(candidates[0]);
        }
        let options: Vec<usize> = candidates.iter().map(|t| self.thread(*t)).collect();
        let k = self.branch;
        self.branch += 1;
        let thread = self.chooser.choose(k, &options, &self.recorder)?;
        let task = self.task(thread, &candidates);
        self.pending = Some(Pending {
            branch: k,
            task,
            steps_before: self.recorder.len(),
        });
        Some(task)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
