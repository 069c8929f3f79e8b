//! Data races on `check::cell::UnsafeCell`: every pair of accesses from two threads, at
//! least one a write, that happens-before does not order is a `DataRace` row with both
//! accesses named, and every way of ordering them (a mutex, spawn, join, an atomic that
//! synchronises) passes. Under RC11 a `Relaxed` flag does not order; `Release`/`Acquire`
//! does. Each program is checked exhaustively, so each verdict covers every execution.

use racelab::check::cell::UnsafeCell;
use racelab::check::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use racelab::check::sync::{Arc, Mutex};
use racelab::check::{Ending, MemoryModel, Report, Search, What, check, thread};

/// A cell shared between threads (as code built on `std::cell::UnsafeCell` does).
struct Shared(UnsafeCell<u64>);

// SAFETY: the point of these tests is to find the accesses that are not synchronised.
unsafe impl Sync for Shared {}

impl Shared {
    fn new() -> Arc<Self> {
        Arc::new(Shared(UnsafeCell::new(0).named("data")))
    }

    #[track_caller]
    fn read(&self) -> u64 {
        self.0.with(|p| unsafe { *p })
    }

    #[track_caller]
    fn write(&self, value: u64) {
        self.0.with_mut(|p| unsafe { *p = value });
    }
}

fn races<O>(report: &Report<O>) -> Vec<&str> {
    report
        .rows
        .iter()
        .filter_map(|r| match &r.ending {
            Ending::DataRace(message) => Some(message.as_str()),
            _ => None,
        })
        .collect()
}

/// Two threads that write the cell with nothing between them.
fn two_writers() -> u64 {
    let shared = Shared::new();
    let other = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || shared.write(1))
    };
    shared.write(2);
    other.join().unwrap();
    shared.read()
}

#[test]
fn unsynchronised_writes_are_a_data_race_with_both_accesses_named() {
    let report = check(two_writers).search(Search::Exhaustive).run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(report.has_bug(), "{report}");
    // One row, whichever write came second: the message names the threads in order.
    let found = races(&report);
    assert_eq!(found.len(), 1, "{report}");
    let message = found[0];
    assert!(message.starts_with("data: main's write at"), "{message}");
    assert!(message.contains("Thread1's write at"), "{message}");
    assert!(message.contains("races.rs:"), "{message}");
    // The witness shows both accesses, one in each thread's column.
    let ending = Ending::DataRace(message.to_string());
    let witness = report.witness(&ending).expect("a witness for the race");
    let accesses: Vec<usize> = witness
        .trace
        .iter()
        .filter(|e| matches!(&e.what, What::Access { object, write: true } if &**object == "data"))
        .map(|e| e.thread)
        .collect();
    assert_eq!(accesses.len(), 2, "{report}");
    assert_ne!(accesses[0], accesses[1], "{report}");
    assert!(report.to_string().contains("data race on data"), "{report}");
}

#[test]
fn a_read_that_a_later_write_races_with_is_found() {
    let report = check(|| {
        let shared = Shared::new();
        let reader = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || shared.read())
        };
        shared.write(1);
        reader.join().unwrap()
    })
    .search(Search::Exhaustive)
    .run();
    let found = races(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert!(found[0].contains("main's write") && found[0].contains("Thread1's read"));
}

#[test]
fn concurrent_reads_do_not_race() {
    let report = check(|| {
        let shared = Shared::new();
        let reader = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || shared.read())
        };
        shared.read() + reader.join().unwrap()
    })
    .search(Search::Exhaustive)
    .run();
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
}

#[test]
fn spawn_and_join_order_the_accesses() {
    let report = check(|| {
        let shared = Shared::new();
        shared.write(1); // before the spawn: happens before the child
        let child = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let seen = shared.read();
                shared.write(seen + 1);
            })
        };
        child.join().unwrap();
        shared.read() // after the join: the child's write happens before
    })
    .expect(|&v| v == 2)
    .search(Search::Exhaustive)
    .run();
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
}

/// Each thread adds one to the cell, holding `lock` (or not) around the access.
fn increments(locked: [bool; 2]) -> u64 {
    let shared = Shared::new();
    let lock = Arc::new(Mutex::new(()));
    let add = move |shared: &Shared, lock: &Mutex<()>, locked: bool| {
        let _guard = locked.then(|| lock.lock().unwrap());
        shared.write(shared.read() + 1);
    };
    let other = {
        let (shared, lock) = (Arc::clone(&shared), Arc::clone(&lock));
        thread::spawn(move || add(&shared, &lock, locked[1]))
    };
    add(&shared, &lock, locked[0]);
    other.join().unwrap();
    shared.read()
}

#[test]
fn a_mutex_orders_the_accesses_only_if_both_sides_take_it() {
    let both = check(|| increments([true, true]))
        .expect(|&v| v == 2)
        .search(Search::Exhaustive)
        .run();
    assert!(both.passed() && both.coverage.is_exhaustive(), "{both}");
    let one = check(|| increments([true, false]))
        .search(Search::Exhaustive)
        .run();
    assert_eq!(races(&one).len(), 1, "{one}");
}

