//! What the step observer costs when it is off (the default): the core's increments next
//! to the same operations written by hand without any hook.
//!
//! `cargo bench --bench observer`. Measured on 2 cores: see the README's "Benchmarks".

// criterion_group! generates an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use criterion::{Criterion, criterion_group, criterion_main};
use racelab::counter::Counter;
use racelab::queue::TaskQueue;

fn unlocked(c: &mut Criterion) {
    let mut group = c.benchmark_group("increment_unlocked");
    let counter = Counter::new();
    group.bench_function("racelab, observer off", |b| {
        b.iter(|| black_box(&counter).increment_unlocked())
    });
    let raw = AtomicUsize::new(0);
    group.bench_function("hand-written load + store", |b| {
        b.iter(|| {
            let raw = black_box(&raw);
            let v = raw.load(SeqCst);
            raw.store(v + 1, SeqCst);
        })
    });
    group.finish();
}

fn locked(c: &mut Criterion) {
    let mut group = c.benchmark_group("increment_locked");
    let counter = Counter::new();
    group.bench_function("racelab Lock, observer off", |b| {
        b.iter(|| black_box(&counter).increment_locked())
    });
    let raw = Mutex::new(0usize);
    group.bench_function("std Mutex, by hand", |b| {
        b.iter(|| *black_box(&raw).lock().unwrap() += 1)
    });
    group.finish();
}

fn queue(c: &mut Criterion) {
    let q = TaskQueue::unbounded();
    c.bench_function("TaskQueue put + get + task_done, observer off", |b| {
        b.iter(|| {
            q.put(black_box(1u32)).unwrap();
            black_box(q.get().unwrap());
            q.task_done().unwrap();
        })
    });
}

criterion_group!(benches, unlocked, locked, queue);
criterion_main!(benches);
