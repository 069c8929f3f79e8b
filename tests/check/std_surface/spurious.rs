//! Spurious wake-ups (`Check::spurious_wakeups`) and `park_timeout`'s timeout: std lets
//! `Condvar::wait` and `thread::park` return without a notify or an unpark, and
//! `park_timeout` time out while it waits. Code that waits with an `if` instead of a loop
//! passes a check that assumes no spurious wake-ups and fails one that explores them; code
//! that loops passes both, exhaustively; a loop that nobody ends is a deadlock that says
//! what its thread does.

use super::{conforms, deadlock};
use racelab::check::{Ending, SPURIOUS_WAKEUPS, WaitsFor, check};

both! {
    use sync::{Arc, Condvar, Mutex};
    use sync::atomic::{AtomicBool, Ordering::SeqCst};

    /// Waits for a flag set under the mutex: with `loops`, in a `while` loop (right); without,
    /// with an `if` (wrong: a spurious wake-up returns with the flag unset). Returns what the
    /// waiter saw.
    pub fn wait_for_flag(loops: bool) -> bool {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let pair = Arc::clone(&pair);
            thread::spawn(move || {
                *pair.0.lock().unwrap() = true;
                pair.1.notify_one();
            })
        };
        let (ready, cv) = &*pair;
        let mut guard = ready.lock().unwrap();
        if loops {
            while !*guard {
                guard = cv.wait(guard).unwrap();
            }
        } else if !*guard {
            guard = cv.wait(guard).unwrap();
        }
        let seen = *guard;
        drop(guard);
        setter.join().unwrap();
        seen
    }

    /// Parks once unless the flag is set, then returns the flag: right only if `park`
    /// never returns spuriously (std says it may).
    pub fn park_once() -> bool {
        let flag = Arc::new(AtomicBool::new(false));
        let waiter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                if !flag.load(SeqCst) {
                    thread::park();
                }
                flag.load(SeqCst)
            })
        };
        flag.store(true, SeqCst);
        waiter.thread().unpark();
        waiter.join().unwrap()
    }

    /// Parks with a timeout once, then returns the flag set before the unpark.
    pub fn park_timeout_once() -> bool {
        let flag = Arc::new(AtomicBool::new(false));
        let waiter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                thread::park_timeout(std::time::Duration::from_millis(1));
                flag.load(SeqCst)
            })
        };
        flag.store(true, SeqCst);
        waiter.thread().unpark();
        waiter.join().unwrap()
    }
}

#[test]
fn a_wait_under_an_if_passes_only_without_spurious_wakeups() {
    // std's docs allow the `if` to fail; on real threads it rarely does, so the std run
    // is not asked to show it.
    let assumed = check(|| model::wait_for_flag(false))
        .expect(|seen| *seen)
        .run();
    assumed.assert_passed();
    assert!(assumed.coverage.is_exhaustive(), "{assumed}");
    assert!(!assumed.coverage.spurious_wakeups);

    let explored = check(|| model::wait_for_flag(false))
        .expect(|seen| *seen)
        .spurious_wakeups(true)
        .run();
    assert!(!explored.passed(), "{explored}");
    assert!(explored.coverage.spurious_wakeups);
    assert!(
        explored.endings().any(|e| *e == Ending::Returned(false)),
        "{explored}"
    );
    let text = explored.to_string();
    assert!(text.contains("woke spuriously"), "{text}");
    assert!(
        explored
            .coverage
            .assumptions()
            .contains(&SPURIOUS_WAKEUPS.to_string()),
        "{:?}",
        explored.coverage.assumptions()
    );
}

#[test]
fn a_wait_in_a_loop_passes_with_spurious_wakeups_exhaustively() {
    conforms(
        || real::wait_for_flag(true),
        || model::wait_for_flag(true),
        &[true],
    );
    let without = check(|| model::wait_for_flag(true)).expect(|s| *s).run();
    let with = check(|| model::wait_for_flag(true))
        .expect(|s| *s)
        .spurious_wakeups(true)
        .run();
    with.assert_passed();
    assert!(with.coverage.is_exhaustive(), "{with}");
    // The spurious wake-ups are explored: more executions than without them.
    assert!(
        with.executions > without.executions,
        "{} with, {} without",
        with.executions,
        without.executions
    );
}

