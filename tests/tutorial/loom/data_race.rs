//! loom: a data race (UB) versus a race condition (a logic bug).
//!
//! `racelab::data_race::UnsyncCounter` is the tutorial's unlocked program with a plain
//! integer, which safe Rust refuses to compile (it needs an `unsafe impl Sync`). loom must
//! report the unsynchronised accesses. The model runs in a child process — the test binary
//! re-running its ignored test — because loom aborts the whole process when it panics in
//! one thread while another is blocked in `join`, and an abort cannot be caught.
#![cfg(loom)]

use std::process::Command;

use loom::sync::Arc;
use loom::thread;
use racelab::data_race::UnsyncCounter;

#[test]
#[ignore = "run by loom_finds_the_data_race in a child process"]
fn child_two_threads_increment_a_plain_integer() {
    loom::model(|| {
        let counter = Arc::new(UnsyncCounter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        };
        counter.increment();
        other.join().unwrap();
    });
}

#[test]
fn loom_finds_the_data_race() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "loom::data_race::child_two_threads_increment_a_plain_integer",
            "--nocapture",
        ])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "loom must reject the data race:\n{text}"
    );
    assert!(
        text.contains("Causality violation"),
        "loom's report:\n{text}"
    );
}

#[test]
fn one_thread_alone_is_fine() {
    // The same type with no second thread: no race, and loom says nothing.
    loom::model(|| {
        let counter = UnsyncCounter::new();
        counter.increment();
        counter.increment();
        assert_eq!(counter.value(), 2);
    });
}
