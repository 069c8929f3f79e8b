//! A pool of named workers draining a [`TaskQueue`]: the tutorial's third program.
//!
//! Each worker (`Thread1`..`ThreadN`) loops: `get` an item, run the handler on it, call
//! `task_done`. Two things differ from the tutorial's daemon threads, on purpose:
//!
//! * **a clean stop**: [`WorkerPool::shutdown`] shuts the queue down (not immediately, so
//!   queued work is finished), which makes every worker's `get` fail with `ShutDown` once
//!   the queue is drained, then joins the threads. Nothing is left running.
//! * **a panicking handler is reported, not hidden**: the worker catches the panic, still
//!   calls `task_done` (so `join` cannot hang, as it does in Python when a worker dies
//!   between `get` and `task_done`), keeps working, and the panic comes back from
//!   [`WorkerPool::join`] as [`PoolError::HandlerPanicked`].
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use racelab::pool::WorkerPool;
//!
//! let sum = Arc::new(AtomicUsize::new(0));
//! let total = Arc::clone(&sum);
//! let pool = WorkerPool::new(3, 0, move |_worker, x: usize| {
//!     total.fetch_add(x, Ordering::SeqCst);
//! });
//! for x in 0..100 {
//!     pool.queue().put(x).unwrap();
//! }
//! pool.join().unwrap(); // returns after the 100th task_done
//! assert_eq!(sum.load(Ordering::SeqCst), 4950);
//! pool.shutdown().unwrap();
//! ```

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::queue::TaskQueue;
use super::sync::{Arc, Mutex, lock, thread};
use crate::error::{PoolError, WorkerPanic};

/// The worker a handler runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    number: usize,
    name: String,
}

impl Worker {
    /// 1 for `Thread1`, and so on.
    pub fn number(&self) -> usize {
        self.number
    }

    /// `Thread1`, `Thread2`, ... as the tutorial names its threads.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// N workers draining one shared [`TaskQueue`] (see the module docs).
pub struct WorkerPool<T> {
    queue: Arc<TaskQueue<T>>,
    workers: Vec<(String, thread::JoinHandle<()>)>,
    panics: Arc<Mutex<Vec<WorkerPanic>>>,
}

impl<T> std::fmt::Debug for WorkerPool<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool")
            .field("workers", &self.workers.len())
            .field("queue", &self.queue)
            .finish()
    }
}

impl<T: Send + 'static> WorkerPool<T> {
    /// Starts `workers` workers on a new queue of size `maxsize` (`<= 0`: unbounded),
    /// each running `handler` on the items it gets.
    pub fn new<F>(workers: usize, maxsize: isize, handler: F) -> Self
    where
        F: Fn(&Worker, T) + Send + Sync + 'static,
    {
        Self::on_queue(Arc::new(TaskQueue::new(maxsize)), workers, handler)
    }

    /// Starts `workers` workers on an existing queue.
    pub fn on_queue<F>(queue: Arc<TaskQueue<T>>, workers: usize, handler: F) -> Self
    where
        F: Fn(&Worker, T) + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        let panics = Arc::new(Mutex::new(Vec::new()));
        let workers = (1..=workers)
            .map(|number| {
                let worker = Worker {
                    number,
                    name: format!("Thread{number}"),
                };
                let name = worker.name.clone();
                let queue = Arc::clone(&queue);
                let handler = Arc::clone(&handler);
                let panics = Arc::clone(&panics);
                let handle = thread::Builder::new()
                    .name(name.clone())
                    .spawn(move || work(&worker, &queue, &*handler, &panics))
                    .expect("failed to spawn a worker thread");
                (name, handle)
            })
            .collect();
        WorkerPool {
            queue,
            workers,
            panics,
        }
    }

    /// The queue the workers drain: put tasks here.
    pub fn queue(&self) -> &Arc<TaskQueue<T>> {
        &self.queue
    }

    /// Waits until every task put so far is done (the queue's `join`), then reports the
    /// handlers that panicked since the last report.
    pub fn join(&self) -> Result<(), PoolError> {
        self.queue.join();
        let panics = std::mem::take(&mut *lock(&self.panics));
        if panics.is_empty() {
            Ok(())
        } else {
            Err(PoolError::HandlerPanicked(panics))
        }
    }

    /// Finishes the queued work, stops the workers and joins their threads.
    pub fn shutdown(self) -> Result<(), PoolError> {
        self.queue.shutdown(false);
        let mut died = None;
        for (name, handle) in self.workers {
            if handle.join().is_err() {
                died.get_or_insert(name);
            }
        }
        let panics = std::mem::take(&mut *lock(&self.panics));
        match died {
            Some(name) => Err(PoolError::WorkerDied(name)),
            None if !panics.is_empty() => Err(PoolError::HandlerPanicked(panics)),
            None => Ok(()),
        }
    }
}

/// One worker's loop: get → handle → task_done, until the queue is shut down and drained.
fn work<T, F>(worker: &Worker, queue: &TaskQueue<T>, handler: &F, panics: &Mutex<Vec<WorkerPanic>>)
where
    F: Fn(&Worker, T),
{
    // A blocking get fails only when the queue is shut down and drained: time to stop.
    let Ok(mut item) = queue.get() else { return };
    loop {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| handler(worker, item))) {
            lock(panics).push(WorkerPanic {
                worker: worker.name.clone(),
                message: crate::words::panic_message(&*payload),
            });
        }
        // One task_done per successful get (it cannot be one too many), and the next get,
        // under one lock when nobody observes the queue.
        match queue.task_done_then_get() {
            Ok(next) => item = next,
            Err(_) => return,
        }
    }
}
