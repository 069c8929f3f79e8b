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
//!
//! **Fresh in every execution**, also in a `static`: each execution that is not the first
//! to use it computes the value again, as a fresh process would; like `std`, racelab
//! never drops a `static`'s value (see `rt::fresh`: so a body may return a reference into
//! it). So a `static LazyLock<Mutex<T>>` is the way to share a lock through a `static`: a
//! `static Mutex` made with `const` `Mutex::new` keeps its data from one execution to the
//! next (the report says so). **Unlike `std`, the initialiser is `Fn`**, not `FnOnce`,
//! since it may run once per execution, and it is shared, so a `LazyLock` is `Sync` only if
//! it is too: a `static`'s (a `fn`, or a closure without captures) always is both.

use std::fmt;
use std::ops::Deref;

use super::once_lock::OnceLock;

/// A value computed on first use (see the module docs).
///
/// In a `static`, it is computed again in every execution, so a lock shared through a
/// `static` starts every execution afresh:
///
/// ```
/// use racelab::check::sync::{LazyLock, Mutex};
/// use racelab::check::{check, thread};
///
/// static TOTAL: LazyLock<Mutex<u32>> = LazyLock::new(|| Mutex::new(0));
///
/// let report = check(|| {
///     let t = thread::spawn(|| *TOTAL.lock().unwrap() += 1);
///     *TOTAL.lock().unwrap() += 1;
///     t.join().unwrap();
///     *TOTAL.lock().unwrap()
/// })
/// .expect(|&total| total == 2)
/// .run();
/// assert!(report.passed() && report.coverage.is_exhaustive(), "{report}");
/// ```
pub struct LazyLock<T, F = fn() -> T> {
    cell: OnceLock<T>,
    init: F,
}

impl<T, F: Fn() -> T> LazyLock<T, F> {
    /// A value that `f` will compute on first use (in every execution).
    pub const fn new(f: F) -> Self {
        LazyLock {
            cell: OnceLock::new(),
            init: f,
        }
    }

    /// The value, computing it first if nobody has (waiting while another thread does).
    #[track_caller]
    pub fn force(this: &LazyLock<T, F>) -> &T {
        this.cell.get_or_init_once(&this.init)
    }
}

impl<T, F: Fn() -> T> Deref for LazyLock<T, F> {
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
