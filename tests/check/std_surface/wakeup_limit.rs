//! The limit of wake-ups without a notify (`Check::wakeups_without_notify`): a timed wait
//! that times out, or a wait that wakes spuriously, counts against its thread's limit; a
//! thread at its limit waits for a notify, and an execution in which nothing else can run
//! then is cut (`Ending::WakeupLimit`, acceptable). Without a limit, two threads that poll
//! while each re-locks the mutex the other unlocked never repeat a turn, and the search
//! runs into its budget (*bounded*); with one it is exhaustive.

use std::collections::BTreeSet;
use std::time::Duration;

use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{Ending, Outcome, Report, Search, check, thread};

both! {
    use sync::{Arc, Condvar, Mutex};
    use std::time::Duration;

    /// Two pollers wait with a timeout, in a loop, until main sets a flag (main does not
    /// notify). How many of them waited at least once.
    pub fn two_pollers() -> u32 {
        let shared = Arc::new((Mutex::new(false), Condvar::new()));
        let pollers: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let (ready, cv) = &*shared;
                    let mut ready = ready.lock().unwrap();
                    let mut waited = 0;
                    while !*ready {
                        ready = cv.wait_timeout(ready, Duration::from_millis(1)).unwrap().0;
                        waited = 1;
                    }
                    waited
                })
            })
            .collect();
        *shared.0.lock().unwrap() = true;
        pollers.into_iter().map(|p| p.join().unwrap()).sum()
    }
}

/// The rows of a report: its outcomes, and whether some executions were cut.
fn rows<O: Outcome + Ord>(report: &Report<O>) -> (BTreeSet<O>, bool) {
    let mut cut = false;
    let outcomes = report
        .endings()
        .filter_map(|e| match e {
            Ending::Returned(o) => Some(o.clone()),
            Ending::WakeupLimit(_) => {
                cut = true;
                None
            }
            other => panic!("ended with {other}\n{report}"),
        })
        .collect();
    (outcomes, cut)
}

#[test]
fn two_pollers_are_bounded_without_a_limit_and_exhaustive_with_one() {
    for _ in 0..super::STD_RUNS {
        assert!(real::two_pollers() <= 2);
    }
    let unlimited = check(model::two_pollers).max_executions(300).run();
    unlimited.assert_passed();
    assert!(!unlimited.coverage.is_exhaustive(), "{unlimited}");
    for limit in [1, 2] {
        let report = check(model::two_pollers)
            .expect(|n| *n <= 2)
            .wakeups_without_notify(limit)
            .run();
        report.assert_passed();
        assert!(report.coverage.is_exhaustive(), "limit {limit}\n{report}");
        assert_eq!(report.coverage.wakeup_limit, Some(limit));
        let (outcomes, cut) = rows(&report);
        assert_eq!(
            outcomes,
            BTreeSet::from([0, 1, 2]),
            "limit {limit}\n{report}"
        );
        // A poller at its limit waits while main joins it and the other poller is done:
        // cut. (At 2, its two timed-out turns read what the other poller wrote, so it
        // does not poll; review found such executions dropped as stale polls before.)
        assert!(cut, "limit {limit}\n{report}");
        let text = report.to_string();
        assert!(
            text.contains(&format!("cut at the limit of {limit} wake-up")),
            "{text}"
        );
        assert!(
            report.coverage.assumptions()[2].contains(&format!(
                "at most {limit} times (Check::wakeups_without_notify)"
            )),
            "{:?}",
            report.coverage.assumptions()
        );
    }
}

#[test]
fn two_waiters_woken_spuriously_are_exhaustive_within_a_limit() {
    // `spurious::two_waiters_woken_spuriously_make_the_search_bounded_not_exhaustive`
    // without a limit.
    let program = super::barrier::model::one_leader;
    let outcomes = |report: &Report<(usize, Option<usize>)>| {
        report.assert_passed();
        assert!(report.coverage.is_exhaustive(), "{report}");
        rows(report)
    };
    let (without, cut) = outcomes(&check(program).run());
    assert!(!cut);
    let limited = |n| {
        check(program)
            .spurious_wakeups(true)
            .wakeups_without_notify(n)
            .run()
    };
    let (none, one) = (limited(0), limited(1));
    assert_eq!(outcomes(&one).0, without);
    assert_eq!(outcomes(&none).0, without);
    // The spurious wake-ups were explored: more executions with 1 than with 0 (none).
    assert!(
        one.executions > none.executions,
        "{} with 1, {} with 0",
        one.executions,
        none.executions
    );
}

