//! Synchronisation for code under a check, shaped like `std::sync`: [`Mutex`],
//! [`Condvar`], [`atomic`], [`mpsc`], [`RwLock`], [`Barrier`], [`Once`], [`OnceLock`],
//! [`LazyLock`], and `std`'s own [`Arc`] and [`Weak`] (reference counts are not shared state
//! a schedule can change).
//!
//! Write the code to check with these instead of `std::sync` (a `use` away: the names and
//! signatures are `std`'s). Every operation on them is a point where another thread may run,
//! and racelab knows what each one touches, which is what lets it explore every order that
//! can make a difference, and say who waits for whom when nothing can run.
//!
//! [`Mutex`], [`Condvar`] and the atomics are known to the engine. [`mpsc`], [`RwLock`],
//! [`Barrier`], [`Once`], [`OnceLock`] and [`LazyLock`] are built on them: their state is
//! data under a modelled `Mutex`, and they block on a modelled `Condvar`, so every point
//! where they block or are seen by another thread is one of those operations and their
//! orders are explored, at the price of a few operations each (a check may take more
//! executions than with primitives the engine knew natively; a deadlock shows their waiters
//! waiting on a condition variable). What of `std` they do not reproduce:
//!
//! * no clock: a timeout ([`mpsc::Receiver::recv_timeout`], [`Condvar::wait_timeout`])
//!   may fire at any moment of the wait, and both it and the wake-up are explored; a loop
//!   that retries on a timeout is cut as a polling loop (see the coverage's assumptions);
//! * spurious wake-ups only with `Check::spurious_wakeups` (every wait is in a loop, as in
//!   `std`), and no fairness: which waiter goes first is explored;
//! * [`RwLock`] prefers writers, as `std` does on Linux (a reader waits while a writer
//!   waits): other platforms' policies are not explored;
//! * a thread takes no step while it unwinds a panic. A [`Mutex`] or [`RwLock`] guard, an
//!   [`mpsc`] sender or receiver, or an atomic store, dropped or taken on the way, is
//!   released or stored (and a lock poisoned, as in `std`) as the thread's next steps once
//!   it stops unwinding, which keeps the program's order of operations. Any other
//!   operation on the way (a load or read-modify-write of an atomic, a cell access) is
//!   not: such a panic ends the execution as a panic row that says so. A closure of `Once`,
//!   `OnceLock` or `LazyLock` that panics is not affected: its panic is caught for the few
//!   steps that poison (or empty) the primitive and wake its waiters, as `std` does, and
//!   then resumed;
//! * [`Once`], [`OnceLock`] and [`LazyLock`] start afresh in every execution, also in a
//!   `static` (a `LazyLock`'s initialiser runs again, so it is `Fn` where `std`'s is
//!   `FnOnce`); as in `std`, a `static`'s value is never dropped (see [`LazyLock`]);
//! * the unstable `OnceLock::get_or_try_init` and
//!   `Receiver::recv_deadline`, are not provided; `Once`, `OnceLock` and `LazyLock` take
//!   the modelled mutex even once initialised (`std`'s fast path is one acquire load).
//!
//! [`Weak`] is `std`'s: `Arc::downgrade` and `Weak::upgrade` are not switch points, so a
//! race between dropping the last `Arc` and upgrading a `Weak` is explored only as far as
//! the modelled operations around them order it.

pub mod atomic;
pub(crate) mod barrier;
pub(crate) mod composite;
pub(crate) mod condvar;
pub(crate) mod lazy_lock;
pub mod mpsc;
pub(crate) mod mutex;
pub(crate) mod once;
pub(crate) mod once_lock;
pub(crate) mod rwlock;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use lazy_lock::LazyLock;
pub use mutex::{Mutex, MutexGuard};
pub use once::{Once, OnceState};
pub use once_lock::OnceLock;
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult, Weak};
