//! The exhaustive search over execution graphs ([`trust`]), as a strategy the runtime runs.

pub(crate) mod trust;

use super::rt::model::Model;
use super::strategy::{Point, Strategy};
use trust::Trust;

/// The graph search as a [`Strategy`]: the runtime asks it for graphs to replay and lets it
/// branch; it never picks threads itself (the runtime takes the lowest-numbered one that can
/// go on).
#[derive(Debug)]
pub(crate) struct GraphSearch {
    pub(crate) trust: Trust,
}

impl GraphSearch {
    pub(crate) fn new(model: Model) -> Self {
        GraphSearch {
            trust: Trust::new(model),
        }
    }

    /// Sequential consistency until an access weaker than `SeqCst` shows up (the caller
    /// then runs the search again under RC11: see [`Trust::weak_seen`]).
    pub(crate) fn sc_until_weak() -> Self {
        let mut search = GraphSearch::new(Model::Sc);
        search.trust.sc_by_default = true;
        search
    }
}

impl Strategy for GraphSearch {
    fn new_execution(&mut self) -> bool {
        unreachable!("the runtime asks the graph search for graphs instead")
    }

    fn choose(&mut self, _point: &Point<'_>) -> Option<usize> {
        unreachable!("the runtime picks threads for the graph search")
    }

    fn as_trust(&mut self) -> Option<&mut Trust> {
        Some(&mut self.trust)
    }
}
