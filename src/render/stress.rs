//! A stress run as text: the outcomes the machine produced on real threads, beside the
//! outcomes that exploring every interleaving shows are reachable.

use std::fmt::Write as _;

use super::{Style, plural};
use crate::teach::stress::Jitter;
use crate::teach::{EndState, Scenario};
use crate::words::group;

/// What a stress run did and saw.
#[derive(Debug, Clone, Copy)]
pub struct StressRun<'a> {
    /// The scenario run.
    pub scenario: &'a Scenario,
    /// How many runs.
    pub trials: usize,
    /// The random pause between read and write, if any.
    pub jitter: Option<Jitter>,
    /// Each outcome seen, with the number of runs that ended with it.
    pub rows: &'a [(EndState, usize)],
    /// Every reachable outcome, when the size is small enough to explore.
    pub reachable: Option<&'a [EndState]>,
}

/// "1.5ms", "500us".
fn duration_text(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 1_000_000 && ns % 100_000 == 0 {
        format!("{}ms", ns as f64 / 1e6)
    } else if ns >= 1_000 && ns % 1_000 == 0 {
        format!("{}us", ns / 1_000)
    } else {
        format!("{ns}ns")
    }
}

/// The most frequent outcomes, how often the correct one came out, and the reachable
/// outcomes never seen.
pub fn stress_text(run: &StressRun<'_>, style: Style) -> String {
    const SHOWN: usize = 20;
    let StressRun {
        scenario,
        trials,
        jitter,
        rows,
        reachable,
    } = *run;
    let mut out = format!("{}\n", super::teach::title(scenario));
    let pause = match jitter {
        Some(j) => format!(
            "a random pause of 0-{} between read and write (seed {})",
            duration_text(j.max),
            j.seed
        ),
        None => "no pause between read and write".to_string(),
    };
    let _ = writeln!(out, "{} on real threads, {pause}:\n", plural(trials, "run"));
    let mut by_count: Vec<&(EndState, usize)> = rows.iter().collect();
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
            "  {:<width$}  {:>9}  {share:>6.2}%  {}",
            outcome.to_string(),
            group(*n),
            style.verdict(scenario.verdict(outcome))
        );
    }
    if by_count.len() > SHOWN {
        let rest: usize = by_count[SHOWN..].iter().map(|(_, n)| n).sum();
        let _ = writeln!(
            out,
            "  ... {} more, {} in all",
            plural(by_count.len() - SHOWN, "outcome"),
            plural(rest, "run")
        );
    }
    let _ = writeln!(
        out,
        "  (share: of these runs; how often this machine, under its current load, produced each)"
    );
    let expected = scenario.expected();
    let exact = rows
        .iter()
        .find(|(o, _)| *o == expected)
        .map_or(0, |(_, n)| *n);
    let _ = writeln!(
        out,
        "\nthe correct outcome ({expected}) in {} of {}",
        group(exact),
        plural(trials, "run")
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
                "never seen in these runs: {} (reachable, but the OS rarely or never picks those \
                 interleavings{})",
                unseen.join(", "),
                if jitter.is_none() && crate::teach::stress::Jitter::applies_to(scenario.kind()) {
                    "; --jitter widens the window"
                } else {
                    ""
                }
            );
        }
    }
    out
}
