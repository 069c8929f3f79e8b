//! Reports that fit the cause (issue 21): a thread left blocked when the body returns, lock
//! cycles named thread by thread, what std's threads promise that a check keeps (their
//! stack size, thread-locals), and a worker's panic that `join` hands to the program.

use std::cell::RefCell;

use racelab::check::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{Ending, Report, Verdict, Witness, check, thread};

/// Two waiters, one `notify_one`, and a body that returns without joining: one waiter can
/// be left waiting for ever.
fn two_waiters_one_notify() -> racelab::check::Check<()> {
    check(|| {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        for _ in 0..2 {
            let state = Arc::clone(&state);
            thread::spawn(move || {
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
    })
}

#[test]
fn a_thread_left_blocked_when_the_body_returns_is_its_own_forbidden_row() {
    let report = two_waiters_one_notify().run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    let left = report
        .rows
        .iter()
        .find(|r| r.ending == Ending::LeftBlocked(()))
        .unwrap_or_else(|| panic!("no left-blocked row: {report}"));
    assert_eq!(left.verdict, Verdict::Forbidden);
    // Executions where both waiters saw the flag before waiting end cleanly.
    assert!(report.rows.iter().any(|r| r.ending == Ending::Returned(())));
    let w = report
        .witnesses
        .iter()
        .find(|w| w.ending == Ending::LeftBlocked(()))
        .unwrap();
    assert!(
        w.explanation.contains("while Thread")
            && w.explanation.contains("for a notify for ever")
            && w.explanation.contains("allow_left_blocked"),
        "{}",
        w.explanation
    );
    assert_eq!(w.blocked.len(), 1, "{:?}", w.blocked);
    assert!(report.to_string().contains("(), threads left blocked"));

    let allowed = two_waiters_one_notify().allow_left_blocked().run();
    assert!(allowed.passed(), "{allowed}");
    assert!(
        allowed
            .rows
            .iter()
            .any(|r| r.ending == Ending::LeftBlocked(()) && r.verdict == Verdict::Acceptable)
    );
}

/// The witness of `report`'s deadlock.
fn deadlock<O: racelab::check::Outcome>(report: &Report<O>) -> &Witness<O> {
    report
        .witness(&Ending::Deadlock)
        .unwrap_or_else(|| panic!("no deadlock: {report}"))
}

#[test]
fn a_lock_cycle_of_three_threads_is_named_thread_by_thread() {
    let report = check(|| {
        let locks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| Arc::new(Mutex::new(()).named(name)))
            .collect();
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let first = Arc::clone(&locks[i]);
                let second = Arc::clone(&locks[(i + 1) % 3]);
                thread::spawn(move || {
                    let _f = first.lock().unwrap();
                    let _s = second.lock().unwrap();
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    })
    .run();
    let w = deadlock(&report);
    assert_eq!(
        w.explanation,
        "deadlock: a lock-order cycle of 3 threads: Thread1 waits to lock b, held by \
         Thread2; Thread2 waits to lock c, held by Thread3; Thread3 waits to lock a, held by \
         Thread1"
    );
}

#[test]
fn main_joining_a_thread_that_waits_for_mains_lock_is_a_cycle_with_both_columns() {
    let report = check(|| {
        let m = Arc::new(Mutex::new(0).named("m"));
        let held = m.lock().unwrap();
        let t = {
            let m = Arc::clone(&m);
            thread::spawn(move || *m.lock().unwrap() += 1)
        };
        t.join().unwrap();
        drop(held);
    })
    .run();
    let w = deadlock(&report);
    assert_eq!(
        w.explanation,
        "deadlock: a cycle of waits of 2 threads: main waits for Thread1 to finish (join); \
         Thread1 waits to lock m, held by main"
    );
    assert_eq!(w.threads, ["main", "Thread1"]);
    assert_eq!(w.blocked.len(), 2);
}

/// One condition variable for two conditions: `main` sets the first waiter's flag and
/// calls `notify_one` while both wait, and the wake-up can go to the second, which finds
/// its own flag still false and waits again (with `notify_all` instead, both wake).
fn two_conditions_one_condvar(notify_all: bool) {
    let state = Arc::new((
        Mutex::new([false, false]).named("flags"),
        Condvar::new().named("cv"),
    ));
    let waiters: Vec<_> = (0..2)
        .map(|which| {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (flags, cv) = &*state;
                let mut flags = flags.lock().unwrap();
                while !flags[which] {
                    flags = cv.wait(flags).unwrap();
                }
            })
        })
        .collect();
    let (flags, cv) = &*state;
    for (which, waiter) in waiters.into_iter().enumerate() {
        flags.lock().unwrap()[which] = true;
        if notify_all {
            cv.notify_all();
        } else {
            cv.notify_one();
        }
        waiter.join().unwrap();
    }
}

#[test]
fn a_notify_one_that_wakes_the_wrong_waiter_is_explained_as_such() {
    let report = check(|| two_conditions_one_condvar(false)).run();
    let w = deadlock(&report);
    assert_eq!(
        w.explanation,
        "deadlock: Thread1 waits on cv for a notify that no running thread will send — a \
         wake-up lost on the wrong waiter: main's notify_one on cv woke Thread2, which found \
         its own condition still false and waited again, while Thread1 went on waiting \
         (notify_all, or one condition variable per condition, fixes that)",
        "{report}"
    );
    let steps: Vec<String> = w.trace.iter().map(|e| e.what.to_string()).collect();
    assert!(
        steps
            .iter()
            .any(|s| s == "notify_one cv (2 waiting): woke Thread2"),
        "{steps:?}"
    );
    // With notify_all, nobody is left waiting.
    let fixed = check(|| two_conditions_one_condvar(true)).run();
    fixed.assert_passed();
}

/// A waiter whose notify never comes is still a lost wake-up, not a wrong waiter.
#[test]
fn a_notify_that_never_comes_is_a_lost_wake_up() {
    let report = check(|| {
        let state = Arc::new((Mutex::new(false), Condvar::new().named("cv")));
        let waiter = {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (ready, cv) = &*state;
                let mut ready = ready.lock().unwrap();
                while !*ready {
                    ready = cv.wait(ready).unwrap();
                }
            })
        };
        *state.0.lock().unwrap() = true; // no notify
        waiter.join().unwrap();
    })
    .run();
    let w = deadlock(&report);
    assert!(
        w.explanation.contains("a lost wake-up") && !w.explanation.contains("wrong waiter"),
        "{}",
        w.explanation
    );
}

