//! racelab's own lock, queue and pool meet the checker's contracts
//! ([`crate::check::contracts`]): the same contracts a learner's implementation is checked
//! against.

use crate::check::contracts::lock::LockUnderTest;
use crate::check::contracts::pool::{Handler, PoolUnderTest};
use crate::check::contracts::queue::QueueUnderTest;

/// racelab's own [`Lock`](crate::checked::lock::Lock) meets the contract.
impl LockUnderTest for crate::checked::lock::Lock {
    type ReleaseError = crate::error::LockError;

    fn acquire(&self) {
        crate::checked::lock::Lock::acquire(self);
    }

    fn release(&self) -> Result<(), crate::error::LockError> {
        crate::checked::lock::Lock::release(self)
    }
}

/// racelab's own [`WorkerPool`](crate::checked::pool::WorkerPool) meets the contract.
impl PoolUnderTest for crate::checked::pool::WorkerPool<usize> {
    fn start(workers: usize, handler: Handler) -> Self {
        crate::checked::pool::WorkerPool::new(workers, 0, move |_worker, task| handler(task))
    }

    fn submit(&self, task: usize) {
        self.queue().put(task).expect("the pool's queue is open");
    }

    fn join(&self) {
        let _ = crate::checked::pool::WorkerPool::join(self);
    }

    fn shutdown(self) {
        let _ = crate::checked::pool::WorkerPool::shutdown(self);
    }
}

/// racelab's own [`TaskQueue`](crate::checked::queue::TaskQueue) meets the contract.
impl QueueUnderTest for crate::checked::queue::TaskQueue<usize> {
    fn put(&self, item: usize) -> bool {
        crate::checked::queue::TaskQueue::put(self, item).is_ok()
    }

    fn get(&self) -> Option<usize> {
        crate::checked::queue::TaskQueue::get(self).ok()
    }

    fn task_done(&self) {
        let _ = crate::checked::queue::TaskQueue::task_done(self);
    }

    fn join(&self) {
        crate::checked::queue::TaskQueue::join(self);
    }

    fn shutdown(&self) -> bool {
        crate::checked::queue::TaskQueue::shutdown(self, false);
        true
    }
}
