//! RC11, "Repairing Sequential Consistency in C/C++11" (Lahav, Vafeiadis, Kang, Hur,
//! Dreyer, PLDI 2017): the memory model of Rust's atomics (Rust uses C++20's, whose SC
//! semantics is RC11's), checked on execution graphs.
//!
//! With `sb` (program order), `rf`, `mo` (coherence), `fr = rf⁻¹ ; mo`, `rmw` (a
//! read-modify-write's read to its write part), and the happens-before `hb = (sb ∪ sw)⁺` the
//! graph carries ([`Graph::refresh_hb`]), a graph is consistent when:
//!
//! * **COHERENCE** — `hb ; eco?` is irreflexive, `eco = (rf ∪ mo ∪ fr)⁺`; checked as its four
//!   per-location patterns: `hb` between two writes agrees with `mo` (CoWW), a read never
//!   reads a write `mo`-before one that happens before it (CoWR) or that a read happening
//!   before it already read past (CoRR), and a write that happens after a read is `mo`-after
//!   what the read read (CoRW);
//! * **ATOMICITY** — `rmw ∩ (fre ; moe) = ∅`: a write part immediately follows, in `mo`, the
//!   write its read part read;
//! * **SC** — `psc = psc_base ∪ psc_F` is acyclic, where
//!   `psc_base = ([E^sc] ∪ [F^sc] ; hb?) ; scb ; ([E^sc] ∪ hb? ; [F^sc])`,
//!   `psc_F = [F^sc] ; (hb ∪ hb ; eco ; hb) ; [F^sc]` and
//!   `scb = sb ∪ sb|≠loc ; hb ; sb|≠loc ∪ hb|loc ∪ mo ∪ fr`;
//! * **NO-THIN-AIR** — `sb ∪ rf` is acyclic (RC11's choice: no load buffering with a cycle
//!   through reads-from, even among relaxed accesses; C++20 itself does not forbid it, but
//!   no real program can observe the difference without an out-of-thin-air value).
//!
//! Mutexes are modelled as in `std` (a lock is an acquiring read-modify-write, an unlock a
//! releasing write), condition variables as sequentially consistent read-modify-writes, and
//! spawn, join and wake-up as synchronisation. A condition variable's wait registers and
//! unlocks in one atomic step, which the graph records as two events; **WAIT ATOMICITY**
//! ([`waits_atomic`]) keeps them one step as far as `hb` can tell: nothing that happens after
//! the registration reads the mutex as it was before the unlock, and nothing that happens
//! after the unlock reads the condition variable as it was before the registration.

use super::super::graph::{Ev, Graph, Label, Loc, Ord, Src};

/// The position of `src` in `loc`'s coherence (0: the initial value).
fn pos(g: &Graph, loc: Loc, src: Src) -> usize {
    g.co_pos(loc, src)
}

/// WAIT ATOMICITY (see the module docs): for each wait, no access of the mutex that happens
/// after the registration reads a write `mo`-before the unlock, and no access of the
/// condition variable that happens after the unlock reads a write `mo`-before the
/// registration's write.
pub(crate) fn waits_atomic(g: &Graph) -> bool {
    super::wait_blocks(g).all(|(_, [register, unlock])| {
        let stale = |after: Ev, before: Ev| {
            let loc = g.label(before).loc().expect("an access");
            let at = pos(g, loc, Some(before));
            g.events().any(|(x, ev)| match &ev.label {
                Label::Read { loc: l, rf, .. } if *l == loc && x.thread != before.thread => {
                    pos(g, loc, *rf) < at && g.hb(after, x)
                }
                _ => false,
            })
        };
        !stale(register, unlock) && !stale(unlock, register)
    })
}

/// COHERENCE, per location (see the module docs).
pub(crate) fn coherent(g: &Graph) -> bool {
    for l in 0..g.locs() {
        let loc = Loc(l as u32);
        let mut reads: Vec<(Ev, usize)> = Vec::new();
        let mut writes: Vec<(Ev, usize)> = Vec::new();
        for (e, ev) in g.events() {
            match &ev.label {
                Label::Read { loc: m, rf, .. } if *m == loc => reads.push((e, pos(g, loc, *rf))),
                Label::Write { loc: m, .. } if *m == loc => writes.push((e, pos(g, loc, Some(e)))),
                _ => {}
            }
        }
        for &(w, p) in &writes {
            // CoWW: a write that happens before another is mo-before it.
            if writes.iter().any(|&(w2, p2)| g.hb(w2, w) && p2 >= p) {
                return false;
            }
        }
        for &(r, p) in &reads {
            // CoWR: no write happening before the read is mo-after what it read.
            if writes.iter().any(|&(w, pw)| g.hb(w, r) && pw > p) {
                return false;
            }
            // CoRR: no read happening before it read a later write.
            if reads.iter().any(|&(r2, p2)| g.hb(r2, r) && p2 > p) {
                return false;
            }
            // CoRW: a write happening after the read is mo-after what it read.
            if writes.iter().any(|&(w, pw)| g.hb(r, w) && pw <= p) {
                return false;
            }
        }
    }
    true
}

/// Whether `x` is before `y` in `eco = (rf ∪ mo ∪ fr)⁺` (both accesses of one location).
fn eco(g: &Graph, x: Ev, y: Ev) -> bool {
    let (lx, ly) = (g.label(x), g.label(y));
    let (Some(loc), Some(loc2)) = (lx.loc(), ly.loc()) else {
        return false;
    };
    if loc != loc2 || x == y {
        return false;
    }
    // The write each one is, or reads.
    let at = |e: Ev, l: &Label| match l {
        Label::Read { rf, .. } => (pos(g, loc, *rf), true),
        _ => (pos(g, loc, Some(e)), false),
    };
    let ((px, x_reads), (py, y_reads)) = (at(x, lx), at(y, ly));
    match (x_reads, y_reads) {
        (false, false) => px < py, // mo
        (false, true) => px <= py, // rf or mo ; rf
        (true, false) => px < py,  // fr
        (true, true) => px < py,   // fr ; rf
    }
}

