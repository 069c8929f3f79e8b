//! Real threads, many trials: which outcomes does the machine actually produce?
//!
//! Each trial runs the scenario on real threads, the threads released together by a barrier
//! so that they overlap as much as the OS lets them. Without [`Jitter`] there is no pause
//! between read and write (the tutorial's sleep removed): on an idle machine the two
//! threads' increments often overlap, on a busy one they rarely do, because the window is a
//! few nanoseconds. With [`Jitter`] each read is followed by a random pause (drawn from a
//! seeded generator: the same seed gives the same delays), which widens the window as the
//! tutorial's `sleep(0.1)` does, so lost updates show on any machine.
//!
//! The histogram that comes out is empirical: rare outcomes may not show up at all, which is
//! exactly why [`crate::teach::explore()`] exists.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use super::outcome::join_outcome;
use super::{EndState, Kind, Scenario};
use crate::counter::{Counter, Increment};
use crate::pause::Pause;
use crate::pool::WorkerPool;

/// A random pause between each read and write of `database_value`: uniform in
/// `0..=max`, drawn per increment from a generator seeded with `seed`, the trial and the
/// thread (so a seed fixes every delay of every run; the OS still decides the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jitter {
    /// The longest pause.
    pub max: Duration,
    /// The seed of the delays.
    pub seed: u64,
}

/// `--jitter` on a scenario with no read-write window.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} has no pause between a read and a write to widen; --jitter applies to \
     counter-unlocked and counter-locked"
)]
pub struct NoWindow(pub &'static str);

impl Jitter {
    /// Whether `kind` has a read-write window the jitter widens.
    pub fn applies_to(kind: Kind) -> bool {
        matches!(kind, Kind::CounterUnlocked | Kind::CounterLocked)
    }

    /// The pause for thread `thread` of trial `trial`: each call sleeps a fresh delay.
    fn pause(self, trial: usize, thread: usize) -> impl FnOnce() {
        move || {
            let stream = ((trial as u64) << 20 | thread as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let rng = Pcg64::seed_from_u64(self.seed ^ stream);
            DELAYS.with(|d| *d.borrow_mut() = Some((rng, self.max)));
        }
    }
}

thread_local! {
    /// This thread's delay generator and longest delay, while it runs a jittered trial.
    static DELAYS: RefCell<Option<(Pcg64, Duration)>> = const { RefCell::new(None) };
}

/// The hook the counter runs between read and write: sleeps this thread's next delay.
fn jitter_pause() {
    let delay = DELAYS.with(|d| {
        d.borrow_mut().as_mut().map(|(rng, max)| {
            let max_ns = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
            Duration::from_nanos(rng.gen_range(0..=max_ns))
        })
    });
    if let Some(delay) = delay.filter(|d| !d.is_zero()) {
        thread::sleep(delay);
    }
}

/// The scenario has no real-thread version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "stress runs counter-unlocked, counter-locked, counter-atomic and queue on real threads; \
     {0} is learner code written for the explorer: try `racelab explore {0}`"
)]
pub struct Unsupported(pub &'static str);

/// Why a stress run could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StressError {
    /// The scenario has no real-thread version.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    /// `--jitter` where there is no window to widen.
    #[error(transparent)]
    NoWindow(#[from] NoWindow),
}

/// Runs `trials` trials of `scenario` (with `jitter`, if any), calling `progress` with the number done so far
/// every so often; returns each outcome with the number of trials that ended with it.
pub fn stress(
    scenario: &Scenario,
    trials: usize,
    jitter: Option<Jitter>,
    mut progress: impl FnMut(usize),
) -> Result<Vec<(EndState, usize)>, StressError> {
    let trial = trial_of(scenario, jitter)?;
    let mut counts: BTreeMap<EndState, usize> = BTreeMap::new();
    for done in 1..=trials {
        *counts.entry(trial(done)).or_default() += 1;
        if done % 100 == 0 || done == trials {
            progress(done);
        }
    }
    Ok(counts.into_iter().collect())
}

/// Runs trials of `scenario` (with `jitter`, if any) until one ends with a forbidden
/// outcome, at most `max_trials`; returns that trial's number (from 1), or `None`.
pub fn first_forbidden(
    scenario: &Scenario,
    max_trials: usize,
    jitter: Option<Jitter>,
) -> Result<Option<usize>, StressError> {
    let trial = trial_of(scenario, jitter)?;
    Ok((1..=max_trials).find(|&n| scenario.verdict(&trial(n)) == crate::check::Verdict::Forbidden))
}

/// One trial of `scenario` on real threads, by trial number.
fn trial_of(
    scenario: &Scenario,
    jitter: Option<Jitter>,
) -> Result<Box<dyn Fn(usize) -> EndState>, StressError> {
    let p = scenario.params();
    let kind = scenario.kind();
    if jitter.is_some() && !Jitter::applies_to(kind) {
        return Err(NoWindow(kind.name()).into());
    }
    let counter_of = move |strategy: Increment| {
        move |trial: usize| counter(p.threads, p.increments, strategy, jitter, trial)
    };
    Ok(match kind {
        Kind::CounterUnlocked => Box::new(counter_of(Increment::Unlocked)),
        Kind::CounterLocked => Box::new(counter_of(Increment::Locked)),
        Kind::CounterAtomic => Box::new(counter_of(Increment::Atomic)),
        Kind::Queue => Box::new(move |_| pool(p.workers, p.items)),
        other => return Err(Unsupported(other.name()).into()),
    })
}

fn counter(
    threads: usize,
    increments: usize,
    strategy: Increment,
    jitter: Option<Jitter>,
    trial: usize,
) -> EndState {
    let pause = match jitter {
        Some(_) => Pause::hook(jitter_pause),
        None => Pause::None,
    };
    let counter = Arc::new(Counter::with_pause(pause));
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|thread| {
            let (counter, start) = (Arc::clone(&counter), Arc::clone(&start));
            let seed_delays = jitter.map(|j| j.pause(trial, thread + 1));
            thread::spawn(move || {
                if let Some(seed_delays) = seed_delays {
                    seed_delays();
                }
                start.wait();
                (0..increments).for_each(|_| counter.increment(strategy));
            })
        })
        .collect();
    for h in handles {
        h.join().expect("an increment does not panic");
    }
    EndState::Value(counter.value())
}

fn pool(workers: usize, items: usize) -> EndState {
    let handled = Arc::new(AtomicUsize::new(0));
    let pool = {
        let handled = Arc::clone(&handled);
        WorkerPool::new(workers, 0, move |_w, _item: usize| {
            handled.fetch_add(1, SeqCst);
        })
    };
    let producer = {
        let queue = pool.queue().clone(); // the facade's Arc (loom's under --cfg loom)
        thread::spawn(move || (0..items).for_each(|i| queue.put(i).expect("the queue is open")))
    };
    producer.join().expect("the producer does not panic");
    let joined = pool.join();
    let at_join = handled.load(SeqCst);
    let stopped = pool.shutdown();
    debug_assert!(joined.is_ok() && stopped.is_ok());
    join_outcome(at_join, items)
}
