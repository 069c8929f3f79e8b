//! Binding objects to the locations of the execution graph (see [`super::objects`]), and
//! naming them.

use std::sync::Arc;

use super::engine::Engine;
use super::graph::{Loc, LocInfo, LocKind};
use super::objects::ObjMeta;

impl Engine {
    /// The location `meta` is bound to in this execution, if it is.
    pub(crate) fn bound_loc(&self, meta: &ObjMeta) -> Option<Loc> {
        meta.bound(self.generation)
    }

    /// Binds `meta` to `loc` (the location a replayed event records) or, with `None`, to a
    /// new location; returns its location. Records nondeterminism if the graph says
    /// otherwise than a binding already made.
    pub(crate) fn bind(&mut self, meta: &ObjMeta, loc: Option<Loc>) -> Loc {
        let addr = meta as *const ObjMeta as usize;
        if let Some(have) = meta.bound(self.generation) {
            if loc.is_some_and(|l| l != have) {
                self.nondeterministic(
                    "an object was used where the recorded execution used another",
                );
            }
            return have;
        }
        // An `AtomicPtr` starts with its initial pointer's id (see `rt::pointers`).
        let init = match meta.init_addr() {
            Some(0) | None => meta.init(),
            Some(_) => super::pointers::INITIAL,
        };
        let loc = match loc {
            Some(loc) => {
                let expected = init;
                let info = self.graph.loc(loc);
                if info.kind != meta.kind()
                    || (info.kind == LocKind::Atomic && info.init != expected)
                {
                    self.nondeterministic("an operation touched another kind of object, or one with another initial value, than when it was recorded");
                }
                loc
            }
            None => {
                let name: Arc<str> = match meta.name() {
                    Some(name) => name.into(),
                    None => {
                        let k = meta.kind() as usize;
                        self.kind_counts[k] += 1;
                        let kind = match meta.kind() {
                            LocKind::Atomic => "atomic",
                            LocKind::Mutex => "mutex",
                            LocKind::Condvar => "condvar",
                        };
                        format!("{kind}#{}", self.kind_counts[k]).into()
                    }
                };
                self.graph.add_loc(LocInfo {
                    kind: meta.kind(),
                    init,
                    name,
                })
            }
        };
        if let Some(&other) = self.bound.get(&loc) {
            if other != addr {
                self.nondeterministic(
                    "two objects were used where the recorded execution used one",
                );
            }
        }
        self.bound.insert(loc, addr);
        if !meta.bind(self.generation, loc, self.exclusive) {
            self.outlived = true;
            self.kept |= meta.keeps();
            if self.exclusive {
                // Its data may be in another worker's hands: stop before this thread
                // touches it (`decide` does not let it go on), and search on one worker.
                self.ending
                    .get_or_insert(super::engine::RawEnding::Abandoned);
            }
        }
        loc
    }

    /// The name of location `loc`.
    pub(crate) fn loc_name(&self, loc: Loc) -> Arc<str> {
        Arc::clone(&self.graph.loc(loc).name)
    }

    /// The name of the object with `meta`, whether or not this execution bound it.
    pub(crate) fn object_name(&self, meta: &ObjMeta) -> String {
        match self.bound_loc(meta) {
            Some(loc) => self.loc_name(loc).to_string(),
            None => meta.name().unwrap_or("(an object)").to_string(),
        }
    }
}
