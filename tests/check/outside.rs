//! What racelab cannot see must fail clearly: a modelled thread that blocks in a primitive
//! racelab does not model would hang the check; the watchdog turns that into a failure
//! naming the thread and its last line (`Check::stall_limit`).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use racelab::check::sync::Arc;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::{check, thread};

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
