//! The shared programs (`interp.rs`, `programs.rs`) on loom's primitives:
//! `loom::{sync, thread}`.

pub use loom::sync;
pub use loom::thread;

#[path = "interp.rs"]
pub mod interp;
#[path = "programs.rs"]
pub mod programs;
