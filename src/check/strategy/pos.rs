//! POS, partial-order aware sampling (Yuan, Yang and Gu, CAV 2018).
//!
//! A random walk (pick any runnable thread at every step) spends most of its choices on
//! orders that cannot make a difference, and reaches interleavings that need several
//! well-placed switches with small probability. POS gives each thread's *pending* operation
//! a random priority and always runs the highest; after a step, every other thread whose
//! pending operation conflicts with it draws a new priority, so that each conflicting pair
//! is ordered by a fresh coin flip. Independent operations keep their priorities and stay
//! out of the way. Seeded.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Point, Strategy};

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Pos {
    rng: Pcg64Mcg,
    left: usize,
    /// Each thread's priority, and how many steps the execution had when it was drawn.
    priorities: Vec<(f64, usize)>,
}

impl Pos {
    /// `executions` schedules drawn from `seed`.
    pub(crate) fn new(seed: u64, executions: usize) -> Self {
        Pos {
            rng: Pcg64Mcg::seed_from_u64(seed),
            left: executions,
            priorities: Vec::new(),
        }
    }
}

impl Strategy for Pos {
    fn fail_spuriously(&mut self) -> bool {
        self.rng.gen_bool(0.5)
    }

    fn new_execution(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.priorities.clear();
        true
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        let depth = point.depth();
        let last = point.steps.last();
        for (t, view) in point.views.iter().enumerate() {
            if t >= self.priorities.len() {
                self.priorities.push((self.rng.r#gen(), depth));
                continue;
            }
            let redraw = last.is_some_and(|e| {
                // The thread that just ran has a new pending operation; a thread whose
                // pending operation conflicts with that step gets a fresh coin flip.
                let (thread, footprint) = e;
                *thread == t || view.footprint.is_some_and(|fp| fp.conflicts(footprint))
            });
            if redraw && self.priorities[t].1 < depth {
                self.priorities[t] = (self.rng.r#gen(), depth);
            }
        }
        point
            .enabled()
            .max_by(|&a, &b| self.priorities[a].0.total_cmp(&self.priorities[b].0))
    }
}