/// Data published by a flag: the writer stores the data, then sets the flag with `store`;
/// the reader reads the data if it sees the flag with `load`.
fn publish(store: Ordering, load: Ordering) -> Report<Option<u64>> {
    check(move || {
        let shared = Shared::new();
        let ready = Arc::new(AtomicBool::new(false));
        let writer = {
            let (shared, ready) = (Arc::clone(&shared), Arc::clone(&ready));
            thread::spawn(move || {
                shared.write(42);
                ready.store(true, store);
            })
        };
        let seen = ready.load(load).then(|| shared.read());
        writer.join().unwrap();
        seen
    })
    .search(Search::Exhaustive)
    .run()
}

#[test]
fn a_relaxed_flag_publishes_with_a_data_race_under_rc11() {
    let report = publish(Ordering::Relaxed, Ordering::Relaxed);
    assert_eq!(
        report.coverage.model.map(|(m, _)| m),
        Some(MemoryModel::Rc11),
        "{report}"
    );
    let found = races(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert!(found[0].contains("main's read") && found[0].contains("Thread1's write"));
    // The executions that do not see the flag do not touch the data: they pass.
    assert!(
        report
            .rows
            .iter()
            .any(|r| r.ending == Ending::Returned(None))
    );
}

#[test]
fn a_release_acquire_or_seq_cst_flag_publishes_without_a_race() {
    for (store, load) in [
        (Ordering::Release, Ordering::Acquire),
        (Ordering::SeqCst, Ordering::SeqCst),
    ] {
        let report = publish(store, load);
        assert!(
            report.passed() && report.coverage.is_exhaustive(),
            "{report}"
        );
        let outcomes: Vec<_> = report.endings().collect();
        assert!(outcomes.contains(&&Ending::Returned(Some(42))), "{report}");
    }
    // A release store read by a relaxed load does not synchronise.
    let report = publish(Ordering::Release, Ordering::Relaxed);
    assert_eq!(races(&report).len(), 1, "{report}");
}

#[test]
fn a_release_sequence_through_a_read_modify_write_orders_the_accesses() {
    // Thread1 writes the data and releases the count; Thread2 bumps it (relaxed); main
    // acquires the count after both: Thread1's release heads a release sequence that
    // Thread2's read-modify-write continues, so main reading 2 synchronises with Thread1.
    let report = check(|| {
        let shared = Shared::new();
        let count = Arc::new(AtomicUsize::new(0));
        let writer = {
            let (shared, count) = (Arc::clone(&shared), Arc::clone(&count));
            thread::spawn(move || {
                shared.write(7);
                count.store(1, Ordering::Release);
            })
        };
        let bumper = {
            let count = Arc::clone(&count);
            thread::spawn(move || {
                let _ = count.compare_exchange(1, 2, Ordering::Relaxed, Ordering::Relaxed);
            })
        };
        let seen = (count.load(Ordering::Acquire) == 2).then(|| shared.read());
        writer.join().unwrap();
        bumper.join().unwrap();
        seen
    })
    .search(Search::Exhaustive)
    .run();
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
    assert!(
        report.endings().any(|e| *e == Ending::Returned(Some(7))),
        "{report}"
    );
}

#[test]
fn sampled_searches_and_parallel_jobs_report_the_race_too() {
    let random = check(two_writers).search(Search::Random(200)).seed(3).run();
    assert_eq!(races(&random).len(), 1, "{random}");
    let serial = check(two_writers).search(Search::Exhaustive).jobs(1).run();
    let parallel = check(two_writers).search(Search::Exhaustive).jobs(2).run();
    assert!(serial.same_findings(&parallel), "{serial}\n{parallel}");
}

/// A learner's spin lock guarding a counter in a cell: `lock` spins on a
/// `compare_exchange(false, true)`, `unlock` stores `false`, with the given orderings.
fn spin_lock(acquire: Ordering, release: Ordering) -> Report<u64> {
    struct SpinLock {
        held: AtomicBool,
        value: UnsafeCell<u64>,
    }
    // SAFETY: what the check is about.
    unsafe impl Sync for SpinLock {}
    impl SpinLock {
        fn add_one(&self, acquire: Ordering, release: Ordering) {
            while self
                .held
                .compare_exchange(false, true, acquire, Ordering::Relaxed)
                .is_err()
            {
                thread::yield_now();
            }
            self.value.with_mut(|p| unsafe { *p += 1 });
            self.held.store(false, release);
        }
    }
    check(move || {
        let lock = Arc::new(SpinLock {
            held: AtomicBool::new(false),
            value: UnsafeCell::new(0),
        });
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.add_one(acquire, release))
        };
        lock.add_one(acquire, release);
        other.join().unwrap();
        lock.value.with(|p| unsafe { *p })
    })
    .expect(|&v| v == 2)
    .search(Search::Exhaustive)
    .run()
}

#[test]
fn a_spin_lock_with_relaxed_orderings_lets_its_data_race() {
    // Mutual exclusion holds either way (the counter is never lost under SC), but a
    // relaxed unlock publishes nothing: the next holder's access races with the last one.
    let relaxed = spin_lock(Ordering::Relaxed, Ordering::Relaxed);
    assert!(relaxed.coverage.is_exhaustive(), "{relaxed}");
    assert_eq!(races(&relaxed).len(), 1, "{relaxed}");
    let fixed = spin_lock(Ordering::Acquire, Ordering::Release);
    assert!(fixed.passed() && fixed.coverage.is_exhaustive(), "{fixed}");
}
