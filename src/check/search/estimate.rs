//! How big an exhaustive search is, estimated before it runs.
//!
//! Knuth's estimator ("Estimating the efficiency of backtrack programs", Math. Comp. 29,
//! 1975): walk down the search tree from the root, taking one child at random at each
//! node; a node on the walk stands for `w` nodes, the product of the numbers of children of
//! its ancestors (a random walk reaches it with chance `1/w`), so the sum of `w` over the
//! walk's nodes is an unbiased estimate of the tree's size. The mean over several walks is
//! the estimate. Its variance is large on trees as lopsided as a search's often are (one
//! subtree can hold most of it), which is why a report says how far off it was.
//!
//! The tree is `search::trust`'s: every node is an item of TruSt's stack, a child of the
//! node whose processing or run pushed it (`Trust::walk` in `search::trust` runs one walk).
//! What is counted is runs: nodes whose graph was run, ending with an outcome or not.

use std::sync::Mutex;

/// Knuth's estimate from the walks run so far.
#[derive(Debug, Default)]
pub(crate) struct Estimate {
    /// The sum of the walks' estimates, and how many walks.
    walks: Mutex<(f64, usize)>,
}

impl Estimate {
    /// A walk ended; `runs` is the sum of the weights of the nodes on it that ran.
    pub(crate) fn walked(&self, runs: f64) {
        let mut walks = self.walks.lock().unwrap_or_else(|e| e.into_inner());
        walks.0 += runs;
        walks.1 += 1;
    }

    /// How many walks ended.
    pub(crate) fn walks(&self) -> usize {
        self.walks.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    /// The estimated number of runs of the whole search, once a walk has ended.
    pub(crate) fn runs(&self) -> Option<f64> {
        let (sum, n) = *self.walks.lock().unwrap_or_else(|e| e.into_inner());
        (n > 0).then(|| sum / n as f64)
    }

    /// Starts again (the search restarts, under another memory model).
    pub(crate) fn reset(&self) {
        *self.walks.lock().unwrap_or_else(|e| e.into_inner()) = (0.0, 0);
    }
}

#[cfg(test)]
mod tests {
    use crate::check::search::estimate::Estimate;

    /// A root that ran, with two children: one a leaf that ran, one that ran and has three
    /// leaves that ran — six runs in all. A walk to the first child estimates 1 + 2; a walk
    /// to one of the three leaves, 1 + 2 + 6. Walks taken with their chances (1/2, then 1/6
    /// each) average to the size: Knuth's estimator is unbiased.
    #[test]
    fn walks_taken_with_their_chances_average_to_the_size() {
        let e = Estimate::default();
        assert_eq!(e.runs(), None);
        for _ in 0..3 {
            e.walked(1.0 + 2.0);
        }
        for _ in 0..3 {
            e.walked(1.0 + 2.0 + 6.0);
        }
        assert_eq!(e.walks(), 6);
        let runs = e.runs().expect("walks ended");
        assert!((runs - 6.0).abs() < 1e-9, "{runs}");
        e.reset();
        assert_eq!(e.runs(), None);
    }
}
