//! Deadlocks as who-waits-for-whom, and the explanation that fits the cause.

use super::{Blocked, WaitsFor};
use crate::check::rt::trace::{Detail, Event, What};

/// One line per blocked thread: what it waits for.
///
/// With a note from the code it is blocked in: "Thread1 is blocked in get on an empty queue
/// (waits on not_empty, having released queue, for a notify)".
pub fn describe(blocked: &Blocked, name: &dyn Fn(usize) -> String) -> String {
    let who = name(blocked.thread);
    let what = waits(blocked, name);
    match &blocked.note {
        Some(note) => format!("{who} is blocked in {note} ({what})"),
        None => format!("{who} {what}"),
    }
}

/// What a blocked thread waits for, without its name or note: "waits to lock m, held by
/// Thread1".
pub fn waits(blocked: &Blocked, name: &dyn Fn(usize) -> String) -> String {
    match &blocked.waits_for {
        WaitsFor::Lock {
            object,
            holder: Some(holder),
        } if *holder == blocked.thread => {
            format!("waits to lock {object}, which it holds itself")
        }
        WaitsFor::Lock {
            object,
            holder: Some(holder),
        } => format!("waits to lock {object}, held by {}", name(*holder)),
        WaitsFor::Lock {
            object,
            holder: None,
        } => format!("waits to lock {object}"),
        WaitsFor::Notify { condvar, mutex } => {
            format!("waits on {condvar}, having released {mutex}, for a notify")
        }
        WaitsFor::Timeout { condvar, mutex } => format!(
            "times out on {condvar} and waits again, having released {mutex}, with nothing changed"
        ),
        WaitsFor::Spurious { condvar, mutex } => format!(
            "wakes spuriously on {condvar} and waits again, having released {mutex}, with \
             nothing changed"
        ),
        WaitsFor::Join { thread } => format!("waits for {} to finish (join)", name(*thread)),
        WaitsFor::Change { objects } => format!(
            "spins (yields) waiting for {} to change",
            objects.join(" or ")
        ),
        WaitsFor::Unknown => "is blocked in a shuttle primitive".to_string(),
    }
}

/// What went wrong, in one sentence that fits the cause. `trace` is the execution's (it
/// tells a wake-up lost on the wrong waiter from one that never came).
pub fn explain(blocked: &[Blocked], trace: &[Event], name: &dyn Fn(usize) -> String) -> String {
    let is_blocked = |t: usize| blocked.iter().any(|b| b.thread == t);
    let lock_waits = || {
        blocked.iter().filter_map(|b| match &b.waits_for {
            WaitsFor::Lock {
                object,
                holder: Some(h),
            } => Some((b.thread, object, *h)),
            _ => None,
        })
    };
    if let Some((_, object, holder)) = lock_waits().find(|(t, _, h)| t == h) {
        return format!(
            "deadlock: {} locks {object} again while holding it (a mutex is not re-entrant)",
            name(holder)
        );
    }
    if let Some((_, object, holder)) = lock_waits().find(|(_, _, h)| !is_blocked(*h)) {
        return format!(
            "deadlock: {object} was never released: {} finished while holding it",
            name(holder)
        );
    }
    if let Some(cycle) = cycle(blocked) {
        let all_locks = cycle
            .iter()
            .all(|b| matches!(b.waits_for, WaitsFor::Lock { .. }));
        let steps: Vec<String> = cycle
            .iter()
            .map(|b| format!("{} {}", name(b.thread), waits(b, name)))
            .collect();
        return format!(
            "deadlock: a {} of {} threads: {}",
            if all_locks {
                "lock-order cycle"
            } else {
                "cycle of waits"
            },
            cycle.len(),
            steps.join("; ")
        );
    }
    if let Some(b) = blocked
        .iter()
        .find(|b| matches!(b.waits_for, WaitsFor::Change { .. }))
    {
        return format!(
            "deadlock: {} spins waiting for a change that no thread that can run will make",
            name(b.thread)
        );
    }
    if let Some(b) = blocked
        .iter()
        .find(|b| matches!(b.waits_for, WaitsFor::Timeout { .. }))
    {
        return format!(
            "deadlock: {} waits with a timeout in a loop, timing out again and again: no thread \
             that can run will notify it or change what it waits for",
            name(b.thread)
        );
    }
    if let Some(b) = blocked
        .iter()
        .find(|b| matches!(b.waits_for, WaitsFor::Spurious { .. }))
    {
        return format!(
            "deadlock: {} waits in a loop, waking spuriously again and again: no thread that \
             can run will notify it or change what it waits for",
            name(b.thread)
        );
    }
    if let Some(note) = blocked.iter().find_map(|b| b.note.as_ref()) {
        return format!("deadlock: nothing is left to wake a thread that waits ({note})");
    }
    if let Some(text) = wrong_waiter(blocked, trace, name) {
        return text;
    }
    if blocked
        .iter()
        .any(|b| matches!(b.waits_for, WaitsFor::Notify { .. }))
    {
        let waiting: Vec<String> = blocked
            .iter()
            .filter(|b| matches!(b.waits_for, WaitsFor::Notify { .. }))
            .map(|b| name(b.thread))
            .collect();
        return format!(
            "deadlock: {} {} for a notify that no running thread will send — a lost wake-up \
             (the notify came before the wait, never came, or a notify_one woke another \
             waiter, one waiting for another condition: notify_all, or one condition \
             variable per condition, fixes that)",
            waiting.join(" and "),
            if waiting.len() == 1 { "waits" } else { "wait" }
        );
    }
    "deadlock: every thread that has not finished is blocked".to_string()
}