#[test]
fn a_park_without_a_loop_is_caught_with_spurious_wakeups() {
    conforms(real::park_once, model::park_once, &[true]);
    let report = check(model::park_once)
        .expect(|seen| *seen)
        .spurious_wakeups(true)
        .run();
    assert!(!report.passed(), "{report}");
    assert!(
        report.endings().any(|e| *e == Ending::Returned(false)),
        "{report}"
    );
    // In a loop (`thread::handshake`), the same park passes with spurious wake-ups: see
    // `primitives_built_on_condvar_loop_around_their_waits`.
}

#[test]
fn park_timeout_times_out_or_takes_the_token() {
    conforms(
        real::park_timeout_once,
        model::park_timeout_once,
        &[false, true],
    );
}

/// A wait loop nobody ends deadlocks whether its waits wake spuriously or not: the wait may
/// never wake (its first or its second turn), or wake spuriously until a third identical
/// turn is taken for the loop polling (`rt::timeout`). The witness is the shortest: the
/// first wait never wakes.
#[test]
fn a_wait_loop_nobody_ends_is_a_deadlock_whether_it_wakes_spuriously_or_not() {
    let report = check(|| {
        let pair = racelab::check::sync::Arc::new((
            racelab::check::sync::Mutex::new(false),
            racelab::check::sync::Condvar::new(),
        ));
        let (ready, cv) = &*pair;
        let mut guard = ready.lock().unwrap();
        while !*guard {
            guard = cv.wait(guard).unwrap();
        }
    })
    .spurious_wakeups(true)
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report
            .rows
            .iter()
            .map(|row| (row.ending.clone(), row.executions))
            .collect::<Vec<_>>(),
        [(Ending::Deadlock, 3)],
        "{report}"
    );
    let blocked = deadlock(&report);
    assert!(
        blocked
            .iter()
            .any(|b| b.thread == 0 && matches!(b.waits_for, WaitsFor::Notify { .. })),
        "{report}"
    );
}

#[test]
fn a_park_timeout_loop_nobody_ends_times_out_again_and_again() {
    let report = check(|| {
        let flag = racelab::check::sync::atomic::AtomicBool::new(false);
        while !flag.load(racelab::check::sync::atomic::Ordering::SeqCst) {
            racelab::check::thread::park_timeout(std::time::Duration::from_millis(1));
        }
    })
    .run();
    let blocked = deadlock(&report);
    assert!(
        blocked
            .iter()
            .any(|b| b.thread == 0 && matches!(b.waits_for, WaitsFor::Timeout { .. })),
        "{report}"
    );
}

/// Checks `program` without spurious wake-ups (exhaustive) and with them, within
/// `budget` executions: the outcomes found with them are the ones without (racelab's own
/// primitives loop around their waits, as std's do). Returns whether the search with them
/// was exhaustive.
fn same_with_spurious<O: racelab::check::Outcome + Ord>(program: fn() -> O, budget: usize) -> bool {
    let endings = |spurious: bool| {
        let report = check(program)
            .spurious_wakeups(spurious)
            .max_executions(budget)
            .run();
        report.assert_passed();
        let endings: std::collections::BTreeSet<String> =
            report.endings().map(|e| format!("{e:?}")).collect();
        (endings, report.coverage)
    };
    let (without, coverage) = endings(false);
    assert!(coverage.is_exhaustive(), "{coverage}");
    let (with, coverage) = endings(true);
    assert_eq!(with, without, "spurious wake-ups changed the outcomes");
    coverage.is_exhaustive()
}

#[test]
fn primitives_built_on_condvar_loop_around_their_waits() {
    for (name, exhaustive) in [
        (
            "mpsc, two senders",
            same_with_spurious(super::mpsc::model::two_senders, 50_000),
        ),
        (
            "mpsc, rendezvous",
            same_with_spurious(super::mpsc::model::rendezvous, 50_000),
        ),
        (
            "park in a loop",
            same_with_spurious(|| super::thread::model::handshake(true), 50_000),
        ),
        (
            "Once",
            same_with_spurious(super::once::model::call_once_force_race, 50_000),
        ),
    ] {
        assert!(exhaustive, "{name}: not exhaustive with spurious wake-ups");
    }
}

/// The limit the coverage names: two threads that wait on one mutex at once each re-lock
/// it after the other's spurious wake-up, so each turn reads something new and neither
/// is taken as polling; the search runs into its budget and says *bounded*, never
/// exhaustive, and finds nothing wrong in what it ran.
#[test]
fn two_waiters_woken_spuriously_make_the_search_bounded_not_exhaustive() {
    assert!(!same_with_spurious(
        super::barrier::model::one_leader,
        2_000
    ));
}
