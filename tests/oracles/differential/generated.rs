//! The generated programs of a differential run, and the workers that go through them.
//!
//! The programs are drawn first, in order, by proptest's runner from the run's seed (the
//! same programs, in the same order, whatever the number of workers); then
//! `RACELAB_DIFF_WORKERS` threads (default 1: `cargo test` already runs its tests side by
//! side) take them one at a time, and the results come back in the programs' order. So a
//! summary, and which disagreement is shown first, do not depend on the workers either.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use super::program::{self, Program};

/// The `cases` programs the generator draws from `seed`, in order.
pub fn programs(cases: u32, seed: u64) -> Vec<Program> {
    draw(program::program(), cases, seed)
}

/// The `cases` programs with a panic the generator draws from `seed`, in order (see
/// [`program::panicking_program`]).
pub fn panicking_programs(cases: u32, seed: u64) -> Vec<Program> {
    draw(program::panicking_program(), cases, seed)
}

fn draw(strategy: impl Strategy<Value = Program>, cases: u32, seed: u64) -> Vec<Program> {
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    });
    let drawn = RefCell::new(Vec::with_capacity(cases as usize));
    runner
        .run(&strategy, |program| {
            drawn.borrow_mut().push(program);
            Ok(())
        })
        .expect("drawing programs cannot fail");
    drawn.into_inner()
}

/// The number of worker threads: `RACELAB_DIFF_WORKERS`, or 1.
pub fn workers() -> usize {
    match std::env::var("RACELAB_DIFF_WORKERS") {
        Ok(s) => match s.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => panic!("RACELAB_DIFF_WORKERS={s:?} is not a number of threads (at least 1)"),
        },
        Err(_) => 1,
    }
}

/// `f` of every program, on [`workers`] threads, in the programs' order. A panic in `f`
/// (a failed assertion) is raised again here once the workers stop, with its message.
pub fn map<T: Send>(programs: &[Program], f: impl Fn(&Program) -> T + Sync) -> Vec<T> {
    map_on(workers(), programs, f)
}

/// [`map`] on `workers` threads.
fn map_on<T: Send>(
    workers: usize,
    programs: &[Program],
    f: impl Fn(&Program) -> T + Sync,
) -> Vec<T> {
    let workers = workers.min(programs.len()).max(1);
    if workers == 1 {
        return programs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..programs.len()).map(|_| None).collect());
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(program) = programs.get(i) else {
                            return;
                        };
                        let result = panic::catch_unwind(AssertUnwindSafe(|| f(program)));
                        match result {
                            Ok(result) => {
                                results.lock().expect("no worker panics holding it")[i] =
                                    Some(result)
                            }
                            Err(payload) => {
                                // The others stop at their next program.
                                next.store(programs.len(), Ordering::Relaxed);
                                panic::resume_unwind(payload);
                            }
                        }
                    }
                })
            })
            .collect();
        for handle in handles {
            if let Err(payload) = handle.join() {
                panic::resume_unwind(payload);
            }
        }
    });
    results
        .into_inner()
        .expect("no worker holds the results")
        .into_iter()
        .map(|r| r.expect("every program was taken by a worker"))
        .collect()
}

/// `check` of every program, on [`workers`] threads, in the programs' order: `Ok(None)`
/// for a program the check leaves out, `Ok(Some(t))` for one it compared, `Err(why)` for
/// one that failed it. Fails on the first failing program, shrunk (greedily, while `check`
/// still fails it: as proptest would), with `why`.
pub fn check_all<T: Send>(
    programs: &[Program],
    check: impl Fn(&Program) -> Result<Option<T>, String> + Sync,
) -> Vec<T> {
    let results = map(programs, &check);
    let mut compared = Vec::with_capacity(results.len());
    for (program, result) in programs.iter().zip(results) {
        match result {
            Ok(t) => compared.extend(t),
            Err(why) => {
                let (program, why) = shrink(program.clone(), why, |p| check(p).err());
                panic!("{why}\n(shrunk to:)\n{program}\n{program:?}");
            }
        }
    }
    compared
}

/// Greedily shrinks `program`, which fails with `why`: takes any smaller candidate that
/// still fails (`fails` gives why, or `None`), until none does. Returns the smallest and
/// why it fails.
pub fn shrink<E>(
    mut program: Program,
    mut why: E,
    fails: impl Fn(&Program) -> Option<E>,
) -> (Program, E) {
    'smaller: loop {
        for candidate in program.shrink_candidates() {
            if let Some(w) = fails(&candidate) {
                (program, why) = (candidate, w);
                continue 'smaller;
            }
        }
        return (program, why);
    }
}

/// Several workers give what one gives, in the same order.
#[test]
fn workers_return_results_in_the_programs_order() {
    let programs = programs(40, 0x0dd5);
    let size = |p: &Program| (p.threads.len(), p.size(), format!("{p:?}"));
    let one = map_on(1, &programs, size);
    assert_eq!(map_on(3, &programs, size), one);
    assert_eq!(one.len(), 40);
}

/// A failing program is reported shrunk: here, failing means "3 threads or more", so the
/// program shown has exactly 3, each as small as the generator allows.
#[test]
fn a_failing_program_is_reported_shrunk() {
    let programs = programs(40, 0x0dd5);
    assert!(
        programs
            .iter()
            .any(|p| p.threads.len() >= 3 && p.size() > 6)
    );
    let failed = panic::catch_unwind(|| {
        check_all(&programs, |p| {
            if p.threads.len() >= 3 {
                Err(format!("{} threads", p.threads.len()))
            } else {
                Ok(Some(()))
            }
        })
    });
    let message = failed
        .expect_err("the check fails")
        .downcast::<String>()
        .map(|s| *s)
        .expect("a message");
    assert!(message.starts_with("3 threads\n(shrunk to:)"), "{message}");
    let big = programs
        .iter()
        .find(|p| p.threads.len() >= 3 && p.size() > 6);
    let fails = |p: &Program| (p.threads.len() >= 3).then_some(());
    let (small, _) = shrink(big.expect("seen above").clone(), (), fails);
    assert_eq!(small.threads.len(), 3, "{small:?}");
    assert!(small.size() <= 3, "not shrunk: {small:?}");
}
