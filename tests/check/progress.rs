//! A check's progress (`Check::progress`): executions as they run, an estimate of the
//! exhaustive search's size from Knuth's random walks before it, the last report marked
//! done, and a note in the report of how far off the estimate was.

use std::sync::{Arc as StdArc, Mutex as StdMutex};

use racelab::check::sync::Arc;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::{Progress, Search, check, thread};

/// Three threads that each load and store a shared counter (the unlocked increment): a
/// search of a few dozen executions.
fn three_increments() -> usize {
    let value = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let read = value.load(SeqCst);
                value.store(read + 1, SeqCst);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    value.load(SeqCst)
}

#[test]
fn a_watched_check_reports_its_progress_and_how_far_off_its_estimate_was() {
    let seen: StdArc<StdMutex<Vec<Progress>>> = StdArc::default();
    let log = StdArc::clone(&seen);
    let report = check(three_increments)
        .search(Search::Exhaustive)
        .jobs(1)
        .progress(move |p| log.lock().unwrap().push(p.clone()))
        .run();
    assert!(report.coverage.is_exhaustive(), "{report}");
    let seen = seen.lock().unwrap();
    let last = seen.last().expect("at least the final report");
    assert!(last.done && seen.iter().filter(|p| p.done).count() == 1);
    let phase = &report.coverage.phases[0];
    // The search's own executions, and the walks' before them.
    assert_eq!(last.searched, phase.executions + phase.abandoned);
    assert!(
        last.executions > last.searched,
        "the walks ran executions too"
    );
    let estimate = last.estimate.expect("the walks estimated the size") as f64;
    let took = last.searched as f64;
    // Knuth's estimator is unbiased; on this small, even tree 30 walks land within a
    // factor of two (the walks' seeds are fixed, so this is the same every run).
    assert!(
        estimate > took / 2.0 && estimate < took * 2.0,
        "{estimate} vs {took}"
    );
    let note = report
        .notes
        .iter()
        .find(|n| n.contains("random walks"))
        .expect("a note on the estimate");
    assert!(
        note.contains(&format!("it took {}", last.searched)),
        "{note}"
    );
    assert!(last.to_string().ends_with(", done"), "{last}");
}

#[test]
fn an_unwatched_check_runs_no_walks() {
    let report = check(three_increments).search(Search::Exhaustive).run();
    assert!(!report.notes.iter().any(|n| n.contains("random walks")));
}
