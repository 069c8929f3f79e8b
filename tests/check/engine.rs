//! The engine on small programs: bugs it must find, correct code it must pass.
#![cfg(not(loom))]

use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{Ending, check, thread};

fn counter_load_store() -> usize {
    load_store_counter(2)
}

/// `threads` threads each add one to a counter with a load, then a store (updates lost).
pub(crate) fn load_store_counter(threads: usize) -> usize {
    let value = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..threads)
        .map(|_| {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let v = value.load(SeqCst);
                value.store(v + 1, SeqCst);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    value.load(SeqCst)
}

#[test]
fn finds_the_lost_update() {
    let r = check(counter_load_store).expect(|&v| v == 2).run();
    println!("{r}");
    assert!(r.has_bug());
    assert!(r.coverage.is_exhaustive());
}

#[test]
fn relock_between_read_and_write() {
    let r = check(|| {
        let value = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let value = Arc::clone(&value);
                thread::spawn(move || {
                    let v = *value.lock().unwrap();
                    *value.lock().unwrap() = v + 1;
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        *value.lock().unwrap()
    })
    .expect(|&v| v == 2)
    .run();
    println!("{r}");
    assert!(r.has_bug());
}

#[test]
fn mutex_counter_passes() {
    let r = check(|| {
        let value = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let value = Arc::clone(&value);
                thread::spawn(move || {
                    let mut g = value.lock().unwrap();
                    *g += 1;
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        *value.lock().unwrap()
    })
    .expect(|&v| v == 3)
    .run();
    println!("{r}");
    assert!(!r.has_bug());
    assert!(r.coverage.is_exhaustive());
}

#[test]
fn lock_order_deadlock() {
    let r = check(|| {
        let a = Arc::new(Mutex::new(()).named("a"));
        let b = Arc::new(Mutex::new(()).named("b"));
        let t = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                let _x = b.lock().unwrap();
                let _y = a.lock().unwrap();
            })
        };
        {
            let _x = a.lock().unwrap();
            let _y = b.lock().unwrap();
        }
        t.join().unwrap();
    })
    .run();
    println!("{r}");
    assert!(r.endings().any(|e| *e == Ending::Deadlock));
}

#[test]
fn lost_wakeup_if_not_while() {
    let r = check(|| {
        let shared = Arc::new((
            Mutex::new(Vec::<u32>::new()).named("items"),
            Condvar::new().named("not_empty"),
        ));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let (items, cv) = &*shared;
                    let mut q = items.lock().unwrap();
                    if q.is_empty() {
                        q = cv.wait(q).unwrap();
                    }
                    q.pop().is_some()
                })
            })
            .collect();
        let (items, cv) = &*shared;
        for i in 0..2 {
            items.lock().unwrap().push(i);
            cv.notify_one();
        }
        consumers.into_iter().all(|c| c.join().unwrap())
    })
    .expect(|&all| all)
    .run();
    println!("{r}");
    assert!(r.has_bug());
}

#[test]
fn panics_are_outcomes() {
    let r = check(|| {
        let t = thread::spawn(|| panic!("boom"));
        t.join().unwrap(); // main panics with Thread1's panic: the first is the cause
    })
    .run();
    println!("{r}");
    assert!(matches!(r.rows[0].ending, Ending::Panicked(ref m) if m.contains("boom")));
}

