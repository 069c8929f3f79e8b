//! Reads-from and coherence: which write each read reads, and each location's order of
//! writes (with the location's initial value first).

use super::{Ev, Graph, Label, Loc, Src, WriteKind};

impl Graph {
    pub(crate) fn rf(&self, r: Ev) -> Src {
        match self.label(r) {
            Label::Read { rf, .. } => *rf,
            _ => None,
        }
    }

    /// The value `src` holds for `loc`.
    pub(crate) fn value(&self, loc: Loc, src: Src) -> u64 {
        match src {
            None => self.loc(loc).init,
            Some(w) => match self.label(w) {
                Label::Write { value, .. } => *value,
                other => unreachable!("reads-from a non-write {other:?}"),
            },
        }
    }

    /// The value read `r` reads.
    pub(crate) fn read_value(&self, r: Ev) -> u64 {
        match self.label(r) {
            Label::Read { loc, rf, .. } => self.value(*loc, *rf),
            other => unreachable!("not a read: {other:?}"),
        }
    }

    pub(crate) fn set_rf(&mut self, r: Ev, src: Src, max: bool) {
        match &mut self.event_mut(r).label {
            Label::Read { rf, max: m, .. } => {
                *rf = src;
                *m = max;
            }
            other => unreachable!("not a read: {other:?}"),
        }
        self.refresh_porf(r);
    }

    /// The writes of `loc` in coherence order (the initial value, first, not included).
    pub(crate) fn co(&self, loc: Loc) -> &[Ev] {
        &self.co[loc.0 as usize]
    }

    /// The last write of `loc` in coherence (`None`: the initial value).
    pub(crate) fn co_max(&self, loc: Loc) -> Src {
        self.co(loc).last().copied()
    }

    /// The position of `src` in `loc`'s coherence (0: the initial value).
    pub(crate) fn co_pos(&self, loc: Loc, src: Src) -> usize {
        match src {
            None => 0,
            Some(w) => {
                1 + self
                    .co(loc)
                    .iter()
                    .position(|&x| x == w)
                    .expect("a write in coherence")
            }
        }
    }

    /// Whether `a` comes before `b` in `loc`'s coherence.
    #[cfg(test)]
    pub(crate) fn co_before(&self, loc: Loc, a: Src, b: Src) -> bool {
        self.co_pos(loc, a) < self.co_pos(loc, b)
    }

    /// The write right after `src` in coherence, if any.
    pub(crate) fn co_succ(&self, loc: Loc, src: Src) -> Option<Ev> {
        self.co(loc).get(self.co_pos(loc, src)).copied()
    }

    /// Places write `w` right after `pred` in coherence (moving it if it was placed).
    pub(crate) fn place(&mut self, w: Ev, pred: Src) {
        let loc = self.label(w).loc().expect("a write has a location");
        let list = &mut self.co[loc.0 as usize];
        if let Some(i) = list.iter().position(|&x| x == w) {
            list.remove(i);
        }
        let at = match pred {
            None => 0,
            Some(p) => {
                1 + list
                    .iter()
                    .position(|&x| x == p)
                    .expect("pred in coherence")
            }
        };
        list.insert(at, w);
    }

    pub(crate) fn set_write_max(&mut self, w: Ev, is_max: bool) {
        if let Label::Write { max, .. } = &mut self.event_mut(w).label {
            *max = is_max;
        }
    }

    /// The reads of `loc` that read from `src`.
    pub(crate) fn readers(&self, loc: Loc, src: Src) -> impl Iterator<Item = Ev> + '_ {
        self.events().filter_map(move |(e, ev)| match &ev.label {
            Label::Read { loc: l, rf, .. } if *l == loc && *rf == src => Some(e),
            _ => None,
        })
    }

    /// The write part of read-modify-write read `r`, if it has one in the graph.
    pub(crate) fn rmw_write(&self, r: Ev) -> Option<Ev> {
        let next = Ev::new(r.thread, r.index + 1);
        match self.contains(next).then(|| self.label(next)) {
            Some(Label::Write {
                kind: WriteKind::RmwPart,
                ..
            }) => Some(next),
            _ => None,
        }
    }
}
