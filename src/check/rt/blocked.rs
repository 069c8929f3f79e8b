//! Who waits for what, when no thread can go on.

use super::engine::{Engine, RawEnding};
use super::graph::Tid;
use super::op::Op;
use super::views;
use crate::check::report::{Blocked, WaitsFor};

/// The ending of an execution in which no thread can go on, if a thread waits held only by
/// its limit of wake-ups without a notify: with a clock it would time out again, so the
/// execution is cut there ([`RawEnding::WakeupLimit`]) rather than called a deadlock.
pub(crate) fn cut(e: &Engine) -> Option<RawEnding> {
    let limit = e.spurious.wakeup_limit?;
    (0..e.threads.len())
        .any(|t| {
            let tid = t as Tid;
            views::polling(e, t)
                && !e
                    .thread(t)
                    .timeouts
                    .polls(&e.graph, tid, e.graph.thread_len(tid))
        })
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

/// What thread `thread` waits for, if it is blocked.
pub(crate) fn why(e: &Engine, thread: usize) -> Option<Blocked> {
    blocked(e).into_iter().find(|b| b.thread == thread)
}
