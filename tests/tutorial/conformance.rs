//! The 40 items of the oracle's `conformance.md`, one named test each (`cNN_...`).
//!
//! Nothing here is flaky by construction:
//! * "blocks" is checked one-sided: a thread that should be blocked must not have
//!   finished after a short grace period. A correct queue can never fail that check; a
//!   broken one that does not block fails it almost always.
//! * timeouts are checked from below with a monotonic clock (`elapsed >= t`, which the
//!   implementation guarantees) and from above only with a very generous bound.
//! * hand-offs that must happen in an order use channels, not sleeps.
#![cfg(not(loom))]

use crate::watchdog;

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use racelab::error::{LockError, QueueError};
use racelab::lock::Lock;
use racelab::queue::TaskQueue;

/// How long a thread that should be blocked is given to (wrongly) finish.
const GRACE: Duration = Duration::from_millis(50);
/// Upper bound for "at once" / "about t": far above any scheduling hiccup.
const GENEROUS: Duration = Duration::from_secs(5);

/// Runs the binary; a child that hangs is killed after half the watchdog's deadline (so
/// that it does not outlive this process when the watchdog ends it).
fn racelab(args: &[&str]) -> std::process::Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the racelab binary");
    let deadline = Instant::now() + Duration::from_secs(watchdog::secs() / 2);
    while child.try_wait().expect("wait for racelab").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "racelab {args:?} did not finish in {} s: a hang in the core?",
                watchdog::secs() / 2
            );
        }
        thread::sleep(Duration::from_millis(2));
    }
    child.wait_with_output().expect("read racelab's output")
}

