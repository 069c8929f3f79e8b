//! `Condvar::wait_timeout`, `wait_timeout_while` and `Mutex::clear_poison`, with std's
//! signatures. A check has no clock: a timeout may fire at any moment while its thread
//! waits, so both endings are explored.

use racelab::check::{WaitsFor, check};

use super::{conforms, deadlock};

both! {
    use sync::{Arc, Condvar, Mutex};

    /// A waiter whose timeout std never reaches (600 s); a check, which has no clock, also
    /// explores it firing before the flag is set. Returns whether it timed out and what it
    /// saw.
    pub fn wait_timeout_while_ready() -> (bool, bool) {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (ready, cv) = &*state;
                *ready.lock().unwrap() = true;
                cv.notify_all();
            })
        };
        let (ready, cv) = &*state;
        let guard = ready.lock().unwrap();
        let (guard, result) = cv
            .wait_timeout_while(guard, std::time::Duration::from_secs(600), |ready| !*ready)
            .unwrap();
        let seen = *guard;
        drop(guard);
        setter.join().unwrap();
        ready.clear_poison();
        (result.timed_out(), seen && !ready.is_poisoned())
    }

    /// One `wait_timeout`, no loop, racing with a thread that sets the flag and notifies.
    /// Returns whether it timed out and the flag it saw then.
    pub fn wait_timeout_once() -> (bool, bool) {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (ready, cv) = &*state;
                *ready.lock().unwrap() = true;
                cv.notify_one();
            })
        };
        let (ready, cv) = &*state;
        let guard = ready.lock().unwrap();
        let (guard, result) = cv
            .wait_timeout(guard, std::time::Duration::from_millis(20))
            .unwrap();
        let seen = (result.timed_out(), *guard);
        drop(guard);
        setter.join().unwrap();
        seen
    }

    /// A waiter times out (nobody notifies before main joins it), then main sets the flag
    /// and notifies one thread while another waits without a timeout: the notify must go to
    /// the one still waiting, not to the one that timed out (which would leave the other
    /// waiting forever). Returns whether the first timed out.
    pub fn timed_out_waiters_are_not_picked() -> bool {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let spawn_waiter = |timed: bool| {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (ready, cv) = &*state;
                let guard = ready.lock().unwrap();
                if timed {
                    let (_guard, result) = cv
                        .wait_timeout(guard, std::time::Duration::from_millis(20))
                        .unwrap();
                    result.timed_out()
                } else {
                    let _guard = cv.wait_while(guard, |r| !*r).unwrap();
                    false
                }
            })
        };
        let impatient = spawn_waiter(true);
        let patient = spawn_waiter(false);
        let timed_out = impatient.join().unwrap();
        let (ready, cv) = &*state;
        *ready.lock().unwrap() = true;
        cv.notify_one();
        patient.join().unwrap();
        timed_out
    }

    /// Polling: `main` waits with a short timeout in a loop until the flag is set; the
    /// setter does not notify. Returns how many waits `main` took (2 for two or more).
    pub fn poll_until_set() -> u32 {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let state = Arc::clone(&state);
            thread::spawn(move || *state.0.lock().unwrap() = true)
        };
        let (ready, cv) = &*state;
        let mut waits = 0;
        let mut guard = ready.lock().unwrap();
        while !*guard {
            guard = cv
                .wait_timeout(guard, std::time::Duration::from_millis(1))
                .unwrap()
                .0;
            waits += 1;
        }
        drop(guard);
        setter.join().unwrap();
        waits.min(2)
    }

    /// The same poll, but the other thread sets a different flag: `main` polls forever.
    pub fn poll_for_a_flag_nobody_sets() {
        let ready = Arc::new((Mutex::new(false), Condvar::new()));
        let other = Arc::new(Mutex::new(false));
        let setter = {
            let other = Arc::clone(&other);
            thread::spawn(move || *other.lock().unwrap() = true)
        };
        let (ready, cv) = &*ready;
        let mut guard = ready.lock().unwrap();
        while !*guard {
            guard = cv
                .wait_timeout(guard, std::time::Duration::from_millis(1))
                .unwrap()
                .0;
        }
        drop(guard);
        setter.join().unwrap();
    }
}

#[test]
fn wait_timeout_while_returns_once_the_condition_is_false() {
    conforms(
        real::wait_timeout_while_ready,
        model::wait_timeout_while_ready,
        &[(false, true), (true, false)],
    );
}

#[test]
fn wait_timeout_is_notified_or_times_out_before_or_after_the_flag() {
    conforms(
        real::wait_timeout_once,
        model::wait_timeout_once,
        &[(false, true), (true, false), (true, true)],
    );
}

#[test]
fn a_waiter_that_timed_out_is_not_picked_by_a_later_notify_one() {
    // Were the notify lost to the thread that timed out, the other would wait forever: a
    // deadlock, which `conforms` rejects.
    conforms(
        real::timed_out_waiters_are_not_picked,
        model::timed_out_waiters_are_not_picked,
        &[true],
    );
}

#[test]
fn a_poll_with_timeouts_ends_once_the_flag_is_set() {
    // 0: set before the first look; 1: one timeout, then set; 2: timed out with the flag
    // still clear, held back until the setter ran (see the polling assumption), again.
    conforms(real::poll_until_set, model::poll_until_set, &[0, 1, 2]);
}

/// Not run under `std`: it would poll forever. The check must end, and say why.
#[test]
fn a_poll_for_a_flag_nobody_sets_is_reported_not_run_forever() {
    let report = check(model::poll_for_a_flag_nobody_sets).run();
    assert!(report.has_bug(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    let blocked = deadlock(&report);
    assert!(
        blocked
            .iter()
            .any(|b| b.thread == 0 && matches!(b.waits_for, WaitsFor::Timeout { .. })),
        "{blocked:?}"
    );
    assert!(
        report
            .to_string()
            .contains("main waits with a timeout in a loop, timing out again and again"),
        "{report}"
    );
}
