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

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A thread of the graph: 0 is `main`.
pub(crate) type Tid = u32;

/// An event: the `index`-th operation of `thread`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct Ev {
    pub(crate) thread: Tid,
    pub(crate) index: u32,
}

impl Ev {
    pub(crate) fn new(thread: Tid, index: u32) -> Self {
        Ev { thread, index }
    }
}

impl fmt::Display for Ev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}.{}", self.thread, self.index)
    }
}

/// What a read reads from: the location's initial value (`None`) or a write event.
pub(crate) type Src = Option<Ev>;

/// A memory ordering (`std::sync::atomic::Ordering` without the non-exhaustive marker).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) enum Ord {
    Relaxed,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

impl Ord {
    pub(crate) fn is_acquire(self) -> bool {
        matches!(self, Ord::Acquire | Ord::AcqRel | Ord::SeqCst)
    }

    pub(crate) fn is_release(self) -> bool {
        matches!(self, Ord::Release | Ord::AcqRel | Ord::SeqCst)
    }

    /// The ordering of a read-modify-write's write part: without its acquire half.
    pub(crate) fn write_part(self) -> Ord {
        match self {
            Ord::Acquire => Ord::Relaxed,
            Ord::AcqRel => Ord::Release,
            o => o,
        }
    }

    /// Its name in `std::sync::atomic::Ordering`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Ord::Relaxed => "Relaxed",
            Ord::Acquire => "Acquire",
            Ord::Release => "Release",
            Ord::AcqRel => "AcqRel",
            Ord::SeqCst => "SeqCst",
        }
    }
}

/// A shared location: an atomic, a mutex or a condition variable of one execution.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct Loc(pub(crate) u32);

/// What kind of object a location is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum LocKind {
    Atomic,
    Mutex,
    Condvar,
}

/// A location's kind, initial value and name.
#[derive(Clone, Debug)]
pub(crate) struct LocInfo {
    pub(crate) kind: LocKind,
    pub(crate) init: u64,
    pub(crate) name: Arc<str>,
}

/// The value of a free mutex.
pub(crate) const FREE: u64 = 0;
/// The value of a held mutex.
pub(crate) const HELD: u64 = 1;

/// A read-modify-write operation on an integer of `width` bits (values are kept as `u64`,
/// zero-extended).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Rmw {
    pub(crate) op: RmwOp,
    pub(crate) operand: u64,
    pub(crate) width: u8,
    pub(crate) signed: bool,
}

/// The operation of a read-modify-write.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum RmwOp {
    Add,
    Sub,
    And,
    Nand,
    Or,
    Xor,
    Max,
    Min,
    Swap,
}

impl RmwOp {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RmwOp::Add => "fetch_add",
            RmwOp::Sub => "fetch_sub",
            RmwOp::And => "fetch_and",
            RmwOp::Nand => "fetch_nand",
            RmwOp::Or => "fetch_or",
            RmwOp::Xor => "fetch_xor",
            RmwOp::Max => "fetch_max",
            RmwOp::Min => "fetch_min",
            RmwOp::Swap => "swap",
        }
    }
}

impl Rmw {
    fn mask(&self) -> u64 {
        if self.width >= 64 {
            u64::MAX
        } else {
            (1u64 << self.width) - 1
        }
    }

    fn signed_value(&self, v: u64) -> i128 {
        if self.signed && self.width < 64 && v >> (self.width - 1) & 1 == 1 {
            i128::from(v) - (1i128 << self.width)
        } else if self.signed && self.width == 64 {
            i128::from(v as i64)
        } else {
            i128::from(v)
        }
    }

    /// The value written when the read part read `old`.
    pub(crate) fn apply(&self, old: u64) -> u64 {
        let x = self.operand;
        let new = match self.op {
            RmwOp::Add => old.wrapping_add(x),
            RmwOp::Sub => old.wrapping_sub(x),
            RmwOp::And => old & x,
            RmwOp::Nand => !(old & x),
            RmwOp::Or => old | x,
            RmwOp::Xor => old ^ x,
            RmwOp::Swap => x,
            RmwOp::Max => {
                if self.signed_value(x) > self.signed_value(old) {
                    x
                } else {
                    old
                }
            }
            RmwOp::Min => {
                if self.signed_value(x) < self.signed_value(old) {
                    x
                } else {
                    old
                }
            }
        };
        new & self.mask()
    }
}

