//! Poisoning: a thread that panics while it holds a `Mutex` releases it and poisons it, as
//! in std (racelab takes the release once the thread has stopped unwinding, before anything
//! else it does); `PoisonError::into_inner` and `clear_poison` recover. A closure of `Once`,
//! `OnceLock` or `LazyLock` that panics poisons (or empties) it and wakes its waiters.

use super::conforms;

both! {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use sync::atomic::{AtomicU32, Ordering::SeqCst};
    use sync::{Arc, LazyLock, Mutex, Once, OnceLock, RwLock, mpsc};

    /// The only sender belongs to a worker that panics; main receives while the worker
    /// may still hold it: the channel is disconnected once the sender is gone.
    pub fn recv_while_the_only_sender_panics() -> (bool, bool) {
        let (tx, rx) = mpsc::channel::<u32>();
        let worker = thread::spawn(move || {
            let _tx = tx;
            panic!("a producer fails");
        });
        let disconnected = rx.recv().is_err();
        (worker.join().is_err(), disconnected)
    }

    /// A spin lock: a flag set with `compare_exchange`, cleared by its guard's destructor.
    pub struct Spin(sync::atomic::AtomicBool);

    pub struct SpinGuard<'a>(&'a Spin);

    impl Spin {
        pub fn lock(&self) -> SpinGuard<'_> {
            use sync::atomic::Ordering::{Acquire, Relaxed};
            while self.0.compare_exchange(false, true, Acquire, Relaxed).is_err() {
                thread::yield_now();
            }
            SpinGuard(self)
        }
    }

    impl Drop for SpinGuard<'_> {
        fn drop(&mut self) {
            (self.0).0.store(false, sync::atomic::Ordering::Release);
        }
    }

    /// A worker panics while it holds a spin lock; main, racing with it, then takes the
    /// lock: the guard's destructor released it as the worker unwound.
    pub fn a_spin_lock_released_by_a_panicking_holder() -> (bool, bool) {
        let lock = Arc::new(Spin(sync::atomic::AtomicBool::new(false)));
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let _guard = lock.lock();
                panic!("a worker fails while it holds the spin lock");
            })
        };
        let taken = {
            let _guard = lock.lock();
            true
        };
        (worker.join().is_err(), taken)
    }

    /// The only receiver belongs to a worker that panics; main sends while the worker may
    /// still hold it: the send succeeds before the receiver goes and fails after.
    pub fn send_while_the_receiver_panics() -> (bool, bool) {
        let (tx, rx) = mpsc::channel::<u32>();
        let worker = thread::spawn(move || {
            let _rx = rx;
            panic!("a consumer fails");
        });
        let sent = tx.send(1).is_ok();
        (worker.join().is_err(), sent)
    }

    /// A message that notes (in a std atomic: it is dropped while a thread unwinds, when
    /// no modelled operation can be taken) that it was dropped.
    pub struct Noted(std::sync::Arc<std::sync::atomic::AtomicBool>);

    impl Drop for Noted {
        fn drop(&mut self) {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// A message is queued; the worker holding the receiver panics; main joins it: the
    /// message was dropped with the receiver, and a send now fails.
    pub fn queued_messages_go_with_a_receiver_that_panics() -> (bool, bool, bool) {
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (tx, rx) = mpsc::channel::<Noted>();
        tx.send(Noted(std::sync::Arc::clone(&dropped))).unwrap();
        let worker = thread::spawn(move || {
            let _rx = rx;
            panic!("a consumer fails");
        });
        let failed = worker.join().is_err();
        let gone = dropped.load(std::sync::atomic::Ordering::Relaxed);
        let refused = tx.send(Noted(std::sync::Arc::default())).is_err();
        (failed, gone, refused)
    }

    /// A bounded channel is full; the worker holding the receiver says it is about to
    /// panic, and main then sends: the send waits, and fails when the receiver goes. It
    /// never finds room the queue never had. (racelab drops the queued messages as the
    /// receiver's thread unwinds, before its release is taken: the queue must look as full
    /// to a sender in between.)
    pub fn a_sender_waiting_for_room_when_the_receiver_panics() -> (bool, bool) {
        let (tx, rx) = mpsc::sync_channel::<u32>(1);
        tx.send(1).unwrap();
        let about_to_panic = Arc::new(sync::atomic::AtomicBool::new(false));
        let worker = {
            let about_to_panic = Arc::clone(&about_to_panic);
            thread::spawn(move || {
                let _rx = rx;
                about_to_panic.store(true, SeqCst);
                panic!("a consumer fails");
            })
        };
        while !about_to_panic.load(SeqCst) {
            thread::yield_now();
        }
        let refused = tx.send(2).is_err();
        (worker.join().is_err(), refused)
    }

    /// A worker panics while it writes; main joins it, finds the lock poisoned, reads the
    /// data anyway, clears the poison and reads cleanly.
    pub fn rwlock_joined_then_read() -> (bool, bool, u32, bool) {
        let lock = Arc::new(RwLock::new(0));
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let mut guard = lock.write().unwrap();
                *guard += 1;
                panic!("a worker fails while it writes");
            })
        };
        let failed = worker.join().is_err();
        let (poisoned, seen) = match lock.read() {
            Ok(guard) => (false, *guard),
            Err(poison) => (true, *poison.into_inner()),
        };
        lock.clear_poison();
        let clean = lock.read().is_ok();
        (failed, poisoned, seen, clean)
    }

    /// Main writes while a worker that panics holding a read lock may hold it: a read guard
    /// dropped while unwinding releases the lock but does not poison it.
    pub fn rwlock_reader_panics() -> bool {
        let lock = Arc::new(RwLock::new(0));
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let _guard = lock.read().unwrap();
                panic!("a reader fails");
            })
        };
        let poisoned = lock.write().is_err();
        assert!(worker.join().is_err());
        poisoned
    }

    /// A thread whose own lock is dropped while it unwinds, after the guard: the deferred
    /// release is cancelled with the lock.
    pub fn rwlock_dropped_while_unwinding() -> bool {
        let worker = thread::spawn(|| {
            let lock = RwLock::new(0);
            let _guard = lock.write().unwrap();
            panic!("the lock goes with the thread");
        });
        worker.join().is_err()
    }

    /// A `call_once` whose closure panics racing one whose closure succeeds: whether each
    /// thread panicked, and the value. The second caller either runs first (and the failing
    /// one then has nothing to run) or panics because the `Once` is poisoned, whether it
    /// came after the panic or was waiting for the closure.
    pub fn once_closure_panics() -> (bool, bool, u32) {
        let once = Arc::new(Once::new());
        let value = Arc::new(AtomicU32::new(0));
        let failing = {
            let once = Arc::clone(&once);
            thread::spawn(move || once.call_once(|| panic!("the initialisation fails")))
        };
        let other = {
            let (once, value) = (Arc::clone(&once), Arc::clone(&value));
            thread::spawn(move || once.call_once(|| value.store(2, SeqCst)))
        };
        let failed = failing.join().is_err();
        let other_failed = other.join().is_err();
        (failed, other_failed, value.load(SeqCst))
    }

    /// The same failing closure, and `main`'s `call_once_force`: it runs its closure after
    /// the panic, told the `Once` is poisoned, or first, and then the failing one never runs.
    pub fn once_forced_after_a_panic() -> (bool, bool) {
        let once = Arc::new(Once::new());
        let failing = {
            let once = Arc::clone(&once);
            thread::spawn(move || once.call_once(|| panic!("the initialisation fails")))
        };
        let mut told = false;
        once.call_once_force(|state| told = state.is_poisoned());
        (failing.join().is_err(), told)
    }

    /// A `get_or_init` whose initialiser panics, and `main`'s: the cell is left empty, so
    /// `main`'s initialiser runs, whether it came after the panic or was waiting for it.
    pub fn once_lock_initialiser_panics() -> (bool, u32) {
        let cell = Arc::new(OnceLock::new());
        let failing = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || {
                cell.get_or_init(|| -> u32 { panic!("the initialisation fails") });
            })
        };
        let got = *cell.get_or_init(|| 2);
        (failing.join().is_err(), got)
    }

    fn fails() -> u32 {
        panic!("the initialisation fails")
    }

    /// Two first users of a `LazyLock` whose initialiser panics: both panic, the second
    /// because the `LazyLock` is poisoned (even if it was waiting for the first).
    pub fn lazy_lock_initialiser_panics() -> (bool, bool) {
        let lazy: Arc<LazyLock<u32>> = Arc::new(LazyLock::new(fails));
        let users: Vec<_> = (0..2)
            .map(|_| {
                let lazy = Arc::clone(&lazy);
                thread::spawn(move || **lazy)
            })
            .collect();
        let failed: Vec<bool> = users.into_iter().map(|u| u.join().is_err()).collect();
        (failed[0], failed[1])
    }

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

