//! `Condvar`, shaped like `std::sync::Condvar`.
//!
//! `wait` is three steps, each a switch point: **wait** (release the mutex and start
//! waiting, at once), **wake** (possible only once a notify has picked this thread), and
//! taking the mutex again (a `lock`, which may have to wait). A `notify_one` lets any one of
//! the threads waiting at that moment wake, and the checker tries each of them; a notify when
//! nobody waits is lost, as in every real implementation. Waits never wake spuriously and
//! never time out (`wait_timeout` waits for a notify like `wait`): a checker has no clock.
//!
//! The bookkeeping of who may wake follows shuttle's own condition variable: each
//! `notify_one` is an *epoch* that any thread waiting at that moment may consume; the first
//! to wake consumes it, and a waiter left with no epoch to consume waits again.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, LockResult, PoisonError};
use std::time::Duration;

use shuttle_engine::runtime::task::TaskId;

use super::mutex::MutexGuard;
use crate::check::rt::engine::{ObjKind, ObjMeta};
use crate::check::rt::op::Op;
use crate::check::rt::trace::Detail;
use crate::check::rt::{self};

#[derive(Debug, PartialEq, Eq)]
enum Status {
    Waiting,
    /// Notified by these `notify_one` epochs (oldest first).
    Signal(VecDeque<usize>),
    /// Notified by a `notify_all`.
    Broadcast,
}

#[derive(Debug, Default)]
struct CondvarState {
    waiters: Vec<(TaskId, Status)>,
    next_epoch: usize,
}

/// The shared part of a condition variable: who waits, and who may wake.
#[derive(Debug)]
pub(crate) struct CondvarCore {
    meta: ObjMeta,
    state: std::sync::Mutex<CondvarState>,
    /// Its waits and wake-ups are not steps of their own when only marked steps switch
    /// threads (see [`Condvar::inner_workings`]).
    inner: bool,
}

impl CondvarCore {
    fn state(&self) -> std::sync::MutexGuard<'_, CondvarState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn meta(&self) -> &ObjMeta {
        &self.meta
    }

    /// Whether `task` waits here and has been notified.
    pub(crate) fn is_signalled(&self, task: usize) -> bool {
        self.state()
            .waiters
            .iter()
            .any(|(t, status)| usize::from(*t) == task && *status != Status::Waiting)
    }

    /// Whether its operations are kept out of the marked steps.
    pub(crate) fn is_inner(&self) -> bool {
        self.inner
    }

    /// Whether some thread waits here (notified or not).
    pub(crate) fn has_waiters(&self) -> bool {
        !self.state().waiters.is_empty()
    }

    /// Consumes the notification that lets `me` wake; `false` if it has none (it must wait
    /// on). Other waiters left with nothing to consume wait again.
    fn consume(&self, me: TaskId) -> bool {
        let mut state = self.state();
        let Some(i) = state.waiters.iter().position(|(t, _)| *t == me) else {
            return true;
        };
        match &mut state.waiters[i].1 {
            Status::Waiting => return false,
            Status::Broadcast => {}
            Status::Signal(epochs) => {
                let epoch = epochs.pop_front().expect("a signal has an epoch");
                for (task, status) in state.waiters.iter_mut() {
                    if let Status::Signal(epochs) = status {
                        if let Some(j) = epochs.iter().position(|e| *e == epoch) {
                            epochs.remove(j);
                            if epochs.is_empty() {
                                *status = Status::Waiting;
                                rt::reblock(*task);
                            }
                        }
                    }
                }
            }
        }
        state.waiters.retain(|(t, _)| *t != me);
        true
    }
}

/// A condition variable (see the module docs).
pub struct Condvar {
    core: Arc<CondvarCore>,
}

/// Whether a timed wait timed out (under a checker it never does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// Whether the wait timed out.
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    /// A condition variable nobody waits on.
    pub fn new() -> Self {
        Condvar {
            core: Arc::new(CondvarCore {
                meta: ObjMeta::new(ObjKind::Condvar),
                state: std::sync::Mutex::new(CondvarState::default()),
                inner: false,
            }),
        }
    }

    /// Names the condition variable in traces and reports (otherwise `condvar#1`, ...).
    pub fn named(mut self, name: &'static str) -> Self {
        if let Some(core) = Arc::get_mut(&mut self.core) {
            core.meta.set_name(name);
        }
        self
    }

    /// Marks this condition variable as the inner workings of something that reports steps of
    /// its own (racelab's `Lock` reports "acquire", not its waits): under a check that
    /// switches only at marked steps, its operations are not steps. Under every other check
    /// they are switch points like any other.
    pub fn inner_workings(mut self) -> Self {
        if let Some(core) = Arc::get_mut(&mut self.core) {
            core.inner = true;
        }
        self
    }

    /// Releases the guard's mutex and waits for a notify, then takes the mutex again.
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        rt::require_execution("Condvar::wait");
        let mutex_core = Arc::clone(guard.mutex().core());
        rt::op(Op::Wait {
            cv: Arc::clone(&self.core),
            mutex: Arc::clone(&mutex_core),
        });
        let mutex = guard.release_in_step();
        let me = rt::me();
        self.core.state().waiters.push((me, Status::Waiting));
        loop {
            rt::block(Op::Wake {
                cv: Arc::clone(&self.core),
                mutex: Arc::clone(&mutex_core),
            });
            if self.core.consume(me) {
                break;
            }
        }
        mutex.lock()
    }

    /// Waits while `condition` holds (it is checked again after every wake-up).
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Like [`wait`](Self::wait): a checker has no clock, so it never times out.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        match self.wait(guard) {
            Ok(guard) => Ok((guard, WaitTimeoutResult(false))),
            Err(poisoned) => Err(PoisonError::new((
                poisoned.into_inner(),
                WaitTimeoutResult(false),
            ))),
        }
    }

    /// Lets one of the threads waiting now wake (the checker tries each of them).
    #[track_caller]
    pub fn notify_one(&self) {
        self.notify(false);
    }

    /// Lets every thread waiting now wake.
    #[track_caller]
    pub fn notify_all(&self) {
        self.notify(true);
    }

    #[track_caller]
    fn notify(&self, all: bool) {
        rt::require_execution("Condvar::notify");
        rt::op(Op::Notify {
            cv: Arc::clone(&self.core),
            all,
        });
        let mut state = self.core.state();
        let epoch = state.next_epoch;
        state.next_epoch += 1;
        for (task, status) in state.waiters.iter_mut() {
            match status {
                _ if all => *status = Status::Broadcast,
                Status::Waiting => *status = Status::Signal(VecDeque::from([epoch])),
                Status::Signal(epochs) => epochs.push_back(epoch),
                Status::Broadcast => {}
            }
            rt::unblock(*task);
        }
        let waiting = state.waiters.len();
        drop(state);
        rt::detail(Detail::Woke(waiting));
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar")
            .field("waiters", &self.core.state().waiters.len())
            .finish()
    }
}
