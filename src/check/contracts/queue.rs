//! Check your own task queue: Python's `queue.Queue` contract, as the tutorial uses it.
//!
//! Six small programs, each exhaustively explored, each aimed at part of the contract:
//!
//! 1. **FIFO and `join`**: one worker drains two items; it gets them in order, and `join`
//!    returns only after the last `task_done`;
//! 2. **two getters, one item**: two workers wait for one item; exactly one gets it, and a
//!    `get` never comes back empty-handed while the queue is open (waiting with `if`
//!    instead of `while` does: the other worker took the item between the notify and the
//!    wake-up);
//! 3. **concurrent `task_done`**: two workers each take one of two queued items and mark it
//!    done at the same time; `join` still waits for both;
//! 4. **a full queue**: with `maxsize` 1, a second `put` waits until the worker takes the
//!    first item, and is woken then (no lost wake-up);
//! 5. **`shutdown` wakes getters** (if your queue has `shutdown`): two workers block in `get`
//!    on an empty queue; both return when main shuts it down;
//! 6. **`shutdown` wakes a putter**: a thread blocked in `put` on a full queue returns
//!    (refused) when main shuts it down.
//!
//! A thread that waits forever shows up as a deadlock, with who waits for what.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::contracts::queue::check_queue;
//! use racelab::checked::queue::TaskQueue;
//!
//! // racelab's own TaskQueue meets the contract, in every schedule.
//! let report = check_queue(|maxsize| TaskQueue::<usize>::new(maxsize as isize)).run();
//! assert!(report.passed());
//! assert!(report.parts.iter().all(|part| part.coverage.is_exhaustive()));
//! ```

use std::sync::Arc;

use super::Contract;
use crate::check::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use crate::check::{Check, check, thread};

/// A task queue with Python `queue.Queue` semantics: yours, to be checked.
pub trait QueueUnderTest: Send + Sync + 'static {
    /// Puts `item`, waiting for room if the queue is bounded and full; `false` if the queue
    /// refused it because it is shut down.
    fn put(&self, item: usize) -> bool;
    /// Takes the oldest item, waiting for one; `None` once the queue is shut down and
    /// drained (never before).
    fn get(&self) -> Option<usize>;
    /// Marks one task done.
    fn task_done(&self);
    /// Waits until every item put so far has been marked done.
    fn join(&self);
    /// Shuts the queue down (Python 3.13): returns `false` if the queue has no shutdown, and
    /// the shutdown checks are skipped.
    fn shutdown(&self) -> bool {
        false
    }
}

/// What one execution of a queue check ended with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueueOutcome {
    /// What each worker got, in the order it got it; `None` for a `get` that came back
    /// empty-handed while the queue was open.
    pub got: Vec<Vec<Option<usize>>>,
    /// Items handled when `join` returned (`None` where the program does not join).
    pub handled_at_join: Option<usize>,
    /// Threads whose blocking call returned once the queue was shut down.
    pub released: usize,
}

/// The items are 0..n; this one tells a worker to stop when the queue has no `shutdown`.
const STOP: usize = usize::MAX;

/// The queue contract for queues made by `make(maxsize)` (0 = unbounded; see the module
/// docs).
pub fn check_queue<Q, F>(make: F) -> Contract<QueueOutcome>
where
    Q: QueueUnderTest,
    F: Fn(usize) -> Q + Send + Sync + 'static,
{
    let make = Arc::new(make);
    Contract::new(
        "queue contract",
        vec![
            drain(
                Arc::clone(&make),
                "FIFO and join: 1 worker drains 2 items",
                1,
                2,
                0,
            ),
            drain(Arc::clone(&make), "two getters, one item", 2, 1, 0),
            concurrent_task_done(Arc::clone(&make)),
            drain(
                Arc::clone(&make),
                "a full queue: maxsize 1, 1 worker, 2 items",
                1,
                2,
                1,
            ),
            shutdown_wakes_getters(Arc::clone(&make)),
            shutdown_wakes_a_putter(make),
        ],
    )
}

/// Shared by the programs: the queue, the items handled so far (handling is a step of its
/// own, so that `join` can return before it, if the queue lets it), and whether main has
/// started to stop the workers.
struct Shared<Q> {
    queue: Q,
    handled: AtomicUsize,
    stopping: AtomicBool,
}

impl<Q: QueueUnderTest> Shared<Q> {
    fn new(queue: Q) -> Arc<Self> {
        Arc::new(Shared {
            queue,
            handled: AtomicUsize::new(0).named("handled"),
            stopping: AtomicBool::new(false).named("stopping"),
        })
    }

    fn handled(&self) -> usize {
        self.handled.load(SeqCst)
    }

    /// Gets up to `limit` items (until the queue says it is shut down, or the stop item),
    /// handling each and marking it done.
    fn work(&self, limit: usize) -> Vec<Option<usize>> {
        let mut got = Vec::new();
        while got.len() < limit {
            match self.queue.get() {
                Some(STOP) => break,
                Some(item) => {
                    got.push(Some(item));
                    self.handled.fetch_add(1, SeqCst);
                    self.queue.task_done();
                }
                None if self.stopping.load(SeqCst) => break,
                None => {
                    got.push(None); // empty-handed while the queue is open
                    break;
                }
            }
        }
        got
    }

    /// Stops `workers` workers: shutdown if the queue has it, else one stop item each.
    fn stop(&self, workers: usize) {
        self.stopping.store(true, SeqCst);
        if !self.queue.shutdown() {
            for _ in 0..workers {
                self.queue.put(STOP);
            }
        }
    }
}

