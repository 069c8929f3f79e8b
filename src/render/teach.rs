//! The teaching views as text: explorations, replays, stress runs.

use std::fmt::Write as _;

use super::{text, Style};
use crate::check::Verdict;
use crate::explore::trace::Event;
use crate::teach::explore::Exploration;
use crate::teach::replay::{Refusal, Replayed};
use crate::teach::{Outcome, Scenario};

pub(crate) fn title(scenario: &Scenario) -> String {
    format!("{}: {}", scenario.kind().name(), scenario.describe())
}

/// "1 interleaving", "34,650 interleavings".
fn plural_grouped(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{} {what}s", crate::check::coverage::group(n)),
    }
}

/// The outcome table of an exploration.
pub fn outcome_table(e: &Exploration, style: Style) -> String {
    let rows: Vec<(String, usize, Verdict)> = e
        .rows
        .iter()
        .map(|r| (r.outcome.to_string(), r.interleavings, r.verdict))
        .collect();
    text::outcome_table(
        ["outcome", "interleavings", "share", "verdict"],
        &rows,
        style,
    )
}

/// A trace of marked steps as a table: one column per thread, one row per step.
pub fn trace_table(scenario: &Scenario, trace: &[Event]) -> String {
    let rows: Vec<(usize, String)> = trace
        .iter()
        .map(|e| (e.thread, e.step.to_string()))
        .collect();
    text::columns(&rows, &|t| scenario.thread_name(t))
}

/// The whole human report of an exploration.
pub fn exploration_text(e: &Exploration, style: Style) -> String {
    let mut out = format!("{}\n", title(&e.scenario));
    let _ = writeln!(
        out,
        "explored every interleaving: {} in {}\n",
        plural_grouped(e.interleavings, "interleaving"),
        plural_grouped(e.executions, "execution")
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
        Refusal::Deadlock(blocked) => {
            let waits: Vec<String> = blocked
                .iter()
                .map(|b| crate::check::deadlock::describe(b, &name))
                .collect();
            if waits.is_empty() {
                "deadlock: every thread is blocked, nobody can take the next step".to_string()
            } else {
                format!(
                    "deadlock: every thread is blocked, nobody can take the next step ({})",
                    waits.join("; ")
                )
            }
        }
    }
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