fn stdout_of(args: &[&str]) -> String {
    let out = racelab(args);
    assert!(out.status.success(), "racelab {args:?} failed: {out:?}");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Asserts that `handle` has not finished after [`GRACE`] (see the module docs).
fn assert_still_blocked<T>(handle: &thread::JoinHandle<T>, what: &str) {
    thread::sleep(GRACE);
    assert!(
        !handle.is_finished(),
        "{what} should be blocked but returned"
    );
}

fn drain<T>(q: &TaskQueue<T>) -> Vec<T> {
    std::iter::from_fn(|| q.get_nowait().ok()).collect()
}

// ---------------------------------------------------------------- A. tutorial programs

#[test]
fn c01_queue_intro_prints_1() {
    watchdog::arm();
    assert_eq!(stdout_of(&["demo", "queue-basics"]), "1\n");
}

#[test]
fn c02_square_numbers_threads_and_processes_print_nothing() {
    watchdog::arm();
    assert_eq!(stdout_of(&["demo", "threads"]), "");
    assert_eq!(stdout_of(&["demo", "processes"]), "");
}

#[test]
fn c03_unlocked_counter_loses_an_update_every_time() {
    watchdog::arm();
    for run in 0..20 {
        assert_eq!(
            stdout_of(&["demo", "race"]),
            "Start value:  0\nEnd value: 1\nend main\n",
            "run {run}"
        );
    }
}

#[test]
fn c04_locked_counter_ends_at_2() {
    watchdog::arm();
    assert_eq!(
        stdout_of(&["demo", "lock"]),
        "Start value:  0\nEnd value: 2\nend main\n"
    );
}

/// The rules of the oracle's `check_ex3.py`.
fn check_worker_output(out: &str) {
    let lines: Vec<&str> = out
        .strip_suffix('\n')
        .expect("ends with a newline")
        .split('\n')
        .collect();
    assert_eq!(lines.len(), 21, "{out}");
    assert_eq!(lines[20], "main done");
    let mut values = Vec::new();
    let mut per_worker: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    for line in &lines[..20] {
        let rest = line
            .strip_prefix("in Thread")
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let (n, x) = rest
            .split_once(" got ")
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let n: u32 = n.parse().expect("worker number");
        let x: u32 = x.parse().expect("value");
        assert!((1..=10).contains(&n), "{line}");
        assert_eq!(format!("in Thread{n} got {x}"), *line, "canonical numbers");
        values.push(x);
        per_worker.entry(n).or_default().push(x);
    }
    values.sort_unstable();
    assert_eq!(values, (0..20).collect::<Vec<_>>());
    for (worker, vs) in per_worker {
        assert!(vs.windows(2).all(|w| w[0] < w[1]), "Thread{worker}: {vs:?}");
    }
}

#[test]
fn c05_worker_pool_output_obeys_the_invariants() {
    watchdog::arm();
    for _ in 0..20 {
        check_worker_output(&stdout_of(&["demo", "queue"]));
    }
}

#[test]
fn c05_the_checker_rejects_bad_output() {
    watchdog::arm();
    let good = stdout_of(&["demo", "queue"]);
    let swapped = good.replacen("main done", "in Thread1 got 0", 1);
    assert!(std::panic::catch_unwind(|| check_worker_output(&swapped)).is_err());
}

// ---------------------------------------------------------------- B. construction, size

#[test]
fn c06_new_queue_is_empty_unbounded_and_idle() {
    watchdog::arm();
    let q = TaskQueue::<i32>::unbounded();
    assert_eq!(
        (
            q.qsize(),
            q.empty(),
            q.full(),
            q.unfinished_tasks(),
            q.maxsize()
        ),
        (0, true, false, 0, 0)
    );
}

#[test]
fn c07_maxsize_zero_or_negative_is_unbounded() {
    watchdog::arm();
    for maxsize in [0, -5] {
        let q = TaskQueue::new(maxsize);
        for i in 0..1000 {
            q.put_nowait(i).unwrap();
            assert!(!q.full());
        }
        assert_eq!(q.qsize(), 1000);
    }
}

#[test]
fn c08_fifo_order() {
    watchdog::arm();
    let q = TaskQueue::unbounded();
    for x in [111, 333, 222] {
        q.put(x).unwrap();
    }
    assert_eq!(drain(&q), [111, 333, 222]);
}

#[test]
fn c09_bounded_queue_reports_full() {
    watchdog::arm();
    let q = TaskQueue::new(3);
    for x in [1, 2, 3] {
        q.put(x).unwrap();
    }
    assert_eq!((q.full(), q.qsize(), q.empty()), (true, 3, false));
}

// ---------------------------------------------------------------- C. non-blocking, timeouts

fn full_queue() -> TaskQueue<i32> {
    let q = TaskQueue::new(3);
    for x in [1, 2, 3] {
        q.put(x).unwrap();
    }
    q
}

#[test]
fn c10_non_blocking_put_on_full_queue_fails_at_once_and_changes_nothing() {
    watchdog::arm();
    let q = full_queue();
    let start = Instant::now();
    for result in [
        q.put_nowait(4),
        q.put_with(4, false, None),
        q.put_with(4, true, Some(0.0)),
        q.put_timeout(4, Duration::ZERO),
    ] {
        let rejected = result.unwrap_err();
        assert_eq!((rejected.error, rejected.item), (QueueError::Full, 4));
    }
    assert!(start.elapsed() < GENEROUS);
    assert_eq!((q.qsize(), q.unfinished_tasks()), (3, 3));
    assert_eq!(drain(&q), [1, 2, 3]);
}

#[test]
fn c11_put_with_timeout_on_full_queue_fails_after_the_timeout() {
    watchdog::arm();
    let q = full_queue();
    let start = Instant::now();
    assert_eq!(
        q.put_with(4, true, Some(0.05)).unwrap_err().error,
        QueueError::Full
    );
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < GENEROUS, "{elapsed:?}");
}

#[test]
fn c12_get_on_empty_queue_fails_with_empty_and_timeout_only_when_waiting() {
    watchdog::arm();
    let q = TaskQueue::<&str>::unbounded();
    assert_eq!(q.get_nowait(), Err(QueueError::Empty));
    assert_eq!(q.get_with(false, None), Err(QueueError::Empty));
    assert_eq!(q.get_with(true, Some(0.0)), Err(QueueError::Empty));
    let start = Instant::now();
    assert_eq!(q.get_with(true, Some(0.05)), Err(QueueError::Empty));
    assert!(start.elapsed() >= Duration::from_millis(50));
    assert_eq!(
        q.get_timeout(Duration::from_millis(1)),
        Err(QueueError::Empty)
    );
    q.put("x").unwrap();
    assert_eq!(q.get_with(true, Some(0.0)), Ok("x"));
}

