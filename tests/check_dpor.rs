//! DPOR is checked against running every order of every operation: on random small programs
//! (atomics, mutexes, condition variables, 2–3 threads), both must reach exactly the same
//! set of endings — outcomes, deadlocks included. A reduction that skipped a reachable
//! ending would make racelab call buggy code safe.
#![cfg(not(loom))]

use std::cell::Cell;
use std::collections::HashSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use racelab::check::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{check, thread, Ending, Search};

#[derive(Debug, Clone)]
enum Instr {
    Load(usize),
    Store(usize, u64),
    Add(usize),
    Cas(usize, u64, u64),
    /// Under mutex `m`: the simple instructions inside.
    Locked(usize, Vec<Instr>),
    /// `try_lock` of mutex `m`, released at once if taken.
    TryLock(usize),
    /// Lock mutex 0, wait once on condvar `c`, unlock.
    WaitOnce(usize),
    /// Notify condvar `c` (one, or all).
    Notify(usize, bool),
    Yield,
}

const ATOMICS: usize = 2;
const MUTEXES: usize = 2;
const CONDVARS: usize = 1;
/// Programs whose every order takes more executions than this are skipped.
const BASELINE_BUDGET: usize = 2_500;

fn simple() -> impl Strategy<Value = Instr> {
    prop_oneof![
        (0..ATOMICS).prop_map(Instr::Load),
        (0..ATOMICS, 0..3u64).prop_map(|(a, v)| Instr::Store(a, v)),
        (0..ATOMICS).prop_map(Instr::Add),
        (0..ATOMICS, 0..2u64, 0..3u64).prop_map(|(a, x, y)| Instr::Cas(a, x, y)),
    ]
}

fn instr() -> impl Strategy<Value = Instr> {
    prop_oneof![
        4 => simple(),
        2 => (0..MUTEXES, proptest::collection::vec(simple(), 1..=2))
            .prop_map(|(m, b)| Instr::Locked(m, b)),
        1 => (0..MUTEXES).prop_map(Instr::TryLock),
        1 => (0..CONDVARS).prop_map(Instr::WaitOnce),
        1 => (0..CONDVARS, any::<bool>()).prop_map(|(c, all)| Instr::Notify(c, all)),
        1 => Just(Instr::Yield),
    ]
}

/// 2 threads of 1–2 instructions, or 3 threads of 1: small enough for the baseline.
fn small_program() -> impl Strategy<Value = Vec<Vec<Instr>>> {
    prop_oneof![
        proptest::collection::vec(proptest::collection::vec(instr(), 1..=2), 2),
        proptest::collection::vec(proptest::collection::vec(instr(), 1..=1), 3),
    ]
}

/// 2–3 threads of 1–3 instructions.
fn program() -> impl Strategy<Value = Vec<Vec<Instr>>> {
    proptest::collection::vec(proptest::collection::vec(instr(), 1..=3), 2..=3)
}

struct Shared {
    atomics: Vec<AtomicU64>,
    mutexes: Vec<Mutex<()>>,
    condvars: Vec<Condvar>,
}

fn exec(shared: &Shared, instr: &Instr, seen: &mut Vec<u64>) {
    match instr {
        Instr::Load(a) => seen.push(shared.atomics[*a].load(SeqCst)),
        Instr::Store(a, v) => shared.atomics[*a].store(*v, SeqCst),
        Instr::Add(a) => seen.push(shared.atomics[*a].fetch_add(1, SeqCst)),
        Instr::Cas(a, x, y) => {
            let r = shared.atomics[*a].compare_exchange(*x, *y, SeqCst, SeqCst);
            seen.push(r.map_or(100, |v| v));
        }
        Instr::Locked(m, body) => {
            let _guard = shared.mutexes[*m].lock().unwrap();
            for i in body {
                exec(shared, i, seen);
            }
        }
        Instr::TryLock(m) => seen.push(u64::from(shared.mutexes[*m].try_lock().is_ok())),
        Instr::WaitOnce(c) => {
            let guard = shared.mutexes[0].lock().unwrap();
            drop(shared.condvars[*c].wait(guard).unwrap());
        }
        Instr::Notify(c, false) => shared.condvars[*c].notify_one(),
        Instr::Notify(c, true) => shared.condvars[*c].notify_all(),
        Instr::Yield => thread::yield_now(),
    }
}

type Seen = (Vec<Vec<u64>>, Vec<u64>);

fn run(program: &[Vec<Instr>], search: Search, budget: usize) -> Option<HashSet<Ending<Seen>>> {
    let program = program.to_vec();
    let report = check(move || {
        let shared = Arc::new(Shared {
            atomics: (0..ATOMICS).map(|_| AtomicU64::new(0)).collect(),
            mutexes: (0..MUTEXES).map(|_| Mutex::new(())).collect(),
            condvars: (0..CONDVARS).map(|_| Condvar::new()).collect(),
        });
        let threads: Vec<_> = program
            .iter()
            .cloned()
            .map(|instrs| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let mut seen = Vec::new();
                    for i in &instrs {
                        exec(&shared, i, &mut seen);
                    }
                    seen
                })
            })
            .collect();
        let seen: Vec<Vec<u64>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let last = shared.atomics.iter().map(|a| a.load(SeqCst)).collect();
        (seen, last)
    })
    .search(search)
    .max_executions(budget)
    .allow_deadlock()
    .run();
    let complete = report.coverage.is_exhaustive() || matches!(search, Search::Random(_));
    complete.then(|| report.endings().cloned().collect())
}

fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn dpor_reaches_exactly_the_endings_of_every_order() {
    let compared = Cell::new(0);
    runner(110, 0xd9_0a)
        .run(&small_program(), |program| {
            let Some(every) = run(&program, Search::EveryOrder, BASELINE_BUDGET) else {
                return Ok(()); // too large for the baseline
            };
            let reduced = run(&program, Search::Exhaustive, BASELINE_BUDGET)
                .expect("DPOR finishes where the baseline does");
            compared.set(compared.get() + 1);
            prop_assert_eq!(&reduced, &every, "program {:?}", program);
            Ok(())
        })
        .unwrap();
    let compared = compared.get();
    println!("compared {compared} programs");
    assert!(compared >= 50, "only {compared} programs were small enough");
}

/// On larger programs, where every order is too many, DPOR must still reach every ending
/// that 300 random schedules reach (the direction that matters: nothing reachable missed).
#[test]
fn dpor_reaches_every_ending_random_schedules_reach() {
    runner(60, 0x5a_3b)
        .run(&program(), |program| {
            let sampled = run(&program, Search::Random(300), 300).expect("random always ends");
            let reduced =
                run(&program, Search::Exhaustive, 50_000).expect("DPOR finishes on these sizes");
            prop_assert!(
                sampled.is_subset(&reduced),
                "program {:?}: random reached {:?} that DPOR did not",
                program,
                sampled.difference(&reduced).collect::<Vec<_>>()
            );
            Ok(())
        })
        .unwrap();
}
