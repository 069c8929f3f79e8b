//! Polling with a timed wait: when a `wait_timeout` may time out again.
//!
//! A check has no clock: a `wait_timeout` may time out at any moment while its thread waits.
//! Its wake is a read-modify-write of the condvar's waiter set (`ReadKind::TimedWake`) that
//! timed out if the thread was still in the set, so the graph search explores the timeout
//! and each notify in both orders. A loop around `wait_timeout` then has an execution graph
//! for every number of turns it could take before the thread that ends it runs, and the
//! search would not end. racelab treats such a loop as GenMC treats a spin loop (its
//! spin-assume transformation and liveness check; Kokologiannakis et al., PLDI 2019 §5,
//! and racelab's `rt::spin`):
//!
//! * a **turn** is what a thread did between two of its timed-out wakes. A thread whose
//!   last turn has the same shape as the turn before (the same operations on the same
//!   locations, the same values written), and which read nothing another thread wrote in
//!   either, **polls**: it may not time out again (a notify still wakes it). racelab
//!   assumes the loop would only take that turn again. Straight-line code with one or two
//!   timed waits in a row is explored in every order; a third identical turn is taken as
//!   a polling loop;
//! * an execution in which nothing else can run while a thread polls ends in one of two
//!   ways. If a read of its last turn did not read the latest write to its location,
//!   another execution has the turn read that write (the search revisits it): this one is
//!   redundant and dropped. Otherwise nothing it reads will ever change: it polls forever,
//!   reported as a deadlock whose thread waits with a timeout (`WaitsFor::Timeout`);
//! * a graph the search builds (another reads-from, a backward revisit) in which a thread
//!   that polls timed out is redundant and dropped.
//!
//! Invariant: whether a thread polls depends only on the graph — its own events and the
//! writes its reads read — never on the order in which events were added. Revisits keep a
//! thread's events with their reads-from, so the rule is the same in every graph the
//! search builds. (Rules on the order of addition, "no other thread wrote since" or "let
//! go when nothing else could run", were not: revisits kept the turns they had allowed
//! while removing what allowed them, and the search built graphs with ever more turns.)
//!
//! The assumption is named in every report's coverage: code that counts three or more
//! identical timed-out turns has orders a check skips.
//!
//! **The limit of wake-ups without a notify** (`Check::wakeups_without_notify`, off by
//! default) covers what the polling rule cannot: two threads whose turns read what the
//! other wrote never repeat a turn. With a limit `n`, a thread whose earlier waits woke
//! without a notify (timed out, or woke spuriously) `n` times is **held** as a polling one
//! is: it may not wake without a notify again. The count is its program-order prefix's, so
//! the rule depends on the graph alone, as above, and a graph the search builds in which a
//! held thread woke without a notify is dropped. An execution in which no thread can go on
//! but after a `wait_timeout` held at its limit is **cut** (`Ending::WakeupLimit`; the
//! rule, and what is still a deadlock, in `blocked::cut`): with a clock, that thread would
//! time out again, so nothing is claimed about how it goes on.

use std::ops::Range;

use super::graph::{Ev, Event, Graph, Label, LocKind, Tid};

/// A thread's two latest timed-out wakes, since its last notified one, and how many of its
/// wakes were not notified.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Timeouts {
    /// Its last timed-out wake.
    pub(crate) last: Option<Ev>,
    /// The timed-out wake before `last`.
    pub(crate) before: Option<Ev>,
    /// Its wakes so far that no notify caused (timed out or spurious).
    pub(crate) unnotified: u32,
}

impl Timeouts {
    /// Whether thread `t`, about to wake at its event index `at`, may not wake without a
    /// notify: it polls, or it has reached `limit` (`Check::wakeups_without_notify`).
    pub(crate) fn held(&self, g: &Graph, t: Tid, at: u32, limit: Option<u32>) -> bool {
        self.at_limit(limit) || self.polls(g, t, at)
    }

    /// Whether it has woken without a notify as many times as `limit` allows.
    pub(crate) fn at_limit(&self, limit: Option<u32>) -> bool {
        limit.is_some_and(|n| self.unnotified >= n)
    }

    /// Whether thread `t`, about to wake at its event index `at`, polls: its turn since its
    /// last timeout repeats the turn before, with nothing read from another thread.
    pub(crate) fn polls(&self, g: &Graph, t: Tid, at: u32) -> bool {
        let Some(turns) = self.turns(at) else {
            return false;
        };
        let [this, previous] = turns;
        !read_news(g, t, this.clone())
            && !read_news(g, t, previous.clone())
            && shape(g, t, this) == shape(g, t, previous)
    }

    /// Its last turn (ending before index `at`) and the one before, if it had two.
    fn turns(&self, at: u32) -> Option<[Range<u32>; 2]> {
        let (last, before) = (self.last?, self.before?);
        Some([last.index + 1..at, before.index + 1..last.index])
    }

    /// Records the wake `ev`: timed out or notified.
    pub(crate) fn woke(&mut self, ev: Ev, timed_out: bool) {
        *self = if timed_out {
            Timeouts {
                last: Some(ev),
                before: self.last,
                unnotified: self.unnotified + 1,
            }
        } else {
            Timeouts {
                unnotified: self.unnotified,
                ..Timeouts::default()
            }
        };
    }

    /// Whether thread `t`, which polls, read in its last turn a value that another thread
    /// overwrote (coherence-later): then another execution has it read the newer one.
    pub(crate) fn stale(&self, g: &Graph, t: Tid) -> bool {
        let Some([this, _]) = self.turns(g.thread_len(t)) else {
            return false;
        };
        events(g, t, this).iter().any(|ev| match ev.label {
            Label::Read { loc, rf, .. } => {
                !matches!(g.loc(loc).kind, LocKind::Condvar)
                    && g.co(loc)[g.co_pos(loc, rf)..].iter().any(|w| w.thread != t)
            }
            _ => false,
        })
    }
}

/// Whether thread `t`, in its events `range`, read a value another thread wrote or joined
/// a thread (condvar waiter sets do not count: they change with every wait), or had a weak
/// `compare_exchange` fail spuriously (the next turn may go otherwise: its thread's bound
/// of spurious failures may be spent, `rt::spurious`).
fn read_news(g: &Graph, t: Tid, range: Range<u32>) -> bool {
    events(g, t, range).iter().any(|ev| match &ev.label {
        Label::Read { kind, .. } if kind.failed_spuriously() => true,
        Label::Read {
            loc, rf: Some(w), ..
        } => w.thread != t && !matches!(g.loc(*loc).kind, LocKind::Condvar),
        Label::Join { .. } => true,
        _ => false,
    })
}

/// The shape of thread `t`'s events `range`: each one's kind, location and value written.
fn shape(g: &Graph, t: Tid, range: Range<u32>) -> Vec<String> {
    events(g, t, range)
        .iter()
        .map(|ev| match &ev.label {
            Label::Read { loc, kind, .. } => format!("R {loc:?} {kind:?}"),
            Label::Write {
                loc, value, kind, ..
            } => format!("W {loc:?} {value} {kind:?}"),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Thread `t`'s events `range` (those it has).
fn events(g: &Graph, t: Tid, range: Range<u32>) -> &[Event] {
    let all = g.thread_events(t);
    let end = (range.end as usize).min(all.len());
    all.get(range.start as usize..end).unwrap_or_default()
}
