//! `Condvar`, shaped like `std::sync::Condvar`.
//!
//! `wait` is three steps, each a switch point: **wait** (become a waiter and release the
//! mutex, at once), **wake** (possible only once a notify has picked this thread), and
//! taking the mutex again (a `lock`, which may have to wait). A `notify_one` picks one of the
//! threads waiting at that moment, and the checker tries each of them; a notify when nobody
//! waits is lost, as in every real implementation. Waits wake spuriously only in a check
//! that asks for it (`Check::spurious_wakeups`; named in every report's coverage): such a
//! `wait` ends as a `wait_timeout` does, and its timeout is the spurious wake-up. A checker has no clock, so `wait_timeout`'s timeout may fire at
//! any moment while its thread waits: its last step stops being a waiter (an atomic update
//! of the waiter set, which every notify also updates), timed out if the thread still was
//! one and woken if a notify picked it first; the search explores both orders. A loop
//! that polls with `wait_timeout` is cut after two identical timed-out turns that read
//! nothing new (the thread *polls*, see `rt::timeout`; named in every report's coverage).
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

/// Whether a timed wait timed out.
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
    ///
    /// It wakes only when a notify picks it, unless the check explores spurious wake-ups
    /// ([`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups)): then it may
    /// also wake at any moment while it waits, as std allows, and the check also explores
    /// it never waking unless a notify picks it (std allows a spurious wake-up, never
    /// promises one).
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
            if rt::spurious_wakeups() {
                // A spurious wake-up is a timeout by another name.
                rt::op(Op::TimedWake {
                    cv: self.obj(),
                    mutex: mutex.obj(),
                    spurious: true,
                });
            } else {
                rt::op(Op::Wake {
                    cv: self.obj(),
                    mutex: mutex.obj(),
                });
            }
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

    /// Releases the guard's mutex and waits for a notify or a timeout, then takes the mutex
    /// again; the result says whether it timed out.
    ///
    /// A checker has no clock, so the timeout may fire at any moment while the thread waits:
    /// the check explores both endings, the timeout before any notify picks the thread (it
    /// stops being a waiter, and a later `notify_one` picks another or nobody) and a notify
    /// before the timeout. The duration is not used. With
    /// [`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups), a wake-up without
    /// a notify is reported as a timeout (std may report one as not timed out: that case
    /// is not explored).
    ///
    /// ```
    /// use racelab::check::sync::{Arc, Condvar, Mutex};
    /// use racelab::check::{check, thread};
    /// use std::time::Duration;
    ///
    /// let report = check(|| {
    ///     let pair = Arc::new((Mutex::new(false), Condvar::new()));
    ///     let notifier = Arc::clone(&pair);
    ///     let t = thread::spawn(move || {
    ///         *notifier.0.lock().unwrap() = true;
    ///         notifier.1.notify_one();
    ///     });
    ///     let (ready, cv) = &*pair;
    ///     let guard = ready.lock().unwrap();
    ///     let (guard, result) = cv.wait_timeout(guard, Duration::from_secs(1)).unwrap();
    ///     let seen = (result.timed_out(), *guard);
    ///     drop(guard);
    ///     t.join().unwrap();
    ///     seen
    /// })
    /// .run();
    /// // Timed out before the flag was set, timed out after it, or notified.
    /// let mut outcomes: Vec<(bool, bool)> = report
    ///     .rows
    ///     .iter()
    ///     .filter_map(|row| row.ending.returned().copied())
    ///     .collect();
    /// outcomes.sort();
    /// assert_eq!(outcomes, [(false, true), (true, false), (true, true)]);
    /// ```
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        rt::require_execution("Condvar::wait_timeout");
        let (mutex, timed_out) = if rt::has_engine() {
            rt::op(Op::Wait {
                cv: self.obj(),
                mutex: guard.mutex().obj(),
            });
            let mutex = guard.into_mutex();
            let done = rt::op(Op::TimedWake {
                cv: self.obj(),
                mutex: mutex.obj(),
                spurious: false,
            });
            (mutex, done.is_some_and(|d| d.ok))
        } else {
            shuttle_engine::runtime::thread::switch();
            let mutex = guard.release_plain();
            let me = rt::me();
            self.plain().waiters.push((me, Status::Waiting));
            // The timeout may fire once another thread had a chance to run.
            shuttle_engine::runtime::thread::switch();
            let timed_out = {
                let mut plain = self.plain();
                match plain.waiters.iter().position(|(t, _)| *t == me) {
                    Some(i) if plain.waiters[i].1 == Status::Waiting => {
                        plain.waiters.remove(i);
                        true
                    }
                    _ => false,
                }
            };
            if !timed_out {
                self.consume(me);
            }
            (mutex, timed_out)
        };
        let result = WaitTimeoutResult(timed_out);
        match mutex.lock() {
            Ok(guard) => Ok((guard, result)),
            Err(poisoned) => Err(PoisonError::new((poisoned.into_inner(), result))),
        }
    }

    /// Waits while `condition` holds, each wait a [`wait_timeout`](Self::wait_timeout):
    /// returns once the condition is false, or with `timed_out()` true once a wait timed out
    /// and the condition still holds (as std's does when its time is up).
    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            let (g, result) = self.wait_timeout(guard, timeout)?;
            guard = g;
            if result.timed_out() {
                let timed_out = condition(&mut *guard);
                return Ok((guard, WaitTimeoutResult(timed_out)));
            }
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
