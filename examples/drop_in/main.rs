//! Ship and check the same source, the way tokio does it for loom: the library names its
//! primitives through one `sync` module, which is `std` in the shipped build and
//! `racelab::check` when the crate is built with `--cfg racelab_check`. Nothing else in
//! the library knows which one runs.
//!
//! ```sh
//! cargo run --example drop_in                                    # std: real threads
//! RUSTFLAGS="--cfg racelab_check" cargo run --example drop_in    # racelab: every order
//! ```
//!
//! (`tests/check/drop_in.rs` includes `bank.rs` under racelab's primitives without the
//! flag, so `cargo test` checks the same source.) In a crate of your own, declare the flag
//! for rustc's `unexpected_cfgs` lint: `[lints.rust] unexpected_cfgs = { level = "warn",
//! check-cfg = ['cfg(racelab_check)'] }`, and keep `racelab` a dev-dependency.

/// The one place that picks the primitives.
mod sync {
    #[cfg(not(racelab_check))]
    pub use std::sync::{Arc, Mutex};

    #[cfg(racelab_check)]
    pub use racelab::check::sync::{Arc, Mutex};
}

#[cfg(not(racelab_check))]
use std::thread;

#[cfg(racelab_check)]
use racelab::check::thread;

mod bank;

#[cfg(not(racelab_check))]
fn main() {
    // On real threads the race is rare: 1,000 runs show it a few times at most.
    let wrapped = (0..1_000)
        .filter(|_| bank::two_withdrawals(false) > 100)
        .count();
    println!(
        "std, 1,000 runs of two withdrawals of 80 from 100: the balance wrapped below zero \
         in {wrapped}. Build with RUSTFLAGS=\"--cfg racelab_check\" to check every order."
    );
}

#[cfg(racelab_check)]
fn main() {
    for fixed in [false, true] {
        let report = racelab::check::check(move || bank::two_withdrawals(fixed))
            .name(if fixed { "withdraw_fixed" } else { "withdraw" })
            .expect(|&balance| balance <= 100)
            .run();
        println!("{report}");
    }
}
