//! Every program on which racelab's exhaustive search ever disagreed with the oracle, as a
//! named test: each must reach exactly the oracle's outcomes under `Search::Exhaustive` and
//! `Search::Auto`, and the outcome it once missed is asserted by hand as well, so that a
//! regression names what went missing.

use std::collections::BTreeSet;

use racelab::check::{MemoryModel, Search};

use super::oracle;
use super::program::{Instr, Instr::*, Outcome, Program};
use super::run;

fn program(threads: Vec<Vec<Instr>>) -> Program {
    let p = Program { threads };
    p.validate().expect("a well-formed program");
    p
}

/// The outcome of a finished run with these records, atomics and data.
fn finished(records: Vec<Vec<u64>>, atomics: [u64; 2], data: [u64; 2]) -> Outcome {
    Outcome::Finished {
        records,
        atomics,
        data,
    }
}

/// racelab's searches reach exactly the oracle's outcomes on `p`, `missed` among them.
fn assert_reaches(p: &Program, missed: &Outcome) {
    let oracle = oracle::outcomes(p);
    assert!(
        oracle.contains(missed),
        "the oracle itself does not reach {missed:?} on\n{p}"
    );
    assert_same_as_the_oracle(p, Some(missed));
}

/// racelab's searches never reach `invented`, which the oracle does not, and reach exactly
/// the oracle's outcomes on `p`.
fn assert_never_reaches(p: &Program, invented: &Outcome) {
    assert!(
        !oracle::outcomes(p).contains(invented),
        "the oracle reaches {invented:?} on\n{p}"
    );
    assert_same_as_the_oracle(p, None);
}

fn assert_same_as_the_oracle(p: &Program, missed: Option<&Outcome>) {
    let oracle = oracle::outcomes(p);
    for search in [Search::Exhaustive, Search::Auto] {
        let run = run::run(p, search, 100_000)
            .unwrap_or_else(|| panic!("{search:?} is not exhaustive on\n{p}"));
        let lost: BTreeSet<&Outcome> = oracle.difference(&run.outcomes).collect();
        let extra: BTreeSet<&Outcome> = run.outcomes.difference(&oracle).collect();
        assert!(
            lost.is_empty() && extra.is_empty(),
            "{search:?} on\n{p}misses {lost:?}\nreaches what the oracle does not: {extra:?}"
        );
        if let Some(missed) = missed {
            assert!(
                run.outcomes.contains(missed),
                "{search:?} misses {missed:?}"
            );
        }
    }
}

/// Issue #19, class 1: the writer is spawned first, the last-spawned thread must load
/// before the store and the middle one after it. The sleep-set DPOR never ran (1, 0).
#[test]
fn issue_19_store_then_two_loads_reaches_one_then_zero() {
    let p = program(vec![vec![Store(0, 1)], vec![Load(0)], vec![Load(0)]]);
    assert_reaches(
        &p,
        &finished(vec![vec![], vec![1], vec![0]], [1, 0], [0, 0]),
    );
    // Optimal: one execution per Mazurkiewicz trace (the store's place among two loads).
    let run = run::run(&p, Search::Exhaustive, 100).expect("exhaustive");
    assert_eq!(run.executions, 4);
}

/// Issue #19, class 2: a lock released and re-taken. The sleep-set DPOR never ran
/// (x, y) = (1, 0).
#[test]
fn issue_19_lock_released_then_store_reaches_one_then_zero() {
    let p = program(vec![
        vec![Locked(0, vec![Load(0)])],
        vec![Locked(0, vec![]), Store(0, 1)],
        vec![Load(0)],
    ]);
    assert_reaches(
        &p,
        &finished(vec![vec![1], vec![], vec![0]], [1, 0], [0, 0]),
    );
}

/// Found by the oracle in the sleep-set DPOR: a nested child loads before a fetch_add.
#[test]
fn old_dpor_nested_spawn_load_before_fetch_add() {
    let p = program(vec![vec![FetchAdd(0)], vec![Spawn(vec![Load(0)]), Load(0)]]);
    assert_reaches(&p, &finished(vec![vec![0], vec![1, 0]], [1, 0], [0, 0]));
}

/// Found by the oracle in the sleep-set DPOR: a failed compare_exchange of a third thread.
#[test]
fn old_dpor_failed_compare_exchange_with_a_third_thread() {
    let p = program(vec![
        vec![Cas(0, 0, 0), Store(1, 0)],
        vec![FetchAdd(1), Swap(0, 0)],
        vec![FetchAdd(0)],
    ]);
    assert_reaches(
        &p,
        &finished(vec![vec![101], vec![0, 1], vec![0]], [0, 0], [0, 0]),
    );
}

