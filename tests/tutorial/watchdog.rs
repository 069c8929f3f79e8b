//! A deadline for a test binary whose tests block on real threads.
//!
//! A lost wake-up or a deadlock in the core would otherwise hang `cargo test` until an
//! outer timeout (CI's, or each cargo-mutants mutant's). The first test that calls [`arm`]
//! starts a thread that ends the process with a message once the binary has run for
//! `RACELAB_WATCHDOG_SECS` seconds (default 120; the tests take about a second). It says
//! nothing about speed: a correct core finishes far inside any deadline, and a hang fails
//! fast and by name instead of by a wall-clock limit. Off under Miri, whose threads run
//! many times slower.

use std::sync::Once;
use std::time::Duration;

/// The deadline, in seconds (`RACELAB_WATCHDOG_SECS`, default 120).
pub fn secs() -> u64 {
    std::env::var("RACELAB_WATCHDOG_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120)
}

/// Starts the watchdog (once per process).
pub fn arm() {
    if cfg!(miri) {
        return;
    }
    static START: Once = Once::new();
    START.call_once(|| {
        let secs = secs();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(secs));
            eprintln!(
                "watchdog: this test binary is still running after {secs} s; a thread is \
                 blocked forever (a deadlock or a lost wake-up in the core?). \
                 RACELAB_WATCHDOG_SECS sets the limit."
            );
            std::process::exit(101);
        });
    });
}
