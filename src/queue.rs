//! `TaskQueue<T>`: Python's `queue.Queue` (3.13, with `shutdown`) for Rust threads. (One
//! concept in one file, past 400 lines: the queue's operations share one lock and its state.)
//!
//! Like CPython, it is one mutex over all the state — the items, the count of unfinished
//! tasks and the shut-down flag — and three condition variables on that mutex:
//! `not_empty` (a getter waits for an item), `not_full` (a putter waits for room) and
//! `all_tasks_done` (`join` waits for the count to reach zero). Because every check and
//! every change of the state happens under the one mutex, and every waiter re-checks its
//! condition in a `while` loop after waking, no wake-up is lost and no spurious wake-up
//! is believed.
//!
//! A getter that finds the queue empty, with no timeout, first releases the mutex and
//! yields a few times (`SPINS_BEFORE_WAIT`: 16 on real threads) before it sleeps on
//! `not_empty`: on a busy queue the next item usually arrives within those rounds, which
//! saves the sleep and the wake-up (system calls both). A round is the same as a spurious
//! wake-up — the condition is re-checked under the mutex — so no wake-up can be missed. The
//! model checkers run with 0 rounds (loom, and the checker build whose scenarios count every
//! wait as a step), so they do not explore the rounds themselves. Measured with
//! `racelab measure queue` and `cargo bench --bench peers`: see the README.
//!
//! The order of the checks follows CPython exactly (see `conformance.md` in the oracle):
//! a shut-down queue refuses a `put` before it looks at fullness, a negative timeout is an
//! error only for a call that would otherwise wait, and `get` keeps serving items after a
//! non-immediate shutdown until the queue is drained.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::queue::TaskQueue;
//! use racelab::error::QueueError;
//!
//! let q = TaskQueue::new(2);
//! q.put(1).unwrap();
//! q.put(2).unwrap();
//! assert_eq!(q.put_nowait(3).unwrap_err().error, QueueError::Full);
//! assert_eq!(q.get(), Ok(1));
//! q.task_done().unwrap();
//! assert_eq!(q.unfinished_tasks(), 1); // item 2 was put but not yet done
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::sync::{
    Condvar, Mutex, MutexGuard, SPINS_BEFORE_WAIT, lock, named, thread, waiting_for,
};
use crate::error::{QueueError, Rejected};
use crate::step::{Observer, Report, Step};

/// How long a call may wait, already validated or carrying the error to raise at the
/// point where Python would raise it.
#[derive(Clone, Copy)]
enum Patience {
    NoWait,
    Forever,
    Until(Instant),
    Invalid(QueueError),
}

impl Patience {
    fn after(timeout: Duration) -> Self {
        Instant::now()
            .checked_add(timeout)
            .map_or(Patience::Forever, Patience::Until)
    }

    /// Python's `(block, timeout)` pair: `None` is no timeout; the timeout is ignored
    /// when `block` is false; a negative or NaN timeout is remembered as an error.
    fn python(block: bool, timeout: Option<f64>) -> Self {
        match (block, timeout) {
            (false, _) => Patience::NoWait,
            (true, None) => Patience::Forever,
            (true, Some(t)) if t.is_nan() || t < 0.0 => {
                Patience::Invalid(QueueError::NegativeTimeout)
            }
            (true, Some(t)) => match Duration::try_from_secs_f64(t) {
                Ok(d) => Patience::after(d),
                Err(_) => Patience::Forever, // later than any clock can tell
            },
        }
    }
}

struct State<T> {
    items: VecDeque<T>,
    unfinished: usize,
    shutdown: bool,
    /// Items ever put / got: the tickets of the next put and get (see [`Step`]).
    puts: usize,
    gets: usize,
    /// Threads blocked in get / put / join: wake-ups (system calls on most platforms) are
    /// skipped when nobody waits. Changed under the mutex, so none can be missed. Tested
    /// with `!= 0`, not `> 0`: the same on a count, and a mutation test of `>= 0` (a wake-up
    /// for nobody, which no test can see) then has no equivalent to survive as.
    waiting_getters: usize,
    waiting_putters: usize,
    waiting_joiners: usize,
}

