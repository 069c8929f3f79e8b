//! Taking an operation: turning a thread's pending [`Op`] into graph events, replayed from
//! the graph the run was handed or added to it, and working out what the primitive gets
//! back.
//!
//! An operation is a short sequence of steps (see the table in [`super::op`]); a step is one
//! graph event, or two for a read-modify-write (its read and its write part are added, and
//! replayed, together). Steps are applied one at a time so that a replay can stop in the
//! middle of an operation (a `wait` whose registration was revisited but whose unlock was
//! not kept) and the exploration can finish it.

use std::sync::Arc;

use super::engine::Engine;
use super::graph::{Ev, FREE, Graph, Label, Ord, ReadKind, Tid, WriteKind};
use super::op::Op;
use super::spurious;
use super::strategy::Strategy;
use super::thread::{Part, Pending};
use super::trace::Detail;
use super::views::notified;
use crate::check::search::trust::Trust;

/// The choices the graph search (or a strategy) makes when a step adds events.
pub(crate) enum Chooser<'a> {
    /// The exhaustive graph search: it branches.
    Trust(&'a mut Trust),
    /// A strategy: reads read the latest write, writes go last, the strategy picks which
    /// waiter a `notify_one` wakes.
    Strategy(&'a mut dyn Strategy),
}

/// Applies the next step of thread `t`'s pending operation: replays its event if the graph
/// has it, adds it otherwise. Returns whether the operation is now complete (its result is
/// then in the thread's `done`).
pub(crate) fn step(e: &mut Engine, t: usize, chooser: &mut Chooser<'_>) -> bool {
    let tid = t as Tid;
    let mut pending = e.thread_mut(t).pending.take().expect("a pending operation");
    let Some(&step) = pending.steps.get(pending.applied) else {
        e.thread_mut(t).pending = Some(pending);
        return finish_op(e, t);
    };
    if pending.applied == 0 && weaker_than_seq_cst(&pending.op) {
        e.weak_seen = true;
    }
    if pending.applied == 0 {
        if let Chooser::Trust(trust) = chooser {
            if trust.sc_by_default && weaker_than_seq_cst(&pending.op) {
                // Sequential consistency is not enough: the search starts again under RC11.
                trust.weak_seen = true;
                e.ending = Some(super::engine::RawEnding::Abandoned);
                e.thread_mut(t).pending = Some(pending);
                return false;
            }
        }
    }
    let replaying = e.replay_next(t);
    let ev = match replaying {
        Some(ev) => replay_step(e, t, step, ev),
        None => add_step(e, t, step, chooser, &mut pending),
    };
    let Some(ev) = ev else {
        // Nondeterminism, or the search found the execution redundant: it ends here.
        e.thread_mut(t).pending = Some(pending);
        return false;
    };
    if e.replayed.len() <= t {
        e.replayed.resize(t + 1, 0);
    }
    if matches!(
        e.graph.label(ev),
        Label::Read {
            kind: ReadKind::Lock,
            ..
        }
    ) && e.graph.read_value(ev) != FREE
        || matches!(e.graph.label(ev), Label::Read { kind, .. } if kind.waits_for_ever())
    {
        // A lock read of a held mutex (see `block_lock`), or a wait that may wake
        // spuriously and never does (`rt::spurious`): the thread waits forever.
        e.replayed[t] = ev.index + 1;
        pending.blocked = true;
        e.thread_mut(t).pending = Some(pending);
        return false;
    }
    pending.first.get_or_insert(ev);
    // What the step did, for the primitive.
    match e.graph.label(ev).clone() {
        Label::Read { kind, .. } => {
            let value = e.graph.read_value(ev);
            pending.done.value = value;
            pending.done.ok = kind.writes(value);
            if let ReadKind::Notify { .. } = kind {
                pending.waiters = value.count_ones();
            }
            if let ReadKind::TimedWake { .. } = kind {
                // Its bit was still in the waiter set: no notify took it out, it timed out.
                pending.done.ok = value >> t & 1 == 1;
                let timeouts = e.thread(t).timeouts;
                let limit = e.spurious.wakeup_limit;
                if pending.done.ok && timeouts.held(&e.graph, t as Tid, ev.index, limit) {
                    // A graph the search built (another reads-from, a revisit) in which a
                    // polling thread timed out again (it only repeats a turn), or one at its
                    // limit woke without a notify (`rt::timeout`).
                    e.ending = Some(super::engine::RawEnding::Abandoned);
                }
                e.thread_mut(t).timeouts.woke(ev, pending.done.ok);
            }
        }
        Label::Spawn { child } => pending.done.child = child as usize,
        Label::Finish => e.thread_mut(t).finished = true,
        Label::Yield { .. } => super::spin::after_yield(e, t, ev, replaying.is_none()),
        _ => {}
    }
    // Count the events this run has executed (a write part came with its read).
    let n = e
        .graph
        .thread_len(tid)
        .min(ev.index + 1 + u32::from(e.graph.rmw_write(ev).is_some()));
    if e.replayed.len() <= t {
        e.replayed.resize(t + 1, 0);
    }
    e.replayed[t] = n;
    pending.applied += 1;
    e.thread_mut(t).pending = Some(pending);
    e.thread(t).pending.as_ref().is_some_and(Pending::complete) && finish_op(e, t)
}

/// Whether `op` is an atomic operation with an ordering weaker than `SeqCst`.
fn weaker_than_seq_cst(op: &Op) -> bool {
    match op {
        Op::Load { ord, .. } | Op::Store { ord, .. } | Op::Rmw { ord, .. } | Op::Fence { ord } => {
            *ord != Ord::SeqCst
        }
        Op::IsFinished { .. } => true,
        Op::Cas {
            success, failure, ..
        } => *success != Ord::SeqCst || *failure != Ord::SeqCst,
        _ => false,
    }
}

/// Whether thread `t` waits to lock a held mutex, and its lock read was not added yet.
pub(crate) fn waits_for_lock(e: &Engine, t: usize) -> bool {
    e.threads[t]
        .as_ref()
        .and_then(|rt| rt.pending.as_ref())
        .is_some_and(|p| {
            !p.blocked
                && p.applied == 0
                && matches!(
                    p.steps.first(),
                    Some(Part::Read {
                        kind: ReadKind::Lock,
                        ..
                    })
                )
                && !super::views::pending_enabled(p, e, t as Tid)
        })
}

/// Adds the lock read of thread `t`, which waits for a held mutex, reading the holder's
/// write: when nothing else can run, the exhaustive search still needs the read, to try
/// the other orders in which the thread takes the mutex before its holder (GenMC's
/// rescheduled reads). The thread then waits forever in this execution.
pub(crate) fn block_lock(e: &mut Engine, t: usize, trust: &mut Trust) {
    let mut pending = e.thread_mut(t).pending.take().expect("a pending lock");
    let Some(Part::Read { obj, ord, kind }) = pending.steps.first().copied() else {
        unreachable!("a lock")
    };
    let loc = e.bind(obj.meta(), None);
    let label = Label::Read {
        loc,
        ord,
        kind,
        rf: None,
        max: true,
    };
    let r = trust.add_blocked_lock(&mut e.graph, t as Tid, label);
    if e.replayed.len() <= t {
        e.replayed.resize(t + 1, 0);
    }
    e.replayed[t] = r.index + 1;
    pending.blocked = true;
    e.thread_mut(t).pending = Some(pending);
}

/// Replays `step` as the recorded event `ev`; `None` if the program did something else.
fn replay_step(e: &mut Engine, t: usize, step: Part, ev: Ev) -> Option<Ev> {
    let label = e.graph.label(ev).clone();
    let ok = match (step, &label) {
        (Part::Start, Label::Start { .. })
        | (Part::Spawn, Label::Spawn { .. })
        | (Part::Finish, Label::Finish)
        | (Part::Yield, Label::Yield { .. })
        | (Part::Wake { .. }, Label::Wake { .. }) => true,
        (Part::Join(c), Label::Join { child }) => c == *child,
        (Part::Fence(o), Label::Fence { ord }) => o == *ord,
        (Part::Read { obj, kind, .. }, Label::Read { loc, kind: k, .. }) => {
            kind.same_operation(k) && e.bind(obj.meta(), Some(*loc)) == *loc
        }
        (
            Part::Write {
                obj, value, kind, ..
            },
            Label::Write {
                loc,
                value: v,
                kind: k,
                ..
            },
        ) => kind == *k && value == *v && e.bind(obj.meta(), Some(*loc)) == *loc,
        _ => false,
    };
    if !ok {
        e.nondeterministic(&format!(
            "{}'s operation {} was not the one recorded ({label:?})",
            e.thread(t).name,
            ev.index + 1
        ));
        return None;
    }
    if let Part::Wake { cv } = step {
        if let Label::Wake { by } = label {
            if let Label::Write { loc, .. } = e.graph.label(by) {
                let loc = *loc;
                e.bind(cv.meta(), Some(loc));
            }
        }
    }
    (e.ending.is_none()).then_some(ev)
}

/// Adds `step` as the next event of thread `t`.
fn add_step(
    e: &mut Engine,
    t: usize,
    step: Part,
    chooser: &mut Chooser<'_>,
    pending: &mut Pending,
) -> Option<Ev> {
    let tid = t as Tid;
    let label = match step {
        Part::Start => Label::Start {
            spawn: e.thread(t).spawn,
        },
        Part::Spawn => {
            let at = Ev::new(tid, e.graph.thread_len(tid));
            Label::Spawn {
                child: e.graph.child_for(at),
            }
        }
        Part::Finish => Label::Finish,
        Part::Join(child) => Label::Join { child },
        Part::Fence(ord) => Label::Fence { ord },
        Part::Yield => Label::Yield { spin: false },
        Part::Wake { cv } => {
            let loc = e.bind(cv.meta(), None);
            let by = notified(&e.graph, tid, loc).expect("a wake only runs once notified");
            Label::Wake { by }
        }
        Part::Read { obj, ord, kind } => {
            let loc = e.bind(obj.meta(), None);
            let label = Label::Read {
                loc,
                ord,
                kind,
                rf: None,
                max: true,
            };
            let r = match chooser {
                Chooser::Trust(trust) => trust.add_read(&mut e.graph, tid, label),
                Chooser::Strategy(s) => add_read_latest(&mut e.graph, tid, label, *s),
            };
            return Some(r);
        }
        Part::Write {
            obj,
            ord,
            value,
            kind,
        } => {
            let loc = e.bind(obj.meta(), None);
            let label = Label::Write {
                loc,
                ord,
                value,
                kind,
                max: true,
                woke: 0,
            };
            let w = match chooser {
                Chooser::Trust(trust) => trust.add_write(&mut e.graph, tid, label),
                Chooser::Strategy(_) => {
                    let w = e.graph.add(tid, label);
                    let last = e.graph.co(loc).iter().copied().rfind(|&x| x != w);
                    e.graph.place(w, last);
                    w
                }
            };
            return Some(w);
        }
    };
    let _ = pending;
    Some(e.graph.add(tid, label))
}

/// A strategy's read: the latest write; a read-modify-write that writes gets its write part
/// right after it; a `notify_one` with several waiters, a `compare_exchange_weak` that may
/// fail spuriously and a wait that may wake spuriously (or never) let the strategy pick.
fn add_read_latest(g: &mut Graph, t: Tid, label: Label, s: &mut dyn Strategy) -> Ev {
    let Label::Read { loc, ord, kind, .. } = label else {
        unreachable!("a read")
    };
    let rf = g.co_max(loc);
    let r = g.add(t, label);
    g.set_rf(r, rf, true);
    let old = g.value(loc, rf);
    if (spurious::may_fail(g, r, old) || spurious::may_wait_for_ever(g, r, old))
        && s.fail_spuriously()
    {
        spurious::set_failed(g, r, true);
        g.set_rf(r, rf, true);
        return r;
    }
    if kind.writes(old) {
        let (value, woke) = match kind {
            ReadKind::Rmw(rmw) => (rmw.apply(old), 0),
            ReadKind::Cas { new, .. } => (new, 0),
            ReadKind::Lock | ReadKind::TryLock => (super::graph::HELD, 0),
            ReadKind::WaitRegister => (old | 1 << t, 0),
            ReadKind::TimedWake { .. } => (old & !(1 << t), 0),
            ReadKind::Notify { all: true } => (0, old),
            ReadKind::Notify { all: false } => {
                let waiters: Vec<u64> = (0..64)
                    .filter(|b| old >> b & 1 == 1)
                    .map(|b| 1 << b)
                    .collect();
                let pick = waiters[s.choose_value(waiters.len()).min(waiters.len() - 1)];
                (old & !pick, pick)
            }
            ReadKind::Load => unreachable!("a load does not write"),
        };
        let w = g.add(
            t,
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
    }
    r
}

/// The operation of thread `t` is complete: record it in the trace and leave its result for
/// the primitive. Returns `true` (the thread may run).
fn finish_op(e: &mut Engine, t: usize) -> bool {
    let pending = e.thread_mut(t).pending.take().expect("a pending operation");
    let mut done = pending.done;
    let first = pending.first;
    done.event = first;
    let op = &pending.op;
    let object: Option<Arc<str>> = op
        .objects()
        .into_iter()
        .flatten()
        .next()
        .and_then(|o| e.bound_loc(o.meta()))
        .map(|l| e.loc_name(l));
    let detail = match op {
        Op::Load { .. } | Op::IsFinished { .. } => Detail::Value(done.value as i128),
        Op::Store { value, .. } => Detail::Value(*value as i128),
        Op::Rmw { .. } => {
            let after = first.and_then(|r| e.graph.rmw_write(r)).map(|w| {
                e.graph
                    .value(e.graph.label(w).loc().expect("a write"), Some(w))
            });
            Detail::Update(done.value as i128, after.unwrap_or(done.value) as i128)
        }
        Op::Cas { new, .. } if done.ok => Detail::Update(done.value as i128, *new as i128),
        Op::Cas { expected, .. } if done.value == *expected => {
            Detail::FailedSpuriously(done.value as i128)
        }
        Op::Cas { .. } => Detail::Failed(done.value as i128),
        Op::TryLock { .. } if !done.ok => Detail::Busy,
        Op::Notify { all: false, .. } => match woken(e, first) {
            Some(woke) => Detail::WokeOne {
                waiting: pending.waiters as usize,
                woke: thread_name(e, woke),
            },
            None => Detail::Woke(pending.waiters as usize),
        },
        Op::Notify { .. } => Detail::Woke(pending.waiters as usize),
        Op::TimedWake {
            spurious: false, ..
        } => Detail::TimedOut(done.ok),
        Op::TimedWake { spurious: true, .. } => Detail::Spurious(done.ok),
        _ => Detail::None,
    };
    if matches!(
        op,
        Op::Lock { .. } | Op::Unlock { .. } | Op::Wait { .. } | Op::Wake { .. }
    ) {
        done.ok = true;
    }
    let is_event = !matches!(op, Op::MarkPoint);
    let object = match op {
        Op::Spawn { .. } | Op::Join { .. } | Op::IsFinished { .. } => {
            let child = match op {
                Op::Join { thread } | Op::IsFinished { thread, .. } => *thread,
                _ => done.child,
            };
            Some(child_name(e, child, op))
        }
        _ => object,
    };
    if is_event && !matches!(op, Op::Start) {
        if let (Op::Load { .. } | Op::IsFinished { .. }, Some(r), true) =
            (op, first, e.graph.is_weak())
        {
            e.loads.push((e.trace.len(), r));
        }
        e.record(t, op.kind(), object, detail);
    }
    let step = e.condvar_step(op, pending.waiters);
    if let Some(step) = step {
        e.trace.push(super::trace::Event {
            thread: t,
            what: super::trace::What::Mark(step),
        });
        e.marks += 1;
    }
    let footprint = super::views::footprint(&pending, e);
    e.steps.push((t, footprint));
    if !matches!(op, Op::Wait { .. } | Op::MarkPoint) {
        e.thread_mut(t).note = None; // it moved on from what it waited for
    }
    e.thread_mut(t).done = Some(done);
    true
}

fn child_name(e: &Engine, child: usize, op: &Op) -> Arc<str> {
    if let Op::Spawn { name: Some(name) } = op {
        return Arc::clone(name);
    }
    thread_name(e, child)
}

/// Thread `t`'s name in traces.
fn thread_name(e: &Engine, t: usize) -> Arc<str> {
    match e.threads.get(t).and_then(Option::as_ref) {
        Some(rt) => Arc::clone(&rt.name),
        None => Engine::default_name(t).into(),
    }
}

/// The thread a `notify_one` whose read is `read` woke, if it woke one: the waiter its
/// write took out of the condition variable's waiter set.
fn woken(e: &Engine, read: Option<Ev>) -> Option<usize> {
    let write = e.graph.rmw_write(read?)?;
    match e.graph.label(write) {
        Label::Write { woke, .. } if *woke != 0 => Some(woke.trailing_zeros() as usize),
        _ => None,
    }
}
