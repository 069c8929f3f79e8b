//! `OnceLock`, shaped like `std::sync::OnceLock`: a cell written at most once, by whichever
//! thread gets there first, and read by all.
//!
//! **Built on racelab's [`Mutex`](super::Mutex) and [`Condvar`](super::Condvar)**, not known
//! to the engine natively: whether the cell is empty, being initialised or full is data
//! under a modelled mutex, and a thread that finds it being initialised waits on a modelled
//! condition variable; the value itself lives in a `std::sync::OnceLock` that only the
//! thread the model elected writes. So `get`, `set` and `get_or_init` are each a few
//! modelled operations even when the cell is full (`std`'s fast path is one acquire load),
//! and a check may take more executions than with a primitive the engine knew natively.
//!
//! **As in `std`:** `get` never waits (it sees `None` while another thread initialises);
//! `set` and `get_or_init` wait for an initialisation under way, and exactly one `set` or
//! initialiser of a race wins. The initialiser runs with the mutex released. An
//! initialiser that panics leaves the cell empty and wakes the callers waiting for it, one
//! of which then runs its own (the panic is caught inside `get_or_init` for the few
//! modelled steps that do this, then resumed). `get_or_try_init` (unstable in `std`) is not
//! provided.
//!
//! **Fresh in every execution**, also in a `static`: an execution that is not the first to
//! use an empty-made cell gets an empty one (see `rt::fresh`). A cell made full
//! (`OnceLock::from`) keeps its one value: racelab cannot copy it.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use super::composite::{lock, wait};
use super::condvar::Condvar;
use super::mutex::Mutex;
use crate::check::rt::fresh::Fresh;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Empty,
    Initializing,
    Full,
}

#[derive(Debug)]
struct State {
    status: Status,
    waiters: usize,
    /// A `LazyLock`'s initialiser panicked: every later use panics (never set for a
    /// plain `OnceLock`, whose next caller runs its own closure).
    poisoned: bool,
}

/// A cell written at most once (see the module docs).
pub struct OnceLock<T> {
    own: Inner<T>,
    fresh: Fresh,
    /// Made full (`From`): it keeps its own state, whichever execution uses it (racelab
    /// cannot make another copy of the value).
    made_full: bool,
}

/// A `OnceLock`'s state in one execution.
struct Inner<T> {
    state: Mutex<State>,
    filled: Condvar,
    value: std::sync::OnceLock<T>,
}

impl<T> Inner<T> {
    const fn new() -> Self {
        Inner {
            state: Mutex::new(State {
                status: Status::Empty,
                waiters: 0,
                poisoned: false,
            }),
            filled: Condvar::new(),
            value: std::sync::OnceLock::new(),
        }
    }
}

impl<T> OnceLock<T> {
    /// An empty cell.
    pub const fn new() -> Self {
        OnceLock {
            own: Inner::new(),
            fresh: Fresh::new(),
            made_full: false,
        }
    }

    /// Its state in the running execution (empty-made cells start empty in every one).
    fn inner(&self) -> &Inner<T> {
        if self.made_full {
            &self.own
        } else {
            self.fresh.state(&self.own, Inner::new)
        }
    }

    /// The same, through a unique borrow.
    fn inner_mut(&mut self) -> &mut Inner<T> {
        if self.made_full {
            return &mut self.own;
        }
        self.fresh.state_mut(&mut self.own, Inner::new)
    }

    /// The value, if the cell is full now (never waits).
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        let this = self.inner();
        let full = lock(&this.state).status == Status::Full;
        if full { this.value.get() } else { None }
    }

    /// Fills the cell with `value` if it is empty (waiting for an initialisation under
    /// way); gives `value` back if the cell was or got full otherwise.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, computing it with `f` if the cell is empty; waits while another thread
    /// computes it. Of racing callers exactly one runs its `f`.
    #[track_caller]
    pub fn get_or_init<F: FnOnce() -> T>(&self, f: F) -> &T {
        self.initialise(false, f)
    }

    /// [`get_or_init`](Self::get_or_init) for a `LazyLock`: if `f` panics, the cell is
    /// poisoned, and every later caller panics instead of running its own.
    #[track_caller]
    pub(crate) fn get_or_init_once<F: FnOnce() -> T>(&self, f: F) -> &T {
        self.initialise(true, f)
    }

    #[track_caller]
    fn initialise<F: FnOnce() -> T>(&self, poison: bool, f: F) -> &T {
        let this = self.inner();
        let mut state = lock(&this.state);
        loop {
            match state.status {
                Status::Full => {
                    drop(state);
                    return this.value.get().expect("the model says the cell is full");
                }
                Status::Empty if state.poisoned => {
                    drop(state);
                    panic!("LazyLock instance has previously been poisoned");
                }
                Status::Initializing => {
                    state.waiters += 1;
                    state = wait(&this.filled, state);
                    state.waiters -= 1;
                }
                Status::Empty => break,
            }
        }
        state.status = Status::Initializing;
        drop(state);
        let made = catch_unwind(AssertUnwindSafe(f));
        let mut state = lock(&this.state);
        let value = match made {
            Ok(value) => value,
            Err(panic) => {
                state.status = Status::Empty;
                state.poisoned = poison;
                if state.waiters > 0 {
                    this.filled.notify_all();
                }
                drop(state);
                resume_unwind(panic);
            }
        };
        if this.value.set(value).is_err() {
            unreachable!("the model elected this thread to fill the cell");
        }
        state.status = Status::Full;
        if state.waiters > 0 {
            this.filled.notify_all();
        }
        drop(state);
        this.value.get().expect("just filled")
    }

    /// The value, through a unique borrow (no modelled step).
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.inner_mut().value.get_mut()
    }

    /// The value, if the cell is full.
    pub fn into_inner(mut self) -> Option<T> {
        self.take()
    }

    /// Empties the cell, giving its value back.
    pub fn take(&mut self) -> Option<T> {
        let this = self.inner_mut();
        let state = this
            .state
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.status = Status::Empty;
        this.value.take()
    }
}

impl<T> Default for OnceLock<T> {
    fn default() -> Self {
        OnceLock::new()
    }
}

impl<T> From<T> for OnceLock<T> {
    /// A full cell.
    fn from(value: T) -> Self {
        OnceLock {
            own: Inner {
                state: Mutex::new(State {
                    status: Status::Full,
                    waiters: 0,
                    poisoned: false,
                }),
                filled: Condvar::new(),
                value: std::sync::OnceLock::from(value),
            },
            fresh: Fresh::new(),
            made_full: true,
        }
    }
}

impl<T> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the cell would be an operation of its own.
        f.debug_struct("OnceLock").finish_non_exhaustive()
    }
}
