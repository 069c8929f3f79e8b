//! racelab against what a Rust user would pick instead, each peer in the same group so one
//! run compares them on one machine: the task queue (1 producer, 10 workers) against
//! crossbeam-channel and std::sync::mpsc; a thread against a process; CPU-bound squares
//! on 1 and on N threads.
//!
//! `cargo bench --bench peers`. The same workloads, with CPython beside them:
//! `racelab measure queue|spawn|cpu`.

// criterion_group! generates an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use racelab::measure::queue::QUEUES;
use racelab::measure::{CHILD_ARG, cores, squares};

const ITEMS: u64 = 100_000;

fn queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue_1_producer_10_workers");
    group
        .sample_size(10)
        .throughput(Throughput::Elements(ITEMS));
    for (name, run) in QUEUES {
        group.bench_function(BenchmarkId::new(name, ITEMS), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| Duration::from_nanos(run(ITEMS, 10) as u64))
                    .sum()
            })
        });
    }
    group.finish();
}

fn spawn(c: &mut Criterion) {
    let mut group = c.benchmark_group("spawn_and_join");
    group.bench_function("thread", |b| {
        b.iter(|| std::thread::spawn(|| {}).join().unwrap())
    });
    group
        .sample_size(20)
        .bench_function("process (this benchmark re-run)", |b| {
            let exe = std::env::current_exe().unwrap();
            b.iter(|| {
                Command::new(&exe)
                    .args([CHILD_ARG, "0"])
                    .stdin(Stdio::null())
                    .status()
                    .unwrap()
            })
        });
    group.finish();
}

fn cpu(c: &mut Criterion) {
    const WORK: u64 = 20_000_000;
    let mut group = c.benchmark_group("squares_20M");
    group.sample_size(10);
    for k in [1, cores()] {
        group.bench_function(BenchmarkId::new("threads", k), |b| {
            b.iter(|| {
                let hs: Vec<_> = (0..k)
                    .map(|_| std::thread::spawn(move || squares(WORK / k as u64)))
                    .collect();
                hs.into_iter().for_each(|h| h.join().unwrap());
            })
        });
    }
    group.finish();
}

criterion_group!(benches, queue, spawn, cpu);

fn main() {
    // The child of the spawn benchmark: start, and end at once (as `racelab` does).
    if std::env::args().any(|a| a == CHILD_ARG) {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
