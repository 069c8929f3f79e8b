//! Every program on which racelab's exhaustive search ever disagreed with the oracle, as a
//! named test: each must reach exactly the oracle's outcomes under `Search::Exhaustive` and
//! `Search::Auto`, and the outcome it once missed is asserted by hand as well, so that a
//! regression names what went missing.

use std::collections::BTreeSet;

use racelab::check::Search;

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
    for search in [Search::Exhaustive, Search::Auto] {
        let run = run::run(p, search, 100_000)
            .unwrap_or_else(|| panic!("{search:?} is not exhaustive on\n{p}"));
        let lost: BTreeSet<&Outcome> = oracle.difference(&run.outcomes).collect();
        let extra: BTreeSet<&Outcome> = run.outcomes.difference(&oracle).collect();
        assert!(
            lost.is_empty() && extra.is_empty(),
            "{search:?} on\n{p}misses {lost:?}\nreaches what the oracle does not: {extra:?}"
        );
        assert!(
            run.outcomes.contains(missed),
            "{search:?} misses {missed:?}"
        );
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
