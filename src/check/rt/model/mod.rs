//! Memory models: which execution graphs are consistent, and which writes a new read may
//! read from or a new write may follow in coherence.
//!
//! Two models: sequential consistency (here) and RC11 ([`rc11`]).
//!
//! **Sequential consistency** (Lamport 1979), axiomatically (Shasha and Snir 1988): a graph
//! is consistent when `po ∪ rf ∪ co ∪ fr` (plus the synchronisation edges of spawn, join and
//! notify) is acyclic, where `fr = rf⁻¹ ; co` (a read comes before every write that
//! coherence-follows the write it read), and every read-modify-write is atomic: its write
//! part immediately follows, in coherence, the write its read part read. A condition
//! variable's wait (registration and unlock, separate events of the graph) is atomic too:
//! the acyclicity check treats them as one node.
//!
//! The candidate sets ([`Model::rf_candidates`], [`Model::co_candidates`]) are
//! over-approximations that respect coherence with the `porf` prefix; the search checks
//! [`Model::consistent`] on every graph it will run, so an approximation costs time,
//! never soundness. The last candidate of each list (the coherence-latest write, or the
//! place after it) is always consistent (maximal extensibility), which is why a search can
//! continue with it without a check.

pub(crate) mod rc11;

use super::graph::{Ev, Graph, Label, Loc, ReadKind, Src, Tid, WriteKind};

/// A memory model (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Model {
    /// Sequential consistency: every atomic operation is treated as `SeqCst`.
    Sc,
    /// RC11 (see [`rc11`]): every ordering as `std` defines it.
    Rc11,
}

impl Model {
    /// How many writes of `list` (coherence order, the initial value not included) a new
    /// access of `loc` must come after: every write in its `porf` prefix (`before`) and every
    /// write read there.
    fn coherence_floor(g: &Graph, loc: Loc, list: &[Ev], before: &dyn Fn(Ev) -> bool) -> usize {
        let pos = |src: Src| {
            src.map_or(0, |w| {
                list.iter().position(|&x| x == w).map_or(0, |i| i + 1)
            })
        };
        let mut floor = 0;
        for (e, ev) in g.events() {
            if ev.label.loc() != Some(loc) || !before(e) {
                continue;
            }
            let p = match &ev.label {
                Label::Write { .. } => pos(Some(e)),
                Label::Read { rf, .. } => pos(*rf),
                _ => 0,
            };
            floor = floor.max(p);
        }
        floor
    }

    /// A new, empty graph for this model.
    pub(crate) fn graph(&self) -> Graph {
        match self {
            Model::Sc => Graph::new(),
            Model::Rc11 => Graph::weak(),
        }
    }

    /// The writes (`None`: the initial value) read `r` may read from, in coherence order.
    pub(crate) fn rf_candidates(&self, g: &Graph, r: Ev) -> Vec<Src> {
        let loc = g.label(r).loc().expect("a read has a location");
        let porf = &g.event(r).porf;
        let list = g.co(loc);
        let floor = match self {
            Model::Sc => Self::coherence_floor(g, loc, list, &|e| e != r && porf.contains(e)),
            Model::Rc11 => rc11::floor(g, loc, r, list),
        };
        std::iter::once(None)
            .chain(list.iter().copied().map(Some))
            .skip(floor)
            .collect()
    }

    /// The writes (`None`: the initial value) that write `w` may follow immediately in
    /// coherence, in coherence order (the last one is the coherence-latest other write).
    pub(crate) fn co_candidates(&self, g: &Graph, w: Ev) -> Vec<Src> {
        let loc = g.label(w).loc().expect("a write has a location");
        let porf = &g.event(w).porf;
        let others: Vec<Ev> = g.co(loc).iter().copied().filter(|&x| x != w).collect();
        let floor = match self {
            Model::Sc => Self::coherence_floor(g, loc, &others, &|e| e != w && porf.contains(e)),
            Model::Rc11 => rc11::floor(g, loc, w, &others),
        };
        let mut all: Vec<Src> = std::iter::once(None)
            .chain(others.iter().copied().map(Some))
            .skip(floor)
            .collect();
        // Never between a read-modify-write's source and its write part.
        all.retain(|&p| {
            let next = match p {
                None => others.first().copied(),
                Some(p) => others
                    .iter()
                    .position(|&x| x == p)
                    .and_then(|i| others.get(i + 1).copied()),
            };
            next.is_none_or(|n| {
                n.index == 0 || {
                    let r = Ev::new(n.thread, n.index - 1);
                    !(g.rmw_write(r) == Some(n) && g.rf(r) == p)
                }
            })
        });
        all
    }

