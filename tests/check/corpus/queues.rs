//! Task queues a learner might write: nine that break `queue.Queue`'s contract, one that
//! keeps it (with racelab's own `TaskQueue` as the second correct one).
//!
//! Most are variations of one design — a `Mutex` over the state and condition variables
//! for "not empty", "not full" and "all tasks done" — with one mistake each.

use std::collections::VecDeque;

use racelab::check::contracts::queue::QueueUnderTest;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Condvar, Mutex, MutexGuard};

/// The state most of these queues share.
#[derive(Default)]
pub struct State {
    items: VecDeque<usize>,
    unfinished: usize,
    shutdown: bool,
}

/// A queue built from [`State`] whose operations each mistake overrides.
#[derive(Default)]
pub struct Base {
    maxsize: usize,
    state: Mutex<State>,
    not_empty: Condvar,
    not_full: Condvar,
    all_done: Condvar,
}

impl Base {
    pub fn new(maxsize: usize) -> Self {
        Base {
            maxsize,
            ..Base::default()
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    fn full(&self, state: &State) -> bool {
        self.maxsize > 0 && state.items.len() >= self.maxsize
    }

    fn put(&self, item: usize) -> bool {
        let mut state = self.lock();
        while self.full(&state) && !state.shutdown {
            state = self.not_full.wait(state).unwrap();
        }
        if state.shutdown {
            return false;
        }
        state.items.push_back(item);
        state.unfinished += 1;
        self.not_empty.notify_one();
        true
    }

    fn get(&self) -> Option<usize> {
        let mut state = self.lock();
        while state.items.is_empty() && !state.shutdown {
            state = self.not_empty.wait(state).unwrap();
        }
        let item = state.items.pop_front();
        self.not_full.notify_one();
        item
    }

    fn task_done(&self) {
        let mut state = self.lock();
        state.unfinished -= 1;
        if state.unfinished == 0 {
            self.all_done.notify_all();
        }
    }

    fn join(&self) {
        let mut state = self.lock();
        while state.unfinished > 0 {
            state = self.all_done.wait(state).unwrap();
        }
    }

    fn shutdown(&self) -> bool {
        self.lock().shutdown = true;
        self.not_empty.notify_all();
        self.not_full.notify_all();
        true
    }
}

/// Correct: [`Base`] as it is.
pub struct Correct(pub Base);

impl QueueUnderTest for Correct {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        self.0.get()
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// Waits for an item with `if` instead of `while`: another worker can take the item
/// between the notify and the wake-up, and this one comes back empty-handed.
pub struct IfNotWhile(pub Base);

impl QueueUnderTest for IfNotWhile {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        let mut state = self.0.lock();
        if state.items.is_empty() && !state.shutdown {
            state = self.0.not_empty.wait(state).unwrap();
        }
        let item = state.items.pop_front();
        self.0.not_full.notify_one();
        item
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// `put` forgets to notify: a worker waiting on an empty queue sleeps forever.
pub struct PutWithoutNotify(pub Base);

impl QueueUnderTest for PutWithoutNotify {
    fn put(&self, item: usize) -> bool {
        let mut state = self.0.lock();
        state.items.push_back(item);
        state.unfinished += 1;
        true
    }
    fn get(&self) -> Option<usize> {
        self.0.get()
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// `put` notifies first and pushes after, in a second critical section: the worker wakes,
/// finds nothing yet, and waits again for a notify that already came.
pub struct NotifyBeforePush(pub Base);

impl QueueUnderTest for NotifyBeforePush {
    fn put(&self, item: usize) -> bool {
        self.0.not_empty.notify_one();
        let mut state = self.0.lock();
        state.items.push_back(item);
        state.unfinished += 1;
        true
    }
    fn get(&self) -> Option<usize> {
        self.0.get()
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// Last in, first out: a stack, not a queue.
pub struct Stack(pub Base);

impl QueueUnderTest for Stack {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        let mut state = self.0.lock();
        while state.items.is_empty() && !state.shutdown {
            state = self.0.not_empty.wait(state).unwrap();
        }
        let item = state.items.pop_back();
        self.0.not_full.notify_one();
        item
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// `task_done` notifies at every call and `join` waits with `if`: `join` returns at the
/// first `task_done`, not the last.
pub struct JoinWithIf(pub Base);

impl QueueUnderTest for JoinWithIf {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        self.0.get()
    }
    fn task_done(&self) {
        let mut state = self.0.lock();
        state.unfinished -= 1;
        self.0.all_done.notify_all();
    }
    fn join(&self) {
        let state = self.0.lock();
        if state.unfinished > 0 {
            drop(self.0.all_done.wait(state).unwrap());
        }
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// The count of unfinished tasks is kept outside the mutex, decremented by load-then-store:
/// two `task_done`s at once lose one, and `join` waits forever.
pub struct UnfinishedOutsideTheLock {
    base: Base,
    unfinished: AtomicUsize,
}

impl UnfinishedOutsideTheLock {
    pub fn new(maxsize: usize) -> Self {
        UnfinishedOutsideTheLock {
            base: Base::new(maxsize),
            unfinished: AtomicUsize::new(0),
        }
    }
}

impl QueueUnderTest for UnfinishedOutsideTheLock {
    fn put(&self, item: usize) -> bool {
        self.unfinished.fetch_add(1, SeqCst);
        self.base.put(item)
    }
    fn get(&self) -> Option<usize> {
        self.base.get()
    }
    fn task_done(&self) {
        let left = self.unfinished.load(SeqCst) - 1;
        self.unfinished.store(left, SeqCst);
        if left == 0 {
            let _state = self.base.lock();
            self.base.all_done.notify_all();
        }
    }
    fn join(&self) {
        let mut state = self.base.lock();
        while self.unfinished.load(SeqCst) > 0 {
            state = self.base.all_done.wait(state).unwrap();
        }
    }
    fn shutdown(&self) -> bool {
        self.base.shutdown()
    }
}

/// `shutdown` wakes one waiting getter instead of all of them: the others sleep forever.
pub struct ShutdownWakesOne(pub Base);

impl QueueUnderTest for ShutdownWakesOne {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        self.0.get()
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.lock().shutdown = true;
        self.0.not_empty.notify_one();
        self.0.not_full.notify_all();
        true
    }
}

/// `get` forgets to notify "not full": on a bounded queue, a `put` waiting for room sleeps
/// forever.
pub struct GetWithoutNotFull(pub Base);

impl QueueUnderTest for GetWithoutNotFull {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        let mut state = self.0.lock();
        while state.items.is_empty() && !state.shutdown {
            state = self.0.not_empty.wait(state).unwrap();
        }
        state.items.pop_front()
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        self.0.join()
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}

/// `join` waits until the queue is *empty*, not until every task is *done*: it returns
/// while the last item is still being handled.
pub struct JoinWhenEmpty(pub Base);

impl QueueUnderTest for JoinWhenEmpty {
    fn put(&self, item: usize) -> bool {
        self.0.put(item)
    }
    fn get(&self) -> Option<usize> {
        let item = self.0.get();
        self.0.all_done.notify_all(); // the queue may be empty now
        item
    }
    fn task_done(&self) {
        self.0.task_done()
    }
    fn join(&self) {
        let mut state = self.0.lock();
        while !state.items.is_empty() {
            state = self.0.all_done.wait(state).unwrap();
        }
    }
    fn shutdown(&self) -> bool {
        self.0.shutdown()
    }
}
