//! Objects that outlive an execution (in a `static`, or created outside the body): what
//! they keep from one execution to the next is not reset, and the coverage says so instead
//! of calling the search exhaustive; what lives in the execution graph (atomics, a lock's
//! state) starts afresh, so an object that keeps nothing else leaves the search exhaustive;
//! and `Once`, `OnceLock` and `LazyLock`, whose whole state racelab makes, start afresh in
//! every execution, as in a fresh process.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicUsize as StdCount;

use racelab::check::sync::atomic::{AtomicUsize, Ordering};
use racelab::check::sync::{Arc, LazyLock, Mutex, Once, OnceLock, RwLock};
use racelab::check::{Ending, Outcome, Report, StopReason, check, thread};

/// The check stopped short of exhaustive because an object kept its value.
fn assert_kept<O: Outcome>(report: &Report<O>) {
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::KeptState),
        "{report}"
    );
}

/// The check passed, exhaustively, over more than one execution.
fn assert_passes_exhaustively<O: Outcome>(report: &Report<O>) {
    assert!(
        report.passed() && report.coverage.is_exhaustive(),
        "{report}"
    );
    assert!(report.executions > 1, "{report}");
}

/// A race of its own (a store against a load), so that a check runs several executions:
/// what the load saw.
fn a_race() -> usize {
    let flag = Arc::new(AtomicUsize::new(0));
    let t = {
        let flag = Arc::clone(&flag);
        thread::spawn(move || flag.store(1, Ordering::SeqCst))
    };
    let seen = flag.load(Ordering::SeqCst);
    t.join().unwrap();
    seen
}

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
    assert_kept(&report);
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

/// Two threads race to initialise a `static` cell: whoever wins, both see its value.
fn static_once_lock() -> usize {
    let t = thread::spawn(|| *INIT.get_or_init(|| 1));
    let mine = *INIT.get_or_init(|| 2);
    mine + t.join().unwrap()
}

/// [`static_once_lock`] with the cell made in the body.
fn local_once_lock() -> usize {
    let cell = Arc::new(OnceLock::new());
    let t = {
        let cell = Arc::clone(&cell);
        thread::spawn(move || *cell.get_or_init(|| 1))
    };
    let mine = *cell.get_or_init(|| 2);
    mine + t.join().unwrap()
}

/// What a report's executions returned, and how many executions it took.
fn table<O: Outcome + Ord>(report: &Report<O>) -> (BTreeSet<O>, usize) {
    let returned = report.endings().filter_map(|e| e.returned().cloned());
    (returned.collect(), report.executions)
}

#[test]
fn a_static_cell_is_empty_in_every_execution() {
    let report = check(static_once_lock).run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(table(&report).0, BTreeSet::from([2, 4]), "{report}");
    // The same search as with a cell made in the body: the static adds nothing.
    assert_eq!(table(&report), table(&check(local_once_lock).run()));
}

#[test]
fn a_static_cell_is_searched_on_every_job() {
    // Each execution's cell is its own, so the search need not keep to one job.
    let report = check(static_once_lock).jobs(2).run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(
        report.coverage.phases.iter().any(|p| p.jobs == 2),
        "{}",
        report.coverage
    );
    assert!(
        !report
            .notes
            .iter()
            .any(|n| n.contains("outlives one execution")),
        "{:?}",
        report.notes
    );
    assert_eq!(table(&report), table(&check(local_once_lock).run()));
}

static TOTAL: LazyLock<Mutex<usize>> = LazyLock::new(|| Mutex::new(0));

/// [`static_count`] with the counter behind a `static` `LazyLock`: 2 in every execution.
fn lazy_count() -> usize {
    let t = thread::spawn(|| *TOTAL.lock().unwrap() += 1);
    *TOTAL.lock().unwrap() += 1;
    t.join().unwrap();
    *TOTAL.lock().unwrap()
}

#[test]
fn a_static_lazy_lock_is_computed_again_in_every_execution() {
    let report = check(lazy_count).expect(|&n| n == 2).run();
    assert_passes_exhaustively(&report);
}

static MADE: StdCount = StdCount::new(0);
static DROPPED: StdCount = StdCount::new(0);

/// A value that counts how many were made and dropped.
struct Counted;

