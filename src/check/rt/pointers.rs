//! Pointer values in the execution graph (`check::sync::atomic::AtomicPtr`).
//!
//! The graph records the values atomics hold, and the search compares them across
//! executions (a replay checks that a store stores what the graph recorded; a revisit
//! decides whether a `compare_exchange` succeeds from recorded values). Addresses differ
//! from one execution to the next (each execution allocates afresh), so the graph holds a
//! pointer's **id** instead, the same in every execution that does the same thing:
//!
//! * null is 0;
//! * in an operation of an atomic, the atomic's own initial pointer is [`INITIAL`]: that is
//!   what its location starts with, whichever thread touches it first;
//! * any other pointer is named by the thread that first stores (or compares with) it and
//!   its count of pointers it introduced: `(thread + 1) << 32 | k`.
//!
//! For each atomic, ids and addresses are in one-to-one correspondence within an
//! execution, so equality of ids is equality of pointers (a `compare_exchange` compares
//! two values of one atomic). Limit: an address that two threads introduce each on its
//! own, or that a new allocation reuses after a free, can get another id in another order
//! of the same execution graph; the replay then sees a store of another value than
//! recorded and the report says so (nondeterminism), never silently.

use std::collections::HashMap;

/// The id of an atomic's own initial pointer, in its operations.
pub(crate) const INITIAL: u64 = 1 << 63;

/// The pointer ids of one execution (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Pointers {
    ids: HashMap<usize, u64>,
    addrs: HashMap<u64, usize>,
    /// Per thread, how many pointers it introduced.
    introduced: Vec<u32>,
}

impl Pointers {
    /// Forgets every pointer (a new execution).
    pub(crate) fn clear(&mut self) {
        self.ids.clear();
        self.addrs.clear();
        self.introduced.clear();
    }

    fn name(&mut self, addr: usize, id: u64) -> u64 {
        self.ids.insert(addr, id);
        self.addrs.insert(id, addr);
        id
    }

    /// The id of `addr`, which thread `thread` stores or compares with in an operation of
    /// an atomic whose initial pointer is `init`.
    pub(crate) fn id(&mut self, addr: usize, init: usize, thread: usize) -> u64 {
        if addr == 0 {
            return 0;
        }
        if addr == init {
            return INITIAL;
        }
        if let Some(&id) = self.ids.get(&addr) {
            return id;
        }
        if self.introduced.len() <= thread {
            self.introduced.resize(thread + 1, 0);
        }
        let k = self.introduced[thread];
        self.introduced[thread] += 1;
        self.name(addr, (thread as u64 + 1) << 32 | u64::from(k))
    }

    /// The address of pointer `id`, read from an atomic whose initial pointer is `init`, if
    /// this execution named it.
    pub(crate) fn addr(&self, id: u64, init: usize) -> Option<usize> {
        match id {
            0 => return Some(0),
            INITIAL => return Some(init),
            _ => {}
        }
        self.addrs.get(&id).copied()
    }
}