/// Two values, the same marked steps: the last unmarked store decides. Switching only at
/// marks is sound only when all shared state is marked: here it is not, and the marked-step
/// search sees one value (each thread runs up to its first mark before any branch point, so
/// `b`'s unmarked store always comes first), while the default search, which switches at
/// every operation, finds both, as two rows with the same marked steps.
#[test]
fn unmarked_state_is_seen_by_the_default_search_not_by_marked_steps() {
    use racelab::check::{Pruning, Search};
    let body = || {
        let x = Arc::new(AtomicUsize::new(0));
        let a = {
            let x = Arc::clone(&x);
            thread::spawn(move || {
                racelab::check::step(|| ((), racelab::check::Mark::new("read").with_value(0)));
                x.store(1, SeqCst);
            })
        };
        let b = {
            let x = Arc::clone(&x);
            thread::spawn(move || x.store(2, SeqCst))
        };
        a.join().unwrap();
        b.join().unwrap();
        x.load(SeqCst)
    };
    let values = |r: &racelab::check::Report<usize>| {
        let mut v: Vec<usize> = r.endings().filter_map(|e| e.returned().copied()).collect();
        v.sort_unstable();
        v
    };
    let marked = check(body)
        .search(Search::MarkedSteps {
            main_has_steps: false,
            pruning: Pruning::Off,
        })
        .run();
    assert_eq!(values(&marked), [1], "{}", marked);
    let every = check(body).run();
    assert_eq!(values(&every), [1, 2], "{}", every);
    assert!(every.coverage.is_exhaustive());
}

/// Code written with shuttle's own primitives: racelab cannot see what they do, so a check
/// fails at once, saying so, instead of calling code it cannot see safe.
#[test]
#[should_panic(expected = "does not model")]
fn raw_shuttle_threads_fail_clearly() {
    check(|| {
        let value = shuttle::sync::Arc::new(shuttle::sync::Mutex::new(0));
        let v = shuttle::sync::Arc::clone(&value);
        shuttle::thread::spawn(move || *v.lock().unwrap() += 1)
            .join()
            .unwrap();
        *value.lock().unwrap()
    })
    .run();
}

/// A racelab thread blocked in a primitive racelab does not model: a clear failure, not a
/// hang.
#[test]
#[should_panic(expected = "does not model")]
fn blocking_in_a_raw_shuttle_mutex_fails_clearly() {
    check(|| {
        let m = Arc::new(shuttle::sync::Mutex::new(0));
        let m2 = Arc::clone(&m);
        let _held = m.lock().unwrap();
        let t = thread::spawn(move || *m2.lock().unwrap() += 1);
        t.join().unwrap(); // while holding the lock the thread needs
    })
    .run();
}

