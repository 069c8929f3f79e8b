//! The tutorial's core — counter, `Lock`, `TaskQueue`, `WorkerPool` — on every backend it
//! runs on, as one test binary:
//!
//! * `api`, `threads`, `conformance`, `workloads`: std, on real threads (schedules forced
//!   with barriers and hand-offs; the oracle's conformance items; proptest over workloads);
//! * `shuttle/`, `schedules`: the same code compiled on shuttle's primitives (random, PCT
//!   and DFS schedules; proptest choosing the schedule);
//! * `loom/`: the same code on loom's primitives, exhaustively — only under
//!   `RUSTFLAGS="--cfg loom" cargo test --test tutorial` (every other module is compiled
//!   out then, and the loom modules are compiled out otherwise).
//!
//! `watchdog` ends the binary by name if a real thread blocks forever.

mod api;
mod conformance;
mod loom;
mod schedules;
mod shuttle;
mod threads;
mod watchdog;
mod workloads;
