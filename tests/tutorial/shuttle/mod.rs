//! shuttle over the core compiled on shuttle's primitives (`racelab::checked`).

mod counter;
mod pool;
mod smoke;
