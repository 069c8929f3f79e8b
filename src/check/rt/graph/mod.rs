//! Execution graphs: what one execution did, as events and the relations between them.
//!
//! This is the model state every exhaustive search works on (Kokologiannakis, Raad,
//! Vafeiadis, "Model checking for weakly consistent libraries", PLDI 2019; and TruSt,
//! Kokologiannakis, Marmanis, Gladstein, Vafeiadis, POPL 2022). An execution is a set of
//! **events** — each thread's operations in program order (`po`) — and three relations:
//!
//! * **reads-from** (`rf`): the write (or the location's initial value) each read reads;
//! * **coherence** (`co`): for every location, a total order of its writes (the initial
//!   value first);
//! * **synchronisation** edges that are not memory accesses: a spawn to the child's start,
//!   a thread's finish to the `join` that waits for it, a notify to the wake-up it causes.
//!
//! Every event has a **stamp**, the order in which the search added it. `porf` is
//! `(po ∪ rf ∪ sync)⁺`; each event carries its `porf` prefix as a view (for every thread,
//! how many of its events are in the prefix), which is what makes "is *a* in the prefix of
//! *b*" a constant-time question.
//!
//! Invariants (checked by `debug_assert`s and by [`Graph::validate`] in tests):
//! * each thread's events are a prefix of its program order, and stamps grow along it;
//! * every read's `rf` is a write of the same location that is in the graph;
//! * `co` lists exactly the graph's writes of each location;
//! * a read-modify-write's write part immediately follows its read part in program order
//!   and reads-from/coherence-follows it immediately in `co` (atomicity), unless the search
//!   is about to repair a violation it created on purpose (see `search::trust`).

mod coherence;
mod hb;
mod label;
mod signature;

use std::collections::HashMap;
use std::fmt;

pub(crate) use label::*;

/// For every thread, how many of its first events a set contains (sets closed under
/// program order, like `porf` prefixes).
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub(crate) struct View(Vec<u32>);

impl View {
    pub(crate) fn get(&self, thread: Tid) -> u32 {
        self.0.get(thread as usize).copied().unwrap_or(0)
    }

    pub(crate) fn contains(&self, e: Ev) -> bool {
        self.get(e.thread) > e.index
    }

    pub(crate) fn set(&mut self, thread: Tid, count: u32) {
        let t = thread as usize;
        if self.0.len() <= t {
            self.0.resize(t + 1, 0);
        }
        self.0[t] = count;
    }

    pub(crate) fn join(&mut self, other: &View) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }
}

/// One event of the graph.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub(crate) label: Label,
    pub(crate) stamp: u32,
    /// Whether a later write may still revisit it (see `search::trust`): false for the
    /// events in the prefix of a write that revisited a read.
    pub(crate) revisitable: bool,
    /// Its `porf` prefix, itself included.
    pub(crate) porf: View,
    /// Under weak memory: its happens-before prefix, itself included (RC11's
    /// `hb = (sb ∪ sw)⁺`, see `model::rc11`); empty otherwise.
    pub(crate) hb: View,
    /// Under weak memory, for a write: what an acquire that reads it (or a later write of
    /// its release sequence) synchronises with — the happens-before prefixes of the
    /// release heads of its release sequences; empty otherwise.
    pub(crate) rel: View,
}

/// An execution graph (see the module docs).
#[derive(Clone, Debug, Default)]
pub(crate) struct Graph {
    threads: Vec<Vec<Event>>,
    locs: Vec<LocInfo>,
    co: Vec<Vec<Ev>>,
    next_stamp: u32,
    /// The thread number each spawn event gave its child: kept when the spawn is cut, so
    /// that adding the same spawn again numbers the child the same way.
    children: HashMap<Ev, Tid>,
    /// Whether events carry happens-before views (weak memory).
    weak: bool,
}

impl Graph {
    pub(crate) fn new() -> Self {
        Graph::default()
    }

    /// A graph whose events carry happens-before views (for weak memory models).
    pub(crate) fn weak() -> Self {
        Graph {
            weak: true,
            ..Graph::default()
        }
    }

    // ----- locations -------------------------------------------------------------------

    pub(crate) fn add_loc(&mut self, info: LocInfo) -> Loc {
        self.locs.push(info);
        self.co.push(Vec::new());
        Loc(self.locs.len() as u32 - 1)
    }

