//! The exhaustive search in 1..=N parallel jobs (`racelab measure jobs`): executions, time,
//! the speed-up over one job and its ratio to linear, and whether every number of jobs gave
//! the same report (issue 23).

use std::time::Instant;

use serde::Serialize;

use crate::check::{Report, Search, Verdict, check};
use crate::checked::trace::Recorder;
use crate::teach::{EndState, Scenario};

/// One number of jobs on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The scenario, as `racelab check` names it.
    pub scenario: String,
    /// Parallel jobs.
    pub jobs: usize,
    /// Executions (the same for every number of jobs).
    pub executions: usize,
    /// Seconds, the best of the runs.
    pub seconds: f64,
    /// Time in one job over time in `jobs`.
    pub speedup: f64,
    /// `speedup / jobs`: 1.0 is linear.
    pub of_linear: f64,
    /// Subtrees handed from one job to another (in the best run).
    pub handed_over: usize,
    /// The outcome table, counts and witnesses equal those of one job.
    pub same_report: bool,
}

/// Runs `scenario`'s check exhaustively in 1..=`max_jobs` jobs, `runs` times each (the best
/// time counts); `progress(done, total)` after each run.
pub fn measure(
    scenario: Scenario,
    max_jobs: usize,
    runs: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Point> {
    let total = max_jobs * runs;
    let mut points: Vec<Point> = Vec::new();
    // One job's report and time, which every other number of jobs is compared with.
    let mut serial: Option<(Report<EndState>, f64)> = None;
    for jobs in 1..=max_jobs {
        let mut best: Option<(f64, Report<EndState>)> = None;
        for run in 0..runs {
            let start = Instant::now();
            let report = check(move || scenario.run(&Recorder::new()))
                .expect(move |o| scenario.verdict(o) == Verdict::Acceptable)
                .search(Search::Exhaustive)
                .max_executions(usize::MAX)
                .jobs(jobs)
                .run();
            let seconds = start.elapsed().as_secs_f64();
            if best.as_ref().is_none_or(|b| seconds < b.0) {
                best = Some((seconds, report));
            }
            progress((jobs - 1) * runs + run + 1, total);
        }
        let (seconds, report) = best.expect("at least one run");
        let (one, one_seconds) = serial.get_or_insert_with(|| (report.clone(), seconds));
        points.push(Point {
            scenario: scenario.describe(),
            jobs,
            executions: report.executions,
            seconds,
            speedup: *one_seconds / seconds,
            of_linear: *one_seconds / seconds / jobs as f64,
            handed_over: report.coverage.phases.iter().map(|p| p.handed_over).sum(),
            same_report: one.same_findings(&report),
        });
    }
    points
}
