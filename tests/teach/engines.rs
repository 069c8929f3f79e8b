//! `racelab engines`: every engine runs every scenario, and the exhaustive ones agree with
//! the explorer. Timings are never checked (they are printed, not asserted).
#![cfg(not(loom))]

use std::process::Command;

use racelab::measure::engines::{Budget, Comparison, Engine, compare};
use racelab::teach::{Kind, Scenario, explore};
use serde_json::Value;

/// Small enough for `cargo test`: 1 seed, 3,000 executions (the exhaustive search needs fewer on the queue), 5 real-thread runs.
const SMALL: Budget = Budget {
    seeds: 1,
    executions: 3_000,
    trials: 5,
};

fn comparison(kind: Kind) -> Comparison {
    let scenario = Scenario::new(kind, kind.default_params()).unwrap();
    compare(scenario, SMALL, &mut |_, _| {}).unwrap()
}

/// The claim that matters most: an exhaustive engine that explored everything and found no
/// forbidden outcome must be right, on every scenario. (It caught `task-done-early`
/// counting handled items in a std atomic, which only the explorer's marks made visible:
/// the exhaustive search explored "everything" and called the mistake correct.)
#[test]
fn exhaustive_engines_agree_with_the_explorer_on_every_scenario() {
    // The weak-memory scenarios are refused (`racelab engines` compares interleaving engines:
    // see `weak.rs`).
    for kind in Kind::ALL.into_iter().filter(|k| !k.weak_memory()) {
        let c = comparison(kind);
        let explored = explore(Scenario::new(kind, kind.default_params()).unwrap()).unwrap();
        assert_eq!(c.has_bug, explored.has_bug(), "{}", kind.name());
        assert_eq!(c.rows.len(), Engine::ALL.len());
        for row in &c.rows {
            let finished = row.coverage.is_some_and(|cov| cov.finished);
            if c.has_bug {
                assert!(
                    !row.proven,
                    "{}: {} proves a buggy scenario correct",
                    kind.name(),
                    row.name
                );
                if finished || row.engine == Engine::Explorer || row.engine == Engine::Exhaustive {
                    let bugs = row.first_bug.as_ref().unwrap();
                    assert_eq!(
                        bugs.found(),
                        bugs.seeds.len(),
                        "{}: {} explored everything and missed the forbidden outcome",
                        kind.name(),
                        row.name
                    );
                }
            } else {
                assert!(row.first_bug.is_none(), "{}: {}", kind.name(), row.name);
                if row.unavailable.is_none()
                    && matches!(
                        row.engine,
                        Engine::Explorer | Engine::Exhaustive | Engine::Check
                    )
                {
                    assert!(row.proven, "{}: {} proved nothing", kind.name(), row.name);
                }
            }
            if !row.exhaustive {
                assert!(!row.proven, "{}: a sampled engine proves nothing", row.name);
            }
        }
    }
}

#[test]
fn the_explorers_bug_hunt_interleaves_from_the_first_execution() {
    let c = comparison(Kind::CounterUnlocked);
    let explorer = &c.rows[0];
    assert_eq!(explorer.engine, Engine::Explorer);
    // Switching threads at every step first: the lost update is the first execution.
    assert_eq!(explorer.first_bug.as_ref().unwrap().median(), Some(1));
    let (fewest, leaders) = c.fewest_to_first_bug().unwrap();
    assert_eq!(fewest, 1);
    assert!(leaders.contains(&"racelab explorer"), "{leaders:?}");
    // The whole search: exactly the 6 interleavings.
    let coverage = explorer.coverage.unwrap();
    assert!(coverage.finished);
    assert_eq!(coverage.executions, c.interleavings);
}

#[test]
fn learner_code_has_no_real_thread_row_and_says_why() {
    let c = comparison(Kind::InsufficientLock);
    for engine in [Engine::Threads, Engine::ThreadsJitter] {
        let row = c.rows.iter().find(|r| r.engine == engine).unwrap();
        assert!(row.unavailable.is_some(), "{}", row.name);
        assert!(row.first_bug.is_none());
    }
}

