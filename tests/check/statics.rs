//! Objects that outlive an execution (in a `static`, or created outside the body): what
//! they keep from one execution to the next is not reset, and the coverage says so instead
//! of calling the search exhaustive; what lives in the execution graph (atomics, a lock's
//! state) starts afresh, so an object that keeps nothing else leaves the search exhaustive.

use racelab::check::sync::atomic::{AtomicUsize, Ordering};
use racelab::check::sync::{Mutex, OnceLock, RwLock};
use racelab::check::{Ending, StopReason, check, thread};

static COUNT: Mutex<usize> = Mutex::new(0);

/// Two threads add to a counter in a `static` and main reads it: 2 in a fresh run, more
/// in every later execution of the check.
fn static_count() -> usize {
    let t = thread::spawn(|| *COUNT.lock().unwrap() += 1);
    *COUNT.lock().unwrap() += 1;
    t.join().unwrap();
    *COUNT.lock().unwrap()
}

#[test]
fn a_static_whose_value_is_kept_makes_the_search_short_of_exhaustive() {
    let report = check(static_count).run();
    assert!(!report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::KeptState),
        "{report}"
    );
    assert!(
        report.coverage.to_string().contains("kept its value"),
        "{}",
        report.coverage
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("outlives one execution")),
        "{:?}",
        report.notes
    );
}

static INIT: OnceLock<usize> = OnceLock::new();

/// Two threads race to initialise a `static` cell: only the check's first execution finds
/// it empty.
fn static_once_lock() -> usize {
    let t = thread::spawn(|| *INIT.get_or_init(|| 1));
    let mine = *INIT.get_or_init(|| 2);
    mine + t.join().unwrap()
}

#[test]
fn a_static_cell_initialised_by_an_earlier_execution_is_named() {
    let report = check(static_once_lock).run();
    assert!(!report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::KeptState)
    );
}

static GLOBAL_LOCK: Mutex<()> = Mutex::new(());
static HITS: AtomicUsize = AtomicUsize::new(0);

/// A `static` lock that guards no data, and a `static` atomic: both start afresh in every
/// execution (the lock's state and the atomic's value live in the execution graph).
fn static_lock_and_atomic() -> usize {
    let bump = || {
        let _guard = GLOBAL_LOCK.lock().unwrap();
        let seen = HITS.load(Ordering::SeqCst);
        HITS.store(seen + 1, Ordering::SeqCst);
    };
    let t = thread::spawn(bump);
    bump();
    t.join().unwrap();
    HITS.load(Ordering::SeqCst)
}

#[test]
fn statics_that_keep_nothing_outside_the_graph_leave_the_search_exhaustive() {
    let report = check(static_lock_and_atomic).expect(|&n| n == 2).run();
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
    assert!(report.executions > 1, "{report}");
}

static FIRST: Mutex<()> = Mutex::new(());
static SECOND: Mutex<()> = Mutex::new(());

/// Two `static` locks taken in opposite orders: an execution that deadlocks ends with both
/// held (its threads are never resumed), and later executions take them again.
fn static_lock_order() {
    let t = thread::spawn(|| {
        let _a = FIRST.lock().unwrap();
        let _b = SECOND.lock().unwrap();
    });
    {
        let _b = SECOND.lock().unwrap();
        let _a = FIRST.lock().unwrap();
    }
    t.join().unwrap();
}

#[test]
fn static_locks_left_held_by_a_deadlocked_execution_are_free_in_the_next() {
    let report = check(static_lock_order).run();
    assert!(report.has_bug(), "{report}");
    assert!(
        report.endings().any(|e| matches!(e, Ending::Deadlock)),
        "{report}"
    );
    assert!(report.coverage.is_exhaustive(), "{report}");
}

static STRETCHED: Mutex<usize> = Mutex::new(0);

/// [`static_count`] on its own `static`, for the checkpoint test.
fn stretched_count() -> usize {
    let t = thread::spawn(|| *STRETCHED.lock().unwrap() += 1);
    *STRETCHED.lock().unwrap() += 1;
    t.join().unwrap();
    *STRETCHED.lock().unwrap()
}

#[test]
fn a_search_spread_over_checkpointed_stretches_stays_short_of_exhaustive() {
    // Merging stretches that chain to the end drops their budget stops, never this one.
    let path = std::env::temp_dir().join(format!("racelab-kept-{}", std::process::id()));
    let mut stretches = Vec::new();
    while stretches.is_empty() || path.exists() {
        stretches.push(
            check(stretched_count)
                .search(racelab::check::Search::Exhaustive)
                .stop_at_first_bug(false)
                .max_executions(2)
                .checkpoint(&path)
                .run(),
        );
        assert!(stretches.len() < 50, "the search makes no progress");
    }
    assert!(stretches.len() > 1);
    let merged = racelab::check::Report::merge(stretches).expect("one search's stretches");
    assert!(!merged.coverage.is_exhaustive(), "{}", merged.coverage);
    assert!(
        merged
            .coverage
            .phases
            .iter()
            .any(|p| p.stopped == Some(StopReason::KeptState)),
        "{}",
        merged.coverage
    );
}

static LEFT: RwLock<u32> = RwLock::new(0);
static RIGHT: RwLock<u32> = RwLock::new(0);

/// Two `static` read-write locks written in opposite orders.
fn static_rwlock_order() {
    let t = thread::spawn(|| {
        let _a = LEFT.write().unwrap();
        let _b = RIGHT.write().unwrap();
    });
    {
        let _b = RIGHT.write().unwrap();
        let _a = LEFT.write().unwrap();
    }
    t.join().unwrap();
}

#[test]
fn static_rwlocks_keep_their_state_and_the_search_says_so() {
    // Unlike a `Mutex`'s holder, an `RwLock`'s state is data under its mutex, kept from
    // one execution to the next: after the first deadlock both stay "written", so every
    // later execution deadlocks too. The search is bounded and says why.
    let report = check(static_rwlock_order).run();
    assert!(
        report.endings().any(|e| matches!(e, Ending::Deadlock)),
        "{report}"
    );
    assert!(
        !report.endings().any(|e| matches!(e, Ending::Panicked(_))),
        "{report}"
    );
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::KeptState),
        "{report}"
    );
}