/// Found by the oracle in the first TruSt version: a thread whose `try_lock` fails because
/// the other thread holds the mutex — the other thread's lock must "steal" the mutex
/// before the `try_lock`, but while the `try_lock` holder spins forever that lock was
/// never added to the graph (GenMC's rescheduled lock reads fixed it).
#[test]
fn trust_try_lock_fails_while_the_holder_spins() {
    let p = program(vec![
        vec![TryLocked(1, vec![SpinUntil(0, 1)])],
        vec![Locked(1, vec![])],
    ]);
    assert_reaches(&p, &finished(vec![vec![0], vec![]], [0, 0], [0, 0]));
}

/// Found by the oracle in the first TruSt version: two locks taken in opposite orders,
/// where one thread runs entirely before the other.
#[test]
fn trust_opposite_lock_orders_second_thread_first() {
    let p = program(vec![
        vec![Locked(0, vec![Locked(1, vec![FetchAdd(0)])])],
        vec![Locked(1, vec![Locked(0, vec![])]), Store(0, 0)],
    ]);
    assert_reaches(&p, &finished(vec![vec![0], vec![]], [1, 0], [0, 0]));
    assert!(oracle::outcomes(&p).contains(&Outcome::Stuck));
}

/// Found by the oracle in the first TruSt version: a `try_lock` that fails because the
/// other thread took the mutex first, inside a lock-order pair.
#[test]
fn trust_try_lock_fails_inside_a_lock_order_pair() {
    let p = program(vec![
        vec![TryLocked(1, vec![Locked(0, vec![])])],
        vec![Locked(0, vec![Locked(1, vec![])])],
    ]);
    assert_reaches(&p, &finished(vec![vec![0], vec![]], [0, 0], [0, 0]));
}

/// Found by CI's 10,000-program run (2026-12-02, seed 0x0dd5eed5): Thread2 waits once on a
/// condition variable whose only `notify_one` Thread1 sent first. For Thread1's first
/// `try_lock` to fail, Thread2 must hold the mutex then, so either the notify came before
/// Thread2 waited (lost: Thread2 never wakes) or Thread2 was woken and had re-taken the
/// mutex (it then reads 0). The search once let Thread2 wake and read the 1 that Thread1's
/// second, successful `try_lock` added — an outcome no execution has.
#[test]
fn trust_a_notify_lost_before_the_wait_never_wakes_it_after_a_failed_try_lock() {
    let p = program(vec![
        vec![NotifyOne, TryLocked(0, vec![]), TryLocked(0, vec![AddData])],
        vec![Locked(0, vec![WaitOnce, ReadData])],
    ]);
    let invented = finished(vec![vec![0, 1], vec![1]], [0, 0], [1, 0]);
    assert_never_reaches(&p, &invented);
    // Under RC11 too (WAIT ATOMICITY): a superset of the SC outcomes, never this one.
    let rc11 = run::run_under(&p, Search::Exhaustive, 100_000, MemoryModel::Rc11)
        .expect("exhaustive under RC11");
    assert!(!rc11.outcomes.contains(&invented), "{:?}", rc11.outcomes);
    assert!(rc11.outcomes.is_superset(&oracle::outcomes(&p)));
}

/// Found while fixing the one above: once a wait's registration and unlock were one atomic
/// step in the consistency check, a `fetch_add` that stole the value a `compare_exchange`
/// had read was dropped as inconsistent before its own revisit of the `compare_exchange`
/// (which deletes the stale `try_lock` that made it so) could run, and Thread1 never saw
/// the `fetch_add` while Thread3 waited. The stealing graph is now left to that revisit.
#[test]
fn trust_a_stolen_read_is_left_to_its_revisit_when_a_wait_is_atomic() {
    let p = program(vec![
        vec![Cas(0, 0, 0), TryLocked(0, vec![])],
        vec![NotifyOne, FetchAdd(0)],
        vec![TryLocked(0, vec![WaitOnce])],
    ]);
    assert_reaches(
        &p,
        &finished(vec![vec![101, 0], vec![0], vec![1]], [1, 0], [0, 0]),
    );
    assert_reaches(
        &p,
        &finished(vec![vec![101, 1], vec![0], vec![1]], [1, 0], [0, 0]),
    );
}

/// Found by the 10,000-program run after the wait became atomic: a graph the search handed
/// to the runtime was inconsistent (a debug assertion), with two threads waiting on one
/// condition variable under one mutex and two notifiers.
#[test]
fn trust_two_waiters_two_notifiers_stay_consistent() {
    let p = program(vec![
        vec![TryLocked(0, vec![WaitWhileZero])],
        vec![Locked(0, vec![WaitWhileZero])],
        vec![Locked(1, vec![NotifyOne])],
        vec![Locked(0, vec![NotifyOne])],
    ]);
    assert_same_as_the_oracle(&p, None);
}

