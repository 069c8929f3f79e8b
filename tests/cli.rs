//! The command line: help, usage errors, the tour.
#![cfg(not(loom))]

use std::process::Command;

fn racelab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn unknown_program_is_a_usage_error_not_a_panic() {
    for args in [
        &["demo", "nope"][..],
        &["demo"],
        &["frobnicate"],
        &["demo", "race", "extra"],
    ] {
        let out = racelab(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage: racelab"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_lists_the_commands_and_programs() {
    let out = racelab(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["demo", "tour"] {
        assert!(help.contains(word), "{help}");
    }
    let demo_help = String::from_utf8_lossy(&racelab(&["demo", "--help"]).stdout).to_string();
    for program in [
        "queue-basics",
        "threads",
        "processes",
        "race",
        "lock",
        "queue",
    ] {
        assert!(demo_help.contains(program), "{demo_help}");
    }
}

#[test]
fn the_tour_runs_the_programs_and_says_what_they_show() {
    let out = racelab(&[]);
    assert!(out.status.success(), "{out:?}");
    let tour = String::from_utf8_lossy(&out.stdout);
    assert!(tour.contains("  | End value: 1"), "{tour}");
    assert!(tour.contains("  | End value: 2"), "{tour}");
    assert!(tour.contains("  | main done"), "{tour}");
    assert!(tour.contains("lost"), "{tour}");
}

fn stdout(args: &[&str]) -> (Option<i32>, String, String) {
    let out = racelab(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explore_prints_the_table_and_the_witness() {
    let (code, out, _) = stdout(&["explore", "counter-unlocked"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("6 interleavings"), "{out}");
    assert!(
        out.contains("  1                    4  66.7%  forbidden"),
        "{out}"
    );
    assert!(out.contains("| Thread1 | Thread2"), "{out}");
    assert!(
        out.contains("=> End value: 1, expected 2: 1 update lost"),
        "{out}"
    );
}

#[test]
fn explore_json_parses_and_has_the_promised_keys() {
    let (code, out, _) = stdout(&["explore", "counter-unlocked", "--format", "json"]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(json["scenario"], "counter-unlocked");
    assert_eq!(json["threads"], 2);
    assert_eq!(json["increments"], 1);
    assert_eq!(json["interleavings"], 6);
    let outcomes = json["outcomes"].as_array().unwrap();
    assert!(outcomes
        .iter()
        .any(|o| o["outcome"] == 1 && o["interleavings"] == 4 && o["verdict"] == "forbidden"));
    let witness = json["witness"].as_array().unwrap();
    assert_eq!(witness.len(), 4);
    assert_eq!(
        (
            witness[0]["thread"].as_u64(),
            witness[0]["step"].as_str(),
            witness[0]["value"].as_u64()
        ),
        (Some(1), Some("read"), Some(0))
    );
}

#[test]
fn explore_three_threads_two_increments() {
    let (code, out, _) = stdout(&[
        "explore",
        "counter-unlocked",
        "--threads",
        "3",
        "--increments",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["interleavings"], 34_650);
    assert_eq!(json["executions"], 34_650);
}

#[test]
fn explore_refuses_a_size_too_large_with_advice() {
    let (code, out, err) = stdout(&[
        "explore",
        "counter-unlocked",
        "--threads",
        "4",
        "--increments",
        "3",
    ]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.starts_with("racelab: counter-unlocked with 4 threads × 3 increments"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn replay_follows_the_learners_schedule() {
    let (code, out, _) = stdout(&["replay", "counter-unlocked", "1 2 1 2"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("=> End value: 1 (forbidden)"), "{out}");
    let (code, out, _) = stdout(&["replay", "counter-unlocked", "1,1,2,2"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("=> End value: 2 (acceptable)"), "{out}");
}

#[test]
fn replay_explains_every_refusal() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["replay", "counter-locked", "1 2"],
            "step 2: Thread2 is blocked: Thread1 holds the lock",
        ),
        (
            &["replay", "counter-unlocked", "1 1 1"],
            "step 3: Thread1 has no steps left",
        ),
        (
            &["replay", "counter-unlocked", "1 1"],
            "the schedule stopped early: Thread2 still had steps to take",
        ),
        (
            &["replay", "counter-unlocked", "1 3"],
            "step 2: there is no thread 3; this scenario has threads 1 to 2",
        ),
        (
            &["replay", "never-released", "1 1 1 2"],
            "step 4: Thread2 is blocked: Thread1 holds the lock",
        ),
        (&["replay", "never-released", "1 1 1"], "deadlock"),
    ];
    for (args, expected) in cases {
        let (code, out, err) = stdout(args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(
            out.contains(expected) || err.contains(expected),
            "{args:?}: {out}{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _, err) = stdout(&["replay", "counter-unlocked", "1 two"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("schedule item 2 is \"two\""), "{err}");
}

#[test]
fn replay_json_parses() {
    let (code, out, _) = stdout(&["replay", "counter-unlocked", "1 2 1 2", "--format", "json"]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["outcome"], 1);
    assert_eq!(json["verdict"], "forbidden");
    assert_eq!(json["witness"].as_array().unwrap().len(), 4);
}

#[test]
fn stress_counts_real_runs_next_to_the_reachable_set() {
    let (code, out, _) = stdout(&[
        "stress",
        "counter-locked",
        "--trials",
        "200",
        "--threads",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["trials"], 200);
    let outcomes = json["outcomes"].as_array().unwrap();
    assert_eq!(
        outcomes.len(),
        1,
        "the locked counter only ever ends at 3: {out}"
    );
    assert_eq!(
        (
            outcomes[0]["outcome"].as_u64(),
            outcomes[0]["interleavings"].as_u64()
        ),
        (Some(3), Some(200))
    );
    assert_eq!(json["reachable"], serde_json::json!([3]));
    let (code, out, _) = stdout(&["stress", "queue", "--trials", "50"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("all 2 items handled once, then join returned"),
        "{out}"
    );
    let (code, _, err) = stdout(&["stress", "two-locks", "--trials", "5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("try `racelab explore two-locks`"), "{err}");
}

#[test]
fn no_color_when_not_a_terminal_or_when_asked() {
    let out = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(["explore", "counter-unlocked"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}
