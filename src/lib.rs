//! # racelab
//!
//! The lost update, locks and task queues of a classic Python threading tutorial, in Rust,
//! with proofs: the same small core runs on real threads, under the loom and shuttle model
//! checkers, and under proptest- and fuzzer-chosen schedules.
//!
//! * [`counter`]: the tutorial's `database_value`, incremented without a lock (races),
//!   with a [`lock::Lock`] (exact) and atomically (exact).
//! * [`lock`]: Python's `threading.Lock`.
//! * [`queue`]: Python's `queue.Queue` (3.13, with `shutdown`) as [`queue::TaskQueue`].
//! * [`pool`]: the tutorial's pool of named workers draining a queue.
//! * [`explore`]: the same four modules on shuttle's primitives, and the explorer that
//!   runs them over every interleaving of their visible steps ([`explore::explorer`]),
//!   replays a learner's schedule ([`explore::replay`]) or checks your own counter
//!   ([`explore::yours`]).
//! * [`demo`], [`tour`], [`stress`], [`report`]: the tutorial's programs with CPython's
//!   exact output, the guided tour, real-thread runs, and the tables, traces and JSON.
//! * `data_race` (only under `--cfg loom`): the tutorial's program with a plain integer,
//!   the data race that safe Rust refuses to compile and loom reports.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::explore::explorer::explore;
//! use racelab::explore::scenarios::{Kind, Outcome, Params, Scenario};
//!
//! // Every interleaving of two unlocked increments: 6, and 4 of them lose an update.
//! let scenario = Scenario::new(Kind::CounterUnlocked, Params::default()).unwrap();
//! let exploration = explore(scenario).unwrap();
//! assert_eq!(exploration.interleavings, 6);
//! assert_eq!(exploration.witnesses[0].outcome, Outcome::Value(1));
//! ```
//!
//! The core never names `std::sync`, `loom` or `shuttle`: it imports its primitives from a
//! facade (`src/sync.rs`) that picks std, or loom under `RUSTFLAGS="--cfg loom"`.
#![warn(missing_docs)]

mod sync;

/// Whether this library was built with `--cfg loom`. Doc examples start with a hidden
/// `if racelab::UNDER_LOOM { return; }`: rustdoc compiles examples without the library's
/// `RUSTFLAGS`, so an example cannot tell by itself that the library it links to is the
/// loom build, whose primitives only work inside `loom::model`.
#[doc(hidden)]
pub const UNDER_LOOM: bool = cfg!(loom);

pub mod counter;
#[cfg(loom)]
pub mod data_race;
pub mod error;
pub mod lock;
pub mod pause;
pub mod pool;
pub mod queue;
pub mod step;

pub mod demo;
pub mod explore;
pub mod report;
pub mod stress;
pub mod tour;
