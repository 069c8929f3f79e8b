//! loom over `TaskQueue` and `WorkerPool`.
//!
//! Preemption bound: the queue and pool models use `preemption_bound = Some(2)` (as tokio's
//! CI runs loom): bugs in condition-variable protocols show up within two preemptions,
//! and unbounded exploration of five threads does not finish (CHECKERS.md: 2 producers /
//! 2 consumers is 69,509 executions at bound 2 and 1.7 M at bound 3). The smaller models
//! (one blocked thread and main) are exhaustive.
#![cfg(loom)]

use std::collections::BTreeSet;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use racelab::error::QueueError;
use racelab::pool::WorkerPool;
use racelab::queue::TaskQueue;

fn bounded(preemptions: usize) -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(preemptions);
    builder
}

#[test]
fn two_producers_two_consumers_each_item_exactly_once() {
    bounded(2).check(|| {
        let q = Arc::new(TaskQueue::new(1)); // size 1: puts block too
        let producers: Vec<_> = (0..2)
            .map(|i| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put(i).map_err(|r| r.error))
            })
            .collect();
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.get())
            })
            .collect();
        for p in producers {
            assert_eq!(p.join().unwrap(), Ok(()));
        }
        let got: BTreeSet<_> = consumers
            .into_iter()
            .map(|c| c.join().unwrap().unwrap())
            .collect();
        assert_eq!(got, BTreeSet::from([0, 1]));
        assert_eq!((q.qsize(), q.unfinished_tasks()), (0, 2));
    });
}

#[test]
fn join_returns_only_after_the_last_task_done() {
    loom::model(|| {
        let q = Arc::new(TaskQueue::unbounded());
        let done = Arc::new(AtomicUsize::new(0));
        q.put(1).unwrap();
        q.put(2).unwrap();
        let worker = {
            let (q, done) = (Arc::clone(&q), Arc::clone(&done));
            thread::spawn(move || {
                for _ in 0..2 {
                    q.get().unwrap();
                    done.fetch_add(1, SeqCst);
                    q.task_done().unwrap();
                }
            })
        };
        q.join();
        let done_at_join = done.load(SeqCst);
        worker.join().unwrap();
        assert_eq!(done_at_join, 2);
    });
}

#[test]
fn a_blocked_get_is_woken_by_shutdown() {
    loom::model(|| {
        let q = Arc::new(TaskQueue::<u8>::unbounded());
        let getter = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.get())
        };
        q.shutdown(false);
        assert_eq!(getter.join().unwrap(), Err(QueueError::ShutDown));
    });
}

#[test]
fn a_blocked_put_is_woken_by_a_get() {
    loom::model(|| {
        let q = Arc::new(TaskQueue::new(1));
        q.put("a").unwrap();
        let putter = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.put("b").map_err(|r| r.error))
        };
        assert_eq!(q.get(), Ok("a"));
        assert_eq!(putter.join().unwrap(), Ok(()));
        assert_eq!(q.get(), Ok("b"));
    });
}

#[test]
fn pool_of_two_handles_three_tasks_exactly_once_then_stops() {
    bounded(2).check(|| {
        let handled = Arc::new(AtomicUsize::new(0)); // bit i set when task i is handled
        let counted = Arc::clone(&handled);
        let pool = WorkerPool::new(2, 0, move |_w, task: usize| {
            counted.fetch_add(1 << (task * 8), SeqCst); // one byte per task: counts each
        });
        for task in 0..3 {
            pool.queue().put(task).unwrap();
        }
        pool.join().unwrap();
        let at_join = handled.load(SeqCst);
        pool.shutdown().unwrap();
        assert_eq!(
            at_join, 0x01_01_01,
            "each of the 3 tasks handled exactly once before join returned"
        );
    });
}
