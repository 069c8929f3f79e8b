//! The pause between reading and writing `database_value`.
//!
//! The tutorial sleeps 0.1 s between `local_copy = database_value` and
//! `database_value = local_copy`. That pause is the *window* in which another thread can
//! read the same old value. Making it injectable lets one piece of code serve every way
//! of looking at the race:
//!
//! * [`Pause::Sleep`] replays the tutorial on real threads (timing-dependent, like Python);
//! * [`Pause::Yield`] is a scheduling point for model checkers (loom, shuttle), which
//!   have no clock;
//! * [`Pause::Hook`] runs any closure, e.g. a `std::sync::Barrier` that makes both threads
//!   read before either writes: the lost update every time, not by luck;
//! * [`Pause::None`] is the window a real CPU leaves on its own (used by stress runs).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What a thread does between its read and its write (see the module docs).
#[derive(Clone, Default)]
pub enum Pause {
    /// No pause at all.
    #[default]
    None,
    /// Give other threads a chance to run (`yield_now` of the backend).
    Yield,
    /// Sleep (a yield under loom and shuttle, which have no clock).
    Sleep(Duration),
    /// Run a closure, e.g. wait on a barrier.
    Hook(Arc<dyn Fn() + Send + Sync>),
}

impl Pause {
    /// A pause that runs `f`.
    pub fn hook(f: impl Fn() + Send + Sync + 'static) -> Self {
        Pause::Hook(Arc::new(f))
    }

    /// The tutorial's `time.sleep(0.1)`.
    pub fn tutorial() -> Self {
        Pause::Sleep(Duration::from_millis(100))
    }
}

impl fmt::Debug for Pause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pause::None => f.write_str("None"),
            Pause::Yield => f.write_str("Yield"),
            Pause::Sleep(d) => f.debug_tuple("Sleep").field(d).finish(),
            Pause::Hook(_) => f.write_str("Hook(..)"),
        }
    }
}
