//! The weak-memory bugs users of lock-free Rust fear (issue 22): message passing, double-
//! checked locking, store buffering, a `Relaxed` reference count, a seqlock — each found
//! under RC11 with a witness whose loads say which store they read and why a newer one was
//! not visible, and each fixed version passing exhaustively.

use racelab::check::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
use racelab::check::sync::{Arc, Mutex};
use racelab::check::{MemoryModel, Outcome, Report, check, thread};

use Ordering::{Acquire, Relaxed, Release, SeqCst};

/// The buggy version is caught under RC11, and its witness explains a load by the store it
/// read ("the initial value", "is newer but does not happen before this load").
fn caught<O: Outcome>(report: &Report<O>) {
    assert!(!report.passed(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report.coverage.model.map(|(m, _)| m),
        Some(MemoryModel::Rc11),
        "{report}"
    );
    let text = report.to_string();
    assert!(
        text.contains("does not happen before this load") || text.contains("the initial value"),
        "no reads-from explanation in the witness:\n{text}"
    );
}

/// The fixed version passes, exhaustively, under RC11.
fn fixed<O: Outcome>(report: &Report<O>) {
    assert!(report.passed(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert_eq!(
        report.coverage.model.map(|(m, _)| m),
        Some(MemoryModel::Rc11)
    );
}

/// Data, then a flag; the reader sees the flag, then reads the data.
fn message_passing(publish: Ordering, observe: Ordering) -> Report<Option<u64>> {
    check(move || {
        let data = Arc::new(AtomicU64::new(0).named("data"));
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let writer = {
            let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
            thread::spawn(move || {
                data.store(42, Relaxed);
                flag.store(true, publish);
            })
        };
        let seen = flag.load(observe).then(|| data.load(Relaxed));
        writer.join().unwrap();
        seen
    })
    .expect(|seen| seen.is_none_or(|d| d == 42))
    .run()
}

#[test]
fn message_passing_with_relaxed_is_caught_and_release_acquire_fixes_it() {
    caught(&message_passing(Relaxed, Relaxed));
    fixed(&message_passing(Release, Acquire));
}

/// Lazy initialisation with a check outside the lock and one inside it.
fn double_checked(publish: Ordering, observe: Ordering) -> Report<(u64, u64)> {
    check(move || {
        let ready = Arc::new(AtomicBool::new(false).named("ready"));
        let value = Arc::new(AtomicU64::new(0).named("value"));
        let lock = Arc::new(Mutex::new(()));
        let get = move |ready: &AtomicBool, value: &AtomicU64, lock: &Mutex<()>| {
            if !ready.load(observe) {
                let _guard = lock.lock().unwrap();
                if !ready.load(Relaxed) {
                    value.store(42, Relaxed);
                    ready.store(true, publish);
                }
            }
            value.load(Relaxed)
        };
        let other = {
            let (ready, value, lock) = (Arc::clone(&ready), Arc::clone(&value), Arc::clone(&lock));
            thread::spawn(move || get(&ready, &value, &lock))
        };
        let mine = get(&ready, &value, &lock);
        (mine, other.join().unwrap())
    })
    .expect(|&(a, b)| a == 42 && b == 42)
    .run()
}

#[test]
fn double_checked_locking_with_relaxed_is_caught_and_release_acquire_fixes_it() {
    caught(&double_checked(Relaxed, Relaxed));
    fixed(&double_checked(Release, Acquire));
}

/// [`store_buffering`] with `Release` stores and `Acquire` loads.
fn store_buffering_ra() -> Report<(bool, bool)> {
    store_buffering_with(Release, Acquire)
}

/// [`store_buffering`] with one ordering for every access.
fn store_buffering(order: Ordering) -> Report<(bool, bool)> {
    store_buffering_with(order, order)
}

/// Dekker's entry: each thread raises its flag, then looks at the other's; both must not
/// see the other's down.
fn store_buffering_with(store: Ordering, load: Ordering) -> Report<(bool, bool)> {
    check(move || {
        let mine = Arc::new(AtomicBool::new(false).named("mine"));
        let theirs = Arc::new(AtomicBool::new(false).named("theirs"));
        let other = {
            let (mine, theirs) = (Arc::clone(&mine), Arc::clone(&theirs));
            thread::spawn(move || {
                theirs.store(true, store);
                mine.load(load)
            })
        };
        mine.store(true, store);
        let saw = theirs.load(load);
        (saw, other.join().unwrap())
    })
    .expect(|&(a, b)| a || b)
    .memory_model(MemoryModel::Rc11)
    .run()
}

#[test]
fn store_buffering_with_acquire_release_is_caught_and_seq_cst_fixes_it() {
    // Release stores, Acquire loads: RC11 lets both loads read the initial value.
    caught(&store_buffering_ra());
    fixed(&store_buffering(SeqCst));
}

/// Two owners write their part, then drop their reference; the last one "frees": it must
/// see both parts.
fn reference_count(release: Ordering, acquire_fence: bool) -> Report<Option<(u64, u64)>> {
    check(move || {
        let count = Arc::new(AtomicUsize::new(2).named("count"));
        let parts = Arc::new([
            AtomicU64::new(0).named("part0"),
            AtomicU64::new(0).named("part1"),
        ]);
        let drop_ref = move |i: usize, count: &AtomicUsize, parts: &[AtomicU64; 2]| {
            parts[i].store(1, Relaxed);
            if count.fetch_sub(1, release) == 1 {
                if acquire_fence {
                    fence(Acquire);
                }
                Some((parts[0].load(Relaxed), parts[1].load(Relaxed)))
            } else {
                None
            }
        };
        let other = {
            let (count, parts) = (Arc::clone(&count), Arc::clone(&parts));
            thread::spawn(move || drop_ref(1, &count, &parts))
        };
        let mine = drop_ref(0, &count, &parts);
        let theirs = other.join().unwrap();
        mine.or(theirs)
    })
    .expect(|freed| *freed == Some((1, 1)))
    .run()
}

#[test]
fn a_relaxed_reference_count_frees_too_early_and_release_plus_acquire_fence_fixes_it() {
    caught(&reference_count(Relaxed, false));
    fixed(&reference_count(Release, true));
}

/// A seqlock: the writer bumps the sequence around its write; the reader accepts a value
/// read between two equal, even sequence numbers.
fn seqlock(correct: bool) -> Report<Option<(u64, u64)>> {
    check(move || {
        let seq = Arc::new(AtomicU64::new(0).named("seq"));
        let data = Arc::new(AtomicU64::new(0).named("data"));
        let writer = {
            let (seq, data) = (Arc::clone(&seq), Arc::clone(&data));
            thread::spawn(move || {
                seq.store(1, Relaxed);
                if correct {
                    fence(Release);
                }
                data.store(1, Relaxed);
                seq.store(2, if correct { Release } else { Relaxed });
            })
        };
        let s1 = seq.load(if correct { Acquire } else { Relaxed });
        let d = data.load(Relaxed);
        if correct {
            fence(Acquire);
        }
        let s2 = seq.load(Relaxed);
        writer.join().unwrap();
        (s1 == s2 && s1 % 2 == 0).then_some((s1, d))
    })
    // An accepted read at sequence 2 must see the write; at 0, the initial value.
    .expect(|accepted| accepted.is_none_or(|(s, d)| d == s / 2))
    .run()
}

#[test]
fn a_seqlock_with_relaxed_orderings_is_caught_and_fences_fix_it() {
    caught(&seqlock(false));
    fixed(&seqlock(true));
}