/// Many threads: one store and ten readers of it. Under sequential consistency each reader
/// reads the initial value or the store independently of the others, so exactly the 1,024
/// combinations are reachable, each once (one execution per consistent graph). (The
/// oracle's state enumeration is too large for eleven threads.)
#[test]
fn many_threads_ten_readers_of_one_write() {
    let mut threads = vec![vec![Store(0, 1)]];
    threads.extend((0..10).map(|_| vec![Load(0)]));
    let p = program(threads);
    let expected: BTreeSet<Outcome> = (0..1u32 << 10)
        .map(|bits| {
            let mut records = vec![vec![]];
            records.extend((0..10).map(|r| vec![u64::from(bits >> r & 1)]));
            finished(records, [1, 0], [0, 0])
        })
        .collect();
    for search in [Search::Exhaustive, Search::Auto] {
        let run = run::run(&p, search, 100_000).expect("exhaustive");
        assert_eq!(run.outcomes, expected, "{search:?}");
        assert_eq!(run.executions, 1024, "{search:?}");
    }
}

/// Found after stop 27 by a fresh-seed run (`RACELAB_DIFF_CASES=12000
/// RACELAB_DIFF_SEED=0x1f2e3d4c`): four threads, a spin, a failed-or-not `try_lock`, a
/// condition-variable wait, and a `swap` / `compare_exchange` pair. The exhaustive search
/// missed two outcomes the oracle reaches (in one job as in two). The cause: a backward
/// revisit keeps a kept wait registration's unlock (the wait is one atomic step), but the
/// maximality check judged that unlock as deleted, so a `try_lock` that had read it counted
/// as "revisited by a deleted write" and the revisit that leads to the missed graphs was
/// never taken. Both now use one computation of what a revisit keeps (`revisit_keep`).
#[test]
fn trust_spin_swap_try_lock_wait_reaches_every_outcome() {
    let p = program(vec![
        vec![SpinUntil(0, 1), Cas(1, 0, 1)],
        vec![Swap(1, 0), TryLocked(0, vec![])],
        vec![TryLocked(0, vec![WaitOnce])],
        vec![NotifyOne, Load(1), FetchAdd(0)],
    ]);
    let oracle = oracle::outcomes(&p);
    for jobs in [1, 2] {
        let report = run::report(&p, Search::Exhaustive, 100_000, None, Some(jobs));
        assert!(report.coverage.is_exhaustive(), "{report}");
        let reached: BTreeSet<Outcome> = report
            .endings()
            .map(|e| match e {
                racelab::check::Ending::Returned(o) => o.clone(),
                _ => Outcome::Stuck,
            })
            .collect();
        let lost: Vec<_> = oracle.difference(&reached).collect();
        assert!(lost.is_empty(), "in {jobs} jobs, misses {lost:?}");
    }
}

/// The program above, reduced by hand (no spin, no `compare_exchange`, a plain lock around
/// the wait): the same two graphs were missed, through the same maximality check.
#[test]
fn trust_revisit_keeps_a_wait_unlock_that_a_try_lock_read() {
    let p = program(vec![
        vec![Load(0), Store(1, 1)],
        vec![Swap(1, 0), TryLocked(0, vec![])],
        vec![Locked(0, vec![WaitOnce])],
        vec![NotifyOne, Load(1), Store(0, 1)],
    ]);
    for try_lock in [0, 1] {
        let missed = finished(
            vec![vec![1], vec![1, try_lock], vec![], vec![0]],
            [1, 0],
            [0, 0],
        );
        assert_reaches(&p, &missed);
    }
}

/// Found by `parallel::merged_shards_report_what_the_whole_search_reports` when the
/// generator first produced timed waits: the search reaches two execution graphs with the
/// same trace (38 executions, 34 distinct traces), so shards that each hold one of them
/// count the trace twice. Pinned here: the oracle's outcomes, and whole and sharded searches
/// agree on the outcomes and on the number of executions (the split-search tests allow for
/// such traces, see `parallel::same_findings_split`).
#[test]
fn a_timed_wait_gives_two_graphs_one_trace() {
    use racelab::check::Report;
    let p = program(vec![
        vec![NotifyOne],
        vec![TryLocked(0, vec![WaitWhileZero])],
        vec![Locked(0, vec![WaitTimeoutOnce])],
    ]);
    assert_same_as_the_oracle(&p, None);
    let whole = run::check_of(&p, Search::Exhaustive, 20_000, None).run();
    assert!(whole.coverage.is_exhaustive(), "{whole}");
    let endings = |r: &Report<Outcome>| r.endings().cloned().collect::<BTreeSet<_>>();
    for count in [2, 3] {
        let parts: Vec<_> = (1..=count)
            .map(|i| {
                run::check_of(&p, Search::Exhaustive, 20_000, None)
                    .shard(i, count)
                    .run()
            })
            .collect();
        let merged = Report::merge(parts).expect("the shards of one check");
        assert!(merged.coverage.is_exhaustive(), "{merged}");
        assert_eq!(endings(&merged), endings(&whole), "{merged}\n{whole}");
        assert_eq!(merged.executions, whole.executions, "{merged}\n{whole}");
    }
}
