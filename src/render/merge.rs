//! `racelab merge`: the JSON reports of the shards of one split search (`racelab check
//! --shard I/N --format json`, or [`crate::render::json::report`] of a check run with
//! `Check::shard`) added up into the whole search's report.
//!
//! The same rules as [`crate::check::Report::merge`], on the JSON: the shards partition
//! the search's executions, so counts add up; a witness is the best of the shards' by the
//! rank a single run keeps its witness by (the JSON carries it); rows are ordered as a
//! single run orders them. The merged report covers the whole search exactly when every
//! shard from 1 to the count is there once.

use std::collections::BTreeSet;

use super::report_json::{OutcomeCount, ReportJson, SegmentJson, ShardsJson, to_json};
use crate::check::coverage::{self, Segment};
use crate::check::report::order::natural;

/// The merge of shard reports (see the module docs).
#[derive(Debug, Clone)]
pub struct Merged {
    report: ReportJson,
}

/// Reads the JSON reports `inputs` (each with the name of the file it came from) and adds
/// them up; an error says which report is wrong and why, in one line.
pub fn merge(inputs: &[(String, String)]) -> Result<Merged, String> {
    let mut read = Vec::with_capacity(inputs.len());
    for (file, text) in inputs {
        let part: ReportJson = serde_json::from_str(text)
            .map_err(|e| format!("racelab: {file} is not a racelab report in JSON ({e})"))?;
        read.push((file.as_str(), part));
    }
    if !read.is_empty() && read.iter().all(|(_, p)| !p.coverage.segments.is_empty()) {
        return merge_segments(read);
    }
    let mut parts = Vec::with_capacity(read.len());
    for (file, part) in read {
        let Some(shards) = part.coverage.shards.clone() else {
            return Err(format!(
                "racelab: {file} is the report of a search neither split into shards \
                 (racelab check --shard I/N) nor saved at checkpoints (racelab check \
                 --checkpoint FILE): there is nothing to merge it with"
            ));
        };
        parts.push((file, shards, part));
    }
    let Some((first_file, first_shards, _)) = parts.first() else {
        return Err("racelab: no report to merge: name the JSON reports of the shards".into());
    };
    let count = first_shards.count;
    for (file, shards, part) in &parts {
        if shards.count != count {
            return Err(format!(
                "racelab: {file} is a shard of a search split {} ways, {first_file} of one \
                 split {count} ways: merge the shards of one split",
                shards.count
            ));
        }
        same_check(first_file, &parts[0].2, file, part)?;
    }
    let mut covered: Vec<usize> = parts
        .iter()
        .flat_map(|(_, s, _)| s.covered.clone())
        .collect();
    covered.sort_unstable();
    if let Some(w) = covered.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!(
            "racelab: shard {} of {count} is there twice: name each shard's report once",
            w[0]
        ));
    }
    parts.sort_by_key(|(_, s, _)| s.covered.first().copied());
    let mut parts = parts.into_iter().map(|(_, _, p)| p);
    let mut merged = parts.next().expect("one report at least");
    for part in parts {
        add(&mut merged, part);
    }
    finish(&mut merged, Some(ShardsJson { count, covered }));
    Ok(Merged { report: merged })
}

/// Merges the JSON reports of the stretches of one checkpointed search.
fn merge_segments(read: Vec<(&str, ReportJson)>) -> Result<Merged, String> {
    let ordered = coverage::in_chain_order(read, |(_, p)| {
        let segments = &p.coverage.segments;
        (
            segments.first().and_then(|s| s.from.clone()),
            segments.last().and_then(|s| s.to.clone()),
        )
    });
    let (first_file, first) = &ordered[0];
    for (file, part) in &ordered[1..] {
        same_check(first_file, first, file, part)?;
    }
    let mut parts = ordered.into_iter().map(|(_, p)| p);
    let mut merged = parts.next().expect("one report at least");
    for part in parts {
        add(&mut merged, part);
    }
    finish(&mut merged, None);
    Ok(Merged { report: merged })
}

