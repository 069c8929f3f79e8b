//! The tree of schedules: at every point of a run, what each thread would do if the
//! scheduler picked it — take a step (and where that leads) or be refused, and why.
//!
//! Every answer comes from the engine, not from a model of the scenario: the tree is built by
//! replaying each prefix with one more entry ([`replay_prefixes`], the same run as
//! `racelab replay`, stopped where the schedule ends),
//! so a learner who plays the tree in a browser sees exactly what the CLI would say.
//! `tests/teach/tree.rs` checks that its leaves are the explorer's interleavings, outcome by
//! outcome.

use super::catalogue::Scenario;
use super::outcome::EndState;
use super::replay::{Refusal, Replayed, replay, replay_prefixes};
use crate::check::Blocked;
use crate::checked::trace::Event;
use crate::step::Step;

/// The most leaves (complete runs) a tree is built with: about 300 KB of page, built in well
/// under a second at the default sizes.
pub const MAX_LEAVES: usize = 3_000;

/// What one thread would do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// It takes `step`, which leads to node `node`.
    Step {
        /// The step it takes.
        step: Step,
        /// The node after it.
        node: usize,
    },
    /// It cannot take a step here.
    Refused(Refusal),
}

/// A point of the run: what each thread would do next, and how the run ended if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// For each thread that takes steps (in [`Scenario::stepping_threads`] order): the thread
    /// and what it would do.
    pub next: Vec<(usize, Next)>,
    /// How the run ends here, if it does (the node is a leaf), with who waits for what in a
    /// deadlock.
    pub end: Option<(EndState, Vec<Blocked>)>,
}

/// The tree of schedules of a scenario; `nodes[0]` is the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    /// The scenario.
    pub scenario: Scenario,
    /// The nodes; a node's children come after it.
    pub nodes: Vec<Node>,
}

/// The scenario has more complete runs than a tree is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{scenario} at this size has more than {limit} schedules; a tree is built up to {limit}")]
pub struct TooLarge {
    /// The scenario's name.
    pub scenario: &'static str,
    /// The most leaves a tree is built with.
    pub limit: usize,
}

/// What each of `threads` does after each of `prefixes` (one run of the engine for all):
/// the replay of the prefix and the thread, or why it cannot go.
fn try_steps(
    scenario: Scenario,
    prefixes: &[Vec<usize>],
    threads: &[usize],
) -> Vec<Vec<Result<Replayed, Refusal>>> {
    let schedules: Vec<Vec<usize>> = prefixes
        .iter()
        .flat_map(|p| {
            threads.iter().map(move |&t| {
                let mut s = p.clone();
                s.push(t);
                s
            })
        })
        .collect();
    let mut answers = replay_prefixes(scenario, &schedules)
        .into_iter()
        .zip(&schedules)
        .map(|(r, schedule)| {
            let took_it = r.trace.len() == schedule.len()
                && matches!(r.refusal, None | Some(Refusal::StoppedEarly { .. }));
            if took_it {
                debug_assert_eq!(r.trace.last().map(|e| e.thread), schedule.last().copied());
                Ok(r)
            } else {
                Err(r
                    .refusal
                    .expect("a replay that did not take the step says why"))
            }
        });
    prefixes
        .iter()
        .map(|_| answers.by_ref().take(threads.len()).collect())
        .collect()
}

