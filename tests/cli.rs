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
