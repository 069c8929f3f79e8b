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

pub(crate) fn stdout(args: &[&str]) -> (Option<i32>, String, String) {
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
    assert!(
        outcomes
            .iter()
            .any(|o| o["outcome"] == 1 && o["interleavings"] == 4 && o["verdict"] == "forbidden")
    );
    let witness = json["witnesses"][0]["steps"].as_array().unwrap();
    assert_eq!(witness.len(), 4);
    assert_eq!(witness[0]["python"], "local_copy = database_value");
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
        err.starts_with("error: counter-unlocked with 4 threads × 3 increments"),
        "{err}"
    );
    assert!(err.contains("Usage: racelab explore"), "{err}");
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
    let cases: [(&[&str], &str); 9] = [
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
            "step 2: there is no thread 3 in counter-unlocked; the threads that take steps are \
             1 (Thread1), 2 (Thread2)",
        ),
        (
            &["replay", "never-released", "1 1 1 2"],
            "step 4: Thread2 is blocked: Thread1 holds the lock",
        ),
        // Extra steps after everyone finished.
        (
            &["replay", "counter-unlocked", "1 2 1 2 1"],
            "step 5: everyone has finished: the run was over after step 4",
        ),
        (
            &["replay", "queue", "3 3 1 1 1 2 2 2 0 0", "--items", "2"],
            "step 10: everyone has finished: the run was over after step 9",
        ),
        // A blocked thread's refusal names what it waits for.
        (
            &["replay", "queue", "1 2 1 2"],
            "step 3: Thread1 is blocked in get on an empty queue (waits on not_empty",
        ),
        (
            &["replay", "counter-unlocked", "main"],
            "step 1: main takes no steps in counter-unlocked",
        ),
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
    assert_eq!(json["steps"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["thread_names"],
        serde_json::json!(["main", "Thread1", "Thread2"])
    );
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
            outcomes[0]["runs"].as_u64()
        ),
        (Some(3), Some(200))
    );
    assert!(
        outcomes[0].get("interleavings").is_none(),
        "runs, not interleavings"
    );
    assert_eq!(json["reachable"], serde_json::json!([3]));
    let (code, out, _) = stdout(&["stress", "queue", "--trials", "50", "--items", "2"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("all 2 items handled once, then join returned"),
        "{out}"
    );
    let (code, _, err) = stdout(&["stress", "two-locks", "--trials", "5"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("[possible values: counter-unlocked, counter-locked, counter-atomic, queue]"),
        "{err}"
    );
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

#[test]
fn if_not_while_shows_wait_notify_and_wake_and_its_witness_replays() {
    let (code, out, _) = stdout(&["explore", "if-not-while"]);
    assert_eq!(code, Some(0));
    for step in [
        "wait not_empty",
        "notify not_empty",
        "wake not_empty",
        "got nothing!",
    ] {
        assert!(out.contains(step), "{step}: {out}");
    }
    let (code, out, _) = stdout(&["replay", "if-not-while", "1 P P 2 1 1 P", "--python"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("=> a consumer woke up to an empty queue and got nothing (forbidden)"),
        "{out}"
    );
    assert!(out.contains("| Python"), "{out}");
    assert!(out.contains("if not items: cond.wait()"), "{out}");
}

#[test]
fn replay_runs_any_size_whose_single_run_fits() {
    let (code, out, err) = stdout(&[
        "replay",
        "counter-unlocked",
        "1 2 3 1 2 3 1 2 3 1 2 3 1 2 3 1 2 3",
        "--threads",
        "3",
        "--increments",
        "3",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("=> End value: 3 (forbidden)"), "{out}");
    let (code, _, err) = stdout(&["replay", "counter-unlocked", "1", "--threads", "9"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--threads must be between 1 and 8 for replay, got 9"),
        "{err}"
    );
}

#[test]
fn replay_takes_thread_names_as_well_as_numbers() {
    let (code, out, err) = stdout(&["replay", "counter-unlocked", "T1 Thread2 1 2"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("=> End value: 1 (forbidden)"), "{out}");
    let (code, out, err) = stdout(&["replay", "task-done-early", "P 1 1 main"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("join returns"), "{out}");
    let (code, out, _) = stdout(&["replay", "counter-unlocked", "P"]);
    assert_eq!(code, Some(2));
    assert!(
        out.contains("step 1: there is no Producer in counter-unlocked"),
        "{out}"
    );
}

#[test]
fn a_flag_that_does_not_apply_is_an_error_that_says_what_applies() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["explore", "if-not-while", "--threads", "3"],
            "if-not-while takes no size flags (it has a fixed size); --threads does not apply",
        ),
        (
            &["explore", "never-released", "--increments", "3"],
            "never-released takes --threads only; --increments does not apply",
        ),
        (
            &["replay", "queue", "1", "--threads", "2"],
            "queue takes --workers and --items; --threads does not apply",
        ),
        (
            &["stress", "counter-unlocked", "--items", "2"],
            "counter-unlocked takes --threads and --increments; --items does not apply",
        ),
    ];
    for (args, expected) in cases {
        let (code, out, err) = stdout(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            err.starts_with(&format!("error: {expected}")),
            "{args:?}: {err}"
        );
        assert!(err.contains("Usage: racelab"), "{args:?}: {err}");
    }
}

#[test]
fn range_errors_look_like_usage_errors_even_for_negative_numbers() {
    for (flag, value) in [
        ("--threads", "-1"),
        ("--threads", "0"),
        ("--increments", "5"),
    ] {
        let (code, _, err) = stdout(&["explore", "counter-unlocked", flag, value]);
        assert_eq!(code, Some(2));
        assert!(
            err.starts_with(&format!(
                "error: counter-unlocked: {flag} must be between 1 and 4 for explore, got {value}"
            )),
            "{err}"
        );
        assert!(err.contains("Usage: racelab explore"), "{err}");
        assert!(!err.contains("'-- -1'"), "{err}");
    }
    let (code, _, err) = stdout(&["explore", "counter-unlocked", "--threads", "two"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: invalid value 'two' for '--threads <N>'"),
        "{err}"
    );
    assert!(err.contains("Usage: racelab explore"), "{err}");
}

#[test]
fn short_and_long_help_are_the_same_and_list_scenarios_and_sizes() {
    for sub in ["explore", "replay", "stress", "challenge", "demo"] {
        let short = racelab(&[sub, "-h"]);
        let long = racelab(&[sub, "--help"]);
        assert!(short.status.success());
        assert_eq!(short.stdout, long.stdout, "{sub}");
    }
    assert_eq!(racelab(&["-h"]).stdout, racelab(&["--help"]).stdout);
    let (_, explore, _) = stdout(&["explore", "--help"]);
    assert!(explore.contains("Sizes explore accepts:"), "{explore}");
    assert!(explore.contains("if-not-while"), "{explore}");
    assert!(explore.contains("Producer is N+1"), "{explore}");
    assert!(explore.contains("not a probability"), "{explore}");
    let (_, replay, _) = stdout(&["replay", "--help"]);
    assert!(replay.contains("--threads 1-8"), "{replay}");
    let (_, stress, _) = stdout(&["stress", "--help"]);
    assert!(stress.contains("Sizes stress accepts:"), "{stress}");
    for kind in [
        "two-locks",
        "never-released",
        "if-not-while",
        "insufficient-lock",
    ] {
        assert!(
            !stress.contains(kind),
            "stress does not run {kind}: {stress}"
        );
    }
}

#[test]
fn plurals_are_right() {
    let (_, out, _) = stdout(&["explore", "counter-unlocked", "--threads", "1"]);
    assert!(out.contains("1 thread × 1 increment:"), "{out}");
    assert!(out.contains("1 interleaving in 1 execution\n"), "{out}");
    let (_, out, _) = stdout(&[
        "stress",
        "counter-atomic",
        "--trials",
        "1",
        "--threads",
        "1",
    ]);
    assert!(out.contains("1 run on real threads"), "{out}");
    assert!(out.contains("in 1 of 1 run\n"), "{out}");
}

#[test]
fn stress_jitter_is_seeded_and_only_where_there_is_a_window() {
    let (code, out, err) = stdout(&[
        "stress",
        "counter-unlocked",
        "--jitter",
        "200us",
        "--seed",
        "7",
        "--trials",
        "20",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["jitter"],
        serde_json::json!({"max_ns": 200_000, "seed": 7})
    );
    let (code, _, err) = stdout(&["stress", "queue", "--jitter"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--jitter applies to counter-unlocked and counter-locked"),
        "{err}"
    );
    let (code, _, err) = stdout(&["stress", "counter-unlocked", "--seed", "1"]);
    assert_eq!(
        code,
        Some(2),
        "--seed without --jitter is not silently ignored"
    );
    assert!(err.contains("--jitter"), "{err}");
    let (code, _, err) = stdout(&["stress", "counter-unlocked", "--jitter", "5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("has no unit"), "{err}");
}

#[test]
fn challenges_list_check_hint_and_solve() {
    let (code, out, _) = stdout(&["challenge"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("lose-an-update"), "{out}");
    assert!(out.contains("locked-counter"), "{out}");
    let (code, out, _) = stdout(&["challenge", "lose-an-update", "1 2 1 2"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Goal met!"), "{out}");
    let (code, out, _) = stdout(&["challenge", "lose-an-update", "1 1 2 2"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Not yet"), "{out}");
    assert!(out.contains("Hint: "), "{out}");
    let (code, out, _) = stdout(&["challenge", "lose-an-update", "--hint", "2"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("hint 2 of 2:"), "{out}");
    let (code, out, _) = stdout(&["challenge", "locked-counter", "1 1 1 1 2 2 2 2"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("explored every interleaving"), "{out}");
    assert!(out.contains("No schedule meets this goal"), "{out}");
    let (code, out, _) = stdout(&["challenge", "deadlock", "--solution"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("challenge deadlock \"1 1 1\""), "{out}");
    let (code, _, err) = stdout(&["challenge", "lose-an-update", "--hint", "9"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("lose-an-update has 2 hints"), "{err}");
    let (code, _, err) = stdout(&["challenge", "nope"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("possible values"), "{err}");
}

#[test]
fn the_tour_suggests_commands_that_work_where_it_runs() {
    // Run from target/: cargo run.
    let (_, tour, _) = stdout(&[]);
    assert!(tour.contains("  cargo run --"), "{tour}");
    assert!(tour.contains(" -- replay counter-unlocked"), "{tour}");
    // Installed elsewhere: racelab.
    let dir = std::env::temp_dir().join(format!("racelab-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("racelab");
    std::fs::copy(env!("CARGO_BIN_EXE_racelab"), &copy).unwrap();
    let out = Command::new(&copy).arg("challenge").output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Play: racelab challenge <name>"), "{text}");
}

#[test]
fn the_tour_ends_by_pointing_to_the_html_page() {
    let (_, tour, _) = stdout(&[]);
    let last = tour.lines().last().unwrap_or_default();
    assert!(
        last.contains("explore counter-unlocked --format html --output race.html"),
        "{last}"
    );
}

#[test]
fn format_html_writes_a_page_to_stdout_or_to_output() {
    let (code, page, _) = stdout(&["explore", "counter-unlocked", "--format", "html"]);
    assert_eq!(code, Some(0));
    assert!(page.starts_with("<!doctype html>") && page.contains("racelab-data"));

    let dir = std::env::temp_dir().join(format!("racelab-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("race.html");
    let path = file.to_str().unwrap();
    let out = racelab(&[
        "replay",
        "counter-unlocked",
        "1 2 1 2",
        "--format",
        "html",
        "-o",
        path,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "the page went to the file");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("wrote ") && stderr.contains(" KB, one self-contained page"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("End value: 1 (✗ forbidden)"));

    // A refused schedule still writes its page, and says why on stderr with exit code 2.
    let out = racelab(&[
        "replay",
        "counter-locked",
        "1 2",
        "--format",
        "html",
        "-o",
        path,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: step 2: Thread2 is blocked"),
        "{stderr}"
    );

    // A file that cannot be written: one line, exit code 2, no panic.
    let bad = dir.join("no/such/dir/race.html");
    let out = racelab(&[
        "explore",
        "queue",
        "--format",
        "html",
        "--output",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // html is for explore and replay; stress says which formats it has.
    let out = racelab(&["stress", "counter-unlocked", "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: human, json"));
}

/// `racelab check --shard I/N` writes a part of the search; `racelab merge` adds the parts
/// up into what `racelab check` reports whole (issue 23).
#[test]
fn check_shards_merge_into_the_whole_report() {
    let dir = std::env::temp_dir().join(format!("racelab-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = racelab(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let scenario = [
        "check",
        "counter-unlocked",
        "--threads",
        "3",
        "--format",
        "json",
    ];
    let whole = json(&scenario);
    let mut files = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let part = json(&[&scenario[..], &["--shard", &shard]].concat());
        assert_eq!(part["coverage"]["kind"], "partial", "{part}");
        let file = dir.join(format!("{i}.json"));
        std::fs::write(&file, serde_json::to_string(&part).unwrap()).unwrap();
        files.push(file.display().to_string());
    }
    let args: Vec<&str> = ["merge", "--format", "json"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = racelab(&args);
    // The unlocked counter loses updates: the merged report fails, exit code 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(merged["coverage"]["kind"], "exhaustive", "{merged}");
    assert_eq!(merged["executions"], whole["executions"]);
    assert_eq!(merged["outcomes"], whole["outcomes"]);
    let ranks = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["witnesses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["rank"].clone())
            .collect()
    };
    assert_eq!(ranks(&merged), ranks(&whole), "the same witnesses");
    // Two of three shards: partial, and said in words.
    let out = racelab(&["merge", &files[0], &files[2]]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("partial: shards 1, 3 of 3"), "{text}");
    assert!(text.contains("do not cover the whole search"), "{text}");
    // Bad input: one line, exit code 2.
    for (args, says) in [
        (
            vec!["merge", &files[0], &files[0]],
            "shard 1 of 3 is there twice",
        ),
        (
            vec!["merge", "Cargo.toml"],
            "is not a racelab report in JSON",
        ),
        (
            vec!["merge", "no-such-file.json"],
            "cannot read no-such-file.json",
        ),
        (
            vec!["check", "counter-unlocked", "--shard", "0/3"],
            "there is no shard 0 of 3",
        ),
        (
            vec!["check", "counter-unlocked", "--shard", "two"],
            "write I/N",
        ),
    ] {
        let out = racelab(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every example the `--help` of `commands` shows runs (in a scratch directory, in order,
/// so a `racelab merge` example finds the files the examples before it wrote); returns how
/// many ran.
fn help_examples_run(commands: &[&str]) -> usize {
    let dir = std::env::temp_dir().join(format!(
        "racelab-examples-{}-{}",
        commands[0],
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ran = 0;
    for &command in commands {
        let help = String::from_utf8(racelab(&[command, "--help"]).stdout).unwrap();
        for line in help.lines() {
            let line = line.trim().trim_start_matches("Example: ");
            let Some(rest) = line.strip_prefix("racelab ") else {
                continue;
            };
            // Words, with "double-quoted words" kept together.
            let args: Vec<String> = rest
                .split('"')
                .enumerate()
                .flat_map(|(i, part)| {
                    if i % 2 == 1 {
                        vec![part.to_string()]
                    } else {
                        part.split_whitespace().map(str::to_string).collect()
                    }
                })
                .collect();
            let out = Command::new(env!("CARGO_BIN_EXE_racelab"))
                .args(&args)
                .current_dir(&dir)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_ne!(
                out.status.code(),
                Some(2),
                "`{line}` in {command} --help: {stderr}"
            );
            assert!(!stderr.contains("error:"), "`{line}`: {stderr}");
            ran += 1;
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    ran
}

#[test]
fn check_and_merge_help_examples_run() {
    // Two tests, run in parallel: `merge`'s examples read what `check`'s wrote.
    let ran = help_examples_run(&["check", "merge"]);
    assert!(ran >= 5, "only {ran} examples found");
}

#[test]
fn replay_explore_and_challenge_help_examples_run() {
    let ran = help_examples_run(&["replay", "explore", "challenge"]);
    assert!(ran >= 3, "only {ran} examples found");
}

/// `racelab check --checkpoint FILE` spreads a search over runs; `racelab merge` adds the
/// runs' reports up into what one run reports (issue 23).
#[test]
fn checkpointed_runs_merge_into_the_whole_report() {
    let dir = std::env::temp_dir().join(format!("racelab-ckpt-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("place");
    let checkpoint = checkpoint.to_str().unwrap();
    let scenario = [
        "check",
        "counter-unlocked",
        "--threads",
        "3",
        "--format",
        "json",
    ];
    let whole: serde_json::Value =
        serde_json::from_slice(&racelab(&scenario).stdout).expect("JSON");
    let mut files = Vec::new();
    loop {
        let file = dir.join(format!("{}.json", files.len()));
        let args = [
            &scenario[..],
            &[
                "--budget",
                "10",
                "--checkpoint",
                checkpoint,
                "-o",
                file.to_str().unwrap(),
            ],
        ]
        .concat();
        let out = racelab(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        files.push(file.display().to_string());
        if !std::path::Path::new(checkpoint).exists() {
            break;
        }
        assert!(files.len() < 100, "the search makes no progress");
    }
    assert!(files.len() >= 3, "{} runs", files.len());
    let args: Vec<&str> = ["merge", "--format", "json"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let merged: serde_json::Value = serde_json::from_slice(&racelab(&args).stdout).expect("JSON");
    assert_eq!(merged["coverage"]["kind"], "exhaustive", "{merged}");
    assert_eq!(merged["executions"], whole["executions"]);
    assert_eq!(merged["outcomes"], whole["outcomes"]);
    // Without the first run, the rest is not the whole search, and says so.
    let out = racelab(&[&["merge"][..], &args[4..]].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the others not included here"), "{text}");
    // Another check's checkpoint, or a file that is none: refused, exit code 2.
    std::fs::write(
        checkpoint,
        "racelab checkpoint 1\ncheck: x\nmodel: sc\nplace: \n",
    )
    .unwrap();
    let out = racelab(&[&scenario[..], &["--checkpoint", checkpoint]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the checkpoint of another check"));
    std::fs::write(checkpoint, "hello").unwrap();
    let out = racelab(&[&scenario[..], &["--checkpoint", checkpoint]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a racelab checkpoint"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `racelab check --spurious-wakeups` lets waits wake spuriously: the locked counter's
/// `Lock` waits in a loop, so it still passes, exhaustively, and the report says what it
/// assumed; a checkpoint saved without the flag is refused with it (exit code 2).
#[test]
fn check_with_spurious_wakeups_keeps_the_lock_right_and_says_so() {
    let out = racelab(&["check", "counter-locked", "--spurious-wakeups"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("coverage: exhaustive"), "{text}");
    assert!(text.contains("may wake spuriously"), "{text}");
    let dir = std::env::temp_dir().join(format!("racelab-spurious-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("place");
    let checkpoint = checkpoint.to_str().unwrap();
    let scenario = ["check", "counter-locked", "--threads", "3"];
    let out = racelab(
        &[
            &scenario[..],
            &["--budget", "2", "--checkpoint", checkpoint],
        ]
        .concat(),
    );
    assert!(std::path::Path::new(checkpoint).exists(), "{out:?}");
    let out = racelab(
        &[
            &scenario[..],
            &["--checkpoint", checkpoint, "--spurious-wakeups"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("was saved by a search without --spurious-wakeups"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `racelab check --wakeups-without-notify N` limits the wake-ups without a notify: two
/// workers waiting at once with spurious wake-ups make the search run into its budget
/// without it and exhaustive with it; the coverage names the limit; a checkpoint saved
/// without the limit is refused with it (exit code 2), and so is a limit that is not a
/// number.
#[test]
fn check_with_a_wakeup_limit_is_exhaustive_where_it_was_bounded() {
    let scenario = [
        "check",
        "queue",
        "--workers",
        "2",
        "--items",
        "1",
        "--spurious-wakeups",
        "--budget",
        "5000",
    ];
    let out = racelab(&scenario);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("coverage: bounded"), "{text}");
    let out = racelab(&[&scenario[..], &["--wakeups-without-notify", "0"]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("coverage: exhaustive"), "{text}");
    assert!(
        text.contains("at most 0 times (Check::wakeups_without_notify)"),
        "{text}"
    );
    let out = racelab(&[&scenario[..], &["--wakeups-without-notify", "x"]].concat());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let dir = std::env::temp_dir().join(format!("racelab-limit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("place");
    let checkpoint = checkpoint.to_str().unwrap();
    let counter = ["check", "counter-locked", "--threads", "3"];
    let out = racelab(&[&counter[..], &["--budget", "2", "--checkpoint", checkpoint]].concat());
    assert!(std::path::Path::new(checkpoint).exists(), "{out:?}");
    let out = racelab(
        &[
            &counter[..],
            &["--checkpoint", checkpoint, "--wakeups-without-notify", "1"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("was saved by a search without --wakeups-without-notify"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
