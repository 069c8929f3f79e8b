//! The tables and summaries, as Markdown or as aligned text.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::subjects::{threads, Subject};
use crate::worker::{Found, Status};

/// How the output is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GitHub Markdown (pipe tables).
    Markdown,
    /// Aligned columns.
    Text,
}

/// What every checker found on one program.
pub struct Row {
    /// The program's name.
    pub name: String,
    /// racelab, `Search::Exhaustive`.
    pub racelab: Found,
    /// racelab, `Search::EveryOrder`.
    pub every_order: Found,
    /// loom.
    pub loom: Found,
    /// shuttle's DFS.
    pub shuttle: Found,
}

/// A heading of `level` (1 or 2).
pub fn heading(format: Format, level: usize, title: &str) -> String {
    match format {
        Format::Markdown => format!("{} {title}\n", "#".repeat(level)),
        Format::Text => {
            let rule = if level == 1 { '=' } else { '-' };
            format!(
                "{title}\n{}\n",
                std::iter::repeat_n(rule, title.chars().count()).collect::<String>()
            )
        }
    }
}

/// `n` with thousands separators.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The execution column of a checker: the count when it explored everything, `≥ n` when
/// it ran out of budget, how it stopped otherwise.
fn executions(found: &Found) -> String {
    let n = count(found.executions);
    match &found.status {
        Status::Complete => n,
        Status::Budget(_) => format!("≥ {n}"),
        Status::Failed(why) if why.starts_with("deadlock") => format!("deadlock @ {n}"),
        Status::Failed(why) if why.starts_with("more than") => format!("branch limit @ {n}"),
        Status::Failed(why) if why.contains("shuttle") => format!("failure @ {n}"),
        Status::Failed(_) => format!("panic @ {n}"),
        Status::Crashed(_) => "crashed".to_string(),
    }
}

/// racelab's column: executions, plus runs abandoned without an outcome if any.
fn racelab_executions(found: &Found) -> String {
    let n = executions(found);
    if found.abandoned > 0 {
        format!("{n} (+{} abandoned)", count(found.abandoned))
    } else {
        n
    }
}

/// A wall time.
fn seconds(found: &Found) -> String {
    if matches!(found.status, Status::Crashed(_)) {
        return "—".to_string();
    }
    let s = found.seconds;
    if s < 0.001 {
        "< 1 ms".to_string()
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.1} s")
    }
}

/// racelab executions / loom executions, when both explored everything; `≤ r` when loom
/// ran out of budget (its count is a lower bound).
fn ratio(row: &Row) -> String {
    if !row.racelab.complete() || row.loom.executions == 0 {
        return "—".to_string();
    }
    let r = row.racelab.executions as f64 / row.loom.executions as f64;
    match row.loom.status {
        Status::Complete => significant(r),
        Status::Budget(_) => format!("≤ {}", significant(r)),
        _ => "—".to_string(),
    }
}

/// `x` with 2 significant digits (at least 2 decimals).
fn significant(x: f64) -> String {
    if x <= 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (1 - x.log10().floor() as i32).max(2) as usize;
    format!("{x:.decimals$}")
}

/// How `other`'s outcomes compare with `reference`'s (racelab's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    /// Nothing to compare: racelab or the other did not end with a set.
    Unknown,
    /// Both complete, the same set.
    Equal,
    /// Both complete, different sets: outcomes only racelab reached, only the other did.
    Differ(BTreeSet<String>, BTreeSet<String>),
    /// The other stopped early and reached only outcomes racelab reached (`n` of them).
    Partial(usize),
    /// The other stopped early, and still reached outcomes racelab did not.
    PartialExtra(BTreeSet<String>),
}

/// Compares `other`'s outcomes with racelab's complete run `reference`.
pub fn agreement(reference: &Found, other: &Found) -> Agreement {
    if !reference.complete() || matches!(other.status, Status::Crashed(_)) {
        return Agreement::Unknown;
    }
    let extra: BTreeSet<String> = other
        .outcomes
        .difference(&reference.outcomes)
        .cloned()
        .collect();
    if other.complete() {
        let missing: BTreeSet<String> = reference
            .outcomes
            .difference(&other.outcomes)
            .cloned()
            .collect();
        if missing.is_empty() && extra.is_empty() {
            Agreement::Equal
        } else {
            Agreement::Differ(missing, extra)
        }
    } else if extra.is_empty() {
        Agreement::Partial(other.outcomes.len())
    } else {
        Agreement::PartialExtra(extra)
    }
}