#[test]
fn a_once_whose_closure_panics_is_poisoned_and_wakes_its_waiters() {
    conforms(
        real::once_closure_panics,
        model::once_closure_panics,
        &[(false, false, 2), (true, true, 0)],
    );
}

#[test]
fn call_once_force_runs_after_a_panicking_closure_told_it_is_poisoned() {
    conforms(
        real::once_forced_after_a_panic,
        model::once_forced_after_a_panic,
        &[(false, false), (true, true)],
    );
}

#[test]
fn a_once_lock_whose_initialiser_panics_stays_empty_for_the_next() {
    conforms(
        real::once_lock_initialiser_panics,
        model::once_lock_initialiser_panics,
        &[(false, 2), (true, 2)],
    );
}

#[test]
fn a_lazy_lock_whose_initialiser_panics_is_poisoned_for_every_user() {
    conforms(
        real::lazy_lock_initialiser_panics,
        model::lazy_lock_initialiser_panics,
        &[(true, true)],
    );
}

#[test]
fn a_panic_while_writing_poisons_an_rwlock_and_releases_it_as_in_std() {
    conforms(
        real::rwlock_joined_then_read,
        model::rwlock_joined_then_read,
        &[(true, true, 1, true)],
    );
}

#[test]
fn a_read_guard_dropped_while_unwinding_releases_without_poisoning() {
    conforms(
        real::rwlock_reader_panics,
        model::rwlock_reader_panics,
        &[false],
    );
}

