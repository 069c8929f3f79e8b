//! Every challenge is checked by the explorer: a possible one has a schedule that meets its
//! goal (the explorer's witness, which `racelab challenge` accepts), an impossible one has
//! none in an exhaustive exploration; and the hints exist.
#![cfg(not(loom))]

use racelab::teach::Kind;
use racelab::teach::challenge::{CHALLENGES, Challenge, Judgement};

#[test]
fn each_possible_challenge_is_solved_by_the_explorers_witness() {
    for c in CHALLENGES.iter().filter(|c| c.possible) {
        let (solution, exploration) = c.solve().expect("challenges are small");
        let trace = solution.unwrap_or_else(|| panic!("{}: no schedule meets the goal", c.name));
        let schedule = exploration.scenario.schedule_of(&trace);
        let attempt = c.attempt(&schedule).unwrap();
        assert_eq!(attempt.judgement, Judgement::Met, "{}: {schedule}", c.name);
    }
}

#[test]
fn each_impossible_challenge_is_proved_impossible_by_an_exhaustive_exploration() {
    let impossible: Vec<&Challenge> = CHALLENGES.iter().filter(|c| !c.possible).collect();
    assert!(!impossible.is_empty());
    for c in impossible {
        let (solution, exploration) = c.solve().expect("challenges are small");
        assert_eq!(solution, None, "{}", c.name);
        assert!(!exploration.has_bug(), "{}", c.name);
        // And a natural try (each thread runs to its end in turn) is not met, not an error.
        let natural = match c.kind {
            Kind::MessageRelaxed => "1 1 2 2",
            _ => "1 1 1 1 2 2 2 2",
        };
        let attempt = c.attempt(natural).unwrap();
        assert!(
            matches!(attempt.judgement, Judgement::NotMet { .. }),
            "{}",
            c.name
        );
    }
}

#[test]
fn each_challenge_has_hints_and_a_unique_name() {
    let mut names: Vec<&str> = CHALLENGES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CHALLENGES.len());
    for c in &CHALLENGES {
        assert!(c.hints.len() >= 2, "{}", c.name);
        assert!(Challenge::find(c.name).is_some());
    }
}

#[test]
fn a_wrong_schedule_does_not_meet_the_goal() {
    let c = Challenge::find("lose-an-update").unwrap();
    assert!(matches!(
        c.attempt("1 1 2 2").unwrap().judgement,
        Judgement::NotMet { .. }
    ));
    assert_eq!(c.attempt("1 2 1").unwrap().judgement, Judgement::Refused);
    assert!(c.attempt("1 x").is_err());
}
