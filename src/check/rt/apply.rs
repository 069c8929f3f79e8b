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
use super::graph::{Ev, Graph, Label, Loc, Ord, ReadKind, Tid, WriteKind, FREE};
use super::op::{Access, Done, Footprint, Obj, Op};
use super::trace::Detail;
use crate::check::search::trust::Trust;
use crate::check::strategy::Strategy;

/// One step of an operation, before it is bound to locations.
#[derive(Debug, Clone, Copy)]
enum Step {
    Start,
    Spawn,
    Finish,
    Join(Tid),
    Fence(Ord),
    Yield,
    Wake {
        cv: Obj,
    },
    Read {
        obj: Obj,
        ord: Ord,
        kind: ReadKind,
    },
    Write {
        obj: Obj,
        ord: Ord,
        value: u64,
        kind: WriteKind,
    },
}

/// A thread's pending operation and how much of it was taken.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) op: Op,
    steps: Vec<Step>,
    applied: usize,
    done: Done,
    /// The first graph event of the operation, once its first step was taken.
    first: Option<Ev>,
    /// Waiters a notify found.
    waiters: u32,
    /// A lock whose read was added although the mutex was held (when nothing else could
    /// run, so that the search can try taking the mutex earlier): the thread waits forever.
    blocked: bool,
}

impl Pending {
    pub(crate) fn new(op: Op, _t: Tid, _g: &Graph) -> Self {
        use Step::*;
        let steps = match &op {
            Op::Start => vec![Start],
            Op::Finish => vec![Finish],
            Op::Spawn { .. } => vec![Spawn],
            Op::Join { thread } => vec![Join(*thread as Tid)],
            Op::Load { obj, ord } => vec![Read {
                obj: *obj,
                ord: *ord,
                kind: ReadKind::Load,
            }],
            Op::Store { obj, ord, value } => vec![Write {
                obj: *obj,
                ord: *ord,
                value: *value,
                kind: WriteKind::Store,
            }],
            Op::Rmw { obj, ord, rmw } => vec![Read {
                obj: *obj,
                ord: *ord,
                kind: ReadKind::Rmw(*rmw),
            }],
            Op::Cas {
                obj,
                success,
                failure,
                expected,
                new,
            } => vec![Read {
                obj: *obj,
                ord: *success,
                kind: ReadKind::Cas {
                    expected: *expected,
                    new: *new,
                    failure: *failure,
                },
            }],
            Op::Fence { ord } => vec![Fence(*ord)],
            Op::Lock { mutex } => vec![Read {
                obj: *mutex,
                ord: Ord::Acquire,
                kind: ReadKind::Lock,
            }],
            Op::TryLock { mutex } => vec![Read {
                obj: *mutex,
                ord: Ord::Acquire,
                kind: ReadKind::TryLock,
            }],
            Op::Unlock { mutex } => vec![unlock(*mutex)],
            Op::Wait { cv, mutex } => vec![
                Read {
                    obj: *cv,
                    ord: Ord::SeqCst,
                    kind: ReadKind::WaitRegister,
                },
                unlock(*mutex),
            ],
            Op::Wake { cv, .. } => vec![Wake { cv: *cv }],
            Op::Notify { cv, all } => vec![Read {
                obj: *cv,
                ord: Ord::SeqCst,
                kind: ReadKind::Notify { all: *all },
            }],
            Op::Yield => vec![Yield],
            Op::Sleep | Op::MarkPoint => vec![],
        };
        Pending {
            op,
            steps,
            applied: 0,
            done: Done::default(),
            first: None,
            waiters: 0,
            blocked: false,
        }
    }

    /// Whether some of its steps were taken and some were not.
    pub(crate) fn half_taken(&self) -> bool {
        self.applied > 0 && self.applied < self.steps.len()
    }

    pub(crate) fn complete(&self) -> bool {
        self.applied == self.steps.len()
    }

