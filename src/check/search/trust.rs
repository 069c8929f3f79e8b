//! The exhaustive search: TruSt, "Truly Stateless, Optimal Dynamic Partial Order
//! Reduction" (Kokologiannakis, Marmanis, Gladstein, Vafeiadis, POPL 2022), as GenMC
//! implements it (Kokologiannakis, Raad, Vafeiadis, PLDI 2019 and later releases). One
//! algorithm, kept in one file past 400 lines so that it reads next to the paper.
//!
//! The search explores **execution graphs** ([`crate::check::rt::graph`]), adding one event
//! at a time in a fixed order (the runtime's *next event*: replay the graph, finish an
//! operation that is half added, then the lowest-numbered thread that can go on). Each
//! addition may branch:
//!
//! * a **read** reads from the coherence-latest write, and every other write it may read
//!   from (the memory model's candidates) is pushed as a *forward revisit*;
//! * a **write** goes last in coherence, every other coherent placement is pushed as a
//!   forward revisit, and every read of its location that is not in its `porf` prefix and
//!   that passes the **maximality** condition below is pushed as a *backward revisit*: a
//!   graph where that read reads the new write instead, and every event added after the
//!   read that is not in the write's prefix is deleted.
//!
//! * a weak `compare_exchange` that may fail spuriously (`rt::spurious`, only in a check
//!   that asks for it) reads each write holding its expected value in two ways, succeeding
//!   and failing: the failing one is one more alternative of the read, pushed as a forward
//!   revisit ([`Item::Read`] with `spurious`) or next to the backward revisit that makes it
//!   read a later write ([`Item::Revisit`] with `spurious`). A spurious failure is never
//!   "added maximally", so no backward revisit deletes it, and it is never revisited
//!   itself: the read added maximally (not failing, reading the coherence-latest write)
//!   stands for it, its revisits are pushed with a spurious twin each, and re-adding the
//!   read after a revisit that deletes it explores every alternative again (TruSt's
//!   argument for a read's other candidates, one candidate more). The bound on each
//!   thread's failures is counted along its program order, which every graph keeps whole
//!   before an event, so whether a read may still fail does not depend on the rest of the
//!   graph.
//!
//! * a wait that may wake spuriously (`Check::spurious_wakeups`) may also never wake: its
//!   wake's read, where it would read a waiter set that still holds its thread, gets a
//!   twin that waits for ever, pushed and treated as a spurious failure's (never added
//!   maximally, so never revisited nor deleted; re-added with the read). Only one twin,
//!   reading what the read reads when added: a wait that never wakes reads nothing that
//!   matters, and a twin per write it could read would run the same execution again
//!   (`rt::spurious`).
//!
//! Maximality (TruSt's `IsMaximal`, GenMC's `isMaximalExtension`): a backward revisit of
//! read `r` by write `w` is taken only if every event it deletes, and `r` itself, was added
//! "maximally": a read read the coherence-latest write of the events then present (and
//! still does among those kept), a write was placed last; and no deleted read had itself
//! been revisited by a write that is deleted too. This is what makes every consistent graph
//! reachable exactly once (optimality), with memory linear in the graph: the search keeps a
//! stack of graphs, one per backward revisit being explored, each with its list of revisits
//! still to try (LIFO).
//!
//! Read-modify-writes (and a mutex's lock, which is one) are atomic: a new one may read a
//! write that another, still revisitable, read-modify-write already read ("steal" it); its
//! write part must then revisit that other one, so the branch that does not is dropped
//! ("moot"). A lock whose read would read a held mutex is removed instead, and its thread
//! waits until the mutex is free (GenMC's treatment of blocking lock reads).
//!
//! A condition variable's wait is two events (registration, unlock) that std performs as
//! one atomic step: the models check them as one ([`model::wait_blocks`]), and a backward
//! revisit that keeps a registration keeps its unlock, so that no graph holds a wait half
//! taken with other events after it (no completion of such a graph could be consistent,
//! which would break TruSt's maximal extensibility). A read-modify-write that steals
//! another's value is left inconsistent until its write part's revisit repairs it: only the
//! repaired graph is checked and run. A notify's alternative wake-up choice (a
//! `notify_one` that takes another waiter than the first) recomputes its write's revisits
//! and, like a coherence alternative, marks the write not added maximally: a backward
//! revisit that would delete it is taken from the first choice's graph instead (the woken
//! thread's events follow the notify in porf, through its `Wake`, so every write that can
//! revisit while leaving the notify out exists there too), and the re-added notify pushes
//! the choice again. Without the mark, such graphs were explored twice.
//!
//! Invariants kept (debug-asserted): every graph handed to the runtime, and every graph a
//! run ends with, is consistent ([`Model::consistent`]); events in the `porf` prefix of a
//! revisiting write are never revisited again; stamps grow along program order.

