//! proptest chooses the schedule: each case is a workload plus a list of scheduling
//! choices fed to [`ChoiceScheduler`], running the real core under shuttle.
//!
//! For the unlocked counter the property "final value == threads × increments" must
//! *fail*, and proptest must shrink the failure to the minimal witness of the lost update:
//! two threads, one increment each, both reads before either write, final value 1. For the
//! locked and atomic counters and the pool, it must hold in every generated case.
#![cfg(not(loom))]

use proptest::prelude::*;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngSeed, TestCaseError, TestError, TestRunner,
};
use racelab::checked::ChoiceScheduler;
use racelab::checked::counter::Increment;
use racelab::checked::scenario::{self, run};
use racelab::checked::trace::{Event, Recorder};
use racelab::step::Step;

/// Cases for each "always holds" property (each is one shuttle execution: ~1 ms).
const CASES: u32 = 1_000;

/// Runs the counter once under the schedule `choices`; returns the value and the trace.
fn counter_under(
    choices: &[u8],
    threads: usize,
    increments: usize,
    how: Increment,
) -> (usize, Vec<Event>) {
    let rec = Recorder::new();
    run(ChoiceScheduler::new(choices), move || {
        let value = scenario::counter(threads, increments, how, &rec);
        (value, rec.take())
    })
    .remove(0)
}

fn workload() -> impl proptest::strategy::Strategy<Value = (usize, usize, Vec<u8>)> {
    (
        2..=4usize,
        1..=3usize,
        proptest::collection::vec(any::<u8>(), 0..48),
    )
}

#[test]
fn proptest_shrinks_the_unlocked_counter_to_the_minimal_lost_update() {
    let config = Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x5eed),
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&workload(), |(threads, increments, choices)| {
        let (value, _) = counter_under(&choices, threads, increments, Increment::Unlocked);
        prop_assert_eq!(value, threads * increments, "lost update");
        Ok(())
    });
    let (threads, increments, choices) = match result {
        Err(TestError::Fail(_, minimal)) => minimal,
        other => panic!("proptest must find the lost update, got {other:?}"),
    };
    println!("minimal failing schedule: {threads} threads × {increments}, choices {choices:?}");
    assert_eq!(
        (threads, increments),
        (2, 1),
        "shrunk to the smallest workload"
    );
    let (value, trace) = counter_under(&choices, threads, increments, Increment::Unlocked);
    assert_eq!(value, 1);
    let steps: Vec<Step> = trace.iter().map(|e| e.step).collect();
    assert_eq!(
        steps,
        [Step::Read(0), Step::Read(0), Step::Write(1), Step::Write(1)],
        "both reads before either write"
    );
    assert_ne!(
        trace[0].thread, trace[1].thread,
        "the two reads are by different threads"
    );
    // proptest's shrinking is local (it does not retry removals after shrinking values),
    // so finish the job: drop choices while the update is still lost. What remains is a
    // schedule in which every choice is needed.
    let mut minimal = choices;
    while let Some(i) = (0..minimal.len()).find(|&i| {
        let mut shorter = minimal.clone();
        shorter.remove(i);
        counter_under(&shorter, 2, 1, Increment::Unlocked).0 == 1
    }) {
        minimal.remove(i);
    }
    println!("every choice needed: {minimal:?}");
    assert!(
        !minimal.is_empty(),
        "the fixed rule alone never interleaves"
    );
    assert_eq!(counter_under(&minimal, 2, 1, Increment::Unlocked).0, 1);
}

#[test]
fn with_no_choices_the_fixed_rule_runs_threads_one_after_another() {
    let (value, trace) = counter_under(&[], 3, 2, Increment::Unlocked);
    assert_eq!(value, 6, "no interleaving, no lost update");
    assert!(
        trace.windows(2).all(|w| w[0].thread <= w[1].thread),
        "{trace:?}"
    );
}

fn holds_for_every_schedule(how: Increment) {
    let config = Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(7),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new(config)
        .run(&workload(), |(threads, increments, choices)| {
            let (value, _) = counter_under(&choices, threads, increments, how);
            if value != threads * increments {
                return Err(TestCaseError::fail(format!(
                    "{how:?}: {value} != {threads} × {increments}"
                )));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_locked_counter_holds_for_every_generated_schedule() {
    holds_for_every_schedule(Increment::Locked);
}

#[test]
fn the_atomic_counter_holds_for_every_generated_schedule() {
    holds_for_every_schedule(Increment::Atomic);
}

proptest! {
    #![proptest_config(Config { cases: CASES, rng_seed: RngSeed::Fixed(11), ..Config::default() })]

    #[test]
    fn the_pool_holds_for_every_generated_schedule(
        producers in 1..=2usize,
        workers in 1..=3usize,
        items in 1..=4usize,
        maxsize in 0..=2isize,
        choices in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let outcome = run(ChoiceScheduler::new(choices), move || scenario::pool(producers, workers, items, maxsize)).remove(0);
        prop_assert!(outcome.is_correct(), "{:?}", outcome);
    }
}
