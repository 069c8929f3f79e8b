//! A library written for the drop-in pattern (`examples/drop_in/`): its primitives come from
//! one `sync` facade, `std` when shipped and `racelab::check` when checked.
//! `checked/clippy.toml` forbids std's `Mutex`, `RwLock` and `mpsc::Sender`; run on the
//! checked build, clippy then rejects any code that names them directly, which a check
//! could not see (it is in its own folder, not next to `Cargo.toml`, so that plain
//! `cargo clippy` on the shipped build, where the facade *is* std, does not use it):
//!
//! ```sh
//! export CLIPPY_CONF_DIR=checked RUSTFLAGS="--cfg racelab_check"
//! cargo clippy -- -D warnings                     # passes
//! cargo clippy --features mistake -- -D warnings  # rejected: std::sync::Mutex in cache()
//! ```

/// The one place that picks the primitives (std's are allowed here, and only here).
#[allow(clippy::disallowed_types)]
mod sync {
    #[cfg(not(racelab_check))]
    pub use std::sync::{Arc, Mutex};

    #[cfg(racelab_check)]
    pub use racelab::check::sync::{Arc, Mutex};
}

/// A counter shared through the facade: a check sees every lock.
pub fn shared_counter() -> sync::Arc<sync::Mutex<u64>> {
    sync::Arc::new(sync::Mutex::new(0))
}

/// Adds one under the counter's lock.
pub fn increment(counter: &sync::Mutex<u64>) {
    *counter.lock().unwrap_or_else(|e| e.into_inner()) += 1;
}

/// The mistake the guard catches: a lock taken from `std` directly, bypassing the facade, so
/// that a check would run it as an unmodelled std lock.
#[cfg(feature = "mistake")]
pub fn cache() -> std::sync::Mutex<Vec<u64>> {
    std::sync::Mutex::new(Vec::new())
}
