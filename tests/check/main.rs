//! `racelab::check` through its public API, as one test binary (the search against
//! independent oracles is the `oracles` binary, `tests/oracles/`):
//!
//! * `architecture`: the layers of ARCHITECTURE.md hold in `src/`;
//! * `engine`: bugs the checker must find and correct code it must pass;
//! * `endings`: reports that fit the cause (threads left blocked, lock cycles), std's
//!   thread promises (stack size, thread-locals);
//! * `drop_in`: the cfg-facade pattern of `examples/drop_in/`, its library source checked;
//! * `corpus` (+ `corpus/`): learners' buggy counters, locks, queues and pools, each caught;
//! * `contracts`, `linearizability`: the contract and linearizability checkers;
//! * `outside`: what racelab does not model fails clearly (the stall watchdog);
//! * `progress`: a check's progress and the estimate of its size;
//! * `races`: data races on `check::cell::UnsafeCell`, found and told apart from the
//!   accesses a mutex, spawn, join or synchronising atomic orders;
//! * `weak`: the weak-memory bug classes (message passing, double-checked locking, store
//!   buffering, a reference count, a seqlock) caught under RC11, and their fixes;
//! * `std_surface/`: mpsc, `RwLock`, `Barrier`, `Once`, `OnceLock`, `LazyLock` and `Weak`
//!   against `std` (the same programs on real threads and checked), with a bug racelab must
//!   find with each;
//! * `jobs`: the exhaustive search shared by several parallel jobs (compared with one job
//!   on generated programs in `oracles`);
//! * `statics`: objects that outlive an execution, and what the coverage then says.
#![cfg(not(loom))]

mod architecture;
mod checkpoint;
mod contracts;
mod corpus;
mod drop_in;
mod endings;
mod engine;
mod jobs;
mod linearizability;
mod outside;
mod progress;
mod races;
mod shards;
mod statics;
mod std_surface;
mod weak;
