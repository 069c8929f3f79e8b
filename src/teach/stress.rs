//! Real threads, many trials: which outcomes does the machine actually produce?
//!
//! Each trial runs the scenario on real threads with no pause between read and write (the
//! tutorial's sleep removed), the threads released together by a barrier so that they
//! overlap as much as the OS lets them. The histogram that comes out is empirical: rare
//! outcomes may not show up at all, which is exactly why [`crate::explore`] exists.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;

use super::outcome::join_outcome;
use super::{Kind, Outcome, Scenario};
use crate::counter::{Counter, Strategy};
use crate::pool::WorkerPool;

/// The scenario has no real-thread version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "stress runs counter-unlocked, counter-locked, counter-atomic and queue on real threads; \
     {0} is learner code written for the explorer: try `racelab explore {0}`"
)]
pub struct Unsupported(pub &'static str);

/// Runs `trials` trials of `scenario`, calling `progress` with the number done so far
/// every so often; returns each outcome with the number of trials that ended with it.
pub fn stress(
    scenario: &Scenario,
    trials: usize,
    mut progress: impl FnMut(usize),
) -> Result<Vec<(Outcome, usize)>, Unsupported> {
    let p = scenario.params();
    let trial: Box<dyn Fn() -> Outcome> = match scenario.kind() {
        Kind::CounterUnlocked => {
            Box::new(move || counter(p.threads, p.increments, Strategy::Unlocked))
        }
        Kind::CounterLocked => Box::new(move || counter(p.threads, p.increments, Strategy::Locked)),
        Kind::CounterAtomic => Box::new(move || counter(p.threads, p.increments, Strategy::Atomic)),
        Kind::Queue => Box::new(move || pool(p.workers, p.items)),
        other => return Err(Unsupported(other.name())),
    };
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for done in 1..=trials {
        *counts.entry(trial()).or_default() += 1;
        if done % 100 == 0 || done == trials {
            progress(done);
        }
    }
    Ok(counts.into_iter().collect())
}

fn counter(threads: usize, increments: usize, strategy: Strategy) -> Outcome {
    let counter = Arc::new(Counter::new());
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (counter, start) = (Arc::clone(&counter), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                (0..increments).for_each(|_| counter.increment(strategy));
            })
        })
        .collect();
    for h in handles {
        h.join().expect("an increment does not panic");
    }
    Outcome::Value(counter.value())
}

fn pool(workers: usize, items: usize) -> Outcome {
    let handled = Arc::new(AtomicUsize::new(0));
    let pool = {
        let handled = Arc::clone(&handled);
        WorkerPool::new(workers, 0, move |_w, _item: usize| {
            handled.fetch_add(1, SeqCst);
        })
    };
    let producer = {
        let queue = pool.queue().clone(); // the facade's Arc (loom's under --cfg loom)
        thread::spawn(move || (0..items).for_each(|i| queue.put(i).expect("the queue is open")))
    };
    producer.join().expect("the producer does not panic");
    let joined = pool.join();
    let at_join = handled.load(SeqCst);
    let stopped = pool.shutdown();
    debug_assert!(joined.is_ok() && stopped.is_ok());
    join_outcome(at_join, items)
}