#[test]
fn c13_negative_timeout_on_bounded_put_is_an_error_even_when_not_full() {
    watchdog::arm();
    let q = TaskQueue::new(5);
    assert_eq!(
        q.put_with(1, true, Some(-1.0)).unwrap_err().error,
        QueueError::NegativeTimeout
    );
    assert_eq!(
        q.put_with(1, true, Some(f64::NAN)).unwrap_err().error,
        QueueError::NegativeTimeout
    );
    assert_eq!((q.qsize(), q.unfinished_tasks()), (0, 0));
    assert_eq!(
        QueueError::NegativeTimeout.to_string(),
        "'timeout' must be a non-negative number"
    );
}

#[test]
fn c14_negative_timeout_on_get_is_an_error_even_with_an_item() {
    watchdog::arm();
    let q = TaskQueue::new(5);
    q.put(1).unwrap();
    assert_eq!(
        q.get_with(true, Some(-1.0)),
        Err(QueueError::NegativeTimeout)
    );
    assert_eq!(q.qsize(), 1, "the item stays in the queue");
}

#[test]
fn c15_timeout_is_ignored_without_blocking_and_on_unbounded_put() {
    watchdog::arm();
    let q = TaskQueue::new(5);
    q.put(1).unwrap();
    assert_eq!(q.get_with(false, Some(-1.0)), Ok(1));
    q.put_with(2, false, Some(-1.0)).unwrap();
    let full = full_queue();
    assert_eq!(
        full.put_with(4, false, Some(-1.0)).unwrap_err().error,
        QueueError::Full
    );
    TaskQueue::unbounded()
        .put_with(1, true, Some(-1.0))
        .unwrap();
}

// ---------------------------------------------------------------- D. blocking

#[test]
fn c16_blocking_put_waits_for_room() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::new(1));
    q.put("a").unwrap();
    let putter = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.put("b"))
    };
    assert_still_blocked(&putter, "put on a full queue");
    assert_eq!(q.get(), Ok("a"));
    putter.join().unwrap().unwrap();
    assert_eq!(q.get(), Ok("b"));
    assert_eq!(q.unfinished_tasks(), 2);
}

#[test]
fn c17_blocking_get_returns_as_soon_as_an_item_arrives() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::unbounded());
    let getter = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.get_with(true, Some(10.0)))
    };
    assert_still_blocked(&getter, "get on an empty queue");
    let start = Instant::now();
    q.put("x").unwrap();
    assert_eq!(getter.join().unwrap(), Ok("x"));
    assert!(
        start.elapsed() < GENEROUS,
        "returned straight away, not after the 10 s timeout"
    );
}

// ---------------------------------------------------------------- E. task_done / join

#[test]
fn c18_task_done_on_fresh_queue_is_an_error_and_the_count_stays_zero() {
    watchdog::arm();
    let q = TaskQueue::<i32>::unbounded();
    assert_eq!(q.task_done(), Err(QueueError::TaskDoneTooManyTimes));
    assert_eq!(q.unfinished_tasks(), 0);
    assert_eq!(
        QueueError::TaskDoneTooManyTimes.to_string(),
        "task_done() called too many times"
    );
}

#[test]
fn c19_get_does_not_finish_a_task_task_done_does() {
    watchdog::arm();
    let q = TaskQueue::unbounded();
    for i in 0..3 {
        q.put(i).unwrap();
    }
    assert_eq!(q.unfinished_tasks(), 3);
    assert_eq!(drain(&q), [0, 1, 2]);
    assert_eq!(q.unfinished_tasks(), 3);
    for _ in 0..3 {
        q.task_done().unwrap();
    }
    assert_eq!(q.unfinished_tasks(), 0);
    assert_eq!(q.task_done(), Err(QueueError::TaskDoneTooManyTimes));
}

#[test]
fn c20_task_done_is_not_tied_to_items() {
    watchdog::arm();
    let q = TaskQueue::unbounded();
    q.put(1).unwrap();
    q.task_done().unwrap();
    assert_eq!((q.unfinished_tasks(), q.qsize()), (0, 1));
    q.join(); // returns at once: nothing unfinished
}

