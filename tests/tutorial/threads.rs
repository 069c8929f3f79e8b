//! The core on real threads: deterministic schedules forced with barriers and hand-offs.
#![cfg(not(loom))]

use crate::watchdog;

use std::sync::{Arc, Barrier};
use std::thread;

use racelab::counter::{Counter, Increment};
use racelab::error::PoolError;
use racelab::pause::Pause;
use racelab::pool::WorkerPool;

fn run_counter(counter: Counter, threads: usize, strategy: Increment) -> usize {
    let counter = Arc::new(counter);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment(strategy))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    counter.value()
}

/// A pause that holds every thread between its read and its write until all `n` have read.
fn all_read_first(n: usize) -> Pause {
    let barrier = Arc::new(Barrier::new(n));
    Pause::hook(move || {
        barrier.wait();
    })
}

#[test]
fn unlocked_counter_loses_all_but_one_update_when_everyone_reads_first() {
    watchdog::arm();
    for threads in [2, 3, 8] {
        // Every thread reads 0, then every thread writes 1: threads - 1 updates lost.
        assert_eq!(
            run_counter(
                Counter::with_pause(all_read_first(threads)),
                threads,
                Increment::Unlocked
            ),
            1
        );
    }
}

#[test]
fn unlocked_counter_is_exact_when_the_increments_do_not_overlap() {
    watchdog::arm();
    let counter = Counter::new();
    for _ in 0..5 {
        counter.increment_unlocked();
    }
    assert_eq!(counter.value(), 5);
}

#[test]
fn locked_and_atomic_counters_are_exact_under_contention() {
    watchdog::arm();
    for strategy in [Increment::Locked, Increment::Atomic] {
        let counter = Arc::new(Counter::with_pause(Pause::Yield));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || (0..500).for_each(|_| counter.increment(strategy)))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(counter.value(), 4000, "{strategy:?}");
    }
}

#[test]
fn the_lock_is_held_for_the_whole_read_pause_write() {
    watchdog::arm();
    // The pause runs between read and write; with the locked increment it must always
    // find the counter's lock held, with the unlocked one never.
    for (strategy, expect_held) in [(Increment::Locked, true), (Increment::Unlocked, false)] {
        // The pause looks at the counter through a Weak: an Arc would make a cycle
        // (counter -> pause -> counter) and leak it (Miri checks).
        let counter: Arc<std::sync::OnceLock<std::sync::Weak<Counter>>> = Arc::default();
        let observed = Arc::new(std::sync::Mutex::new(Vec::new()));
        let pause = {
            let (counter, observed) = (Arc::clone(&counter), Arc::clone(&observed));
            Pause::hook(move || {
                let counter = counter.get().and_then(std::sync::Weak::upgrade).unwrap();
                observed.lock().unwrap().push(counter.lock().locked());
            })
        };
        let c = Arc::new(Counter::with_pause(pause));
        counter.set(Arc::downgrade(&c)).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let c = Arc::clone(&c);
                thread::spawn(move || c.increment(strategy))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(
            *observed.lock().unwrap(),
            vec![expect_held; 4],
            "{strategy:?}"
        );
    }
}

#[test]
fn pool_reports_a_panicking_handler_instead_of_hanging() {
    watchdog::arm();
    let pool = WorkerPool::new(3, 0, |_worker, x: u32| {
        if x == 7 {
            panic!("cannot handle {x}");
        }
    });
    for x in 0..20 {
        pool.queue().put(x).unwrap();
    }
    match pool.join() {
        Err(PoolError::HandlerPanicked(panics)) => {
            assert_eq!(panics.len(), 1);
            assert_eq!(panics[0].message, "cannot handle 7");
            assert!(panics[0].worker.starts_with("Thread"));
        }
        other => panic!("expected the panic to be reported, got {other:?}"),
    }
    assert_eq!(pool.queue().unfinished_tasks(), 0);
    // The report was taken; the workers kept going and stop cleanly.
    pool.shutdown().unwrap();
}

#[test]
fn pool_handles_every_item_exactly_once_and_names_its_workers() {
    watchdog::arm();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let pool = {
        let seen = Arc::clone(&seen);
        WorkerPool::new(4, 2, move |worker, x: u32| {
            assert_eq!(worker.name(), format!("Thread{}", worker.number()));
            assert_eq!(thread::current().name(), Some(worker.name()));
            seen.lock().unwrap().push(x);
        })
    };
    for x in 0..50 {
        pool.queue().put(x).unwrap();
    }
    pool.join().unwrap();
    let mut seen = seen.lock().unwrap().clone();
    seen.sort_unstable();
    assert_eq!(seen, (0..50).collect::<Vec<_>>());
    pool.shutdown().unwrap();
}
