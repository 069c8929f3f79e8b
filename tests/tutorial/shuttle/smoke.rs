//! The shuttle instance of the core is wired: the same code runs under shuttle's scheduler.
#![cfg(not(loom))]

use racelab::checked::counter::{Counter, Increment};
use racelab::pause::Pause;
use shuttle::sync::Arc;
use shuttle::thread;

fn two_increments(strategy: Increment) -> usize {
    let counter = Arc::new(Counter::with_pause(Pause::Yield));
    let handles: Vec<_> = (0..2)
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

#[test]
fn shuttle_runs_the_locked_counter() {
    // 1,000 random schedules, fixed seed: the locked total is 2 in every one.
    let scheduler = shuttle::scheduler::RandomScheduler::new_from_seed(7, 1000);
    let runs = shuttle::Runner::new(scheduler, shuttle::Config::new()).run(|| {
        assert_eq!(two_increments(Increment::Locked), 2);
    });
    assert_eq!(runs, 1000, "shuttle ran every execution");
}
