//! Python-style locks a learner might write: eight that break the lock contract, three
//! that keep it.

use racelab::check::contracts::lock::LockUnderTest;
use racelab::check::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::check::sync::{Condvar, Mutex};
use racelab::check::thread;

const UNLOCKED: &str = "release unlocked lock";

/// Wait until free, then take it: two steps, so two threads can both see "free".
#[derive(Default)]
pub struct CheckThenSet(AtomicBool);

impl LockUnderTest for CheckThenSet {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        while self.0.load(SeqCst) {
            thread::yield_now();
        }
        self.0.store(true, SeqCst);
    }
    fn release(&self) -> Result<(), &'static str> {
        self.0.swap(false, SeqCst).then_some(()).ok_or(UNLOCKED)
    }
}

/// The check and the set each inside the mutex, but in two critical sections.
#[derive(Default)]
pub struct TwoCriticalSections(Mutex<bool>);

impl LockUnderTest for TwoCriticalSections {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        while *self.0.lock().unwrap() {
            thread::yield_now();
        }
        *self.0.lock().unwrap() = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        let mut held = self.0.lock().unwrap();
        std::mem::replace(&mut *held, false)
            .then_some(())
            .ok_or(UNLOCKED)
    }
}

/// A flag and a condition variable, but release forgets to notify: a waiter sleeps forever.
#[derive(Default)]
pub struct ReleaseWithoutNotify {
    held: Mutex<bool>,
    released: Condvar,
}

impl LockUnderTest for ReleaseWithoutNotify {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        while *held {
            held = self.released.wait(held).unwrap();
        }
        *held = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        let mut held = self.held.lock().unwrap();
        std::mem::replace(&mut *held, false)
            .then_some(())
            .ok_or(UNLOCKED)
    }
}

/// Notifies before clearing the flag: the waiter wakes, sees the lock still held, and waits
/// again for a notify that already came.
#[derive(Default)]
pub struct NotifyBeforeClearing {
    held: Mutex<bool>,
    released: Condvar,
}

impl LockUnderTest for NotifyBeforeClearing {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        while *held {
            held = self.released.wait(held).unwrap();
        }
        *held = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        self.released.notify_one();
        let mut held = self.held.lock().unwrap();
        std::mem::replace(&mut *held, false)
            .then_some(())
            .ok_or(UNLOCKED)
    }
}

/// Waits with `if` instead of `while`: a third thread can take the lock between the notify
/// and the wake-up, and the woken thread takes it too. Only a third thread shows it.
#[derive(Default)]
pub struct IfInsteadOfWhile {
    held: Mutex<bool>,
    released: Condvar,
}

impl LockUnderTest for IfInsteadOfWhile {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        if *held {
            held = self.released.wait(held).unwrap();
        }
        *held = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        let mut held = self.held.lock().unwrap();
        let was = std::mem::replace(&mut *held, false);
        drop(held);
        self.released.notify_one();
        was.then_some(()).ok_or(UNLOCKED)
    }
}

/// The flag is an atomic set outside the mutex the waiters sleep on: the release can fall
/// between a waiter's check and its wait, and its notify is lost.
#[derive(Default)]
pub struct FlagOutsideTheMutex {
    held: AtomicBool,
    sleep: Mutex<()>,
    released: Condvar,
}

impl LockUnderTest for FlagOutsideTheMutex {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut guard = self.sleep.lock().unwrap();
        while self.held.swap(true, SeqCst) {
            guard = self.released.wait(guard).unwrap();
        }
    }
    fn release(&self) -> Result<(), &'static str> {
        let was = self.held.swap(false, SeqCst);
        self.released.notify_one();
        was.then_some(()).ok_or(UNLOCKED)
    }
}

/// Excludes correctly, but a release of an unlocked lock is accepted silently (Python
/// raises `RuntimeError: release unlocked lock`).
#[derive(Default)]
pub struct ReleaseNeverFails {
    held: Mutex<bool>,
    released: Condvar,
}

impl LockUnderTest for ReleaseNeverFails {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        while *held {
            held = self.released.wait(held).unwrap();
        }
        *held = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        *self.held.lock().unwrap() = false;
        self.released.notify_one();
        Ok(())
    }
}

/// "One wake-up is enough": only the first release with a waiter notifies. The bug shows
/// on a thread's second critical section.
#[derive(Default)]
pub struct NotifiesOnce {
    held: Mutex<(bool, bool)>,
    released: Condvar,
}

impl LockUnderTest for NotifiesOnce {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut state = self.held.lock().unwrap();
        while state.0 {
            state = self.released.wait(state).unwrap();
        }
        state.0 = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        let mut state = self.held.lock().unwrap();
        let was = std::mem::replace(&mut state.0, false);
        let first = !std::mem::replace(&mut state.1, true);
        drop(state);
        if first {
            self.released.notify_one();
        }
        was.then_some(()).ok_or(UNLOCKED)
    }
}

/// Correct: a flag and a condition variable, checked with `while`, changed under the mutex.
#[derive(Default)]
pub struct FlagAndCondvar {
    held: Mutex<bool>,
    released: Condvar,
}

impl LockUnderTest for FlagAndCondvar {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        while *held {
            held = self.released.wait(held).unwrap();
        }
        *held = true;
    }
    fn release(&self) -> Result<(), &'static str> {
        let mut held = self.held.lock().unwrap();
        if !std::mem::replace(&mut *held, false) {
            return Err(UNLOCKED);
        }
        drop(held);
        self.released.notify_one();
        Ok(())
    }
}

/// Correct: a spin lock on `compare_exchange`.
#[derive(Default)]
pub struct CasSpinLock(AtomicBool);

impl LockUnderTest for CasSpinLock {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        while self
            .0
            .compare_exchange(false, true, SeqCst, SeqCst)
            .is_err()
        {
            thread::yield_now();
        }
    }
    fn release(&self) -> Result<(), &'static str> {
        self.0.swap(false, SeqCst).then_some(()).ok_or(UNLOCKED)
    }
}
