//! `RwLock`: readers and a writer, readers sharing, `try_read`/`try_write`, the owned
//! lock, and two deadlocks: a read lock upgraded in place, and a second read behind a
//! waiting writer.

use super::{conforms, deadlock, waits_for_notify, waits_to_join};
use racelab::check::{Ending, check};

both! {
    use sync::{Arc, Barrier, RwLock, TryLockError};

    /// Two readers racing with a writer: what each reader saw, and the end value.
    pub fn readers_and_writer() -> (u32, u32, u32) {
        let lock = Arc::new(RwLock::new(0));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.read().unwrap())
            })
            .collect();
        *lock.write().unwrap() += 1;
        let seen: Vec<u32> = readers.into_iter().map(|r| r.join().unwrap()).collect();
        let end = *lock.read().unwrap();
        (seen[0], seen[1], end)
    }

    /// Two readers meet at a barrier while both hold the read lock (a lock that excluded
    /// readers from each other would deadlock here).
    pub fn readers_share() -> u32 {
        let lock = Arc::new(RwLock::new(5));
        let barrier = Arc::new(Barrier::new(2));
        let other = {
            let (lock, barrier) = (Arc::clone(&lock), Arc::clone(&barrier));
            thread::spawn(move || {
                let guard = lock.read().unwrap();
                barrier.wait();
                *guard
            })
        };
        let guard = lock.read().unwrap();
        barrier.wait();
        let mine = *guard;
        drop(guard);
        mine + other.join().unwrap()
    }

    /// `try_read` racing with a writer, then `try_write` once it is done.
    pub fn try_against_a_writer() -> String {
        let lock = Arc::new(RwLock::new(0));
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.write().unwrap() += 1)
        };
        let read = match lock.try_read() {
            Ok(guard) => format!("read {}", *guard),
            Err(TryLockError::WouldBlock) => "would block".to_string(),
            Err(TryLockError::Poisoned(_)) => "poisoned".to_string(),
        };
        writer.join().unwrap();
        let write = lock.try_write().map(|guard| *guard).ok();
        format!("{read}, then {write:?}")
    }

    /// `get_mut`, `write`, `is_poisoned`, `into_inner` in one thread.
    pub fn owned() -> (u32, bool) {
        let mut lock = RwLock::new(1);
        *lock.get_mut().unwrap() += 1;
        *lock.write().unwrap() *= 10;
        let poisoned = lock.is_poisoned();
        (lock.into_inner().unwrap(), poisoned)
    }

    /// A learner's upgrade: read, then write while still reading.
    pub fn upgrade_in_place() -> u32 {
        let lock = Arc::new(RwLock::new(1));
        let t = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let read = lock.read().unwrap();
                let mut write = lock.write().unwrap();
                *write = *read + 1;
            })
        };
        t.join().unwrap();
        *lock.read().unwrap()
    }

    /// A thread that takes the read lock twice, and a writer.
    pub fn read_twice_with_a_writer() -> u32 {
        let lock = Arc::new(RwLock::new(1));
        let reader = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let a = lock.read().unwrap();
                let b = lock.read().unwrap();
                *a + *b
            })
        };
        *lock.write().unwrap() = 2;
        reader.join().unwrap()
    }
}

#[test]
fn readers_see_the_value_before_or_after_the_write() {
    conforms(
        real::readers_and_writer,
        model::readers_and_writer,
        &[(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)],
    );
}

#[test]
fn readers_hold_the_lock_together() {
    conforms(real::readers_share, model::readers_share, &[10]);
}

#[test]
fn try_read_fails_only_while_the_writer_holds_it() {
    conforms(
        real::try_against_a_writer,
        model::try_against_a_writer,
        &[
            "read 0, then Some(1)".into(),
            "read 1, then Some(1)".into(),
            "would block, then Some(1)".into(),
        ],
    );
}

#[test]
fn an_owned_lock_gives_its_data() {
    conforms(real::owned, model::owned, &[(20, false)]);
}

/// Read, then write in the same thread: the writer waits for its own reader, forever.
#[test]
fn upgrading_a_read_lock_in_place_deadlocks() {
    let report = check(model::upgrade_in_place).run();
    assert_eq!(report.endings().collect::<Vec<_>>(), [&Ending::Deadlock]);
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 1), "{report}");
    assert!(waits_to_join(&blocked, 0, 1), "{report}");
}

/// Writers first (as `std` on Linux): a second read waits behind a writer that waits for
/// the first read. Some orders deadlock, others do not; the check finds both.
#[test]
fn a_second_read_behind_a_waiting_writer_deadlocks() {
    let report = check(model::read_twice_with_a_writer).run();
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 0), "{report}");
    assert!(waits_for_notify(&blocked, 1), "{report}");
    let returned: Vec<u32> = report
        .endings()
        .filter_map(|e| e.returned().copied())
        .collect();
    assert!(returned.contains(&2) && returned.contains(&4), "{report}");
}
