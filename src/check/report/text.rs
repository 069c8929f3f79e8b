//! The report of a check as plain text (what `Display` prints, and what a failing
//! `assert_passes` shows): coverage and assumptions, the outcome table, a witness per
//! forbidden outcome as a table with one column per thread, the requirements. Outcome
//! tables follow jcstress (outcome, how often, share, verdict); traces follow Lincheck (one
//! column per thread, one row per step, then what went wrong).

use std::fmt::Debug;
use std::fmt::Write as _;

use super::deadlock;
use super::{Blocked, Report, Requirement, Verdict};
use crate::check::coverage::Coverage;
use crate::check::rt::trace::{Detail, Event, What, switches};
use crate::words::group;

/// A verdict, in colour when `color` (ANSI: green acceptable, bold red forbidden).
pub fn verdict(verdict: Verdict, color: bool) -> String {
    let text = verdict.to_string();
    match (color, verdict) {
        (false, _) => text,
        (true, Verdict::Acceptable) => format!("\x1b[32m{text}\x1b[0m"),
        (true, Verdict::Forbidden) => format!("\x1b[1;31m{text}\x1b[0m"),
    }
}

/// An outcome table: `header` names the four columns (outcome, count, share, verdict).
pub fn outcome_table(header: [&str; 4], rows: &[(String, usize, Verdict)], color: bool) -> String {
    let total: usize = rows.iter().map(|r| r.1).sum();
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|(outcome, n, _)| {
            [
                outcome.clone(),
                group(*n),
                format!("{:.1}%", 100.0 * *n as f64 / total.max(1) as f64),
            ]
        })
        .collect();
    let width = |c: usize| {
        cells
            .iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = format!(
        "  {:<w0$}  {:>w1$}  {:>w2$}  {}\n",
        header[0], header[1], header[2], header[3]
    );
    for (cell, (_, _, v)) in cells.iter().zip(rows) {
        let _ = writeln!(
            out,
            "  {:<w0$}  {:>w1$}  {:>w2$}  {}",
            cell[0],
            cell[1],
            cell[2],
            verdict(*v, color)
        );
    }
    out
}

/// A trace as a table: one column per thread, one row per event (a thread's start is not
/// shown).
pub fn trace_table(trace: &[Event], name: &dyn Fn(usize) -> String) -> String {
    // Under weak memory a load says which store it read and why that one: as a numbered
    // note under the table, so the columns stay narrow.
    let mut notes = Vec::new();
    let rows: Vec<(usize, String)> = trace
        .iter()
        .filter(|e| !matches!(e.what, What::Op { op: "start", .. }))
        .map(|e| match &e.what {
            What::Op {
                op,
                object,
                detail: Detail::ReadFrom(read),
            } => {
                notes.push(format!(
                    "[{}] {}{read}",
                    notes.len() + 1,
                    object.as_deref().unwrap_or("")
                ));
                let object = object.as_deref().map_or(String::new(), |o| format!(" {o}"));
                (
                    e.thread,
                    format!("{op}{object} = {} [{}]", read.value, notes.len()),
                )
            }
            what => (e.thread, what.to_string()),
        })
        .collect();
    let mut out = columns(&rows, name);
    for note in notes {
        let _ = writeln!(out, "  {note}");
    }
    out
}

/// Rows of (thread, text) as a table with one column per thread and a step number.
pub fn columns(rows: &[(usize, String)], name: &dyn Fn(usize) -> String) -> String {
    columns_noted(rows, name, None)
}

