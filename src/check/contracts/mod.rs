//! Contracts: a trait you implement for your own counter, lock, queue or pool, and one
//! function that checks it against what such a thing must do, over every schedule that can
//! make a difference.
//!
//! * [`counter`]: N threads × K increments end at N·K;
//! * [`lock`]: mutual exclusion, no deadlock or lost wake-up, release of an unlocked lock
//!   is an error;
//! * [`queue`]: `queue.Queue`'s contract: every item got exactly once, in order, `join`
//!   only after the last `task_done`, blocked getters woken by `shutdown`;
//! * [`pool`]: every task handled exactly once before `join` returns, and a clean stop.

pub mod counter;
