//! JSON for programs: explorations, replays and stress runs.

use serde::Serialize;

use crate::checked::trace::Event;
use crate::teach::explore::Exploration;
use crate::teach::replay::Replayed;
use crate::teach::{EndState, Scenario};

/// A JSON outcome: the final value as a number, anything else as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum JsonOutcome {
    /// A final value.
    Value(usize),
    /// A label (or "deadlock").
    Label(String),
}

impl From<&EndState> for JsonOutcome {
    fn from(o: &EndState) -> Self {
        match o {
            EndState::Value(v) => JsonOutcome::Value(*v),
            other => JsonOutcome::Label(other.to_string()),
        }
    }
}

/// One row of `outcomes` in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct JsonRow {
    /// The outcome.
    pub outcome: JsonOutcome,
    /// Interleavings that ended with it.
    pub interleavings: usize,
    /// "acceptable" or "forbidden".
    pub verdict: &'static str,
}

/// One step of a witness in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct JsonStep {
    /// 1 for Thread1 (0 for main).
    pub thread: usize,
    /// The kind of step ("read", "write", "acquire", ...).
    pub step: &'static str,
    /// The value or ticket it carries, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<usize>,
    /// The step as text ("read 0").
    pub text: String,
    /// The line of the tutorial's Python program (or of CPython's `queue.py`) that takes
    /// this step.
    pub python: String,
}

fn json_trace(scenario: &Scenario, trace: &[Event]) -> Vec<JsonStep> {
    trace
        .iter()
        .map(|e| JsonStep {
            thread: e.thread,
            step: e.step.kind(),
            value: e.step.value(),
            text: e.step.to_string(),
            python: scenario.python_line(&e.step),
        })
        .collect()
}

#[derive(Serialize)]
struct JsonHeader {
    scenario: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    threads: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    increments: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workers: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<usize>,
    /// `thread_names[n]` is thread n's name (`main`, `Thread1`, ..., `Producer`).
    thread_names: Vec<String>,
}

/// The scenario and the sizes it takes (only the flags that apply to it).
fn header(s: &Scenario) -> JsonHeader {
    use crate::teach::sizes::Flag;
    let p = s.params();
    let takes = |flag: Flag, value: usize| s.kind().flags().contains(&flag).then_some(value);
    JsonHeader {
        scenario: s.kind().name(),
        threads: takes(Flag::Threads, p.threads),
        increments: takes(Flag::Increments, p.increments),
        workers: takes(Flag::Workers, p.workers),
        items: takes(Flag::Items, p.items),
        thread_names: (0..=s.thread_count()).map(|t| s.thread_name(t)).collect(),
    }
}

/// An exploration as JSON: the outcome table, and a witness for each forbidden outcome.
pub fn exploration_json(e: &Exploration) -> String {
    #[derive(Serialize)]
    struct Witness {
        outcome: JsonOutcome,
        explanation: String,
        steps: Vec<JsonStep>,
    }
    #[derive(Serialize)]
    struct Json {
        #[serde(flatten)]
        header: JsonHeader,
        interleavings: usize,
        executions: usize,
        outcomes: Vec<JsonRow>,
        witnesses: Vec<Witness>,
    }
    to_json(&Json {
        header: header(&e.scenario),
        interleavings: e.interleavings,
        executions: e.executions,
        outcomes: e
            .rows
            .iter()
            .map(|r| JsonRow {
                outcome: (&r.outcome).into(),
                interleavings: r.interleavings,
                verdict: verdict_str(r.verdict),
            })
            .collect(),
        witnesses: e
            .witnesses
            .iter()
            .map(|w| Witness {
                outcome: (&w.outcome).into(),
                explanation: w.explanation.clone(),
                steps: json_trace(&e.scenario, &w.trace),
            })
            .collect(),
    })
}

/// A replay as JSON.
pub fn replay_json(scenario: &Scenario, r: &Replayed) -> String {
    #[derive(Serialize)]
    struct Json {
        #[serde(flatten)]
        header: JsonHeader,
        outcome: Option<JsonOutcome>,
        verdict: Option<&'static str>,
        refused: Option<String>,
        steps: Vec<JsonStep>,
    }
    to_json(&Json {
        header: header(scenario),
        outcome: r.outcome.as_ref().map(Into::into),
        verdict: r.outcome.as_ref().map(|o| verdict_str(scenario.verdict(o))),
        refused: r
            .refusal
            .as_ref()
            .map(|x| super::teach::refusal_text(scenario, x)),
        steps: json_trace(scenario, &r.trace),
    })
}

/// A stress run as JSON: `outcomes` counts runs; `reachable` is the exhaustive set (when
/// the size is small enough to explore); `jitter` the pause between read and write.
pub fn stress_json(run: &super::stress::StressRun<'_>) -> String {
    #[derive(Serialize)]
    struct OutcomeCount {
        outcome: JsonOutcome,
        runs: usize,
        verdict: &'static str,
    }
    #[derive(Serialize)]
    struct Jitter {
        max_ns: u128,
        seed: u64,
    }
    #[derive(Serialize)]
    struct Json {
        #[serde(flatten)]
        header: JsonHeader,
        trials: usize,
        jitter: Option<Jitter>,
        outcomes: Vec<OutcomeCount>,
        reachable: Option<Vec<JsonOutcome>>,
    }
    let scenario = run.scenario;
    to_json(&Json {
        header: header(scenario),
        trials: run.trials,
        jitter: run.jitter.map(|j| Jitter {
            max_ns: j.max.as_nanos(),
            seed: j.seed,
        }),
        outcomes: run
            .rows
            .iter()
            .map(|(o, n)| OutcomeCount {
                outcome: o.into(),
                runs: *n,
                verdict: verdict_str(scenario.verdict(o)),
            })
            .collect(),
        reachable: run.reachable.map(|r| r.iter().map(Into::into).collect()),
    })
}

pub use super::report_json::report;
use super::report_json::{to_json, verdict_str};