use crate::check::rt::graph::{
    Ev, FREE, Graph, HELD, Label, Loc, ReadKind, Src, Tid, View, WriteKind,
};
use crate::check::rt::model::{self, Model};
use crate::check::rt::spurious;

use super::estimate::Estimate;
use super::share::Share;
use rand::SeedableRng;
use std::sync::Arc;

/// Something still to explore, relative to the graph of the frame it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Read `r` reads `src` instead; `spurious`: and fails spuriously (a weak
    /// `compare_exchange` that read its expected value, see [`spurious`]).
    Read { r: Ev, src: Src, spurious: bool },
    /// Write `w` follows `pred` in coherence instead.
    Write { w: Ev, pred: Src },
    /// Notify write `w` wakes the waiters `woke` instead.
    Choice { w: Ev, woke: u64 },
    /// Read `r` reads the later write `w` (a backward revisit); `spurious`: and fails
    /// spuriously.
    Revisit { r: Ev, w: Ev, spurious: bool },
}

impl Item {
    /// The event from which the item's alternative changes the execution: what runs
    /// again after it (for a backward revisit, the read it revisits).
    fn redo_event(&self) -> Ev {
        match self {
            Item::Revisit { r, .. } => *r,
            other => other.stamp_event(),
        }
    }

    fn stamp_event(&self) -> Ev {
        match self {
            Item::Read { r, .. } => *r,
            Item::Write { w, .. } | Item::Choice { w, .. } | Item::Revisit { w, .. } => *w,
        }
    }
}

/// A graph and the alternatives still to explore from it: one level of the search's stack.
#[derive(Debug)]
pub(crate) struct Frame {
    graph: Option<Graph>,
    work: Vec<Item>,
    /// The node of the search tree each item of `work` is (same length, once tagged).
    nodes: Vec<Node>,
}

impl Frame {
    fn new(graph: Graph) -> Self {
        Frame {
            graph: Some(graph),
            work: Vec::new(),
            nodes: Vec::new(),
        }
    }
}

/// A node of the search tree: the first execution is the root, and every item is a child
/// of the node whose processing or execution pushed it (the stack flattens this tree: a
/// frame's list holds the children of several nodes). The tree is the same in every run,
/// with any number of parallel jobs, so a node's `id` (a hash of its path from the root) is
/// too; shards split the search by it (see [`ShardOf`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Node {
    depth: u32,
    /// Which child of its parent it is (children are explored from the highest down).
    index: u32,
    id: u64,
    /// How many nodes it stands for in a random walk down the tree: the product of the
    /// numbers of children of its ancestors (see [`super::estimate`]; an `f64`, as it can
    /// outgrow any integer).
    weight: f64,
    /// The sum of the weights of its ancestors that ran.
    runs_above: f64,
}

impl Node {
    const ROOT: Node = Node {
        depth: 0,
        index: 0,
        id: 0x9e37_79b9_7f4a_7c15,
        weight: 1.0,
        runs_above: 0.0,
    };

    /// The `k`-th of the `of` children of this node, which ran or not (the id is
    /// SplitMix64's finaliser over the parent's id and `k`).
    fn child(self, k: u32, of: u32, ran: bool) -> Node {
        let mut z = self.id.wrapping_add(
            u64::from(k)
                .wrapping_add(1)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Node {
            depth: self.depth + 1,
            index: k,
            id: z ^ (z >> 31),
            weight: self.weight * f64::from(of),
            runs_above: self.runs(ran),
        }
    }

    /// The sum of the weights of the nodes from the root to this one that ran.
    fn runs(self, ran: bool) -> f64 {
        if ran {
            self.runs_above + self.weight
        } else {
            self.runs_above
        }
    }
}

/// One shard of a search split into `count` disjoint parts (`index` is 1-based). The
/// nodes at `depth` are dealt out by their id; every shard runs the nodes above that depth
/// (the shared *trunk*) but only shard 1 reports them; a shard runs and reports the whole
/// subtree of each node it was dealt. The parts are disjoint and their union is the whole
/// search, because the tree and the ids are the same in every run.
///
/// Subtree sizes are heavy-tailed (a node near the root can hold most of the search), so
/// the depth is chosen per search: the shallowest with at least [`DEAL`] nodes per shard,
/// found by every shard alike by exploring the trunk alone, deeper each time
/// ([`Trust::probe`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShardOf {
    pub(crate) index: usize,
    pub(crate) count: usize,
    pub(crate) depth: u32,
}

