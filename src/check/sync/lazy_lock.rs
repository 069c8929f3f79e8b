//! `LazyLock`, shaped like `std::sync::LazyLock`: a value computed by its first user.
//!
//! **Built on racelab's [`OnceLock`](super::OnceLock)** (itself a modelled
//! [`Mutex`](super::Mutex) and [`Condvar`](super::Condvar)), as `std` builds it on its
//! `Once`: every dereference is a few modelled operations, even once the value is there, so
//! a check may take more executions than with a primitive the engine knew natively. Of
//! racing first users exactly one runs the initialiser; the others wait for it.
//!
//! A panicking initialiser poisons the `LazyLock`, as in `std`: the users waiting for it
//! and every later one panic.
//! A `static` `LazyLock` keeps its value from one execution to the next: build it inside
//! the checked body instead.

use std::fmt;
use std::ops::Deref;
use std::sync::PoisonError;

use super::once_lock::OnceLock;

/// A value computed on first use (see the module docs).
pub struct LazyLock<T, F = fn() -> T> {
    cell: OnceLock<T>,
    /// Taken by the one thread that runs it (never contended: the cell elects one).
    init: std::sync::Mutex<Option<F>>,
}

impl<T, F: FnOnce() -> T> LazyLock<T, F> {
    /// A value that `f` will compute on first use.
    pub const fn new(f: F) -> Self {
        LazyLock {
            cell: OnceLock::new(),
            init: std::sync::Mutex::new(Some(f)),
        }
    }

    /// The value, computing it first if nobody has (waiting while another thread does).
    #[track_caller]
    pub fn force(this: &LazyLock<T, F>) -> &T {
        this.cell.get_or_init(|| {
            let f = this
                .init
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            match f {
                Some(f) => f(),
                None => panic!("LazyLock instance has previously been poisoned"),
            }
        })
    }
}

impl<T, F: FnOnce() -> T> Deref for LazyLock<T, F> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        LazyLock::force(self)
    }
}

impl<T: Default> Default for LazyLock<T> {
    fn default() -> Self {
        LazyLock::new(T::default)
    }
}

impl<T, F> fmt::Debug for LazyLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reading the cell would be an operation of its own.
        f.debug_struct("LazyLock").finish_non_exhaustive()
    }
}
