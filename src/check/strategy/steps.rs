//! Exploring at the granularity a learner sees: threads switch only at marked steps.
//!
//! Switching at every operation explores 10× to 100,000× more executions than there are
//! distinct interleavings of a program's marked steps (its reads and writes, its puts and
//! gets). When *every* piece of shared state is marked, as in racelab's own scenarios, the
//! operations between two marks cannot matter to anyone else, and switching only at marks is
//! exact: one execution per distinct interleaving, which is what the teaching tables count.
//! (For code whose shared state is not all marked this would miss bugs: use
//! the exhaustive graph search, racelab's default.)
//!
//! * **startup**: `main` runs alone until it first blocks (it spawns every thread, then
//!   joins), so every thread exists before anyone takes a step; then each thread runs up to
//!   its first mark (priming: nothing it does before a mark matters to the others);
//! * **branch points**: whenever the running thread is about to take a marked step, or
//!   cannot go on, the [`Chooser`] picks which thread takes the next step; every other
//!   thread is then paused right before a marked step of its own;
//! * **in between**, the chosen thread runs on through unmarked operations (mutex hand-offs,
//!   condition variables) until its next mark;
//! * **null choices**: a thread chosen at a branch point may block before taking its step.
//!   Where being blocked is invisible to the other threads, the interleavings after it are
//!   also reached by choosing another thread there, so the chooser may abandon that
//!   execution ([`NullChoice::Abandon`]). Better still, a thread whose next step is a
//!   blocking acquire of a lock that is held (racelab's `Lock` says so:
//!   [`crate::check::mark::intend`]) is not offered at all where such choices may be pruned.

use super::{Point, Strategy};
use crate::check::rt::engine::Granularity;

/// The main thread's number.
pub(crate) const MAIN: usize = 0;

/// What to do when the thread chosen at a branch point took no step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NullChoice {
    /// Stop this execution: its interleavings are reached another way.
    Abandon,
    /// Go on with the first thread that can run.
    Continue,
}

/// Decides at branch points (see the module docs).
pub(crate) trait Chooser {
    /// Picks the thread for the `k`-th branch point of this execution among `options`
    /// (thread numbers, sorted, at least two unless [`wants_every_choice`]); `None` stops.
    ///
    /// [`wants_every_choice`]: Chooser::wants_every_choice
    fn choose(&mut self, k: usize, options: &[usize], point: &Point<'_>) -> Option<usize>;
    /// The thread chosen at branch point `k` blocked (or finished) before taking a step.
    fn null_choice(&mut self, k: usize, thread: usize, finished: bool) -> NullChoice;
    /// The thread chosen at branch point `k` took a step.
    fn productive_choice(&mut self, _k: usize) {}
    /// A new execution starts; `false` ends the exploration.
    fn new_execution(&mut self) -> bool;
    /// Whether to be asked also when only one thread can take the next step.
    fn wants_every_choice(&self) -> bool {
        false
    }
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    branch: usize,
    thread: usize,
    marks_before: usize,
}

/// The step-level strategy around a [`Chooser`] (see the module docs).
#[derive(Debug)]
pub(crate) struct Steps<C> {
    pub(crate) chooser: C,
    main_has_steps: bool,
    main_blocked: bool,
    branch: usize,
    pending: Option<Pending>,
}

impl<C: Chooser> Steps<C> {
    /// `main_has_steps`: main is a candidate at branch points after startup (for programs
    /// whose main thread takes marked steps of its own).
    pub(crate) fn new(chooser: C, main_has_steps: bool) -> Self {
        Steps {
            chooser,
            main_has_steps,
            main_blocked: false,
            branch: 0,
            pending: None,
        }
    }
}

impl<C: Chooser> Strategy for Steps<C> {
    fn granularity(&self) -> Granularity {
        Granularity::Marks
    }

    fn new_execution(&mut self) -> bool {
        if !self.chooser.new_execution() {
            return false;
        }
        self.main_blocked = false;
        self.branch = 0;
        self.pending = None;
        true
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        if point.marks_off {
            // What follows the lesson runs in one fixed order.
            self.pending = None;
            return point.enabled().next();
        }
        let views = point.views;
        // Did the thread chosen at the last branch point take its step yet?
        if let Some(p) = self.pending {
            if point.marks > p.marks_before {
                self.chooser.productive_choice(p.branch);
                self.pending = None;
            } else if point.current == Some(p.thread) && views[p.thread].enabled {
                return Some(p.thread); // still on its way to its step
            } else {
                self.pending = None;
                let view = &views[p.thread];
                let finished = view.finished || (!view.enabled && view.done_marking);
                if self.chooser.null_choice(p.branch, p.thread, finished) == NullChoice::Abandon {
                    return None;
                }
            }
        }
        // Startup: main alone until it first blocks.
        if !self.main_blocked {
            if views.get(MAIN).is_some_and(|v| v.enabled) {
                return Some(MAIN);
            }
            self.main_blocked = true;
        }
        // Priming, before the first branch point: every thread runs up to its first mark.
        // What it does before is unmarked, so invisible to the others; after it, every
        // candidate's next step is known, a lock it is about to wait for included.
        if self.branch == 0 {
            if let Some(t) = point
                .enabled()
                .find(|&t| t != MAIN && !views[t].at_mark && !views[t].finished)
            {
                return Some(t);
            }
        }
        let candidates: Vec<usize> = point
            .enabled()
            .filter(|&t| t != MAIN || self.main_has_steps)
            .collect();
        match candidates.as_slice() {
            [] => return point.enabled().next(),
            [only] if !self.chooser.wants_every_choice() => return Some(*only),
            _ => {}
        }
        let k = self.branch;
        self.branch += 1;
        let thread = self.chooser.choose(k, &candidates, point)?;
        self.pending = Some(Pending {
            branch: k,
            thread,
            marks_before: point.marks,
        });
        Some(thread)
    }
}

/// Whether choices that take no step may be abandoned (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pruning {
    /// No: explore every choice. Needed when a waiting thread changes what others see, as
    /// with a condition waited on with `if`: whoever waits gets the notify.
    Off,
    /// Yes, for a thread that blocked at once: sound when every waiter re-checks its
    /// condition after waking (racelab's Lock and TaskQueue), so being a waiter is invisible.
    Blocked,
}

