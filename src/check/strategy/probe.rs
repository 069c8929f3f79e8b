//! The probe that runs first when a check stops at its first forbidden outcome: partial-order
//! aware schedules ([`super::pos`]) and uniform random ones ([`super::random`]), one of each
//! in turn, from one seed. The two find different bugs first (POS the ones that need several
//! conflicting pairs ordered just so, random the ones that need a thread to run late), and
//! both find most bugs within a few executions; what the probe misses, the exhaustive search
//! after it does not.

use super::pos::Pos;
use super::random::Random;
use super::{Point, Strategy};

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Probe {
    pos: Pos,
    random: Random,
    left: usize,
    pos_turn: bool,
}

impl Probe {
    /// `executions` schedules from `seed`, random first.
    pub(crate) fn new(seed: u64, executions: usize) -> Self {
        Probe {
            pos: Pos::new(seed, executions),
            random: Random::new(seed, executions),
            left: executions,
            pos_turn: true,
        }
    }
}

impl Strategy for Probe {
    fn new_execution(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.pos_turn = !self.pos_turn;
        if self.pos_turn {
            self.pos.new_execution()
        } else {
            self.random.new_execution()
        }
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        if self.pos_turn {
            self.pos.choose(point)
        } else {
            self.random.choose(point)
        }
    }
}
