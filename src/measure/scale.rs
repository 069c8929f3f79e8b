//! How exploring every interleaving grows with a scenario's size (`racelab measure scale`):
//! for every size `racelab explore` accepts, the interleavings, the executions that found
//! them and the time.

use std::time::Instant;

use serde::Serialize;

use crate::teach::Params;
use crate::teach::explore::{Unfinished, explore};
use crate::teach::sizes::Purpose;
use crate::teach::{Kind, Scenario};

/// One size of one scenario, explored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The scenario.
    pub scenario: &'static str,
    /// Its size flags (`--threads 3 --increments 2`), empty at a fixed size.
    pub size: String,
    /// Distinct interleavings.
    pub interleavings: usize,
    /// Executions run to find them (more where a blocked thread ends a run early).
    pub executions: usize,
    /// Seconds.
    pub seconds: f64,
}

/// Every size `racelab explore` accepts for `kind`, smallest first.
pub fn accepted_sizes(kind: Kind) -> Vec<Scenario> {
    let mut sizes = vec![kind.default_params()];
    for &flag in kind.flags() {
        sizes = sizes
            .into_iter()
            .flat_map(|p| {
                kind.range(flag, Purpose::Explore).map(move |v| {
                    let mut q: Params = p;
                    flag.set(&mut q, v);
                    q
                })
            })
            .collect();
    }
    sizes
        .into_iter()
        .filter_map(|p| Scenario::new(kind, p).ok())
        .collect()
}

fn size_flags(scenario: &Scenario) -> String {
    let p = scenario.params();
    scenario
        .kind()
        .flags()
        .iter()
        .map(|&f| format!("{} {}", f.name(), f.get(&p)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Explores every accepted size of every scenario in `kinds`; `progress(done, total)`
/// after each.
pub fn measure(
    kinds: &[Kind],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Point>, Unfinished> {
    let all: Vec<Scenario> = kinds.iter().flat_map(|&k| accepted_sizes(k)).collect();
    let mut points = Vec::with_capacity(all.len());
    for (i, scenario) in all.iter().enumerate() {
        let started = Instant::now();
        let e = explore(*scenario)?;
        points.push(Point {
            scenario: scenario.kind().name(),
            size: size_flags(scenario),
            interleavings: e.interleavings,
            executions: e.executions,
            seconds: started.elapsed().as_secs_f64(),
        });
        progress(i + 1, all.len());
    }
    Ok(points)
}