/// Nodes dealt per shard, at least, where the search is deep enough: many small subtrees
/// each, so that a few large ones do not decide a shard's share.
pub(crate) const DEAL: usize = 256;

impl ShardOf {
    fn owns(self, node: Node) -> bool {
        (node.id % self.count as u64) as usize + 1 == self.index
    }
}

/// Counts of what the search did besides running executions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Alternatives dropped because their graph was inconsistent.
    pub(crate) inconsistent: usize,
    /// Alternatives dropped because a read-modify-write's atomicity left nothing to run
    /// (a "steal" whose revisit was explored instead).
    pub(crate) moot: usize,
    /// Revisits dropped because a kept read would read a deleted write.
    pub(crate) dangling: usize,
    /// The most graphs on the stack at once.
    pub(crate) max_frames: usize,
}

/// The TruSt search state (see the module docs).
#[derive(Debug)]
pub(crate) struct Trust {
    model: Model,
    frames: Vec<Frame>,
    started: bool,
    pub(crate) stats: Stats,
    /// Sequential consistency was chosen because the program seemed to use only `SeqCst`:
    /// an access with a weaker ordering stops the search (to run again under RC11).
    pub(crate) sc_by_default: bool,
    /// An access with an ordering weaker than `SeqCst` was seen under `sc_by_default`.
    pub(crate) weak_seen: bool,
    /// The pool of frames this search shares with other workers, if it is one of several.
    share: Option<Arc<Share<Frame>>>,
    /// The node being processed or run, whether it ran, and how many children it has
    /// pushed so far.
    node: Node,
    ran: bool,
    children: u32,
    /// When this search is one of Knuth's random walks down the tree: the choice of a
    /// child at each node, and the estimate the walk adds to (see [`Trust::walk`]).
    walk: Option<(rand_pcg::Pcg64, Arc<Estimate>)>,
    /// The part of the search this one runs, if it is split into shards.
    pub(crate) shard: Option<ShardOf>,
    /// When choosing a shard's split depth: nodes this deep are counted, not run, and
    /// nothing is reported.
    probe: Option<u32>,
    /// Nodes met at each depth (counted in a probe).
    pub(crate) per_depth: Vec<usize>,
    /// A probe stops when a depth has this many nodes.
    probe_target: usize,
    /// The current node's place: which child it is at each depth below the root (kept in
    /// a search of one job, where it is a checkpoint: see [`Trust::resume_from`]).
    pub(crate) path: Vec<u32>,
    /// The place of the last run of the search this one resumes; how much of the current
    /// path follows it.
    resume: Option<Vec<u32>>,
    matched: usize,
}

impl Trust {
    pub(crate) fn new(model: Model) -> Self {
        Trust {
            model,
            frames: vec![Frame::new(model.graph())],
            started: false,
            stats: Stats::default(),
            sc_by_default: false,
            weak_seen: false,
            share: None,
            node: Node::ROOT,
            ran: true,
            children: 0,
            walk: None,
            shard: None,
            probe: None,
            per_depth: Vec::new(),
            probe_target: usize::MAX,
            path: Vec::new(),
            resume: None,
            matched: 0,
        }
    }

    /// One of the workers of a shared search (see [`super::share`]): the first starts from
    /// the empty graph, the others from frames the pool gives them.
    pub(crate) fn worker(model: Model, share: Arc<Share<Frame>>, first: bool) -> Self {
        let mut trust = Trust::new(model);
        if !first {
            trust.frames.clear();
            trust.started = true;
            // No node of its own until it takes a frame: nothing ends a path here.
            trust.children = u32::MAX;
        }
        trust.share = Some(share);
        trust
    }

