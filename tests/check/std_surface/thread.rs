//! `thread::current`, `Thread`, `ThreadId`, parking: handshakes that work under std work in
//! a check, and a missing `unpark` is found.

use super::{conforms, deadlock, waits_for_notify};
use racelab::check::check;

both! {
    use sync::Arc;
    use sync::atomic::{AtomicBool, Ordering::SeqCst};

    /// Names and identifiers: the calling thread has a name (`main` in a check, the test's
    /// name under the test harness), a named thread has its name, identifiers differ, and a
    /// handle's identifier is the one its thread sees.
    pub fn names_and_ids() -> (bool, Option<String>, bool, bool) {
        let main = thread::current();
        let worker = thread::Builder::new()
            .name("worker".to_string())
            .spawn(|| (thread::current().name().map(str::to_string), thread::current().id()))
            .unwrap();
        let handle_id = worker.thread().id();
        let (name, seen_id) = worker.join().unwrap();
        (main.name().is_some(), name, seen_id == handle_id, main.id() != seen_id)
    }

    /// The waiter parks until a flag is set; the setter sets it, then (if `unpark`) unparks
    /// the waiter. An `unpark` before the `park` leaves the token, so nothing is lost;
    /// without the `unpark`, the waiter can park after its last look at the flag and never
    /// wake (only the checked version of that runs: on real threads it hangs when the race
    /// goes wrong).
    pub fn handshake(unpark: bool) -> bool {
        let flag = Arc::new(AtomicBool::new(false));
        let waiter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                while !flag.load(SeqCst) {
                    thread::park();
                }
                true
            })
        };
        flag.store(true, SeqCst);
        if unpark {
            waiter.thread().unpark();
        }
        waiter.join().unwrap()
    }

    /// Scoped threads borrow the caller's data and a mutex on its stack; the scope joins
    /// the one not joined by hand. With `relock`, each adds its part by locking to read and
    /// again to write (a lost update).
    pub fn scoped_sums(relock: bool) -> (u64, u64) {
        let data = [1u64, 2, 3, 4];
        let total = sync::Mutex::new(0u64);
        let (left, right) = data.split_at(2);
        let add = |part: &[u64]| {
            let sum: u64 = part.iter().sum();
            if relock {
                let seen = *total.lock().unwrap();
                *total.lock().unwrap() = seen + sum;
            } else {
                *total.lock().unwrap() += sum;
            }
            sum
        };
        let first = thread::scope(|s| {
            let left = s.spawn(|| add(left));
            s.spawn(|| add(right));
            left.join().unwrap()
        });
        (first, *total.lock().unwrap())
    }

    /// A loop around `park_timeout` ends once the flag is set, with or without an unpark.
    pub fn park_timeout_loop() -> bool {
        let flag = Arc::new(AtomicBool::new(false));
        let waiter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                while !flag.load(SeqCst) {
                    thread::park_timeout(std::time::Duration::from_millis(1));
                }
                true
            })
        };
        flag.store(true, SeqCst);
        waiter.join().unwrap()
    }

    /// `is_finished` before the join: the worker may or may not have finished.
    pub fn finished_before_join() -> bool {
        let worker = thread::spawn(|| {});
        let early = worker.is_finished();
        worker.join().unwrap();
        early
    }

    /// Waiting for `is_finished` in a spin loop, then joining: the loop ends, and after the
    /// join the worker's write is seen.
    pub fn spin_until_finished() -> u64 {
        let value = Arc::new(sync::Mutex::new(0u64));
        let worker = {
            let value = Arc::clone(&value);
            thread::spawn(move || *value.lock().unwrap() = 7)
        };
        while !worker.is_finished() {
            thread::yield_now();
        }
        worker.join().unwrap();
        *value.lock().unwrap()
    }

    /// A scoped thread's `is_finished`, inside the scope.
    pub fn scoped_finished() -> bool {
        thread::scope(|s| {
            let worker = s.spawn(|| {});
            let early = worker.is_finished();
            worker.join().unwrap();
            early
        })
    }

    /// Reading the worker's `Relaxed` store after `is_finished` returned true, without a
    /// join: `is_finished` does not synchronise (std reads a reference count with
    /// `Relaxed`), so the old value may be read.
    pub fn data_after_is_finished() -> Option<u64> {
        let data = Arc::new(sync::atomic::AtomicU64::new(0));
        let worker = {
            let data = Arc::clone(&data);
            thread::spawn(move || data.store(1, sync::atomic::Ordering::Relaxed))
        };
        let seen = worker
            .is_finished()
            .then(|| data.load(sync::atomic::Ordering::Relaxed));
        worker.join().unwrap();
        seen
    }
}

