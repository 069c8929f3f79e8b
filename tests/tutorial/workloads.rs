//! proptest over workloads on real threads: whatever the thread counts and sizes, the
//! locked and atomic totals are exact, every queued item is handled exactly once and
//! `join` returns. (Real threads do not let proptest choose the schedule; the OS does.
//! The claims here are ones that must hold under *every* schedule, so any schedule the OS
//! picks is a fair test. Fixed seed; 64 cases each keeps this under a second.)
#![cfg(not(loom))]

use std::sync::{Arc, Mutex};
use std::thread;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use racelab::counter::{Counter, Increment};
use racelab::pause::Pause;
use racelab::pool::WorkerPool;
use racelab::queue::TaskQueue;

const CASES: u32 = 64;

proptest! {
    #![proptest_config(Config { cases: CASES, rng_seed: RngSeed::Fixed(21), ..Config::default() })]

    #[test]
    fn locked_and_atomic_totals_are_exact(
        threads in 1..=8usize,
        increments in 1..=200usize,
        locked in any::<bool>(),
        yield_in_window in any::<bool>(),
    ) {
        let strategy = if locked { Increment::Locked } else { Increment::Atomic };
        let pause = if yield_in_window { Pause::Yield } else { Pause::None };
        let counter = Arc::new(Counter::with_pause(pause));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || (0..increments).for_each(|_| counter.increment(strategy)))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        prop_assert_eq!(counter.value(), threads * increments);
    }

    #[test]
    fn every_item_is_handled_exactly_once_and_join_returns(
        producers in 1..=4usize,
        workers in 1..=8usize,
        items in 0..=100usize,
        maxsize in -1..=5isize,
    ) {
        let handled = Arc::new(Mutex::new(Vec::new()));
        let queue = Arc::new(TaskQueue::new(maxsize));
        let pool = {
            let handled = Arc::clone(&handled);
            WorkerPool::on_queue(Arc::clone(&queue), workers, move |_w, x: usize| handled.lock().unwrap().push(x))
        };
        let putters: Vec<_> = (0..producers)
            .map(|p| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || (0..items).for_each(|i| queue.put(p * items + i).unwrap()))
            })
            .collect();
        for p in putters {
            p.join().unwrap();
        }
        pool.join().unwrap();
        let mut seen = handled.lock().unwrap().clone();
        prop_assert_eq!(seen.len(), producers * items, "all handled when join returned");
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..producers * items).collect::<Vec<_>>());
        prop_assert_eq!(queue.unfinished_tasks(), 0);
        pool.shutdown().unwrap();
    }
}