    /// The next graph to run (replay, then extend), or `None` when everything is explored.
    pub(crate) fn next_graph(&mut self) -> Option<Graph> {
        // A worker that stops here stops the shared search when it leaves (`run::phases`).
        if self.weak_seen || self.share.as_ref().is_some_and(|s| s.is_stopped()) {
            return None;
        }
        if !self.started {
            self.started = true;
            return self.frames.last_mut()?.graph.take();
        }
        loop {
            // What the last run (or processing) pushed are children of its node.
            self.tag();
            if let Some(share) = &self.share {
                // Frames below the top are frozen (see `share`): one with nothing left is
                // done, one with work left can be explored by a worker that waits.
                while self.frames.len() >= 2 && self.frames[0].work.is_empty() {
                    self.frames.remove(0);
                }
                if self.frames.len() >= 2 && share.hungry() {
                    share.give(self.frames.remove(0));
                }
                if self.frames.is_empty() {
                    let frame = share.take()?;
                    self.frames.push(frame);
                }
            }
            let top = self.frames.last_mut()?;
            let Some(item) = top.work.pop() else {
                self.frames.pop();
                continue;
            };
            let node = top.nodes.pop().expect("every item is tagged with its node");
            if let Some(limit) = self.probe {
                let d = node.depth as usize;
                if self.per_depth.len() <= d {
                    self.per_depth.resize(d + 1, 0);
                }
                self.per_depth[d] += 1;
                if self.per_depth[d] >= self.probe_target {
                    // Enough nodes at this depth: counts only grow, so the choice is made.
                    return None;
                }
                if node.depth >= limit {
                    continue;
                }
            }
            if let Some(shard) = self.shard {
                if node.depth == shard.depth && !shard.owns(node) {
                    continue;
                }
            }
            let parent = node.depth as usize - 1;
            self.path.truncate(parent);
            self.matched = self.matched.min(parent);
            if let Some(place) = &self.resume {
                if self.matched == parent && parent < place.len() {
                    // A child of a node on the resumed run's path: the siblings explored
                    // before (higher indices) are done, the one on the path runs again
                    // unreported, the lower ones are still to explore.
                    match node.index.cmp(&place[parent]) {
                        std::cmp::Ordering::Greater => continue,
                        std::cmp::Ordering::Equal => self.matched = parent + 1,
                        std::cmp::Ordering::Less => {}
                    }
                }
            }
            self.path.push(node.index);
            self.node = node;
            self.ran = false;
            self.children = 0;
            // What the debug assertion below names (formatted only where it is checked).
            let shown = if cfg!(debug_assertions) {
                format!("{item:?}")
            } else {
                String::new()
            };
            if self.process(item) {
                self.ran = true;
                let graph = self.frames.last_mut()?.graph.take();
                debug_assert!(
                    graph.as_ref().is_some_and(|g| self.model.consistent(g)),
                    "an inconsistent graph after {shown}: {}",
                    graph
                        .as_ref()
                        .map(|g| g
                            .events()
                            .map(|(e, ev)| format!("\n  {e:?} stamp {} {:?}", g.stamp(e), ev.label))
                            .collect::<String>())
                        .unwrap_or_default()
                );
                return graph;
            }
        }
    }

    /// The run of the graph [`next_graph`](Self::next_graph) returned is over; `graph` is
    /// that graph as the run extended it.
    pub(crate) fn end_run(&mut self, graph: Graph) {
        debug_assert!(
            self.weak_seen || self.model.consistent(&graph),
            "the run extended its graph into an inconsistent one"
        );
        if let Some(top) = self.frames.last_mut() {
            top.graph = Some(graph);
        }
        self.stats.max_frames = self.stats.max_frames.max(self.frames.len());
    }

    /// Whether the run of the graph [`next_graph`](Self::next_graph) returned last is this
    /// search's to report: always, unless this is a probe (see [`Trust::probe`]) or a walk
    /// (see [`Trust::walk`]), the run
    /// is on the path a resumed search runs again (see [`Trust::resume_from`]), or this is
    /// a shard other than the first and the run is one of the shared trunk's (see
    /// [`ShardOf`]).
    pub(crate) fn reports_run(&self) -> bool {
        let resumed = self
            .resume
            .as_ref()
            .is_some_and(|place| self.matched == self.path.len() && self.path.len() <= place.len());
        self.probe.is_none()
            && self.walk.is_none()
            && !resumed
            && self
                .shard
                .is_none_or(|s| s.index == 1 || self.node.depth >= s.depth)
    }

    /// Resumes the search whose last run was at `place` (its [`path`](Self::path) then):
    /// every node before it in the search's order is skipped, the nodes on its path run
    /// again unreported (to rebuild the graphs the search continues from), and the search
    /// goes on from there — the same tree, so the rest is exactly what the stopped search
    /// had still to explore.
    pub(crate) fn resume_from(&mut self, place: Vec<u32>) {
        self.resume = Some(place);
    }

    /// A search that explores the nodes above depth `limit` only and counts the nodes it
    /// meets at each depth ([`per_depth`](Self::per_depth)), until one depth has `target`,
    /// reporting no run: how a shard chooses its split depth (see [`ShardOf`]).
    pub(crate) fn probe(model: Model, limit: u32, target: usize) -> Self {
        let mut trust = Trust::new(model);
        trust.probe = Some(limit);
        trust.probe_target = target;
        trust.per_depth = vec![1];
        trust
    }