/// Whether `part` (read from `file`) is a part of the same check as `first` (from
/// `first_file`): the same name, memory model, assumptions and requirements.
fn same_check(
    first_file: &str,
    first: &ReportJson,
    file: &str,
    part: &ReportJson,
) -> Result<(), String> {
    let differs = if part.name != first.name {
        Some("checks")
    } else if part.coverage.assumptions.first() != first.coverage.assumptions.first() {
        Some(
            "memory models (a search that meets an ordering weaker than SeqCst searches \
             again under RC11: force RC11 in every part)",
        )
    } else if part.coverage.assumptions != first.coverage.assumptions {
        Some(
            "assumptions (Check::spurious_wakeups, spurious_failures or \
             wakeups_without_notify set differently in the parts?)",
        )
    } else if part
        .requirements
        .iter()
        .map(|r| &r.description)
        .ne(first.requirements.iter().map(|r| &r.description))
    {
        Some("requirements")
    } else {
        None
    };
    match differs {
        Some(what) => Err(format!(
            "racelab: {file} and {first_file} are parts of different {what}: merge the parts \
             of one check"
        )),
        None => Ok(()),
    }
}

/// Adds shard report `part` into `merged`.
fn add(merged: &mut ReportJson, part: ReportJson) {
    for row in part.outcomes {
        match merged
            .outcomes
            .iter_mut()
            .find(|r| r.outcome == row.outcome)
        {
            Some(r) => r.executions += row.executions,
            None => merged.outcomes.push(row),
        }
    }
    for witness in part.witnesses {
        match merged
            .witnesses
            .iter_mut()
            .find(|w| w.outcome == witness.outcome)
        {
            Some(w) if witness.rank < w.rank => *w = witness,
            Some(_) => {}
            None => merged.witnesses.push(witness),
        }
    }
    for (mine, theirs) in merged.requirements.iter_mut().zip(&part.requirements) {
        mine.reached |= theirs.reached;
    }
    for phase in part.coverage.phases {
        match merged
            .coverage
            .phases
            .iter_mut()
            .find(|p| p.method == EXHAUSTIVE && phase.method == EXHAUSTIVE)
        {
            Some(p) => {
                p.executions += phase.executions;
                p.abandoned += phase.abandoned;
                p.distinct = p.distinct.zip(phase.distinct).map(|(a, b)| a + b);
                p.stopped = p.stopped.take().or(phase.stopped);
                p.jobs = p.jobs.max(phase.jobs);
            }
            None => merged.coverage.phases.push(phase),
        }
    }
    merged.executions += part.executions;
    for note in part.notes {
        if !merged.notes.contains(&note) {
            merged.notes.push(note);
        }
    }
    merged.schedules.extend(part.schedules);
    merged.coverage.segments.extend(part.coverage.segments);
}

/// How the JSON names the exhaustive search's phases.
const EXHAUSTIVE: &str = "Exhaustive";

/// Whether `segments` chain from the start of a search to its end, each used once (the
/// rule of [`crate::check::Report::merge`]).
fn chained(segments: &[SegmentJson]) -> bool {
    let segments: Vec<Segment> = segments
        .iter()
        .map(|s| Segment {
            from: s.from.clone(),
            to: s.to.clone(),
        })
        .collect();
    coverage::chained(&segments)
}

