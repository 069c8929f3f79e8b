//! A schedule to follow as far as it can be followed: at the n-th decision the n-th thread
//! of the list runs if it can, else the running thread goes on if it can, else the
//! lowest-numbered thread that can. Used to shrink witnesses ([`crate::check::shrink`]): a
//! schedule edited to switch threads less still runs to the end.

use super::{Point, Strategy};

/// See the module docs.
#[derive(Debug)]
pub(crate) struct Guided {
    choices: Vec<usize>,
    started: bool,
}

impl Guided {
    pub(crate) fn new(choices: Vec<usize>) -> Self {
        Guided {
            choices,
            started: false,
        }
    }
}

impl Strategy for Guided {
    fn new_execution(&mut self) -> bool {
        !std::mem::replace(&mut self.started, true)
    }

    fn choose(&mut self, point: &Point<'_>) -> Option<usize> {
        let can = |t: usize| point.views.get(t).is_some_and(|v| v.enabled);
        self.choices
            .get(point.depth())
            .copied()
            .filter(|&t| can(t))
            .or(point.current.filter(|&t| can(t)))
            .or_else(|| point.enabled().next())
    }
}