    /// One of Knuth's random walks down the search tree (see [`super::estimate`]): from the
    /// root, one child taken at random (from `seed`) at each node, its runs reported to no
    /// one; where it ends, it adds its estimate of the tree's size to `estimate`.
    pub(crate) fn walk(model: Model, seed: u64, estimate: Arc<Estimate>) -> Self {
        let mut trust = Trust::new(model);
        trust.walk = Some((rand_pcg::Pcg64::seed_from_u64(seed), estimate));
        trust
    }

    /// Tags the items pushed since the last call as children of the current node (they
    /// are all its children: the node's processing and run are over); in a random walk,
    /// keeps one of them, or ends the walk at a leaf.
    fn tag(&mut self) {
        let mut untagged = 0;
        for frame in self.frames.iter().rev() {
            if frame.nodes.len() == frame.work.len() {
                break;
            }
            untagged += frame.work.len() - frame.nodes.len();
        }
        let of = self.children.saturating_add(untagged as u32);
        for frame in self.frames.iter_mut().rev() {
            if frame.nodes.len() == frame.work.len() {
                break;
            }
            while frame.nodes.len() < frame.work.len() {
                frame
                    .nodes
                    .push(self.node.child(self.children, of, self.ran));
                self.children += 1;
            }
        }
        if let Some((rng, estimate)) = &mut self.walk {
            if untagged == 0 && self.children == 0 {
                // The walk ends at a leaf.
                estimate.walked(self.node.runs(self.ran));
                self.children = u32::MAX;
            } else if untagged > 0 {
                // Every item on the stack is a child of this node (the walk dropped the
                // others): keep one at random, with a chance that grows with how much of
                // the execution it redoes (its subtree tends to be larger), and weigh it by
                // the inverse of that chance (importance sampling keeps Knuth's estimator
                // unbiased, with less variance on lopsided trees).
                let mut chances: Vec<(usize, usize, f64)> = Vec::with_capacity(untagged);
                for (f, frame) in self.frames.iter().enumerate() {
                    let g = frame.graph.as_ref();
                    let last = g.and_then(Graph::max_stamp).unwrap_or(0);
                    for (i, item) in frame.work.iter().enumerate() {
                        let redo = g
                            .filter(|g| g.contains(item.redo_event()))
                            .map_or(0, |g| last.saturating_sub(g.stamp(item.redo_event())));
                        chances.push((f, i, f64::from(redo + 1).powi(2)));
                    }
                }
                let sum: f64 = chances.iter().map(|c| c.2).sum();
                let mut x = rand::Rng::gen_range(rng, 0.0..sum);
                let &(at, k, chance) = chances
                    .iter()
                    .find(|c| {
                        x -= c.2;
                        x < 0.0
                    })
                    .unwrap_or(chances.last().expect("children"));
                self.frames.truncate(at + 1);
                let frame = &mut self.frames[at];
                let item = frame.work.swap_remove(k);
                let mut node = frame.nodes.swap_remove(k);
                node.weight = self.node.weight * sum / chance;
                frame.work = vec![item];
                frame.nodes = vec![node];
                for below in &mut self.frames[..at] {
                    below.work.clear();
                    below.nodes.clear();
                }
            }
        }
    }

    fn top_graph(&mut self) -> &mut Graph {
        self.frames
            .last_mut()
            .and_then(|f| f.graph.as_mut())
            .expect("the top frame has its graph")
    }

