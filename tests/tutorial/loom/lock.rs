//! loom over the Python-style `Lock`: mutual exclusion, hand-off, no lost wake-up.
//! All exhaustive (no preemption bound). Results leave the model through join handles and
//! are asserted on the main model thread after every other thread has been joined.
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use racelab::lock::Lock;

/// A plain (non-atomic) value that only the lock protects: if the Lock let two threads in
/// at once, or failed to order one holder's writes before the next holder's reads, loom's
/// `UnsafeCell` would report a causality violation.
struct Guarded {
    lock: Lock,
    value: UnsafeCell<usize>,
}

// SAFETY: `value` is only accessed while `lock` is held; loom checks exactly that.
unsafe impl Sync for Guarded {}

impl Guarded {
    fn increment(&self) {
        let _guard = self.lock.lock();
        let read = self.value.with(|p| unsafe { *p });
        thread::yield_now(); // the tutorial's pause, inside the lock
        self.value.with_mut(|p| unsafe { *p = read + 1 });
    }
}

#[test]
fn the_lock_excludes_and_orders_three_threads() {
    loom::model(|| {
        let shared = Arc::new(Guarded {
            lock: Lock::new(),
            value: UnsafeCell::new(0),
        });
        let others: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || shared.increment())
            })
            .collect();
        shared.increment();
        for other in others {
            other.join().unwrap();
        }
        assert_eq!(shared.value.with(|p| unsafe { *p }), 3);
        assert!(!shared.lock.locked());
    });
}

#[test]
fn release_hands_the_lock_to_a_blocked_acquirer() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        assert!(lock.acquire());
        let waiter = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let got = lock.acquire(); // blocks until main releases
                let released = lock.release();
                (got, released)
            })
        };
        lock.release().unwrap();
        let (got, released) = waiter.join().unwrap();
        assert!(got);
        assert_eq!(released, Ok(()));
        assert!(!lock.locked());
    });
}

#[test]
fn no_waiter_is_left_behind_on_release() {
    // Two threads wait for a held lock; one release must eventually let both through (a
    // lost wake-up would leave one blocked forever, which loom reports as a deadlock).
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        let passed = Arc::new(AtomicUsize::new(0));
        lock.acquire();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (lock, passed) = (Arc::clone(&lock), Arc::clone(&passed));
                thread::spawn(move || {
                    lock.acquire();
                    passed.fetch_add(1, SeqCst);
                    lock.release()
                })
            })
            .collect();
        lock.release().unwrap();
        for waiter in waiters {
            assert_eq!(waiter.join().unwrap(), Ok(()));
        }
        assert_eq!(passed.load(SeqCst), 2);
    });
}

#[test]
fn at_most_one_try_acquire_wins() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.try_acquire())
        };
        let mine = lock.try_acquire();
        let theirs = other.join().unwrap();
        assert!(
            mine ^ theirs,
            "exactly one of two try_acquire calls on a free lock wins"
        );
        assert!(lock.locked());
    });
}