    pub(crate) fn loc(&self, loc: Loc) -> &LocInfo {
        &self.locs[loc.0 as usize]
    }

    pub(crate) fn locs(&self) -> usize {
        self.locs.len()
    }

    // ----- threads and events ----------------------------------------------------------

    pub(crate) fn threads(&self) -> usize {
        self.threads.len()
    }

    pub(crate) fn thread_len(&self, t: Tid) -> u32 {
        self.threads.get(t as usize).map_or(0, |v| v.len() as u32)
    }

    pub(crate) fn thread_events(&self, t: Tid) -> &[Event] {
        self.threads.get(t as usize).map_or(&[], |v| v.as_slice())
    }

    pub(crate) fn contains(&self, e: Ev) -> bool {
        e.index < self.thread_len(e.thread)
    }

    pub(crate) fn event(&self, e: Ev) -> &Event {
        &self.threads[e.thread as usize][e.index as usize]
    }

    pub(crate) fn event_mut(&mut self, e: Ev) -> &mut Event {
        &mut self.threads[e.thread as usize][e.index as usize]
    }

    pub(crate) fn label(&self, e: Ev) -> &Label {
        &self.event(e).label
    }

    pub(crate) fn stamp(&self, e: Ev) -> u32 {
        self.event(e).stamp
    }

    pub(crate) fn last(&self, t: Tid) -> Option<Ev> {
        match self.thread_len(t) {
            0 => None,
            n => Some(Ev::new(t, n - 1)),
        }
    }