    /// Turns the top frame's graph into the one `item` describes; `false` if there is
    /// nothing to run for it.
    fn process(&mut self, item: Item) -> bool {
        let model = self.model;
        let stamp = {
            let g = self.top_graph();
            g.stamp(item.stamp_event())
        };
        if !self.top_graph().cut_to_stamp(stamp) {
            self.stats.dangling += 1;
            return false;
        }
        match item {
            Item::Read { r, src, spurious } => {
                let g = self.top_graph();
                spurious::set_failed(g, r, spurious);
                g.set_rf(r, src, false);
                // A read-modify-write that steals the write another one read leaves a graph
                // that only the other one's revisit makes consistent: the revisit's graph is
                // checked instead (this one never runs, see `after_new_rf`).
                let steals = steals(g, r);
                if !steals && !model.consistent(g) {
                    self.stats.inconsistent += 1;
                    return false;
                }
                self.after_new_rf(r, steals)
            }
            Item::Write { w, pred } => {
                let g = self.top_graph();
                g.place(w, pred);
                g.set_write_max(w, false);
                if !model.consistent(g) {
                    self.stats.inconsistent += 1;
                    return false;
                }
                let frame = self.frames.last_mut().expect("a frame");
                let g = frame.graph.as_mut().expect("its graph");
                revisits(model, g, w, &mut frame.work);
                true
            }
            Item::Choice { w, woke } => {
                let frame = self.frames.last_mut().expect("a frame");
                let g = frame.graph.as_mut().expect("its graph");
                if let Label::Write { value, woke: k, .. } = &mut g.event_mut(w).label {
                    *value = (*value | *k) & !woke;
                    *k = woke;
                }
                // Not the write's first way, as for a coherence alternative (`Item::Write`):
                // a backward revisit that would delete it is made from the first way's graph
                // instead (the woken thread's events follow the notify in porf, so any
                // revisiting write that leaves it out exists there too), and re-adding the
                // notify pushes this choice again: deleting it here would run it twice.
                g.set_write_max(w, false);
                // The notify's write now leaves other waiters: the reads it may revisit
                // would see that value, so they are revisits of their own; and a notify
                // that stole another's value runs only in the revisit that repairs it.
                if !revisits(model, g, w, &mut frame.work) {
                    self.stats.moot += 1;
                    return false;
                }
                if !model.consistent(g) {
                    self.stats.inconsistent += 1;
                    return false;
                }
                true
            }
            Item::Revisit { r, w, spurious } => {
                let g = self.top_graph();
                let keep = revisit_keep(g, r, w);
                let prefix = &g.event(w).porf;
                let mut g2 = g.clone();
                if !g2.restrict(&keep) {
                    self.stats.dangling += 1;
                    return false;
                }
                for (e, _) in g.events() {
                    if prefix.contains(e) && g2.contains(e) {
                        g2.event_mut(e).revisitable = false;
                    }
                }
                let loc = g2.label(r).loc().expect("a read");
                let max = !spurious && g2.co_max(loc) == Some(w);
                spurious::set_failed(&mut g2, r, spurious);
                g2.set_rf(r, Some(w), max);
                if !model.consistent(&g2) {
                    self.stats.inconsistent += 1;
                    return false;
                }
                self.frames.push(Frame::new(g2));
                self.after_new_rf(r, false)
            }
        }
    }

    /// Read `r` (the last event of its thread) has a new `rf`: remove it if it is a lock
    /// that now reads a held mutex, or add the write part of its read-modify-write.
    fn after_new_rf(&mut self, r: Ev, steals: bool) -> bool {
        let model = self.model;
        let frame = self.frames.last_mut().expect("a frame");
        let g = frame.graph.as_mut().expect("its graph");
        let Label::Read { kind, .. } = g.label(r).clone() else {
            unreachable!("a read")
        };
        let value = g.read_value(r);
        if kind == ReadKind::Lock && value == HELD {
            g.remove_last(r.thread);
            return true;
        }
        if !kind.writes(value) {
            return true;
        }
        let w = add_write_part(g, r, &mut frame.work);
        if !steals && !model.acyclic(g) {
            self.stats.inconsistent += 1;
            return false;
        }
        if !revisits(model, g, w, &mut frame.work) {
            self.stats.moot += 1;
            return false;
        }
        if steals && !model.consistent(g) {
            self.stats.inconsistent += 1;
            return false;
        }
        true
    }

    /// Adds the read `label` as the next event of thread `t` (and, if it is a
    /// read-modify-write that writes, its write part), reading the coherence-latest write
    /// it may; every other candidate is left to explore.
    pub(crate) fn add_read(&mut self, g: &mut Graph, t: Tid, label: Label) -> Ev {
        let model = self.model;
        let frame = self.frames.last_mut().expect("a frame");
        let r = g.add(t, label);
        let loc = g.label(r).loc().expect("a read");
        // A weak compare_exchange may also fail spuriously reading any write it may read
        // that holds its expected value, even one another read-modify-write took: failing,
        // it does not write. Explored last.
        let weak = matches!(
            g.label(r),
            Label::Read {
                kind: ReadKind::Cas {
                    spurious_limit: 1..,
                    ..
                },
                ..
            }
        );
        let failing = if weak {
            model.rf_candidates(g, r)
        } else {
            Vec::new()
        };
        for src in failing {
            if spurious::may_fail(g, r, g.value(loc, src)) {
                frame.work.push(Item::Read {
                    r,
                    src,
                    spurious: true,
                });
            }
        }
        let candidates = read_candidates(model, g, r);
        let (&primary, others) = candidates
            .split_last()
            .expect("a read always has a write to read: the latest");
        // A wait that may wake spuriously, and that no notify took out of the waiter set,
        // may also never wake: one more alternative, never added maximally (as a spurious
        // failure above; see `rt::spurious`).
        if spurious::may_wait_for_ever(g, r, g.value(loc, primary)) {
            frame.work.push(Item::Read {
                r,
                src: primary,
                spurious: true,
            });
        }
        let max = primary == g.co_max(loc);
        g.set_rf(r, primary, max);
        for &src in others {
            frame.work.push(Item::Read {
                r,
                src,
                spurious: false,
            });
        }
        let value = g.read_value(r);
        let Label::Read { kind, .. } = *g.label(r) else {
            unreachable!("just added")
        };
        if kind.writes(value) {
            let w = add_write_part(g, r, &mut frame.work);
            let atomic = revisits(model, g, w, &mut frame.work);
            debug_assert!(atomic, "the latest write is never another's to steal");
        }
        r
    }