#[test]
fn an_rwlock_dropped_while_its_thread_unwinds_cancels_its_release() {
    conforms(
        real::rwlock_dropped_while_unwinding,
        model::rwlock_dropped_while_unwinding,
        &[true],
    );
}

/// The operations thread 1 takes in the one execution of `body` (which must have one).
fn thread_one_operations<O: racelab::check::Outcome>(
    body: impl Fn() -> O + Send + Sync + 'static,
) -> usize {
    let report = racelab::check::check(body).list_schedules(10).run();
    assert_eq!(report.schedules.len(), 1, "{report}");
    report.schedules[0]
        .threads
        .iter()
        .filter(|&&t| t == 1)
        .count()
}

/// The operations thread 1 takes in the one execution of a thread that writes to an
/// `RwLock`, panics, and is joined; the lock is the thread's own (dropped while it unwinds)
/// or shared with `main` (alive after it).
fn writer_operations(lock_outlives_the_thread: bool) -> usize {
    use racelab::check::sync::{Arc, RwLock};
    use racelab::check::thread;
    thread_one_operations(move || {
        let shared = Arc::new(RwLock::new(0));
        let worker = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let own = RwLock::new(0);
                let lock = if lock_outlives_the_thread {
                    &*shared
                } else {
                    &own
                };
                let _guard = lock.write().unwrap();
                panic!("while writing");
            })
        };
        worker.join().is_err()
    })
}

/// The deferred release of a guard whose lock is dropped on the way is cancelled, not run
/// on a lock that is gone: the thread takes the release's operations (taking the lock's
/// state mutex and letting it go) only when the lock outlives it.
#[test]
fn a_deferred_release_runs_only_on_a_lock_that_is_still_there() {
    assert_eq!(writer_operations(true), writer_operations(false) + 2);
}

#[test]
fn an_atomic_store_in_a_destructor_while_unwinding_is_taken_as_in_std() {
    conforms(
        real::a_spin_lock_released_by_a_panicking_holder,
        model::a_spin_lock_released_by_a_panicking_holder,
        &[(true, true)],
    );
}

#[test]
fn a_receiver_dropped_while_its_thread_unwinds_disconnects_the_channel() {
    conforms(
        real::send_while_the_receiver_panics,
        model::send_while_the_receiver_panics,
        &[(true, true), (true, false)],
    );
}

