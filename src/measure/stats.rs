//! Median and spread of repeated timings.

use std::time::Duration;

use serde::Serialize;

/// What repeated runs of one measurement took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// How many runs.
    pub runs: usize,
    /// The median run, in nanoseconds.
    pub median_ns: u128,
    /// The 10th percentile (the fast end of the spread), in nanoseconds.
    pub p10_ns: u128,
    /// The 90th percentile (the slow end), in nanoseconds.
    pub p90_ns: u128,
}

impl Summary {
    /// Summarises `samples` (at least one).
    pub fn of(mut samples: Vec<Duration>) -> Summary {
        assert!(!samples.is_empty(), "a summary needs a sample");
        samples.sort_unstable();
        let at = |q: usize| samples[(samples.len() - 1) * q / 100].as_nanos();
        Summary {
            runs: samples.len(),
            median_ns: at(50),
            p10_ns: at(10),
            p90_ns: at(90),
        }
    }

    /// The median as a duration.
    pub fn median(&self) -> Duration {
        Duration::from_nanos(u64::try_from(self.median_ns).unwrap_or(u64::MAX))
    }
}

/// "12.3 µs", "4.56 ms", "1.20 s".
pub fn human(ns: u128) -> String {
    let ns = ns as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// [`human`] for a number of seconds.
pub fn human_seconds(seconds: f64) -> String {
    human((seconds * 1e9) as u128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentiles_of_a_known_sample() {
        let s = Summary::of((1..=11).rev().map(Duration::from_nanos).collect());
        assert_eq!((s.runs, s.p10_ns, s.median_ns, s.p90_ns), (11, 2, 6, 10));
        assert_eq!(human(1_500), "1.5 µs");
        assert_eq!(human(2_500_000_000), "2.50 s");
    }
}
