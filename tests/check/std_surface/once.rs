//! `Once`: one initialisation however many threads ask, against the learner's
//! check-then-set flag that runs it twice.

use super::conforms;
use racelab::check::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Arc, Once};
use racelab::check::{Ending, check, thread};

both! {
    use sync::atomic::{AtomicU32, Ordering::SeqCst};
    use sync::{Arc, Once};

    /// Two threads call `call_once` with their own closure: which ran, what each saw once
    /// its call returned, and whether the `Once` says it completed.
    pub fn call_once_race() -> (u32, u32, u32, bool) {
        let once = Arc::new(Once::new());
        let value = Arc::new(AtomicU32::new(0));
        let callers: Vec<_> = [1, 2]
            .into_iter()
            .map(|id| {
                let (once, value) = (Arc::clone(&once), Arc::clone(&value));
                thread::spawn(move || {
                    once.call_once(|| value.store(id, SeqCst));
                    value.load(SeqCst)
                })
            })
            .collect();
        let seen: Vec<u32> = callers.into_iter().map(|c| c.join().unwrap()).collect();
        (value.load(SeqCst), seen[0], seen[1], once.is_completed())
    }

    /// `call_once_force` racing `call_once`: one closure runs, the forced one is told the
    /// `Once` is not poisoned. Returns which ran and what the forced closure was told.
    pub fn call_once_force_race() -> (u32, bool) {
        let once = Arc::new(Once::new());
        let value = Arc::new(AtomicU32::new(0));
        let told = Arc::new(AtomicU32::new(0));
        let other = {
            let (once, value) = (Arc::clone(&once), Arc::clone(&value));
            thread::spawn(move || once.call_once(|| value.store(1, SeqCst)))
        };
        once.call_once_force(|state| {
            told.store(1 + u32::from(state.is_poisoned()), SeqCst);
            value.store(2, SeqCst);
        });
        other.join().unwrap();
        let told = told.load(SeqCst);
        (value.load(SeqCst), told == 0 || told == 1)
    }
}

#[test]
fn call_once_force_runs_one_closure_unpoisoned() {
    conforms(
        real::call_once_force_race,
        model::call_once_force_race,
        &[(1, true), (2, true)],
    );
}

#[test]
fn call_once_runs_one_closure_and_every_caller_sees_it() {
    conforms(
        real::call_once_race,
        model::call_once_race,
        &[(1, 1, 1, true), (2, 2, 2, true)],
    );
}

/// How many times two threads ran the initialisation, guarded by `Once` or by a learner's
/// flag (check it, initialise, set it).
fn initialisations(with_once: bool) -> usize {
    let once = Arc::new(Once::new());
    let flag = Arc::new(AtomicBool::new(false));
    let runs = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (once, flag, runs) = (Arc::clone(&once), Arc::clone(&flag), Arc::clone(&runs));
            thread::spawn(move || {
                let init = || {
                    runs.fetch_add(1, SeqCst);
                };
                if with_once {
                    once.call_once(init);
                } else if !flag.load(SeqCst) {
                    init();
                    flag.store(true, SeqCst);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    runs.load(SeqCst)
}

#[test]
fn a_check_then_set_flag_initialises_twice_and_once_does_not() {
    let flag = check(|| initialisations(false))
        .expect(|&runs| runs == 1)
        .run();
    assert!(flag.witness(&Ending::Returned(2)).is_some(), "{flag}");
    let once = check(|| initialisations(true))
        .expect(|&runs| runs == 1)
        .run();
    once.assert_passed();
    assert!(once.coverage.is_exhaustive(), "{once}");
    assert_eq!(once.endings().collect::<Vec<_>>(), [&Ending::Returned(1)]);
}

/// A panic in the closure propagates (under a check it ends the execution).
#[test]
fn a_panicking_closure_is_the_outcome() {
    let report = check(|| {
        let once = Once::new();
        once.call_once(|| panic!("init failed"));
    })
    .run();
    assert!(
        matches!(&report.rows[0].ending, Ending::Panicked(m) if m.contains("init failed")),
        "{report}"
    );
}
