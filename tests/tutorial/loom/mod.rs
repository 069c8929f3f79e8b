//! loom, exhaustive, over the core compiled on loom's primitives (`--cfg loom` only).

mod counter;
mod data_race;
mod lock;
mod queue;
mod smoke;