    /// Adds the lock read `label` of thread `t`, whose mutex is held: it reads the holder's
    /// write (the thread waits forever), and every free write it could have read instead —
    /// taking the mutex before a holder that is still revisitable — is left to explore.
    pub(crate) fn add_blocked_lock(&mut self, g: &mut Graph, t: Tid, label: Label) -> Ev {
        let model = self.model;
        let frame = self.frames.last_mut().expect("a frame");
        let r = g.add(t, label);
        let loc = g.label(r).loc().expect("a read");
        let held = g.co_max(loc);
        debug_assert_ne!(g.value(loc, held), FREE);
        for src in read_candidates(model, g, r) {
            frame.work.push(Item::Read {
                r,
                src,
                spurious: false,
            });
        }
        g.set_rf(r, held, true);
        r
    }

    /// Adds the write `label` as the next event of thread `t`, last in coherence; every
    /// other placement, and every read it may revisit, is left to explore.
    pub(crate) fn add_write(&mut self, g: &mut Graph, t: Tid, label: Label) -> Ev {
        let model = self.model;
        let frame = self.frames.last_mut().expect("a frame");
        let w = g.add(t, label);
        let candidates = model.co_candidates(g, w);
        let (&primary, others) = candidates.split_last().expect("a write can always go last");
        g.place(w, primary);
        g.set_write_max(w, true);
        for &pred in others {
            frame.work.push(Item::Write { w, pred });
        }
        revisits(model, g, w, &mut frame.work);
        w
    }
}

/// Whether read-modify-write `r` reads a write that another read-modify-write, which wrote,
/// already read (an atomicity violation its own write part's revisit repairs).
fn steals(g: &Graph, r: Ev) -> bool {
    let Label::Read { loc, kind, rf, .. } = *g.label(r) else {
        unreachable!("a read")
    };
    kind.writes(g.read_value(r)) && !model::rmw_readers(g, loc, rf, r).is_empty()
}

/// The writes a new read `r` may read from, in coherence order (see [`Trust::add_read`]):
/// the model's candidates, without those a settled read-modify-write already took (for a
/// read-modify-write), and only free ones for a lock.
fn read_candidates(model: Model, g: &Graph, r: Ev) -> Vec<Src> {
    let Label::Read { loc, kind, .. } = *g.label(r) else {
        unreachable!("a read")
    };
    let mut candidates = model.rf_candidates(g, r);
    if kind == ReadKind::Lock {
        candidates.retain(|&s| g.value(loc, s) == FREE);
    }
    if kind.is_rmw() {
        let prefix = &g.event(r).porf;
        candidates.retain(|&s| {
            !kind.writes(g.value(loc, s))
                || !model::rmw_readers(g, loc, s, r)
                    .into_iter()
                    .any(|r2| !g.event(r2).revisitable || prefix.contains(r2))
        });
    }
    candidates
}

/// Adds the write part of read-modify-write `r` (which wrote), right after what `r` read in
/// coherence. A notify that takes one of several waiters takes the lowest-numbered; taking
/// each other one is left to explore.
fn add_write_part(g: &mut Graph, r: Ev, work: &mut Vec<Item>) -> Ev {
    let Label::Read {
        loc, ord, kind, rf, ..
    } = *g.label(r)
    else {
        unreachable!("a read")
    };
    let old = g.value(loc, rf);
    let (value, woke) = match kind {
        ReadKind::Rmw(rmw) => (rmw.apply(old), 0),
        ReadKind::Cas { new, .. } => (new, 0),
        ReadKind::Lock | ReadKind::TryLock => (HELD, 0),
        ReadKind::WaitRegister => (old | 1 << r.thread, 0),
        ReadKind::TimedWake { .. } => (old & !(1 << r.thread), 0),
        ReadKind::Notify { all: true } => (0, old),
        ReadKind::Notify { all: false } => {
            let first = old & old.wrapping_neg();
            (old & !first, first)
        }
        ReadKind::Load => unreachable!("a load does not write"),
    };
    let w = g.add(
        r.thread,
        Label::Write {
            loc,
            ord: ord.write_part(),
            value,
            kind: WriteKind::RmwPart,
            max: true,
            woke,
        },
    );
    g.place(w, rf);
    if let ReadKind::Notify { all: false } = kind {
        let mut rest = old & !woke;
        while rest != 0 {
            let other = rest & rest.wrapping_neg();
            rest &= !other;
            work.push(Item::Choice { w, woke: other });
        }
    }
    w
}

