//! `Core`: the part every atomic shares.

use std::sync::atomic::AtomicU64 as StdU64;

use super::{Ordering, ord};
use crate::check::rt::graph::{LocKind, Ord, Rmw, RmwOp};
use crate::check::rt::objects::ObjMeta;
use crate::check::rt::op::{Obj, Op};
use crate::check::rt::{self};

/// The part every atomic shares: its bookkeeping, and its value (the value itself under a
/// plain shuttle scheduler; under racelab's engine, the graph holds the value and this is
/// where `get_mut` lends it out).
pub(super) struct Core {
    meta: ObjMeta,
    value: StdU64,
    /// The value `get_mut` lent out last (to tell whether the borrower changed it).
    lent: StdU64,
    width: u8,
    signed: bool,
    /// An `AtomicPtr`'s: under the engine the graph holds pointer ids (`rt::pointers`),
    /// while `value` and `lent` hold addresses.
    pointer: bool,
}

impl Core {
    pub(super) const fn new(value: u64, width: u8, signed: bool) -> Self {
        Core {
            meta: ObjMeta::with_init(LocKind::Atomic, value),
            value: StdU64::new(value),
            lent: StdU64::new(value),
            width,
            signed,
            pointer: false,
        }
    }

    /// An `AtomicPtr`'s core: its initial pointer is set with [`Core::start`] before its
    /// first operation.
    pub(super) const fn pointer() -> Self {
        Core {
            meta: ObjMeta::pointer(),
            pointer: true,
            ..Core::new(0, 64, false)
        }
    }

    /// An `AtomicPtr`'s initial pointer's address (0 for other atomics).
    pub(super) fn init_addr(&self) -> usize {
        self.meta.init_addr().unwrap_or(0)
    }

    /// An `AtomicPtr`'s initial pointer, `addr`: the value until the first write, and what
    /// the graph's location starts with.
    pub(super) fn start(&self, addr: u64) {
        self.meta.set_init_addr(addr as usize);
        self.value.store(addr, Ordering::Relaxed);
        self.lent.store(addr, Ordering::Relaxed);
    }

    pub(super) fn obj(&self) -> Obj {
        Obj::new(&self.meta)
    }

    pub(super) fn named(mut self, name: &'static str) -> Self {
        self.meta.set_name(name);
        self
    }

    pub(super) fn rmw(&self, op: RmwOp, operand: u64) -> Rmw {
        Rmw {
            op,
            operand,
            width: self.width,
            signed: self.signed,
        }
    }

    /// Under the engine: if a `get_mut` borrower changed the value, that is a write.
    pub(super) fn sync_lent(&self) {
        let v = self.value.load(Ordering::Relaxed);
        if v != self.lent.load(Ordering::Relaxed) {
            self.lent.store(v, Ordering::Relaxed);
            let value = if self.pointer {
                rt::pointer_id(v as usize, self.init_addr()).unwrap_or(v)
            } else {
                v
            };
            rt::op(Op::Store {
                obj: self.obj(),
                ord: Ord::SeqCst,
                value,
            });
        }
    }

    #[track_caller]
    pub(super) fn engine(&self, what: &str) -> bool {
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
    pub(super) fn load(&self, order: Ordering) -> u64 {
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
    pub(super) fn store(&self, value: u64, order: Ordering) {
        match order {
            Ordering::Acquire => panic!("there is no such thing as an acquire store"),
            Ordering::AcqRel => panic!("there is no such thing as an acquire-release store"),
            _ => {}
        }
        if self.engine("an atomic store") {
            let ord = ord(order);
            if rt::unwinding()
                && rt::in_execution()
                && rt::defer_op(&self.meta, move |obj| Op::Store { obj, ord, value })
            {
                // A destructor's store while the thread unwinds (a spin lock's guard):
                // taken once it stops unwinding, as a mutex's release is.
                return;
            }
            rt::op(Op::Store {
                obj: self.obj(),
                ord,
                value,
            });
            return;
        }
        self.value.store(value, Ordering::SeqCst);
    }

    #[track_caller]
    pub(super) fn fetch(&self, op: RmwOp, operand: u64, order: Ordering) -> u64 {
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
    pub(super) fn compare_exchange(
        &self,
        current: u64,
        new: u64,
        success: Ordering,
        failure: Ordering,
        weak: bool,
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
                weak,
                spurious_limit: if weak { rt::spurious_failures() } else { 0 },
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
    pub(super) fn latest(&self) -> u64 {
        let bound = rt::with_engine(|e| {
            e.bound_loc(&self.meta)
                .map(|loc| e.graph.value(loc, e.graph.co_max(loc)))
        })
        .flatten();
        match bound {
            Some(v) if self.value.load(Ordering::Relaxed) == self.lent.load(Ordering::Relaxed) => {
                if self.pointer {
                    rt::pointer_addr(v, self.init_addr()) as u64
                } else {
                    v
                }
            }
            _ => self.value.load(Ordering::Relaxed),
        }
    }

    pub(super) fn get_mut(&mut self) -> &mut u64 {
        let v = self.latest();
        self.value.store(v, Ordering::Relaxed);
        self.lent.store(v, Ordering::Relaxed);
        self.value.get_mut()
    }
}