/// About 8 MiB of frames: more than a default shuttle stack, less than what is asked for.
fn deep(n: usize) -> usize {
    let frame = std::hint::black_box([n as u8; 1024]);
    if n == 0 {
        0
    } else {
        deep(n - 1) + usize::from(frame[0] & 1)
    }
}

#[test]
fn a_thread_gets_the_stack_size_it_asks_for() {
    let on_std = std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(|| deep(8_000))
        .unwrap()
        .join()
        .unwrap();
    let report = check(move || {
        thread::Builder::new()
            .stack_size(32 << 20)
            .spawn(|| deep(8_000))
            .unwrap()
            .join()
            .unwrap()
    })
    .run();
    assert!(report.passed(), "{report}");
    assert_eq!(
        report.rows.iter().map(|r| &r.ending).collect::<Vec<_>>(),
        [&Ending::Returned(on_std)]
    );
}

racelab::check::thread_local! {
    static MINE: RefCell<usize> = const { RefCell::new(0) };
}

fn bump() -> usize {
    MINE.with(|m| {
        *m.borrow_mut() += 1;
        *m.borrow()
    })
}

#[test]
fn each_checked_thread_has_its_own_thread_local() {
    std::thread_local! {
        static STD: RefCell<usize> = const { RefCell::new(0) };
    }
    let std_bump = || {
        STD.with(|m| {
            *m.borrow_mut() += 1;
            *m.borrow()
        })
    };
    let on_std = {
        let t = std::thread::spawn(std_bump);
        (std_bump(), t.join().unwrap())
    };
    assert_eq!(on_std, (1, 1));
    let report = check(|| {
        let t = thread::spawn(bump);
        (bump(), t.join().unwrap())
    })
    .expect(move |&o| o == on_std)
    .run();
    assert!(report.passed(), "{report}");
    assert!(report.coverage.is_exhaustive());
}

