//! Rendering explorations, replays and stress runs for people (tables) and for programs
//! (JSON).
//!
//! The outcome table follows jcstress (outcome, how often, share, verdict); the trace
//! follows Lincheck (one column per thread, one row per step, then what went wrong).

use std::fmt::Write as _;
use std::io::IsTerminal;

use serde::Serialize;

use crate::explore::explorer::Exploration;
use crate::explore::replay::{Refusal, Replayed};
use crate::explore::scenarios::{Outcome, Scenario, Verdict};
use crate::explore::trace::Event;

/// Whether to colour the output: only on a terminal, and never when `NO_COLOR` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    /// No colour.
    pub fn plain() -> Self {
        Style { color: false }
    }

    fn verdict(&self, verdict: Verdict) -> String {
        let text = verdict.to_string();
        match (self.color, verdict) {
            (false, _) => text,
            (true, Verdict::Acceptable) => format!("\x1b[32m{text}\x1b[0m"),
            (true, Verdict::Forbidden) => format!("\x1b[1;31m{text}\x1b[0m"),
        }
    }
}

fn title(scenario: &Scenario) -> String {
    format!("{}: {}", scenario.kind().name(), scenario.describe())
}

/// The outcome table of an exploration.
pub fn outcome_table(e: &Exploration, style: Style) -> String {
    let header = ["outcome", "interleavings", "share", "verdict"];
    let rows: Vec<[String; 4]> = e
        .rows
        .iter()
        .map(|r| {
            [
                r.outcome.to_string(),
                r.interleavings.to_string(),
                format!(
                    "{:.1}%",
                    100.0 * r.interleavings as f64 / e.interleavings.max(1) as f64
                ),
                r.verdict.to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: [&str; 4], verdict: Option<Verdict>| {
        let last = match verdict {
            Some(v) => style.verdict(v),
            None => cells[3].to_string(),
        };
        format!(
            "  {:<w0$}  {:>w1$}  {:>w2$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            last,
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    out.push_str(&line(header, None));
    for (row, r) in rows.iter().zip(&e.rows) {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3]], Some(r.verdict)));
    }
    out
}

/// A trace as a table: one column per thread, one row per step.
pub fn trace_table(scenario: &Scenario, trace: &[Event]) -> String {
    let mut threads: Vec<usize> = trace.iter().map(|e| e.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    let names: Vec<String> = threads.iter().map(|&t| scenario.thread_name(t)).collect();
    let cells: Vec<String> = trace.iter().map(|e| e.step.to_string()).collect();
    let width = cells
        .iter()
        .map(|c| c.len())
        .chain(names.iter().map(|n| n.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = write!(out, "  {:>4} ", "step");
    for name in &names {
        let _ = write!(out, "| {name:<width$} ");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    for (i, (event, cell)) in trace.iter().zip(&cells).enumerate() {
        let _ = write!(out, "  {:>4} ", i + 1);
        for &t in &threads {
            let text = if t == event.thread { cell.as_str() } else { "" };
            let _ = write!(out, "| {text:<width$} ");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

/// The whole human report of an exploration.
pub fn exploration_text(e: &Exploration, style: Style) -> String {
    let mut out = format!("{}\n", title(&e.scenario));
    let _ = writeln!(
        out,
        "explored every interleaving: {} interleavings in {} executions\n",
        e.interleavings, e.executions
    );
    out.push_str(&outcome_table(e, style));
    if e.witnesses.is_empty() {
        out.push_str("\nNo interleaving reaches a forbidden outcome.\n");
    }
    for w in &e.witnesses {
        let _ = writeln!(out, "\nWitness for {} (fewest thread switches):", w.outcome);
        out.push_str(&trace_table(&e.scenario, &w.trace));
        let _ = writeln!(out, "  => {}", w.explanation);
    }
    out
}

/// The human report of a replay.
pub fn replay_text(scenario: &Scenario, r: &Replayed) -> String {
    let mut out = format!("{}\n\n", title(scenario));
    if !r.trace.is_empty() {
        out.push_str(&trace_table(scenario, &r.trace));
    }
    match (&r.outcome, &r.refusal) {
        (Some(outcome), _) => {
            let verdict = scenario.verdict(outcome);
            let what = match outcome {
                Outcome::Value(v) => format!("End value: {v}"),
                other => other.to_string(),
            };
            let _ = writeln!(out, "  => {what} ({verdict})");
            if verdict == Verdict::Forbidden {
                let _ = writeln!(out, "     {}", scenario.explain(outcome));
            }
        }
        (None, Some(refusal)) => {
            let _ = writeln!(out, "  => {}", refusal_text(scenario, refusal));
        }
        (None, None) => {}
    }
    out
}

/// One sentence for a refusal.
pub fn refusal_text(scenario: &Scenario, refusal: &Refusal) -> String {
    let name = |t: usize| scenario.thread_name(t);
    match refusal {
        Refusal::NoSuchThread {
            step,
            thread,
            threads,
        } => {
            format!(
            "step {step}: there is no thread {thread}; this scenario has threads 1 to {threads}{}",
            if scenario.main_has_steps() { " (and 0 for main)" } else { "" }
        )
        }
        Refusal::Blocked {
            step,
            thread,
            holder,
        } => match holder {
            Some((holder, lock)) => format!(
                "step {step}: {} is blocked: {} holds the {lock}",
                name(*thread),
                name(*holder)
            ),
            None => format!(
                "step {step}: {} is blocked and cannot take a step now",
                name(*thread)
            ),
        },
        Refusal::NoStepsLeft { step, thread } => {
            format!("step {step}: {} has no steps left", name(*thread))
        }
        Refusal::StoppedEarly { threads } => {
            let names: Vec<String> = threads.iter().map(|&t| name(t)).collect();
            format!(
                "the schedule stopped early: {} still had steps to take",
                names.join(" and ")
            )
        }
        Refusal::Deadlock => {
            "deadlock: every thread is blocked, nobody can take the next step".to_string()
        }
    }
}

/// A JSON outcome: the final value as a number, anything else as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum JsonOutcome {
    /// A final value.
    Value(usize),
    /// A label (or "deadlock").
    Label(String),
}

impl From<&Outcome> for JsonOutcome {
    fn from(o: &Outcome) -> Self {
        match o {
            Outcome::Value(v) => JsonOutcome::Value(*v),
            other => JsonOutcome::Label(other.to_string()),
        }
    }
}

/// One row of `outcomes` in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct JsonRow {
    /// The outcome.
    pub outcome: JsonOutcome,
    /// Interleavings (explore) or trials (stress) that ended with it.
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
}

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Acceptable => "acceptable",
        Verdict::Forbidden => "forbidden",
    }
}

fn json_trace(trace: &[Event]) -> Vec<JsonStep> {
    trace
        .iter()
        .map(|e| JsonStep {
            thread: e.thread,
            step: e.step.kind(),
            value: e.step.value(),
            text: e.step.to_string(),
        })
        .collect()
}

#[derive(Serialize)]
struct JsonHeader {
    scenario: &'static str,
    threads: usize,
    increments: usize,
    workers: usize,
    items: usize,
}

fn header(s: &Scenario) -> JsonHeader {
    let p = s.params();
    JsonHeader {
        scenario: s.kind().name(),
        threads: s.thread_count(),
        increments: p.increments,
        workers: p.workers,
        items: p.items,
    }
}

/// An exploration as JSON (`witness` is the first forbidden outcome's, or empty).
pub fn exploration_json(e: &Exploration) -> String {
    #[derive(Serialize)]
    struct Json {
        #[serde(flatten)]
        header: JsonHeader,
        interleavings: usize,
        executions: usize,
        outcomes: Vec<JsonRow>,
        witness: Vec<JsonStep>,
        explanation: Option<String>,
    }
    let first = e.witnesses.first();
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
        witness: first.map(|w| json_trace(&w.trace)).unwrap_or_default(),
        explanation: first.map(|w| w.explanation.clone()),
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
        witness: Vec<JsonStep>,
    }
    to_json(&Json {
        header: header(scenario),
        outcome: r.outcome.as_ref().map(Into::into),
        verdict: r.outcome.as_ref().map(|o| verdict_str(scenario.verdict(o))),
        refused: r.refusal.as_ref().map(|x| refusal_text(scenario, x)),
        witness: json_trace(&r.trace),
    })
}

/// The human report of a stress run: the most frequent outcomes, how often the exact
/// total came out, and the reachable outcomes never seen.
pub fn stress_text(
    scenario: &Scenario,
    trials: usize,
    rows: &[(Outcome, usize)],
    reachable: Option<&[Outcome]>,
) -> String {
    const SHOWN: usize = 20;
    let mut out = format!("{}\n", title(scenario));
    let _ = writeln!(
        out,
        "{trials} runs on real threads, no pause between read and write:\n"
    );
    let mut by_count: Vec<&(Outcome, usize)> = rows.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let width = by_count
        .iter()
        .map(|(o, _)| o.to_string().len())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>9}  {:>7}  verdict",
        "outcome", "runs", "share"
    );
    for (outcome, n) in by_count.iter().take(SHOWN) {
        let share = 100.0 * *n as f64 / trials.max(1) as f64;
        let _ = writeln!(
            out,
            "  {:<width$}  {n:>9}  {share:>6.2}%  {}",
            outcome.to_string(),
            scenario.verdict(outcome)
        );
    }
    if by_count.len() > SHOWN {
        let rest: usize = by_count[SHOWN..].iter().map(|(_, n)| n).sum();
        let _ = writeln!(
            out,
            "  ... {} more outcomes, {rest} runs in all",
            by_count.len() - SHOWN
        );
    }
    let expected = scenario.expected();
    let exact = rows
        .iter()
        .find(|(o, _)| *o == expected)
        .map_or(0, |(_, n)| *n);
    let _ = writeln!(
        out,
        "\nthe correct outcome ({expected}) in {exact} of {trials} runs"
    );
    if let Some(reachable) = reachable {
        let names: Vec<String> = reachable.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "reachable (explored exhaustively): {}",
            names.join(", ")
        );
        let unseen: Vec<String> = reachable
            .iter()
            .filter(|o| !rows.iter().any(|(seen, _)| seen == *o))
            .map(ToString::to_string)
            .collect();
        if !unseen.is_empty() {
            let _ = writeln!(
                out,
                "never seen in these runs: {} (reachable, but the OS rarely or never picks those interleavings)",
                unseen.join(", ")
            );
        }
    }
    out
}

/// A stress run as JSON: `outcomes` counts trials; `reachable` is the exhaustive set.
pub fn stress_json(
    scenario: &Scenario,
    trials: usize,
    rows: &[(Outcome, usize)],
    reachable: Option<&[Outcome]>,
) -> String {
    #[derive(Serialize)]
    struct Json {
        #[serde(flatten)]
        header: JsonHeader,
        trials: usize,
        outcomes: Vec<JsonRow>,
        reachable: Option<Vec<JsonOutcome>>,
    }
    to_json(&Json {
        header: header(scenario),
        trials,
        outcomes: rows
            .iter()
            .map(|(o, n)| JsonRow {
                outcome: o.into(),
                interleavings: *n,
                verdict: verdict_str(scenario.verdict(o)),
            })
            .collect(),
        reachable: reachable.map(|r| r.iter().map(Into::into).collect()),
    })
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data always serialises") + "\n"
}
