//! racelab's exhaustive search against oracles that share no code with it, as one test
//! binary (the checker's API is the `check` binary, `tests/check/`):
//!
//! * `differential/`: the exhaustive search against an independent enumerator of every
//!   interleaving (sequential consistency) on generated programs, the search in several
//!   parallel jobs against the search in one, and every disagreement ever found as a named
//!   regression;
//! * `litmus/`: weak memory (RC11) against an independent axiomatic oracle, a catalogue of
//!   classic litmus tests with their verdicts, and GenMC's recorded execution counts;
//! * `races`: data races on `check::cell::UnsafeCell` against an enumerator of every
//!   interleaving that uses the adjacency definition of a race.
#![cfg(not(loom))]

mod differential;
mod litmus;
mod races;
