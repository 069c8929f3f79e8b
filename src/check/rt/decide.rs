//! The decision at every switch point: replay the graph's next event, finish a half-taken
//! operation, or let the exhaustive search (lowest-numbered thread that can go on) or the
//! strategy pick who goes on — or see that the execution is over.

use super::apply::{self, Chooser};
use super::blocked;
use super::engine::{Engine, Granularity, RawEnding};
use super::strategy::View;
use super::strategy::{Point, Strategy};
use super::views;

/// Who runs next.
pub(crate) enum Decision {
    /// This thread (its operation was taken; it runs until its next switch point).
    Thread(usize),
    /// racelab's root task: every thread has finished.
    Root,
    /// The execution is over.
    End,
}

fn chooser(s: &mut dyn Strategy) -> Chooser<'_> {
    if s.as_trust().is_some() {
        Chooser::Trust(s.as_trust().expect("just seen"))
    } else {
        Chooser::Strategy(s)
    }
}

/// Decides who goes on (see the module docs).
pub(crate) fn decide(e: &mut Engine, s: &mut dyn Strategy, views: &mut Vec<View>) -> Decision {
    let graph_search = s.as_trust().is_some();
    loop {
        if e.ending.is_some() {
            views::views(e, views);
            let point = point(e, views);
            if let Some(ending) = &e.ending {
                s.ended(&point, ending);
            }
            return Decision::End;
        }
        // 1. Replay the graph the search handed over.
        if e.replaying() {
            let ev = e.replay[e.replay_pos];
            let t = ev.thread as usize;
            if e.replayed.get(t).copied().unwrap_or(0) > ev.index {
                e.replay_pos += 1; // a write part, replayed with its read
                continue;
            }
            let parked = e
                .threads
                .get(t)
                .and_then(Option::as_ref)
                .is_some_and(|rt| rt.pending.is_some());
            if !parked {
                e.nondeterministic(&format!(
                    "thread {t} did not reach its recorded operation {}",
                    ev.index + 1
                ));
                continue;
            }
            let complete = apply::step(e, t, &mut chooser(s));
            if e.replayed.get(t).copied().unwrap_or(0) > ev.index {
                e.replay_pos += 1;
            }
            if complete && !e.halted() {
                return Decision::Thread(t);
            }
            continue;
        }
        // 2. An operation the replay left half taken goes first.
        let half = (0..e.threads.len()).find(|&t| {
            e.threads[t]
                .as_ref()
                .and_then(|rt| rt.pending.as_ref())
                .is_some_and(|p| p.half_taken())
        });
        if let Some(t) = half {
            if let Some(d) = take(e, t, s) {
                return d;
            }
            continue;
        }
        // 3. Who can go on?
        views::views(e, views);
        if !views.iter().any(|v| v.enabled) {
            if e.all_finished() {
                return Decision::Root;
            }
            if graph_search {
                if let Some(t) = (0..e.threads.len()).find(|&t| apply::waits_for_lock(e, t)) {
                    let trust = s.as_trust().expect("the graph search");
                    apply::block_lock(e, t, trust);
                    continue;
                }
            }
            if let Some(t) = (0..e.threads.len()).find(|&t| {
                e.threads[t]
                    .as_ref()
                    .is_some_and(|rt| !rt.finished && rt.spin.blocked(&e.graph))
            }) {
                e.thread_mut(t).spin.let_go();
                continue;
            }
            // A thread that chose never to wake from a wait that may wake spuriously, and
            // that a notify took out of the waiter set: redundant (see `rt::spurious`).
            if blocked::notified_for_ever(e) {
                e.ending = Some(RawEnding::Abandoned);
                continue;
            }
            // A thread that polls with a timeout read, in its last turn, a value another
            // thread overwrote: another execution has it read the newer one (see
            // `rt::timeout`). Otherwise it polls forever (reported, see `blocked`).
            if (0..e.threads.len()).any(|t| {
                let tid = t as u32;
                views::polling(e, t) && {
                    let timeouts = e.thread(t).timeouts;
                    timeouts.polls(&e.graph, tid, e.graph.thread_len(tid))
                        && timeouts.stale(&e.graph, tid)
                }
            }) {
                e.ending = Some(RawEnding::Abandoned);
                continue;
            }
            // A thread held only by its limit of wake-ups without a notify would time out
            // again with a clock: the execution may be cut there (see `blocked::cut`).
            if let Some(cut) = blocked::cut(e) {
                e.ending = Some(cut);
                continue;
            }
            e.ending = Some(match (e.unhandled_panic(), e.returned.take()) {
                // A panic nobody joined left the others waiting: the panic is the cause.
                (Some(panic), _) => panic,
                // main returned, and the threads that have not finished wait for ever.
                (None, Some(value)) => RawEnding::LeftBlocked(value, blocked::blocked(e)),
                (None, None) => RawEnding::Deadlock(blocked::blocked(e)),
            });
            continue;
        }
        if e.steps.len() >= e.max_steps {
            e.ending = Some(RawEnding::StepLimit(e.max_steps));
            continue;
        }
        // 4. Pick.
        let chosen = if graph_search {
            views.iter().position(|v| v.enabled)
        } else {
            let current = e
                .running
                .filter(|&t| views.get(t).is_some_and(|v| v.enabled));
            let shortcut = (s.granularity() == Granularity::Marks)
                .then(|| current.filter(|&t| !views[t].at_mark))
                .flatten();
            match shortcut {
                Some(t) => Some(t),
                None => {
                    let point = point(e, views);
                    s.choose(&point)
                }
            }
        };
        let Some(t) = chosen else {
            e.ending = Some(RawEnding::Abandoned);
            continue;
        };
        debug_assert!(
            views[t].enabled,
            "the strategy chose a thread that cannot run"
        );
        if let Some(d) = take(e, t, s) {
            return d;
        }
    }
}

/// Takes thread `t`'s operation, step by step; the thread runs once it is complete.
fn take(e: &mut Engine, t: usize, s: &mut dyn Strategy) -> Option<Decision> {
    loop {
        if apply::step(e, t, &mut chooser(s)) && !e.halted() {
            return Some(Decision::Thread(t));
        }
        // An ending, or a step that left the thread waiting for ever (a wait that never
        // wakes, `rt::spurious`): someone else goes on, if anyone can.
        if e.ending.is_some() || e.thread(t).pending.as_ref().is_some_and(|p| p.blocked) {
            return None;
        }
    }
}

fn point<'a>(e: &'a Engine, views: &'a [View]) -> Point<'a> {
    Point {
        views,
        current: e.running,
        steps: &e.steps,
        marks: e.marks,
        marks_off: e.marks_off,
        why_blocked: Box::new(move |t| blocked::why(e, t)),
    }
}