    /// Whether its next step is possible now.
    pub(crate) fn enabled(&self, e: &Engine, t: Tid) -> bool {
        if self.blocked {
            return false;
        }
        let Some(step) = self.steps.get(self.applied) else {
            return true;
        };
        match step {
            Step::Read {
                obj,
                kind: ReadKind::Lock,
                ..
            } => match e.bound_loc(obj.meta()) {
                Some(loc) => e.graph.value(loc, e.graph.co_max(loc)) == FREE,
                None => true,
            },
            Step::Wake { cv } => e
                .bound_loc(cv.meta())
                .is_some_and(|loc| notified(&e.graph, t, loc).is_some()),
            Step::Join(child) => e
                .graph
                .last(*child)
                .is_some_and(|l| matches!(e.graph.label(l), Label::Finish)),
            _ => true,
        }
    }

    /// What the whole operation touches, for sampled strategies.
    pub(crate) fn footprint(&self, e: &Engine) -> Footprint {
        let loc = |o: &Obj| e.bound_loc(o.meta());
        let one = |o: &Obj, a: Access| loc(o).map_or(Footprint::none(), |l| Footprint::one(l, a));
        match &self.op {
            Op::Load { obj, .. } => one(obj, Access::Read),
            Op::Store { obj, .. } | Op::Rmw { obj, .. } | Op::Cas { obj, .. } => {
                one(obj, Access::Write)
            }
            Op::Lock { mutex } | Op::TryLock { mutex } | Op::Unlock { mutex } => {
                one(mutex, Access::Write)
            }
            Op::Wait { cv, mutex } => match (loc(cv), loc(mutex)) {
                (Some(c), Some(m)) => Footprint::two((c, Access::Write), (m, Access::Write)),
                (Some(c), None) => Footprint::one(c, Access::Write),
                (None, Some(m)) => Footprint::one(m, Access::Write),
                (None, None) => Footprint::none(),
            },
            Op::Wake { cv, .. } | Op::Notify { cv, .. } => one(cv, Access::Write),
            _ => Footprint::none(),
        }
    }
}

fn unlock(mutex: Obj) -> Step {
    Step::Write {
        obj: mutex,
        ord: Ord::Release,
        value: FREE,
        kind: WriteKind::Unlock,
    }
}

/// The notify write that woke thread `t`, waiting on condition variable `cv`, if one did
/// (after `t`'s latest registration as a waiter).
pub(crate) fn notified(g: &Graph, t: Tid, cv: Loc) -> Option<Ev> {
    let registration = g
        .thread_events(t)
        .iter()
        .enumerate()
        .rev()
        .find(|(_, ev)| {
            matches!(ev.label, Label::Read { loc, kind: ReadKind::WaitRegister, .. } if loc == cv)
        })
        .map(|(i, _)| Ev::new(t, i as u32))?;
    let w = g.rmw_write(registration)?;
    let from = g.co_pos(cv, Some(w));
    g.co(cv)[from..]
        .iter()
        .copied()
        .find(|&n| matches!(g.label(n), Label::Write { woke, .. } if woke & (1 << t) != 0))
}

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
    {
        // A lock read of a held mutex: the thread waits forever (see `block_lock`).
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
                    Some(Step::Read {
                        kind: ReadKind::Lock,
                        ..
                    })
                )
                && !p.enabled(e, t as Tid)
        })
}

