//! Spin loops: a thread that yields after a turn that only re-read what it read the turn
//! before waits for a change, instead of spinning until the step limit.
//!
//! `yield_now` and `spin_loop` say "this turn of my spin loop is over" (as in loom, they are
//! for spin loops). When the turn that a yield ends and the turn before it did the same
//! thing — the same operations on the same objects, only reads, nothing written — racelab
//! assumes the loop will do it again until something it reads changes, which is what a
//! spin loop does:
//!
//! * if a read of that turn did not read the latest write, the turn could only have been
//!   taken later, reading that latest write: the execution is redundant (another one takes
//!   the turn then) and the exhaustive search drops it;
//! * otherwise the thread waits until another thread writes something it read; if nothing
//!   else can run, it is let go once (code that yields and then goes on), and if it then
//!   takes the same turn again with nothing written, it spins forever: the execution ends
//!   there, reported as a deadlock whose thread spins.
//!
//! The assumption is named in every report's coverage. Code that yields twice in a row
//! after identical reads and then goes on to race with other threads (rather than loop
//! back) has orders a check skips.

use super::engine::{Engine, RawEnding};
use super::graph::{Ev, Label, Loc};
use super::thread::Spin;

/// The shape of one turn: each event's kind and location; `None` if the turn wrote.
fn turn(e: &Engine, from: u32, to: u32, t: u32) -> Option<Vec<(u8, Option<Loc>)>> {
    let g = &e.graph;
    (from..to)
        .map(|i| {
            let ev = Ev::new(t, i);
            match g.label(ev) {
                // A weak compare_exchange that failed spuriously may succeed next turn:
                // not a turn that only waits for a change.
                Label::Read { kind, .. } if kind.failed_spuriously() => None,
                Label::Read { loc, kind, .. } if g.rmw_write(ev).is_none() => {
                    let k = match kind {
                        super::graph::ReadKind::Load => 0,
                        super::graph::ReadKind::Cas { .. } => 1,
                        super::graph::ReadKind::TryLock => 2,
                        super::graph::ReadKind::Notify { .. } => 3,
                        _ => 4,
                    };
                    Some((k, Some(*loc)))
                }
                Label::Fence { .. } => Some((5, None)),
                _ => None,
            }
        })
        .collect()
}

/// Thread `t` took the yield `y` (`added`: by the exploration, not a replay).
pub(crate) fn after_yield(e: &mut Engine, t: usize, y: Ev, added: bool) {
    let tid = y.thread;
    let previous = (0..y.index)
        .rev()
        .find(|&i| matches!(e.graph.label(Ev::new(tid, i)), Label::Yield { .. }));
    let spin = previous.and_then(|p| {
        let len = y.index - p - 1;
        if len == 0 || p < len {
            return None;
        }
        let this = turn(e, p + 1, y.index, tid)?;
        let before = turn(e, p - len, p, tid)?;
        (this == before).then_some(p)
    });
    let Some(p) = spin else {
        e.thread_mut(t).spin = Spin::default();
        return;
    };
    let reads: Vec<Ev> = (p + 1..y.index).map(|i| Ev::new(tid, i)).collect();
    let mut locs: Vec<Loc> = reads
        .iter()
        .filter_map(|&r| e.graph.label(r).loc())
        .collect();
    locs.sort_unstable();
    locs.dedup();
    if added {
        let stale = reads.iter().any(|&r| {
            let loc = e.graph.label(r).loc().expect("a read");
            e.graph.rf(r) != e.graph.co_max(loc)
        });
        if stale {
            e.ending = Some(RawEnding::Abandoned);
            return;
        }
        let previous_spun = matches!(e.graph.label(Ev::new(tid, p)), Label::Yield { spin: true });
        let since = e.graph.stamp(Ev::new(tid, p));
        let changed = locs
            .iter()
            .any(|&l| e.graph.co(l).iter().any(|&w| e.graph.stamp(w) > since));
        if previous_spun && !changed {
            e.thread_mut(t).spin = Spin {
                waiting: Some((locs, e.graph.stamp(y))),
                let_go: false,
            };
            // It spins for ever, and nothing else can run: a deadlock, unless a thread
            // waits at its limit of wake-ups without a notify (`rt::timeout`).
            e.ending = Some(
                super::blocked::cut(e)
                    .unwrap_or_else(|| RawEnding::Deadlock(super::blocked::blocked(e))),
            );
            return;
        }
        if let Label::Yield { spin } = &mut e.graph.event_mut(y).label {
            *spin = true;
        }
    } else if !matches!(e.graph.label(y), Label::Yield { spin: true }) {
        e.thread_mut(t).spin = Spin::default();
        return;
    }
    let since = e.graph.stamp(y);
    e.thread_mut(t).spin = Spin {
        waiting: Some((locs, since)),
        let_go: false,
    };
}
