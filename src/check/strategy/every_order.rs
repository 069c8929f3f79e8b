//! Every order of every operation, and every choice of which waiter a `notify_one` wakes: a
//! depth-first search over the decisions of an execution, with no reduction but one that is
//! sound by inspection (an operation that touches nothing shared — a thread's start, a
//! spawn, a join, a yield — is taken at once, as it commutes with everything). The
//! brute-force baseline the graph search is checked and measured against (far slower; for
//! small programs only).

use super::{Point, Strategy};

#[derive(Debug)]
struct Node {
    options: Vec<usize>,
    at: usize,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct EveryOrder {
    stack: Vec<Node>,
    depth: usize,
    started: bool,
    /// Set when replaying a prefix found other choices than before.
    pub(crate) nondeterminism: Option<String>,
}

impl EveryOrder {
    pub(crate) fn new() -> Self {
        EveryOrder::default()
    }

    fn decide(&mut self, options: Vec<usize>) -> Option<usize> {
        if let Some(node) = self.stack.get(self.depth) {
            self.depth += 1;
            if node.options != options {
                self.nondeterminism.get_or_insert_with(|| {
                    "replaying a prefix, the choices changed: the body does something racelab \
                     does not control (time, randomness, a HashMap's order, std::sync, I/O)"
                        .to_string()
                });
                return None;
            }
            return Some(node.options[node.at]);
        }
        let first = *options.first()?;
        self.stack.push(Node { options, at: 0 });
        self.depth += 1;
        Some(first)
    }
}

impl Strategy for EveryOrder {
    fn new_execution(&mut self) -> bool {
        self.depth = 0;
        if !self.started {
            self.started = true;
            return true;
        }
        while let Some(top) = self.stack.last_mut() {
            if top.at + 1 < top.options.len() {
                top.at += 1;
                return true;
            }
            self.stack.pop();
        }
        false
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        // An operation that touches nothing shared commutes with every other: taking it
        // first loses no order that matters (and keeps the baseline small enough to use).
        if let Some(t) = point.enabled().find(|&t| point.views[t].local) {
            return Some(t);
        }
        // The running thread first: fewest switches first.
        let mut options: Vec<usize> = point
            .current
            .filter(|&c| point.views.get(c).is_some_and(|v| v.enabled))
            .into_iter()
            .collect();
        options.extend(point.enabled().filter(|&t| Some(t) != point.current));
        self.decide(options)
    }

    fn choose_value(&mut self, n: usize) -> usize {
        self.decide((0..n).collect()).unwrap_or(0)
    }

    fn fail_spuriously(&mut self) -> bool {
        self.decide(vec![0, 1]) == Some(1)
    }
}
