//! The bookkeeping every racelab primitive carries: its kind, its name, its initial value,
//! and which location of the current execution graph it is.
//!
//! Objects are bound to locations when an execution first uses them, not when they are
//! created (`new` is a `const fn`, as in `std`, so a `static` can hold one). During a replay
//! the binding follows the graph: an object first used by the operation that the graph's
//! next event of that thread records is that event's location, so the same object gets the
//! same location in every execution that replays the same prefix, however many objects were
//! created or in which order threads first touched them.

use std::sync::atomic::{AtomicU64, Ordering};

use super::graph::{Loc, LocKind};

/// Per-object bookkeeping (see the module docs).
#[derive(Debug)]
pub(crate) struct ObjMeta {
    kind: LocKind,
    name: Option<&'static str>,
    init: u64,
    /// Its operations are the inner workings of something with marked steps of its own.
    inner: bool,
    /// `generation << 32 | (loc + 1)`, 0 when never bound.
    slot: AtomicU64,
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
            slot: AtomicU64::new(0),
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
        let slot = self.slot.load(Ordering::Relaxed);
        (slot >> 32 == u64::from(generation) && slot & 0xffff_ffff != 0)
            .then(|| Loc((slot & 0xffff_ffff) as u32 - 1))
    }

    /// Binds the object to `loc` in execution `generation`. Returns `false` if another
    /// execution had bound it: the object outlives an execution (it is in a `static`, or
    /// was created outside the check's body). `exclusive` (a search shared by workers on
    /// several OS threads) leaves such an object's binding alone: it may be another
    /// worker's, in use right now.
    pub(crate) fn bind(&self, generation: u32, loc: Loc, exclusive: bool) -> bool {
        let new = u64::from(generation) << 32 | (u64::from(loc.0) + 1);
        let old = self.slot.load(Ordering::Relaxed);
        let fresh = old == 0 || old >> 32 == u64::from(generation);
        if !fresh && exclusive {
            return false;
        }
        match self
            .slot
            .compare_exchange(old, new, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => fresh,
            Err(_) => {
                // Another OS thread bound it meanwhile: it is shared.
                if !exclusive {
                    self.slot.store(new, Ordering::Relaxed);
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