/// An outcome column: `=`, `−m +e`, `⊆ n/N` (partial, consistent), `+e (partial)`, `?`.
fn agreement_cell(reference: &Found, other: &Found) -> String {
    match agreement(reference, other) {
        Agreement::Unknown => "?".to_string(),
        Agreement::Equal => "=".to_string(),
        Agreement::Differ(missing, extra) => {
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("−{}", missing.len()));
            }
            if !extra.is_empty() {
                parts.push(format!("+{}", extra.len()));
            }
            parts.join(" ")
        }
        Agreement::Partial(n) => format!("⊆ {n}/{}", reference.outcomes.len()),
        Agreement::PartialExtra(extra) => format!("+{} (partial)", extra.len()),
    }
}

/// The memory model racelab's search ran under, short.
fn model(found: &Found) -> String {
    match found.model.as_deref() {
        Some(m) if m.starts_with("RC11") => {
            if m.contains("forced") {
                "RC11 (forced)".to_string()
            } else {
                "RC11".to_string()
            }
        }
        Some(m) if m.starts_with("sequentially") => "SC".to_string(),
        _ => "—".to_string(),
    }
}

/// The traces column: the every-order search's distinct traces when it finished, marked
/// "SC" when racelab ran under RC11 (the every-order search interleaves sequentially
/// consistent atomics only, so it counts the SC traces).
fn every_order_traces(row: &Row) -> String {
    if !row.every_order.complete() {
        return "—".to_string();
    }
    let n = row.every_order.distinct.map_or("?".to_string(), count);
    if model(&row.racelab).starts_with("RC11") {
        format!("{n} (SC)")
    } else {
        n
    }
}

/// The column headers.
const HEADERS: [&str; 15] = [
    "program",
    "racelab executions",
    "distinct traces (racelab)",
    "traces (every order)",
    "loom executions",
    "shuttle DFS executions",
    "racelab time",
    "loom time",
    "shuttle time",
    "racelab/loom ratio",
    "racelab model",
    "outcomes",
    "every order =?",
    "loom =?",
    "shuttle =?",
];

/// One table line of `row`.
fn cells(row: &Row) -> Vec<String> {
    let every = every_order_traces(row);
    vec![
        row.name.clone(),
        racelab_executions(&row.racelab),
        row.racelab.distinct.map_or("—".to_string(), count),
        every,
        executions(&row.loom),
        executions(&row.shuttle),
        seconds(&row.racelab),
        seconds(&row.loom),
        seconds(&row.shuttle),
        ratio(row),
        model(&row.racelab),
        if row.racelab.complete() {
            row.racelab.outcomes.len().to_string()
        } else {
            "?".to_string()
        },
        agreement_cell(&row.racelab, &row.every_order),
        agreement_cell(&row.racelab, &row.loom),
        agreement_cell(&row.racelab, &row.shuttle),
    ]
}

