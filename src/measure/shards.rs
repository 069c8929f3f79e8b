//! The exhaustive search split into shards (`racelab measure shards`): for each number of
//! shards, each shard run on its own (one job, one after the other, as separate machines
//! would run them side by side), the slowest shard's time against the whole search's, and
//! whether the merged report is the whole search's (issue 23).

use std::time::Instant;

use serde::Serialize;

use crate::check::{Report, Search, Verdict, check};
use crate::checked::trace::Recorder;
use crate::teach::{EndState, Scenario};

/// One number of shards on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The scenario, as `racelab check` names it.
    pub scenario: String,
    /// Shards the search was split into.
    pub shards: usize,
    /// Executions each shard reported (they add up to the whole search's).
    pub executions: Vec<usize>,
    /// Seconds each shard took.
    pub seconds: Vec<f64>,
    /// The whole search's time over the slowest shard's: the speed-up on `shards` machines.
    pub speedup: f64,
    /// `speedup / shards`: 1.0 is linear.
    pub of_linear: f64,
    /// The shards' times added up over the whole search's: what splitting costs in all
    /// (every shard runs the trunk of the tree, and probes it to choose where to split).
    pub total_cost: f64,
    /// The merged report's outcome table, counts and witnesses equal the whole search's.
    pub same_report: bool,
}

fn run(scenario: Scenario, shard: Option<(usize, usize)>) -> (Report<EndState>, f64) {
    let start = Instant::now();
    let check = check(move || scenario.run(&Recorder::new()))
        .expect(move |o| scenario.verdict(o) == Verdict::Acceptable)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .max_executions(usize::MAX)
        .jobs(1);
    let report = match shard {
        Some((index, count)) => check.shard(index, count),
        None => check,
    }
    .run();
    (report, start.elapsed().as_secs_f64())
}

/// Runs `scenario`'s check whole, then split into each of `counts` shards;
/// `progress(done, total)` after each run.
pub fn measure(
    scenario: Scenario,
    counts: &[usize],
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Point> {
    let total = 1 + counts.iter().sum::<usize>();
    let mut done = 0;
    let (whole, whole_seconds) = run(scenario, None);
    done += 1;
    progress(done, total);
    let mut points = Vec::new();
    for &count in counts {
        let mut reports = Vec::new();
        let mut seconds = Vec::new();
        for index in 1..=count {
            let (report, s) = run(scenario, Some((index, count)));
            reports.push(report);
            seconds.push(s);
            done += 1;
            progress(done, total);
        }
        let slowest = seconds.iter().copied().fold(0.0, f64::max);
        let executions = reports.iter().map(|r| r.executions).collect();
        let same_report = Report::merge(reports).is_ok_and(|m| m.same_findings(&whole));
        points.push(Point {
            scenario: scenario.describe(),
            shards: count,
            executions,
            speedup: whole_seconds / slowest,
            of_linear: whole_seconds / slowest / count as f64,
            total_cost: seconds.iter().sum::<f64>() / whole_seconds,
            seconds,
            same_report,
        });
    }
    points
}
