//! loom, exhaustive: the set of final `database_value`s over *every* execution.
//!
//! Each model records its final value into a std (not loom) set that lives outside the
//! model, and the test asserts the whole set afterwards, on the test's own thread: loom
//! aborts the process if an assertion fails inside a model while another thread is blocked.
//! The main thread of each model does one of the increments itself (loom allows 5 threads,
//! main included).
#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc as StdArc, Mutex as StdMutex};

use loom::sync::Arc;
use loom::thread;
use racelab::counter::{Counter, Increment};

/// Runs `threads` increments of `strategy` (one per thread) in every execution loom can
/// produce; returns the reachable final values and the number of executions. Prints both,
/// and the first execution that lost an update (`racelab engines` quotes these: loom cannot
/// run inside its binary).
fn outcomes(threads: usize, strategy: Increment) -> (BTreeSet<usize>, usize) {
    let seen = StdArc::new(StdMutex::new(BTreeSet::new()));
    let executions = StdArc::new(AtomicUsize::new(0));
    let first_lost = StdArc::new(AtomicUsize::new(0));
    let (seen_in, executions_in) = (StdArc::clone(&seen), StdArc::clone(&executions));
    let first_lost_in = StdArc::clone(&first_lost);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None; // exhaustive: no bound on preemptions
    builder.check(move || {
        let execution = executions_in.fetch_add(1, SeqCst) + 1;
        let counter = Arc::new(Counter::new());
        let others: Vec<_> = (1..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || counter.increment(strategy))
            })
            .collect();
        counter.increment(strategy);
        for other in others {
            other.join().unwrap();
        }
        if counter.value() < threads {
            let _ = first_lost_in.compare_exchange(0, execution, SeqCst, SeqCst);
        }
        seen_in.lock().unwrap().insert(counter.value());
    });
    let set = seen.lock().unwrap().clone();
    let n = executions.load(SeqCst);
    let first = match first_lost.load(SeqCst) {
        0 => "no lost update".to_string(),
        k => format!("first lost update at execution {k}"),
    };
    println!("loom {strategy:?} × {threads} threads: {n} executions, outcomes {set:?}, {first}");
    assert!(n > 0, "loom ran no execution");
    (set, n)
}

#[test]
fn unlocked_two_threads_can_lose_the_update() {
    let (set, _) = outcomes(2, Increment::Unlocked);
    assert_eq!(
        set,
        BTreeSet::from([1, 2]),
        "1 (lost update) and 2 are both reachable"
    );
}

#[test]
fn unlocked_three_threads_can_lose_one_or_two_updates() {
    let (set, _) = outcomes(3, Increment::Unlocked);
    assert_eq!(set, BTreeSet::from([1, 2, 3]));
}

#[test]
fn locked_counter_always_reaches_the_full_total() {
    // loom's exploration is deterministic for a given loom version and core: these counts
    // change only if the Lock's or the counter's synchronisation changes (then re-measure).
    let (set, n2) = outcomes(2, Increment::Locked);
    assert_eq!(set, BTreeSet::from([2]));
    let (set, n3) = outcomes(3, Increment::Locked);
    assert_eq!(set, BTreeSet::from([3]));
    assert_eq!(
        (n2, n3),
        (LOCKED_2, LOCKED_3),
        "executions explored (2 threads, 3 threads)"
    );
}

const LOCKED_2: usize = 9;
const LOCKED_3: usize = 6_844;

#[test]
fn atomic_counter_always_reaches_the_full_total() {
    assert_eq!(outcomes(2, Increment::Atomic).0, BTreeSet::from([2]));
    assert_eq!(outcomes(3, Increment::Atomic).0, BTreeSet::from([3]));
}
