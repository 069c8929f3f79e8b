//! Random schedules: at every decision point, any thread that can run, with equal chance.
//! Seeded, so that a run is repeatable.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Point, Strategy};

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Random {
    rng: Pcg64Mcg,
    executions: usize,
    left: usize,
}

impl Random {
    /// `executions` schedules drawn from `seed`.
    pub(crate) fn new(seed: u64, executions: usize) -> Self {
        Random {
            rng: Pcg64Mcg::seed_from_u64(seed),
            executions: 0,
            left: executions,
        }
    }

    /// Executions started so far.
    #[allow(dead_code)]
    pub(crate) fn executions(&self) -> usize {
        self.executions
    }
}

impl Strategy for Random {
    fn fail_spuriously(&mut self) -> bool {
        self.rng.gen_bool(0.5)
    }

    fn new_execution(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.executions += 1;
        true
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        let enabled: Vec<usize> = point.enabled().collect();
        Some(enabled[self.rng.gen_range(0..enabled.len())])
    }
}
