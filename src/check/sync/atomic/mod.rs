//! Atomics, shaped like `std::sync::atomic`. Every operation is a switch point. Every
//! atomic type is the same `Core` (`core.rs`): the integers under a macro here, `AtomicBool`
//! in `flag.rs`, `AtomicPtr` in `ptr.rs`.
//!
//! Under racelab's engine the values live in the execution graph: a load returns the value
//! of the write it reads from, which the search chooses. The exhaustive search follows RC11
//! (every ordering as `std` defines it) as soon as the program uses an ordering weaker than
//! `SeqCst`, and sequential consistency otherwise; sampled schedules treat every ordering
//! as `SeqCst`. Every report's coverage says which. `compare_exchange_weak` fails
//! spuriously only in a check that asks for it
//! ([`Check::spurious_failures`](crate::check::Check::spurious_failures): at most that many
//! times in each thread), never outside one. An ordering `std` rejects (a `Release` load,
//! an `Acquire` store, a `Relaxed` fence) panics as it does in `std`.
//!
//! `fetch_update` is a load and a `compare_exchange_weak` loop, exactly as in `std`, so each
//! attempt is an operation of its own.

mod base;
mod flag;
mod ptr;

use std::fmt;

use crate::check::rt::graph::{Ord, RmwOp};
use crate::check::rt::op::Op;
use crate::check::rt::{self};
use base::Core;

pub use flag::AtomicBool;
pub use ptr::AtomicPtr;

pub use std::sync::atomic::Ordering;

pub(crate) fn ord(order: Ordering) -> Ord {
    match order {
        Ordering::Relaxed => Ord::Relaxed,
        Ordering::Acquire => Ord::Acquire,
        Ordering::Release => Ord::Release,
        Ordering::AcqRel => Ord::AcqRel,
        _ => Ord::SeqCst,
    }
}

/// A memory fence (like `std::sync::atomic::fence`): a switch point. Under RC11 a release
/// fence makes later relaxed writes release, an acquire fence makes earlier relaxed reads
/// acquire, and `SeqCst` fences are ordered with every other `SeqCst` operation.
#[track_caller]
pub fn fence(order: Ordering) {
    if order == Ordering::Relaxed {
        panic!("there is no such thing as a relaxed fence");
    }
    rt::require_execution("atomic::fence");
    if rt::has_engine() {
        rt::op(Op::Fence { ord: ord(order) });
    } else {
        shuttle_engine::runtime::thread::switch();
    }
}

/// A compiler fence (like `std::sync::atomic::compiler_fence`): it constrains only the
/// compiler's reordering within one thread, which a checker does not do; not a switch
/// point.
pub fn compiler_fence(order: Ordering) {
    std::sync::atomic::compiler_fence(order);
}