/// Orders the rows and witnesses, and says what the merged report covers.
fn finish(merged: &mut ReportJson, shards: Option<ShardsJson>) {
    let forbidden = |r: &OutcomeCount| r.verdict == "forbidden";
    merged.outcomes.sort_by(|a, b| {
        (forbidden(b), b.executions)
            .cmp(&(forbidden(a), a.executions))
            .then_with(|| natural(&a.outcome, &b.outcome))
    });
    let position = |outcome: &str| merged.outcomes.iter().position(|r| r.outcome == outcome);
    let mut witnesses = std::mem::take(&mut merged.witnesses);
    witnesses.sort_by_key(|w| position(&w.outcome));
    merged.witnesses = witnesses;
    let exhaustive: Vec<_> = merged
        .coverage
        .phases
        .iter()
        .filter(|p| p.method == EXHAUSTIVE)
        .collect();
    let segments = &merged.coverage.segments;
    let complete = match &shards {
        Some(shards) => shards.covered.iter().copied().eq(1..=shards.count),
        None => chained(segments),
    };
    // A chain of stretches that reaches the end ran to its end, whatever stopped before.
    let ran_to_end = shards.is_none() && complete;
    // A stop that says the search fell short of exhaustive (not a budget) stays, however
    // the parts chain.
    let short =
        |p: &&super::report_json::Phase| p.stopped.as_deref().is_some_and(short_of_exhaustive);
    let kind = if exhaustive.is_empty() {
        "sampled"
    } else if exhaustive.iter().any(short)
        || (exhaustive.iter().any(|p| p.stopped.is_some()) && !ran_to_end)
    {
        "bounded"
    } else if complete {
        "exhaustive"
    } else {
        "partial"
    };
    let executions: usize = exhaustive.iter().map(|p| p.executions).sum();
    let parts = match &shards {
        Some(shards) => {
            let list: Vec<String> = shards.covered.iter().map(|i| i.to_string()).collect();
            format!("shards {} of {}", list.join(", "), shards.count)
        }
        None => format!("{} stretches between checkpoints", segments.len()),
    };
    let mut text = format!(
        "{kind}: {parts} merged (racelab merge){}; every execution graph (TruSt: each order \
         of conflicting operations once), {executions} executions",
        if complete {
            ""
        } else {
            ", the others not included here"
        }
    );
    let stops: BTreeSet<&str> = exhaustive
        .iter()
        .filter_map(|p| p.stopped.as_deref())
        .filter(|&stop| !ran_to_end || short_of_exhaustive(stop))
        .collect();
    for stop in stops {
        text.push_str(&format!(", stopped {stop}"));
    }
    merged.coverage.kind = kind.to_string();
    merged.coverage.text = text;
    if ran_to_end {
        for p in merged
            .coverage
            .phases
            .iter_mut()
            .filter(|p| p.method == EXHAUSTIVE)
        {
            if !p.stopped.as_deref().is_some_and(short_of_exhaustive) {
                p.stopped = None;
            }
        }
    }
    if shards.is_some() {
        merged.coverage.shards = shards;
    }
    merged.passed = !merged.outcomes.iter().any(forbidden)
        && merged.requirements.iter().all(|r| r.reached)
        && kind == "exhaustive";
}

impl Merged {
    /// Whether the whole search is covered, nothing forbidden was reached and every
    /// required outcome was.
    pub fn passed(&self) -> bool {
        self.report.passed
    }

    /// The merged report as JSON (the shape of [`crate::render::json::report`]).
    pub fn json(&self) -> String {
        to_json(&self.report)
    }

    /// The merged report as plain text: coverage, outcome table, witnesses,
    /// requirements, notes.
    pub fn text(&self) -> String {
        let r = &self.report;
        let mut out = format!("{}\n\ncoverage: {}\n\n", r.name, r.coverage.text);
        let width = r
            .outcomes
            .iter()
            .map(|o| o.outcome.chars().count())
            .max()
            .unwrap_or(0)
            .max("outcome".len());
        out.push_str(&format!(
            "  {:<width$}  {:>10}  verdict\n",
            "outcome", "executions"
        ));
        for row in &r.outcomes {
            out.push_str(&format!(
                "  {:<width$}  {:>10}  {}\n",
                row.outcome, row.executions, row.verdict
            ));
        }
        for w in &r.witnesses {
            out.push_str(&format!(
                "\nwitness of {} ({} thread switches):\n",
                w.outcome, w.switches
            ));
            for step in &w.steps {
                out.push_str(&format!("  {:<10} {}\n", step.thread_name, step.text));
            }
            for b in &w.blocked {
                out.push_str(&format!("  blocked: {}\n", b.text));
            }
            out.push_str(&format!("  {}\n", w.explanation));
        }
        for q in &r.requirements {
            out.push_str(&format!(
                "\nrequired: {} — {}\n",
                q.description,
                if q.reached { "reached" } else { "NOT reached" }
            ));
        }
        for note in &r.notes {
            out.push_str(&format!("\n{note}\n"));
        }
        out.push_str(&format!(
            "\n{}\n",
            if r.passed {
                "passed"
            } else if r.coverage.kind == "exhaustive" {
                "FAILED"
            } else {
                "not passed: the merged reports do not cover the whole search"
            }
        ));
        out
    }
}

/// Whether a phase's stop (as JSON reports write it) says the search fell short of
/// exhaustive, which no chaining of parts undoes (a budget or time stop does not).
fn short_of_exhaustive(stop: &str) -> bool {
    stop.starts_with("short of exhaustive")
}