/// The first event after `e` in its thread that is not an access of `e`'s location, and
/// the last one before `e` (for `sb|≠loc`).
fn first_other_after(g: &Graph, e: Ev) -> Option<Ev> {
    let loc = g.label(e).loc();
    (e.index + 1..g.thread_len(e.thread))
        .map(|i| Ev::new(e.thread, i))
        .find(|&n| loc.is_none() || g.label(n).loc() != loc)
}

fn last_other_before(g: &Graph, e: Ev) -> Option<Ev> {
    let loc = g.label(e).loc();
    (0..e.index)
        .rev()
        .map(|i| Ev::new(e.thread, i))
        .find(|&p| loc.is_none() || g.label(p).loc() != loc)
}

/// RC11's `scb` (see the module docs).
fn scb(g: &Graph, x: Ev, y: Ev) -> bool {
    if x == y {
        return false;
    }
    if x.thread == y.thread && x.index < y.index {
        return true; // sb
    }
    let (lx, ly) = (g.label(x).loc(), g.label(y).loc());
    if let Some(loc) = lx.filter(|_| lx == ly) {
        // hb|loc, mo, fr
        if g.hb(x, y) {
            return true;
        }
        let mo_or_fr = match (g.label(x), g.label(y)) {
            (Label::Write { .. }, Label::Write { .. }) => {
                pos(g, loc, Some(x)) < pos(g, loc, Some(y))
            }
            (Label::Read { rf, .. }, Label::Write { .. }) => {
                pos(g, loc, *rf) < pos(g, loc, Some(y))
            }
            _ => false,
        };
        if mo_or_fr {
            return true;
        }
    }
    // sb|≠loc ; hb ; sb|≠loc
    match (first_other_after(g, x), last_other_before(g, y)) {
        (Some(a), Some(b)) => g.hb(a, b),
        _ => false,
    }
}

fn is_sc(g: &Graph, e: Ev) -> bool {
    match g.label(e) {
        Label::Read { ord, kind, .. } => kind.effective_ord(*ord, g.read_value(e)) == Ord::SeqCst,
        Label::Write { ord, .. } | Label::Fence { ord } => *ord == Ord::SeqCst,
        _ => false,
    }
}

fn is_fence(l: &Label) -> bool {
    matches!(l, Label::Fence { .. })
}

/// Whether `psc` is acyclic (see the module docs).
pub(crate) fn psc_acyclic(g: &Graph) -> bool {
    let all: Vec<Ev> = g.events().map(|(e, _)| e).collect();
    let sc: Vec<Ev> = all.iter().copied().filter(|&e| is_sc(g, e)).collect();
    if sc.len() < 2 {
        return true;
    }
    let hb_refl = |a: Ev, b: Ev| a == b || g.hb(a, b);
    // The events each SC event stands for on each side of `scb`.
    let from: Vec<Vec<Ev>> = sc
        .iter()
        .map(|&a| match is_fence(g.label(a)) {
            true => all.iter().copied().filter(|&x| hb_refl(a, x)).collect(),
            false => vec![a],
        })
        .collect();
    let to: Vec<Vec<Ev>> = sc
        .iter()
        .map(|&b| match is_fence(g.label(b)) {
            true => all.iter().copied().filter(|&y| hb_refl(y, b)).collect(),
            false => vec![b],
        })
        .collect();
    let n = sc.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let base = from[i].iter().any(|&x| to[j].iter().any(|&y| scb(g, x, y)));
            let fences = is_fence(g.label(sc[i]))
                && is_fence(g.label(sc[j]))
                && (g.hb(sc[i], sc[j])
                    || from[i].iter().any(|&x| to[j].iter().any(|&y| eco(g, x, y))));
            if base || fences {
                succ[i].push(j);
            }
        }
    }
    acyclic(&succ)
}

/// Whether `sb ∪ rf` (with the synchronisation edges) is acyclic.
pub(crate) fn no_thin_air(g: &Graph) -> bool {
    // porf views are computed along sb ∪ rf; a cycle would put an event in the prefix of
    // its own program-order predecessor's source.
    g.events().all(|(e, ev)| match &ev.label {
        Label::Read { rf: Some(w), .. } => !g.event(*w).porf.contains(e),
        _ => true,
    })
}

fn acyclic(succ: &[Vec<usize>]) -> bool {
    let n = succ.len();
    let mut indegree = vec![0u32; n];
    for list in succ {
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

/// The lowest coherence position a new access `e` of `loc` may take: after every write
/// that happens before it and every write read by a read that happens before it.
pub(crate) fn floor(g: &Graph, loc: Loc, e: Ev, list: &[Ev]) -> usize {
    let position = |src: Src| {
        src.map_or(0, |w| {
            list.iter().position(|&x| x == w).map_or(0, |i| i + 1)
        })
    };
    let mut floor = 0;
    for (x, ev) in g.events() {
        if ev.label.loc() != Some(loc) || x == e || !g.hb(x, e) {
            continue;
        }
        let p = match &ev.label {
            Label::Write { .. } => position(Some(x)),
            Label::Read { rf, .. } => position(*rf),
            _ => 0,
        };
        floor = floor.max(p);
    }
    floor
}
