//! The engine's side of `check::cell`: a cell access binds the cell to its number in this
//! execution, is checked for a data race ([`super::race`]), goes into the trace, and ends
//! the execution if it raced.

use std::panic::Location;

use super::engine::{Engine, RawEnding};
use super::graph::{Ev, Tid};
use super::objects::Slot;
use super::race::Access;
use super::trace::{Event, What};

/// What an access may do next.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CellAccess {
    /// Go on.
    Go,
    /// The execution is over (it raced, or the cell belongs to another worker's execution):
    /// switch out so that it ends.
    End,
}

impl Engine {
    /// Records an access of the cell whose slot is `slot` by the running thread; ends the
    /// execution with a data race if an earlier access of another thread does not happen
    /// before it (see [`super::race`]).
    pub(crate) fn access_cell(
        &mut self,
        slot: &Slot,
        name: Option<&'static str>,
        write: bool,
        at: &'static Location<'static>,
    ) -> CellAccess {
        let Some(t) = self.running else {
            return CellAccess::Go;
        };
        if self.ending.is_some() {
            return CellAccess::End;
        }
        let number = match slot.bound(self.generation) {
            Some(number) => number as usize,
            None => {
                let number = self.cells.add(name);
                if !slot.bind(self.generation, number as u32, self.exclusive) {
                    // A cell in a `static`: its data is not fresh in each execution.
                    self.outlived = true;
                    self.kept = true;
                    if self.exclusive {
                        // Another worker may be touching its data right now: stop before
                        // this one does; the search goes on with one worker.
                        self.ending.get_or_insert(RawEnding::Abandoned);
                        return CellAccess::End;
                    }
                }
                number
            }
        };
        let after = self.replayed.get(t).copied().unwrap_or(0);
        let view = after.checked_sub(1).map(|i| {
            let ev = self.graph.event(Ev::new(t as Tid, i));
            if self.graph.is_weak() {
                &ev.hb
            } else {
                &ev.porf
            }
        });
        let access = Access { after, at, write };
        let race = self.cells.access(number, t, access, view);
        let object = std::sync::Arc::clone(self.cells.name(number));
        self.trace.push(Event {
            thread: t,
            what: What::Access {
                object: std::sync::Arc::clone(&object),
                write,
            },
        });
        let Some((u, earlier)) = race else {
            return CellAccess::Go;
        };
        // The message names the two accesses in thread order, so that the same race reads
        // the same whichever access came second.
        let mut pair = [(u, earlier), (t, access)];
        pair.sort_by_key(|&(thread, _)| thread);
        let said = |(thread, a): (usize, Access)| {
            format!(
                "{}'s {} at {}:{}",
                self.thread(thread).name,
                if a.write { "write" } else { "read" },
                a.at.file(),
                a.at.line()
            )
        };
        let message = format!(
            "{object}: {} and {}; neither happens before the other",
            said(pair[0]),
            said(pair[1]),
        );
        self.ending = Some(RawEnding::DataRace { thread: t, message });
        CellAccess::End
    }
}
