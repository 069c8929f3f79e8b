//! The drop-in pattern of `examples/drop_in/`: the library source `bank.rs`, written against
//! a `sync` facade, is included here with racelab's primitives behind the facade, and
//! checked — the same file the example ships on `std`.

mod sync {
    pub use racelab::check::sync::{Arc, Mutex};
}
use racelab::check::thread;

#[path = "../../examples/drop_in/bank.rs"]
mod bank;

use racelab::check::{Ending, check};

#[test]
fn the_shipped_source_is_checked_unchanged() {
    let buggy = check(|| bank::two_withdrawals(false))
        .expect(|&balance| balance <= 100)
        .run();
    assert!(!buggy.passed(), "{buggy}");
    assert!(buggy.coverage.is_exhaustive());
    let wrapped = u64::MAX - 59; // 100 - 80 - 80, wrapped
    assert!(
        buggy.witness(&Ending::Returned(wrapped)).is_some(),
        "{buggy}"
    );
    let fixed = check(|| bank::two_withdrawals(true))
        .expect(|&balance| balance <= 100)
        .run();
    assert!(fixed.passed(), "{fixed}");
    assert!(fixed.coverage.is_exhaustive());
    assert_eq!(fixed.endings().collect::<Vec<_>>(), [&Ending::Returned(20)]);
}

/// The clippy configuration README shows is the one `ci/check.sh` runs on
/// `examples/guard/` (where it rejects `std::sync::Mutex` in the checked build).
#[test]
fn the_readmes_clippy_guard_is_the_one_ci_runs() {
    let readme = include_str!("../../README.md");
    let guard = include_str!("../../examples/guard/checked/clippy.toml");
    assert!(guard.contains("std::sync::Mutex"));
    assert!(
        readme.contains(guard.trim_end()),
        "README's disallowed-types block differs from examples/guard/checked/clippy.toml"
    );
}
