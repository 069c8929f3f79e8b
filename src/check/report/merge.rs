//! Merging the reports of the shards of one split search ([`crate::check::Check::shard`])
//! into the report of the whole search.
//!
//! Shards partition the search's executions (see `crate::check::search::trust::ShardOf`),
//! so the whole search's table is the sum of theirs: counts add up, a witness is the best
//! of the shards' by the same [`order::rank`] a single run uses, and rows are ordered as a
//! single run orders them. The merged report is therefore the one a single run would have
//! given (tested on the corpus and on generated programs, `tests/check/shards.rs`).

use std::fmt;
use std::hash::Hash;

use super::erased::{self, Erased};
use super::{Report, Witness, order};
use crate::check::coverage::{Method, Phase, Shards, StopReason, chained, in_chain_order};
use crate::check::run::Outcome;

/// Why reports could not be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError {
    message: String,
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MergeError {}

fn error(message: String) -> MergeError {
    MergeError { message }
}

impl<O: Outcome> Report<O> {
    /// Merges the reports of shards of one search ([`crate::check::Check::shard`]) into
    /// one: rows and executions added up, the best witness of each forbidden ending, the
    /// requirements reached in any shard, and coverage over the shards merged — exhaustive
    /// when every shard from 1 to the count is there (and each ran to its end),
    /// [`CoverageKind::Partial`](crate::check::CoverageKind::Partial) otherwise. The time is
    /// the longest shard's (shards run side by side).
    ///
    /// # Errors
    ///
    /// If there is no report, one is not a shard's, they split the search into different
    /// counts, a shard is there twice, or they are of different checks (names,
    /// requirements or memory models differ: a shard that met an ordering weaker than
    /// `SeqCst` searched again under RC11, and its part is then another search's — force
    /// [`MemoryModel::Rc11`](crate::check::MemoryModel::Rc11) in every shard).
    pub fn merge(parts: impl IntoIterator<Item = Report<O>>) -> Result<Report<O>, MergeError> {
        // Merged with outcomes erased, so that what follows is compiled once.
        let parts = parts.into_iter().map(erased::erased).collect();
        merge_erased(parts).map(erased::typed)
    }
}

/// [`Report::merge`], with outcomes erased.
fn merge_erased(mut parts: Vec<Report<Erased>>) -> Result<Report<Erased>, MergeError> {
    if parts.is_empty() {
        return Err(error("racelab: no report to merge".into()));
    }
    if parts.iter().all(|p| !p.coverage.segments.is_empty()) {
        return merge_segments(parts);
    }
    let mut shards = Vec::with_capacity(parts.len());
    for part in &parts {
        match &part.coverage.shards {
            Some(s) => shards.push(s.clone()),
            None => {
                return Err(error(format!(
                    "racelab: the report of {:?} is neither a shard's (Check::shard, \
                     RACELAB_SHARD=index/count) nor a stretch of a checkpointed search's \
                     (Check::checkpoint): there is nothing to merge it with",
                    part.name
                )));
            }
        }
    }
    let count = shards[0].count;
    if let Some(other) = shards.iter().find(|s| s.count != count) {
        return Err(error(format!(
            "racelab: the reports split the search differently ({} and {}): merge the \
             shards of one split",
            shards[0], other
        )));
    }
    let mut covered: Vec<usize> = shards.iter().flat_map(|s| s.covered.clone()).collect();
    covered.sort_unstable();
    if let Some(w) = covered.windows(2).find(|w| w[0] == w[1]) {
        return Err(error(format!(
            "racelab: shard {} of {count} is there twice",
            w[0]
        )));
    }
    // The part with the lowest shard first: its phases (shard 1 alone runs the probe
    // and the sampling) frame the merged coverage.
    parts.sort_by_key(|p| p.coverage.shards.as_ref().map(|s| s.covered[0]));
    same_check(&parts)?;
    Ok(combine(parts, Some(Shards { count, covered })))
}

/// Merges the reports of the stretches of one checkpointed search (each has its segments).
fn merge_segments<O: Clone + fmt::Debug + Eq + Hash>(
    parts: Vec<Report<O>>,
) -> Result<Report<O>, MergeError> {
    let ordered = in_chain_order(parts, |p| {
        let segments = &p.coverage.segments;
        (
            segments.first().and_then(|s| s.from.clone()),
            segments.last().and_then(|s| s.to.clone()),
        )
    });
    same_check(&ordered)?;
    let mut merged = combine(ordered, None);
    if chained(&merged.coverage.segments) {
        // The chain ran to the end: a stretch's budget no longer matters (a stop that says
        // the search fell short of exhaustive still does).
        for phase in &mut merged.coverage.phases {
            if phase.method == Method::Exhaustive
                && matches!(
                    phase.stopped,
                    Some(StopReason::Executions(_) | StopReason::Time(_))
                )
            {
                phase.stopped = None;
            }
        }
    }
    Ok(merged)
}

