//! `Barrier`, shaped like `std::sync::Barrier`: `n` threads wait until all `n` have come,
//! then all go on; exactly one of them is told it is the leader. It can be used again: the
//! next `n` waits make the next generation.
//!
//! **Built on racelab's [`Mutex`](super::Mutex) and [`Condvar`](super::Condvar)**, not known
//! to the engine natively, exactly as `std` builds it: a count and a generation number
//! under a modelled mutex, and a modelled condition variable the early comers wait on. Each
//! `wait` is a few modelled operations, so a check may take more executions than with a
//! primitive the engine knew natively. The leader is the last thread to come, as in `std`
//! (which `std` does not promise); which thread comes last is explored. Waits never wake
//! spuriously. A barrier that too few threads reach is a deadlock, with every waiter shown
//! waiting on the barrier's condition variable.

use std::fmt;

use super::composite::{lock, wait};
use super::condvar::Condvar;
use super::mutex::Mutex;

#[derive(Debug)]
struct State {
    /// Threads waiting in this generation.
    count: usize,
    generation: usize,
}

/// Lets `n` threads wait for each other (see the module docs).
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    all_came: Condvar,
}

/// What [`Barrier::wait`] returns: whether this thread is the generation's leader.
#[derive(Debug)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Whether this thread is the leader: exactly one per generation.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `n` threads (0 and 1 let every thread through at once, as the leader).
    pub const fn new(n: usize) -> Self {
        Barrier {
            parties: n,
            state: Mutex::new(State {
                count: 0,
                generation: 0,
            }),
            all_came: Condvar::new(),
        }
    }

    /// Waits until `n` threads have called `wait` in this generation; the last to come is
    /// the leader and wakes the others.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let mut state = lock(&self.state);
        let generation = state.generation;
        state.count += 1;
        if state.count < self.parties {
            while generation == state.generation {
                state = wait(&self.all_came, state);
            }
            BarrierWaitResult(false)
        } else {
            state.count = 0;
            state.generation += 1;
            if self.parties > 1 {
                self.all_came.notify_all();
            }
            BarrierWaitResult(true)
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier").finish_non_exhaustive()
    }
}