/// Two workers, one of which panics; main joins both and counts the failures.
fn one_worker_fails(join_the_failing_one: bool) -> usize {
    let total = Arc::new(Mutex::new(0));
    let ok = {
        let total = Arc::clone(&total);
        thread::spawn(move || *total.lock().unwrap() += 1)
    };
    let failing = thread::spawn(|| -> () { panic!("worker failed") });
    let mut failures = usize::from(ok.join().is_err());
    if join_the_failing_one {
        failures += usize::from(failing.join().is_err());
    }
    failures
}

#[test]
fn a_panic_that_join_hands_to_main_and_main_handles_is_std_behaviour() {
    // As in std: the worker's panic reaches main through `join` as `Err`, and a program
    // that handles it passes; every execution saw exactly one failure.
    let report = check(|| one_worker_fails(true))
        .expect(|&failures| failures == 1)
        .run();
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
    assert!(
        report.endings().all(|e| *e == Ending::Returned(1)),
        "{report}"
    );
}

#[test]
fn a_panic_nobody_joins_is_a_panic_row() {
    let report = check(|| one_worker_fails(false)).run();
    assert!(!report.passed(), "{report}");
    assert!(
        report
            .endings()
            .all(|e| matches!(e, Ending::Panicked(m) if m.contains("worker failed"))),
        "{report}"
    );
    let witness = &report.witnesses[0];
    assert!(
        witness
            .explanation
            .starts_with("Thread2 panicked: worker failed")
    );
}

/// Counts, in a modelled atomic, that it was dropped (a read-modify-write: its result
/// cannot wait until the thread stops unwinding, as a store can).
struct NotesItsDrop(Arc<AtomicU32>);

impl Drop for NotesItsDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_modelled_operation_while_unwinding_ends_the_execution_as_a_panic_saying_why() {
    // std would run the increment and let `join` hand the panic to main; a thread cannot take
    // an operation while it unwinds, so racelab cannot go on as std would: the panic ends
    // the execution, and the row says why (the limit named in README's table).
    let report = check(|| {
        let noted = Arc::new(AtomicU32::new(0));
        let note = NotesItsDrop(Arc::clone(&noted));
        let worker = thread::spawn(move || {
            let _note = note;
            panic!("worker failed");
        });
        worker.join().is_err()
    })
    .run();
    assert!(
        report.endings().all(|e| matches!(e, Ending::Panicked(m)
            if m.starts_with("worker failed") && m.ends_with("(ending the execution: while it \
                unwound, the thread used a racelab primitive, which cannot be modelled then)"))),
        "{report}"
    );
}

/// Stores to a modelled atomic as it is dropped.
struct ClearsOnDrop<'a>(&'a AtomicBool);

impl Drop for ClearsOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// A worker whose destructor stores to an atomic on its own stack panics; main joins it.
/// `used_before`: the worker loads the atomic first (binding it in the execution).
fn store_while_unwinding(used_before: bool) -> Report<bool> {
    check(move || {
        let worker = thread::spawn(move || {
            let flag = AtomicBool::new(true);
            if used_before {
                let _was = flag.load(Ordering::Acquire);
            }
            let _clears = ClearsOnDrop(&flag);
            panic!("worker failed");
        });
        worker.join().is_err()
    })
    .run()
}

#[test]
fn a_store_while_unwinding_to_an_atomic_gone_before_it_is_taken_is_still_taken() {
    // The store is taken once the thread stops unwinding, when the atomic (on the
    // thread's stack) is gone: it runs on a copy of its bookkeeping, as a mutex's release
    // does, so nothing dangles.
    let report = store_while_unwinding(true);
    assert!(
        report.passed() && report.endings().all(|e| *e == Ending::Returned(true)),
        "{report}"
    );
}

#[test]
fn a_store_while_unwinding_to_an_atomic_not_used_before_ends_the_execution_saying_why() {
    // An atomic this execution has not used yet has no location to copy: its store
    // cannot be deferred, and the panic ends the execution, saying why.
    let report = store_while_unwinding(false);
    assert!(
        report.endings().all(|e| matches!(e, Ending::Panicked(m)
            if m.starts_with("worker failed") && m.contains("while it unwound"))),
        "{report}"
    );
}
