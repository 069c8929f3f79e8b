//! Data races on non-atomic memory: the accesses of `check::cell::UnsafeCell`.
//!
//! **What a data race is.** Two accesses of the same non-atomic memory, from different
//! threads, at least one a write, neither of which happens before the other (C++20
//! \[intro.races\], which Rust adopts; RC11, Lahav et al. PLDI 2017, §3, defines it on
//! execution graphs the same way). Under sequential consistency, with every atomic `SeqCst`,
//! happens-before is `porf = (po ∪ rf ∪ sync)⁺`, which every event of the graph carries; under
//! RC11 it is `hb = (sb ∪ sw)⁺`, carried by weak graphs (`graph/hb.rs`).
//!
//! **How it is found.** A cell access is not an event of the graph and not a switch point:
//! it happens between two events of its thread. Access *a* of thread *u*, made when *u* had
//! executed `after` events, happens before access *b* of thread *t ≠ u* exactly when *u*'s
//! event number `after` (the first that follows *a*) is in the happens-before view of *t*'s
//! latest event. Each cell keeps, per thread, its latest read and latest write; a new
//! access is checked against the other threads' latest write (and, if it writes, their
//! latest read). Checking the latest is enough: an earlier access of the same thread
//! happens before everything the latest does. The check runs at every access, in every
//! execution, whatever strategy chose the schedule.
//!
//! **Why the exhaustive search finds every race** (the argument of Boehm and Adve, PLDI
//! 2008, carried to graphs). Until a program's first race, every read of a cell reads the
//! one write that happens before it last, so the program behaves the same in every
//! execution of the same graph, and the cells add no choices the search would have to
//! explore. Take any execution that races, cut just before its first racing access: that
//! prefix is a consistent graph, the search explores a complete graph that extends it
//! (every consistent prefix extends), and there the two accesses are unordered just the
//! same — so the execution of that graph ends in a data race. An execution that races ends
//! there (its ending is the race), since what it would do next is undefined behaviour.
//!
//! Invariant: `after` positions are counted by `Engine::replayed`, the events this run has
//! executed, never by the graph's length (a replayed graph already holds later events).
//! `rt::cell` is the engine's side: binding a cell to its number, the trace, the ending.

use std::panic::Location;
use std::sync::Arc;

use super::graph::{Tid, View};

/// One access of a cell.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Access {
    /// How many events its thread had executed: event number `after` of the thread is the
    /// first that follows the access in program order.
    pub(crate) after: u32,
    pub(crate) at: &'static Location<'static>,
    pub(crate) write: bool,
}

/// One cell's accesses in this execution: per thread, the latest read and write.
#[derive(Debug)]
struct CellLog {
    name: Arc<str>,
    latest: Vec<[Option<Access>; 2]>,
}

/// The cells of one execution, by number.
#[derive(Debug, Default)]
pub(crate) struct Cells(Vec<CellLog>);

impl Cells {
    /// Forgets every cell (a new execution).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// A new cell's number.
    pub(crate) fn add(&mut self, name: Option<&'static str>) -> usize {
        let number = self.0.len();
        let name: Arc<str> = match name {
            Some(name) => name.into(),
            None => format!("cell#{}", number + 1).into(),
        };
        self.0.push(CellLog {
            name,
            latest: Vec::new(),
        });
        number
    }

    /// Cell `number`'s name.
    pub(crate) fn name(&self, number: usize) -> &Arc<str> {
        &self.0[number].name
    }

    /// Records `access` of cell `number` by `thread`, whose latest event has the
    /// happens-before view `view` (`None`: it has no event yet). Returns an earlier access
    /// of another thread it races with, and that thread (see the module docs).
    pub(crate) fn access(
        &mut self,
        number: usize,
        thread: usize,
        access: Access,
        view: Option<&View>,
    ) -> Option<(usize, Access)> {
        let happens_before = |u: usize, a: &Access| view.is_some_and(|v| v.get(u as Tid) > a.after);
        let log = &mut self.0[number];
        let race = log
            .latest
            .iter()
            .enumerate()
            .filter(|&(u, _)| u != thread)
            .flat_map(|(u, [read, written])| {
                let read = read.filter(|_| access.write);
                [*written, read].into_iter().flatten().map(move |a| (u, a))
            })
            .find(|(u, a)| !happens_before(*u, a));
        if log.latest.len() <= thread {
            log.latest.resize(thread + 1, [None, None]);
        }
        log.latest[thread][usize::from(access.write)] = Some(access);
        race
    }
}
