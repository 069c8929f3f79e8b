//! What strategies see of each thread at a decision point: whether it can go on, what its
//! next operation touches.

use super::engine::Engine;
use super::graph::{Ev, FREE, Graph, Label, Loc, ReadKind, Tid};
use super::op::{Access, Footprint, Obj, Op};
use super::strategy::View;
use super::thread::{Intent, Part, Pending};

/// What the strategy sees of each thread (into `views`).
pub(crate) fn views(e: &Engine, views: &mut Vec<View>) {
    views.clear();
    views.extend(e.threads.iter().enumerate().map(|(t, rt)| {
        let Some(rt) = rt else {
            return View {
                enabled: false,
                finished: true,
                at_mark: false,
                done_marking: true,
                waits_for_held_lock: false,
                footprint: None,
                local: false,
            };
        };
        let finished = rt.finished || rt.pending.is_none();
        let pending = rt.pending.as_ref();
        View {
            enabled: !finished && enabled(e, t),
            finished,
            at_mark: pending.is_some_and(|p| {
                matches!(p.op, Op::MarkPoint)
                    || matches!(p.op, Op::Wake { .. } | Op::TimedWake { .. })
                        && e.condvar_step(&p.op, 0).is_some()
            }),
            done_marking: rt.done_marking,
            waits_for_held_lock: matches!(
                rt.intent,
                Some(Intent::Acquire(lock)) if e.held_locks.contains(&lock)
            ),
            footprint: (!finished).then(|| pending.map(|p| footprint(p, e)).unwrap_or_default()),
            local: pending.is_some_and(|p| {
                matches!(
                    p.op,
                    Op::Start
                        | Op::Spawn { .. }
                        | Op::Finish { flag: None }
                        | Op::Join { .. }
                        | Op::Yield
                        | Op::Sleep
                )
            }),
        }
    }));
}

/// Whether thread `t` can take its next step now.
pub(crate) fn enabled(e: &Engine, t: usize) -> bool {
    let rt = e.thread(t);
    if rt.finished || rt.spin.blocked(&e.graph) {
        return false;
    }
    rt.pending
        .as_ref()
        .is_some_and(|p| pending_enabled(p, e, t as Tid))
}

/// Whether its next step is possible now.
pub(crate) fn pending_enabled(p: &Pending, e: &Engine, t: Tid) -> bool {
    if p.blocked {
        return false;
    }
    let Some(step) = p.steps.get(p.applied) else {
        return true;
    };
    if let Op::TimedWake { cv, .. } = p.op {
        // Woken if a notify took it out of the waiter set; timing out may be held back.
        let notified = e
            .bound_loc(cv.meta())
            .is_some_and(|l| e.graph.value(l, e.graph.co_max(l)) >> t & 1 == 0);
        return notified
            || !e.thread(t as usize).timeouts.held(
                &e.graph,
                t,
                e.graph.thread_len(t),
                e.spurious.wakeup_limit,
            );
    }
    match step {
        Part::Read {
            obj,
            kind: ReadKind::Lock,
            ..
        } => match e.bound_loc(obj.meta()) {
            Some(loc) => e.graph.value(loc, e.graph.co_max(loc)) == FREE,
            None => true,
        },
        Part::Wake { cv } => e
            .bound_loc(cv.meta())
            .is_some_and(|loc| notified(&e.graph, t, loc).is_some()),
        Part::Join(child) => e
            .graph
            .last(*child)
            .is_some_and(|l| matches!(e.graph.label(l), Label::Finish)),
        _ => true,
    }
}

/// Whether thread `t` waits in a `wait_timeout` that may not time out: it polls, or is at
/// its limit of wake-ups without a notify (see `rt::timeout`).
pub(crate) fn polling(e: &Engine, t: usize) -> bool {
    e.threads[t].as_ref().is_some_and(|rt| {
        !rt.finished
            && rt.pending.as_ref().is_some_and(|p| {
                matches!(p.op, Op::TimedWake { .. }) && p.applied == 0 && !p.blocked
            })
            && !enabled(e, t)
    })
}

/// What the whole operation touches, for sampled strategies.
pub(crate) fn footprint(p: &Pending, e: &Engine) -> Footprint {
    let loc = |o: &Obj| e.bound_loc(o.meta());
    let one = |o: &Obj, a: Access| loc(o).map_or(Footprint::none(), |l| Footprint::one(l, a));
    match &p.op {
        Op::Load { obj, .. } | Op::IsFinished { flag: obj, .. } => one(obj, Access::Read),
        Op::Finish { flag: Some(obj) } => one(obj, Access::Write),
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
        Op::Wake { cv, .. } | Op::TimedWake { cv, .. } | Op::Notify { cv, .. } => {
            one(cv, Access::Write)
        }
        _ => Footprint::none(),
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
