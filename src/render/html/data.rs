//! The data the be-the-scheduler and the tree of schedules play (`page.js`): the tree the
//! engine recorded ([`Tree`]), with its steps, refusal reasons and outcomes interned in
//! tables so that a node is a few numbers.

use std::collections::HashMap;

use serde::Serialize;

use crate::check::Verdict;
use crate::render::json::{JsonOutcome, exploration_json};
use crate::render::teach::refusal_reason;
use crate::step::Step;
use crate::teach::explore::Exploration;
use crate::teach::replay::Refusal;
use crate::teach::tree::{Next, Tree};
use crate::teach::{EndState, Scenario};

/// The data the page's script plays: the tree, with steps, reasons and outcomes in tables.
#[derive(Serialize)]
pub(super) struct Data {
    scenario: &'static str,
    size_args: String,
    threads: Vec<DataThread>,
    steps: Vec<DataStep>,
    reasons: Vec<DataReason>,
    outcomes: Vec<DataOutcome>,
    /// Per node: `[outcome or -1, [thread, step, child, ...], [thread, reason, ...]]`.
    nodes: Vec<(i64, Vec<usize>, Vec<usize>)>,
    /// Where the scheduler starts (a replay's schedule).
    start: Vec<usize>,
    /// The exploration's JSON (what `--format json` prints), when explored.
    exploration: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct DataThread {
    id: usize,
    name: String,
    /// How a schedule names it (`main`, `1`, `P`).
    token: String,
    /// The key shown on its button (`0` for main, `P` for the Producer).
    key: String,
    /// The keys that pick it.
    keys: Vec<String>,
}

#[derive(Serialize)]
struct DataStep {
    text: String,
    python: String,
}

#[derive(Serialize)]
struct DataReason {
    text: String,
    blocked: bool,
}

#[derive(Serialize)]
struct DataOutcome {
    label: JsonOutcome,
    text: String,
    verdict: &'static str,
    explanation: Option<String>,
}

/// Interns values into a table, giving each its index.
struct Interner<K> {
    index: HashMap<K, usize>,
}

impl<K: std::hash::Hash + Eq + Clone> Interner<K> {
    fn new() -> Self {
        Interner {
            index: HashMap::new(),
        }
    }

    /// The index of `key`, and whether it is new.
    fn get(&mut self, key: &K) -> (usize, bool) {
        let n = self.index.len();
        match self.index.get(key) {
            Some(&i) => (i, false),
            None => {
                self.index.insert(key.clone(), n);
                (n, true)
            }
        }
    }
}

pub(super) fn data(s: &Scenario, tree: &Tree, start: &[usize], e: Option<&Exploration>) -> Data {
    let mut steps: Vec<DataStep> = Vec::new();
    let mut step_ids: Interner<Step> = Interner::new();
    let mut reasons: Vec<DataReason> = Vec::new();
    let mut reason_ids: Interner<String> = Interner::new();
    let mut outcomes: Vec<DataOutcome> = Vec::new();
    let mut outcome_ids: Interner<EndState> = Interner::new();
    let nodes = tree
        .nodes
        .iter()
        .map(|node| {
            let end = match &node.end {
                None => -1,
                Some((o, _)) => {
                    let (i, new) = outcome_ids.get(o);
                    if new {
                        let verdict = s.verdict(o);
                        outcomes.push(DataOutcome {
                            label: o.into(),
                            text: outcome_words(o),
                            verdict: match verdict {
                                Verdict::Acceptable => "acceptable",
                                Verdict::Forbidden => "forbidden",
                            },
                            explanation: (verdict == Verdict::Forbidden).then(|| s.explain(o)),
                        });
                    }
                    i as i64
                }
            };
            let mut moves = Vec::new();
            let mut refused = Vec::new();
            for (thread, next) in &node.next {
                match next {
                    Next::Step { step, node } => {
                        let (i, new) = step_ids.get(step);
                        if new {
                            steps.push(DataStep {
                                text: step.to_string(),
                                python: s.python_line(step),
                            });
                        }
                        moves.extend([*thread, i, *node]);
                    }
                    Next::Refused(refusal) => {
                        let text = refusal_reason(s, refusal);
                        let (i, new) = reason_ids.get(&text);
                        if new {
                            reasons.push(DataReason {
                                text,
                                blocked: matches!(refusal, Refusal::Blocked { .. }),
                            });
                        }
                        refused.extend([*thread, i]);
                    }
                }
            }
            (end, moves, refused)
        })
        .collect();
    Data {
        scenario: s.kind().name(),
        size_args: s.size_args(),
        threads: s
            .stepping_threads()
            .into_iter()
            .map(|t| {
                let mut keys = vec![t.to_string()];
                if t == 0 {
                    keys.push("m".to_string());
                }
                if Some(t) == s.producer() {
                    keys.push("p".to_string());
                }
                DataThread {
                    id: t,
                    name: s.thread_name(t),
                    token: s.schedule_token(t),
                    key: if t == 0 {
                        "0".to_string()
                    } else {
                        s.schedule_token(t)
                    },
                    keys,
                }
            })
            .collect(),
        steps,
        reasons,
        outcomes,
        nodes,
        start: start.to_vec(),
        exploration: e.and_then(|e| serde_json::from_str(&exploration_json(e)).ok()),
    }
}

/// "End value: 1" for a counter, the label otherwise.
pub(super) fn outcome_words(o: &EndState) -> String {
    match o {
        EndState::Value(v) => format!("End value: {v}"),
        other => other.to_string(),
    }
}
