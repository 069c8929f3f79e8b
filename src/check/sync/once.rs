//! `Once`, shaped like `std::sync::Once`: runs an initialisation exactly once, however many
//! threads ask, and makes every caller wait until it has run.
//!
//! **Built on racelab's [`Mutex`](super::Mutex) and [`Condvar`](super::Condvar)**, not known
//! to the engine natively: the state (not run, running, done) is data under a modelled
//! mutex, and a caller that finds it running waits on a modelled condition variable. So
//! `call_once` and `is_completed` are each a few modelled operations even when the work is
//! done (`std`'s fast path is one acquire load), and a check may take more executions than
//! with a primitive the engine knew natively. The closure runs with the mutex released, so
//! what it does races with the other threads as in `std`.
//!
//! **Poisoning** follows `std`: if the closure panics, the `Once` is poisoned and a later
//! `call_once` panics. A panic ends a checked execution, though, so this is seen only by
//! code that catches the panic, and only by calls that start after it (a caller already
//! waiting is not woken). `call_once_force` runs the closure even on a poisoned `Once`, and
//! tells it so through [`OnceState`].

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use super::composite::{lock, wait};
use super::condvar::Condvar;
use super::mutex::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Incomplete,
    Running,
    Complete,
}

#[derive(Debug)]
struct State {
    status: Status,
    waiters: usize,
}

/// Runs one initialisation once (see the module docs).
pub struct Once {
    state: Mutex<State>,
    done: Condvar,
    /// Set while unwinding out of the closure (a modelled step cannot be taken then).
    poisoned: AtomicBool,
}

/// Sets the poison flag if dropped while the closure unwinds.
struct PoisonOnUnwind<'a>(&'a AtomicBool);

impl Drop for PoisonOnUnwind<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl Once {
    /// A `Once` that has not run.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Once {
            state: Mutex::new(State {
                status: Status::Incomplete,
                waiters: 0,
            }),
            done: Condvar::new(),
            poisoned: AtomicBool::new(false),
        }
    }

    /// Runs `f` if no call has run one yet; otherwise waits until the one that runs has
    /// finished. Panics if a closure passed earlier panicked (the `Once` is poisoned).
    #[track_caller]
    pub fn call_once<F: FnOnce()>(&self, f: F) {
        self.run(false, |_| f());
    }

    /// Like [`call_once`](Self::call_once), but runs `f` even if an earlier closure
    /// panicked (the `Once` is poisoned), telling it so through its [`OnceState`].
    #[track_caller]
    pub fn call_once_force<F: FnOnce(&OnceState)>(&self, f: F) {
        self.run(true, f);
    }

    #[track_caller]
    fn run<F: FnOnce(&OnceState)>(&self, force: bool, f: F) {
        let mut state = lock(&self.state);
        loop {
            if state.status == Status::Complete {
                return;
            }
            let poisoned = self.poisoned.load(Ordering::Relaxed);
            if poisoned && !force {
                panic!("Once instance has previously been poisoned");
            }
            if poisoned && state.status == Status::Running {
                // The closure that ran panicked: this call runs it again.
                break;
            }
            if state.status == Status::Incomplete {
                break;
            }
            state.waiters += 1;
            state = wait(&self.done, state);
            state.waiters -= 1;
        }
        state.status = Status::Running;
        drop(state);
        let once_state = OnceState {
            poisoned: self.poisoned.swap(false, Ordering::Relaxed),
        };
        let poison = PoisonOnUnwind(&self.poisoned);
        f(&once_state);
        std::mem::forget(poison);
        let mut state = lock(&self.state);
        state.status = Status::Complete;
        if state.waiters > 0 {
            self.done.notify_all();
        }
    }

    /// Whether a `call_once` has finished running its closure.
    #[track_caller]
    pub fn is_completed(&self) -> bool {
        lock(&self.state).status == Status::Complete
    }
}

/// What [`Once::call_once_force`]'s closure is told (like `std::sync::OnceState`).
#[derive(Debug)]
pub struct OnceState {
    poisoned: bool,
}

impl OnceState {
    /// Whether an earlier closure of this `Once` panicked.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once").finish_non_exhaustive()
    }
}
