//! What std allows to happen spuriously and a check explores only when asked: wake-ups of
//! `Condvar::wait` and `park` (`Check::spurious_wakeups`), and failures of
//! `compare_exchange_weak` (`Check::spurious_failures`).
//!
//! A spurious failure is a choice of the thread alone: a weak `compare_exchange` that read
//! its expected value may succeed, or fail as if it had read something else. The search
//! explores it as one more way to add the read (a read of the same write that fails,
//! [`crate::check::search::trust`]); the random strategies draw it and the search without
//! reduction explores it (`Strategy::fail_spuriously`; replays of a schedule, as in
//! shrinking, and probes never fail spuriously). Each thread's failures are bounded
//! (`Spurious::failures`), or a retry loop would never end; the bound is counted along the
//! thread's own program order, which every graph the search builds keeps whole before an
//! event, so whether a read may still fail does not depend on the rest of the graph. A turn
//! of a spin or polling loop with a spurious failure is never taken for a repeat
//! (`rt::spin`, `rt::timeout`): the next may go otherwise.
//!
//! A spurious wake-up (`Check::spurious_wakeups`) is the "timeout" of a wait's wake
//! (`ReadKind::TimedWake` with `spurious`, see `rt::timeout`): it may come at any moment
//! while the thread is a waiter. std allows it and never promises it, so such a wait may
//! also **never wake** unless a notify takes it out of the waiter set. The search explores
//! that as one more alternative of the wake's read, as for a spurious failure: where the
//! wake would read a waiter set that still holds its thread, a twin of the read that
//! waits for ever (`forever`: it writes nothing, the thread blocks and stays a waiter) is
//! pushed, never added maximally, so never revisited nor deleted by a backward revisit;
//! the strategies draw it (`Strategy::fail_spuriously`). An execution that ends with such
//! a thread taken out of the waiter set by a later notify is redundant (std's wait would
//! have returned: the other alternative has it woken by that notify) and is dropped
//! (`blocked::notified_for_ever`), so every execution is still run once. Before this, a
//! lone `wait` nobody notifies was only ever explored waking spuriously: the deadlock std
//! allows was missed.
//!
//! It also holds the limit of wake-ups without a notify (`Check::wakeups_without_notify`):
//! a bound, not a spurious behaviour, but one the search, checkpoints and merged parts must
//! agree on just the same (`rt::timeout` applies it).

use super::graph::{Ev, Graph, Label, ReadKind};

/// The spurious behaviour a check explores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Spurious {
    /// Whether `Condvar::wait` and `park` may wake spuriously (`Check::spurious_wakeups`).
    pub(crate) wakeups: bool,
    /// How many times each thread's `compare_exchange_weak` may fail spuriously
    /// (`Check::spurious_failures`; 0: never).
    pub(crate) failures: u32,
    /// How many times each thread may wake without a notify: a timed wait that times out
    /// or a wait that wakes spuriously (`Check::wakeups_without_notify`; `None`: no limit).
    pub(crate) wakeup_limit: Option<u32>,
}

impl std::fmt::Display for Spurious {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.wakeups, self.failures) {
            (false, 0) => f.write_str("no spurious wake-ups or failures"),
            (true, 0) => f.write_str("spurious wake-ups"),
            (false, n) => write!(f, "spurious failures ({n} per thread)"),
            (true, n) => write!(f, "spurious wake-ups and failures ({n} per thread)"),
        }?;
        match self.wakeup_limit {
            None => Ok(()),
            Some(n) => write!(f, ", at most {n} wake-ups without a notify per thread"),
        }
    }
}

/// Whether read `r` of `g`, reading `value`, may fail spuriously instead: a weak
/// `compare_exchange` that would succeed, in a thread with spurious failures left.
pub(crate) fn may_fail(g: &Graph, r: Ev, value: u64) -> bool {
    let Label::Read {
        kind:
            ReadKind::Cas {
                expected,
                spurious_limit,
                spurious: false,
                ..
            },
        ..
    } = *g.label(r)
    else {
        return false;
    };
    expected == value && failures_before(g, r) < spurious_limit
}

/// How many of `r`'s thread's reads before `r` failed spuriously.
fn failures_before(g: &Graph, r: Ev) -> u32 {
    (0..r.index)
        .filter(|&i| match g.label(Ev::new(r.thread, i)) {
            Label::Read { kind, .. } => kind.failed_spuriously(),
            _ => false,
        })
        .count() as u32
}

/// Whether read `r` of `g`, reading the waiter set `value`, is the wake of a wait that may
/// wake spuriously and may also never wake: a notify has not taken its thread out of the
/// set (then it wakes, as std's wait must).
pub(crate) fn may_wait_for_ever(g: &Graph, r: Ev, value: u64) -> bool {
    matches!(
        g.label(r),
        Label::Read {
            kind: ReadKind::TimedWake {
                spurious: true,
                forever: false,
            },
            ..
        }
    ) && value >> r.thread & 1 == 1
}

/// Gives read `r` of `g` its spurious alternative, or takes it back: a weak
/// `compare_exchange` fails spuriously; the wake of a wait that may wake spuriously never
/// comes (the thread waits for ever).
pub(crate) fn set_failed(g: &mut Graph, r: Ev, failed: bool) {
    match &mut g.event_mut(r).label {
        Label::Read {
            kind: ReadKind::Cas { spurious, .. },
            ..
        } => *spurious = failed,
        Label::Read {
            kind: ReadKind::TimedWake { forever, .. },
            ..
        } => *forever = failed,
        _ => {}
    }
}