/// Pushes every backward revisit of write `w` that passes maximality; returns `false` if
/// `w` is the write part of a read-modify-write that took a write another one read (its
/// own continuation is then not an execution).
fn revisits(model: Model, g: &Graph, w: Ev, work: &mut Vec<Item>) -> bool {
    let Label::Write { loc, kind, .. } = *g.label(w) else {
        unreachable!("a write")
    };
    let prefix = &g.event(w).porf;
    let own_read = (kind == WriteKind::RmwPart).then(|| Ev::new(w.thread, w.index - 1));
    let conflict = own_read.and_then(|r0| {
        model::rmw_readers(g, loc, g.rf(r0), r0)
            .into_iter()
            .min_by_key(|&r2| g.stamp(r2))
    });
    let mut loads: Vec<Ev> = g
        .events()
        .filter_map(|(e, ev)| match &ev.label {
            Label::Read { loc: l, max, .. }
                if *l == loc
                    && Some(e) != own_read
                    && !prefix.contains(e)
                    && ev.revisitable
                    && *max
                    && conflict.is_none_or(|c| ev.stamp <= g.stamp(c)) =>
            {
                Some(e)
            }
            _ => None,
        })
        .collect();
    loads.sort_by_key(|&r| std::cmp::Reverse(g.stamp(r)));
    for r in loads {
        if !maximal(g, r, w) {
            break;
        }
        let _ = model;
        work.push(Item::Revisit {
            r,
            w,
            spurious: false,
        });
        // The revisited read may fail spuriously reading `w`, too (see `Trust::add_read`):
        // a spurious read is never added maximally, so only this branch makes it read `w`.
        if spurious::may_fail(g, r, g.value(loc, Some(w))) {
            work.push(Item::Revisit {
                r,
                w,
                spurious: true,
            });
        }
    }
    conflict.is_none()
}

/// The events the backward revisit of `r` by `w` keeps: those added before `r`, and `w`'s
/// `porf` prefix. A condition-variable wait registers and unlocks in one atomic step (two
/// events of the graph): a kept registration keeps its unlock, so that no graph is left
/// with a wait half taken and other events after it, which no completion could make
/// consistent. Maximality ([`maximal`]) judges exactly the events this deletes.
fn revisit_keep(g: &Graph, r: Ev, w: Ev) -> View {
    let mut keep = g.view_to_stamp(g.stamp(r));
    keep.join(&g.event(w).porf);
    for (_, [write, unlock]) in model::wait_blocks(g) {
        if keep.contains(write) && !keep.contains(unlock) {
            keep.set(unlock.thread, unlock.index + 1);
        }
    }
    keep
}

/// Whether the backward revisit of `r` by `w` passes TruSt's maximality condition (see the
/// module docs).
fn maximal(g: &Graph, r: Ev, w: Ev) -> bool {
    let Label::Write {
        loc: wloc, kind, ..
    } = *g.label(w)
    else {
        unreachable!("a write")
    };
    let keep = revisit_keep(g, r, w);
    if kind != WriteKind::RmwPart {
        if let Some(next) = g.co_succ(wloc, Some(w)) {
            if !keep.contains(next) {
                return false;
            }
        }
    }
    for (e, ev) in g.events() {
        if e != r && keep.contains(e) {
            continue;
        }
        let (loc, x) = match &ev.label {
            Label::Read { max: false, .. } | Label::Write { max: false, .. } => return false,
            Label::Read { loc, rf, .. } => {
                if let Some(src) = rf {
                    if !keep.contains(*src) && g.stamp(*src) > ev.stamp {
                        return false; // revisited by a write that is deleted too
                    }
                }
                (*loc, *rf)
            }
            Label::Write { loc, .. } => (*loc, Some(e)),
            _ => continue,
        };
        if co_after_in(g, loc, x, &keep, w) {
            return false;
        }
    }
    true
}

/// Whether some write of `loc` coherence-after `x`, other than `w`, is in `keep`.
fn co_after_in(g: &Graph, loc: Loc, x: Src, keep: &View, w: Ev) -> bool {
    let from = g.co_pos(loc, x);
    g.co(loc)[from..]
        .iter()
        .any(|&s| s != w && keep.contains(s))
}
