//! The order in which a run re-executes the events of a graph it was handed.
//!
//! The program's own memory (the data inside a `Mutex`, everything a thread computes) is not
//! in the graph, so the run must re-execute the program in an order where every event
//! comes after everything it depends on: program order, reads-from and the synchronisation
//! edges (`porf`). When the graph is sequentially consistent the order also respects
//! coherence and from-read, so that the trace a report shows is a real interleaving (a load
//! that reads the initial value is shown before the store that overwrites it). Among the
//! orders that do, it prefers to go on with the thread that ran last (fewer thread switches
//! in witnesses), then the earliest-added event. A read-modify-write's two events are never
//! separated.

use std::collections::BTreeSet;

use super::graph::{Ev, Graph, Label, Loc, Tid};

/// A linearization of `g` (see the module docs); `sc`: also respect `co` and `fr` when the
/// graph allows it.
pub(crate) fn order(g: &Graph, sc: bool) -> Vec<Ev> {
    if sc {
        if let Some(order) = linearize(g, true) {
            return order;
        }
    }
    linearize(g, false).expect("porf is acyclic in every graph the search builds")
}

fn linearize(g: &Graph, sc: bool) -> Option<Vec<Ev>> {
    let threads = g.threads();
    let mut offset = Vec::with_capacity(threads + 1);
    let mut n = 0usize;
    for t in 0..threads {
        offset.push(n);
        n += g.thread_len(t as Tid) as usize;
    }
    let raw = |e: Ev| offset[e.thread as usize] + e.index as usize;
    // A read-modify-write's write part is one node with its read.
    let node = |e: Ev| match g.label(e) {
        Label::Write { .. }
            if e.index > 0 && g.rmw_write(Ev::new(e.thread, e.index - 1)) == Some(e) =>
        {
            raw(Ev::new(e.thread, e.index - 1))
        }
        _ => raw(e),
    };
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut evs: Vec<Ev> = vec![Ev::new(0, 0); n];
    let edge = |a: usize, b: usize, succ: &mut Vec<Vec<usize>>| {
        if a != b {
            succ[a].push(b);
        }
    };
    for (e, ev) in g.events() {
        evs[raw(e)] = e;
        if e.index > 0 {
            edge(node(Ev::new(e.thread, e.index - 1)), node(e), &mut succ);
        }
        match &ev.label {
            Label::Start { spawn: Some(s) } if g.contains(*s) => edge(node(*s), node(e), &mut succ),
            Label::Join { child } => {
                if let Some(last) = g.last(*child) {
                    edge(node(last), node(e), &mut succ);
                }
            }
            Label::Wake { by } if g.contains(*by) => edge(node(*by), node(e), &mut succ),
            Label::Read { loc, rf, .. } => {
                if let Some(w) = rf {
                    edge(node(*w), node(e), &mut succ);
                }
                if sc {
                    if let Some(next) = g.co_succ(*loc, *rf) {
                        edge(node(e), node(next), &mut succ);
                    }
                }
            }
            _ => {}
        }
    }
    if sc {
        for l in 0..g.locs() {
            for pair in g.co(Loc(l as u32)).windows(2) {
                edge(node(pair[0]), node(pair[1]), &mut succ);
            }
        }
    }
    let mut indegree = vec![0u32; n];
    for list in &succ {
        for &b in list {
            indegree[b] += 1;
        }
    }
    let is_node = |i: usize| node(evs[i]) == i;
    let mut ready: BTreeSet<(u32, usize)> = (0..n)
        .filter(|&i| is_node(i) && indegree[i] == 0)
        .map(|i| (g.stamp(evs[i]), i))
        .collect();
    let mut out = Vec::with_capacity(n);
    let mut last_thread: Option<Tid> = None;
    while !ready.is_empty() {
        let pick = last_thread
            .and_then(|t| ready.iter().find(|&&(_, i)| evs[i].thread == t).copied())
            .or_else(|| ready.iter().next().copied())
            .expect("not empty");
        ready.remove(&pick);
        let i = pick.1;
        let e = evs[i];
        out.push(e);
        if let Some(w) = g.rmw_write(e) {
            out.push(w);
        }
        last_thread = Some(e.thread);
        for &b in &succ[i] {
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.insert((g.stamp(evs[b]), b));
            }
        }
    }
    (out.len() == n).then_some(out)
}
