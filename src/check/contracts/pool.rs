//! Check your own worker pool: the tutorial's pool of workers, as a contract.
//!
//! * **every task handled exactly once** — none lost, none twice;
//! * **`join` returns only after every submitted task was handled**;
//! * **a clean stop**: `shutdown` stops every worker and returns (otherwise: a deadlock,
//!   reported with who waits for what).
//!
//! Checked with 1 worker × 2 tasks (a worker must go on after its first task) and 2 workers ×
//! 1 task (an idle worker must be stopped too).
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::contracts::pool::check_pool;
//! use racelab::checked::pool::WorkerPool;
//!
//! // racelab's own WorkerPool meets the contract.
//! let report = check_pool::<WorkerPool<usize>>().run();
//! assert!(report.passed());
//! ```

use std::sync::Arc;

use super::Contract;
use crate::check::sync::Mutex;
use crate::check::{Check, check};
use crate::words::plural;

/// What a worker runs for each task.
pub type Handler = Arc<dyn Fn(usize) + Send + Sync>;

/// A pool of worker threads: yours, to be checked.
pub trait PoolUnderTest: Send + Sync + 'static {
    /// Starts `workers` workers that run `handler` on each task submitted.
    fn start(workers: usize, handler: Handler) -> Self
    where
        Self: Sized;
    /// Hands a task to the workers.
    fn submit(&self, task: usize);
    /// Waits until every task submitted so far has been handled.
    fn join(&self);
    /// Stops the workers and waits for them to finish.
    fn shutdown(self)
    where
        Self: Sized;
}

/// What one execution of a pool check ended with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolOutcome {
    /// Every task handled, sorted (0..n once each when correct).
    pub handled: Vec<usize>,
    /// Tasks handled when `join` returned.
    pub handled_at_join: usize,
}

/// The pool contract for pools of type `P` (see the module docs).
pub fn check_pool<P: PoolUnderTest>() -> Contract<PoolOutcome> {
    Contract::new(
        "pool contract",
        vec![pool_check::<P>(1, 2), pool_check::<P>(2, 1)],
    )
}

fn pool_check<P: PoolUnderTest>(workers: usize, tasks: usize) -> Check<PoolOutcome> {
    check(move || {
        // The work a handler does is a step of its own (a racelab mutex, not bookkeeping
        // the checker cannot see), so that `join` can return before it, if the pool lets it.
        let handled = Arc::new(Mutex::new(Vec::new()).named("handled"));
        let record = Arc::clone(&handled);
        let pool = P::start(
            workers,
            Arc::new(move |task| record.lock().unwrap_or_else(|p| p.into_inner()).push(task)),
        );
        for task in 0..tasks {
            pool.submit(task);
        }
        pool.join();
        let handled_at_join = handled.lock().unwrap_or_else(|p| p.into_inner()).len();
        pool.shutdown();
        let mut handled = handled.lock().unwrap_or_else(|p| p.into_inner()).clone();
        handled.sort_unstable();
        PoolOutcome {
            handled,
            handled_at_join,
        }
    })
    .name(format!(
        "{} handle {}; main joins, then shuts the pool down",
        plural(workers, "worker"),
        plural(tasks, "task")
    ))
    .expect(move |o| o.handled.iter().copied().eq(0..tasks) && o.handled_at_join == tasks)
    .explain(move |o| {
        let mut what = Vec::new();
        if !o.handled.iter().copied().eq(0..tasks) {
            what.push(format!(
                "tasks handled: {:?}, expected each of 0..{tasks} once",
                o.handled
            ));
        }
        if o.handled_at_join != tasks {
            what.push(format!(
                "join returned with {} of {tasks} tasks handled",
                o.handled_at_join
            ));
        }
        what.join("; ")
    })
}
