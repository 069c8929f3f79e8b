//! loom only: the tutorial's program as Python wrote it — a plain shared integer, no atomic,
//! no lock — and why Rust makes you lie to write it.
//!
//! **A data race is not the same thing as a race condition.** The unlocked
//! [`Counter`](crate::counter::Counter) has a *race condition*: its value is an atomic,
//! every load and store is well defined, and still an update can be lost because read and
//! write are two steps. Safe Rust compiles that, because it is a logic bug, not a memory
//! bug.
//!
//! The tutorial's Python, translated literally, has a *data race*: two threads access one
//! plain `usize`, at least one writing, with nothing ordering the accesses. In Rust that is
//! undefined behaviour, and safe Rust refuses to compile it: a `&usize` shared between
//! threads cannot be written, a `static mut` needs `unsafe`, and a `Cell` is not `Sync`.
//! [`UnsyncCounter`] compiles only because of an `unsafe impl Sync` — the lie. loom's
//! `UnsafeCell` tracks every access and reports the concurrent read and write
//! ("Causality violation"), which `tests/tutorial/loom/data_race.rs` expects it to find.

use super::sync::cell::UnsafeCell;

/// The tutorial's `database_value` as a plain integer (see the module docs). Unsound.
#[derive(Debug)]
pub struct UnsyncCounter {
    value: UnsafeCell<usize>,
}

// SAFETY: none — this is the lie the module docs describe. It exists so that loom can
// show the data race that safe Rust refuses to compile; the type is only built under loom,
// whose `UnsafeCell` catches the unsynchronised accesses instead of letting them happen.
unsafe impl Sync for UnsyncCounter {}

impl Default for UnsyncCounter {
    fn default() -> Self {
        UnsyncCounter::new()
    }
}

impl UnsyncCounter {
    /// A counter at 0.
    pub fn new() -> Self {
        UnsyncCounter {
            value: UnsafeCell::new(0),
        }
    }

    /// `local_copy = database_value; local_copy += 1; database_value = local_copy`.
    pub fn increment(&self) {
        // SAFETY: not safe when called from two threads at once; loom reports it.
        let local_copy = self.value.with(|p| unsafe { *p }) + 1;
        self.value.with_mut(|p| unsafe { *p = local_copy });
    }

    /// The current value.
    pub fn value(&self) -> usize {
        // SAFETY: as above.
        self.value.with(|p| unsafe { *p })
    }
}
