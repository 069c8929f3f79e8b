//! The teaching layer: the tutorial's programs and the classic mistakes as scenarios, every
//! interleaving of their steps, replays of a learner's schedule, real-thread runs.
//!
//! * [`catalogue`], [`sizes`], [`lessons`], [`bodies`], [`outcome`]: the scenarios — what
//!   they are, how large they may be, what they are meant to do, their code, how they end;
//! * [`explore`](mod@explore): every interleaving of a scenario's marked steps, on racelab's engine;
//! * [`replay`](mod@replay): be the scheduler;
//! * [`tree`]: every choice of thread at every point of a run, as the engine answers it;
//! * [`stress`]: real threads, many trials;
//! * [`demo`]: the tutorial's programs with CPython's exact output;

pub mod bodies;
pub mod catalogue;
pub mod challenge;
pub mod demo;
pub mod explore;
pub mod lessons;
pub mod outcome;
pub mod python;
pub mod replay;
pub mod sizes;
pub mod stress;
pub mod tree;

pub use catalogue::Params;
pub use catalogue::{Kind, Scenario};
pub use explore::{Exploration, explore};
pub use outcome::EndState;
pub use replay::{parse_schedule, replay};
pub use sizes::TooLarge;
