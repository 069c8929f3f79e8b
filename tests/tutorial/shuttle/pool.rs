//! shuttle over the queue and the pool: every item handled exactly once, `join` only after
//! the last task, in every schedule tried.
#![cfg(not(loom))]

use racelab::checked::scenario::{self, PoolOutcome, run};
use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler};

/// Schedules per scheduler: the "always" claims must hold in each (fixed seeds).
const BUDGET: usize = 1_000;

fn check_all(outcomes: &[PoolOutcome], runs: usize, what: &str) {
    assert_eq!(outcomes.len(), runs, "{what}: shuttle ran every schedule");
    for outcome in outcomes {
        assert!(outcome.is_correct(), "{what}: {outcome:?}");
    }
}

/// The pool scenario under 1,000 random and 1,000 PCT (depth 3) schedules, seed `seed`.
fn random_and_pct(seed: u64, producers: usize, workers: usize, items: usize, maxsize: isize) {
    let body = move || scenario::pool(producers, workers, items, maxsize);
    check_all(
        &run(RandomScheduler::new_from_seed(seed, BUDGET), body),
        BUDGET,
        "random",
    );
    check_all(
        &run(PctScheduler::new_from_seed(seed, 3, BUDGET), body),
        BUDGET,
        "pct",
    );
}

#[test]
fn the_tutorials_pool_is_correct_in_every_random_and_pct_schedule() {
    // 10 workers, one producer putting 20 items on an unbounded queue, as in the tutorial.
    random_and_pct(3, 1, 10, 20, 0);
}

#[test]
fn two_producers_two_workers_bounded_queue_random_and_pct() {
    // A queue of size 1 makes producers block on put and workers on get.
    random_and_pct(4, 2, 2, 2, 1);
}

#[test]
fn a_small_pool_is_correct_in_the_first_dfs_schedules() {
    // Exhaustive DFS of even one producer, two workers and two items is beyond a test
    // budget at primitive granularity; loom covers the small configurations with a
    // preemption bound (tests/tutorial/loom/queue.rs). Here: the first 5,000 DFS schedules.
    const BOUND: usize = 5_000;
    let dfs = run(DfsScheduler::new(Some(BOUND), false), || {
        scenario::pool(1, 2, 2, 1)
    });
    check_all(&dfs, BOUND, "dfs");
}

#[test]
fn the_checker_notices_a_pool_that_loses_an_item() {
    // The outcome check must be able to fail: a doctored outcome is rejected.
    let mut outcome = run(RandomScheduler::new_from_seed(5, 1), || {
        scenario::pool(1, 2, 3, 0)
    })
    .remove(0);
    assert!(outcome.is_correct());
    outcome.handled.pop();
    assert!(!outcome.is_correct());
}