#[test]
fn current_names_and_identifiers_are_stds() {
    conforms(
        real::names_and_ids,
        model::names_and_ids,
        &[(true, Some("worker".to_string()), true, true)],
    );
}

#[test]
fn an_unpark_before_the_park_is_not_lost() {
    conforms(|| real::handshake(true), || model::handshake(true), &[true]);
}

#[test]
fn park_timeout_in_a_loop_ends_when_the_flag_is_set() {
    conforms(real::park_timeout_loop, model::park_timeout_loop, &[true]);
}

#[test]
fn a_missing_unpark_leaves_the_waiter_parked() {
    let report = check(|| model::handshake(false)).run();
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 1), "{report}");
    // The fixed version passes (above), exhaustively.
}

#[test]
fn scoped_threads_borrow_and_are_joined_by_the_scope() {
    conforms(
        || real::scoped_sums(false),
        || model::scoped_sums(false),
        &[(3, 10)],
    );
}

#[test]
fn a_lost_update_between_scoped_threads_is_found() {
    let report = check(|| model::scoped_sums(true))
        .expect(|&(_, total)| total == 10)
        .run();
    assert!(!report.passed(), "{report}");
    assert!(
        report
            .endings()
            .any(|e| *e == racelab::check::Ending::Returned((3, 3))),
        "{report}"
    );
}

#[test]
fn is_finished_is_explored_before_and_after_the_threads_end() {
    conforms(
        real::finished_before_join,
        model::finished_before_join,
        &[false, true],
    );
    conforms(
        real::scoped_finished,
        model::scoped_finished,
        &[false, true],
    );
}

#[test]
fn a_spin_loop_on_is_finished_ends_when_the_thread_does() {
    conforms(real::spin_until_finished, model::spin_until_finished, &[7]);
}

#[test]
fn is_finished_does_not_synchronise() {
    // RC11: the Relaxed read of the finished flag gives no happens-before edge, so the
    // worker's Relaxed store need not be visible yet (std on x86 never shows it; the
    // language allows it).
    conforms(
        real::data_after_is_finished,
        model::data_after_is_finished,
        &[None, Some(0), Some(1)],
    );
}

/// Under a plain shuttle scheduler (no racelab engine) a `JoinHandle` and its thread share
/// one `Thread`: `is_finished` sees the thread's end, and `unpark` through the handle
/// reaches the thread's `park` (each was a separate copy once: a spin on `is_finished` and
/// a parked waiter never ended).
#[test]
fn handles_work_under_a_plain_shuttle_scheduler() {
    shuttle::check_random(
        || {
            let worker = racelab::check::thread::spawn(|| {});
            while !worker.is_finished() {
                racelab::check::thread::yield_now();
            }
            worker.join().unwrap();
            assert!(model::handshake(true));
        },
        50,
    );
}

/// The witness of stale data after `is_finished` says what `is_finished` returned, and
/// (under RC11) which write of the flag it read.
#[test]
fn the_witness_shows_what_is_finished_returned() {
    let report = check(model::data_after_is_finished)
        .expect(|seen| *seen != Some(0))
        .run();
    assert!(!report.passed(), "{report}");
    let text = report.to_string();
    // `is_finished` is a Relaxed load, so the check runs under RC11 and notes the write read.
    assert!(text.contains("is_finished Thread1 = 1 [1]"), "{text}");
    assert!(
        text.contains("[1] Thread1 = 1 (Thread1's Release store)"),
        "{text}"
    );
}
