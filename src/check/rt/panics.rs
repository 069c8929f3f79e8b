//! Panics inside racelab runs: a panic there is an outcome, which racelab reports itself, so
//! the process's panic hook keeps quiet on the runner's OS thread and notes the message with
//! its place instead.

use std::cell::Cell;
use std::panic;
use std::sync::Once;

use crate::words::panic_message;

/// The message of the last panic inside a racelab run, with its place, if one was noted.
pub(crate) fn take_last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.take())
}

thread_local! {
    /// Set while a racelab run is on this OS thread: panics there are outcomes, reported by
    /// racelab, so the hook keeps quiet and notes the message with its place.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    pub(crate) static LAST_PANIC: Cell<Option<String>> = const { Cell::new(None) };
}

/// Keeps the panic hook quiet on this OS thread while it lives.
pub(crate) struct Quiet;

impl Quiet {
    pub(crate) fn new() -> Self {
        QUIET.with(|q| q.set(true));
        Quiet
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}

/// Wraps the process's panic hook so that panics inside racelab runs are noted instead of
/// printed, and so that panics outside any shuttle execution go to the hook that was there
/// before shuttle's (shuttle's own prints a "failing schedule" for every panic).
pub(crate) fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let original = panic::take_hook();
        // shuttle installs its hook at its first execution, wrapping the current one: give it
        // a silent one to wrap, so that we can call each where it belongs.
        panic::set_hook(Box::new(|_| {}));
        let mut config = shuttle::Config::new();
        config.silence_warnings = true;
        shuttle::Runner::new(
            shuttle::scheduler::RandomScheduler::new_from_seed(0, 1),
            config,
        )
        .run(|| {});
        let shuttles = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let message = panic_message(info.payload());
                let text = match info.location() {
                    Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
                    None => message,
                };
                LAST_PANIC.with(|p| p.set(Some(text)));
            } else if super::in_execution() {
                shuttles(info); // a plain shuttle test's failure: shuttle reports it...
                original(info); // ...and the original hook prints the panic
            } else {
                original(info);
            }
        }));
    });
}