#[test]
fn c21_join_with_nothing_pending_returns_at_once_every_time() {
    watchdog::arm();
    let q = TaskQueue::<i32>::unbounded();
    q.join();
    q.join();
    assert_eq!(q.unfinished_tasks(), 0);
}

#[test]
fn c22_join_returns_only_after_the_last_task_done() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::unbounded());
    let done = Arc::new(AtomicUsize::new(0));
    q.put(0).unwrap();
    q.put(1).unwrap();
    let start = Instant::now();
    let worker = {
        let (q, done) = (Arc::clone(&q), Arc::clone(&done));
        thread::spawn(move || {
            for _ in 0..2 {
                q.get().unwrap();
                thread::sleep(Duration::from_millis(50));
                done.fetch_add(1, SeqCst);
                q.task_done().unwrap();
            }
        })
    };
    q.join();
    assert_eq!(
        done.load(SeqCst),
        2,
        "join returned before the 2nd task_done"
    );
    assert!(start.elapsed() >= Duration::from_millis(100));
    worker.join().unwrap();
}

#[test]
fn c23_two_workers_sum_with_sentinels() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::<i64>::unbounded());
    let sum = Arc::new(Mutex::new(0));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (q, sum) = (Arc::clone(&q), Arc::clone(&sum));
            thread::spawn(move || {
                loop {
                    let x = q.get().unwrap();
                    if x < 0 {
                        q.task_done().unwrap();
                        return;
                    }
                    *sum.lock().unwrap() += x;
                    q.task_done().unwrap();
                }
            })
        })
        .collect();
    for i in 0..100 {
        q.put(i).unwrap();
    }
    q.join();
    assert_eq!(*sum.lock().unwrap(), 4950);
    q.put(-1).unwrap();
    q.put(-1).unwrap();
    q.join();
    for w in workers {
        w.join().unwrap();
    }
}

// ---------------------------------------------------------------- F. shutdown

#[test]
fn c24_shutdown_is_sticky_and_idempotent() {
    watchdog::arm();
    let q = TaskQueue::<i32>::unbounded();
    assert!(!q.is_shutdown());
    q.shutdown(false);
    assert!(q.is_shutdown());
    q.shutdown(true);
    q.shutdown(false);
    assert!(q.is_shutdown());
}

#[test]
fn c25_empty_shut_down_queue_refuses_everything_shutdown_before_timeout_errors() {
    watchdog::arm();
    let q = TaskQueue::<&str>::unbounded();
    q.shutdown(false);
    let start = Instant::now();
    for put in [
        q.put("d"),
        q.put_nowait("d"),
        q.put_with("d", true, Some(-1.0)),
    ] {
        assert_eq!(put.unwrap_err().error, QueueError::ShutDown);
    }
    for get in [
        q.get(),
        q.get_nowait(),
        q.get_with(true, Some(1.0)),
        q.get_with(true, Some(-1.0)),
    ] {
        assert_eq!(get, Err(QueueError::ShutDown));
    }
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "all at once, not after the 1 s timeout"
    );
    assert_eq!(q.task_done(), Err(QueueError::TaskDoneTooManyTimes));
    q.join();
}

fn shut_down_full_queue() -> TaskQueue<&'static str> {
    let q = TaskQueue::new(2);
    q.put("L").unwrap();
    q.put_nowait("O").unwrap();
    q.shutdown(false);
    q
}

#[test]
fn c26_shutdown_wins_over_full() {
    watchdog::arm();
    let q = shut_down_full_queue();
    assert_eq!(q.put_nowait("W").unwrap_err().error, QueueError::ShutDown);
    assert_eq!(q.put("E").unwrap_err().error, QueueError::ShutDown);
}

#[test]
fn c27_queued_items_are_still_served_after_shutdown() {
    watchdog::arm();
    let q = shut_down_full_queue();
    assert_eq!(q.get(), Ok("L"));
    q.task_done().unwrap();
    assert_eq!(q.get_nowait(), Ok("O"));
    q.task_done().unwrap();
    q.join();
    assert_eq!(q.get(), Err(QueueError::ShutDown));
    assert_eq!(q.get_nowait(), Err(QueueError::ShutDown));
    assert_eq!(q.unfinished_tasks(), 0);
}