/// Checks that `parts` are parts of one check: the same name, requirements, model and
/// spurious wake-ups.
fn same_check<O>(parts: &[Report<O>]) -> Result<(), MergeError> {
    let first = &parts[0];
    for part in &parts[1..] {
        let differs = if part.name != first.name {
            Some("names")
        } else if part
            .requirements
            .iter()
            .map(|r| &r.description)
            .ne(first.requirements.iter().map(|r| &r.description))
        {
            Some("requirements")
        } else if part.coverage.model != first.coverage.model {
            Some("memory models")
        } else {
            None
        };
        if part.coverage.spurious_wakeups != first.coverage.spurious_wakeups {
            return Err(error(format!(
                "racelab: the parts of {:?} differ in Check::spurious_wakeups (one explored \
                 spurious wake-ups, one did not): merge the parts of one check",
                first.name
            )));
        }
        if part.coverage.spurious_failures != first.coverage.spurious_failures {
            return Err(error(format!(
                "racelab: the parts of {:?} differ in Check::spurious_failures ({} and {} \
                 per thread): merge the parts of one check",
                first.name, first.coverage.spurious_failures, part.coverage.spurious_failures
            )));
        }
        if part.coverage.wakeup_limit != first.coverage.wakeup_limit {
            let limit = |l: Option<u32>| l.map_or("no limit".to_string(), |n| n.to_string());
            return Err(error(format!(
                "racelab: the parts of {:?} differ in Check::wakeups_without_notify ({} and \
                 {}): merge the parts of one check",
                first.name,
                limit(first.coverage.wakeup_limit),
                limit(part.coverage.wakeup_limit)
            )));
        }
        if let Some(what) = differs {
            return Err(error(format!(
                "racelab: the parts' {what} differ ({:?}: {:?}; {:?}: {:?}): merge the \
                     parts of one check{}",
                first.name,
                first.coverage.model.map(|m| m.0.to_string()),
                part.name,
                part.coverage.model.map(|m| m.0.to_string()),
                if what == "memory models" {
                    "; a shard that meets an ordering weaker than SeqCst searches again \
                         under RC11: force MemoryModel::Rc11 in every shard"
                } else {
                    ""
                }
            )));
        }
    }
    Ok(())
}

/// Adds up `parts` (checked to be parts of one check, in order).
fn combine<O: Clone + fmt::Debug + Eq + Hash>(
    parts: Vec<Report<O>>,
    shards: Option<Shards>,
) -> Report<O> {
    let mut parts = parts.into_iter();
    let mut merged = parts.next().expect("one report at least");
    for part in parts {
        for row in part.rows {
            match merged.rows.iter_mut().find(|r| r.ending == row.ending) {
                Some(r) => r.executions += row.executions,
                None => merged.rows.push(row),
            }
        }
        for witness in part.witnesses {
            add_witness(&mut merged.witnesses, witness);
        }
        for (mine, theirs) in merged.requirements.iter_mut().zip(&part.requirements) {
            mine.reached |= theirs.reached;
        }
        add_phases(&mut merged.coverage.phases, part.coverage.phases);
        merged.coverage.segments.extend(part.coverage.segments);
        merged.executions += part.executions;
        merged.elapsed = merged.elapsed.max(part.elapsed);
        for note in part.notes {
            if !merged.notes.contains(&note) {
                merged.notes.push(note);
            }
        }
        merged.schedules.extend(part.schedules);
    }
    order::sort_rows(&mut merged.rows);
    let position = |w: &Witness<O>| merged.rows.iter().position(|r| r.ending == w.ending);
    let mut witnesses = std::mem::take(&mut merged.witnesses);
    witnesses.sort_by_key(|w| position(w));
    merged.witnesses = witnesses;
    if shards.is_some() {
        merged.coverage.shards = shards;
    }
    merged
}

/// Keeps the better of `witness` and the one of its ending already in `witnesses`.
fn add_witness<O: Clone + fmt::Debug + Eq + Hash>(
    witnesses: &mut Vec<Witness<O>>,
    witness: Witness<O>,
) {
    let rank = |w: &Witness<O>| order::rank(&w.trace, order::digest(&w.ending, &w.trace));
    match witnesses.iter_mut().find(|w| w.ending == witness.ending) {
        Some(w) if rank(&witness) < rank(w) => *w = witness,
        Some(_) => {}
        None => witnesses.push(witness),
    }
}

/// Adds a shard's exhaustive phase into the merged one (every shard runs one; what else
/// runs, the probe and the sampling, runs in shard 1 alone).
fn add_phases(merged: &mut Vec<Phase>, part: Vec<Phase>) {
    for phase in part {
        match merged
            .iter_mut()
            .find(|p| p.method == Method::Exhaustive && phase.method == Method::Exhaustive)
        {
            Some(p) => {
                p.executions += phase.executions;
                p.abandoned += phase.abandoned;
                p.distinct = p.distinct.zip(phase.distinct).map(|(a, b)| a + b);
                p.stopped = p.stopped.or(phase.stopped);
                p.jobs = p.jobs.max(phase.jobs);
                p.handed_over += phase.handed_over;
            }
            None => merged.push(phase),
        }
    }
}