    /// Every event, thread by thread.
    pub(crate) fn events(&self) -> impl Iterator<Item = (Ev, &Event)> + '_ {
        self.threads.iter().enumerate().flat_map(|(t, evs)| {
            evs.iter()
                .enumerate()
                .map(move |(i, e)| (Ev::new(t as Tid, i as u32), e))
        })
    }

    pub(crate) fn max_stamp(&self) -> Option<u32> {
        self.events().map(|(_, e)| e.stamp).max()
    }

    /// The number the child of spawn event `spawn` gets: the one it had before, or the next.
    pub(crate) fn child_for(&mut self, spawn: Ev) -> Tid {
        if let Some(&c) = self.children.get(&spawn) {
            return c;
        }
        let used = self.children.values().copied().max().map_or(0, |m| m + 1);
        let c = (self.threads.len() as Tid).max(used).max(1);
        self.children.insert(spawn, c);
        c
    }

    /// Adds `label` as the next event of thread `t`; returns it.
    pub(crate) fn add(&mut self, t: Tid, label: Label) -> Ev {
        let ti = t as usize;
        if self.threads.len() <= ti {
            self.threads.resize_with(ti + 1, Vec::new);
        }
        let index = self.threads[ti].len() as u32;
        let e = Ev::new(t, index);
        let mut porf = match index {
            0 => View::default(),
            _ => self.threads[ti][index as usize - 1].porf.clone(),
        };
        self.join_sources(&mut porf, &label);
        porf.set(t, index + 1);
        if let Label::Write { loc, .. } = &label {
            debug_assert!((loc.0 as usize) < self.locs.len());
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.threads[ti].push(Event {
            label,
            stamp,
            revisitable: true,
            porf,
            hb: View::default(),
            rel: View::default(),
        });
        if self.weak {
            self.refresh_hb(e);
        }
        e
    }

    pub(crate) fn is_weak(&self) -> bool {
        self.weak
    }

    /// Whether `a` happens before `b` (weak graphs; `a` ≠ `b`).
    pub(crate) fn hb(&self, a: Ev, b: Ev) -> bool {
        a != b && self.event(b).hb.contains(a)
    }

    fn join_sources(&self, porf: &mut View, label: &Label) {
        for src in label.sources().into_iter().flatten() {
            if self.contains(src) {
                porf.join(&self.event(src).porf);
            }
        }
        if let Label::Join { child } = label {
            if let Some(last) = self.last(*child) {
                porf.join(&self.event(last).porf);
            }
        }
    }

    /// Recomputes the `porf` view of `e` (after its `rf` changed; `e` must have no
    /// program-order successor).
    pub(crate) fn refresh_porf(&mut self, e: Ev) {
        debug_assert_eq!(self.last(e.thread), Some(e));
        let mut porf = match e.index {
            0 => View::default(),
            i => self.event(Ev::new(e.thread, i - 1)).porf.clone(),
        };
        let label = self.label(e).clone();
        self.join_sources(&mut porf, &label);
        porf.set(e.thread, e.index + 1);
        self.event_mut(e).porf = porf;
        if self.weak {
            self.refresh_hb(e);
        }
    }

    /// Whether `a` is in the `porf` prefix of `b` (`a` = `b` included).
    #[cfg(test)]
    pub(crate) fn porf_before(&self, a: Ev, b: Ev) -> bool {
        self.event(b).porf.contains(a)
    }

    // ----- restriction -----------------------------------------------------------------

    /// Keeps only the events `keep` contains (a set closed under program order); returns
    /// `false` if a kept read reads from a removed write (the result is then not an
    /// execution, and the caller discards it).
    pub(crate) fn restrict(&mut self, keep: &View) -> bool {
        for (t, evs) in self.threads.iter_mut().enumerate() {
            evs.truncate(keep.get(t as Tid) as usize);
        }
        while self.threads.last().is_some_and(Vec::is_empty) {
            self.threads.pop();
        }
        let threads = &self.threads;
        let present =
            |e: &Ev| (e.index as usize) < threads.get(e.thread as usize).map_or(0, Vec::len);
        for list in &mut self.co {
            list.retain(present);
        }
        let mut ok = true;
        for (_, ev) in self.events() {
            if let Some(src) = ev.label.sources()[0] {
                if !self.contains(src) {
                    ok = false;
                }
            }
        }
        self.next_stamp = self.max_stamp().map_or(0, |s| s + 1);
        ok
    }

    /// The events whose stamp is at most `stamp`, as a view.
    pub(crate) fn view_to_stamp(&self, stamp: u32) -> View {
        let mut v = View::default();
        for (t, evs) in self.threads.iter().enumerate() {
            let n = evs.iter().take_while(|e| e.stamp <= stamp).count();
            v.set(t as Tid, n as u32);
        }
        v
    }

    /// Removes every event added after `stamp`.
    pub(crate) fn cut_to_stamp(&mut self, stamp: u32) -> bool {
        let keep = self.view_to_stamp(stamp);
        self.restrict(&keep)
    }

    /// Removes the last event of thread `t`.
    pub(crate) fn remove_last(&mut self, t: Tid) {
        let e = self.last(t).expect("an event to remove");
        let mut keep = View::default();
        for u in 0..self.threads.len() as Tid {
            keep.set(u, self.thread_len(u));
        }
        keep.set(t, e.index);
        self.restrict(&keep);
    }

    /// Checks the invariants of the module docs (for tests).
    #[cfg(test)]
    pub(crate) fn validate(&self) -> Result<(), String> {
        for (e, ev) in self.events() {
            if e.index > 0 {
                let prev = self.event(Ev::new(e.thread, e.index - 1));
                if prev.stamp >= ev.stamp {
                    return Err(format!("stamps do not grow along {e}'s thread"));
                }
            }
            if let Label::Read {
                loc, rf: Some(w), ..
            } = &ev.label
            {
                if !self.contains(*w) {
                    return Err(format!("{e} reads from {w}, which is not in the graph"));
                }
                if self.label(*w).loc() != Some(*loc) || !self.label(*w).is_write() {
                    return Err(format!("{e} reads from {w}, not a write of its location"));
                }
            }
        }
        for (l, list) in self.co.iter().enumerate() {
            let writes = self
                .events()
                .filter(|(_, ev)| ev.label.is_write() && ev.label.loc() == Some(Loc(l as u32)))
                .count();
            if writes != list.len() {
                return Err(format!(
                    "coherence of location {l} lists {} of {writes} writes",
                    list.len()
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, evs) in self.threads.iter().enumerate() {
            writeln!(f, "thread {t}:")?;
            for (i, ev) in evs.iter().enumerate() {
                writeln!(f, "  {i:>3} @{:<4} {:?}", ev.stamp, ev.label)?;
            }
        }
        for (l, list) in self.co.iter().enumerate() {
            if !list.is_empty() {
                let names: Vec<String> = list.iter().map(ToString::to_string).collect();
                writeln!(f, "co {}: init {}", self.locs[l].name, names.join(" "))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
