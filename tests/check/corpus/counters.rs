//! Counters a learner might write: eight that lose updates, four that do not (the last
//! three with `RwLock`).

use racelab::check::contracts::counter::{SharedCounter, Steps};
use racelab::check::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Mutex, RwLock};
use racelab::check::thread;

/// Load, then store: another thread can come between them.
#[derive(Default)]
pub struct LoadThenStore(AtomicUsize);

impl SharedCounter for LoadThenStore {
    fn increment(&self, steps: &Steps) {
        let v = steps.read(|| self.0.load(SeqCst));
        steps.write(v + 1, || self.0.store(v + 1, SeqCst));
    }
    fn value(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// Locks to read, unlocks, locks again to write: the learner's own mutex is released in
/// between, and nothing is marked.
#[derive(Default)]
pub struct RelockToWrite(Mutex<usize>);

impl SharedCounter for RelockToWrite {
    fn increment(&self, _steps: &Steps) {
        let v = *self.0.lock().unwrap();
        *self.0.lock().unwrap() = v + 1;
    }
    fn value(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

/// One `compare_exchange`, and no retry when it fails: the increment is silently dropped.
#[derive(Default)]
pub struct CasWithoutRetry(AtomicUsize);

impl SharedCounter for CasWithoutRetry {
    fn increment(&self, _steps: &Steps) {
        let v = self.0.load(SeqCst);
        let _ = self.0.compare_exchange(v, v + 1, SeqCst, SeqCst);
    }
    fn value(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// A hand-made lock around the increment: wait until the flag is clear, then set it — two
/// steps, so two threads can both see it clear.
#[derive(Default)]
pub struct FlagGuarded {
    busy: AtomicBool,
    value: AtomicUsize,
}

impl SharedCounter for FlagGuarded {
    fn increment(&self, _steps: &Steps) {
        while self.busy.load(SeqCst) {
            thread::yield_now();
        }
        self.busy.store(true, SeqCst);
        let v = self.value.load(SeqCst);
        self.value.store(v + 1, SeqCst);
        self.busy.store(false, SeqCst);
    }
    fn value(&self) -> usize {
        self.value.load(SeqCst)
    }
}

/// Two locks "to spread the contention": increments alternate between them, so two
/// increments can run at once under different locks.
#[derive(Default)]
pub struct AlternatingLocks {
    turn: AtomicUsize,
    locks: [Mutex<()>; 2],
    value: AtomicUsize,
}

impl SharedCounter for AlternatingLocks {
    fn increment(&self, _steps: &Steps) {
        let lock = &self.locks[self.turn.fetch_add(1, SeqCst) % 2];
        let _guard = lock.lock().unwrap();
        let v = self.value.load(SeqCst);
        self.value.store(v + 1, SeqCst);
    }
    fn value(&self) -> usize {
        self.value.load(SeqCst)
    }
}

/// Peterson's lock, which is correct for two threads, used by three: slots are handed out
/// modulo 2, so the third thread shares the first one's slot and both can enter. Only a
/// third thread shows the bug.
#[derive(Default)]
pub struct PetersonForThree {
    next_slot: AtomicUsize,
    flag: [AtomicBool; 2],
    turn: AtomicUsize,
    value: AtomicUsize,
}

impl SharedCounter for PetersonForThree {
    fn increment(&self, _steps: &Steps) {
        let me = self.next_slot.fetch_add(1, SeqCst) % 2;
        let other = 1 - me;
        self.flag[me].store(true, SeqCst);
        self.turn.store(other, SeqCst);
        while self.flag[other].load(SeqCst) && self.turn.load(SeqCst) == other {
            thread::yield_now();
        }
        let v = self.value.load(SeqCst);
        self.value.store(v + 1, SeqCst);
        self.flag[me].store(false, SeqCst);
    }
    fn value(&self) -> usize {
        self.value.load(SeqCst)
    }
}

/// Correct: read and write while holding the mutex.
#[derive(Default)]
pub struct MutexHeld(Mutex<usize>);

impl SharedCounter for MutexHeld {
    fn increment(&self, steps: &Steps) {
        let mut value = self.0.lock().unwrap();
        let v = steps.read(|| *value);
        steps.write(v + 1, || *value = v + 1);
    }
    fn value(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

/// Correct: one `fetch_add`.
#[derive(Default)]
pub struct FetchAdd(AtomicUsize);

impl SharedCounter for FetchAdd {
    fn increment(&self, _steps: &Steps) {
        self.0.fetch_add(1, SeqCst);
    }
    fn value(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// Correct: a `compare_exchange` loop that retries until it wins.
#[derive(Default)]
pub struct CasLoop(AtomicUsize);

impl SharedCounter for CasLoop {
    fn increment(&self, _steps: &Steps) {
        let mut v = self.0.load(SeqCst);
        while let Err(now) = self.0.compare_exchange(v, v + 1, SeqCst, SeqCst) {
            v = now;
        }
    }
    fn value(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// A read lock to read, a write lock to write: another writer can come between them.
#[derive(Default)]
pub struct ReadLockThenWriteLock(RwLock<usize>);

impl SharedCounter for ReadLockThenWriteLock {
    fn increment(&self, steps: &Steps) {
        let v = steps.read(|| *self.0.read().unwrap());
        steps.write(v + 1, || *self.0.write().unwrap() = v + 1);
    }
    fn value(&self) -> usize {
        *self.0.read().unwrap()
    }
}

/// Load and store on an atomic under a *read* lock, as if it excluded other readers.
#[derive(Default)]
pub struct IncrementUnderReadLock(RwLock<AtomicUsize>);

impl SharedCounter for IncrementUnderReadLock {
    fn increment(&self, steps: &Steps) {
        let value = self.0.read().unwrap();
        let v = steps.read(|| value.load(SeqCst));
        steps.write(v + 1, || value.store(v + 1, SeqCst));
    }
    fn value(&self) -> usize {
        self.0.read().unwrap().load(SeqCst)
    }
}

/// Correct: the write lock held across the read and the write.
#[derive(Default)]
pub struct WriteLockHeld(RwLock<usize>);

impl SharedCounter for WriteLockHeld {
    fn increment(&self, steps: &Steps) {
        let mut value = self.0.write().unwrap();
        let v = steps.read(|| *value);
        steps.write(v + 1, || *value = v + 1);
    }
    fn value(&self) -> usize {
        *self.0.read().unwrap()
    }
}
