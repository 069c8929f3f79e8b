//! PCT, probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): threads get
//! random priorities and the highest-priority thread that can run always runs, except at
//! `depth - 1` random change points, where the running thread drops to the lowest priority.
//! A bug that needs `d` ordering constraints is found with probability at least
//! 1 / (n · k^(d-1)) per execution, for n threads and k steps. Seeded.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Point, Strategy};

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Pct {
    rng: Pcg64Mcg,
    depth: usize,
    left: usize,
    /// Longest execution seen (steps), to place the change points.
    max_steps: usize,
    priorities: Vec<u64>,
    change_points: Vec<usize>,
}

impl Pct {
    /// `executions` schedules of depth `depth` drawn from `seed`.
    pub(crate) fn new(seed: u64, depth: usize, executions: usize) -> Self {
        Pct {
            rng: Pcg64Mcg::seed_from_u64(seed),
            depth: depth.max(1),
            left: executions,
            max_steps: 16,
            priorities: Vec::new(),
            change_points: Vec::new(),
        }
    }
}

impl Strategy for Pct {
    fn fail_spuriously(&mut self) -> bool {
        self.rng.gen_bool(0.5)
    }

    fn new_execution(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.priorities.clear();
        self.change_points = (1..self.depth)
            .map(|_| self.rng.gen_range(1..=self.max_steps))
            .collect();
        true
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        let step = point.depth() + 1;
        self.max_steps = self.max_steps.max(step);
        while self.priorities.len() < point.views.len() {
            // New threads get random priorities above every change point's.
            let p = self.depth as u64 + self.rng.gen_range(0..u64::MAX / 2);
            self.priorities.push(p);
        }
        let best = |priorities: &[u64]| point.enabled().max_by_key(|&t| priorities[t]);
        let mut chosen = best(&self.priorities)?;
        if let Some(i) = self.change_points.iter().position(|&c| c == step) {
            self.priorities[chosen] = i as u64;
            chosen = best(&self.priorities)?;
        }
        Some(chosen)
    }
}
