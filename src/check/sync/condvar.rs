//! `Condvar`, shaped like `std::sync::Condvar`.
//!
//! `wait` is three steps, each a switch point: **wait** (become a waiter and release the
//! mutex, at once), **wake** (possible only once a notify has picked this thread), and
//! taking the mutex again (a `lock`, which may have to wait). A `notify_one` picks one of the
//! threads waiting at that moment, and the checker tries each of them; a notify when nobody
//! waits is lost, as in every real implementation. Waits never wake spuriously and never
//! time out (`wait_timeout` waits for a notify like `wait`): a checker has no clock. Both are
//! named in every report's coverage.
//!
//! Under a plain shuttle scheduler the bookkeeping follows shuttle's own condition variable:
//! each `notify_one` is an *epoch* that any thread waiting at that moment may consume; the
//! first to wake consumes it, and a waiter left with no epoch to consume waits again.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

use shuttle_engine::runtime::task::TaskId;

use super::mutex::MutexGuard;
use crate::check::rt::graph::LocKind;
use crate::check::rt::objects::ObjMeta;
use crate::check::rt::op::{Obj, Op};
use crate::check::rt::{self};

#[derive(Debug, PartialEq, Eq)]
enum Status {
    Waiting,
    /// Notified by these `notify_one` epochs (oldest first).
    Signal(VecDeque<usize>),
    /// Notified by a `notify_all`.
    Broadcast,
}

/// Who waits, and who may wake, under a plain shuttle scheduler.
#[derive(Debug)]
struct Plain {
    waiters: Vec<(TaskId, Status)>,
    next_epoch: usize,
}

/// A condition variable (see the module docs).
pub struct Condvar {
    meta: ObjMeta,
    plain: std::sync::Mutex<Plain>,
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
    pub const fn new() -> Self {
        Condvar {
            meta: ObjMeta::new(LocKind::Condvar),
            plain: std::sync::Mutex::new(Plain {
                waiters: Vec::new(),
                next_epoch: 0,
            }),
        }
    }

    /// Names the condition variable in traces and reports (otherwise `condvar#1`, ...).
    pub fn named(mut self, name: &'static str) -> Self {
        self.meta.set_name(name);
        self
    }

    /// Marks this condition variable as the inner workings of something that reports steps of
    /// its own (racelab's `Lock` reports "acquire", not its waits): under a check that
    /// switches only at marked steps, its operations are not steps. Under every other check
    /// they are switch points like any other.
    pub fn inner_workings(mut self) -> Self {
        self.meta.set_inner();
        self
    }

    fn obj(&self) -> Obj {
        Obj::new(&self.meta)
    }

    fn plain(&self) -> std::sync::MutexGuard<'_, Plain> {
        self.plain.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Releases the guard's mutex and waits for a notify, then takes the mutex again.
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        rt::require_execution("Condvar::wait");
        if rt::has_engine() {
            let mutex = guard.mutex();
            rt::op(Op::Wait {
                cv: self.obj(),
                mutex: mutex.obj(),
            });
            let mutex = guard.into_mutex();
            rt::op(Op::Wake {
                cv: self.obj(),
                mutex: mutex.obj(),
            });
            return mutex.lock();
        }
        shuttle_engine::runtime::thread::switch();
        let mutex = guard.release_plain();
        let me = rt::me();
        self.plain().waiters.push((me, Status::Waiting));
        loop {
            rt::block();
            if self.consume(me) {
                break;
            }
        }
        mutex.lock()
    }

    /// Consumes the notification that lets `me` wake; `false` if it has none (it must wait
    /// on). Other waiters left with nothing to consume wait again.
    fn consume(&self, me: TaskId) -> bool {
        let mut plain = self.plain();
        let Some(i) = plain.waiters.iter().position(|(t, _)| *t == me) else {
            return true;
        };
        match &mut plain.waiters[i].1 {
            Status::Waiting => return false,
            Status::Broadcast => {}
            Status::Signal(epochs) => {
                let epoch = epochs.pop_front().expect("a signal has an epoch");
                for (task, status) in plain.waiters.iter_mut() {
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
        plain.waiters.retain(|(t, _)| *t != me);
        true
    }

    /// Waits while `condition` holds (it is checked again after every wake-up).
    #[track_caller]
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
    #[track_caller]
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

    /// Like [`wait_while`](Self::wait_while): a checker has no clock, so it never times out.
    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
        condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        match self.wait_while(guard, condition) {
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
        if rt::has_engine() {
            rt::op(Op::Notify {
                cv: self.obj(),
                all,
            });
            return;
        }
        shuttle_engine::runtime::thread::switch();
        let mut plain = self.plain();
        let epoch = plain.next_epoch;
        plain.next_epoch += 1;
        for (task, status) in plain.waiters.iter_mut() {
            match status {
                _ if all => *status = Status::Broadcast,
                Status::Waiting => *status = Status::Signal(VecDeque::from([epoch])),
                Status::Signal(epochs) => epochs.push_back(epoch),
                Status::Broadcast => {}
            }
            rt::unblock(*task);
        }
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
