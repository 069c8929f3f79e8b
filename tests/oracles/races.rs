//! Data races (`check::cell::UnsafeCell`) against an independent oracle, on generated
//! programs, under sequential consistency.
//!
//! The oracle shares no code or definition with racelab's: racelab compares each access with
//! happens-before views of the execution graph; the oracle enumerates every interleaving of
//! the program's states and uses the **adjacency** definition of a data race for SC
//! (Adve and Hill's DRF0; Boehm and Adve, "Foundations of the C++ concurrency memory model",
//! PLDI 2008, §6 show it equivalent to the happens-before one): a program has a data race
//! iff some reachable state has two threads whose next steps are both accesses of the cell,
//! at least one a write (both can be taken now, one right after the other). A race-free
//! program must also reach exactly the outcomes the oracle enumerates.
//!
//! The language: main spawns two or three threads, then joins them and reads the cell.
//! Each thread runs a list of steps over one cell, one `SeqCst` atomic and one mutex:
//! `Read` and `Write(v)` of the cell, `Load` and `Store(v)` of the atomic, `Lock` and
//! `Unlock` (always paired, never nested). Reads and loads record what they saw.
//! `RACELAB_RACE_CASES` (default 300) and `RACELAB_RACE_SEED` set how many programs, from
//! which seed.

use std::collections::BTreeSet;

use racelab::check::cell::UnsafeCell;
use racelab::check::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::check::sync::{Arc, Mutex};
use racelab::check::{Ending, Search, check, thread};
use rand::{Rng, SeedableRng};

/// One step of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Read,
    Write(u64),
    Load,
    Store(u64),
    Lock,
    Unlock,
}

/// What every thread recorded, and the cell's final value.
type Outcome = (Vec<Vec<u64>>, u64);

fn generate(rng: &mut rand_pcg::Pcg64) -> Vec<Vec<Step>> {
    let threads = rng.gen_range(2..=3);
    (0..threads)
        .map(|_| {
            let mut steps = Vec::new();
            let len = rng.gen_range(1..=4);
            while steps.len() < len {
                let locked = rng.gen_bool(0.3);
                let inner = if locked { 1 } else { 0 };
                let step = match rng.gen_range(0..4) {
                    0 => Step::Read,
                    1 => Step::Write(rng.gen_range(1..=2)),
                    2 => Step::Load,
                    _ => Step::Store(rng.gen_range(1..=2)),
                };
                if inner == 1 {
                    steps.extend([Step::Lock, step, Step::Unlock]);
                } else {
                    steps.push(step);
                }
            }
            steps
        })
        .collect()
}

/// The oracle's state: each thread's next step, the mutex's holder, the atomic, the cell,
/// the records.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct State {
    pc: Vec<usize>,
    holder: Option<usize>,
    atomic: u64,
    cell: u64,
    records: Vec<Vec<u64>>,
}

/// Whether the program has a data race (adjacency), and the outcomes of every interleaving.
fn oracle(program: &[Vec<Step>]) -> (bool, BTreeSet<Outcome>) {
    let start = State {
        pc: vec![0; program.len()],
        holder: None,
        atomic: 0,
        cell: 0,
        records: vec![Vec::new(); program.len()],
    };
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    let mut racy = false;
    let mut outcomes = BTreeSet::new();
    while let Some(s) = todo.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        let next = |t: usize| program[t].get(s.pc[t]).copied();
        let enabled =
            |t: usize| next(t).is_some_and(|step| step != Step::Lock || s.holder.is_none());
        let access = |t: usize| match next(t) {
            Some(Step::Read) => Some(false),
            Some(Step::Write(_)) => Some(true),
            _ => None,
        };
        for a in 0..program.len() {
            for b in a + 1..program.len() {
                if let (Some(wa), Some(wb)) = (access(a), access(b)) {
                    racy |= wa || wb;
                }
            }
        }
        if (0..program.len()).all(|t| next(t).is_none()) {
            outcomes.insert((s.records.clone(), s.cell));
            continue;
        }
        for t in (0..program.len()).filter(|&t| enabled(t)) {
            let mut n = s.clone();
            n.pc[t] += 1;
            match next(t).expect("enabled") {
                Step::Read => n.records[t].push(s.cell),
                Step::Write(v) => n.cell = v,
                Step::Load => n.records[t].push(s.atomic),
                Step::Store(v) => n.atomic = v,
                Step::Lock => n.holder = Some(t),
                Step::Unlock => n.holder = None,
            }
            todo.push(n);
        }
    }
    (racy, outcomes)
}

