//! What racelab cannot see must fail clearly: a modelled thread that blocks in a primitive
//! racelab does not model would hang the check; the watchdog turns that into a failure
//! naming the thread and its last line (`Check::stall_limit`). A body that does not repeat
//! itself when an execution is replayed (it reads state racelab does not reset) makes the
//! search's coverage bounded, never exhaustive.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use racelab::check::sync::Arc;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::{CoverageKind, Search, StopReason, check, thread};

/// Set in the child process that runs the stalling check.
const CHILD: &str = "RACELAB_TEST_STALL_CHILD";

/// `main` holds a `std::sync::Mutex` (not racelab's) while Thread1 tries to take it: on the
/// check's one OS thread, Thread1 blocks for ever and `main` never runs again.
fn stalling_check() {
    let report = check(|| {
        let flag = Arc::new(AtomicUsize::new(0));
        let outside = std::sync::Arc::new(std::sync::Mutex::new(0));
        let held = outside.lock().unwrap();
        let t = {
            let (flag, outside) = (Arc::clone(&flag), std::sync::Arc::clone(&outside));
            thread::spawn(move || {
                flag.store(1, SeqCst);
                *outside.lock().unwrap() += 1;
            })
        };
        flag.load(SeqCst);
        drop(held);
        t.join().unwrap();
    })
    .stall_limit(Duration::from_millis(300))
    .run();
    println!("the check ended: {report}");
}

#[test]
fn a_thread_blocked_outside_racelab_ends_the_check_with_its_name_and_line() {
    if std::env::var_os(CHILD).is_some() {
        stalling_check();
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "outside::a_thread_blocked_outside_racelab_ends_the_check_with_its_name_and_line",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A generous bound for a slow machine: the watchdog fires after 0.3 s without progress.
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the stalled check did not end within 120 s: the watchdog did not fire");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(101), "stderr: {stderr}");
    let line = format!("tests/check/outside.rs:{}", line_of("*outside.lock()"));
    for needle in [
        "Thread1, after its step 1",
        "has not come back to racelab for 0.3 s",
        "std::sync lock",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
    // The step it was at is the store before the std lock: the line of the store.
    let store = format!(
        "tests/check/outside.rs:{}",
        line_of("flag.store(1, SeqCst)")
    );
    assert!(stderr.contains(&store), "{store} not in: {stderr} ({line})");
}

/// The line of this file where `needle` first appears.
fn line_of(needle: &str) -> usize {
    include_str!("outside.rs")
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn a_body_that_does_not_repeat_itself_is_not_called_exhaustive() {
    // A std counter racelab cannot see (and does not reset) changes the body from one
    // execution to the next: replays find another operation than the one recorded.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let report = check(|| {
        let x = Arc::new(AtomicUsize::new(0));
        let other = {
            let x = Arc::clone(&x);
            thread::spawn(move || x.store(1, SeqCst))
        };
        // What main stores first changes from one execution to the next; a replay that
        // repeats it (to let Thread1's store revisit the load below) finds the other value.
        let mine = 2 + RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 2;
        x.store(mine, SeqCst);
        let first = x.load(SeqCst);
        other.join().unwrap();
        first
    })
    .search(Search::Exhaustive)
    .run();
    assert_eq!(report.coverage.kind(), CoverageKind::Bounded, "{report}");
    assert!(
        report
            .coverage
            .phases
            .iter()
            .any(|p| p.stopped == Some(StopReason::Nondeterminism)),
        "{report}"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("may have missed orders")),
        "{report}"
    );
}
