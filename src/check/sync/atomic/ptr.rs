//! `AtomicPtr`. Under racelab's engine the graph holds pointer *ids*, the same in every
//! execution, instead of addresses, which each execution allocates afresh (see
//! `rt::pointers`); every operation turns its pointers into ids and back.

use std::fmt;
use std::sync::atomic::AtomicBool as StdBool;

use super::Ordering;
use super::base::Core;
use crate::check::rt::graph::RmwOp;
use crate::check::rt::{self};

/// An atomic raw pointer (like `std::sync::atomic::AtomicPtr`). Comparisons
/// (`compare_exchange`) compare addresses, as in `std`.
pub struct AtomicPtr<T> {
    core: Core,
    init: *mut T,
    /// Whether `init` was handed to the core (a `const fn` cannot take an address).
    started: StdBool,
}

// SAFETY: as `std::sync::atomic::AtomicPtr`: the atomic only holds the pointer, it never
// dereferences it.
unsafe impl<T> Send for AtomicPtr<T> {}
// SAFETY: as above; every access goes through the core's atomics or the model.
unsafe impl<T> Sync for AtomicPtr<T> {}

#[cfg(not(target_pointer_width = "64"))]
compile_error!("racelab's AtomicPtr needs a 64-bit target");

fn addr<T>(p: *mut T) -> u64 {
    p.expose_provenance() as u64
}

fn ptr<T>(addr: u64) -> *mut T {
    std::ptr::with_exposed_provenance_mut(addr as usize)
}

impl<T> AtomicPtr<T> {
    /// A new atomic holding `p`.
    pub const fn new(p: *mut T) -> Self {
        AtomicPtr {
            core: Core::pointer(),
            init: p,
            started: StdBool::new(false),
        }
    }

    /// Names the atomic in traces and reports (otherwise `atomic#1`, ...).
    pub fn named(self, name: &'static str) -> Self {
        AtomicPtr {
            core: self.core.named(name),
            ..self
        }
    }

    fn start(&self) {
        if !self.started.swap(true, Ordering::Relaxed) {
            self.core.start(addr(self.init));
        }
    }

    /// A pointer as the value the core takes: its id under the engine, its address else.
    fn value(&self, p: *mut T) -> u64 {
        self.start();
        let a = addr(p);
        if rt::has_engine() {
            rt::pointer_id(a as usize, self.core.init_addr()).unwrap_or(a)
        } else {
            a
        }
    }

    /// A value the core returned, as a pointer.
    fn pointer(&self, v: u64) -> *mut T {
        if rt::has_engine() {
            ptr(rt::pointer_addr(v, self.core.init_addr()) as u64)
        } else {
            ptr(v)
        }
    }

    /// Reads the pointer.
    #[track_caller]
    pub fn load(&self, order: Ordering) -> *mut T {
        self.start();
        self.pointer(self.core.load(order))
    }

    /// Writes `p`.
    #[track_caller]
    pub fn store(&self, p: *mut T, order: Ordering) {
        let v = self.value(p);
        self.core.store(v, order);
    }

    /// Writes `p`, returns the pointer before.
    #[track_caller]
    pub fn swap(&self, p: *mut T, order: Ordering) -> *mut T {
        let v = self.value(p);
        self.pointer(self.core.fetch(RmwOp::Swap, v, order))
    }

    /// Writes `new` if the pointer is `current`; returns the pointer found, as `Ok` when it
    /// was `current`.
    #[track_caller]
    pub fn compare_exchange(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        self.exchange(current, new, success, failure, false)
    }

    /// Like [`compare_exchange`](Self::compare_exchange), but it may fail although the
    /// pointer is `current`, as in std: in a check only with
    /// [`Check::spurious_failures`](crate::check::Check::spurious_failures).
    #[track_caller]
    pub fn compare_exchange_weak(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        self.exchange(current, new, success, failure, true)
    }

    #[track_caller]
    fn exchange(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
        weak: bool,
    ) -> Result<*mut T, *mut T> {
        let (current, new) = (self.value(current), self.value(new));
        self.core
            .compare_exchange(current, new, success, failure, weak)
            .map(|v| self.pointer(v))
            .map_err(|v| self.pointer(v))
    }

    /// Applies `f` until it returns `None` or the update succeeds: a load, then a
    /// `compare_exchange_weak` per attempt, as `std` does.
    #[track_caller]
    pub fn fetch_update<F>(
        &self,
        set_order: Ordering,
        fetch_order: Ordering,
        mut f: F,
    ) -> Result<*mut T, *mut T>
    where
        F: FnMut(*mut T) -> Option<*mut T>,
    {
        let mut prev = self.load(fetch_order);
        while let Some(next) = f(prev) {
            match self.compare_exchange_weak(prev, next, set_order, fetch_order) {
                x @ Ok(_) => return x,
                Err(next_prev) => prev = next_prev,
            }
        }
        Err(prev)
    }

    /// The pointer, through a unique borrow (not a switch point).
    pub fn get_mut(&mut self) -> &mut *mut T {
        self.start();
        let v: &mut u64 = self.core.get_mut();
        // SAFETY: on a 64-bit target a `u64` and a pointer have the same size and
        // alignment, and the core holds an address here (`Core::latest` turns ids back).
        unsafe { &mut *(v as *mut u64 as *mut *mut T) }
    }

    /// The pointer (not a switch point).
    pub fn into_inner(self) -> *mut T {
        self.start();
        ptr(self.core.latest())
    }
}

impl<T> Default for AtomicPtr<T> {
    fn default() -> Self {
        AtomicPtr::new(std::ptr::null_mut())
    }
}

impl<T> From<*mut T> for AtomicPtr<T> {
    fn from(p: *mut T) -> Self {
        AtomicPtr::new(p)
    }
}

impl<T> fmt::Debug for AtomicPtr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not a load: printing must not add a step.
        f.debug_tuple("AtomicPtr").finish_non_exhaustive()
    }
}