/// One timed wait nobody notifies, under a limit: whether it timed out.
fn wait_once(limit: u32) -> Report<bool> {
    check(|| {
        let (m, cv) = (Mutex::new(()), Condvar::new());
        let guard = m.lock().unwrap();
        cv.wait_timeout(guard, Duration::from_millis(1))
            .unwrap()
            .1
            .timed_out()
    })
    .search(Search::Exhaustive)
    .wakeups_without_notify(limit)
    .run()
}

#[test]
fn a_wait_at_its_limit_with_nothing_else_to_run_is_cut() {
    let cut = wait_once(0);
    cut.assert_passed();
    assert!(cut.coverage.is_exhaustive(), "{cut}");
    assert_eq!(cut.endings().collect::<Vec<_>>(), [&Ending::WakeupLimit(0)]);
    assert_eq!(cut.executions, 1, "{cut}");
    let timed_out = wait_once(1);
    assert_eq!(
        timed_out.endings().collect::<Vec<_>>(),
        [&Ending::Returned(true)]
    );
    assert_eq!(timed_out.executions, 1, "{timed_out}");
}

#[test]
fn each_thread_has_a_limit_of_its_own() {
    // Two threads each time out once: within a limit of 1 each, never cut.
    let report = check(|| {
        let waiter = || {
            thread::spawn(|| {
                let (m, cv) = (Mutex::new(()), Condvar::new());
                let guard = m.lock().unwrap();
                cv.wait_timeout(guard, Duration::from_millis(1))
                    .unwrap()
                    .1
                    .timed_out()
            })
        };
        let (a, b) = (waiter(), waiter());
        (a.join().unwrap(), b.join().unwrap())
    })
    .search(Search::Exhaustive)
    .wakeups_without_notify(1)
    .run();
    report.assert_passed();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(rows(&report), (BTreeSet::from([(true, true)]), false));
}

#[test]
fn a_notify_still_wakes_a_thread_at_its_limit() {
    // Limit 0: the waiter never times out; the notify after its wait began wakes it, and
    // the notify before it leaves it waiting, cut.
    let report = check(|| {
        let shared = std::sync::Arc::new((Mutex::new(()), Condvar::new()));
        let notifier = {
            let shared = std::sync::Arc::clone(&shared);
            thread::spawn(move || shared.1.notify_one())
        };
        let guard = shared.0.lock().unwrap();
        let timed_out = shared
            .1
            .wait_timeout(guard, Duration::from_millis(1))
            .unwrap()
            .1
            .timed_out();
        notifier.join().unwrap();
        timed_out
    })
    .search(Search::Exhaustive)
    .wakeups_without_notify(0)
    .run();
    report.assert_passed();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(rows(&report), (BTreeSet::from([false]), true));
}

/// A thread that polls with a timeout, held at its limit, beside `others`: `main` runs
/// `others` and joins the poller after them; the poller waits for a flag nobody sets.
fn beside_a_held_poller(others: fn()) -> Report<()> {
    check(move || {
        let poller = thread::spawn(|| {
            let (m, cv) = (Mutex::new(false), Condvar::new());
            let mut set = m.lock().unwrap();
            while !*set {
                set = cv.wait_timeout(set, Duration::from_millis(1)).unwrap().0;
            }
        });
        others();
        poller.join().unwrap();
    })
    .search(Search::Exhaustive)
    .wakeups_without_notify(0)
    .run()
}

