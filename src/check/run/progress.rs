//! Progress of a running check: how many executions, how fast, and how many the exhaustive
//! search takes in all (estimated by random walks before it runs: `search::estimate`), for
//! a bar or a line.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::check::search::estimate::Estimate;

/// A check's progress, as [`Check::progress`](crate::check::Check::progress) hands it out
/// (about five times a second, and once at the end).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// Executions run so far, every phase together (each an execution of the body, whether
    /// it ended with an outcome or was dropped as redundant).
    pub executions: usize,
    /// Since the check started.
    pub elapsed: Duration,
    /// Once the exhaustive search has started: how many executions it takes in all,
    /// estimated before it ran (Knuth's estimator over random walks down its tree:
    /// unbiased, but far off on lopsided trees; the report says by how much).
    pub estimate: Option<usize>,
    /// Executions of the exhaustive search so far (the ones `estimate` estimates).
    pub searched: usize,
    /// The check is over: this is the last report.
    pub done: bool,
}

impl Progress {
    /// Executions per second so far.
    pub fn rate(&self) -> f64 {
        self.executions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// What a running check shares with whoever watches it.
#[derive(Debug)]
pub(crate) struct Live {
    started: Instant,
    executions: AtomicUsize,
    /// Executions before the exhaustive search began (the current one, if it restarted).
    search_from: AtomicUsize,
    /// Knuth's estimate of the search's size, from random walks before it ran.
    pub(crate) estimate: Arc<Estimate>,
    /// The executions the walks took.
    walked: AtomicUsize,
    done: AtomicBool,
}

impl Live {
    pub(crate) fn new() -> Self {
        Live {
            started: Instant::now(),
            executions: AtomicUsize::new(0),
            search_from: AtomicUsize::new(0),
            estimate: Arc::new(Estimate::default()),
            walked: AtomicUsize::new(0),
            done: AtomicBool::new(false),
        }
    }

    /// An execution ended (with an outcome or not).
    pub(crate) fn executed(&self) {
        self.executions.fetch_add(1, Ordering::Relaxed);
    }

    /// The exhaustive search (re)starts: its estimate starts afresh.
    pub(crate) fn search_starts(&self) {
        self.search_from
            .store(self.executions.load(Ordering::Relaxed), Ordering::Relaxed);
        self.estimate.reset();
        self.walked.store(0, Ordering::Relaxed);
    }

    /// The walks that estimate the search's size took `executions`.
    pub(crate) fn walked(&self, executions: usize) {
        self.walked.fetch_add(executions, Ordering::Relaxed);
        self.executions.fetch_add(executions, Ordering::Relaxed);
        self.search_from.fetch_add(executions, Ordering::Relaxed);
    }

    pub(crate) fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
    }

    pub(crate) fn is_done(&self) -> bool {
        self.done.load(Ordering::Relaxed)
    }

    pub(crate) fn now(&self) -> Progress {
        let executions = self.executions.load(Ordering::Relaxed);
        Progress {
            executions,
            elapsed: self.started.elapsed(),
            estimate: self.estimate.runs().map(|r| r.round() as usize),
            searched: executions.saturating_sub(self.search_from.load(Ordering::Relaxed)),
            done: self.is_done(),
        }
    }

    /// How far off the estimate was, for a search that ran to its end with `total` runs.
    pub(crate) fn accuracy_note(&self, total: usize) -> Option<String> {
        let estimate = self.estimate.runs()?;
        let off = (estimate / total.max(1) as f64 - 1.0) * 100.0;
        Some(format!(
            "note: before the search, {} random walks down its tree ({} executions; \
             Knuth's estimator) estimated {} executions; it took {total}: off by {off:+.0}%",
            self.estimate.walks(),
            self.walked.load(Ordering::Relaxed),
            estimate.round() as usize,
        ))
    }
}

/// How a check reports its progress.
pub(crate) type Watcher = Arc<dyn Fn(&Progress) + Send + Sync>;

/// The watcher `RACELAB_PROGRESS=1` sets for a check that has none: a line on stderr
/// about once a second.
pub(crate) fn from_env() -> Option<Watcher> {
    let on = std::env::var("RACELAB_PROGRESS").is_ok_and(|v| !v.is_empty() && v != "0");
    if !on {
        return None;
    }
    let last = Mutex::new(None::<Instant>);
    Some(Arc::new(move |p: &Progress| {
        let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
        if !p.done && last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return;
        }
        *last = Some(Instant::now());
        eprintln!("racelab: {p}");
    }))
}

/// One line: `12345 executions in 3.1 s (3982/s); the exhaustive search: 12000 of about
/// 40000`.
impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} executions in {:.1} s ({:.0}/s)",
            self.executions,
            self.elapsed.as_secs_f64(),
            self.rate()
        )?;
        if let Some(estimate) = self.estimate {
            let estimate = estimate.max(self.searched);
            write!(
                f,
                "; the exhaustive search: {} of about {estimate}",
                self.searched
            )?;
        }
        if self.done {
            f.write_str(", done")?;
        }
        Ok(())
    }
}

/// Runs `check` while a thread hands `watcher` the progress about five times a second, and
/// once more when it is over.
pub(crate) fn watched<R>(live: &Arc<Live>, watcher: &Watcher, check: impl FnOnce() -> R) -> R {
    std::thread::scope(|scope| {
        let ticker = {
            let (live, watcher) = (Arc::clone(live), Arc::clone(watcher));
            std::thread::Builder::new()
                .name("racelab-progress".into())
                .spawn_scoped(scope, move || {
                    while !live.is_done() {
                        std::thread::park_timeout(Duration::from_millis(200));
                        if !live.is_done() {
                            watcher(&live.now());
                        }
                    }
                })
                .expect("racelab: could not start the progress thread")
        };
        /// Ends the ticker however the check ends (a misuse panics out of it).
        struct Finish<'a>(&'a Live, std::thread::Thread);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                self.0.finish();
                self.1.unpark();
            }
        }
        let finish = Finish(live, ticker.thread().clone());
        let result = check();
        drop(finish);
        let _ = ticker.join();
        watcher(&live.now());
        result
    })
}