/// Who waits on which condition variable.
#[derive(Clone, Copy)]
enum Waiter {
    Getter,
    Putter,
}

/// A FIFO task queue with Python `queue.Queue` semantics (see the module docs).
pub struct TaskQueue<T> {
    maxsize: usize,
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    all_tasks_done: Condvar,
    observer: Option<Observer>,
}

impl<T> std::fmt::Debug for TaskQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("TaskQueue")
            .field("maxsize", &self.maxsize)
            .field("qsize", &state.items.len())
            .field("unfinished_tasks", &state.unfinished)
            .field("is_shutdown", &state.shutdown)
            .finish()
    }
}

impl<T> Default for TaskQueue<T> {
    fn default() -> Self {
        TaskQueue::unbounded()
    }
}

impl<T> TaskQueue<T> {
    /// A queue holding at most `maxsize` items; `maxsize <= 0` means unbounded, as in
    /// Python's `Queue(maxsize)`.
    pub fn new(maxsize: isize) -> Self {
        TaskQueue {
            maxsize: usize::try_from(maxsize).unwrap_or(0),
            state: named(
                Mutex::new(State {
                    items: VecDeque::new(),
                    unfinished: 0,
                    shutdown: false,
                    puts: 0,
                    gets: 0,
                    waiting_getters: 0,
                    waiting_putters: 0,
                    waiting_joiners: 0,
                }),
                "queue",
            ),
            not_empty: named(Condvar::new(), "not_empty"),
            not_full: named(Condvar::new(), "not_full"),
            all_tasks_done: named(Condvar::new(), "all_tasks_done"),
            observer: None,
        }
    }

    /// Like [`new`](Self::new), reporting every put, get and `task_done` to `observer`,
    /// right after the state change and before waking anyone. (Outside the mutex: an
    /// observer may yield, and must not do so while holding it.)
    pub fn observed(maxsize: isize, observer: Observer) -> Self {
        TaskQueue {
            observer: Some(observer),
            ..TaskQueue::new(maxsize)
        }
    }

    /// A queue without a size limit (Python: `Queue()`).
    pub fn unbounded() -> Self {
        TaskQueue::new(0)
    }

    /// The size limit, 0 when unbounded.
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// Puts `item`, waiting for room if the queue is bounded and full.
    /// Fails only with [`QueueError::ShutDown`].
    pub fn put(&self, item: T) -> Result<(), Rejected<T>> {
        self.put_inner(item, Patience::Forever)
    }

    /// Puts `item` if there is room now, else fails with [`QueueError::Full`].
    pub fn put_nowait(&self, item: T) -> Result<(), Rejected<T>> {
        self.put_inner(item, Patience::NoWait)
    }

