//! One TruSt search shared by several worker threads (issue 23): work stealing at the
//! granularity of TruSt's frames.
//!
//! A frame below the top of a worker's stack (see [`super::trust`]) is frozen: the search
//! only comes back to it once every frame above it is explored, and then goes on from its
//! graph and its list of revisits still to try, which nothing above it changes. So it can be
//! explored anywhere else, by another worker, with exactly the executions the serial search
//! would run from it. A worker gives its bottom frame away when another worker is waiting
//! (between two executions, so no graph is half run); a worker whose stack is empty takes a
//! frame, or waits; when every worker waits and no frame is left, the search is over.
//!
//! Invariants: every frame is on exactly one worker's stack or in the pool; the executions
//! of a shared search are the serial search's executions, each run once (so the outcome
//! table and its counts are the serial ones; the merge in `run::phases` makes the rest of
//! the report independent of which worker ran what).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The frames waiting for a worker, and who waits (`Frame`: TruSt's frames; generic so
/// that this file needs nothing from the search's).
#[derive(Debug)]
pub(crate) struct Share<Frame> {
    workers: usize,
    state: Mutex<State<Frame>>,
    ready: Condvar,
    /// Workers waiting for a frame, and frames in the pool (read without the lock,
    /// between executions).
    waiting: AtomicUsize,
    pooled: AtomicUsize,
    /// The search is over for everyone: explored, or stopped (a budget, a bug found, a
    /// weaker ordering, an object shared between executions, a panic).
    stopped: AtomicBool,
    /// Frames given away, over the whole search.
    pub(crate) given: AtomicUsize,
}

#[derive(Debug)]
struct State<Frame> {
    frames: Vec<Frame>,
    idle: usize,
}

impl<Frame> Share<Frame> {
    pub(crate) fn new(workers: usize) -> Self {
        Share {
            workers: workers.max(1),
            state: Mutex::new(State {
                frames: Vec::new(),
                idle: 0,
            }),
            ready: Condvar::new(),
            waiting: AtomicUsize::new(0),
            pooled: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            given: AtomicUsize::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, State<Frame>> {
        // A worker that panicked stops the search (see `Leave`); the frames stay valid.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether more workers wait for a frame than the pool holds.
    pub(crate) fn hungry(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > self.pooled.load(Ordering::Relaxed)
            && !self.is_stopped()
    }

    /// Gives `frame` to a waiting worker.
    pub(crate) fn give(&self, frame: Frame) {
        let mut state = self.state();
        state.frames.push(frame);
        self.pooled.fetch_add(1, Ordering::Relaxed);
        self.given.fetch_add(1, Ordering::Relaxed);
        drop(state);
        self.ready.notify_one();
    }

    /// A frame to explore, waiting until one is given; `None` when the search is over.
    pub(crate) fn take(&self) -> Option<Frame> {
        let mut state = self.state();
        loop {
            if self.is_stopped() {
                return None;
            }
            if let Some(frame) = state.frames.pop() {
                self.pooled.fetch_sub(1, Ordering::Relaxed);
                return Some(frame);
            }
            state.idle += 1;
            if state.idle == self.workers {
                // Nobody works, nothing is left: explored.
                drop(state);
                self.stop();
                return None;
            }
            self.waiting.fetch_add(1, Ordering::Relaxed);
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            state.idle -= 1;
        }
    }

    /// Ends the search for every worker.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        let _state = self.state();
        self.ready.notify_all();
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }
}
