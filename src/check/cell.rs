//! `UnsafeCell`, shaped like loom's: non-atomic shared memory whose **data races** a check
//! finds.
//!
//! Code that shares plain data between threads through `std::cell::UnsafeCell` (a hand-made
//! lock, a lock-free queue's slots, a `static mut` behind a flag) is only correct if every
//! two accesses from different threads, at least one a write, are ordered by
//! *happens-before* — by a mutex, a join, or an atomic that synchronises. Otherwise it has a
//! **data race**: undefined behaviour in Rust, whatever values it happens to see. Write
//! such code with this `UnsafeCell`, and reach the data through [`UnsafeCell::with`]
//! (reads) and [`UnsafeCell::with_mut`] (writes): every execution the check explores then
//! checks each access against the other threads' accesses, and the first that is not
//! ordered ends the execution as [`Ending::DataRace`](crate::check::Ending::DataRace), with
//! both accesses named by thread and line, and the witness showing them.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::check::cell::UnsafeCell;
//! use racelab::check::sync::Arc;
//! use racelab::check::sync::atomic::{AtomicBool, Ordering};
//! use racelab::check::{Ending, check, thread};
//!
//! // Data published with a flag: the flag's store must release and its load acquire.
//! struct Shared {
//!     data: UnsafeCell<u64>,
//!     ready: AtomicBool,
//! }
//! unsafe impl Sync for Shared {}
//!
//! let publish = |store: Ordering, load: Ordering| {
//!     check(move || {
//!         let shared = Arc::new(Shared { data: UnsafeCell::new(0), ready: AtomicBool::new(false) });
//!         let writer = {
//!             let shared = Arc::clone(&shared);
//!             thread::spawn(move || {
//!                 shared.data.with_mut(|p| unsafe { *p = 42 });
//!                 shared.ready.store(true, store);
//!             })
//!         };
//!         let seen = if shared.ready.load(load) {
//!             Some(shared.data.with(|p| unsafe { *p }))
//!         } else {
//!             None
//!         };
//!         writer.join().unwrap();
//!         seen
//!     })
//!     .run()
//! };
//! let relaxed = publish(Ordering::Relaxed, Ordering::Relaxed);
//! assert!(relaxed.rows.iter().any(|r| matches!(r.ending, Ending::DataRace(_))));
//! let release_acquire = publish(Ordering::Release, Ordering::Acquire);
//! assert!(release_acquire.passed() && release_acquire.coverage.is_exhaustive());
//! ```
//!
//! Cell accesses are not switch points: until a program's first race, a read sees the one
//! write that happens before it last, so the accesses add nothing the search must order
//! (see `rt::race` for why the exhaustive search still meets every race). Under a plain
//! shuttle scheduler (no racelab engine) the cell is a plain `UnsafeCell`.

use std::panic::Location;

use super::rt::cell::CellAccess;
use super::rt::objects::Slot;
use super::rt::{self};

/// A non-atomic memory cell whose accesses a check watches for data races (see the module
/// docs). Like `std::cell::UnsafeCell`, it is not `Sync`: share it inside a type of your own
/// that is, as code built on `std::cell::UnsafeCell` does.
pub struct UnsafeCell<T: ?Sized> {
    name: Option<&'static str>,
    slot: Slot,
    data: std::cell::UnsafeCell<T>,
}

impl<T> UnsafeCell<T> {
    /// A cell holding `value`.
    pub const fn new(value: T) -> Self {
        UnsafeCell {
            name: None,
            slot: Slot::new(),
            data: std::cell::UnsafeCell::new(value),
        }
    }

    /// Names the cell in traces and reports (otherwise `cell#1`, `cell#2`, ...).
    pub fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    /// The value, when nobody else can reach the cell.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Reads the cell: calls `f` with a pointer to its value. The access is checked against
    /// every other thread's writes of the cell; reading through the pointer after `f`
    /// returns is not.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        self.access(false, Location::caller());
        f(self.data.get())
    }

    /// Writes the cell: calls `f` with a mutable pointer to its value. The access is checked
    /// against every other thread's reads and writes of the cell.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        self.access(true, Location::caller());
        f(self.data.get())
    }

    /// The value, through a unique borrow (no other thread can reach it: not checked).
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    fn access(&self, write: bool, at: &'static Location<'static>) {
        if !rt::has_engine() || !rt::in_execution() {
            return;
        }
        if rt::unwinding() {
            // Not checked (see `rt::spawn`: the thread's panic then ends the execution).
            rt::with_engine(|e| e.skipped_while_unwinding());
            return;
        }
        let next = rt::with_engine(|e| e.access_cell(&self.slot, self.name, write, at));
        if next == Some(CellAccess::End) {
            // The execution ends here: the scheduler sees its ending at this switch.
            shuttle_engine::runtime::thread::switch();
        }
    }
}

impl<T: Default> Default for UnsafeCell<T> {
    fn default() -> Self {
        UnsafeCell::new(T::default())
    }
}

impl<T> From<T> for UnsafeCell<T> {
    fn from(value: T) -> Self {
        UnsafeCell::new(value)
    }
}

impl<T: ?Sized> std::fmt::Debug for UnsafeCell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsafeCell").finish_non_exhaustive()
    }
}