#[test]
fn c28_immediate_shutdown_discards_items_and_their_tasks() {
    watchdog::arm();
    let q = TaskQueue::new(2);
    q.put("L").unwrap();
    q.put("O").unwrap();
    q.shutdown(true);
    assert_eq!((q.qsize(), q.empty(), q.unfinished_tasks()), (0, true, 0));
    assert_eq!(q.get(), Err(QueueError::ShutDown));
    assert_eq!(q.get_nowait(), Err(QueueError::ShutDown));
    assert_eq!(q.task_done(), Err(QueueError::TaskDoneTooManyTimes));
    q.join();
}

#[test]
fn c29_immediate_shutdown_only_discounts_what_it_drains() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::unbounded());
    for i in 0..3 {
        q.put(i).unwrap();
    }
    assert_eq!(q.get(), Ok(0));
    q.shutdown(true);
    assert_eq!((q.qsize(), q.unfinished_tasks()), (0, 1));
    let joiner = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.join())
    };
    assert_still_blocked(&joiner, "join with one unfinished task");
    q.task_done().unwrap();
    joiner.join().unwrap();
    assert_eq!(q.unfinished_tasks(), 0);
    assert_eq!(q.task_done(), Err(QueueError::TaskDoneTooManyTimes));
}

#[test]
fn c30_the_count_never_goes_below_zero() {
    watchdog::arm();
    let q = TaskQueue::unbounded();
    q.put(1).unwrap();
    q.put(2).unwrap();
    q.task_done().unwrap();
    q.task_done().unwrap();
    assert_eq!((q.unfinished_tasks(), q.qsize()), (0, 2));
    q.shutdown(true);
    assert_eq!((q.unfinished_tasks(), q.qsize()), (0, 0));
}

#[test]
fn c31_blocked_get_is_woken_by_shutdown() {
    watchdog::arm();
    for timeout in [None, Some(5.0)] {
        let q = Arc::new(TaskQueue::<i32>::unbounded());
        let getter = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.get_with(true, timeout))
        };
        assert_still_blocked(&getter, "get on an empty queue");
        let start = Instant::now();
        q.shutdown(false);
        assert_eq!(getter.join().unwrap(), Err(QueueError::ShutDown));
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "woken, not timed out"
        );
    }
}

#[test]
fn c32_blocked_put_is_woken_by_shutdown() {
    watchdog::arm();
    for timeout in [None, Some(5.0)] {
        let q = Arc::new(TaskQueue::new(1));
        q.put("Y").unwrap();
        let putter = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.put_with("E", true, timeout))
        };
        assert_still_blocked(&putter, "put on a full queue");
        q.shutdown(false);
        let rejected = putter.join().unwrap().unwrap_err();
        assert_eq!((rejected.error, rejected.item), (QueueError::ShutDown, "E"));
        assert_eq!(q.unfinished_tasks(), 1);
        assert_eq!(drain(&q), ["Y"]);
    }
}

#[test]
fn c33_three_getters_two_items_after_shutdown() {
    watchdog::arm();
    let q = Arc::new(TaskQueue::new(2));
    q.put("Y").unwrap();
    q.put("D").unwrap();
    q.shutdown(false);
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            thread::spawn(move || q.get())
        })
        .collect();
    let mut results: Vec<_> = getters.into_iter().map(|g| g.join().unwrap()).collect();
    results.sort();
    assert_eq!(results, [Ok("D"), Ok("Y"), Err(QueueError::ShutDown)]);
}

#[test]
fn c34_join_is_released_by_immediate_shutdown_only() {
    watchdog::arm();
    // immediate: releases join
    let q = Arc::new(TaskQueue::unbounded());
    q.put("Y").unwrap();
    let joiner = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.join())
    };
    assert_still_blocked(&joiner, "join with one unfinished task");
    q.shutdown(true);
    joiner.join().unwrap();

    // not immediate: join waits for the task_done
    let q = Arc::new(TaskQueue::unbounded());
    q.put("Y").unwrap();
    let joiner = {
        let q = Arc::clone(&q);
        thread::spawn(move || q.join())
    };
    q.shutdown(false);
    assert_still_blocked(&joiner, "join after a non-immediate shutdown");
    assert_eq!(q.get(), Ok("Y"));
    q.task_done().unwrap();
    joiner.join().unwrap();
}

