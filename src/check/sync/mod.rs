//! Synchronisation for code under a check, shaped like `std::sync`: [`Mutex`],
//! [`Condvar`], [`atomic`], and `std`'s own [`Arc`] (reference counts are not shared state a
//! schedule can change).
//!
//! Write the code to check with these instead of `std::sync` (a `use` away: the names and
//! signatures are `std`'s). Every operation on them is a point where another thread may run,
//! and racelab knows what each one touches, which is what lets it explore every order that
//! can make a difference, and say who waits for whom when nothing can run.

pub mod atomic;
pub(crate) mod condvar;
pub(crate) mod mutex;

pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult};
