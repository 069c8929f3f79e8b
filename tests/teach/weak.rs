//! The weak-memory scenarios (message passing through a flag): interleavings cannot show
//! the Relaxed flag's bug; `racelab check` finds it under RC11, names the store each load
//! read, and passes the Release/Acquire fix.
#![cfg(not(loom))]

use racelab::teach::challenge::{Challenge, Judgement};
use racelab::teach::{EndState, Kind, Params, Scenario, explore};

use super::cli::stdout;

fn label(text: &str) -> EndState {
    EndState::Label(text.to_string())
}

const SAW: &str = "the reader saw the flag and data 42";
const EARLY: &str = "the reader found the flag not set yet";
const STALE: &str = "the reader saw the flag but data 0, the old value";

#[test]
fn no_interleaving_shows_stale_data_and_explore_says_where_to_look() {
    for kind in [Kind::MessageRelaxed, Kind::MessageReleaseAcquire] {
        let scenario = Scenario::new(kind, Params::default()).unwrap();
        let e = explore(scenario).unwrap();
        // Writer: 2 steps; reader: 1 step, or 2 after seeing the flag. Reader first (1
        // way), between the writer's steps (1), after both (1, reading 42): 3.
        let rows: Vec<(EndState, usize)> = e
            .rows
            .iter()
            .map(|r| (r.outcome.clone(), r.interleavings))
            .collect();
        assert_eq!(rows, [(label(EARLY), 2), (label(SAW), 1)], "{kind:?}");
        assert!(!e.has_bug(), "{kind:?}");
        assert!(kind.weak_memory());
        let note = scenario.interleavings_note().unwrap();
        assert!(
            note.contains(&format!("racelab check {}", kind.name())),
            "{note}"
        );
    }
    assert_eq!(
        Scenario::new(Kind::CounterUnlocked, Params::default())
            .unwrap()
            .interleavings_note(),
        None
    );
}

#[test]
fn check_finds_the_stale_read_under_rc11_and_names_the_store_each_load_read() {
    let (code, out, err) = stdout(&["check", "message-relaxed"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("coverage: exhaustive"), "{out}");
    assert!(out.contains("atomics follow RC11 weak memory"), "{out}");
    let row = out
        .lines()
        .find(|l| l.contains(STALE))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.ends_with("forbidden"), "{row}");
    assert!(out.contains(&format!("Witness for {STALE}")), "{out}");
    // The witness says which store each load read, and why the newer one was not seen.
    assert!(out.contains("flag = 1 (Thread1's Relaxed store)"), "{out}");
    assert!(
        out.contains(
            "data = 0 (the initial value; Thread1's store of 42 is newer but does not happen \
             before this load)"
        ),
        "{out}"
    );
    // The same in the page.
    let (code, page, _) = stdout(&["check", "message-relaxed", "--format", "html"]);
    assert_eq!(code, Some(0));
    assert!(page.contains("does not happen before this load"));
}

#[test]
fn release_acquire_never_reads_stale_data_under_rc11() {
    let (code, out, err) = stdout(&["check", "message-release-acquire"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("coverage: exhaustive"), "{out}");
    assert!(out.contains("atomics follow RC11 weak memory"), "{out}");
    assert!(out.contains(EARLY) && out.contains(SAW), "{out}");
    assert!(!out.contains(STALE), "{out}");
    assert!(out.contains("No forbidden outcome"), "{out}");
}

#[test]
fn the_stale_data_challenge_cannot_be_met_by_a_schedule_and_says_why() {
    let c = Challenge::find("stale-data").unwrap();
    assert!(!c.possible);
    for schedule in ["1 1 2 2", "2 1 1", "1 2 1"] {
        let attempt = c.attempt(schedule).unwrap();
        assert!(
            matches!(attempt.judgement, Judgement::NotMet { .. }),
            "{schedule}: {:?}",
            attempt.judgement
        );
    }
    assert!(
        c.why_impossible()
            .unwrap()
            .contains("racelab check message-relaxed")
    );
    let (code, out, _) = stdout(&["challenge", "stale-data", "1 1 2 2"]);
    assert_eq!(code, Some(1), "not met: {out}");
    assert!(out.contains("No schedule meets this goal"), "{out}");
}

#[test]
fn engines_refuses_a_weak_memory_scenario_and_points_to_check() {
    let (code, _, err) = stdout(&["engines", "message-relaxed"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("racelab check message-relaxed"), "{err}");
}