/// What a read is part of.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum ReadKind {
    /// An atomic `load`.
    Load,
    /// The read part of an unconditional read-modify-write (`fetch_add`, `swap`, ...).
    Rmw(Rmw),
    /// The read part of a `compare_exchange`: it writes `new` if it read `expected`; when
    /// it fails, the read has ordering `failure` instead of the label's.
    Cas {
        expected: u64,
        new: u64,
        failure: Ord,
    },
    /// `Mutex::lock`: reads a free mutex and holds it. Only ever reads [`FREE`]: a thread
    /// whose lock would read a held mutex waits instead (the read is not added).
    Lock,
    /// `Mutex::try_lock`: takes the mutex if it reads it free, fails otherwise.
    TryLock,
    /// `Condvar::wait`, first part: adds the thread to the set of waiters.
    WaitRegister,
    /// `notify_one` / `notify_all`: reads the set of waiters; when it is not empty, the
    /// write part takes one (or all) of them out, and each one taken may wake.
    Notify { all: bool },
}

impl ReadKind {
    /// Whether the read, having read `value`, is followed by a write part.
    pub(crate) fn writes(&self, value: u64) -> bool {
        match self {
            ReadKind::Load => false,
            ReadKind::Rmw(_) | ReadKind::WaitRegister => true,
            ReadKind::Cas { expected, .. } => value == *expected,
            ReadKind::Lock | ReadKind::TryLock => value == FREE,
            ReadKind::Notify { .. } => value != 0,
        }
    }

    /// Whether the read can be the read part of a read-modify-write at all.
    pub(crate) fn is_rmw(&self) -> bool {
        !matches!(self, ReadKind::Load)
    }

    /// The ordering of a read of this kind whose label says `ord`, having read `value`: a
    /// failed `compare_exchange` has its failure ordering. (A read-modify-write's label
    /// carries the operation's whole ordering; its read part acquires if that does.)
    pub(crate) fn effective_ord(&self, ord: Ord, value: u64) -> Ord {
        match self {
            ReadKind::Cas {
                expected, failure, ..
            } if value != *expected => *failure,
            _ => ord,
        }
    }
}

/// What a write is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum WriteKind {
    /// An atomic `store`.
    Store,
    /// The write part of a read-modify-write; its read part is the previous event.
    RmwPart,
    /// `MutexGuard` dropped: the mutex is free again.
    Unlock,
}

/// What an event is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// The first event of a thread (`spawn`: the spawn that created it; `None` for `main`).
    Start { spawn: Option<Ev> },
    /// Spawns thread `child`.
    Spawn { child: Tid },
    /// The thread returned (or panicked).
    Finish,
    /// Waits for thread `child` to finish (synchronises with its `Finish`).
    Join { child: Tid },
    /// A read of `loc`.
    Read {
        loc: Loc,
        ord: Ord,
        kind: ReadKind,
        rf: Src,
        /// It read the coherence-latest write when it was added ("added maximally").
        max: bool,
    },
    /// A write of `value` to `loc`.
    Write {
        loc: Loc,
        ord: Ord,
        value: u64,
        kind: WriteKind,
        /// It was placed last in coherence when it was added.
        max: bool,
        /// For the write part of a notify: the waiting threads it wakes (a bit each).
        woke: u64,
    },
    /// A fence.
    Fence { ord: Ord },
    /// The wake-up of a condition variable's waiter, caused by the notify write `by`.
    Wake { by: Ev },
    /// `yield_now` / `spin_loop`: a marker, no memory effect. `spin`: it ended a turn of a
    /// spin loop that changed nothing and read only the latest writes, so the thread waits
    /// until one of them is overwritten (see `rt::spin`).
    Yield { spin: bool },
}

