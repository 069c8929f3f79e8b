//! Exhaustive exploration at every operation, with dynamic partial-order reduction.
//!
//! Two executions that differ only in the order of operations that do not conflict (see
//! [`crate::check::rt::op`]) reach the same state, so only one of them needs to run. DPOR
//! (Flanagan and Godefroid, POPL 2005) finds the orders that *can* differ as it goes: after
//! each step it looks for a **race**, an earlier step of another thread that conflicts with
//! some thread's next operation and is not ordered before it by happens-before
//! ([`crate::check::rt::clock`]). A race means the other order is possible, so the thread is
//! added to the *backtrack set* of the state before that earlier step, and will be tried
//! there in a later execution. Sleep sets (Godefroid 1996) skip, at each state, the threads
//! whose next operation was already explored from an earlier sibling and is independent of
//! what ran since.
//!
//! The search is stateless: each execution replays the choices of the previous one up to the
//! deepest state with a thread left to try, then tries it. It has explored every order that
//! can make a difference when no such state is left. The first choice at a new state keeps
//! the running thread when it can (fewest thread switches first).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Point, Strategy};
use crate::check::rt::engine::RawEnding;
use crate::check::rt::op::Footprint;

/// The most threads DPOR tracks (thread sets are bit masks).
pub(crate) const MAX_THREADS: usize = 64;

#[derive(Debug, Clone)]
struct Node {
    /// Threads that could run at this state.
    enabled: u64,
    /// Where this state's footprints start in [`Dpor::footprints`] (one per thread).
    footprints: usize,
    /// The thread run from this state in the current execution.
    chosen: usize,
    /// Threads to run from this state.
    backtrack: u64,
    /// Threads run from this state so far.
    done: u64,
    /// Threads whose next operation need not be run from this state.
    sleep: u64,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct Dpor {
    /// Without reduction every order of every operation is run (the baseline to check the
    /// reduction against, and to measure what it saves).
    reduce: bool,
    stack: Vec<Node>,
    /// Each thread's next operation at each state of the stack, one run of entries per
    /// state (kept in one vector, not one allocation per step).
    footprints: Vec<Option<Footprint>>,
    started: bool,
    /// Executions cut short because every thread that could run was asleep.
    pub(crate) sleep_blocked: usize,
    /// Set when a replayed prefix did not behave as before: the body is not deterministic.
    pub(crate) nondeterminism: Option<String>,
    /// With a seed, choices are tried in a random order (the same set, in another order).
    rng: Option<Pcg64Mcg>,
}

fn bit(thread: usize) -> u64 {
    1 << thread
}

fn threads(mask: u64) -> impl Iterator<Item = usize> {
    (0..MAX_THREADS).filter(move |t| mask & bit(*t) != 0)
}

impl Dpor {
    pub(crate) fn new() -> Self {
        Dpor {
            reduce: true,
            ..Dpor::default()
        }
    }

    /// Like [`new`](Self::new), trying the choices at each state in an order drawn from
    /// `seed`: the same executions are explored, in another order.
    pub(crate) fn shuffled(seed: u64) -> Self {
        Dpor {
            rng: Some(Pcg64Mcg::seed_from_u64(seed)),
            ..Dpor::new()
        }
    }

    /// One of the threads in `mask` (not empty): the lowest, or a random one when shuffled.
    fn pick(&mut self, mask: u64) -> usize {
        match &mut self.rng {
            None => threads(mask).next().expect("a thread to pick"),
            Some(rng) => {
                let n = mask.count_ones() as usize;
                threads(mask)
                    .nth(rng.gen_range(0..n))
                    .expect("a thread to pick")
            }
        }
    }

    /// Every order of every operation, with no reduction at all.
    pub(crate) fn without_reduction() -> Self {
        Dpor::default()
    }

    /// Adds the backtrack points for every race with a thread's next operation at `point`.
    fn analyze(&mut self, point: &Point<'_>) {
        for (p, view) in point.views.iter().enumerate() {
            let Some(footprint) = view.footprint else {
                continue;
            };
            if let Some(i) = point.hb.latest_race(p, &footprint) {
                self.add_backtrack(i, p, point);
            }
        }
    }