fn join_all(handles: Vec<thread::JoinHandle<Vec<Option<usize>>>>) -> Vec<Vec<Option<usize>>> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}

/// Every item of 0..items got exactly once, each worker's in put order, nothing
/// empty-handed.
fn drained_in_order(got: &[Vec<Option<usize>>], items: usize) -> bool {
    let Some(got) = got
        .iter()
        .map(|g| g.iter().copied().collect::<Option<Vec<usize>>>())
        .collect::<Option<Vec<_>>>()
    else {
        return false;
    };
    let mut all: Vec<usize> = got.iter().flatten().copied().collect();
    all.sort_unstable();
    all.iter().copied().eq(0..items) && got.iter().all(|g| g.windows(2).all(|w| w[0] < w[1]))
}

fn drain<Q, F>(
    make: Arc<F>,
    name: &str,
    workers: usize,
    items: usize,
    maxsize: usize,
) -> Check<QueueOutcome>
where
    Q: QueueUnderTest,
    F: Fn(usize) -> Q + Send + Sync + 'static,
{
    check(move || {
        let shared = Shared::new(make(maxsize));
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || shared.work(usize::MAX))
            })
            .collect();
        for item in 0..items {
            shared.queue.put(item);
        }
        shared.queue.join();
        let handled_at_join = Some(shared.handled());
        shared.stop(workers);
        QueueOutcome {
            got: join_all(handles),
            handled_at_join,
            released: 0,
        }
    })
    .name(format!("{name}; main puts, joins, stops the workers"))
    .expect(move |o| drained_in_order(&o.got, items) && o.handled_at_join == Some(items))
    .explain(move |o| explain_drain(o, items))
}

/// What went wrong in a drain program.
fn explain_drain(o: &QueueOutcome, items: usize) -> String {
    let mut what = Vec::new();
    if o.got.iter().flatten().any(Option::is_none) {
        what.push("a get came back empty-handed while the queue was open".to_string());
    }
    let mut all: Vec<usize> = o.got.iter().flatten().flatten().copied().collect();
    all.sort_unstable();
    if !all.iter().copied().eq(0..items) && all.len() == items {
        what.push(format!(
            "items got: {all:?}, expected each of 0..{items} once"
        ));
    } else if all.len() != items {
        what.push(format!("{} of {items} items were got", all.len()));
    }
    if o.got.iter().any(|g| g.windows(2).any(|w| w[0] >= w[1])) {
        what.push("a worker got items out of the order they were put (not FIFO)".to_string());
    }
    if let Some(at_join) = o.handled_at_join.filter(|&h| h != items) {
        what.push(format!(
            "join returned with {at_join} of {items} items handled: before the last task_done"
        ));
    }
    what.join("; ")
}

fn concurrent_task_done<Q, F>(make: Arc<F>) -> Check<QueueOutcome>
where
    Q: QueueUnderTest,
    F: Fn(usize) -> Q + Send + Sync + 'static,
{
    check(move || {
        let shared = Shared::new(make(0));
        shared.queue.put(0);
        shared.queue.put(1);
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || shared.work(1))
            })
            .collect();
        shared.queue.join();
        let handled_at_join = Some(shared.handled());
        QueueOutcome {
            got: join_all(handles),
            handled_at_join,
            released: 0,
        }
    })
    .name("concurrent task_done: 2 queued items, 2 workers take one each; main joins")
    .expect(|o| drained_in_order(&o.got, 2) && o.handled_at_join == Some(2))
    .explain(|o| explain_drain(o, 2))
}

fn shutdown_wakes_getters<Q, F>(make: Arc<F>) -> Check<QueueOutcome>
where
    Q: QueueUnderTest,
    F: Fn(usize) -> Q + Send + Sync + 'static,
{
    check(move || {
        let shared = Shared::new(make(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || shared.work(1))
            })
            .collect();
        shared.stop(2);
        let got = join_all(handles);
        let released = got.iter().filter(|g| g.is_empty()).count();
        QueueOutcome {
            got,
            handled_at_join: None,
            released,
        }
    })
    .name("shutdown wakes 2 getters blocked on an empty queue")
    .expect(|o| o.released == 2)
    .explain(|o| {
        format!(
            "{} of 2 getters blocked on the empty queue returned after shutdown",
            o.released
        )
    })
}

fn shutdown_wakes_a_putter<Q, F>(make: Arc<F>) -> Check<QueueOutcome>
where
    Q: QueueUnderTest,
    F: Fn(usize) -> Q + Send + Sync + 'static,
{
    check(move || {
        let shared = Shared::new(make(1));
        shared.queue.put(0);
        let putter = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let taken = shared.queue.put(1);
                vec![taken.then_some(1)]
            })
        };
        let has_shutdown = shared.queue.shutdown();
        if !has_shutdown {
            // No shutdown: free the putter by taking the first item.
            let _ = shared.queue.get();
        }
        let got = join_all(vec![putter]);
        let released = usize::from(has_shutdown && got[0] == [None]);
        QueueOutcome {
            got,
            handled_at_join: None,
            released,
        }
    })
    .name("shutdown wakes a putter blocked on a full queue (maxsize 1)")
    // Refused after the shutdown, or (no shutdown) put once there was room.
    .expect(|o| o.released == 1 || o.got == [vec![Some(1)]])
    .explain(|_| "the put blocked on the full queue was not refused by the shutdown".to_string())
}
