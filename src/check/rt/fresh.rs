//! State that starts afresh in every execution, for the primitives whose whole state is
//! racelab's to make: [`Once`](crate::check::sync::Once), an empty-made
//! [`OnceLock`](crate::check::sync::OnceLock), and [`LazyLock`](crate::check::sync::LazyLock)
//! (whose initialiser runs again in every execution).
//!
//! Such an object in a `static`, or made outside the checked body, outlives an execution.
//! std runs a program once; a check runs its body many times, and each run must start from
//! the state a fresh process would (otherwise the second execution finds the `Once` done,
//! and what a fresh run reaches goes missing). A [`Fresh`] field in the object decides
//! which state an operation uses:
//!
//! * the object's **own** state in the execution that used it first (and whenever no
//!   engine runs: plain shuttle schedulers keep the old behaviour);
//! * in any later execution, a **copy made new** for that execution by the object's
//!   constructor of its pristine state, which the engine finds by the object's number
//!   (unique in the process, given at its first copy) for the rest of that execution.
//!
//! **A copy is never dropped**, as `std` never drops a `static`'s value (its destructor
//! does not run either). Freeing it when its execution ends would leave references
//! dangling that safe code can keep: a body may return `&'static` data of a `static`'s
//! value as its outcome, and the report keeps outcomes. The same holds for an object made
//! outside the body and shared with it (an `Arc`): its copies are never dropped either.
//! The cost is memory: each execution after the first that uses such an object keeps one
//! copy of its state (a modelled `Mutex` and `Condvar` and the value, a few hundred bytes
//! plus what the value owns) until the process ends. Objects made inside the body, the
//! common case, never make a copy.
//!
//! **Invariants.** An object used only inside one execution never leaves its own state, so
//! it may be moved like any value. An object first used by another execution uses a copy
//! in every operation, through a shared or a unique borrow, and never its own state again;
//! its copies are found by its number, which moves with it, so no other object (one made
//! later at the same address, say) ever finds them. An object first used by a plain
//! shuttle run (no engine) keeps its own state in every execution, as before copies
//! existed: a check then reports the state kept (`StopReason::KeptState`).

use std::any::type_name;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// The first use had no engine (never an execution's generation, see
/// `objects::fresh_generation`).
const NO_ENGINE: u32 = u32::MAX;

/// Which execution first used an object, and the object's number (see the module docs).
#[derive(Debug)]
pub(crate) struct Fresh {
    /// The generation of the first execution to use it; 0 before any did, [`NO_ENGINE`]
    /// if a plain shuttle run did.
    first: AtomicU32,
    /// Its number, unique in the process, given when it first needs a copy (0: none yet):
    /// the key of its copies, which follows the object wherever it moves.
    id: AtomicU64,
}

impl Fresh {
    pub(crate) const fn new() -> Self {
        Fresh {
            first: AtomicU32::new(0),
            id: AtomicU64::new(0),
        }
    }

    /// The state to use now: `own` if this is the execution that first used the object
    /// (or no engine runs, or a plain shuttle run used it first), else this execution's
    /// copy, made by `make` at its first use.
    pub(crate) fn state<'a, S>(&'a self, own: &'a S, make: impl FnOnce() -> S) -> &'a S {
        match self.copy(make) {
            // SAFETY: copies are leaked, never freed (see the module docs), and the copy
            // under this object's number is an `S` (`FreshStates::get` checks the type).
            Some(ptr) => unsafe { &*ptr },
            None => own,
        }
    }

    /// The same, through a unique borrow of the object.
    pub(crate) fn state_mut<'a, S>(
        &'a mut self,
        own: &'a mut S,
        make: impl FnOnce() -> S,
    ) -> &'a mut S {
        match self.copy(make) {
            // SAFETY: as in `state`; `&mut self` means no other reference to this
            // execution's copy is in use (each reference handed out borrows the object).
            Some(ptr) => unsafe { &mut *ptr },
            None => own,
        }
    }

    /// This execution's copy, made now if it has none; `None` if the own state is the one
    /// to use.
    fn copy<S>(&self, make: impl FnOnce() -> S) -> Option<*mut S> {
        let Some(generation) = super::with_engine(|e| e.generation) else {
            // Used with no engine (a plain shuttle run): its state is its own from now on,
            // as before racelab made copies (a check then reports the state kept).
            let _ = self
                .first
                .compare_exchange(0, NO_ENGINE, Ordering::Relaxed, Ordering::Relaxed);
            return None;
        };
        let first =
            match self
                .first
                .compare_exchange(0, generation, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => generation,
                Err(first) => first,
            };
        if first == generation || first == NO_ENGINE {
            return None;
        }
        let id = self.id();
        let kind = type_name::<S>();
        if let Some(ptr) = super::with_engine(|e| e.fresh.get(id, kind)).flatten() {
            return Some(ptr.cast::<S>());
        }
        // Made outside the engine's borrow: a constructor may touch the engine.
        let made = Box::into_raw(Box::new(make()));
        super::with_engine(|e| e.fresh.insert(id, kind, made.cast::<()>()));
        Some(made)
    }

    /// The object's number, given now if it has none.
    fn id(&self) -> u64 {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = self.id.load(Ordering::Relaxed);
        if id != 0 {
            return id;
        }
        let new = NEXT.fetch_add(1, Ordering::Relaxed);
        match self
            .id
            .compare_exchange(0, new, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => new,
            Err(other) => other,
        }
    }
}

/// The copies the running execution made, by their object's number, with their type's
/// name (see the module docs); cleared, not freed, when the next execution starts.
#[derive(Default)]
pub(crate) struct FreshStates(HashMap<u64, (*mut (), &'static str)>);

impl FreshStates {
    fn get(&self, id: u64, kind: &'static str) -> Option<*mut ()> {
        let &(ptr, made) = self.0.get(&id)?;
        // One object, one state type: a mismatch would be racelab's bug, never a cast.
        assert_eq!(
            made, kind,
            "racelab: internal error: one object, two state types"
        );
        Some(ptr)
    }

    fn insert(&mut self, id: u64, kind: &'static str, ptr: *mut ()) {
        self.0.insert(id, (ptr, kind));
    }

    /// Forgets the last execution's copies (they stay allocated: see the module docs).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}
