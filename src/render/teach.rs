//! The teaching views as text: explorations, replays, stress runs.

use std::fmt::Write as _;

use super::{Style, text};
use crate::check::Verdict;
use crate::checked::trace::Event;
use crate::teach::Scenario;
use crate::teach::explore::Exploration;
use crate::teach::replay::{PRODUCER, Refusal, Replayed};

pub(crate) fn title(scenario: &Scenario) -> String {
    format!("{}: {}", scenario.kind().name(), scenario.describe())
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

/// A trace of marked steps as a table: one column per thread, one row per step, and with
/// `style.python` the tutorial's Python line of each step.
pub fn trace_table(scenario: &Scenario, trace: &[Event], style: Style) -> String {
    let rows: Vec<(usize, String)> = trace
        .iter()
        .map(|e| (e.thread, e.step.to_string()))
        .collect();
    let python: Vec<String> = trace
        .iter()
        .map(|e| scenario.python_line(&e.step))
        .collect();
    let notes = style.python.then_some(("Python", python.as_slice()));
    text::columns_noted(&rows, &|t| scenario.thread_name(t), notes)
}

/// The whole human report of an exploration.
pub fn exploration_text(e: &Exploration, style: Style) -> String {
    let mut out = format!("{}\n", title(&e.scenario));
    let _ = writeln!(
        out,
        "explored every interleaving: {} in {}\n",
        crate::words::plural(e.interleavings, "interleaving"),
        crate::words::plural(e.executions, "execution")
    );
    out.push_str(&outcome_table(e, style));
    if e.witnesses.is_empty() {
        out.push_str("\nNo interleaving reaches a forbidden outcome.\n");
    }
    if let Some(note) = e.scenario.interleavings_note() {
        let _ = writeln!(out, "\n{note}");
    }
    for w in &e.witnesses {
        let _ = writeln!(out, "\nWitness for {} (fewest thread switches):", w.outcome);
        out.push_str(&trace_table(&e.scenario, &w.trace, style));
        let _ = writeln!(out, "  => {}", w.explanation);
    }
    out
}

/// The human report of a replay.
pub fn replay_text(scenario: &Scenario, r: &Replayed, style: Style) -> String {
    let mut out = format!("{}\n\n", title(scenario));
    if !r.trace.is_empty() {
        out.push_str(&trace_table(scenario, &r.trace, style));
    }
    match (&r.outcome, &r.refusal) {
        (Some(outcome), _) => {
            let verdict = scenario.verdict(outcome);
            // An end state's Debug is its words with "End value: " before a number.
            let _ = writeln!(out, "  => {outcome:?} ({verdict})");
            if verdict == Verdict::Forbidden {
                let _ = writeln!(out, "     {}", scenario.explain(outcome));
            }
            if scenario.kind().weak_memory() {
                let _ = writeln!(
                    out,
                    "     (a replay is an interleaving: memory as if sequentially consistent; \
                     `racelab check {}` explores RC11 weak memory)",
                    scenario.kind().name()
                );
            }
            let name = |t: usize| scenario.thread_name(t);
            for blocked in &r.blocked {
                let _ = writeln!(
                    out,
                    "     {}",
                    crate::check::report::deadlock::describe(blocked, &name)
                );
            }
        }
        (None, Some(refusal)) => {
            let _ = writeln!(out, "  => {}", refusal_text(scenario, refusal));
        }
        (None, None) => {}
    }
    out
}

/// One sentence for a refusal, naming the schedule entry it refused.
pub fn refusal_text(scenario: &Scenario, refusal: &Refusal) -> String {
    let name = |t: usize| scenario.thread_name(t);
    let threads = || {
        let names: Vec<String> = scenario
            .stepping_threads()
            .iter()
            .map(|&t| format!("{} ({})", t, name(t)))
            .collect();
        names.join(", ")
    };
    match refusal {
        Refusal::NoSuchThread { step, thread } => {
            let who = match *thread {
                PRODUCER => "there is no Producer".to_string(),
                0 => "main takes no steps".to_string(),
                t => format!("there is no thread {t}"),
            };
            format!(
                "step {step}: {who} in {}; the threads that take steps are {}",
                scenario.kind().name(),
                threads()
            )
        }
        Refusal::Blocked { step, .. } | Refusal::NoStepsLeft { step, .. } => {
            format!("step {step}: {}", refusal_reason(scenario, refusal))
        }
        Refusal::FollowsAtOnce { step, follows, .. } => format!(
            "step {step}: {}; write {} here",
            refusal_reason(scenario, refusal),
            scenario.schedule_token(*follows)
        ),
        Refusal::Over { step } => format!(
            "step {step}: everyone has finished: the run was over after step {}",
            step - 1
        ),
        Refusal::StoppedEarly { threads } => {
            let names: Vec<String> = threads.iter().map(|&t| name(t)).collect();
            format!(
                "the schedule stopped early: {} still had steps to take",
                and_list(&names)
            )
        }
    }
}

/// Why a thread cannot take the next step, without the schedule position: what the
/// be-the-scheduler shows beside a disabled thread.
pub fn refusal_reason(scenario: &Scenario, refusal: &Refusal) -> String {
    let name = |t: usize| scenario.thread_name(t);
    match refusal {
        Refusal::Blocked {
            thread,
            holder,
            waits_for,
            ..
        } => match (holder, waits_for) {
            (Some((holder, lock)), _) => {
                format!(
                    "{} is blocked: {} holds the {lock}",
                    name(*thread),
                    name(*holder)
                )
            }
            (None, Some(blocked)) => crate::check::report::deadlock::describe(blocked, &name),
            (None, None) => format!("{} is blocked and cannot take a step now", name(*thread)),
        },
        Refusal::NoStepsLeft { thread, .. } => format!("{} has no steps left", name(*thread)),
        Refusal::FollowsAtOnce {
            asked,
            follows,
            what,
            ..
        } => format!(
            "{} cannot go here: {}'s \"{what}\" follows its previous step at once \
             (nothing can come between)",
            name(*asked),
            name(*follows)
        ),
        Refusal::Over { .. } => "everyone has finished".to_string(),
        other => refusal_text(scenario, other),
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
