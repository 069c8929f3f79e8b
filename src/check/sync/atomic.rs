//! Atomics, shaped like `std::sync::atomic`. Every operation is a switch point. (One
//! concept in one file, past 400 lines: every atomic type is the same `Core` under a macro.)
//!
//! Under racelab's engine the values live in the execution graph: a load returns the value
//! of the write it reads from, which the search chooses. The exhaustive search follows RC11
//! (every ordering as `std` defines it) as soon as the program uses an ordering weaker than
//! `SeqCst`, and sequential consistency otherwise; sampled schedules treat every ordering
//! as `SeqCst`. Every report's coverage says which. `compare_exchange_weak` never fails
//! spuriously here. An ordering `std` rejects (a `Release` load, an `Acquire` store, a
//! `Relaxed` fence) panics as it does in `std`.
//!
//! `fetch_update` is a load and a `compare_exchange_weak` loop, exactly as in `std`, so each
//! attempt is an operation of its own.

use std::fmt;
use std::sync::atomic::AtomicU64 as StdU64;

use crate::check::rt::graph::{LocKind, Ord, Rmw, RmwOp};
use crate::check::rt::objects::ObjMeta;
use crate::check::rt::op::{Obj, Op};
use crate::check::rt::{self};

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

/// The part every atomic shares: its bookkeeping, and its value (the value itself under a
/// plain shuttle scheduler; under racelab's engine, the graph holds the value and this is
/// where `get_mut` lends it out).
struct Core {
    meta: ObjMeta,
    value: StdU64,
    /// The value `get_mut` lent out last (to tell whether the borrower changed it).
    lent: StdU64,
    width: u8,
    signed: bool,
}

impl Core {
    const fn new(value: u64, width: u8, signed: bool) -> Self {
        Core {
            meta: ObjMeta::with_init(LocKind::Atomic, value),
            value: StdU64::new(value),
            lent: StdU64::new(value),
            width,
            signed,
        }
    }

    fn obj(&self) -> Obj {
        Obj::new(&self.meta)
    }

    fn named(mut self, name: &'static str) -> Self {
        self.meta.set_name(name);
        self
    }

    fn rmw(&self, op: RmwOp, operand: u64) -> Rmw {
        Rmw {
            op,
            operand,
            width: self.width,
            signed: self.signed,
        }
    }

    /// Under the engine: if a `get_mut` borrower changed the value, that is a write.
    fn sync_lent(&self) {
        let v = self.value.load(Ordering::Relaxed);
        if v != self.lent.load(Ordering::Relaxed) {
            self.lent.store(v, Ordering::Relaxed);
            rt::op(Op::Store {
                obj: self.obj(),
                ord: Ord::SeqCst,
                value: v,
            });
        }
    }

    #[track_caller]
    fn engine(&self, what: &str) -> bool {
        rt::require_execution(what);
        let engine = rt::has_engine();
        if engine {
            self.sync_lent();
        } else {
            shuttle_engine::runtime::thread::switch();
        }
        engine
    }

    #[track_caller]
    fn load(&self, order: Ordering) -> u64 {
        match order {
            Ordering::Release => panic!("there is no such thing as a release load"),
            Ordering::AcqRel => panic!("there is no such thing as an acquire-release load"),
            _ => {}
        }
        if self.engine("an atomic load") {
            let op = Op::Load {
                obj: self.obj(),
                ord: ord(order),
            };
            return rt::op(op).map_or(0, |d| d.value);
        }
        self.value.load(Ordering::SeqCst)
    }

    #[track_caller]
    fn store(&self, value: u64, order: Ordering) {
        match order {
            Ordering::Acquire => panic!("there is no such thing as an acquire store"),
            Ordering::AcqRel => panic!("there is no such thing as an acquire-release store"),
            _ => {}
        }
        if self.engine("an atomic store") {
            rt::op(Op::Store {
                obj: self.obj(),
                ord: ord(order),
                value,
            });
            return;
        }
        self.value.store(value, Ordering::SeqCst);
    }

    #[track_caller]
    fn fetch(&self, op: RmwOp, operand: u64, order: Ordering) -> u64 {
        let rmw = self.rmw(op, operand);
        if self.engine("an atomic read-modify-write") {
            let op = Op::Rmw {
                obj: self.obj(),
                ord: ord(order),
                rmw,
            };
            return rt::op(op).map_or(0, |d| d.value);
        }
        let before = self.value.load(Ordering::SeqCst);
        self.value.store(rmw.apply(before), Ordering::SeqCst);
        before
    }

    #[track_caller]
    fn compare_exchange(
        &self,
        current: u64,
        new: u64,
        success: Ordering,
        failure: Ordering,
    ) -> Result<u64, u64> {
        match failure {
            Ordering::Release => panic!("there is no such thing as a release failure ordering"),
            Ordering::AcqRel => {
                panic!("there is no such thing as an acquire-release failure ordering")
            }
            _ => {}
        }
        if self.engine("an atomic compare_exchange") {
            let op = Op::Cas {
                obj: self.obj(),
                success: ord(success),
                failure: ord(failure),
                expected: current,
                new,
            };
            let done = rt::op(op).unwrap_or_default();
            return if done.ok {
                Ok(done.value)
            } else {
                Err(done.value)
            };
        }
        self.value
            .compare_exchange(current, new, Ordering::SeqCst, Ordering::SeqCst)
    }

    /// The value, when nobody else can touch the atomic.
    fn latest(&self) -> u64 {
        let bound = rt::with_engine(|e| {
            e.bound_loc(&self.meta)
                .map(|loc| e.graph.value(loc, e.graph.co_max(loc)))
        })
        .flatten();
        match bound {
            Some(v) if self.value.load(Ordering::Relaxed) == self.lent.load(Ordering::Relaxed) => v,
            _ => self.value.load(Ordering::Relaxed),
        }
    }

    fn get_mut(&mut self) -> &mut u64 {
        let v = self.latest();
        self.value.store(v, Ordering::Relaxed);
        self.lent.store(v, Ordering::Relaxed);
        self.value.get_mut()
    }
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
                    .compare_exchange(Self::bits(current), Self::bits(new), success, failure)
                    .map(Self::of_bits)
                    .map_err(Self::of_bits)
            }

            /// Like [`compare_exchange`](Self::compare_exchange): it never fails spuriously
            /// under a checker (a named limit).
            #[track_caller]
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
            .compare_exchange(u64::from(current), u64::from(new), success, failure)
            .map(|v| v != 0)
            .map_err(|v| v != 0)
    }

    /// Like [`compare_exchange`](Self::compare_exchange) (never fails spuriously here).
    #[track_caller]
    pub fn compare_exchange_weak(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.compare_exchange(current, new, success, failure)
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