#[derive(Debug)]
struct Node {
    options: Vec<usize>,
    current: usize,
    /// Some option explored at this node took a step.
    productive: bool,
}

/// A [`Chooser`] that enumerates every sequence of choices, depth first.
///
/// At each new branch point it tries the threads in number order, or — when hunting for a
/// first bug ([`StepDfs::switching_first`]) — starting with the thread after the one that
/// ran last, so that the first executions switch threads at every step: most races show in
/// the first execution that interleaves two threads' steps. Either order reaches every
/// sequence of choices.
#[derive(Debug)]
pub(crate) struct StepDfs {
    stack: Vec<Node>,
    depth: usize,
    started: bool,
    pruning: Pruning,
    switching_first: bool,
    /// Executions abandoned at a null choice.
    pub(crate) abandoned: usize,
}

impl StepDfs {
    /// A search that abandons, as `pruning` allows, a choice that takes no step when another
    /// choice at its branch point remains.
    pub(crate) fn new(pruning: Pruning) -> Self {
        StepDfs {
            stack: Vec::new(),
            depth: 0,
            started: false,
            pruning,
            switching_first: false,
            abandoned: 0,
        }
    }

    /// The same search, trying first at each branch point the threads after the one that
    /// ran last (see the type's docs).
    pub(crate) fn switching_first(pruning: Pruning) -> Self {
        StepDfs {
            switching_first: true,
            ..StepDfs::new(pruning)
        }
    }

    /// `options` in the order this search tries them, given the thread that ran last.
    fn order(&self, options: &[usize], last: Option<usize>) -> Vec<usize> {
        let mut ordered = options.to_vec();
        if let (true, Some(last)) = (self.switching_first, last) {
            // Threads after `last` first, then the wrap-around, `last` itself at the end.
            ordered.sort_by_key(|&t| (t <= last, t));
        }
        ordered
    }
}

impl Chooser for StepDfs {
    fn new_execution(&mut self) -> bool {
        if self.started {
            self.stack.truncate(self.depth);
            loop {
                match self.stack.last_mut() {
                    None => return false,
                    Some(top) if top.current + 1 < top.options.len() => {
                        top.current += 1;
                        break;
                    }
                    Some(_) => {
                        self.stack.pop();
                    }
                }
            }
        }
        self.started = true;
        self.depth = 0;
        true
    }

    fn choose(&mut self, k: usize, options: &[usize], point: &Point<'_>) -> Option<usize> {
        self.depth = k + 1;
        // A thread that would only wait for a held lock is a choice the pruning would
        // abandon at once: skip it, unless every thread would (then one must block).
        let options = match self.pruning {
            Pruning::Blocked => {
                let free: Vec<usize> = options
                    .iter()
                    .copied()
                    .filter(|&t| !point.views[t].waits_for_held_lock)
                    .collect();
                if free.is_empty() {
                    options.to_vec()
                } else {
                    free
                }
            }
            Pruning::Off => options.to_vec(),
        };
        let options = self.order(&options, point.current);
        match self.stack.get(k) {
            Some(node) => {
                debug_assert_eq!(node.options, options, "the scenario is not deterministic");
                Some(node.options[node.current])
            }
            None => {
                self.stack.push(Node {
                    options: options.clone(),
                    current: 0,
                    productive: false,
                });
                Some(options[0])
            }
        }
    }

    fn productive_choice(&mut self, k: usize) {
        if let Some(node) = self.stack.get_mut(k) {
            node.productive = true;
        }
    }

    fn null_choice(&mut self, k: usize, _thread: usize, finished: bool) -> NullChoice {
        let node = &self.stack[k];
        // A bug hunt goes on from a blocked choice rather than spend an execution: it
        // explores more, never less, and the blocked thread often is the bug.
        let may_prune = self.pruning == Pruning::Blocked && !finished && !self.switching_first;
        if may_prune && (node.current + 1 < node.options.len() || node.productive) {
            self.abandoned += 1;
            NullChoice::Abandon
        } else {
            NullChoice::Continue
        }
    }
}
