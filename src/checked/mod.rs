//! The same core, compiled a second time on racelab's model-checking primitives.
//!
//! Model checkers must run under a plain `cargo test`, side by side with the std build that
//! the demos and real-thread tests use. The core files (`counter.rs`, `lock.rs`, `queue.rs`,
//! `pool.rs`) are therefore included here again with `#[path]`; they import their
//! primitives from `super::sync`, which at the crate root is the std/loom facade and here is
//! [`sync`](self) — racelab's own ([`crate::check::sync`]), which run under racelab's engine
//! and under any plain shuttle scheduler. One source, two instances:
//! `racelab::counter::Counter` runs on real threads, `racelab::checked::counter::Counter`
//! under a checker. The types are distinct, so they cannot be mixed up.
//!
//! Why not the alternatives: a cargo feature swapping the facade cannot coexist with the std
//! build in one `cargo test` (and users type plain `cargo test`); making the core generic
//! over a backend trait needs generic guards and condvars that bury the three-line lessons
//! under type parameters.
//!
//! The error, pause and step types are shared by both instances (`crate::error`, ...).

// Loading the core files twice is the point of this module (see above).
#![allow(clippy::duplicate_mod)]

mod sync;

#[path = "../counter.rs"]
pub mod counter;
#[path = "../lock.rs"]
pub mod lock;
#[path = "../pool.rs"]
pub mod pool;
#[path = "../queue.rs"]
pub mod queue;

pub mod choice;
mod contracts;
pub mod scenario;
pub mod specs;
pub mod trace;

/// shuttle itself, for driving the core with shuttle's own schedulers.
pub use shuttle;

pub use choice::ChoiceScheduler;