/// The cell, shared as code built on `UnsafeCell` shares it.
struct Cell(UnsafeCell<u64>);
// SAFETY: finding the accesses that race is what the test is for.
unsafe impl Sync for Cell {}

/// The program under racelab: whether it reported a data race, and its other outcomes.
fn racelab(program: &[Vec<Step>]) -> (bool, BTreeSet<Outcome>, bool) {
    let program = program.to_vec();
    let report = check(move || {
        let cell = Arc::new(Cell(UnsafeCell::new(0)));
        let atomic = Arc::new(AtomicU64::new(0));
        let mutex = Arc::new(Mutex::new(()));
        let handles: Vec<_> = program
            .iter()
            .cloned()
            .map(|steps| {
                let (cell, atomic, mutex) =
                    (Arc::clone(&cell), Arc::clone(&atomic), Arc::clone(&mutex));
                thread::spawn(move || {
                    let mut record = Vec::new();
                    let mut guard = None;
                    for step in steps {
                        match step {
                            Step::Read => record.push(cell.0.with(|p| unsafe { *p })),
                            Step::Write(v) => cell.0.with_mut(|p| unsafe { *p = v }),
                            Step::Load => record.push(atomic.load(SeqCst)),
                            Step::Store(v) => atomic.store(v, SeqCst),
                            Step::Lock => guard = Some(mutex.lock().unwrap()),
                            Step::Unlock => guard = None,
                        }
                    }
                    drop(guard);
                    record
                })
            })
            .collect();
        let records: Vec<Vec<u64>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let last = cell.0.with(|p| unsafe { *p });
        (records, last)
    })
    .search(Search::Exhaustive)
    .run();
    let mut raced = false;
    let mut outcomes = BTreeSet::new();
    for ending in report.endings() {
        match ending {
            Ending::DataRace(_) => raced = true,
            Ending::Returned(o) => {
                outcomes.insert(o.clone());
            }
            other => panic!("an ending the program cannot have: {other}\n{report}"),
        }
    }
    (raced, outcomes, report.coverage.is_exhaustive())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |s| {
        let s = s.trim();
        match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => s.parse(),
        }
        .unwrap_or_else(|_| panic!("{name}={s:?} is not a number"))
    })
}

#[test]
fn racelab_finds_exactly_the_races_the_oracle_finds() {
    let cases = env_number("RACELAB_RACE_CASES", 300);
    let seed = env_number("RACELAB_RACE_SEED", 0x2008_0607);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let (mut racy, mut free) = (0, 0);
    for case in 0..cases {
        let program = generate(&mut rng);
        let (oracle_racy, oracle_outcomes) = oracle(&program);
        let (raced, outcomes, exhaustive) = racelab(&program);
        assert!(exhaustive, "case {case}: not exhaustive: {program:?}");
        assert_eq!(
            raced, oracle_racy,
            "case {case}: racelab says race {raced}, the oracle {oracle_racy}: {program:?}"
        );
        if oracle_racy {
            racy += 1;
            // A race stops the executions that race: what the others reach is reachable.
            assert!(
                outcomes.is_subset(&oracle_outcomes),
                "case {case}: outcomes the oracle never reaches: {program:?}"
            );
        } else {
            free += 1;
            assert_eq!(outcomes, oracle_outcomes, "case {case}: {program:?}");
        }
    }
    println!(
        "races: {cases} programs (seed {seed:#x}): {racy} racy, {free} race-free: 0 disagreed"
    );
    assert!(racy > 0 && free > 0, "both kinds of program are exercised");
}
