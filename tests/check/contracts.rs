//! The contract checkers on racelab's own implementations (which must pass) and on the
//! example's counters.
#![cfg(not(loom))]

use racelab::check::contracts::lock::check_lock;
use racelab::check::contracts::pool::check_pool;
use racelab::check::contracts::queue::check_queue;
use racelab::checked::lock::Lock;
use racelab::checked::pool::WorkerPool;
use racelab::checked::queue::TaskQueue;

#[test]
fn racelabs_lock_meets_the_lock_contract_exhaustively() {
    let r = check_lock(Lock::new).run();
    println!("{r}");
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}

#[test]
fn racelabs_queue_meets_the_queue_contract_exhaustively() {
    let r = check_queue(|maxsize| TaskQueue::<usize>::new(maxsize as isize)).run();
    println!("{r}");
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}

#[test]
fn racelabs_pool_meets_the_pool_contract_exhaustively() {
    let r = check_pool::<WorkerPool<usize>>().run();
    println!("{r}");
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}

/// The example's three counters, checked (the example is included, not copied).
#[path = "../../examples/check_your_counter.rs"]
#[allow(dead_code)]
mod example;

mod counters {
    use super::example::{LoadThenStore, MutexHeld, RelockToWrite};
    use racelab::check::Ending;
    use racelab::check::contracts::counter::check_counter;

    #[test]
    fn a_counter_that_loads_then_stores_loses_updates() {
        let r = check_counter(LoadThenStore::default, 2, 2).run();
        assert!(r.coverage.is_exhaustive());
        let mut values: Vec<usize> = r.endings().filter_map(|e| e.returned().copied()).collect();
        values.sort_unstable();
        assert_eq!(values, [2, 3, 4]);
        assert!(r.witness(&Ending::Returned(2)).is_some());
    }

    #[test]
    fn a_counter_that_releases_its_own_mutex_between_read_and_write_is_caught() {
        let r = check_counter(RelockToWrite::default, 2, 1).run();
        assert!(r.has_bug());
        assert!(r.coverage.is_exhaustive());
    }

    #[test]
    fn a_counter_that_holds_its_mutex_passes_exhaustively() {
        let r = check_counter(MutexHeld::default, 2, 2).run();
        assert!(r.passed());
        assert!(r.coverage.is_exhaustive());
    }
}
