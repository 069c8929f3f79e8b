//! One producer, W workers, N items, wait until every item is handled: racelab's
//! `TaskQueue` (through `WorkerPool`: put, get, task_done, join) against what a Rust user
//! would pick instead — `crossbeam-channel`, and `std::sync::mpsc` with its receiver behind
//! a shared `Mutex` — and CPython's `queue.Queue` with the tutorial's worker loop.
//!
//! The workers start before the clock; the clock runs from the producer's start until every
//! worker has handled its last item and stopped.

use std::hint::black_box;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Instant;

use serde::Serialize;

use super::{Python, python};
use crate::pool::WorkerPool;

/// One queue's throughput.
#[derive(Debug, Clone, Serialize)]
pub struct Throughput {
    /// Which queue.
    pub queue: &'static str,
    /// Wall time (median of the runs), in nanoseconds.
    pub ns: u128,
    /// Items per second.
    pub items_per_s: f64,
    /// Throughput relative to racelab's `TaskQueue` (1.0 for itself).
    pub vs_racelab: f64,
}

/// The throughput table.
#[derive(Debug, Clone, Serialize)]
pub struct QueueRun {
    /// Items moved per run.
    pub items: u64,
    /// Worker threads.
    pub workers: usize,
    /// Runs per queue (the median is reported).
    pub runs: usize,
    /// One row per Rust queue, racelab's first.
    pub rows: Vec<Throughput>,
    /// CPython's `queue.Queue` (its own, smaller item count).
    pub python: Python<PythonQueue>,
}

/// CPython's row.
#[derive(Debug, Clone, Serialize)]
pub struct PythonQueue {
    /// Items moved.
    pub items: u64,
    /// Wall time, in nanoseconds.
    pub ns: u128,
    /// Items per second.
    pub items_per_s: f64,
}

fn racelab(items: u64, workers: usize) -> u128 {
    let pool = WorkerPool::new(workers, 0, |_, x: u64| {
        black_box(x);
    });
    let queue = Arc::clone(pool.queue());
    let start = Instant::now();
    let producer = thread::spawn(move || {
        for i in 0..items {
            queue
                .put(i)
                .expect("an open unbounded queue takes every item");
        }
    });
    producer.join().expect("the producer");
    pool.join().expect("no handler panics");
    pool.shutdown().expect("the workers stop");
    start.elapsed().as_nanos()
}

fn crossbeam(items: u64, workers: usize) -> u128 {
    let (tx, rx) = crossbeam_channel::unbounded::<u64>();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || {
                for x in rx.iter() {
                    black_box(x);
                }
            })
        })
        .collect();
    drop(rx);
    let start = Instant::now();
    let producer = thread::spawn(move || {
        for i in 0..items {
            tx.send(i).expect("the workers are alive");
        }
    });
    producer.join().expect("the producer");
    for h in handles {
        h.join().expect("a worker");
    }
    start.elapsed().as_nanos()
}

fn std_mpsc(items: u64, workers: usize) -> u128 {
    let (tx, rx) = mpsc::channel::<u64>();
    let rx = Arc::new(Mutex::new(rx));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let rx = Arc::clone(&rx);
            thread::spawn(move || {
                loop {
                    let next = rx.lock().expect("no worker panics").recv();
                    match next {
                        Ok(x) => {
                            black_box(x);
                        }
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    let producer = thread::spawn(move || {
        for i in 0..items {
            tx.send(i).expect("the receiver is alive");
        }
    });
    producer.join().expect("the producer");
    for h in handles {
        h.join().expect("a worker");
    }
    start.elapsed().as_nanos()
}

/// One workload run: `(items, workers)` to nanoseconds.
pub type Workload = fn(u64, usize) -> u128;

/// The Rust queues measured, racelab's first.
pub const QUEUES: [(&str, Workload); 3] = [
    ("racelab TaskQueue + WorkerPool", racelab),
    ("crossbeam-channel (unbounded)", crossbeam),
    ("std::sync::mpsc + Mutex<Receiver>", std_mpsc),
];

/// Measures each queue `runs` times; CPython moves `python_items` (if given).
pub fn measure(
    items: u64,
    workers: usize,
    runs: usize,
    python_items: Option<u64>,
    progress: &mut dyn FnMut(usize, usize),
) -> QueueRun {
    let total = QUEUES.len() * runs;
    let mut medians = Vec::new();
    for (q, (name, run)) in QUEUES.iter().enumerate() {
        let mut times: Vec<u128> = (0..runs)
            .map(|r| {
                let ns = run(items, workers);
                progress(q * runs + r + 1, total);
                ns
            })
            .collect();
        times.sort_unstable();
        medians.push((*name, times[times.len() / 2].max(1)));
    }
    let per_s = |ns: u128| items as f64 / (ns as f64 / 1e9);
    let racelab_rate = per_s(medians[0].1);
    let rows = medians
        .into_iter()
        .map(|(queue, ns)| Throughput {
            queue,
            ns,
            items_per_s: per_s(ns),
            vs_racelab: per_s(ns) / racelab_rate,
        })
        .collect();
    let python = match python_items {
        None => Err("not measured (--no-python)".to_string()),
        Some(n) => {
            python::run(&["queue".into(), n.to_string(), workers.to_string()]).and_then(|v| {
                let ns = u128::from(v["ns"].as_u64().ok_or("python3 gave no time")?).max(1);
                Ok(PythonQueue {
                    items: n,
                    ns,
                    items_per_s: n as f64 / (ns as f64 / 1e9),
                })
            })
        }
    };
    QueueRun {
        items,
        workers,
        runs,
        rows,
        python: Python::from(python),
    }
}