// ---------------------------------------------------------------- G. Lock

#[test]
fn c35_new_lock_is_unlocked_and_acquire_takes_it() {
    watchdog::arm();
    let lock = Lock::new();
    assert!(!lock.locked());
    assert!(lock.acquire());
    assert!(lock.locked());
}

#[test]
fn c36_held_lock_refuses_non_blocking_and_timed_acquires() {
    watchdog::arm();
    let lock = Lock::new();
    lock.acquire();
    let start = Instant::now();
    assert!(!lock.try_acquire());
    assert_eq!(lock.acquire_with(false, -1.0), Ok(false));
    assert_eq!(lock.acquire_with(true, 0.0), Ok(false));
    assert!(!lock.acquire_timeout(Duration::ZERO));
    assert!(start.elapsed() < GENEROUS);
    let start = Instant::now();
    assert_eq!(lock.acquire_with(true, 0.05), Ok(false));
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(50) && elapsed < GENEROUS,
        "{elapsed:?}"
    );
    assert!(lock.locked());
}

#[test]
fn c37_lock_argument_errors() {
    watchdog::arm();
    let lock = Lock::new();
    assert_eq!(
        lock.acquire_with(false, 1.0),
        Err(LockError::TimeoutWithoutBlocking)
    );
    assert_eq!(
        lock.acquire_with(true, -2.0),
        Err(LockError::NegativeTimeout)
    );
    assert_eq!(
        lock.acquire_with(true, -1.5),
        Err(LockError::NegativeTimeout)
    );
    assert_eq!(
        lock.acquire_with(true, 1e100),
        Err(LockError::TimeoutOverflow)
    );
    assert!(!lock.locked(), "a refused acquire takes nothing");
    assert_eq!(
        lock.acquire_with(true, -1.0),
        Ok(true),
        "-1 means wait forever"
    );
    assert_eq!(
        LockError::TimeoutWithoutBlocking.to_string(),
        "can't specify a timeout for a non-blocking call"
    );
}

#[test]
fn c38_release_unlocked_is_an_error_and_any_thread_may_release() {
    watchdog::arm();
    let lock = Arc::new(Lock::new());
    assert_eq!(lock.release(), Err(LockError::ReleaseUnlocked));
    assert_eq!(
        LockError::ReleaseUnlocked.to_string(),
        "release unlocked lock"
    );
    assert!(lock.try_acquire());
    let other = Arc::clone(&lock);
    thread::spawn(move || other.release())
        .join()
        .unwrap()
        .unwrap();
    assert!(!lock.locked());
}

#[test]
fn c39_scoped_guard_releases_also_on_panic() {
    watchdog::arm();
    let lock = Lock::new();
    {
        let _guard = lock.lock();
        assert!(lock.locked());
    }
    assert!(!lock.locked());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _guard = lock.lock();
        panic!("boom");
    }));
    assert!(result.is_err(), "the panic propagates");
    assert!(!lock.locked(), "and the lock is released");
}

#[test]
fn c40_release_hands_the_lock_to_a_waiter() {
    watchdog::arm();
    let lock = Arc::new(Lock::new());
    lock.acquire();
    let (about_to_acquire, ready) = mpsc::channel();
    let acquired = Arc::new(AtomicBool::new(false));
    let waiter = {
        let (lock, acquired) = (Arc::clone(&lock), Arc::clone(&acquired));
        thread::spawn(move || {
            let start = Instant::now();
            about_to_acquire.send(()).unwrap();
            let got = lock.acquire();
            acquired.store(true, SeqCst);
            (got, start.elapsed())
        })
    };
    ready.recv().unwrap();
    thread::sleep(Duration::from_millis(100));
    assert!(!acquired.load(SeqCst), "the waiter got a held lock");
    lock.release().unwrap();
    let (got, waited) = waiter.join().unwrap();
    assert!(got);
    assert!(waited >= Duration::from_millis(100), "{waited:?}");
    assert!(lock.locked(), "the waiter now holds it");
}
