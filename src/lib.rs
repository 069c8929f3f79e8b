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
//! * [`check`]: check your own concurrent code: racelab's primitives ([`check::sync`],
//!   [`check::thread`]), one engine that explores every execution that can make a difference
//!   (TruSt over execution graphs, under SC or RC11), the outcome table with a witness per
//!   forbidden outcome and the coverage, and contracts for your own counter, lock, queue
//!   and pool ([`check::contracts`]).
//! * [`checked`]: the same four core modules compiled on racelab's primitives, so that the
//!   checkers run the real core.
//! * [`teach`]: the tutorial's programs and the classic mistakes as scenarios: every
//!   interleaving of their steps, replays of a learner's schedule, real-thread stress runs,
//!   the tour.
//! * `render` and `measure` (with the default `cli` feature): text tables, traces, JSON and
//!   HTML pages; measurements next to CPython.
//! * `data_race` (only under `--cfg loom`): the tutorial's program with a plain integer,
//!   the data race that safe Rust refuses to compile and loom reports.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::teach::{EndState, Kind, Params, Scenario, explore};
//!
//! // Every interleaving of two unlocked increments: 6, and 4 of them lose an update.
//! let scenario = Scenario::new(Kind::CounterUnlocked, Params::default()).unwrap();
//! let exploration = explore(scenario).unwrap();
//! assert_eq!(exploration.interleavings, 6);
//! assert_eq!(exploration.witnesses[0].outcome, EndState::Value(1));
//! ```
//!
//! The core never names `std::sync`, `loom` or `shuttle`: it imports its primitives from a
//! facade (`src/sync.rs`) that picks std, or loom under `RUSTFLAGS="--cfg loom"`. The layers
//! and their invariants: `ARCHITECTURE.md`.
#![warn(missing_docs)]

mod sync;
mod words;

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

pub mod check;
pub mod checked;
#[cfg(all(feature = "cli", not(loom)))]
pub mod measure;
#[cfg(feature = "cli")]
pub mod render;
pub mod teach;
