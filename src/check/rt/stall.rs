//! The watchdog of a check: a modelled thread that blocks outside racelab's primitives.
//!
//! Every modelled thread runs on the check's one OS thread, as a coroutine that gives control
//! back at racelab's operations. A thread that blocks in something racelab does not model —
//! a `std::sync` lock another modelled thread holds, a std channel or barrier, I/O — blocks
//! the OS thread, and with it the whole check: it would hang without a word. So every run has
//! a watchdog (an OS thread of its own) that counts the runtime's heartbeats; when none has
//! come for the stall limit (`Check::stall_limit`, default [`DEFAULT_LIMIT`]), it says which
//! thread left racelab last, after which of its steps and at which line, and ends the process
//! (exit code 101, as a failed test): a hang becomes a clear failure within seconds.
//!
//! A body that computes for longer than the limit between two of racelab's operations (or
//! sleeps with `std::thread::sleep`) trips it too: the message says so, and the limit can be
//! raised.

use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long a check waits for a modelled thread to come back to racelab, by default.
pub(crate) const DEFAULT_LIMIT: Duration = Duration::from_secs(10);

/// The thread that left racelab last: who, after how many steps, where.
#[derive(Debug, Default)]
struct Last {
    thread: Option<Arc<str>>,
    steps: usize,
    at: Option<&'static Location<'static>>,
}

/// What the runtime shares with the watchdog.
#[derive(Debug, Default)]
struct Shared {
    beats: AtomicU64,
    over: AtomicBool,
    /// The run waits for work from other workers (a shared search): nothing to watch.
    waiting: AtomicBool,
    last: Mutex<Last>,
}

/// A run's watchdog; dropping it stops the watch.
#[derive(Debug)]
pub(crate) struct Stall {
    shared: Arc<Shared>,
    watcher: Thread,
}

impl Stall {
    /// Starts watching: the process ends if no [`beat`](Self::beat) comes for `limit`.
    pub(crate) fn start(limit: Duration) -> Stall {
        let shared = Arc::new(Shared::default());
        let watched = Arc::clone(&shared);
        let tick = (limit / 10).clamp(Duration::from_millis(10), Duration::from_millis(500));
        let handle = std::thread::Builder::new()
            .name("racelab-watchdog".into())
            .spawn(move || watch(&watched, limit, tick))
            .expect("racelab: cannot start the watchdog thread");
        Stall {
            shared,
            watcher: handle.thread().clone(),
        }
    }

    /// The runtime made progress.
    pub(crate) fn beat(&self) {
        self.shared.beats.fetch_add(1, Ordering::Relaxed);
    }

    /// The run waits (`true`) for another worker of a shared search to hand it work, or
    /// has work again (`false`): no modelled thread runs meanwhile.
    pub(crate) fn waiting(&self, waiting: bool) {
        self.shared.waiting.store(waiting, Ordering::Relaxed);
        self.beat();
    }

    /// `thread` runs now, after `steps` steps, the last one at `at`.
    pub(crate) fn running(
        &self,
        thread: &Arc<str>,
        steps: usize,
        at: Option<&'static Location<'static>>,
    ) {
        self.beat();
        let mut last = self
            .shared
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        last.thread = Some(Arc::clone(thread));
        last.steps = steps;
        last.at = at;
    }
}

impl Drop for Stall {
    fn drop(&mut self) {
        self.shared.over.store(true, Ordering::SeqCst);
        self.watcher.unpark();
    }
}

fn watch(shared: &Shared, limit: Duration, tick: Duration) {
    let mut seen = shared.beats.load(Ordering::Relaxed);
    let mut since = Instant::now();
    loop {
        std::thread::park_timeout(tick);
        if shared.over.load(Ordering::SeqCst) {
            return;
        }
        let now = shared.beats.load(Ordering::Relaxed);
        if now != seen || shared.waiting.load(Ordering::Relaxed) {
            seen = now;
            since = Instant::now();
        } else if since.elapsed() >= limit {
            eprintln!("{}", message(shared, limit));
            std::process::exit(101);
        }
    }
}

fn message(shared: &Shared, limit: Duration) -> String {
    let last = shared.last.lock().unwrap_or_else(PoisonError::into_inner);
    let who = match (&last.thread, last.steps) {
        (Some(thread), 0) => format!("{thread}, before its first step,"),
        (Some(thread), n) => {
            let at = last
                .at
                .map(|at| format!(" (at {}:{})", at.file(), at.line()))
                .unwrap_or_default();
            format!("{thread}, after its step {n}{at},")
        }
        (None, _) => "the body, before any thread ran,".to_string(),
    };
    format!(
        "racelab: {who} has not come back to racelab for {} s: it is blocked outside \
         racelab's primitives (a std::sync lock, channel or barrier, or I/O?), or it computes \
         or sleeps that long without one of racelab's operations. Use racelab::check::sync and \
         racelab::check::thread inside a check (Check::stall_limit raises the limit). The check \
         cannot go on: ending the process.",
        limit.as_secs_f64()
    )
}