/// A table of `headers` and `lines` in `format`.
fn table(format: Format, headers: &[&str], lines: &[Vec<String>]) -> String {
    let mut out = String::new();
    match format {
        Format::Markdown => {
            let _ = writeln!(out, "| {} |", headers.join(" | "));
            let _ = writeln!(
                out,
                "|{}",
                headers
                    .iter()
                    .enumerate()
                    .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
                    .collect::<String>()
            );
            for line in lines {
                let escaped: Vec<String> = line.iter().map(|c| c.replace('|', "\\|")).collect();
                let _ = writeln!(out, "| {} |", escaped.join(" | "));
            }
        }
        Format::Text => {
            let width = |i: usize| {
                lines
                    .iter()
                    .map(|l| l[i].chars().count())
                    .chain([headers[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            };
            let widths: Vec<usize> = (0..headers.len()).map(width).collect();
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let pad = widths[i] - c.chars().count();
                        if i == 0 {
                            format!("{c}{}", " ".repeat(pad))
                        } else {
                            format!("{}{c}", " ".repeat(pad))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            let _ = writeln!(out, "{}", line(headers.to_vec()));
            for l in lines {
                let _ = writeln!(out, "{}", line(l.iter().map(String::as_str).collect()));
            }
        }
    }
    out
}

/// The table of `rows`.
pub fn render(format: Format, rows: &[Row]) -> String {
    let lines: Vec<Vec<String>> = rows.iter().map(cells).collect();
    table(format, &HEADERS, &lines)
}

/// A bullet line.
fn bullet(format: Format, text: &str) -> String {
    match format {
        Format::Markdown => format!("- {text}\n"),
        Format::Text => format!("* {text}\n"),
    }
}

/// A set of outcomes, on one line.
fn set(outcomes: &BTreeSet<String>) -> String {
    outcomes.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// What each checker's outcome set lacks or adds, against racelab's, for `row` (empty if
/// nothing differs); then how checkers that stopped early stopped, and the notes.
fn row_details(format: Format, row: &Row) -> String {
    let mut out = String::new();
    for (name, other) in [
        ("every order", &row.every_order),
        ("loom", &row.loom),
        ("shuttle DFS", &row.shuttle),
    ] {
        match agreement(&row.racelab, other) {
            Agreement::Differ(missing, extra) => {
                let mut text = format!("{}: {name}", row.name);
                if !missing.is_empty() {
                    let _ = write!(text, " misses {}", set(&missing));
                }
                if !extra.is_empty() {
                    if !missing.is_empty() {
                        text.push(';');
                    }
                    let _ = write!(text, " reaches what racelab does not: {}", set(&extra));
                }
                out.push_str(&bullet(format, &text));
            }
            Agreement::PartialExtra(extra) => {
                out.push_str(&bullet(
                    format,
                    &format!(
                        "{}: {name} (stopped early) reaches what racelab does not: {}",
                        row.name,
                        set(&extra)
                    ),
                ));
            }
            _ => {}
        }
    }
    out
}

/// How checkers that did not finish stopped, and the notes, for `row`.
fn row_stops(format: Format, row: &Row) -> String {
    let mut out = String::new();
    for (name, found) in [
        ("racelab", &row.racelab),
        ("every order", &row.every_order),
        ("loom", &row.loom),
        ("shuttle DFS", &row.shuttle),
    ] {
        let stop = match &found.status {
            Status::Complete => None,
            Status::Budget(why) => Some(format!("stopped {why}")),
            Status::Failed(why) => Some(format!("stopped: {why}")),
            Status::Crashed(why) => Some(format!("crashed: {why}")),
        };
        let notes: Vec<&String> = found
            .notes
            .iter()
            .filter(|n| !n.starts_with("cross-check with run.rs: same"))
            .collect();
        if stop.is_some() || !notes.is_empty() {
            let mut text = format!("{}: {name}", row.name);
            if let Some(stop) = stop {
                let _ = write!(text, " {stop}");
            }
            for n in notes {
                let _ = write!(text, "; {n}");
            }
            out.push_str(&bullet(format, &text));
        }
    }
    out
}

/// The lines under a named table: racelab's outcomes per program, every difference in
/// outcome sets, and how each checker that did not finish stopped.
pub fn differences(format: Format, rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("Outcomes racelab reached (a deadlock is `Stuck`):\n\n");
    for row in rows {
        out.push_str(&bullet(
            format,
            &format!("{}: {}", row.name, set(&row.racelab.outcomes)),
        ));
    }
    let diffs: String = rows.iter().map(|r| row_details(format, r)).collect();
    out.push_str("\nOutcome-set differences against racelab:\n\n");
    if diffs.is_empty() {
        out.push_str(&bullet(format, "none"));
    } else {
        out.push_str(&diffs);
    }
    let stops: String = rows.iter().map(|r| row_stops(format, r)).collect();
    if !stops.is_empty() {
        out.push_str("\nChecks that did not finish, and notes:\n\n");
        out.push_str(&stops);
    }
    out
}

/// Median of `values` (sorted here); `None` if empty.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Counts of how one checker's outcome sets compare with racelab's.
#[derive(Default)]
struct Tally {
    /// Both complete, equal.
    equal: usize,
    /// Both complete, different.
    differ: usize,
    /// The checker stopped early with only outcomes racelab reached.
    partial: usize,
    /// The checker stopped early with outcomes racelab did not reach.
    partial_extra: usize,
    /// Nothing to compare.
    unknown: usize,
}

impl Tally {
    /// Counts one comparison.
    fn add(&mut self, a: &Agreement) {
        match a {
            Agreement::Equal => self.equal += 1,
            Agreement::Differ(..) => self.differ += 1,
            Agreement::Partial(_) => self.partial += 1,
            Agreement::PartialExtra(_) => self.partial_extra += 1,
            Agreement::Unknown => self.unknown += 1,
        }
    }

    /// One line of the summary.
    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {} compared (both complete): {} equal, {} differ; stopped early: {} with \
             only outcomes racelab reached, {} with outcomes racelab did not; {} not comparable",
            self.equal + self.differ,
            self.equal,
            self.differ,
            self.partial,
            self.partial_extra,
            self.unknown
        )
    }
}

/// How checkers ended, counted: complete, budget, each kind of failure, crashed.
fn ends(rows: &[Row], pick: impl Fn(&Row) -> &Found) -> String {
    let (mut complete, mut budget, mut deadlock, mut branches, mut other, mut crashed) =
        (0, 0, 0, 0, 0, 0);
    for r in rows {
        match &pick(r).status {
            Status::Complete => complete += 1,
            Status::Budget(_) => budget += 1,
            Status::Failed(w) if w.starts_with("deadlock") => deadlock += 1,
            Status::Failed(w) if w.starts_with("more than") => branches += 1,
            Status::Failed(_) => other += 1,
            Status::Crashed(_) => crashed += 1,
        }
    }
    let mut parts = vec![
        format!("{complete} complete"),
        format!("{budget} out of budget"),
    ];
    if deadlock > 0 {
        parts.push(format!("{deadlock} stopped at their first deadlock"));
    }
    if branches > 0 {
        parts.push(format!("{branches} stopped at the branch limit"));
    }
    if other > 0 {
        parts.push(format!(
            "{other} stopped at a failure (a deadlock, or a step limit)"
        ));
    }
    if crashed > 0 {
        parts.push(format!("{crashed} crashed"));
    }
    parts.join(", ")
}

/// The summary of the generated programs: how each checker ended, racelab against loom
/// (goal: never more executions), the outcome sets, then every notable program (racelab
/// ran more than loom, or an outcome set differs), and all rows if asked.
pub fn generated_summary(
    format: Format,
    seed: u64,
    subjects: &[Subject],
    rows: &[Row],
    all_rows: bool,
) -> String {
    let mut out = String::new();
    let mut by_threads = std::collections::BTreeMap::new();
    for s in subjects {
        if let Subject::Generated { program, .. } = s {
            *by_threads.entry(threads(program)).or_insert(0) += 1;
        }
    }
    let _ = writeln!(
        out,
        "{} programs: the first with at most 4 threads (children included) that seed {seed:#x} \
         generates (by threads: {}).\n",
        rows.len(),
        by_threads
            .iter()
            .map(|(t, n)| format!("{t}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let cross_same = rows
        .iter()
        .filter(|r| {
            r.racelab
                .notes
                .iter()
                .any(|n| n.starts_with("cross-check with run.rs: same"))
        })
        .count();
    let cross_differs = rows
        .iter()
        .filter(|r| r.racelab.notes.iter().any(|n| n.contains("DIFFERS")))
        .count();
    out.push_str(&bullet(
        format,
        &format!("racelab (exhaustive): {}", ends(rows, |r| &r.racelab)),
    ));
    out.push_str(&bullet(
        format,
        &format!(
            "cross-check: tests/oracles/differential/run.rs's own racelab check reached the same \
             outcomes in as many executions on {cross_same} programs, different on \
             {cross_differs}"
        ),
    ));
    out.push_str(&bullet(
        format,
        &format!("every order: {}", ends(rows, |r| &r.every_order)),
    ));
    out.push_str(&bullet(
        format,
        &format!("loom: {}", ends(rows, |r| &r.loom)),
    ));
    out.push_str(&bullet(
        format,
        &format!("shuttle DFS: {}", ends(rows, |r| &r.shuttle)),
    ));
    // Optimality: racelab's executions against the number of traces.
    let both_traces: Vec<&Row> = rows
        .iter()
        .filter(|r| r.racelab.complete() && r.every_order.complete())
        .collect();
    let optimal = both_traces
        .iter()
        .filter(|r| Some(r.racelab.executions) == r.every_order.distinct)
        .count();
    let distinct_equal = both_traces
        .iter()
        .filter(|r| r.racelab.distinct == r.every_order.distinct)
        .count();
    let off: Vec<String> = both_traces
        .iter()
        .filter(|r| {
            Some(r.racelab.executions) != r.every_order.distinct
                || r.racelab.distinct != r.every_order.distinct
        })
        .map(|r| {
            format!(
                "{}: {} executions, {} distinct, {} traces",
                r.name,
                racelab_executions(&r.racelab),
                r.racelab.distinct.map_or("—".to_string(), count),
                every_order_traces(r)
            )
        })
        .collect();
    out.push_str(&bullet(
        format,
        &format!(
            "racelab against the traces (where every order finished, {} programs): \
             executions = traces on {optimal}, distinct traces = traces on {distinct_equal}{}",
            both_traces.len(),
            if off.is_empty() {
                String::new()
            } else {
                format!("; the others: {}", off.join("; "))
            }
        ),
    ));
    // What loom's and shuttle's early stops mean: racelab's outcomes say whether the
    // program can get stuck.
    for (name, pick) in [
        ("loom", (|r: &Row| &r.loom) as fn(&Row) -> &Found),
        ("shuttle DFS", |r: &Row| &r.shuttle),
    ] {
        let failed: Vec<&Row> = rows
            .iter()
            .filter(|r| r.racelab.complete() && matches!(pick(r).status, Status::Failed(_)))
            .collect();
        if failed.is_empty() {
            continue;
        }
        let stuck = failed
            .iter()
            .filter(|r| r.racelab.outcomes.contains("Stuck"))
            .count();
        let not_stuck: Vec<&str> = failed
            .iter()
            .filter(|r| !r.racelab.outcomes.contains("Stuck"))
            .map(|r| r.name.as_str())
            .collect();
        out.push_str(&bullet(
            format,
            &format!(
                "{name} stopped at a failure on {} programs racelab finished; racelab found \
                 that {stuck} of them can get stuck (a deadlock, or a spin that never ends){}",
                failed.len(),
                if not_stuck.is_empty() {
                    String::new()
                } else {
                    format!(", and the others cannot: {}", not_stuck.join(", "))
                }
            ),
        ));
    }
    // racelab against loom.
    let both: Vec<&Row> = rows
        .iter()
        .filter(|r| r.racelab.complete() && r.loom.complete())
        .collect();
    let more: Vec<&&Row> = both
        .iter()
        .filter(|r| r.racelab.executions > r.loom.executions)
        .collect();
    let same = both
        .iter()
        .filter(|r| r.racelab.executions == r.loom.executions)
        .count();
    let mut ratios: Vec<(f64, &str)> = both
        .iter()
        .map(|r| {
            (
                r.racelab.executions as f64 / r.loom.executions.max(1) as f64,
                r.name.as_str(),
            )
        })
        .collect();
    ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut values: Vec<f64> = ratios.iter().map(|r| r.0).collect();
    let median_ratio = median(&mut values);
    let (racelab_total, loom_total): (usize, usize) = both
        .iter()
        .map(|r| (r.racelab.executions, r.loom.executions))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    out.push_str(&bullet(
        format,
        &format!(
            "racelab against loom, where both explored everything ({} programs): racelab ran \
             more executions on {} (goal: never), as many on {same}, fewer on {}; \
             racelab/loom median {}, max {}, min {}; in all {} racelab executions, {} loom",
            both.len(),
            more.len(),
            both.len() - more.len() - same,
            median_ratio.map_or("—".to_string(), significant),
            ratios.last().map_or("—".to_string(), |(r, n)| format!(
                "{} ({n})",
                significant(*r)
            )),
            ratios.first().map_or("—".to_string(), |(r, n)| format!(
                "{} ({n})",
                significant(*r)
            )),
            count(racelab_total),
            count(loom_total),
        ),
    ));
    let loom_bounded: Vec<&Row> = rows
        .iter()
        .filter(|r| r.racelab.complete() && matches!(r.loom.status, Status::Budget(_)))
        .collect();
    if !loom_bounded.is_empty() {
        out.push_str(&bullet(
            format,
            &format!(
                "loom ran out of budget on {} programs racelab finished (racelab ran fewer \
                 executions than loom's partial count on {} of them)",
                loom_bounded.len(),
                loom_bounded
                    .iter()
                    .filter(|r| r.racelab.executions < r.loom.executions)
                    .count()
            ),
        ));
    }
    let mut tallies = [Tally::default(), Tally::default(), Tally::default()];
    for r in rows {
        tallies[0].add(&agreement(&r.racelab, &r.every_order));
        tallies[1].add(&agreement(&r.racelab, &r.loom));
        tallies[2].add(&agreement(&r.racelab, &r.shuttle));
    }
    out.push_str(&bullet(format, "outcome sets against racelab's:"));
    for (tally, name) in tallies.iter().zip(["every order", "loom", "shuttle DFS"]) {
        let line = tally.line(name);
        match format {
            Format::Markdown => {
                let _ = writeln!(out, "  - {line}");
            }
            Format::Text => {
                let _ = writeln!(out, "    - {line}");
            }
        }
    }
    // Notable programs.
    let programs = |names: &[&str]| -> String {
        let mut text = String::new();
        for (s, r) in subjects.iter().zip(rows) {
            if !names.contains(&r.name.as_str()) {
                continue;
            }
            if let Subject::Generated { program, .. } = s {
                let _ = writeln!(
                    text,
                    "\n{}: racelab {} (distinct {}), loom {}, shuttle {}, every-order traces \
                     {}\n",
                    r.name,
                    racelab_executions(&r.racelab),
                    r.racelab.distinct.map_or("—".to_string(), count),
                    executions(&r.loom),
                    executions(&r.shuttle),
                    every_order_traces(r)
                );
                let _ = writeln!(
                    text,
                    "```\n{program}{program:?}\n```\n{}",
                    row_details(format, r)
                );
            }
        }
        text
    };
    let more_names: Vec<&str> = more.iter().map(|r| r.name.as_str()).collect();
    let _ = writeln!(
        out,
        "\nPrograms on which racelab ran more executions than loom: {}",
        if more_names.is_empty() {
            "none.".to_string()
        } else {
            programs(&more_names)
        }
    );
    let differing: Vec<&str> = rows
        .iter()
        .filter(|r| {
            [&r.every_order, &r.loom, &r.shuttle].iter().any(|o| {
                matches!(
                    agreement(&r.racelab, o),
                    Agreement::Differ(..) | Agreement::PartialExtra(_)
                )
            })
        })
        .map(|r| r.name.as_str())
        .collect();
    let _ = writeln!(
        out,
        "Programs whose outcome sets differ from racelab's: {}",
        if differing.is_empty() {
            "none.".to_string()
        } else {
            format!("{}.\n{}", differing.len(), programs(&differing))
        }
    );
    let cross: Vec<&str> = rows
        .iter()
        .filter(|r| r.racelab.notes.iter().any(|n| n.contains("DIFFERS")))
        .map(|r| r.name.as_str())
        .collect();
    if !cross.is_empty() {
        let _ = writeln!(
            out,
            "Programs on which this crate's racelab run and run.rs's differ: {}",
            programs(&cross)
        );
    }
    if all_rows {
        let _ = writeln!(out, "All generated programs:\n");
        out.push_str(&render(format, rows));
        let stops: String = rows.iter().map(|r| row_stops(format, r)).collect();
        out.push_str(&stops);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(significant(0.5), "0.50");
        assert_eq!(significant(0.0123), "0.012");
        assert_eq!(significant(0.000085), "0.000085");
        assert_eq!(significant(12.0), "12.00");
    }

    #[test]
    fn outcome_sets_against_racelab() {
        let with = |status: Status, outcomes: &[&str]| Found {
            outcomes: outcomes.iter().map(|s| s.to_string()).collect(),
            ..Found::empty(status)
        };
        let reference = with(Status::Complete, &["a", "b"]);
        assert_eq!(
            agreement(&reference, &with(Status::Complete, &["a", "b"])),
            Agreement::Equal
        );
        assert_eq!(
            agreement_cell(&reference, &with(Status::Complete, &["a", "c"])),
            "−1 +1"
        );
        assert_eq!(
            agreement_cell(&reference, &with(Status::Budget("t".into()), &["a"])),
            "⊆ 1/2"
        );
        assert_eq!(
            agreement_cell(&reference, &with(Status::Failed("f".into()), &["c"])),
            "+1 (partial)"
        );
        let bounded = with(Status::Budget("t".into()), &["a"]);
        assert_eq!(agreement(&bounded, &reference), Agreement::Unknown);
    }
}
