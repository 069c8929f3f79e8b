//! Every committed fuzz corpus file, run as an ordinary test: CI exercises the fuzz
//! targets' logic on stable, without the fuzzer.
//!
//! `fuzz/corpus/<target>/*` must pass (for `schedule_unlocked_counter` they need only not
//! crash the harness: that target is *meant* to fail), and every input under
//! `fuzz/crashes/schedule_unlocked_counter/` — found by the fuzzer — must still reproduce
//! the lost update.
#![cfg(not(loom))]

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod racelab_fuzz;

use std::fs;
use std::path::{Path, PathBuf};

use racelab::checked::counter::Increment;

fn inputs(dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect()
}

fn all_pass(target: &str, check: impl Fn(&[u8]) -> Result<(), String>) {
    for (path, data) in inputs(&format!("fuzz/corpus/{target}")) {
        if let Err(failure) = check(&data) {
            panic!("{}: {failure}", path.display());
        }
    }
}

#[test]
fn corpus_schedule_locked_counter() {
    all_pass("schedule_locked_counter", |d| {
        racelab_fuzz::schedule_counter(d, Increment::Locked)
    });
}

#[test]
fn corpus_schedule_pool() {
    all_pass("schedule_pool", racelab_fuzz::schedule_pool);
}

#[test]
fn corpus_queue_ops() {
    all_pass("queue_ops", racelab_fuzz::queue_ops);
    // The seeds stand for real work, not empty operation lists.
    let ops: usize = inputs("fuzz/corpus/queue_ops")
        .iter()
        .map(|(_, data)| racelab_fuzz::decode_ops(data).1.len())
        .sum();
    assert!(
        ops >= 100,
        "the queue_ops seeds decode to only {ops} operations"
    );
    println!("queue_ops seeds: {ops} operations");
}

#[test]
fn corpus_replay_schedule() {
    all_pass("replay_schedule", racelab_fuzz::replay_schedule);
}

#[test]
fn corpus_schedule_unlocked_counter_runs() {
    for (_, data) in inputs("fuzz/corpus/schedule_unlocked_counter") {
        let _ = racelab_fuzz::schedule_counter(&data, Increment::Unlocked);
    }
}

#[test]
fn the_fuzzers_crash_for_the_unlocked_counter_still_loses_the_update() {
    for (path, data) in inputs("fuzz/crashes/schedule_unlocked_counter") {
        let failure = racelab_fuzz::schedule_counter(&data, Increment::Unlocked)
            .expect_err(&format!("{} no longer loses an update", path.display()));
        assert!(failure.contains("lost update"), "{failure}");
    }
}