/// Adds the lock read of thread `t`, which waits for a held mutex, reading the holder's
/// write: when nothing else can run, the exhaustive search still needs the read, to try
/// the other orders in which the thread takes the mutex before its holder (GenMC's
/// rescheduled reads). The thread then waits forever in this execution.
pub(crate) fn block_lock(e: &mut Engine, t: usize, trust: &mut Trust) {
    let mut pending = e.thread_mut(t).pending.take().expect("a pending lock");
    let Some(Step::Read { obj, ord, kind }) = pending.steps.first().copied() else {
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
fn replay_step(e: &mut Engine, t: usize, step: Step, ev: Ev) -> Option<Ev> {
    let label = e.graph.label(ev).clone();
    let ok = match (step, &label) {
        (Step::Start, Label::Start { .. })
        | (Step::Spawn, Label::Spawn { .. })
        | (Step::Finish, Label::Finish)
        | (Step::Yield, Label::Yield { .. })
        | (Step::Wake { .. }, Label::Wake { .. }) => true,
        (Step::Join(c), Label::Join { child }) => c == *child,
        (Step::Fence(o), Label::Fence { ord }) => o == *ord,
        (Step::Read { obj, kind, .. }, Label::Read { loc, kind: k, .. }) => {
            kind == *k && e.bind(obj.meta(), Some(*loc)) == *loc
        }
        (
            Step::Write {
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
    if let Step::Wake { cv } = step {
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
    step: Step,
    chooser: &mut Chooser<'_>,
    pending: &mut Pending,
) -> Option<Ev> {
    let tid = t as Tid;
    let label = match step {
        Step::Start => Label::Start {
            spawn: e.thread(t).spawn,
        },
        Step::Spawn => {
            let at = Ev::new(tid, e.graph.thread_len(tid));
            Label::Spawn {
                child: e.graph.child_for(at),
            }
        }
        Step::Finish => Label::Finish,
        Step::Join(child) => Label::Join { child },
        Step::Fence(ord) => Label::Fence { ord },
        Step::Yield => Label::Yield { spin: false },
        Step::Wake { cv } => {
            let loc = e.bind(cv.meta(), None);
            let by = notified(&e.graph, tid, loc).expect("a wake only runs once notified");
            Label::Wake { by }
        }
        Step::Read { obj, ord, kind } => {
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
        Step::Write {
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
/// right after it; a `notify_one` with several waiters lets the strategy pick.
fn add_read_latest(g: &mut Graph, t: Tid, label: Label, s: &mut dyn Strategy) -> Ev {
    let Label::Read { loc, ord, kind, .. } = label else {
        unreachable!("a read")
    };
    let rf = g.co_max(loc);
    let r = g.add(t, label);
    g.set_rf(r, rf, true);
    let old = g.value(loc, rf);
    if kind.writes(old) {
        let (value, woke) = match kind {
            ReadKind::Rmw(rmw) => (rmw.apply(old), 0),
            ReadKind::Cas { new, .. } => (new, 0),
            ReadKind::Lock | ReadKind::TryLock => (super::graph::HELD, 0),
            ReadKind::WaitRegister => (old | 1 << t, 0),
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
        Op::Load { .. } => Detail::Value(done.value as i128),
        Op::Store { value, .. } => Detail::Value(*value as i128),
        Op::Rmw { .. } => {
            let after = first.and_then(|r| e.graph.rmw_write(r)).map(|w| {
                e.graph
                    .value(e.graph.label(w).loc().expect("a write"), Some(w))
            });
            Detail::Update(done.value as i128, after.unwrap_or(done.value) as i128)
        }
        Op::Cas { new, .. } if done.ok => Detail::Update(done.value as i128, *new as i128),
        Op::Cas { .. } => Detail::Failed(done.value as i128),
        Op::TryLock { .. } if !done.ok => Detail::Busy,
        Op::Notify { .. } => Detail::Woke(pending.waiters as usize),
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
        Op::Spawn { .. } | Op::Join { .. } => {
            let child = match op {
                Op::Join { thread } => *thread,
                _ => done.child,
            };
            Some(child_name(e, child, op))
        }
        _ => object,
    };
    if is_event && !matches!(op, Op::Start) {
        if let (Op::Load { .. }, Some(r), true) = (op, first, e.graph.is_weak()) {
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
    let footprint = pending.footprint(e);
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
    match e.threads.get(child).and_then(Option::as_ref) {
        Some(rt) => Arc::clone(&rt.name),
        None => Engine::default_name(child).into(),
    }
}
