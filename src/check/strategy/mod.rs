//! Strategies: who runs next at each decision point. One strategy a file, like shuttle's
//! schedulers; all of them drive the same engine ([`crate::check::rt`]), so every one of
//! them sees the same operations, detects the same deadlocks and records the same traces.
//!
//! * [`every_order`]: every order of every operation (and every choice of which waiter a
//!   notify wakes), with no reduction: the brute-force baseline;
//! * [`steps`]: exhaustive at marked steps only, one execution per distinct interleaving of
//!   the steps: the exact counts of the teaching tables, for code whose shared state is all
//!   marked;
//! * [`pos`], [`random`] and [`pct`]: sampled schedules with a seed (partial-order aware,
//!   uniform, priority-based), to find bugs fast and for what is too large to explore;
//! * [`follow`]: a schedule a learner types, step by step.

pub(crate) mod every_order;
pub(crate) mod follow;
pub(crate) mod guided;
pub(crate) mod pct;
pub(crate) mod pos;
pub(crate) mod probe;
pub(crate) mod random;
pub(crate) mod steps;

pub(crate) use super::rt::strategy::{Point, Strategy};
