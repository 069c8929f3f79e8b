//! The bookkeeping every racelab primitive carries: its kind, its name, its initial value,
//! and which location of the current execution graph it is.
//!
//! Objects are bound to locations when an execution first uses them, not when they are
//! created (`new` is a `const fn`, as in `std`, so a `static` can hold one). During a replay
//! the binding follows the graph: an object first used by the operation that the graph's
//! next event of that thread records is that event's location, so the same object gets the
//! same location in every execution that replays the same prefix, however many objects were
//! created or in which order threads first touched them.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use super::graph::{Loc, LocKind};

/// Per-object bookkeeping (see the module docs).
#[derive(Debug)]
pub(crate) struct ObjMeta {
    kind: LocKind,
    name: Option<&'static str>,
    init: u64,
    /// Its operations are the inner workings of something with marked steps of its own.
    inner: bool,
    slot: Slot,
    /// For an `AtomicPtr`: the address of its initial pointer (the graph holds its id,
    /// see `rt::pointers`).
    init_addr: Option<AtomicUsize>,
    /// It holds a value of its own, outside the graph (a `Mutex`'s data, its poison flag):
    /// if the object outlives an execution, the next one does not start afresh (see
    /// `Engine::kept`). Atomics and condition variables keep everything in the graph.
    keeps: AtomicBool,
}

impl ObjMeta {
    pub(crate) const fn new(kind: LocKind) -> Self {
        ObjMeta::with_init(kind, 0)
    }

    pub(crate) const fn with_init(kind: LocKind, init: u64) -> Self {
        ObjMeta {
            kind,
            name: None,
            init,
            inner: false,
            slot: Slot::new(),
            init_addr: None,
            keeps: AtomicBool::new(false),
        }
    }

    /// The same, for an object that holds a value of its own if `keeps` (see
    /// [`ObjMeta::keeps`]).
    pub(crate) const fn keeping(self, keeps: bool) -> Self {
        ObjMeta {
            keeps: AtomicBool::new(keeps),
            ..self
        }
    }

    /// Whether it holds a value of its own, outside the graph.
    pub(crate) fn keeps(&self) -> bool {
        self.keeps.load(Ordering::Relaxed)
    }

    /// It now holds a value of its own (a mutex without data was poisoned).
    pub(crate) fn set_keeps(&self) {
        self.keeps.store(true, Ordering::Relaxed);
    }

    /// An `AtomicPtr`'s: its initial value is a pointer, set with [`ObjMeta::set_init_addr`]
    /// before its first operation (a `const fn` cannot turn a pointer into an address).
    pub(crate) const fn pointer() -> Self {
        ObjMeta {
            init_addr: Some(AtomicUsize::new(0)),
            ..ObjMeta::new(LocKind::Atomic)
        }
    }

    pub(crate) fn set_init_addr(&self, addr: usize) {
        if let Some(a) = &self.init_addr {
            a.store(addr, Ordering::Relaxed);
        }
    }

    /// An `AtomicPtr`'s initial address; `None` for other objects.
    pub(crate) fn init_addr(&self) -> Option<usize> {
        self.init_addr.as_ref().map(|a| a.load(Ordering::Relaxed))
    }

    /// A copy that stands for the same object in the current execution, declared after the
    /// object itself may be gone: a mutex's release deferred while its holder unwound a
    /// panic (see `super::defer_unlock`).
    pub(crate) fn detached(&self) -> ObjMeta {
        ObjMeta {
            kind: self.kind,
            name: self.name,
            init: self.init,
            inner: self.inner,
            slot: Slot(AtomicU64::new(self.slot.0.load(Ordering::Relaxed))),
            init_addr: self
                .init_addr
                .as_ref()
                .map(|a| AtomicUsize::new(a.load(Ordering::Relaxed))),
            keeps: AtomicBool::new(self.keeps()),
        }
    }

    pub(crate) fn set_name(&mut self, name: &'static str) {
        self.name = Some(name);
    }

    pub(crate) fn set_inner(&mut self) {
        self.inner = true;
    }

    pub(crate) fn is_inner(&self) -> bool {
        self.inner
    }

    pub(crate) fn kind(&self) -> LocKind {
        self.kind
    }

    pub(crate) fn name(&self) -> Option<&'static str> {
        self.name
    }

    pub(crate) fn init(&self) -> u64 {
        self.init
    }

    /// The location this object is in execution `generation`, if it was bound there.
    pub(crate) fn bound(&self, generation: u32) -> Option<Loc> {
        self.slot.bound(generation).map(Loc)
    }

    /// Binds the object to `loc` in execution `generation` (see [`Slot::bind`]).
    pub(crate) fn bind(&self, generation: u32, loc: Loc, exclusive: bool) -> bool {
        self.slot.bind(generation, loc.0, exclusive)
    }
}

/// Which number an object has in one execution: `generation << 32 | (number + 1)`, 0 when
/// never bound. The number is a graph location for [`ObjMeta`], a cell's number for
/// `check::cell::UnsafeCell`.
#[derive(Debug)]
pub(crate) struct Slot(AtomicU64);

impl Slot {
    pub(crate) const fn new() -> Self {
        Slot(AtomicU64::new(0))
    }

    /// The object's number in execution `generation`, if it was bound there.
    pub(crate) fn bound(&self, generation: u32) -> Option<u32> {
        let slot = self.0.load(Ordering::Relaxed);
        (slot >> 32 == u64::from(generation) && slot & 0xffff_ffff != 0)
            .then(|| (slot & 0xffff_ffff) as u32 - 1)
    }

    /// Binds the object to `number` in execution `generation`. Returns `false` if another
    /// execution had bound it: the object outlives an execution (it is in a `static`, or
    /// was created outside the check's body). `exclusive` (a search shared by workers on
    /// several OS threads) leaves such an object's binding alone: it may be another
    /// worker's, in use right now.
    pub(crate) fn bind(&self, generation: u32, number: u32, exclusive: bool) -> bool {
        let new = u64::from(generation) << 32 | (u64::from(number) + 1);
        let old = self.0.load(Ordering::Relaxed);
        let fresh = old == 0 || old >> 32 == u64::from(generation);
        if !fresh && exclusive {
            return false;
        }
        match self
            .0
            .compare_exchange(old, new, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => fresh,
            Err(_) => {
                // Another OS thread bound it meanwhile: it is shared.
                if !exclusive {
                    self.0.store(new, Ordering::Relaxed);
                }
                false
            }
        }
    }
}

/// A fresh execution number (never 0, unique in the process, so that objects bound by an
/// execution on another OS thread never look bound here).
pub(crate) fn fresh_generation() -> u32 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let g = NEXT.fetch_add(1, Ordering::Relaxed);
    (g % u64::from(u32::MAX)).max(1) as u32
}
