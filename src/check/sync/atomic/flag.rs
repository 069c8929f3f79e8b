//! `AtomicBool`.

use std::fmt;

use super::Ordering;
use super::base::Core;
use crate::check::rt::graph::RmwOp;

/// An atomic `bool`.
pub struct AtomicBool {
    core: Core,
}

impl AtomicBool {
    /// A new atomic holding `value`.
    pub const fn new(value: bool) -> Self {
        AtomicBool {
            core: Core::new(value as u64, 1, false),
        }
    }

    /// Names the atomic in traces and reports (otherwise `atomic#1`, ...).
    pub fn named(self, name: &'static str) -> Self {
        AtomicBool {
            core: self.core.named(name),
        }
    }

    /// Reads the value.
    #[track_caller]
    pub fn load(&self, order: Ordering) -> bool {
        self.core.load(order) != 0
    }

    /// Writes `value`.
    #[track_caller]
    pub fn store(&self, value: bool, order: Ordering) {
        self.core.store(u64::from(value), order)
    }

    /// Writes `value`, returns the value before.
    #[track_caller]
    pub fn swap(&self, value: bool, order: Ordering) -> bool {
        self.core.fetch(RmwOp::Swap, u64::from(value), order) != 0
    }

    /// Writes `new` if the value is `current`; returns the value found, as `Ok` when it was
    /// `current`.
    #[track_caller]
    pub fn compare_exchange(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.core
            .compare_exchange(u64::from(current), u64::from(new), success, failure, false)
            .map(|v| v != 0)
            .map_err(|v| v != 0)
    }

    /// Like [`compare_exchange`](Self::compare_exchange), but it may fail although the
    /// value is `current`, as in std: in a check only with
    /// [`Check::spurious_failures`](crate::check::Check::spurious_failures).
    #[track_caller]
    pub fn compare_exchange_weak(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.core
            .compare_exchange(u64::from(current), u64::from(new), success, failure, true)
            .map(|v| v != 0)
            .map_err(|v| v != 0)
    }

    /// Logical and with `value`, returns the value before.
    #[track_caller]
    pub fn fetch_and(&self, value: bool, order: Ordering) -> bool {
        self.core.fetch(RmwOp::And, u64::from(value), order) != 0
    }

    /// Logical nand with `value`, returns the value before.
    #[track_caller]
    pub fn fetch_nand(&self, value: bool, order: Ordering) -> bool {
        self.core.fetch(RmwOp::Nand, u64::from(value), order) != 0
    }

    /// Logical or with `value`, returns the value before.
    #[track_caller]
    pub fn fetch_or(&self, value: bool, order: Ordering) -> bool {
        self.core.fetch(RmwOp::Or, u64::from(value), order) != 0
    }

    /// Logical xor with `value`, returns the value before.
    #[track_caller]
    pub fn fetch_xor(&self, value: bool, order: Ordering) -> bool {
        self.core.fetch(RmwOp::Xor, u64::from(value), order) != 0
    }

    /// Logical negation, returns the value before.
    #[track_caller]
    pub fn fetch_not(&self, order: Ordering) -> bool {
        self.fetch_xor(true, order)
    }

    /// Applies `f` until it returns `None` or the update succeeds (a load, then a
    /// `compare_exchange_weak` per attempt, as `std` does).
    #[track_caller]
    pub fn fetch_update<F>(
        &self,
        set_order: Ordering,
        fetch_order: Ordering,
        mut f: F,
    ) -> Result<bool, bool>
    where
        F: FnMut(bool) -> Option<bool>,
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

    /// The value, through a unique borrow (not a switch point).
    pub fn get_mut(&mut self) -> &mut bool {
        let v: &mut u64 = self.core.get_mut();
        // SAFETY: the value is 0 or 1, so its first byte is a valid `bool`; little-endian
        // targets only (see the integer atomics).
        unsafe { &mut *(v as *mut u64 as *mut bool) }
    }

    /// The value (not a switch point).
    pub fn into_inner(self) -> bool {
        self.core.latest() != 0
    }
}

impl Default for AtomicBool {
    fn default() -> Self {
        AtomicBool::new(false)
    }
}

impl From<bool> for AtomicBool {
    fn from(value: bool) -> Self {
        AtomicBool::new(value)
    }
}

impl fmt::Debug for AtomicBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AtomicBool").finish_non_exhaustive()
    }
}
