//! The exhaustive search over execution graphs ([`trust`]), as a strategy the runtime runs,
//! on one worker or shared by several ([`share`]).

pub(crate) mod estimate;
pub(crate) mod share;
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

    /// Worker `index` of a search shared through `share` (see [`share`]).
    pub(crate) fn worker(
        model: Model,
        sc_by_default: bool,
        share: std::sync::Arc<share::Share<trust::Frame>>,
        index: usize,
    ) -> Self {
        let mut trust = Trust::worker(model, share, index == 0);
        trust.sc_by_default = sc_by_default;
        GraphSearch { trust }
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
