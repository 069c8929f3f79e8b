//! The report of any check as JSON ([`report`]), in types that read back
//! (`racelab merge` adds up the reports of the shards of one search: [`super::merge`]).

use serde::{Deserialize, Serialize};

use crate::check::Verdict;
use crate::check::report::order;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Phase {
    pub(crate) method: String,
    pub(crate) executions: usize,
    pub(crate) abandoned: usize,
    pub(crate) distinct: Option<usize>,
    pub(crate) stopped: Option<String>,
    pub(crate) jobs: usize,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Coverage {
    pub(crate) kind: String,
    pub(crate) text: String,
    pub(crate) phases: Vec<Phase>,
    pub(crate) assumptions: Vec<String>,
    /// The shards of a split search this report covers (absent if it was not split).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) shards: Option<ShardsJson>,
    /// The stretches between checkpoints this report covers (absent if none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) segments: Vec<SegmentJson>,
}
/// [`crate::check::Segment`] as JSON: `null` is the start (`from`) or the end (`to`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SegmentJson {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}
/// [`crate::check::Shards`] as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ShardsJson {
    pub(crate) count: usize,
    pub(crate) covered: Vec<usize>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OutcomeCount {
    pub(crate) outcome: String,
    pub(crate) executions: usize,
    pub(crate) verdict: String,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Step {
    pub(crate) thread: usize,
    pub(crate) thread_name: String,
    /// "operation" (a switch point), "step" (a marked step) or "unknown".
    pub(crate) kind: String,
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) object: Option<String>,
    pub(crate) text: String,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Waiting {
    pub(crate) thread: usize,
    pub(crate) thread_name: String,
    pub(crate) text: String,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Witness {
    pub(crate) outcome: String,
    pub(crate) switches: usize,
    pub(crate) explanation: String,
    pub(crate) steps: Vec<Step>,
    pub(crate) blocked: Vec<Waiting>,
    /// Orders the witnesses of one outcome (as text: lower is better): fewest switches,
    /// then fewest events, then the lowest-numbered threads first, then a digest — the
    /// order a check keeps its best witness by, so that `racelab merge` keeps the one a
    /// single run would have kept.
    pub(crate) rank: String,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Requirement {
    pub(crate) description: String,
    pub(crate) reached: bool,
}
/// A report as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReportJson {
    pub(crate) name: String,
    pub(crate) passed: bool,
    pub(crate) executions: usize,
    pub(crate) coverage: Coverage,
    pub(crate) outcomes: Vec<OutcomeCount>,
    pub(crate) witnesses: Vec<Witness>,
    pub(crate) requirements: Vec<Requirement>,
    pub(crate) notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) schedules: Vec<Schedule>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Schedule {
    pub(crate) threads: Vec<usize>,
    pub(crate) outcome: String,
    pub(crate) text: String,
}

/// The report of any check as JSON: coverage, outcome table, witnesses (each step with its
/// thread, and who waited for what in a deadlock), requirements and notes. Outcomes are their
/// `Debug` text.
pub fn report<O: std::fmt::Debug + std::hash::Hash>(r: &crate::check::Report<O>) -> String {
    to_json(&report_data(r))
}

/// [`report`] as data.
pub(crate) fn report_data<O: std::fmt::Debug + std::hash::Hash>(
    r: &crate::check::Report<O>,
) -> ReportJson {
    use crate::check::report::deadlock;
    use crate::check::{Event, What};

    let step = |w: &crate::check::Witness<O>, e: &Event| {
        let (kind, name, object) = match &e.what {
            What::Op { op, object, .. } => (
                "operation",
                (*op).to_string(),
                object.as_ref().map(|o| o.to_string()),
            ),
            What::Mark(m) => ("step", m.kind().to_string(), None),
            What::Access { object, write } => (
                "access",
                if *write { "write" } else { "read" }.to_string(),
                Some(object.to_string()),
            ),
            What::Unknown => ("unknown", "unknown".to_string(), None),
        };
        Step {
            thread: e.thread,
            thread_name: w.thread_name(e.thread).to_string(),
            kind: kind.to_string(),
            name,
            object,
            text: e.what.to_string(),
        }
    };
    ReportJson {
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
            shards: r.coverage.shards.as_ref().map(|s| ShardsJson {
                count: s.count,
                covered: s.covered.clone(),
            }),
            segments: r
                .coverage
                .segments
                .iter()
                .map(|s| SegmentJson {
                    from: s.from.clone(),
                    to: s.to.clone(),
                })
                .collect(),
        },
        outcomes: r
            .rows
            .iter()
            .map(|row| OutcomeCount {
                outcome: row.ending.to_string(),
                executions: row.executions,
                verdict: verdict_str(row.verdict).to_string(),
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
                rank: rank_text(&order::rank(&w.trace, order::digest(&w.ending, &w.trace))),
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
    }
}

/// A rank ([`order::Rank`]) as text whose order is the rank's (fixed-width hexadecimal;
/// thread sequences are compared only between traces of one length).
fn rank_text(rank: &order::Rank) -> String {
    let (switches, events, threads, digest) = rank;
    let mut text = format!("{switches:08x}-{events:08x}-");
    for t in threads {
        text.push_str(&format!("{t:04x}"));
    }
    text.push_str(&format!("-{digest:032x}"));
    text
}

pub(crate) fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Acceptable => "acceptable",
        Verdict::Forbidden => "forbidden",
    }
}

pub(crate) fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data always serialises") + "\n"
}