#[test]
fn a_budget_returns_what_was_found_so_far_and_says_it_is_bounded() {
    let r = check(|| {
        let value = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let value = Arc::clone(&value);
                thread::spawn(move || {
                    for _ in 0..2 {
                        let v = value.load(SeqCst);
                        value.store(v + 1, SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        value.load(SeqCst)
    })
    .expect(|&v| v == 6)
    .max_executions(50)
    .sample(20)
    .run();
    let text = r.to_string();
    assert_eq!(
        r.coverage.kind(),
        racelab::check::CoverageKind::Bounded,
        "{text}"
    );
    assert!(
        text.contains("stopped at its budget of 50 executions"),
        "{text}"
    );
    assert!(text.contains("random schedules (seed 0)"), "{text}");
    assert!(
        r.has_bug(),
        "what was found before the budget ran out is kept"
    );
    assert!(r.executions >= 50);
}

#[test]
fn required_outcomes_are_reported_reached_or_not() {
    let r = check(counter_load_store)
        .require(1)
        .require(2)
        .require(3)
        .run();
    let reached: Vec<bool> = r.requirements.iter().map(|q| q.reached).collect();
    assert_eq!(reached, [true, true, false]);
    assert!(!r.passed(), "an unreachable requirement fails the check");
    let text = r.to_string();
    assert!(text.contains("required: 3 — NEVER reached"), "{text}");
}

#[test]
fn threads_are_named_main_and_thread_n_and_a_panic_names_its_thread() {
    let r = check(|| {
        let t = thread::spawn(|| panic!("boom"));
        t.join().unwrap();
    })
    .run();
    let w = &r.witnesses[0];
    assert!(
        w.explanation.starts_with("Thread1 panicked: boom"),
        "{}",
        w.explanation
    );
    assert_eq!(w.threads, ["main", "Thread1"]);
}

#[test]
fn a_deadlock_lists_who_waits_for_whom() {
    let r = check(|| {
        let a = Arc::new(Mutex::new(()).named("a"));
        let b = Arc::new(Mutex::new(()).named("b"));
        let t = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                let _x = b.lock().unwrap();
                let _y = a.lock().unwrap();
            })
        };
        {
            let _x = a.lock().unwrap();
            let _y = b.lock().unwrap();
        }
        t.join().unwrap();
    })
    .run();
    let w = r
        .witness(&Ending::Deadlock)
        .expect("the lock-order deadlock is found");
    let waits: Vec<String> = w
        .blocked
        .iter()
        .map(|b| b.describe(&|t| w.thread_name(t).to_string()))
        .collect();
    assert_eq!(
        waits,
        [
            "main waits to lock b, held by Thread1",
            "Thread1 waits to lock a, held by main"
        ]
    );
    assert!(
        w.explanation.contains("lock-order cycle"),
        "{}",
        w.explanation
    );
}

#[test]
#[should_panic(expected = "Witness for 1")]
fn assert_passes_fails_a_test_with_the_interleaving() {
    check(counter_load_store)
        .expect(|&v| v == 2)
        .assert_passes();
}

#[test]
fn assert_passes_returns_the_report_of_correct_code() {
    let r = check(|| {
        let value = Arc::new(AtomicUsize::new(0));
        let t = {
            let value = Arc::clone(&value);
            thread::spawn(move || value.fetch_add(1, SeqCst))
        };
        value.fetch_add(1, SeqCst);
        t.join().unwrap();
        value.load(SeqCst)
    })
    .expect(|&v| v == 2)
    .assert_passes();
    assert!(r.coverage.is_exhaustive());
}

#[test]
fn a_spin_loop_that_nobody_ends_is_a_deadlock_everywhere() {
    use racelab::check::sync::atomic::AtomicBool;
    let r = check(|| {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let t = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                while !flag.load(SeqCst) {
                    thread::yield_now();
                }
            })
        };
        t.join().unwrap();
    })
    .run();
    let w = r.witness(&Ending::Deadlock).expect("the spin never ends");
    assert!(
        w.explanation.starts_with("deadlock: Thread1 spins"),
        "{}",
        w.explanation
    );
    assert!(
        matches!(
            &w.blocked[..],
            [_, racelab::check::Blocked { thread: 1, waits_for: racelab::check::WaitsFor::Change { objects }, .. }] if objects == &["flag"]
        ),
        "{:?}",
        w.blocked
    );
}

/// Store buffering with `Relaxed`: both loads may read 0 under RC11. The exhaustive search
/// finds it; the every-order baseline, which only interleaves, runs the atomics as SeqCst and
/// must say so (found by the peer comparison, compare/: it used to report nothing).
#[test]
fn interleaving_searches_say_they_ran_weak_atomics_as_seq_cst() {
    use racelab::check::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    use racelab::check::{MemoryModel, Search};
    let sb = || {
        let x = Arc::new(AtomicUsize::new(0));
        let y = Arc::new(AtomicUsize::new(0));
        let t = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || {
                x.store(1, Relaxed);
                y.load(Relaxed)
            })
        };
        y.store(1, Relaxed);
        let a = x.load(Relaxed);
        (a, t.join().unwrap())
    };
    let exhaustive = check(sb).search(Search::Exhaustive).run();
    assert!(exhaustive.endings().any(|e| e == &Ending::Returned((0, 0))));
    assert_eq!(
        exhaustive.coverage.model,
        Some((MemoryModel::Rc11, false)),
        "{exhaustive}"
    );
    assert!(exhaustive.notes.is_empty(), "{exhaustive}");

    let every = check(sb).search(Search::EveryOrder).run();
    assert!(!every.endings().any(|e| e == &Ending::Returned((0, 0))));
    assert_eq!(
        every.coverage.model,
        Some((MemoryModel::SequentiallyConsistent, false)),
        "{every}"
    );
    assert!(
        every
            .notes
            .iter()
            .any(|n| n.contains("every-order schedules ran atomics weaker than SeqCst")),
        "{every}"
    );
    let text = every.to_string();
    assert!(text.contains("weaker than SeqCst"), "{text}");
}