impl Tree {
    /// Builds the tree of `scenario`, or says it has more than `max_leaves` complete runs.
    /// Level by level: one run of the engine replays every node of a level.
    pub fn build(scenario: Scenario, max_leaves: usize) -> Result<Tree, TooLarge> {
        let too_large = TooLarge {
            scenario: scenario.kind().name(),
            limit: max_leaves,
        };
        let threads = scenario.stepping_threads();
        let mut nodes = vec![Node {
            next: Vec::new(),
            end: None,
        }];
        let mut leaves = 0;
        let mut level: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new())];
        while !level.is_empty() {
            let prefixes: Vec<Vec<usize>> = level.iter().map(|(_, p)| p.clone()).collect();
            let answers = try_steps(scenario, &prefixes, &threads);
            let mut next_level = Vec::new();
            for ((id, prefix), answers) in level.into_iter().zip(answers) {
                let mut next = Vec::with_capacity(threads.len());
                for (&thread, answer) in threads.iter().zip(answers) {
                    match answer {
                        Ok(r) => {
                            let child = nodes.len();
                            let step = r.trace.last().expect("the step taken").step;
                            let end = r.outcome.map(|o| (o, r.blocked));
                            if end.is_some() {
                                leaves += 1;
                                if leaves > max_leaves {
                                    return Err(too_large);
                                }
                            }
                            let mut longer = prefix.clone();
                            longer.push(thread);
                            // After a run that returned, every thread is refused the same
                            // way (the run is over): no need to replay it. A deadlock's
                            // refusals say who waits for what, so those are replayed.
                            let over = matches!(&end, Some((o, _)) if *o != EndState::Deadlock);
                            let refused = match over {
                                true => threads
                                    .iter()
                                    .map(|&t| {
                                        let step = longer.len() + 1;
                                        (t, Next::Refused(Refusal::Over { step }))
                                    })
                                    .collect(),
                                false => {
                                    next_level.push((child, longer));
                                    Vec::new()
                                }
                            };
                            nodes.push(Node { next: refused, end });
                            next.push((thread, Next::Step { step, node: child }));
                        }
                        Err(refusal) => next.push((thread, Next::Refused(refusal))),
                    }
                }
                nodes[id].next = next;
            }
            level = next_level;
        }
        Ok(Tree { scenario, nodes })
    }

    /// The leaves: every complete run, each with its outcome.
    pub fn leaves(&self) -> impl Iterator<Item = &EndState> + '_ {
        self.nodes
            .iter()
            .filter_map(|n| n.end.as_ref().map(|(o, _)| o))
    }

    /// The node a schedule leads to, if every entry takes a step.
    pub fn node_of(&self, schedule: &[usize]) -> Option<usize> {
        schedule.iter().try_fold(0, |id, &thread| {
            self.nodes[id].next.iter().find_map(|(t, next)| match next {
                Next::Step { node, .. } if *t == thread => Some(*node),
                _ => None,
            })
        })
    }
}

/// Along `trace`, before each step (and after the last), the threads that are blocked, each
/// with the refusal that says what it waits for.
pub fn waits_along(scenario: Scenario, trace: &[Event]) -> Vec<Vec<(usize, Refusal)>> {
    let threads = scenario.stepping_threads();
    let schedule: Vec<usize> = trace.iter().map(|e| e.thread).collect();
    let prefixes: Vec<Vec<usize>> = (0..=trace.len()).map(|i| schedule[..i].to_vec()).collect();
    try_steps(scenario, &prefixes, &threads)
        .into_iter()
        .enumerate()
        .map(|(i, answers)| {
            threads
                .iter()
                .zip(answers)
                .filter(|&(&t, _)| trace.get(i).is_none_or(|e| e.thread != t))
                .filter_map(|(&t, answer)| match answer {
                    Err(refusal @ Refusal::Blocked { .. }) => Some((t, refusal)),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// One complete run: at every point, the first thread (in number order) that can step.
pub fn first_run(scenario: Scenario) -> Vec<Event> {
    let threads = scenario.stepping_threads();
    let mut schedule = Vec::new();
    loop {
        let taken = try_steps(scenario, std::slice::from_ref(&schedule), &threads)
            .pop()
            .and_then(|answers| answers.into_iter().find_map(Result::ok));
        match taken {
            Some(r) if r.outcome.is_some() => return r.trace,
            Some(r) => schedule.push(r.trace.last().expect("the step taken").thread),
            None => return replay(scenario, &schedule).trace,
        }
    }
}