/// [`columns`] with a last column of notes, one per row, under the heading `notes.0`.
pub fn columns_noted(
    rows: &[(usize, String)],
    name: &dyn Fn(usize) -> String,
    notes: Option<(&str, &[String])>,
) -> String {
    let mut threads: Vec<usize> = rows.iter().map(|(t, _)| *t).collect();
    threads.sort_unstable();
    threads.dedup();
    let names: Vec<String> = threads.iter().map(|&t| name(t)).collect();
    let width = rows
        .iter()
        .map(|(_, c)| c)
        .chain(&names)
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = write!(out, "  {:>4} ", "step");
    for name in &names {
        let _ = write!(out, "| {name:<width$} ");
    }
    if let Some((heading, _)) = notes {
        let _ = write!(out, "| {heading}");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    for (i, (thread, cell)) in rows.iter().enumerate() {
        let _ = write!(out, "  {:>4} ", i + 1);
        for &t in &threads {
            let text = if t == *thread { cell.as_str() } else { "" };
            let _ = write!(out, "| {text:<width$} ");
        }
        if let Some((_, notes)) = notes {
            let _ = write!(out, "| {}", notes.get(i).map_or("", String::as_str));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

/// The whole report of a check: what was covered, the outcome table, a witness per
/// forbidden outcome, and the required outcomes. Only the outcomes' text depends on their
/// type: the rest is rendered by one function compiled once ([`render`]).
pub fn report<O: Debug>(r: &Report<O>, color: bool) -> String {
    let parts = Parts {
        report: r,
        rows: r
            .rows
            .iter()
            .map(|row| (row.ending.to_string(), row.executions, row.verdict))
            .collect(),
        witnesses: r
            .witnesses
            .iter()
            .map(|w| Shown {
                ending: w.ending.to_string(),
                trace: &w.trace,
                threads: &w.threads,
                blocked: &w.blocked,
                explanation: &w.explanation,
            })
            .collect(),
        schedules: r.schedules.iter().map(ToString::to_string).collect(),
    };
    render(&parts, color)
}

/// A report with its outcomes as text.
struct Parts<'a> {
    /// The report, for what does not depend on its outcomes' type.
    report: &'a dyn Common,
    rows: Vec<(String, usize, Verdict)>,
    witnesses: Vec<Shown<'a>>,
    schedules: Vec<String>,
}

/// A witness with its ending as text.
struct Shown<'a> {
    ending: String,
    trace: &'a [Event],
    threads: &'a [String],
    blocked: &'a [Blocked],
    explanation: &'a str,
}

/// What a report has whatever its outcomes' type.
trait Common {
    fn name(&self) -> &str;
    fn coverage(&self) -> &Coverage;
    fn requirements(&self) -> &[Requirement];
    fn executions(&self) -> usize;
    fn notes(&self) -> &[String];
}

impl<O> Common for Report<O> {
    fn name(&self) -> &str {
        &self.name
    }
    fn coverage(&self) -> &Coverage {
        &self.coverage
    }
    fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }
    fn executions(&self) -> usize {
        self.executions
    }
    fn notes(&self) -> &[String] {
        &self.notes
    }
}

fn render(parts: &Parts<'_>, color: bool) -> String {
    let r = parts.report;
    let coverage = r.coverage();
    let mut out = format!("{}\n", r.name());
    let _ = writeln!(out, "coverage: {coverage}");
    let _ = writeln!(out, "assuming: {}\n", coverage.assumptions().join("; "));
    out.push_str(&outcome_table(
        ["outcome", "executions", "share", "verdict"],
        &parts.rows,
        color,
    ));
    let _ = writeln!(
        out,
        "  (executions: distinct schedules run that ended so; share is of those, not a \
         probability)"
    );
    if parts.witnesses.is_empty() {
        let _ = writeln!(
            out,
            "\nNo forbidden outcome in these executions ({}).",
            coverage.kind()
        );
    }
    for w in &parts.witnesses {
        let _ = writeln!(
            out,
            "\nWitness for {} ({} thread switches, the fewest found):",
            w.ending,
            switches(w.trace)
        );
        let name = |t: usize| {
            w.threads
                .get(t)
                .map_or("(unknown thread)", String::as_str)
                .to_string()
        };
        out.push_str(&trace_table(w.trace, &name));
        for blocked in w.blocked {
            let _ = writeln!(out, "  -- {}", deadlock::describe(blocked, &name));
        }
        let _ = writeln!(out, "  => {}", w.explanation);
    }
    for req in r.requirements() {
        let _ = writeln!(
            out,
            "\nrequired: {} — {}",
            req.description,
            if req.reached {
                "reached".to_string()
            } else {
                format!(
                    "NEVER reached in {} executions ({})",
                    group(r.executions()),
                    coverage.kind()
                )
            }
        );
    }
    if !parts.schedules.is_empty() {
        let _ = writeln!(
            out,
            "\nSchedules run ({} of {}; each: the thread of every operation, then the ending):",
            group(parts.schedules.len()),
            group(coverage.executions())
        );
        for (i, schedule) in parts.schedules.iter().enumerate() {
            let _ = writeln!(out, "  {:>4}. {schedule}", i + 1);
        }
    }
    for note in r.notes() {
        let _ = writeln!(out, "\n{note}");
    }
    out
}
