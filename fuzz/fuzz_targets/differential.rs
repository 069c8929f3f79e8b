#![no_main]
//! Differential fuzzing of racelab's exhaustive search against the independent oracle of
//! `tests/oracles/differential/` (see `tests/oracles/differential/mod.rs`): the input becomes a
//! `Program` (through `arbitrary`), the oracle enumerates its outcomes under sequential
//! consistency, racelab's `Search::Exhaustive` checks it through the public API, and the
//! two sets of endings must be equal. Programs too big for either within a small budget
//! are skipped.
use libfuzzer_sys::fuzz_target;
use racelab::check::Search;

// The very files the differential tests use: one language, one oracle, one translation.
#[allow(dead_code)]
#[path = "../../tests/oracles/differential/program.rs"]
mod program;

#[allow(dead_code)]
#[path = "../../tests/oracles/differential/oracle.rs"]
mod oracle;

#[allow(dead_code)]
#[path = "../../tests/oracles/differential/run.rs"]
mod run;

/// racelab's execution budget per program; programs that need more are skipped.
const BUDGET: usize = 5_000;
/// The oracle's state budget per program; programs that need more are skipped.
const MAX_STATES: usize = 50_000;

fuzz_target!(|program: program::Program| {
    let Some(oracle) = oracle::explore_within(&program, MAX_STATES) else {
        return;
    };
    let Some(racelab) = run::run(&program, Search::Exhaustive, BUDGET) else {
        return;
    };
    if racelab.outcomes != oracle.outcomes {
        let only_oracle: Vec<_> = oracle.outcomes.difference(&racelab.outcomes).collect();
        let only_racelab: Vec<_> = racelab.outcomes.difference(&oracle.outcomes).collect();
        panic!(
            "racelab Exhaustive disagrees with the oracle on\n{program}{program:?}\n\
             reached by the oracle only: {only_oracle:?}\n\
             reached by racelab only: {only_racelab:?}"
        );
    }
});