impl Label {
    pub(crate) fn loc(&self) -> Option<Loc> {
        match self {
            Label::Read { loc, .. } | Label::Write { loc, .. } => Some(*loc),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn is_write(&self) -> bool {
        matches!(self, Label::Write { .. })
    }

    /// The events this one synchronises with, other than its program-order predecessor.
    fn sources(&self) -> [Option<Ev>; 1] {
        match self {
            Label::Start { spawn } => [*spawn],
            Label::Read { rf, .. } => [*rf],
            Label::Wake { by } => [Some(*by)],
            _ => [None],
        }
    }
}

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

    /// Computes the happens-before and release views of `e` (RC11, Lahav et al. PLDI 2017):
    /// `hb = (sb ∪ sw)⁺` with
    /// `sw = [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R⊒rlx] ; (sb ; [F])? ; [E⊒acq]` and
    /// `rs = [W] ; sb|loc? ; [W⊒rlx] ; (rf ; rmw)*`; spawns, joins and wake-ups synchronise
    /// too. A write's release view joins the happens-before views of every release head
    /// whose release sequence it is in: itself if it releases, the latest release fence
    /// before it, the latest releasing write of its location before it in its thread, and
    /// (for a read-modify-write's write part) the release view of the write its read read.
    pub(crate) fn refresh_hb(&mut self, e: Ev) {
        let prev = |g: &Graph, i: u32| -> View {
            match i {
                0 => View::default(),
                i => g.event(Ev::new(e.thread, i - 1)).hb.clone(),
            }
        };
        let mut hb = prev(self, e.index);
        let label = self.label(e).clone();
        match &label {
            Label::Start { spawn: Some(s) } if self.contains(*s) => hb.join(&self.event(*s).hb),
            Label::Join { child } => {
                if let Some(last) = self.last(*child) {
                    hb.join(&self.event(last).hb);
                }
            }
            Label::Wake { by } if self.contains(*by) => hb.join(&self.event(*by).hb),
            Label::Read {
                ord,
                kind,
                rf: Some(w),
                ..
            } if self.contains(*w)
                && kind
                    .effective_ord(*ord, self.value(label.loc().expect("a read"), Some(*w)))
                    .is_acquire() =>
            {
                hb.join(&self.event(*w).rel)
            }
            Label::Fence { ord } if ord.is_acquire() => {
                // Every read before the fence synchronises through it.
                for i in 0..e.index {
                    if let Label::Read { rf: Some(w), .. } = self.label(Ev::new(e.thread, i)) {
                        if self.contains(*w) {
                            let rel = self.event(*w).rel.clone();
                            hb.join(&rel);
                        }
                    }
                }
            }
            _ => {}
        }
        hb.set(e.thread, e.index + 1);
        let mut rel = View::default();
        if let Label::Write { loc, ord, kind, .. } = &label {
            if ord.is_release() {
                rel.join(&hb);
            }
            for i in (0..e.index).rev() {
                match self.label(Ev::new(e.thread, i)) {
                    Label::Fence { ord } if ord.is_release() => {
                        rel.join(&self.event(Ev::new(e.thread, i)).hb);
                        break;
                    }
                    _ => {}
                }
            }
            for i in (0..e.index).rev() {
                match self.label(Ev::new(e.thread, i)) {
                    Label::Write { loc: l, ord, .. } if l == loc && ord.is_release() => {
                        rel.join(&self.event(Ev::new(e.thread, i)).hb);
                        break;
                    }
                    _ => {}
                }
            }
            if *kind == WriteKind::RmwPart {
                if let Some(w) = self.rf(Ev::new(e.thread, e.index - 1)) {
                    if self.contains(w) {
                        rel.join(&self.event(w).rel);
                    }
                }
            }
        }
        let ev = self.event_mut(e);
        ev.hb = hb;
        ev.rel = rel;
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

    // ----- reads and writes ------------------------------------------------------------

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

    /// A 128-bit digest of the execution this graph is: its events, reads-from and
    /// coherence, with threads named by how they were spawned (main; the k-th child of a
    /// thread) rather than by number, so that two runs that number threads differently but
    /// did the same thing get the same digest. Two executions with the same digest are the
    /// same Mazurkiewicz trace (for sequential consistency: the same order of every pair of
    /// conflicting operations).
    pub(crate) fn signature(&self) -> u128 {
        use std::hash::{Hash, Hasher};
        // Canonical thread names: the path of spawn indices from main.
        let mut key: Vec<Option<Vec<u32>>> = vec![None; self.threads.len()];
        if !self.threads.is_empty() {
            key[0] = Some(Vec::new());
        }
        let mut changed = true;
        while changed {
            changed = false;
            for t in 0..self.threads.len() {
                let Some(k) = key[t].clone() else { continue };
                let mut spawned = 0;
                for ev in &self.threads[t] {
                    if let Label::Spawn { child } = ev.label {
                        let c = child as usize;
                        if c < key.len() && key[c].is_none() {
                            let mut ck = k.clone();
                            ck.push(spawned);
                            key[c] = Some(ck);
                            changed = true;
                        }
                        spawned += 1;
                    }
                }
            }
        }
        let name = |t: Tid| key.get(t as usize).cloned().flatten();
        let ev_name = |e: Ev| (name(e.thread), e.index);
        // Canonical location names: the first event (by canonical name) that touches it.
        let mut loc_name: Vec<Option<(Option<Vec<u32>>, u32)>> = vec![None; self.locs.len()];
        for (e, ev) in self.events() {
            if let Some(l) = ev.label.loc() {
                let n = ev_name(e);
                let slot = &mut loc_name[l.0 as usize];
                if slot.as_ref().is_none_or(|have| n < *have) {
                    *slot = Some(n);
                }
            }
        }
        let lname = |l: &Loc| loc_name[l.0 as usize].clone();
        let digest = |seed: u64| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            seed.hash(&mut h);
            let mut threads: Vec<(Option<Vec<u32>>, usize)> = (0..self.threads.len())
                .map(|t| (name(t as Tid), t))
                .collect();
            threads.sort();
            for (k, t) in threads {
                k.hash(&mut h);
                for ev in &self.threads[t] {
                    match &ev.label {
                        Label::Read { loc, kind, rf, .. } => {
                            (0u8, lname(loc), kind, rf.map(ev_name)).hash(&mut h)
                        }
                        Label::Write {
                            loc,
                            value,
                            kind,
                            woke,
                            ..
                        } => (1u8, lname(loc), value, kind, woke).hash(&mut h),
                        Label::Start { spawn } => (6u8, spawn.map(ev_name)).hash(&mut h),
                        Label::Spawn { child } => (2u8, name(*child)).hash(&mut h),
                        Label::Join { child } => (3u8, name(*child)).hash(&mut h),
                        Label::Wake { by } => (4u8, ev_name(*by)).hash(&mut h),
                        other => (5u8, format!("{other:?}")).hash(&mut h),
                    }
                }
            }
            let mut cos: Vec<_> = self
                .co
                .iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(l, list)| {
                    let names: Vec<_> = list.iter().map(|&w| ev_name(w)).collect();
                    (lname(&Loc(l as u32)), names)
                })
                .collect();
            cos.sort();
            cos.hash(&mut h);
            h.finish()
        };
        u128::from(digest(1)) << 64 | u128::from(digest(2))
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
mod tests {
    use super::*;

    fn atomic(g: &mut Graph, name: &str) -> Loc {
        g.add_loc(LocInfo {
            kind: LocKind::Atomic,
            init: 0,
            name: name.into(),
        })
    }

    fn store(loc: Loc, value: u64) -> Label {
        Label::Write {
            loc,
            ord: Ord::SeqCst,
            value,
            kind: WriteKind::Store,
            max: true,
            woke: 0,
        }
    }

    fn load(loc: Loc, rf: Src) -> Label {
        Label::Read {
            loc,
            ord: Ord::SeqCst,
            kind: ReadKind::Load,
            rf,
            max: true,
        }
    }

    #[test]
    fn porf_prefixes_follow_program_order_and_reads_from() {
        let mut g = Graph::new();
        let x = atomic(&mut g, "x");
        g.add(0, Label::Start { spawn: None });
        let w = g.add(0, store(x, 1));
        g.place(w, None);
        g.add(1, Label::Start { spawn: None });
        let r = g.add(1, load(x, Some(w)));
        assert!(g.porf_before(w, r));
        assert!(!g.porf_before(r, w));
        assert_eq!(g.read_value(r), 1);
        g.set_rf(r, None, false);
        assert!(!g.porf_before(w, r), "reading the initial value: no edge");
        assert_eq!(g.read_value(r), 0);
        g.validate().unwrap();
    }

    #[test]
    fn coherence_placement_and_restriction() {
        let mut g = Graph::new();
        let x = atomic(&mut g, "x");
        let a = g.add(0, store(x, 1));
        g.place(a, None);
        let b = g.add(1, store(x, 2));
        g.place(b, None); // before a
        assert_eq!(g.co(x), &[b, a]);
        assert!(g.co_before(x, Some(b), Some(a)));
        assert_eq!(g.co_max(x), Some(a));
        let r = g.add(2, load(x, Some(a)));
        assert!(!g.cut_to_stamp(g.stamp(r) - 1) || !g.contains(r));
        assert!(g.contains(b) && g.contains(a));
        let keep = g.view_to_stamp(g.stamp(a));
        assert!(g.restrict(&keep));
        assert_eq!(g.co(x), &[a]);
        g.validate().unwrap();
    }

    #[test]
    fn restriction_reports_dangling_reads() {
        let mut g = Graph::new();
        let x = atomic(&mut g, "x");
        let r = g.add(0, load(x, None));
        let w = g.add(1, store(x, 1));
        g.place(w, None);
        g.set_rf(r, Some(w), true);
        let keep = g.view_to_stamp(g.stamp(r));
        assert!(!g.restrict(&keep), "r's write was removed");
    }

    #[test]
    fn read_modify_writes_wrap_at_their_width() {
        let add = Rmw {
            op: RmwOp::Add,
            operand: 1,
            width: 8,
            signed: false,
        };
        assert_eq!(add.apply(255), 0);
        let max = Rmw {
            op: RmwOp::Max,
            operand: 0xff, // -1 as i8
            width: 8,
            signed: true,
        };
        assert_eq!(max.apply(1), 1);
        assert_eq!(max.apply(0x80), 0xff); // -128 < -1
        let nand = Rmw {
            op: RmwOp::Nand,
            operand: 0b1100,
            width: 4,
            signed: false,
        };
        assert_eq!(nand.apply(0b1010), 0b0111);
    }
}