#[test]
fn a_lock_cycle_beside_a_held_poller_is_a_deadlock_not_cut() {
    // Found in review: any held thread used to cut the execution, so a lock cycle beside
    // a poller passed. The cycle is stuck whatever the poller does.
    let report = beside_a_held_poller(|| {
        let locks = std::sync::Arc::new((Mutex::new(()), Mutex::new(())));
        let other = {
            let locks = std::sync::Arc::clone(&locks);
            thread::spawn(move || {
                let _b = locks.1.lock().unwrap();
                let _a = locks.0.lock().unwrap();
            })
        };
        {
            let _a = locks.0.lock().unwrap();
            let _b = locks.1.lock().unwrap();
        }
        other.join().unwrap();
    });
    assert!(!report.passed(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(report.endings().any(|e| *e == Ending::Deadlock), "{report}");
    // Without the cycle the poller alone is cut.
    assert!(
        report.endings().any(|e| *e == Ending::WakeupLimit(0)),
        "{report}"
    );
}

#[test]
fn a_panic_nobody_joined_beside_a_held_poller_is_reported() {
    // main panics while the poller is held: the panic is the row, as without a limit.
    let report = beside_a_held_poller(|| panic!("main gave up"));
    assert!(!report.passed(), "{report}");
    let endings: Vec<_> = report.endings().collect();
    assert!(
        endings
            .iter()
            .all(|e| matches!(e, Ending::Panicked(m) if m.contains("main gave up"))),
        "{report}"
    );
}

#[test]
fn a_body_that_returns_with_a_held_poller_is_judged_as_without_a_limit() {
    // The body returns without joining the poller: its value is judged, and the poller is
    // left blocked (forbidden unless allowed), as without a limit, never cut.
    let report = check(|| {
        let _poller = thread::spawn(|| {
            let (m, cv) = (Mutex::new(false), Condvar::new());
            let mut set = m.lock().unwrap();
            while !*set {
                set = cv.wait_timeout(set, Duration::from_millis(1)).unwrap().0;
            }
        });
        7
    })
    .search(Search::Exhaustive)
    .wakeups_without_notify(0)
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(
        report
            .endings()
            .all(|e| matches!(e, Ending::LeftBlocked(7) | Ending::Returned(7))),
        "{report}"
    );
    assert!(
        report.endings().any(|e| *e == Ending::LeftBlocked(7)),
        "{report}"
    );
}

#[test]
fn a_wait_only_a_spurious_wakeup_could_end_is_a_deadlock_not_cut() {
    // Found in review: with spurious wake-ups and a limit, a wait loop for a flag nobody
    // sets (a lost wake-up) was cut after its spurious wake-up; std never promises the
    // spurious wake-up that would end it.
    let report = check(|| {
        let (m, cv) = (Mutex::new(false), Condvar::new());
        let mut set = m.lock().unwrap();
        while !*set {
            set = cv.wait(set).unwrap();
        }
    })
    .search(Search::Exhaustive)
    .spurious_wakeups(true)
    .wakeups_without_notify(1)
    .run();
    assert!(!report.passed(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report.endings().collect::<Vec<_>>(),
        [&Ending::Deadlock],
        "{report}"
    );
}

/// A gap found while writing the test above (fixed at stop 39): with spurious wake-ups, a
/// single `wait` (no loop) nobody notifies was explored as waking spuriously, never as
/// blocking for ever, which std allows too and the check without spurious wake-ups
/// reports. Both, with each search.
#[test]
fn a_lone_wait_with_spurious_wakeups_may_also_block_for_ever() {
    for search in [Search::Exhaustive, Search::EveryOrder] {
        let report = check(|| {
            let (m, cv) = (Mutex::new(()), Condvar::new());
            let guard = m.lock().unwrap();
            drop(cv.wait(guard).unwrap());
        })
        .search(search)
        .spurious_wakeups(true)
        .run();
        assert!(report.coverage.is_exhaustive(), "{report}");
        let mut endings: Vec<String> = report.endings().map(|e| format!("{e:?}")).collect();
        endings.sort();
        assert_eq!(
            endings,
            ["Deadlock", "Returned(())"],
            "{search:?}: {report}"
        );
        assert!(
            report.rows.iter().all(|row| row.executions == 1),
            "{search:?}: each ending once: {report}"
        );
    }
}

/// A notify that comes after a wait that chose never to wake would wake it (std's wait
/// returns): that execution is dropped, not reported as a deadlock, and the waiter's
/// other choice has it woken.
#[test]
fn a_notified_wait_is_never_left_waiting_for_ever() {
    let report = check(|| {
        let pair = Arc::new((Mutex::new(()), Condvar::new()));
        let notifier = Arc::clone(&pair);
        let guard = pair.0.lock().unwrap();
        let t = thread::spawn(move || {
            let _g = notifier.0.lock().unwrap();
            notifier.1.notify_one();
        });
        drop(pair.1.wait(guard).unwrap());
        t.join().unwrap();
    })
    .search(Search::Exhaustive)
    .spurious_wakeups(true)
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    // main waits before the notifier can lock, so the notify always finds it waiting:
    // woken by it, or spuriously before it (then the notify finds nobody). Never stuck.
    report.assert_passed();
    assert!(
        report.endings().all(|e| matches!(e, Ending::Returned(()))),
        "{report}"
    );
}

#[test]
fn a_spin_beside_a_held_poller_is_cut_not_a_deadlock() {
    // Found by the differential test: a spin that never ends while a poller is held was a
    // deadlock; the poller, going on, might store what the spin waits for.
    use racelab::check::sync::atomic::{AtomicBool, Ordering};
    let report = beside_a_held_poller(|| {
        let flag = AtomicBool::new(false);
        while !flag.load(Ordering::SeqCst) {
            thread::yield_now();
        }
    });
    report.assert_passed();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(
        report.endings().all(|e| *e == Ending::WakeupLimit(0)),
        "{report}"
    );
}
