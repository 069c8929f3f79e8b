//! Worker pools a learner might write on racelab's own `TaskQueue`: four that break the
//! pool contract, one that keeps it (with racelab's own `WorkerPool` as the second).

use racelab::check::contracts::pool::{Handler, PoolUnderTest};
use racelab::check::sync::Arc;
use racelab::check::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::check::thread::{self, JoinHandle};
use racelab::checked::queue::TaskQueue;

/// What each worker runs: its loop over the queue.
type Loop = fn(&TaskQueue<usize>, &Handler, &AtomicBool);

/// A pool of `workers` threads running `work` over one queue; `stop` is set by
/// [`Pool::shutdown`], which then shuts the queue down unless `flag_only`.
pub struct Pool {
    queue: Arc<TaskQueue<usize>>,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
    flag_only: bool,
}

impl Pool {
    fn start(workers: usize, handler: Handler, work: Loop) -> Self {
        Pool::start_stopping(workers, handler, work, false)
    }

    fn start_stopping(workers: usize, handler: Handler, work: Loop, flag_only: bool) -> Self {
        let queue = Arc::new(TaskQueue::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let workers = (0..workers)
            .map(|_| {
                let (queue, handler, stop) =
                    (Arc::clone(&queue), Arc::clone(&handler), Arc::clone(&stop));
                thread::spawn(move || work(&queue, &handler, &stop))
            })
            .collect();
        Pool {
            queue,
            stop,
            workers,
            flag_only,
        }
    }

    fn submit(&self, task: usize) {
        self.queue.put(task).expect("the queue is open");
    }

    fn join(&self) {
        self.queue.join();
    }

    fn shutdown(self) {
        self.stop.store(true, SeqCst);
        if !self.flag_only {
            self.queue.shutdown(false);
        }
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// Correct: get, handle, task_done, until the queue is shut down.
fn get_handle_done(queue: &TaskQueue<usize>, handler: &Handler, _stop: &AtomicBool) {
    while let Ok(task) = queue.get() {
        handler(task);
        let _ = queue.task_done();
    }
}

macro_rules! pool {
    ($(#[$doc:meta])* $name:ident, $work:expr_2021) => {
        $(#[$doc])*
        pub struct $name(Pool);

        impl PoolUnderTest for $name {
            fn start(workers: usize, handler: Handler) -> Self {
                $name(Pool::start(workers, handler, $work))
            }
            fn submit(&self, task: usize) {
                self.0.submit(task)
            }
            fn join(&self) {
                self.0.join()
            }
            fn shutdown(self) {
                self.0.shutdown()
            }
        }
    };
}

pool!(
    /// Correct: get, handle, task_done, until the queue is shut down.
    Correct,
    get_handle_done
);

pool!(
    /// Marks the task done before doing it: `join` can return while it is still being done.
    TaskDoneFirst,
    |queue, handler, _stop| {
        while let Ok(task) = queue.get() {
            let _ = queue.task_done();
            handler(task);
        }
    }
);

pool!(
    /// Handles one task and returns: a second task is never done, and `join` waits forever.
    /// Only a worker's second task shows it.
    OneTaskPerWorker,
    |queue, handler, _stop| {
        if let Ok(task) = queue.get() {
            handler(task);
            let _ = queue.task_done();
        }
    }
);

/// Stops by setting a flag the workers check between tasks, and never wakes a worker
/// blocked in `get`: an idle worker is never stopped, and `shutdown` waits for it forever.
pub struct StopFlagOnly(Pool);

impl PoolUnderTest for StopFlagOnly {
    fn start(workers: usize, handler: Handler) -> Self {
        StopFlagOnly(Pool::start_stopping(
            workers,
            handler,
            |queue, handler, stop| {
                while !stop.load(SeqCst) {
                    let Ok(task) = queue.get() else { return };
                    handler(task);
                    let _ = queue.task_done();
                }
            },
            true,
        ))
    }
    fn submit(&self, task: usize) {
        self.0.submit(task)
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(self) {
        self.0.shutdown()
    }
}

/// `join` "waits" by polling until the queue is empty, then returns: the last task may still
/// be in a worker's hands.
pub struct JoinWhenEmpty(Pool);

impl PoolUnderTest for JoinWhenEmpty {
    fn start(workers: usize, handler: Handler) -> Self {
        JoinWhenEmpty(Pool::start(workers, handler, get_handle_done))
    }
    fn submit(&self, task: usize) {
        self.0.submit(task)
    }
    fn join(&self) {
        while !self.0.queue.empty() {
            thread::yield_now();
        }
    }
    fn shutdown(self) {
        self.0.shutdown()
    }
}
