//! The shared programs (`interp.rs`, `programs.rs`) on racelab's primitives:
//! `racelab::check::{sync, thread}`.

pub use racelab::check::sync;
pub use racelab::check::thread;

#[path = "interp.rs"]
pub mod interp;
#[path = "programs.rs"]
pub mod programs;