fn racelab(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_prints_a_row_per_engine_in_text_and_json() {
    let small = ["--seeds", "2", "--budget", "500", "--trials", "5"];
    let (code, text, err) = racelab(&[&["engines", "counter-unlocked"], &small[..]].concat());
    assert_eq!(code, Some(0), "{err}");
    for engine in Engine::ALL {
        assert!(text.contains(engine.name()), "{}:\n{text}", engine.name());
    }
    assert!(text.contains("Fewest executions"), "{text}");
    assert!(text.contains("loom"), "{text}");

    let (code, json, err) = racelab(
        &[
            &["engines", "counter-locked", "--threads", "3"],
            &small[..],
            &["--format", "json"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scenario"], "counter-locked");
    assert_eq!(v["has_bug"], false);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), Engine::ALL.len());
    assert_eq!(rows[0]["engine"], "explorer");
    assert_eq!(rows[0]["proven"], true);
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    for args in [
        &["engines", "counter-unlocked", "--seeds", "0"][..],
        &["engines", "counter-unlocked", "--budget", "x"],
        &["engines", "nothing"],
        &["engines", "counter-unlocked", "--threads", "99"],
    ] {
        let (code, out, err) = racelab(args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.starts_with("error:"), "{args:?}: {err}");
    }
}

/// `first_bug_under` itself: a deadlock in the only execution allowed is a bug found, and an
/// exhaustive scheduler that runs out of schedules early has found nothing. (Both were
/// wrong once: the first made proptest's schedules "miss" `never-released`, the second
/// would have called shuttle's DFS finishing a correct program a bug.)
#[test]
fn first_bug_under_counts_deadlocks_and_not_an_early_end() {
    use racelab::check::sync::{Arc, Mutex};
    use racelab::checked::ChoiceScheduler;
    use shuttle::scheduler::DfsScheduler;

    let deadlock = racelab::check::check(|| {
        let m = Arc::new(Mutex::new(0));
        let _held = m.lock().unwrap();
        let again = Arc::clone(&m);
        racelab::check::thread::spawn(move || *again.lock().unwrap() += 1)
            .join()
            .unwrap();
    });
    let found = deadlock.first_bug_under(ChoiceScheduler::new(vec![]), 1);
    assert_eq!(found.map(|b| b.execution), Some(1));

    let correct = racelab::check::check(|| {
        let m = Arc::new(Mutex::new(0));
        let other = Arc::clone(&m);
        let t = racelab::check::thread::spawn(move || *other.lock().unwrap() += 1);
        *m.lock().unwrap() += 1;
        t.join().unwrap();
        *m.lock().unwrap()
    })
    .expect(|&total| total == 2);
    assert_eq!(
        correct.first_bug_under(DfsScheduler::new(None, false), 100_000),
        None
    );
    let all = correct.count_under(DfsScheduler::new(None, false), 100_000);
    assert!(all.finished && !all.failed && all.executions > 1, "{all:?}");
}

/// The explorer runs one execution per interleaving of the locked counter: a thread that
/// would only wait for the held lock is not offered (it used to cost 7-8 abandoned
/// executions per interleaving: 42 for 6 at 3 × 1).
#[test]
fn the_locked_counter_costs_one_execution_per_interleaving() {
    use racelab::teach::Params;
    for (threads, increments) in [(2, 1), (3, 1), (4, 1), (2, 3), (3, 2)] {
        let params = Params {
            threads,
            increments,
            ..Params::default()
        };
        let e = explore(Scenario::new(Kind::CounterLocked, params).unwrap()).unwrap();
        assert_eq!(e.executions, e.interleavings, "{threads} × {increments}");
        // (threads · increments)! / (increments!)^threads orders of whole critical sections.
        let expected = racelab::teach::sizes::interleavings(threads, increments).unwrap();
        assert_eq!(
            e.interleavings as u128, expected,
            "{threads} × {increments}"
        );
    }
}
