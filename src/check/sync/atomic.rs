//! Atomics, shaped like `std::sync::atomic`. Every operation is a switch point; a `load` only
//! reads, every other operation writes (a failed `compare_exchange` included, to stay on the
//! safe side).
//!
//! Every ordering is treated as `SeqCst`, as shuttle does: a bug that needs a weaker
//! ordering to show (a `Relaxed` flag publishing data) is out of reach here. loom models
//! those orderings; racelab's loom suite uses it for the core.

use std::fmt;

use crate::check::rt::engine::{ObjKind, ObjMeta};
use crate::check::rt::op::{AtomicKind, Op};
use crate::check::rt::trace::Detail;
use crate::check::rt::{self};

pub use std::sync::atomic::Ordering;

fn op(meta: &ObjMeta, kind: AtomicKind) {
    rt::require_execution("an atomic");
    rt::op(Op::Atomic {
        obj: meta.id(),
        kind,
    });
}

macro_rules! atomic_int {
    ($(#[$doc:meta])* $name:ident, $std:ident, $int:ty) => {
        $(#[$doc])*
        pub struct $name {
            meta: ObjMeta,
            value: std::sync::atomic::$std,
        }

        impl $name {
            /// A new atomic holding `value`.
            pub fn new(value: $int) -> Self {
                $name {
                    meta: ObjMeta::new(ObjKind::Atomic),
                    value: std::sync::atomic::$std::new(value),
                }
            }

            /// Names the atomic in traces and reports (otherwise `atomic#1`, ...).
            pub fn named(self, name: &'static str) -> Self {
                $name {
                    meta: self.meta.named(name),
                    value: self.value,
                }
            }

            /// Reads the value.
            pub fn load(&self, _order: Ordering) -> $int {
                op(&self.meta, AtomicKind::Load);
                let v = self.value.load(Ordering::SeqCst);
                rt::detail(Detail::Value(v as i128));
                v
            }

            /// Writes `value`.
            pub fn store(&self, value: $int, _order: Ordering) {
                op(&self.meta, AtomicKind::Store);
                self.value.store(value, Ordering::SeqCst);
                rt::detail(Detail::Value(value as i128));
            }

            /// Writes `value`, returns the value before.
            pub fn swap(&self, value: $int, _order: Ordering) -> $int {
                op(&self.meta, AtomicKind::Swap);
                let before = self.value.swap(value, Ordering::SeqCst);
                rt::detail(Detail::Update(before as i128, value as i128));
                before
            }

            /// Writes `new` if the value is `current`; returns the value found, as `Ok` when
            /// it was `current`.
            pub fn compare_exchange(
                &self,
                current: $int,
                new: $int,
                _success: Ordering,
                _failure: Ordering,
            ) -> Result<$int, $int> {
                op(&self.meta, AtomicKind::CompareExchange);
                let result = self.value.compare_exchange(
                    current,
                    new,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                );
                rt::detail(match result {
                    Ok(before) => Detail::Update(before as i128, new as i128),
                    Err(found) => Detail::Failed(found as i128),
                });
                result
            }

            /// Like [`compare_exchange`](Self::compare_exchange) (it never fails spuriously
            /// under a checker).
            pub fn compare_exchange_weak(
                &self,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                self.compare_exchange(current, new, success, failure)
            }

            /// Adds `value` (wrapping), returns the value before.
            pub fn fetch_add(&self, value: $int, _order: Ordering) -> $int {
                op(&self.meta, AtomicKind::FetchAdd);
                let before = self.value.fetch_add(value, Ordering::SeqCst);
                rt::detail(Detail::Update(before as i128, before.wrapping_add(value) as i128));
                before
            }

            /// Subtracts `value` (wrapping), returns the value before.
            pub fn fetch_sub(&self, value: $int, _order: Ordering) -> $int {
                op(&self.meta, AtomicKind::FetchSub);
                let before = self.value.fetch_sub(value, Ordering::SeqCst);
                rt::detail(Detail::Update(before as i128, before.wrapping_sub(value) as i128));
                before
            }

            /// Keeps the larger of the value and `value`, returns the value before.
            pub fn fetch_max(&self, value: $int, _order: Ordering) -> $int {
                self.fetch_with(|v| v.max(value))
            }

            /// Keeps the smaller of the value and `value`, returns the value before.
            pub fn fetch_min(&self, value: $int, _order: Ordering) -> $int {
                self.fetch_with(|v| v.min(value))
            }

            /// Bitwise and with `value`, returns the value before.
            pub fn fetch_and(&self, value: $int, _order: Ordering) -> $int {
                self.fetch_with(|v| v & value)
            }

            /// Bitwise or with `value`, returns the value before.
            pub fn fetch_or(&self, value: $int, _order: Ordering) -> $int {
                self.fetch_with(|v| v | value)
            }

            /// Bitwise xor with `value`, returns the value before.
            pub fn fetch_xor(&self, value: $int, _order: Ordering) -> $int {
                self.fetch_with(|v| v ^ value)
            }

            /// Applies `f` until it returns `None` or the update succeeds (one step: nothing
            /// can come between the read and the write under a checker's atomics).
            pub fn fetch_update<F>(
                &self,
                _set: Ordering,
                _fetch: Ordering,
                mut f: F,
            ) -> Result<$int, $int>
            where
                F: FnMut($int) -> Option<$int>,
            {
                op(&self.meta, AtomicKind::FetchOther);
                let before = self.value.load(Ordering::SeqCst);
                match f(before) {
                    Some(new) => {
                        self.value.store(new, Ordering::SeqCst);
                        rt::detail(Detail::Update(before as i128, new as i128));
                        Ok(before)
                    }
                    None => {
                        rt::detail(Detail::Failed(before as i128));
                        Err(before)
                    }
                }
            }

            fn fetch_with(&self, f: impl FnOnce($int) -> $int) -> $int {
                op(&self.meta, AtomicKind::FetchOther);
                let before = self.value.load(Ordering::SeqCst);
                let after = f(before);
                self.value.store(after, Ordering::SeqCst);
                rt::detail(Detail::Update(before as i128, after as i128));
                before
            }

            /// The value, through a unique borrow (not a switch point).
            pub fn get_mut(&mut self) -> &mut $int {
                self.value.get_mut()
            }

            /// The value (not a switch point).
            pub fn into_inner(self) -> $int {
                self.value.into_inner()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new(0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // Not a load: printing must not add a step.
                f.debug_tuple(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

atomic_int!(
    /// An atomic `usize`.
    AtomicUsize, AtomicUsize, usize
);
atomic_int!(
    /// An atomic `isize`.
    AtomicIsize, AtomicIsize, isize
);
atomic_int!(
    /// An atomic `u32`.
    AtomicU32, AtomicU32, u32
);
atomic_int!(
    /// An atomic `i32`.
    AtomicI32, AtomicI32, i32
);
atomic_int!(
    /// An atomic `u64`.
    AtomicU64, AtomicU64, u64
);
atomic_int!(
    /// An atomic `i64`.
    AtomicI64, AtomicI64, i64
);

/// An atomic `bool`.
pub struct AtomicBool {
    meta: ObjMeta,
    value: std::sync::atomic::AtomicBool,
}

impl AtomicBool {
    /// A new atomic holding `value`.
    pub fn new(value: bool) -> Self {
        AtomicBool {
            meta: ObjMeta::new(ObjKind::Atomic),
            value: std::sync::atomic::AtomicBool::new(value),
        }
    }

    /// Names the atomic in traces and reports (otherwise `atomic#1`, ...).
    pub fn named(self, name: &'static str) -> Self {
        AtomicBool {
            meta: self.meta.named(name),
            value: self.value,
        }
    }

    /// Reads the value.
    pub fn load(&self, _order: Ordering) -> bool {
        op(&self.meta, AtomicKind::Load);
        let v = self.value.load(Ordering::SeqCst);
        rt::detail(Detail::Value(i128::from(v)));
        v
    }

    /// Writes `value`.
    pub fn store(&self, value: bool, _order: Ordering) {
        op(&self.meta, AtomicKind::Store);
        self.value.store(value, Ordering::SeqCst);
        rt::detail(Detail::Value(i128::from(value)));
    }

    /// Writes `value`, returns the value before.
    pub fn swap(&self, value: bool, _order: Ordering) -> bool {
        op(&self.meta, AtomicKind::Swap);
        let before = self.value.swap(value, Ordering::SeqCst);
        rt::detail(Detail::Update(i128::from(before), i128::from(value)));
        before
    }

    /// Writes `new` if the value is `current`; returns the value found, as `Ok` when it was
    /// `current`.
    pub fn compare_exchange(
        &self,
        current: bool,
        new: bool,
        _success: Ordering,
        _failure: Ordering,
    ) -> Result<bool, bool> {
        op(&self.meta, AtomicKind::CompareExchange);
        let result = self
            .value
            .compare_exchange(current, new, Ordering::SeqCst, Ordering::SeqCst);
        rt::detail(match result {
            Ok(before) => Detail::Update(i128::from(before), i128::from(new)),
            Err(found) => Detail::Failed(i128::from(found)),
        });
        result
    }

    /// Like [`compare_exchange`](Self::compare_exchange) (never fails spuriously here).
    pub fn compare_exchange_weak(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.compare_exchange(current, new, success, failure)
    }

    /// Logical or with `value`, returns the value before.
    pub fn fetch_or(&self, value: bool, _order: Ordering) -> bool {
        op(&self.meta, AtomicKind::FetchOther);
        let before = self.value.fetch_or(value, Ordering::SeqCst);
        rt::detail(Detail::Update(
            i128::from(before),
            i128::from(before | value),
        ));
        before
    }

    /// Logical and with `value`, returns the value before.
    pub fn fetch_and(&self, value: bool, _order: Ordering) -> bool {
        op(&self.meta, AtomicKind::FetchOther);
        let before = self.value.fetch_and(value, Ordering::SeqCst);
        rt::detail(Detail::Update(
            i128::from(before),
            i128::from(before & value),
        ));
        before
    }

    /// The value, through a unique borrow (not a switch point).
    pub fn get_mut(&mut self) -> &mut bool {
        self.value.get_mut()
    }

    /// The value (not a switch point).
    pub fn into_inner(self) -> bool {
        self.value.into_inner()
    }
}

impl Default for AtomicBool {
    fn default() -> Self {
        AtomicBool::new(false)
    }
}

impl fmt::Debug for AtomicBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AtomicBool").finish_non_exhaustive()
    }
}