    /// Puts `item`, waiting at most `timeout` for room ([`QueueError::Full`] after that).
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), Rejected<T>> {
        self.put_inner(item, Patience::after(timeout))
    }

    /// Python's `put(item, block, timeout)` with its argument rules, including the
    /// [`QueueError::NegativeTimeout`] error for a bounded queue.
    pub fn put_with(&self, item: T, block: bool, timeout: Option<f64>) -> Result<(), Rejected<T>> {
        self.put_inner(item, Patience::python(block, timeout))
    }

    /// Takes the oldest item, waiting for one. Fails only with [`QueueError::ShutDown`],
    /// once the queue is shut down and drained.
    pub fn get(&self) -> Result<T, QueueError> {
        self.get_inner(Patience::Forever)
    }

    /// Takes the oldest item if there is one now, else fails with [`QueueError::Empty`].
    pub fn get_nowait(&self) -> Result<T, QueueError> {
        self.get_inner(Patience::NoWait)
    }

    /// Takes the oldest item, waiting at most `timeout` ([`QueueError::Empty`] after that).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, QueueError> {
        self.get_inner(Patience::after(timeout))
    }

    /// Python's `get(block, timeout)` with its argument rules.
    pub fn get_with(&self, block: bool, timeout: Option<f64>) -> Result<T, QueueError> {
        self.get_inner(Patience::python(block, timeout))
    }

    fn put_inner(&self, item: T, patience: Patience) -> Result<(), Rejected<T>> {
        self.observer.before_step();
        let reject = |error, item| Err(Rejected { error, item });
        let mut state = lock(&self.state);
        if state.shutdown {
            return reject(QueueError::ShutDown, item);
        }
        if self.maxsize > 0 {
            if let Patience::Invalid(error) = patience {
                return reject(error, item);
            }
            while state.items.len() >= self.maxsize {
                state = match self.wait(Waiter::Putter, state, patience) {
                    Some(state) => state,
                    None => return reject(QueueError::Full, item),
                };
                if state.shutdown {
                    return reject(QueueError::ShutDown, item);
                }
            }
        }
        state.items.push_back(item);
        state.unfinished += 1;
        state.puts += 1;
        let ticket = state.puts - 1;
        let wake = state.waiting_getters != 0;
        drop(state);
        self.observer.report(Step::Put(ticket));
        if wake {
            self.not_empty.notify_one();
        }
        Ok(())
    }

    fn get_inner(&self, patience: Patience) -> Result<T, QueueError> {
        self.observer.before_step();
        self.get_locked(lock(&self.state), patience)
    }

    /// `task_done()` then `get()`, for a worker between two items: on a queue nobody
    /// observes, under one acquisition of the internal mutex instead of two (the order in
    /// which nothing runs between the two calls, one of the orders the two calls allow).
    /// An observed queue makes the two calls, so that every step stays a step.
    pub(crate) fn task_done_then_get(&self) -> Result<T, QueueError> {
        if self.observer.is_some() {
            let _ = self.task_done();
            return self.get();
        }
        let mut state = lock(&self.state);
        if state.unfinished > 0 {
            state.unfinished -= 1;
            if state.unfinished == 0 && state.waiting_joiners != 0 {
                self.all_tasks_done.notify_all();
            }
        }
        self.get_locked(state, Patience::Forever)
    }

    fn get_locked<'a>(
        &'a self,
        mut state: MutexGuard<'a, State<T>>,
        patience: Patience,
    ) -> Result<T, QueueError> {
        if state.shutdown && state.items.is_empty() {
            return Err(QueueError::ShutDown);
        }
        if let Patience::Invalid(error) = patience {
            return Err(error);
        }
        let mut spins_left = SPINS_BEFORE_WAIT;
        while state.items.is_empty() {
            if spins_left > 0 && matches!(patience, Patience::Forever) {
                // A producer may be about to put: let it run before sleeping (a sleep and
                // its wake-up cost system calls; on a busy queue the item comes first).
                // Only without a timeout, so that timeouts keep their exact meaning.
                spins_left -= 1;
                drop(state);
                thread::yield_now();
                state = lock(&self.state);
                if state.shutdown && state.items.is_empty() {
                    return Err(QueueError::ShutDown);
                }
                continue;
            }
            state = self
                .wait(Waiter::Getter, state, patience)
                .ok_or(QueueError::Empty)?;
            if state.shutdown && state.items.is_empty() {
                return Err(QueueError::ShutDown);
            }
        }
        let item = state.items.pop_front().expect("checked non-empty above");
        state.gets += 1;
        let ticket = state.gets - 1;
        let wake = state.waiting_putters != 0;
        drop(state);
        self.observer.report(Step::Get(ticket));
        if wake {
            self.not_full.notify_one();
        }
        Ok(item)
    }

    /// Waits once on `condvar`; `None` when the call may not wait (any more).
    fn wait<'a>(
        &self,
        waiter: Waiter,
        mut state: MutexGuard<'a, State<T>>,
        patience: Patience,
    ) -> Option<MutexGuard<'a, State<T>>> {
        let timeout = match patience {
            Patience::NoWait | Patience::Invalid(_) => return None,
            Patience::Forever => None,
            Patience::Until(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => return None,
            },
        };
        let (condvar, count) = match waiter {
            Waiter::Getter => (&self.not_empty, &mut state.waiting_getters),
            Waiter::Putter => (&self.not_full, &mut state.waiting_putters),
        };
        *count += 1;
        waiting_for(|| match waiter {
            Waiter::Getter => "get on an empty queue".to_string(),
            Waiter::Putter => format!("put on a full queue of {}", self.maxsize),
        });
        let mut state = match timeout {
            None => condvar
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            Some(left) => {
                condvar
                    .wait_timeout(state, left)
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .0
            }
        };
        match waiter {
            Waiter::Getter => state.waiting_getters -= 1,
            Waiter::Putter => state.waiting_putters -= 1,
        }
        Some(state)
    }

    /// Marks one task done (one earlier `put`, whether or not its item was got).
    /// Wakes every `join` when the count reaches zero. Fails with
    /// [`QueueError::TaskDoneTooManyTimes`] rather than let the count go negative.
    pub fn task_done(&self) -> Result<(), QueueError> {
        self.observer.before_step();
        let mut state = lock(&self.state);
        if state.unfinished == 0 {
            return Err(QueueError::TaskDoneTooManyTimes);
        }
        state.unfinished -= 1;
        let wake = state.unfinished == 0 && state.waiting_joiners != 0;
        drop(state);
        self.observer.report(Step::TaskDone);
        if wake {
            self.all_tasks_done.notify_all();
        }
        Ok(())
    }

    /// Blocks until every item ever put has been marked done with [`task_done`](Self::task_done)
    /// (or discarded by an immediate shutdown). Returns at once when nothing is pending.
    ///
    /// It waits for the items put *so far*: a `join` that races with producers may return
    /// before their later puts.
    pub fn join(&self) {
        let mut state = lock(&self.state);
        while state.unfinished > 0 {
            state.waiting_joiners += 1;
            let unfinished = state.unfinished;
            waiting_for(|| {
                format!(
                    "join with {unfinished} unfinished task{}",
                    if unfinished == 1 { "" } else { "s" }
                )
            });
            state = self
                .all_tasks_done
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.waiting_joiners -= 1;
        }
    }

    /// Shuts the queue down (Python 3.13). Every later `put` fails with
    /// [`QueueError::ShutDown`], and so does `get` once the queue is empty; blocked puts
    /// and gets are woken to see it. With `immediate`, the items still queued are discarded
    /// (each counted as done, never below zero) so that `join` returns. Calling it again is
    /// allowed; a queue cannot be reopened.
    pub fn shutdown(&self, immediate: bool) {
        let mut state = lock(&self.state);
        state.shutdown = true;
        if immediate {
            let drained = state.items.len();
            state.items.clear();
            state.unfinished = state.unfinished.saturating_sub(drained);
            self.all_tasks_done.notify_all();
        }
        drop(state);
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }

    /// Whether [`shutdown`](Self::shutdown) was called.
    pub fn is_shutdown(&self) -> bool {
        lock(&self.state).shutdown
    }

    /// The number of queued items (a snapshot: other threads may change it at once).
    pub fn qsize(&self) -> usize {
        lock(&self.state).items.len()
    }

    /// Whether no item is queued (a snapshot).
    pub fn empty(&self) -> bool {
        lock(&self.state).items.is_empty()
    }

    /// Whether a bounded queue holds `maxsize` items (a snapshot); never for unbounded.
    pub fn full(&self) -> bool {
        self.maxsize > 0 && lock(&self.state).items.len() >= self.maxsize
    }

    /// Tasks put but not yet marked done (Python: `unfinished_tasks`).
    pub fn unfinished_tasks(&self) -> usize {
        lock(&self.state).unfinished
    }
}
