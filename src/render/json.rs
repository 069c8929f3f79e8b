//! JSON for programs: explorations, replays and stress runs.

use serde::Serialize;

use crate::check::Verdict;
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

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Acceptable => "acceptable",
        Verdict::Forbidden => "forbidden",
    }
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

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data always serialises") + "\n"
}

/// The report of any check as JSON: coverage, outcome table, witnesses (each step with its
/// thread, and who waited for what in a deadlock), requirements and notes. Outcomes are their
/// `Debug` text.
pub fn report<O: std::fmt::Debug>(r: &crate::check::Report<O>) -> String {
    use crate::check::report::deadlock;
    use crate::check::{Event, What};

    #[derive(Serialize)]
    struct Phase {
        method: String,
        executions: usize,
        abandoned: usize,
        distinct: Option<usize>,
        stopped: Option<String>,
        jobs: usize,
    }
    #[derive(Serialize)]
    struct Coverage {
        kind: String,
        text: String,
        phases: Vec<Phase>,
        assumptions: Vec<String>,
    }
    #[derive(Serialize)]
    struct OutcomeCount {
        outcome: String,
        executions: usize,
        verdict: &'static str,
    }
    #[derive(Serialize)]
    struct Step {
        thread: usize,
        thread_name: String,
        /// "operation" (a switch point), "step" (a marked step) or "unknown".
        kind: &'static str,
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        object: Option<String>,
        text: String,
    }
    #[derive(Serialize)]
    struct Waiting {
        thread: usize,
        thread_name: String,
        text: String,
    }
    #[derive(Serialize)]
    struct Witness {
        outcome: String,
        switches: usize,
        explanation: String,
        steps: Vec<Step>,
        blocked: Vec<Waiting>,
    }
    #[derive(Serialize)]
    struct Requirement {
        description: String,
        reached: bool,
    }
    #[derive(Serialize)]
    struct Json {
        name: String,
        passed: bool,
        executions: usize,
        coverage: Coverage,
        outcomes: Vec<OutcomeCount>,
        witnesses: Vec<Witness>,
        requirements: Vec<Requirement>,
        notes: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        schedules: Vec<Schedule>,
    }
    #[derive(Serialize)]
    struct Schedule {
        threads: Vec<usize>,
        outcome: String,
        text: String,
    }
    let step = |w: &crate::check::Witness<O>, e: &Event| {
        let (kind, name, object) = match &e.what {
            What::Op { op, object, .. } => (
                "operation",
                (*op).to_string(),
                object.as_ref().map(|o| o.to_string()),
            ),
            What::Mark(m) => ("step", m.kind().to_string(), None),
            What::Unknown => ("unknown", "unknown".to_string(), None),
        };
        Step {
            thread: e.thread,
            thread_name: w.thread_name(e.thread).to_string(),
            kind,
            name,
            object,
            text: e.what.to_string(),
        }
    };
    to_json(&Json {
        name: r.name.clone(),
        passed: r.passed(),
        executions: r.executions,
        coverage: Coverage {
            kind: r.coverage.kind().to_string(),
            text: r.coverage.to_string(),
            phases: r
                .coverage
                .phases
                .iter()
                .map(|p| Phase {
                    method: format!("{:?}", p.method),
                    executions: p.executions,
                    abandoned: p.abandoned,
                    distinct: p.distinct,
                    stopped: p.stopped.map(|s| s.to_string()),
                    jobs: p.jobs,
                })
                .collect(),
            assumptions: r.coverage.assumptions(),
        },
        outcomes: r
            .rows
            .iter()
            .map(|row| OutcomeCount {
                outcome: row.ending.to_string(),
                executions: row.executions,
                verdict: verdict_str(row.verdict),
            })
            .collect(),
        witnesses: r
            .witnesses
            .iter()
            .map(|w| Witness {
                outcome: w.ending.to_string(),
                switches: w.switches(),
                explanation: w.explanation.clone(),
                steps: w
                    .trace
                    .iter()
                    .filter(|e| !matches!(e.what, What::Op { op: "start", .. }))
                    .map(|e| step(w, e))
                    .collect(),
                blocked: w
                    .blocked
                    .iter()
                    .map(|b| Waiting {
                        thread: b.thread,
                        thread_name: w.thread_name(b.thread).to_string(),
                        text: deadlock::describe(b, &|t| w.thread_name(t).to_string()),
                    })
                    .collect(),
            })
            .collect(),
        requirements: r
            .requirements
            .iter()
            .map(|q| Requirement {
                description: q.description.clone(),
                reached: q.reached,
            })
            .collect(),
        notes: r.notes.clone(),
        schedules: r
            .schedules
            .iter()
            .map(|s| Schedule {
                threads: s.threads.clone(),
                outcome: s.ending.to_string(),
                text: s.to_string(),
            })
            .collect(),
    })
}
