//! The end of an execution that leaves threads inside the program (a deadlock, a thread
//! left waiting when `main` returns): racelab unwinds them, so that what they hold is
//! dropped (memory stays flat over long checks) and their stacks are reused; nothing of
//! that reaches the model (`src/check/rt/teardown.rs`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{Ending, check, thread};

/// Counts the objects made and dropped (std atomics: outside the model, on purpose).
#[derive(Default)]
struct Census {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

struct Noted(std::sync::Arc<Census>);

impl Noted {
    fn new(census: &std::sync::Arc<Census>) -> Self {
        census.made.fetch_add(1, Relaxed);
        Noted(std::sync::Arc::clone(census))
    }
}

impl Drop for Noted {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Relaxed);
    }
}

#[test]
fn what_deadlocked_threads_hold_is_dropped_when_their_execution_ends() {
    let census = std::sync::Arc::new(Census::default());
    let report = check({
        let census = std::sync::Arc::clone(&census);
        move || {
            let (a, b) = (Arc::new(Mutex::new(0)), Arc::new(Mutex::new(0)));
            let other = {
                let (a, b) = (Arc::clone(&a), Arc::clone(&b));
                let held = Noted::new(&census);
                thread::spawn(move || {
                    let _held = held;
                    let _b = b.lock().unwrap();
                    let _a = a.lock().unwrap();
                })
            };
            let _held = Noted::new(&census);
            {
                let _a = a.lock().unwrap();
                let _b = b.lock().unwrap();
            }
            other.join().unwrap();
        }
    })
    .allow_deadlock()
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(report.endings().any(|e| *e == Ending::Deadlock), "{report}");
    let (made, dropped) = (census.made.load(Relaxed), census.dropped.load(Relaxed));
    assert!(made > 0);
    // Leaked (not dropped) in every deadlocked execution before the teardown.
    assert_eq!(dropped, made, "{report}");
}

#[test]
fn what_a_thread_left_waiting_when_main_returns_holds_is_dropped() {
    let census = std::sync::Arc::new(Census::default());
    let report = check({
        let census = std::sync::Arc::clone(&census);
        move || {
            let state = Arc::new((Mutex::new(false), Condvar::new()));
            for _ in 0..2 {
                let (state, held) = (Arc::clone(&state), Noted::new(&census));
                thread::spawn(move || {
                    let _held = held;
                    let (ready, cv) = &*state;
                    let mut ready = ready.lock().unwrap();
                    while !*ready {
                        ready = cv.wait(ready).unwrap();
                    }
                });
            }
            let (ready, cv) = &*state;
            *ready.lock().unwrap() = true;
            cv.notify_one();
        }
    })
    .run();
    assert!(
        report
            .endings()
            .any(|e| matches!(e, Ending::LeftBlocked(()))),
        "{report}"
    );
    assert_eq!(
        census.dropped.load(Relaxed),
        census.made.load(Relaxed),
        "{report}"
    );
}

/// `static` data outlives the executions: a thread unwound by the teardown while it holds
/// a static mutex must not poison it for the next execution (std poisons a mutex whose
/// guard is dropped while its thread panics; this thread does not panic).
static FIRST: Mutex<u32> = Mutex::new(0);
static SECOND: Mutex<u32> = Mutex::new(0);

#[test]
fn a_static_mutex_held_by_a_deadlocked_thread_is_not_poisoned_by_the_teardown() {
    let run = || {
        check(|| {
            let other = thread::spawn(|| {
                let _second = SECOND.lock().unwrap();
                let _first = FIRST.lock().unwrap();
            });
            {
                let _first = FIRST.lock().unwrap();
                let _second = SECOND.lock().unwrap();
            }
            other.join().unwrap();
        })
        .allow_deadlock()
        .run()
    };
    // Twice: the deadlock may be the first check's last execution. Only a deadlock and the
    // body's return: a poisoned mutex would make `unwrap` panic in the executions after one.
    for report in [run(), run()] {
        for ending in report.endings() {
            assert!(
                matches!(ending, Ending::Deadlock | Ending::Returned(())),
                "{ending:?} in\n{report}"
            );
        }
        assert!(report.endings().any(|e| *e == Ending::Deadlock), "{report}");
    }
}

#[test]
fn a_thread_that_catches_the_unwinding_in_a_loop_is_left_alone() {
    // A worker that catches every panic of its jobs and goes on: unwound, it would catch the
    // unwinding and block again, for ever. It is left as shuttle leaves it.
    let report = check(|| {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                loop {
                    let _ = catch_unwind(AssertUnwindSafe(|| {
                        let (ready, cv) = &*state;
                        let mut ready = ready.lock().unwrap();
                        while !*ready {
                            ready = cv.wait(ready).unwrap();
                        }
                    }));
                }
            });
        }
    })
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(
        report
            .endings()
            .all(|e| matches!(e, Ending::LeftBlocked(()))),
        "{report}"
    );
}
