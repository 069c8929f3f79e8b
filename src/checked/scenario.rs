//! The tutorial's programs as shuttle test bodies, returning what happened.
//!
//! Each function must run inside a shuttle execution (`shuttle::check_*`, a
//! `shuttle::Runner`, or [`run`]). They never assert: they report, and the caller decides
//! what is right. That keeps a failed check out of the model's threads (where a panic
//! would be reported as shuttle's failure, not as the checker's finding).

use std::sync::{Arc as StdArc, Mutex as StdMutex, PoisonError};

use shuttle::scheduler::Scheduler;

use super::sync::{Arc, thread};

use super::counter::{Counter, Increment};
use super::pool::WorkerPool;
use super::queue::TaskQueue;
use super::trace::Recorder;
use crate::pause::Pause;
use crate::step::Step;

/// `threads` threads each run `increments` increments of `strategy` on one counter, which
/// yields between read and write. Returns the final value.
pub fn counter(
    threads: usize,
    increments: usize,
    strategy: Increment,
    recorder: &Recorder,
) -> usize {
    counter_with(Pause::Yield, threads, increments, strategy, recorder)
}

/// [`counter`] with the given pause between read and write (the explorer's scenarios use
/// none: its recorder already yields before every step). Each thread calls
/// [`Recorder::finish`] when done.
pub fn counter_with(
    pause: Pause,
    threads: usize,
    increments: usize,
    strategy: Increment,
    recorder: &Recorder,
) -> usize {
    let counter = Arc::new(Counter::observed(pause, recorder.observer()));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (counter, recorder) = (Arc::clone(&counter), recorder.clone());
            thread::spawn(move || {
                (0..increments).for_each(|_| counter.increment(strategy));
                recorder.finish();
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("an increment does not panic");
    }
    counter.value()
}

/// What a run of the pool scenario saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolOutcome {
    /// Items put, in all.
    pub expected: usize,
    /// Each handled item, sorted: `0..expected` when every item was handled exactly once.
    pub handled: Vec<usize>,
    /// How many handlers had finished when `join` returned.
    pub finished_at_join: usize,
    /// `unfinished_tasks()` right after `join` returned.
    pub unfinished_after_join: usize,
}

impl PoolOutcome {
    /// Every item handled exactly once, and `join` returned only after all of them.
    pub fn is_correct(&self) -> bool {
        self.handled.iter().copied().eq(0..self.expected)
            && self.finished_at_join == self.expected
            && self.unfinished_after_join == 0
    }
}

/// `producers` threads each put `items` items on a queue of size `maxsize` drained by a
/// pool of `workers`; once the producers are done, main calls `join`, notes what was
/// finished, then shuts the pool down.
pub fn pool(producers: usize, workers: usize, items: usize, maxsize: isize) -> PoolOutcome {
    pool_observed(&Recorder::new(), producers, workers, items, maxsize)
}

/// [`pool`], reporting its steps to `recorder`: the queue's puts, gets and task_dones,
/// each handler's [`Step::Handle`] and main's [`Step::Joined`]. Threads are spawned
/// workers first (`Thread1`..), then producers.
pub fn pool_observed(
    recorder: &Recorder,
    producers: usize,
    workers: usize,
    items: usize,
    maxsize: isize,
) -> PoolOutcome {
    let handled = StdArc::new(StdMutex::new(Vec::new()));
    let queue = Arc::new(TaskQueue::observed(maxsize, recorder.observer()));
    let pool = {
        let (handled, recorder) = (StdArc::clone(&handled), recorder.clone());
        WorkerPool::on_queue(Arc::clone(&queue), workers, move |_worker, item: usize| {
            recorder.step(|| {
                let mut handled = handled.lock().unwrap_or_else(PoisonError::into_inner);
                (handled.push(item), Step::Handle(item))
            });
        })
    };
    let putters: Vec<_> = (0..producers)
        .map(|p| {
            let (queue, recorder) = (Arc::clone(&queue), recorder.clone());
            thread::spawn(move || {
                for i in 0..items {
                    queue.put(p * items + i).expect("the queue is open");
                }
                recorder.finish();
            })
        })
        .collect();
    for putter in putters {
        putter.join().expect("a producer does not panic");
    }
    // join waits for the items put *so far*: only call it once every producer is done.
    recorder.before_step();
    let joined = pool.join();
    let finished_at_join = handled.lock().unwrap_or_else(PoisonError::into_inner).len();
    recorder.record(Step::Joined);
    recorder.end_of_lesson();
    let unfinished_after_join = queue.unfinished_tasks();
    let stopped = pool.shutdown();
    assert!(
        joined.is_ok() && stopped.is_ok(),
        "the handler cannot panic"
    );
    let mut handled = handled
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    handled.sort_unstable();
    PoolOutcome {
        expected: producers * items,
        handled,
        finished_at_join,
        unfinished_after_join,
    }
}

/// Runs `body` under `scheduler` and returns what each execution returned, in order.
pub fn run<S, T, F>(scheduler: S, body: F) -> Vec<T>
where
    S: Scheduler + 'static,
    T: Send + 'static,
    F: Fn() -> T + Send + Sync + 'static,
{
    let results = StdArc::new(StdMutex::new(Vec::new()));
    let sink = StdArc::clone(&results);
    let mut config = shuttle::Config::new();
    config.silence_warnings = true;
    shuttle::Runner::new(scheduler, config).run(move || {
        let result = body();
        sink.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(result);
    });
    let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
    std::mem::take(&mut *results)
}