    /// Whether `g` is consistent (see the module docs, and [`rc11`]).
    pub(crate) fn consistent(&self, g: &Graph) -> bool {
        atomic(g) && self.acyclic(g)
    }

    /// Whether `g` is consistent apart from atomicity (which the search repairs by a
    /// revisit right after a read-modify-write takes a write another one read).
    pub(crate) fn acyclic(&self, g: &Graph) -> bool {
        match self {
            Model::Sc => acyclic(g),
            Model::Rc11 => {
                rc11::no_thin_air(g)
                    && rc11::coherent(g)
                    && rc11::waits_atomic(g)
                    && rc11::psc_acyclic(g)
            }
        }
    }
}

/// Whether every read-modify-write is atomic.
pub(crate) fn atomic(g: &Graph) -> bool {
    g.events().all(|(e, ev)| match &ev.label {
        Label::Read { loc, rf, .. } => match g.rmw_write(e) {
            Some(w) => g.co_pos(*loc, Some(w)) == g.co_pos(*loc, *rf) + 1,
            None => true,
        },
        _ => true,
    })
}

/// The read-modify-write reads other than `except` that read `src` of `loc` and wrote.
pub(crate) fn rmw_readers(g: &Graph, loc: Loc, src: Src, except: Ev) -> Vec<Ev> {
    g.readers(loc, src)
        .filter(|&r| r != except && g.rmw_write(r).is_some())
        .collect()
}