#[test]
fn a_receiver_dropped_while_its_thread_unwinds_drops_the_queued_messages() {
    conforms(
        real::queued_messages_go_with_a_receiver_that_panics,
        model::queued_messages_go_with_a_receiver_that_panics,
        &[(true, true, true)],
    );
}

#[test]
fn a_receiver_dropped_while_its_thread_unwinds_leaves_a_full_channel_full() {
    conforms(
        real::a_sender_waiting_for_room_when_the_receiver_panics,
        model::a_sender_waiting_for_room_when_the_receiver_panics,
        &[(true, true)],
    );
}

#[test]
fn a_sender_dropped_while_its_thread_unwinds_disconnects_the_channel() {
    conforms(
        real::recv_while_the_only_sender_panics,
        model::recv_while_the_only_sender_panics,
        &[(true, true)],
    );
}

/// The operations thread 1 takes in the one execution of a thread that holds the only
/// sender of a channel and panics; the channel's receiver is main's (it outlives the
/// thread) or was dropped by the thread before (the channel goes as the thread unwinds).
fn sender_operations(channel_outlives_the_thread: bool) -> usize {
    use racelab::check::sync::mpsc;
    use racelab::check::thread;
    thread_one_operations(move || {
        let (tx, rx) = mpsc::channel::<u32>();
        // The thread drops a receiver either way (the same operations): this channel's, or
        // another's while main keeps this one.
        let (_other_tx, other_rx) = mpsc::channel::<u32>();
        let (dropped, kept) = if channel_outlives_the_thread {
            (other_rx, Some(rx))
        } else {
            (rx, None)
        };
        let worker = thread::spawn(move || {
            drop(dropped);
            let _tx = tx;
            panic!("a producer fails");
        });
        let failed = worker.join().is_err();
        drop(kept);
        failed
    })
}

/// A sender's deferred release is cancelled with its channel: the thread takes the
/// release's operations (the channel's lock and its release) only when the channel
/// outlives it.
#[test]
fn a_deferred_sender_release_runs_only_on_a_channel_that_is_still_there() {
    assert_eq!(sender_operations(true), sender_operations(false) + 2);
}

/// The endings of `body` under `search`, as text, and whether the search was exhaustive.
fn endings_under<O: racelab::check::Outcome>(
    body: fn() -> O,
    search: racelab::check::Search,
) -> (std::collections::BTreeSet<String>, bool) {
    let report = racelab::check::check(body)
        .search(search)
        .max_executions(100_000)
        .run();
    let endings = report.endings().map(|e| format!("{e:?}")).collect();
    (endings, report.coverage.is_exhaustive())
}

/// The exhaustive search reaches what racelab's search without reduction (every order of
/// every step) reaches, on every program of this file: the releases a thread defers while
/// it unwinds, and the operations of `Once`, `OnceLock` and `LazyLock` around a panicking
/// closure, are declared to the search as what they are. (The generated programs of
/// `tests/oracles` never panic: this holds these paths to the brute-force search, as the
/// conformance tests above hold them to std.)
#[test]
fn the_exhaustive_search_reaches_what_every_order_reaches_while_threads_unwind() {
    use racelab::check::Search::{EveryOrder, Exhaustive};
    macro_rules! same {
        ($($body:ident),* $(,)?) => {$(
            let exhaustive = endings_under(model::$body, Exhaustive);
            let every = endings_under(model::$body, EveryOrder);
            assert!(exhaustive.1 && every.1, "{}: not exhaustive", stringify!($body));
            assert_eq!(exhaustive.0, every.0, "{}", stringify!($body));
        )*};
    }
    same!(
        recv_while_the_only_sender_panics,
        a_spin_lock_released_by_a_panicking_holder,
        send_while_the_receiver_panics,
        queued_messages_go_with_a_receiver_that_panics,
        a_sender_waiting_for_room_when_the_receiver_panics,
        rwlock_joined_then_read,
        rwlock_reader_panics,
        rwlock_dropped_while_unwinding,
        once_closure_panics,
        once_forced_after_a_panic,
        once_lock_initialiser_panics,
        lazy_lock_initialiser_panics,
        joined_then_locked,
        locked_while_a_holder_panics,
        caught_by_the_thread_itself,
    );
}