macro_rules! atomic_int {
    ($(#[$doc:meta])* $name:ident, $int:ty, $unsigned:ty, $signed:expr) => {
        $(#[$doc])*
        pub struct $name {
            core: Core,
        }

        impl $name {
            const WIDTH: u8 = <$int>::BITS as u8;

            fn bits(v: $int) -> u64 {
                v as $unsigned as u64
            }

            fn of_bits(v: u64) -> $int {
                v as $unsigned as $int
            }

            /// A new atomic holding `value`.
            pub const fn new(value: $int) -> Self {
                $name {
                    core: Core::new(value as $unsigned as u64, Self::WIDTH, $signed),
                }
            }

            /// Names the atomic in traces and reports (otherwise `atomic#1`, ...).
            pub fn named(self, name: &'static str) -> Self {
                $name {
                    core: self.core.named(name),
                }
            }

            /// Reads the value.
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $int {
                Self::of_bits(self.core.load(order))
            }

            /// Writes `value`.
            #[track_caller]
            pub fn store(&self, value: $int, order: Ordering) {
                self.core.store(Self::bits(value), order)
            }

            /// Writes `value`, returns the value before.
            #[track_caller]
            pub fn swap(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Swap, Self::bits(value), order))
            }

            /// Writes `new` if the value is `current`; returns the value found, as `Ok` when
            /// it was `current`.
            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                self.core
                    .compare_exchange(Self::bits(current), Self::bits(new), success, failure, false)
                    .map(Self::of_bits)
                    .map_err(Self::of_bits)
            }

            /// Like [`compare_exchange`](Self::compare_exchange), but it may fail although
            /// the value is `current`, as in std: in a check only with
            /// [`Check::spurious_failures`](crate::check::Check::spurious_failures).
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                self.core
                    .compare_exchange(Self::bits(current), Self::bits(new), success, failure, true)
                    .map(Self::of_bits)
                    .map_err(Self::of_bits)
            }

            /// Adds `value` (wrapping), returns the value before.
            #[track_caller]
            pub fn fetch_add(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Add, Self::bits(value), order))
            }

            /// Subtracts `value` (wrapping), returns the value before.
            #[track_caller]
            pub fn fetch_sub(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Sub, Self::bits(value), order))
            }

            /// Keeps the larger of the value and `value`, returns the value before.
            #[track_caller]
            pub fn fetch_max(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Max, Self::bits(value), order))
            }

            /// Keeps the smaller of the value and `value`, returns the value before.
            #[track_caller]
            pub fn fetch_min(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Min, Self::bits(value), order))
            }

            /// Bitwise and with `value`, returns the value before.
            #[track_caller]
            pub fn fetch_and(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::And, Self::bits(value), order))
            }

            /// Bitwise nand with `value`, returns the value before.
            #[track_caller]
            pub fn fetch_nand(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Nand, Self::bits(value), order))
            }

            /// Bitwise or with `value`, returns the value before.
            #[track_caller]
            pub fn fetch_or(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Or, Self::bits(value), order))
            }

            /// Bitwise xor with `value`, returns the value before.
            #[track_caller]
            pub fn fetch_xor(&self, value: $int, order: Ordering) -> $int {
                Self::of_bits(self.core.fetch(RmwOp::Xor, Self::bits(value), order))
            }

            /// Applies `f` until it returns `None` or the update succeeds: a load, then a
            /// `compare_exchange_weak` per attempt, as `std` does.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$int, $int>
            where
                F: FnMut($int) -> Option<$int>,
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
            pub fn get_mut(&mut self) -> &mut $int {
                let v: &mut u64 = self.core.get_mut();
                debug_assert!(std::mem::size_of::<$int>() <= 8);
                // SAFETY: a `u64` holds the value zero-extended; on little-endian targets
                // its first bytes are the value's. (Big-endian targets are not supported.)
                #[cfg(target_endian = "little")]
                unsafe {
                    &mut *(v as *mut u64 as *mut $int)
                }
                #[cfg(not(target_endian = "little"))]
                compile_error!("racelab's atomics need a little-endian target")
            }

            /// The value (not a switch point).
            pub fn into_inner(self) -> $int {
                Self::of_bits(self.core.latest())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new(0)
            }
        }

        impl From<$int> for $name {
            fn from(value: $int) -> Self {
                $name::new(value)
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
    /// An atomic `u8`.
    AtomicU8, u8, u8, false
);
atomic_int!(
    /// An atomic `i8`.
    AtomicI8, i8, u8, true
);
atomic_int!(
    /// An atomic `u16`.
    AtomicU16, u16, u16, false
);
atomic_int!(
    /// An atomic `i16`.
    AtomicI16, i16, u16, true
);
atomic_int!(
    /// An atomic `u32`.
    AtomicU32, u32, u32, false
);
atomic_int!(
    /// An atomic `i32`.
    AtomicI32, i32, u32, true
);
atomic_int!(
    /// An atomic `u64`.
    AtomicU64, u64, u64, false
);
atomic_int!(
    /// An atomic `i64`.
    AtomicI64, i64, u64, true
);
atomic_int!(
    /// An atomic `usize`.
    AtomicUsize, usize, usize, false
);
atomic_int!(
    /// An atomic `isize`.
    AtomicIsize, isize, usize, true
);
