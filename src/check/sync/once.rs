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
//! **Poisoning** follows `std`: if the closure panics, the `Once` is poisoned, the callers
//! waiting for it are woken, and they (and every later `call_once`) panic too;
//! `call_once_force` runs its closure even on a poisoned `Once`, and tells it so through
//! [`OnceState`]. The panic is caught inside `call_once` for the few modelled steps that
//! poison the `Once` and wake the waiters (a thread takes no step while it unwinds), then
//! resumed.
//!
//! **Fresh in every execution**, also in a `static`: an execution that is not the first to
//! use the `Once` gets one that has not run (see `rt::fresh`).

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use super::composite::{lock, wait};
use super::condvar::Condvar;
use super::mutex::Mutex;
use crate::check::rt::fresh::Fresh;

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
    /// A closure panicked, and none has completed since (the status is then `Incomplete`).
    poisoned: bool,
}

/// Runs one initialisation once (see the module docs).
pub struct Once {
    own: Inner,
    fresh: Fresh,
}

/// A `Once`'s state in one execution.
struct Inner {
    state: Mutex<State>,
    done: Condvar,
}

impl Inner {
    const fn new() -> Self {
        Inner {
            state: Mutex::new(State {
                status: Status::Incomplete,
                waiters: 0,
                poisoned: false,
            }),
            done: Condvar::new(),
        }
    }
}

impl Once {
    /// A `Once` that has not run.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Once {
            own: Inner::new(),
            fresh: Fresh::new(),
        }
    }

    /// Its state in the running execution.
    fn inner(&self) -> &Inner {
        self.fresh.state(&self.own, Inner::new)
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
        let this = self.inner();
        let mut state = lock(&this.state);
        loop {
            match state.status {
                Status::Complete => return,
                Status::Incomplete if state.poisoned && !force => {
                    drop(state);
                    panic!("Once instance has previously been poisoned");
                }
                Status::Incomplete => break,
                Status::Running => {
                    state.waiters += 1;
                    state = wait(&this.done, state);
                    state.waiters -= 1;
                }
            }
        }
        state.status = Status::Running;
        let once_state = OnceState {
            poisoned: state.poisoned,
        };
        drop(state);
        let ran = catch_unwind(AssertUnwindSafe(|| f(&once_state)));
        let mut state = lock(&this.state);
        state.poisoned = ran.is_err();
        state.status = match ran {
            Ok(()) => Status::Complete,
            Err(_) => Status::Incomplete,
        };
        if state.waiters > 0 {
            this.done.notify_all();
        }
        drop(state);
        if let Err(panic) = ran {
            resume_unwind(panic);
        }
    }

    /// Whether a `call_once` has finished running its closure.
    #[track_caller]
    pub fn is_completed(&self) -> bool {
        lock(&self.inner().state).status == Status::Complete
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
