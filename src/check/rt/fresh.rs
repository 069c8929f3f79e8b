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
//!   constructor of its pristine state, which the engine keeps (boxed, keyed by the
//!   `Fresh` field's address and the state's type) until the execution ends and then drops
//!   with no execution running, outside every borrow of the engine.
//!
//! **Invariants.** An object used only inside one execution (made in the body, the common
//! case) never leaves its own state, so it may be moved like any value. An object that
//! outlives an execution cannot move while it is shared (a `static`, or behind an `Arc`), so
//! its address names it across the executions it is used in; its `Drop` forgets the copy
//! it has in the running execution, if any, so an address reused later starts empty.
//!
//! **The limit, as in loom's and shuttle's `lazy_static`:** a reference to such an
//! object's value is valid until the execution ends. Keeping one past it (in a `std`
//! static or thread-local, which racelab does not see) is not supported.

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
        let Some(generation) = super::with_engine(|e| e.generation) else {
            // Used with no engine (a plain shuttle run): no execution of a check may find
            // this state pristine any more.
            let _ = self
                .0
                .compare_exchange(0, NO_ENGINE, Ordering::Relaxed, Ordering::Relaxed);
            return own;
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
            return own;
        }
        let key = self.key::<S>();
        let known = super::with_engine(|e| e.fresh.get(key)).flatten();
        let ptr = match known {
            Some(ptr) => ptr,
            None => {
                // Made outside the engine's borrow: a constructor may touch the engine.
                let made = Box::into_raw(Box::new(make())).cast::<()>();
                super::with_engine(|e| e.fresh.insert(key, made, drop_boxed::<S>));
                made
            }
        };
        // SAFETY: `ptr` came from `Box::<S>::into_raw` under a key naming `S` (see
        // `Fresh::key`). The engine drops it only when the execution ends or when this
        // object is dropped (`Fresh::forget`, which needs it unborrowed); references handed
        // out live no longer than the execution (the module docs' limit).
        unsafe { &*ptr.cast::<S>() }
    }

    /// This execution's copy, through a unique borrow of the object (`None`: it has none,
    /// its own state is the one in use).
    pub(crate) fn state_mut<S>(&mut self) -> Option<&mut S> {
        let key = self.key::<S>();
        let ptr = super::with_engine(|e| e.fresh.get(key)).flatten()?;
        // SAFETY: as in `state`; `&mut self` means no reference to the copy is alive.
        Some(unsafe { &mut *ptr.cast::<S>() })
    }

    /// Drops this execution's copy, if any (the object is going away).
    pub(crate) fn forget<S>(&mut self) {
        let key = self.key::<S>();
        let entry = super::with_engine(|e| e.fresh.remove(key)).flatten();
        drop(entry); // outside the engine's borrow: the state's destructor may touch it
    }

    fn key<S>(&self) -> Key {
        (std::ptr::from_ref(self) as usize, type_name::<S>())
    }
}

type Key = (usize, &'static str);

/// Drops the boxed `S` at `ptr`.
///
/// # Safety
/// `ptr` came from `Box::<S>::into_raw`, and nothing else drops it.
unsafe fn drop_boxed<S>(ptr: *mut ()) {
    // SAFETY: as the function's contract says.
    drop(unsafe { Box::from_raw(ptr.cast::<S>()) });
}

/// The copies of the running execution, owned by the engine (see the module docs).
#[derive(Default)]
pub(crate) struct FreshStates(HashMap<Key, Boxed>);

/// One boxed copy and the function that drops it.
pub(crate) struct Boxed {
    ptr: *mut (),
    drop: unsafe fn(*mut ()),
}

impl Drop for Boxed {
    fn drop(&mut self) {
        // SAFETY: `ptr` and `drop` were made together from one `Box` (`Fresh::state`).
        unsafe { (self.drop)(self.ptr) }
    }
}

impl FreshStates {
    fn get(&self, key: Key) -> Option<*mut ()> {
        self.0.get(&key).map(|c| c.ptr)
    }

    fn insert(&mut self, key: Key, ptr: *mut (), drop: unsafe fn(*mut ())) {
        self.0.insert(key, Boxed { ptr, drop });
    }

    fn remove(&mut self, key: Key) -> Option<Boxed> {
        self.0.remove(&key)
    }

    /// Takes every copy out, to drop them once the engine is no longer borrowed.
    pub(crate) fn take(&mut self) -> FreshStates {
        std::mem::take(self)
    }
}
