//! Who waits for what, when no thread can go on.

use std::collections::BTreeSet;

use super::engine::{Engine, RawEnding};
use super::graph::Tid;
use super::op::Op;
use super::views;
use crate::check::report::{Blocked, WaitsFor};

/// The ending of an execution in which no thread can go on and `main` has not returned,
/// if it is cut at the limit of wake-ups without a notify (`Check::wakeups_without_notify`,
/// see `rt::timeout`): some thread waits in a `wait_timeout` (or `park_timeout`), held
/// only by its limit (with a clock it would time out again and could then do anything:
/// unlock, store, notify, finish), and every other thread that has not finished might go
/// on after it (it waits for a notify, a spin's change, a lock whose holder might go on, or
/// to join a thread that might). Otherwise `None`: a thread stuck whatever the held ones
/// do (a lock cycle, say) is a deadlock, and a panic nobody joined or a value `main`
/// returned is judged as without the limit. A wait that may only wake spuriously is no
/// reason to cut: std never promises such a wake-up.
pub(crate) fn cut(e: &Engine) -> Option<RawEnding> {
    let limit = e.spurious.wakeup_limit?;
    if e.returned.is_some() || e.unhandled_panic().is_some() {
        return None;
    }
    let mut may_go_on: BTreeSet<usize> = (0..e.threads.len())
        .filter(|&t| {
            let tid = t as Tid;
            views::polling(e, t)
                && e.threads[t]
                    .as_ref()
                    .and_then(|rt| rt.pending.as_ref())
                    .is_some_and(|p| {
                        matches!(
                            p.op,
                            Op::TimedWake {
                                spurious: false,
                                ..
                            }
                        )
                    })
                && !e
                    .thread(t)
                    .timeouts
                    .polls(&e.graph, tid, e.graph.thread_len(tid))
        })
        .collect();
    if may_go_on.is_empty() {
        return None;
    }
    let waiting = blocked(e);
    loop {
        let before = may_go_on.len();
        for b in &waiting {
            let after_them = match &b.waits_for {
                WaitsFor::Lock {
                    holder: Some(h), ..
                } => may_go_on.contains(h),
                WaitsFor::Join { thread } => may_go_on.contains(thread),
                WaitsFor::Notify { .. }
                | WaitsFor::Timeout { .. }
                | WaitsFor::Spurious { .. }
                | WaitsFor::Change { .. } => true,
                _ => false,
            };
            if after_them {
                may_go_on.insert(b.thread);
            }
        }
        if may_go_on.len() == before {
            break;
        }
    }
    waiting
        .iter()
        .all(|b| may_go_on.contains(&b.thread))
        .then_some(RawEnding::WakeupLimit(limit))
}

/// Every thread that has not finished, with what it waits for.
pub(crate) fn blocked(e: &Engine) -> Vec<Blocked> {
    e.threads
        .iter()
        .enumerate()
        .filter_map(|(t, rt)| rt.as_ref().filter(|rt| !rt.finished).map(|rt| (t, rt)))
        .map(|(thread, rt)| {
            let name = |o: &super::op::Obj| e.object_name(o.meta());
            let waits_for = match rt.pending.as_ref().map(|p| &p.op) {
                _ if rt.spin.blocked(&e.graph) => WaitsFor::Change {
                    objects: rt
                        .spin
                        .locs()
                        .unwrap_or_default()
                        .iter()
                        .map(|&l| e.loc_name(l).to_string())
                        .collect(),
                },
                Some(Op::Lock { mutex }) => WaitsFor::Lock {
                    object: name(mutex),
                    holder: e.bound_loc(mutex.meta()).and_then(|l| e.holder(l)),
                },
                Some(Op::Wake { cv, mutex }) => WaitsFor::Notify {
                    condvar: name(cv),
                    mutex: name(mutex),
                },
                Some(Op::TimedWake {
                    cv,
                    mutex,
                    spurious: false,
                }) => WaitsFor::Timeout {
                    condvar: name(cv),
                    mutex: name(mutex),
                },
                // A wait that may wake spuriously and never does (`rt::spurious`).
                Some(Op::TimedWake {
                    cv,
                    mutex,
                    spurious: true,
                }) if rt.pending.as_ref().is_some_and(|p| p.blocked) => WaitsFor::Notify {
                    condvar: name(cv),
                    mutex: name(mutex),
                },
                Some(Op::TimedWake {
                    cv,
                    mutex,
                    spurious: true,
                }) => WaitsFor::Spurious {
                    condvar: name(cv),
                    mutex: name(mutex),
                },
                Some(Op::Join { thread }) => WaitsFor::Join { thread: *thread },
                _ => WaitsFor::Unknown,
            };
            Blocked {
                thread,
                waits_for,
                note: rt.note.clone(),
            }
        })
        .collect()
}

/// Whether some thread waits for ever in a wait that may wake spuriously (the search's
/// choice, `rt::spurious`) although a notify took it out of the waiter set: std's wait
/// then returns, so the execution is redundant (the search's other choice, a wait that may
/// wake, has it woken by that notify) and is dropped.
pub(crate) fn notified_for_ever(e: &Engine) -> bool {
    e.threads.iter().enumerate().any(|(t, rt)| {
        let Some(p) = rt.as_ref().and_then(|rt| rt.pending.as_ref()) else {
            return false;
        };
        let Op::TimedWake {
            cv, spurious: true, ..
        } = &p.op
        else {
            return false;
        };
        p.blocked
            && e.bound_loc(cv.meta())
                .is_some_and(|l| e.graph.value(l, e.graph.co_max(l)) >> t & 1 == 0)
    })
}

/// What thread `thread` waits for, if it is blocked.
pub(crate) fn why(e: &Engine, thread: usize) -> Option<Blocked> {
    blocked(e).into_iter().find(|b| b.thread == thread)
}
