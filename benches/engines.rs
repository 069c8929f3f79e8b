//! The engines of `racelab engines`, timed: each one's search for the first lost update of
//! the tutorial's unlocked counter (2 threads × 1 increment), in one group so one run
//! compares them on one machine, and the explorer's whole search beside shuttle's DFS.
//!
//! `cargo bench --bench engines`. Executions (not seconds) per engine and scenario:
//! `racelab engines <scenario>`.

// criterion_group! generates an undocumented `pub fn benches`.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use racelab::check::{Check, Search, Verdict, check};
use racelab::checked::trace::Recorder;
use racelab::teach::{Kind, EndState, Scenario, explore};
use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler};

fn scenario() -> Scenario {
    Scenario::new(
        Kind::CounterUnlocked,
        Kind::CounterUnlocked.default_params(),
    )
    .unwrap()
}

fn plain(scenario: Scenario) -> Check<EndState> {
    check(move || scenario.run(&Recorder::new()))
        .expect(move |o| scenario.verdict(o) == Verdict::Acceptable)
}

fn first_bug(c: &mut Criterion) {
    let s = scenario();
    let mut group = c.benchmark_group("first_lost_update_counter_unlocked_2x1");
    group.bench_function("racelab_explorer", |b| {
        b.iter(|| {
            let report = plain(s)
                .search(Search::MarkedSteps {
                    main_has_steps: s.main_has_steps(),
                    pruning: s.pruning(),
                })
                .stop_at_first_bug(true)
                .run();
            assert!(report.has_bug());
        })
    });
    group.bench_function("racelab_exhaustive", |b| {
        b.iter(|| {
            let report = plain(s)
                .search(Search::Exhaustive)
                .stop_at_first_bug(true)
                .run();
            assert!(report.has_bug());
        })
    });
    let p = plain(s);
    group.bench_function("shuttle_random_seed_0", |b| {
        b.iter(|| {
            assert!(
                p.first_bug_under(RandomScheduler::new_from_seed(0, 1_000), 1_000)
                    .is_some()
            )
        })
    });
    group.bench_function("shuttle_pct_seed_0", |b| {
        b.iter(|| {
            assert!(
                p.first_bug_under(PctScheduler::new_from_seed(0, 3, 1_000), 1_000)
                    .is_some()
            )
        })
    });
    group.finish();
}

fn everything(c: &mut Criterion) {
    let s = scenario();
    let mut group = c.benchmark_group("explore_everything_counter_unlocked_2x1");
    group.bench_function("racelab_explorer", |b| b.iter(|| explore(s).unwrap()));
    let p = plain(s);
    group.bench_function("shuttle_dfs", |b| {
        b.iter(|| {
            assert!(
                p.count_under(DfsScheduler::new(None, false), 100_000)
                    .finished
            )
        })
    });
    group.finish();
}

criterion_group!(benches, first_bug, everything);
criterion_main!(benches);