/// Whether `po ∪ rf ∪ co ∪ fr ∪ sync` is acyclic (Kahn's algorithm over the events).
fn acyclic(g: &Graph) -> bool {
    let threads = g.threads();
    let mut offset = Vec::with_capacity(threads + 1);
    let mut n = 0usize;
    for t in 0..threads {
        offset.push(n);
        n += g.thread_len(t as Tid) as usize;
    }
    offset.push(n);
    let index = |e: Ev| offset[e.thread as usize] + e.index as usize;
    // A condition variable's wait registers its thread and releases the mutex in one atomic
    // step: its registration (a read-modify-write) and its unlock are one node, so that no
    // other event can fall between them (see `wait_blocks`).
    let mut node: Vec<usize> = (0..n).collect();
    for (register, parts) in wait_blocks(g) {
        for part in parts {
            node[index(part)] = index(register);
        }
    }
    let id = |e: Ev| node[index(e)];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let edge = |a: Ev, b: Ev, succ: &mut Vec<Vec<usize>>| {
        if id(a) != id(b) {
            succ[id(a)].push(id(b));
        }
    };
    for (e, ev) in g.events() {
        if e.index > 0 {
            edge(Ev::new(e.thread, e.index - 1), e, &mut succ);
        }
        match &ev.label {
            Label::Start { spawn: Some(s) } if g.contains(*s) => edge(*s, e, &mut succ),
            Label::Join { child } => {
                if let Some(last) = g.last(*child) {
                    edge(last, e, &mut succ);
                }
            }
            Label::Wake { by } if g.contains(*by) => edge(*by, e, &mut succ),
            Label::Read { loc, rf, .. } => {
                if let Some(w) = rf {
                    edge(*w, e, &mut succ);
                }
                if let Some(next) = g.co_succ(*loc, *rf) {
                    if next != e {
                        edge(e, next, &mut succ); // fr
                    }
                }
            }
            _ => {}
        }
    }
    for l in 0..g.locs() {
        for pair in g.co(Loc(l as u32)).windows(2) {
            edge(pair[0], pair[1], &mut succ);
        }
    }
    let mut indegree = vec![0u32; n];
    for list in &succ {
        for &b in list {
            indegree[b] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut seen = 0;
    while let Some(i) = ready.pop() {
        seen += 1;
        for &b in &succ[i] {
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    seen == n
}

/// Every condition-variable wait of `g` whose unlock is in the graph: its registration read,
/// with its write part and the unlock that follow it in program order. The three are one
/// atomic step of std's `Condvar::wait` (register as a waiter and release the mutex), which
/// the graph records as separate events; the consistency check keeps them together.
pub(crate) fn wait_blocks(g: &Graph) -> impl Iterator<Item = (Ev, [Ev; 2])> + '_ {
    g.events().filter_map(move |(e, ev)| {
        let Label::Read {
            kind: ReadKind::WaitRegister,
            ..
        } = ev.label
        else {
            return None;
        };
        let write = g.rmw_write(e)?;
        let unlock = Ev::new(e.thread, write.index + 1);
        let is_unlock = g.contains(unlock)
            && matches!(
                g.label(unlock),
                Label::Write {
                    kind: WriteKind::Unlock,
                    ..
                }
            );
        is_unlock.then_some((e, [write, unlock]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rt::graph::{LocInfo, LocKind, Ord};

    fn setup() -> (Graph, Loc, Loc) {
        let mut g = Graph::new();
        let info = |name: &str| LocInfo {
            kind: LocKind::Atomic,
            init: 0,
            name: name.into(),
        };
        let x = g.add_loc(info("x"));
        let y = g.add_loc(info("y"));
        (g, x, y)
    }

    fn store(g: &mut Graph, t: Tid, loc: Loc, value: u64) -> Ev {
        let w = g.add(
            t,
            Label::Write {
                loc,
                ord: Ord::SeqCst,
                value,
                kind: WriteKind::Store,
                max: true,
                woke: 0,
            },
        );
        let last = g.co_max(loc);
        g.place(w, last);
        w
    }

    fn load(g: &mut Graph, t: Tid, loc: Loc, rf: Src) -> Ev {
        g.add(
            t,
            Label::Read {
                loc,
                ord: Ord::SeqCst,
                kind: ReadKind::Load,
                rf,
                max: true,
            },
        )
    }

    #[test]
    fn store_buffering_both_zero_is_not_sequentially_consistent() {
        let (mut g, x, y) = setup();
        store(&mut g, 0, x, 1);
        let r0 = load(&mut g, 0, y, None);
        store(&mut g, 1, y, 1);
        let r1 = load(&mut g, 1, x, None);
        assert!(!Model::Sc.consistent(&g), "SB (0,0) is forbidden under SC");
        let wy = Ev::new(1, 0);
        g.set_rf(r0, Some(wy), true);
        assert!(Model::Sc.consistent(&g));
        let _ = r1;
    }

    #[test]
    fn a_read_may_not_read_a_write_its_thread_already_saw_overwritten() {
        let (mut g, x, _) = setup();
        let w1 = store(&mut g, 0, x, 1);
        let w2 = store(&mut g, 0, x, 2);
        let r = load(&mut g, 1, x, Some(w2));
        let r2 = load(&mut g, 1, x, None);
        assert_eq!(Model::Sc.rf_candidates(&g, r2), vec![Some(w2)], "CoRR");
        assert!(!Model::Sc.consistent(&g));
        let _ = (w1, r);
    }

    #[test]
    fn a_new_write_may_go_anywhere_after_what_its_prefix_saw() {
        let (mut g, x, _) = setup();
        let a = store(&mut g, 0, x, 1);
        let b = store(&mut g, 1, x, 2);
        assert_eq!(Model::Sc.co_candidates(&g, b), vec![None, Some(a)]);
        let r = load(&mut g, 2, x, Some(a));
        let c = store(&mut g, 2, x, 3);
        assert_eq!(Model::Sc.co_candidates(&g, c), vec![Some(a), Some(b)]);
        let _ = r;
    }
}
