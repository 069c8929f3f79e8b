//! Depth-first search over branch points: every choice at every branch point, once.

use super::engine::{Chooser, NullChoice};
use super::trace::{Event, Recorder};

/// Whether choices that take no step may be abandoned (see [`super::engine`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pruning {
    /// No: explore every choice. Needed when a waiting thread changes what others see,
    /// as with a condition waited on with `if`: whoever waits gets the notify.
    Off,
    /// Yes, for a thread that blocked at once: sound when every waiter re-checks its
    /// condition after waking (the core's Lock and TaskQueue), so being a waiter is
    /// invisible.
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
#[derive(Debug)]
pub struct Dfs {
    stack: Vec<Node>,
    depth: usize,
    started: bool,
    pruning: Pruning,
    max_executions: usize,
    /// Executions started (completed, abandoned or deadlocked).
    pub executions: usize,
    /// Executions abandoned at a null choice.
    pub abandoned: usize,
    /// The trace of each execution that deadlocked.
    pub deadlocks: Vec<Vec<Event>>,
    /// Whether the search stopped at `max_executions` with branches left.
    pub exceeded: bool,
}

impl Dfs {
    /// A search of at most `max_executions` executions; a choice that takes no step is
    /// abandoned, as `pruning` allows, when another choice at its branch point remains.
    pub fn new(max_executions: usize, pruning: Pruning) -> Self {
        Dfs {
            stack: Vec::new(),
            depth: 0,
            started: false,
            pruning,
            max_executions,
            executions: 0,
            abandoned: 0,
            deadlocks: Vec::new(),
            exceeded: false,
        }
    }

    fn backtrack(&mut self) {
        self.stack.truncate(self.depth);
        while let Some(top) = self.stack.last_mut() {
            if top.current + 1 < top.options.len() {
                top.current += 1;
                return;
            }
            self.stack.pop();
        }
    }
}

impl Chooser for Dfs {
    fn new_execution(&mut self) -> bool {
        if self.started {
            self.backtrack();
            if self.stack.is_empty() {
                return false;
            }
        }
        if self.executions >= self.max_executions {
            self.exceeded = true;
            return false;
        }
        self.started = true;
        self.executions += 1;
        self.depth = 0;
        true
    }

    fn choose(&mut self, k: usize, options: &[usize], _recorder: &Recorder) -> Option<usize> {
        self.depth = k + 1;
        match self.stack.get(k) {
            Some(node) => {
                debug_assert_eq!(node.options, options, "the scenario is not deterministic");
                Some(node.options[node.current])
            }
            None => {
                self.stack.push(Node {
                    options: options.to_vec(),
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

    fn null_choice(
        &mut self,
        k: usize,
        _thread: usize,
        finished: bool,
        _recorder: &Recorder,
    ) -> NullChoice {
        let node = &self.stack[k];
        let may_prune = self.pruning == Pruning::Blocked && !finished;
        if may_prune && (node.current + 1 < node.options.len() || node.productive) {
            self.abandoned += 1;
            NullChoice::Abandon
        } else {
            NullChoice::Continue
        }
    }

    fn deadlock(&mut self, recorder: &Recorder) {
        self.deadlocks.push(recorder.snapshot());
    }
}
