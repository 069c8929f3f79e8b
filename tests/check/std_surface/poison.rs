//! Poisoning: a thread that panics while it holds a `Mutex` releases it and poisons it, as
//! in std (racelab takes the release once the thread has stopped unwinding, before anything
//! else it does); `PoisonError::into_inner` and `clear_poison` recover.

use super::conforms;

both! {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use sync::{Arc, Mutex};

    /// A worker panics while holding the lock; main joins it, finds the lock poisoned,
    /// takes the data anyway, clears the poison and locks it cleanly.
    pub fn joined_then_locked() -> (bool, bool, u32, bool) {
        let lock = Arc::new(Mutex::new(0));
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let mut guard = lock.lock().unwrap();
                *guard += 1;
                panic!("a worker fails while it holds the lock");
            })
        };
        let failed = worker.join().is_err();
        let (poisoned, seen) = match lock.lock() {
            Ok(guard) => (false, *guard),
            Err(poison) => (true, *poison.into_inner()),
        };
        lock.clear_poison();
        let clean = lock.lock().is_ok();
        (failed, poisoned, seen, clean)
    }

    /// Main takes the lock while a worker that panics with it may hold it: before the
    /// worker (clean) or after (poisoned).
    pub fn locked_while_a_holder_panics() -> bool {
        let lock = Arc::new(Mutex::new(()));
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let _guard = lock.lock().unwrap();
                panic!("a worker fails while it holds the lock");
            })
        };
        let poisoned = lock.lock().is_err();
        assert!(worker.join().is_err());
        poisoned
    }

    /// A thread catches its own panic, which dropped a guard on the way: the lock is free
    /// and poisoned for what it does next.
    pub fn caught_by_the_thread_itself() -> (bool, bool, bool) {
        let lock = Mutex::new(0);
        let caught = catch_unwind(AssertUnwindSafe(|| {
            let _guard = lock.lock().unwrap();
            panic!("inside the lock");
        }))
        .is_err();
        let free_but_poisoned = matches!(lock.try_lock(), Err(sync::TryLockError::Poisoned(_)));
        (caught, lock.is_poisoned(), free_but_poisoned)
    }
}

#[test]
fn a_panic_while_holding_a_mutex_poisons_it_as_in_std() {
    conforms(
        real::joined_then_locked,
        model::joined_then_locked,
        &[(true, true, 1, true)],
    );
}

#[test]
fn a_lock_racing_with_a_panicking_holder_is_clean_or_poisoned() {
    conforms(
        real::locked_while_a_holder_panics,
        model::locked_while_a_holder_panics,
        &[false, true],
    );
}

#[test]
fn a_thread_that_catches_its_own_panic_finds_the_lock_free_and_poisoned() {
    conforms(
        real::caught_by_the_thread_itself,
        model::caught_by_the_thread_itself,
        &[(true, true, true)],
    );
}
