//! Small facts of the core's API that the bigger tests take for granted: what `Debug`
//! shows, that an observed object reports its steps, what a timeout returns, what `maxsize`
//! and `full` say at the boundary, and that a pool reports its handlers' panics. Each test
//! pins a behaviour a mutation of the core would change (see `ci/mutants.sh`).
#![cfg(not(loom))]

use crate::watchdog;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab::counter::Counter;
use racelab::error::PoolError;
use racelab::lock::Lock;
use racelab::pause::Pause;
use racelab::pool::WorkerPool;
use racelab::queue::TaskQueue;
use racelab::step::{Observer, Step};

/// An observer that keeps the steps it sees.
fn recorder() -> (Observer, Arc<Mutex<Vec<Step>>>) {
    let steps = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&steps);
    let observer: Observer = Arc::new(move |step: Step| sink.lock().unwrap().push(step));
    (observer, steps)
}

#[test]
fn lock_debug_shows_whether_it_is_held() {
    watchdog::arm();
    let lock = Lock::new();
    assert_eq!(format!("{lock:?}"), "Lock { locked: false }");
    assert!(lock.acquire());
    assert_eq!(format!("{lock:?}"), "Lock { locked: true }");
}

#[test]
fn an_observed_lock_reports_its_acquires_and_releases_by_name() {
    watchdog::arm();
    let (observer, steps) = recorder();
    let lock = Lock::observed(observer);
    lock.acquire();
    lock.release().unwrap();
    assert_eq!(
        *steps.lock().unwrap(),
        [Step::Acquire("lock"), Step::Release("lock")]
    );

    let (observer, steps) = recorder();
    let lock = Lock::observed_as("lock A", observer);
    assert!(lock.try_acquire());
    lock.release().unwrap();
    assert_eq!(
        *steps.lock().unwrap(),
        [Step::Acquire("lock A"), Step::Release("lock A")]
    );
}

#[test]
fn acquire_timeout_takes_a_free_lock_and_gives_up_on_a_held_one() {
    watchdog::arm();
    let lock = Lock::new();
    assert!(lock.acquire_timeout(Duration::from_millis(1)));
    assert!(
        !lock.acquire_timeout(Duration::from_millis(1)),
        "held: gives up"
    );
    assert!(
        !lock.acquire_timeout(Duration::ZERO),
        "held, no time: gives up at once"
    );
    assert_eq!(lock.acquire_with(true, 0.001), Ok(false));
    lock.release().unwrap();
    assert_eq!(lock.acquire_with(true, 0.001), Ok(true));
}

#[test]
fn queue_debug_maxsize_and_full_at_the_boundary() {
    watchdog::arm();
    let q = TaskQueue::new(2);
    assert_eq!(q.maxsize(), 2);
    assert_eq!(TaskQueue::<u8>::unbounded().maxsize(), 0);
    assert!(!q.full());
    q.put(1).unwrap();
    assert!(!q.full(), "one below maxsize");
    q.put(2).unwrap();
    assert!(q.full(), "at maxsize");
    assert_eq!(
        format!("{q:?}"),
        "TaskQueue { maxsize: 2, qsize: 2, unfinished_tasks: 2, is_shutdown: false }"
    );
    assert!(
        !TaskQueue::<u8>::unbounded().full(),
        "an unbounded queue is never full"
    );
}

#[test]
fn an_observed_queue_reports_put_get_and_task_done() {
    watchdog::arm();
    let (observer, steps) = recorder();
    let q = TaskQueue::observed(0, observer);
    q.put("a").unwrap();
    q.put("b").unwrap();
    assert_eq!(q.get(), Ok("a"));
    q.task_done().unwrap();
    assert_eq!(
        *steps.lock().unwrap(),
        [Step::Put(0), Step::Put(1), Step::Get(0), Step::TaskDone]
    );
}

#[test]
fn an_observed_counter_reports_its_read_and_write() {
    watchdog::arm();
    let (observer, steps) = recorder();
    let counter = Counter::observed(Pause::None, observer);
    counter.increment_unlocked();
    counter.increment_unlocked();
    assert_eq!(counter.value(), 2);
    assert_eq!(
        *steps.lock().unwrap(),
        [Step::Read(0), Step::Write(1), Step::Read(1), Step::Write(2)]
    );
    assert_eq!(
        format!("{counter:?}"),
        "Counter { value: 2, pause: None, .. }"
    );
}

#[test]
fn a_pool_reports_handler_panics_at_shutdown_and_at_join() {
    watchdog::arm();
    let pool = WorkerPool::new(2, 0, |_, x: u32| assert!(x != 3, "three is unlucky"));
    for x in 1..=4 {
        pool.queue().put(x).unwrap();
    }
    match pool.join() {
        Err(PoolError::HandlerPanicked(panics)) => {
            assert_eq!(panics.len(), 1);
            assert!(panics[0].message.contains("three is unlucky"), "{panics:?}");
            assert!(panics[0].worker.starts_with("Thread"), "{panics:?}");
        }
        other => panic!("join should report the panic, got {other:?}"),
    }
    pool.queue().put(3).unwrap();
    assert!(
        matches!(pool.shutdown(), Err(PoolError::HandlerPanicked(p)) if p.len() == 1),
        "shutdown reports the panics since the last report"
    );
    let quiet = WorkerPool::new(2, 3, |_, _x: u32| {});
    assert_eq!(
        format!("{quiet:?}"),
        "WorkerPool { workers: 2, queue: TaskQueue { maxsize: 3, qsize: 0, \
         unfinished_tasks: 0, is_shutdown: false } }"
    );
    quiet.queue().put(1).unwrap();
    assert_eq!(quiet.shutdown(), Ok(()));
}

/// A handler that marks its own task done makes the worker's own `task_done` one too many,
/// which the worker ignores (it never takes the count below zero): the pool goes on to the
/// next item, `join` returns and the pool stops cleanly. With three items and a second
/// `task_done` per item, at least one of the worker's comes when the count is zero,
/// whatever the schedule.
#[test]
fn a_handler_that_marks_its_own_task_done_leaves_the_pool_working() {
    watchdog::arm();
    let queue: Arc<std::sync::OnceLock<Arc<TaskQueue<u32>>>> = Arc::default();
    let (done, handled) = std::sync::mpsc::channel();
    let pool = {
        let queue = Arc::clone(&queue);
        let done = Mutex::new(done);
        WorkerPool::new(1, 0, move |_worker, x: u32| {
            // One too many once the count is zero: refused, as Python's would be.
            let _ = queue.get().expect("set before the first put").task_done();
            done.lock().unwrap().send(x).unwrap();
        })
    };
    queue.set(Arc::clone(pool.queue())).unwrap();
    for x in 0..3 {
        pool.queue().put(x).unwrap();
    }
    for x in 0..3 {
        let got = handled.recv_timeout(Duration::from_secs(5));
        assert_eq!(got, Ok(x), "the worker stopped after an extra task_done");
    }
    pool.join().unwrap();
    assert_eq!(pool.queue().unfinished_tasks(), 0);
    pool.shutdown().unwrap();
}