/// A wake-up lost on the wrong waiter: while a thread that is blocked now waited on a
/// condition variable, a `notify_one` on it woke another of its waiters, whose next
/// operation, once it had its mutex back, was to wait on it again (it rechecked its
/// condition, found it false, and did nothing else: it waited for another condition).
fn wrong_waiter(
    blocked: &[Blocked],
    trace: &[Event],
    name: &dyn Fn(usize) -> String,
) -> Option<String> {
    let op_on = |e: &Event, cv: &str| match &e.what {
        What::Op {
            op,
            object: Some(object),
            ..
        } if **object == *cv => Some(*op),
        _ => None,
    };
    for b in blocked {
        let WaitsFor::Notify { condvar, .. } = &b.waits_for else {
            continue;
        };
        let Some(since) = trace
            .iter()
            .rposition(|e| e.thread == b.thread && op_on(e, condvar) == Some("wait"))
        else {
            continue;
        };
        for (i, e) in trace.iter().enumerate().skip(since + 1) {
            let What::Op {
                op: "notify_one",
                object: Some(object),
                detail: Detail::WokeOne { woke, .. },
            } = &e.what
            else {
                continue;
            };
            if **object != **condvar || *name(b.thread) == **woke {
                continue;
            }
            // The woken thread's next operations: its wake-up, taking the mutex back, then
            // a wait again.
            let mut next = trace[i + 1..].iter().filter(|n| {
                *name(n.thread) == **woke
                    && n.is_decision()
                    && !matches!(n.what, What::Op { op: "lock", .. })
            });
            let woke_then_waited = next.next().and_then(|n| op_on(n, condvar)) == Some("wake")
                && next.next().and_then(|n| op_on(n, condvar)) == Some("wait");
            if woke_then_waited {
                return Some(format!(
                    "deadlock: {} waits on {condvar} for a notify that no running thread will \
                     send — a wake-up lost on the wrong waiter: {}'s notify_one on {condvar} \
                     woke {woke}, which found its own condition still false and waited again, \
                     while {} went on waiting (notify_all, or one condition variable per \
                     condition, fixes that)",
                    name(b.thread),
                    name(e.thread),
                    name(b.thread),
                ));
            }
        }
    }
    None
}

/// The threads of a cycle of waits (each waits for a lock the next holds, or for the next
/// to finish), in order, starting from the lowest-numbered thread on it; `None` if no
/// thread waits in a cycle.
fn cycle(blocked: &[Blocked]) -> Option<Vec<&Blocked>> {
    let next = |b: &Blocked| match &b.waits_for {
        WaitsFor::Lock {
            holder: Some(h), ..
        } if *h != b.thread => Some(*h),
        WaitsFor::Join { thread } => Some(*thread),
        _ => None,
    };
    let of = |t: usize| blocked.iter().find(|b| b.thread == t);
    let mut best: Option<Vec<&Blocked>> = None;
    for start in blocked {
        let mut path: Vec<&Blocked> = vec![start];
        while let Some(b) = path.last().and_then(|b| next(b)).and_then(of) {
            if let Some(i) = path.iter().position(|p| p.thread == b.thread) {
                let mut found = path.split_off(i);
                let low = (0..found.len())
                    .min_by_key(|&k| found[k].thread)
                    .unwrap_or(0);
                found.rotate_left(low);
                if best.as_ref().is_none_or(|c| found[0].thread < c[0].thread) {
                    best = Some(found);
                }
                break;
            }
            path.push(b);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(t: usize) -> String {
        format!("T{t}")
    }

    #[test]
    fn the_explanation_fits_the_cause() {
        let never_released = [Blocked {
            thread: 2,
            waits_for: WaitsFor::Lock {
                object: "m".into(),
                holder: Some(1),
            },
            note: None,
        }];
        assert!(explain(&never_released, &[], &name).contains("never released: T1 finished"));
        let lost = [Blocked {
            thread: 1,
            waits_for: WaitsFor::Notify {
                condvar: "cv".into(),
                mutex: "m".into(),
            },
            note: None,
        }];
        assert!(explain(&lost, &[], &name).contains("T1 waits for a notify"));
        assert_eq!(
            describe(&lost[0], &name),
            "T1 waits on cv, having released m, for a notify"
        );
        let cycle = [
            Blocked {
                thread: 1,
                waits_for: WaitsFor::Lock {
                    object: "a".into(),
                    holder: Some(2),
                },
                note: None,
            },
            Blocked {
                thread: 2,
                waits_for: WaitsFor::Lock {
                    object: "b".into(),
                    holder: Some(1),
                },
                note: None,
            },
        ];
        assert_eq!(
            explain(&cycle, &[], &name),
            "deadlock: a lock-order cycle of 2 threads: T1 waits to lock a, held by T2; \
             T2 waits to lock b, held by T1"
        );
        // A third thread waiting outside the cycle is not part of it; main joining a
        // thread that waits for a lock main holds is a cycle of waits.
        let mixed = [
            Blocked {
                thread: 3,
                waits_for: WaitsFor::Lock {
                    object: "a".into(),
                    holder: Some(1),
                },
                note: None,
            },
            Blocked {
                thread: 0,
                waits_for: WaitsFor::Join { thread: 1 },
                note: None,
            },
            Blocked {
                thread: 1,
                waits_for: WaitsFor::Lock {
                    object: "m".into(),
                    holder: Some(0),
                },
                note: None,
            },
        ];
        assert_eq!(
            explain(&mixed, &[], &name),
            "deadlock: a cycle of waits of 2 threads: T0 waits for T1 to finish (join); \
             T1 waits to lock m, held by T0"
        );
    }
}