    /// Step `i` races with thread `p`'s next operation: try `p` (or a thread that leads to
    /// it) from the state before step `i`.
    fn add_backtrack(&mut self, i: usize, p: usize, point: &Point<'_>) {
        let Some(node) = self.stack.get(i) else {
            return;
        };
        if node.enabled & bit(p) != 0 {
            self.stack[i].backtrack |= bit(p);
            return;
        }
        // p could not run there: try a thread whose later step happens before p's operation.
        let first = point.hb.first_steps_after(i, point.views.len());
        let leads_to_p = threads(node.enabled)
            .filter(|&q| {
                first
                    .get(q)
                    .copied()
                    .flatten()
                    .is_some_and(|j| point.hb.happens_before(j, p))
            })
            .fold(0, |mask, q| mask | bit(q));
        let node = &mut self.stack[i];
        if leads_to_p & node.backtrack != 0 {
            return;
        }
        node.backtrack |= match threads(leads_to_p).next() {
            Some(q) => bit(q),
            None => node.enabled,
        };
    }
}

impl Strategy for Dpor {
    fn new_execution(&mut self) -> bool {
        if !self.started {
            self.started = true;
            return true;
        }
        while let Some(top) = self.stack.last() {
            let todo = top.backtrack & !top.done & !top.sleep;
            if todo != 0 {
                let t = self.pick(todo);
                let top = self.stack.last_mut().expect("just seen");
                top.done |= bit(t);
                top.chosen = t;
                return true;
            }
            let top = self.stack.pop().expect("the loop saw it");
            self.footprints.truncate(top.footprints);
        }
        false
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        assert!(
            point.views.len() <= MAX_THREADS,
            "racelab explores at most {MAX_THREADS} threads"
        );
        let depth = point.depth();
        let enabled = point.enabled().fold(0, |mask, t| mask | bit(t));
        if let Some(node) = self.stack.get(depth) {
            if node.enabled != enabled && self.nondeterminism.is_none() {
                self.nondeterminism = Some(format!(
                    "replaying step {}, the threads that could run changed: the body does something \
                     racelab does not control (time, randomness, a HashMap's order, std::sync)",
                    depth + 1
                ));
            }
            return (enabled & bit(node.chosen) != 0).then_some(node.chosen);
        }
        if !self.reduce {
            let chosen = point
                .current
                .filter(|&c| enabled & bit(c) != 0)
                .or_else(|| threads(enabled).next())?;
            self.stack.push(Node {
                enabled,
                footprints: self.footprints.len(),
                chosen,
                backtrack: enabled,
                done: bit(chosen),
                sleep: 0,
            });
            return Some(chosen);
        }
        let sleep = match depth.checked_sub(1).and_then(|d| self.stack.get(d)) {
            None => 0,
            Some(parent) => {
                let fps = &self.footprints[parent.footprints..];
                let ran = fps[parent.chosen].unwrap_or(Footprint::Global);
                let asleep = parent.sleep | (parent.done & !bit(parent.chosen));
                threads(asleep)
                    .filter(|&t| {
                        fps.get(t)
                            .copied()
                            .flatten()
                            .is_some_and(|fp| !fp.conflicts(&ran))
                    })
                    .fold(0, |mask, t| mask | bit(t))
            }
        };
        self.analyze(point);
        let candidates = enabled & !sleep;
        if candidates == 0 {
            self.sleep_blocked += 1;
            return None;
        }
        let chosen = match point.current.filter(|&c| candidates & bit(c) != 0) {
            Some(current) if self.rng.is_none() => current,
            _ => self.pick(candidates),
        };
        let start = self.footprints.len();
        self.footprints
            .extend(point.views.iter().map(|v| v.footprint));
        self.stack.push(Node {
            enabled,
            footprints: start,
            chosen,
            backtrack: bit(chosen),
            done: bit(chosen),
            sleep,
        });
        Some(chosen)
    }

    fn ended(&mut self, point: &Point<'_>, _ending: &RawEnding) {
        if self.reduce {
            self.analyze(point);
        }
    }
}