impl Counted {
    fn new() -> Self {
        MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Counted
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

static COUNTED: LazyLock<Counted> = LazyLock::new(Counted::new);

#[test]
fn a_static_lazy_locks_values_are_never_dropped_as_in_std() {
    let report = check(|| {
        let t = thread::spawn(|| {
            let _ = &*COUNTED;
        });
        let _ = &*COUNTED;
        t.join().unwrap();
    })
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(report.executions > 1, "{report}");
    // One value per execution, computed again in each; none dropped (std never drops a
    // `static`'s value, and a reference to one may outlive its execution: below).
    assert_eq!(
        MADE.load(std::sync::atomic::Ordering::SeqCst),
        report.executions,
        "{report}"
    );
    assert_eq!(DROPPED.load(std::sync::atomic::Ordering::SeqCst), 0);
}

static WINNER: OnceLock<String> = OnceLock::new();

/// Two threads race to fill a `static` cell; the body's outcome borrows its value.
fn borrowed_outcome() -> &'static str {
    let t = thread::spawn(|| {
        let _ = WINNER.set("thread".to_string());
    });
    let _ = WINNER.set("main".to_string());
    t.join().unwrap();
    WINNER.get().unwrap().as_str()
}

/// Regression (found in review): each execution's copy was freed when the next began, but
/// the report keeps the outcomes, which here point into it. (Reading freed memory need not
/// show: the argument is that copies are never freed, see `rt::fresh`.)
#[test]
fn an_outcome_may_borrow_from_a_static_cell() {
    let report = check(borrowed_outcome).run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        table(&report).0,
        BTreeSet::from(["main", "thread"]),
        "{report}"
    );
}

/// Regression (found in review): an object first used by an earlier execution must use
/// this execution's copy through a unique borrow too, not its own state.
#[test]
fn a_cell_reached_through_a_unique_borrow_is_empty_in_every_execution() {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(OnceLock::new()));
    let report = check(move || {
        let seen = a_race();
        let mut cell = shared.lock().unwrap();
        let before = cell.get_mut().copied();
        let _ = cell.set(5_u32);
        (seen, before, cell.get().copied())
    })
    .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        table(&report).0,
        BTreeSet::from([(0, None, Some(5)), (1, None, Some(5))]),
        "{report}"
    );
}

static ONCE: Once = Once::new();
static RAN: AtomicUsize = AtomicUsize::new(0);

/// Two threads ask a `static` `Once` to run: its closure runs once in every execution.
fn static_once() -> usize {
    let run = || ONCE.call_once(|| _ = RAN.fetch_add(1, Ordering::SeqCst));
    let t = thread::spawn(run);
    run();
    t.join().unwrap();
    RAN.load(Ordering::SeqCst)
}

#[test]
fn a_static_once_runs_in_every_execution() {
    let report = check(static_once).expect(|&n| n == 1).run();
    assert_passes_exhaustively(&report);
}

/// A cell made full outside the body keeps its one value (racelab cannot copy it): the
/// search says it is short of exhaustive.
#[test]
fn a_cell_made_full_outside_the_body_is_named() {
    let cell = Arc::new(OnceLock::from(7_usize));
    let report = check(move || {
        let t = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || *cell.get().unwrap())
        };
        *cell.get().unwrap() + t.join().unwrap()
    })
    .run();
    assert_eq!(table(&report).0, BTreeSet::from([14]), "{report}");
    assert_kept(&report);
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
    assert_passes_exhaustively(&report);
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
    assert_kept(&report);
}

static FAILS: LazyLock<u32> = LazyLock::new(|| panic!("the initialiser failed"));

/// The message of the panic `f` ends with.
fn panic_of(f: impl FnOnce() -> u32) -> String {
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_err();
    match payload.downcast::<&str>() {
        Ok(s) => s.to_string(),
        Err(payload) => *payload.downcast::<String>().unwrap(),
    }
}

/// A `static` `LazyLock` poisoned in one execution is fresh in the next: its initialiser
/// runs (and fails) again, and only then is it poisoned.
#[test]
fn a_static_lazy_lock_poisoned_by_one_execution_is_fresh_in_the_next() {
    let report = check(|| {
        let seen = a_race();
        (seen, panic_of(|| *FAILS), panic_of(|| *FAILS))
    })
    .run();
    assert!(report.executions > 1, "{report}");
    let failed = "the initialiser failed".to_string();
    let poisoned = "LazyLock instance has previously been poisoned".to_string();
    assert_eq!(
        table(&report).0,
        BTreeSet::from([(0, failed.clone(), poisoned.clone()), (1, failed, poisoned)]),
        "{report}"
    );
}

static PLAIN: OnceLock<u32> = OnceLock::new();

/// Regression (found in review): a cell filled by a plain shuttle run before the check (no
/// racelab engine) keeps its value in the check, and the check says the state was kept,
/// as a process that ran the setup and then the body would see it.
#[test]
fn a_cell_filled_by_a_plain_shuttle_run_keeps_its_value_in_a_check() {
    shuttle::check_random(
        || {
            let _ = PLAIN.set(5);
        },
        1,
    );
    let report = check(|| {
        let t = thread::spawn(|| PLAIN.get().copied());
        (PLAIN.get().copied(), t.join().unwrap())
    })
    .run();
    assert_eq!(
        table(&report).0,
        BTreeSet::from([(Some(5), Some(5))]),
        "{report}"
    );
    assert_kept(&report);
}
