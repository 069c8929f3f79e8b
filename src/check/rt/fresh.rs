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
//!   constructor of its pristine state, which the engine finds (keyed by the `Fresh`
//!   field's address and the state's type) for the rest of that execution.
//!
//! **A copy is never dropped**, as `std` never drops a `static`'s value (its destructor
//! does not run either). Freeing it when its execution ends would leave references
//! dangling that safe code can keep: a body may return `&'static` data of a `static`'s
//! value as its outcome, and the report keeps outcomes. The cost is memory: each
//! execution after the first that uses such an object keeps one copy of its state (a few
//! hundred bytes, plus what the value owns) until the process ends. Objects made inside the
//! body, the common case, never make a copy.
//!
//! **Invariants.** An object used only inside one execution never leaves its own state, so
//! it may be moved like any value. An object first used by another execution uses a copy
//! in every operation, through a shared or a unique borrow, and never its own state again;
//! such an object is in a `static` or shared (an `Arc` made outside the body), so its
//! address names it across the executions that use it. (One moved between executions, out
//! of a `std` container, would find the copy made for what was at its new address: racelab
//! cannot see that move.)

use std::any::type_name;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// The first use had no engine (never an execution's generation, see
/// `objects::fresh_generation`).
const NO_ENGINE: u32 = u32::MAX;

/// Which execution first used an object (see the module docs); 0 before any did.
#[derive(Debug)]
pub(crate) struct Fresh(AtomicU32);

impl Fresh {
    pub(crate) const fn new() -> Self {
        Fresh(AtomicU32::new(0))
    }

    /// The state to use now: `own` if this is the execution that first used the object
    /// (or no engine runs), else this execution's copy, made by `make` at its first use.
    pub(crate) fn state<'a, S>(&'a self, own: &'a S, make: impl FnOnce() -> S) -> &'a S {
        match self.copy(make) {
            // SAFETY: copies are leaked, never freed (see the module docs), and the key
            // names `S` (see `Fresh::key`).
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
            // Used with no engine (a plain shuttle run): no execution of a check may find
            // this state pristine any more.
            let _ = self
                .0
                .compare_exchange(0, NO_ENGINE, Ordering::Relaxed, Ordering::Relaxed);
            return None;
        };
        let first =
            match self
                .0
                .compare_exchange(0, generation, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => generation,
                Err(first) => first,
            };
        if first == generation {
            return None;
        }
        let key = self.key::<S>();
        if let Some(ptr) = super::with_engine(|e| e.fresh.get(key)).flatten() {
            return Some(ptr.cast::<S>());
        }
        // Made outside the engine's borrow: a constructor may touch the engine.
        let made = Box::into_raw(Box::new(make()));
        super::with_engine(|e| e.fresh.insert(key, made.cast::<()>()));
        Some(made)
    }

    fn key<S>(&self) -> Key {
        (
            std::ptr::from_ref(self) as usize,
            type_name::<S>(),
            std::mem::size_of::<S>(),
            std::mem::align_of::<S>(),
        )
    }
}

/// An object's address, and its state's type (name, size, alignment).
type Key = (usize, &'static str, usize, usize);

/// The copies the running execution made, by key (see the module docs); cleared, not
/// freed, when the next execution starts.
#[derive(Default)]
pub(crate) struct FreshStates(HashMap<Key, *mut ()>);

impl FreshStates {
    fn get(&self, key: Key) -> Option<*mut ()> {
        self.0.get(&key).copied()
    }

    fn insert(&mut self, key: Key, ptr: *mut ()) {
        self.0.insert(key, ptr);
    }

    /// Forgets the last execution's copies (they stay allocated: see the module docs).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}
