//! `racelab engines` for people: one row per engine, what it found and what it covered.

use std::fmt::Write as _;

use crate::measure::engines::{Comparison, EngineRow};
use crate::measure::stats::human_seconds as seconds;
use crate::words::group;

/// "2", "4 (median; 1–12)", "not within 10,000".
fn first_bug(row: &EngineRow, c: &Comparison) -> String {
    let Some(bugs) = &row.first_bug else {
        return String::new();
    };
    let unit = if row.engine.on_real_threads() {
        c.budget.trials
    } else {
        c.budget.executions
    };
    let found: Vec<usize> = bugs.found_at.iter().flatten().copied().collect();
    match bugs.median() {
        None => format!("not within {}", group(unit)),
        Some(m) if bugs.seeds.len() == 1 => group(m),
        Some(m) => {
            let (lo, hi) = (found.iter().min(), found.iter().max());
            let missed = bugs.found_at.len() - found.len();
            let range = match (lo, hi) {
                (Some(lo), Some(hi)) if missed == 0 => format!("{}–{}", group(*lo), group(*hi)),
                (Some(lo), _) => format!("{}–none", group(*lo)),
                _ => String::new(),
            };
            format!("{} (median; {range})", group(m))
        }
    }
}

fn everything(row: &EngineRow) -> String {
    match row.coverage {
        Some(c) if c.finished => {
            format!("{} executions, {}", group(c.executions), seconds(c.seconds))
        }
        Some(c) if c.stopped_at_failure => format!(
            "no: shuttle stops at the first deadlock or panic (execution {})",
            group(c.executions)
        ),
        Some(c) => format!("not within {}", group(c.executions)),
        None => "—".to_string(),
    }
}

/// The comparison as a table and what it says.
pub fn engines_text(c: &Comparison) -> String {
    let mut out = format!(
        "Every engine on {}: {}\n{} interleavings of its steps; {}.\n\
         Budget: {} executions per engine and seed, {} real-thread runs, {} seeds for the \
         random engines.\n\n",
        c.scenario,
        c.description,
        group(c.interleavings),
        if c.has_bug {
            "some reach a forbidden outcome"
        } else {
            "none reaches a forbidden outcome"
        },
        group(c.budget.executions),
        group(c.budget.trials),
        c.budget.seeds,
    );
    // Each column as wide as its widest cell.
    let width = |cell: &dyn Fn(&EngineRow) -> usize| c.rows.iter().map(cell).max().unwrap_or(0);
    let name_w = width(&|r| r.name.chars().count());
    let how_w = width(&|r| r.how.chars().count());
    let bug_w = width(&|r| first_bug(r, c).chars().count()).max(18);
    let _ = writeln!(
        out,
        "  {:<name_w$}  {:<how_w$}  {:<bug_w$}  {:>9}  explored everything",
        "engine",
        "how",
        if c.has_bug {
            "first forbidden at"
        } else {
            "verdict"
        },
        "time",
    );
    for row in &c.rows {
        if let Some(why) = &row.unavailable {
            let _ = writeln!(out, "  {:<name_w$}  {:<how_w$}  {why}", row.name, row.how);
            continue;
        }
        let verdict = if c.has_bug {
            first_bug(row, c)
        } else if row.proven {
            "none: proven".to_string()
        } else if row.exhaustive {
            "none within budget".to_string()
        } else {
            "none, sampled (seed 0)".to_string()
        };
        let _ = writeln!(
            out,
            "  {:<name_w$}  {:<how_w$}  {:<bug_w$}  {:>9}  {}",
            row.name,
            row.how,
            verdict,
            seconds(row.seconds),
            everything(row)
        );
    }
    out.push('\n');
    if c.has_bug {
        if let Some((executions, leaders)) = c.fewest_to_first_bug() {
            let _ = writeln!(
                out,
                "Fewest executions to the first forbidden outcome, of the engines that choose \
                 the schedule: {} ({}).",
                leaders.join(", "),
                group(executions)
            );
        }
    }
    out.push_str(
        "Executions are runs of the whole program (a real-thread run is one trial); random engines \
         show the median over seeds.\nA sampled engine that finds nothing proves nothing; an \
         exhaustive one that finishes does.\nloom is not in this binary (it swaps the primitives \
         at compile time): its counts come from\n`RUSTFLAGS=\"--cfg loom\" cargo test --release \
         --test tutorial loom::counter -- --nocapture`.\n",
    );
    out
}
