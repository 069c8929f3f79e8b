//! The hand-picked programs and the weak-memory litmus programs, written once against a
//! facade: the module that includes this file provides `sync` and `thread` (racelab's or
//! loom's, with `std`'s names and signatures), so the racelab and loom versions are the
//! same code and cannot drift.
//!
//! Every program is a `main` that spawns its threads, joins them, and returns what it
//! observed as a `Vec<u64>`. No thread asserts anything (loom aborts the process when a
//! model thread panics while another is blocked): values are returned and compared after
//! the check.

use std::collections::VecDeque;

use super::sync::atomic::{AtomicU64, Ordering, Ordering::SeqCst};
use super::sync::{Arc, Condvar, Mutex};
use super::thread;

/// Joins `handles` in order and returns what each thread returned.
fn join_all<T>(handles: Vec<thread::JoinHandle<T>>) -> Vec<T> {
    handles
        .into_iter()
        .map(|h| h.join().expect("no thread panics"))
        .collect()
}

/// The lost update: each of `threads` threads loads the counter, then stores the value it
/// loaded plus one. Returns the final value.
pub fn lost_update(threads: usize) -> Vec<u64> {
    let counter = Arc::new(AtomicU64::new(0));
    let handles = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                let read = counter.load(SeqCst);
                counter.store(read + 1, SeqCst);
            })
        })
        .collect();
    join_all(handles);
    vec![counter.load(SeqCst)]
}

/// Each of `threads` threads adds one under a mutex. Returns the final value.
pub fn mutex_counter(threads: usize) -> Vec<u64> {
    let counter = Arc::new(Mutex::new(0u64));
    let handles = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                *counter.lock().expect("no thread panics") += 1;
            })
        })
        .collect();
    join_all(handles);
    let total = *counter.lock().expect("no thread panics");
    vec![total]
}

/// Each of `threads` threads adds one with a compare-exchange loop. Returns the final value
/// and how many compare-exchanges failed in all.
pub fn cas_counter(threads: usize) -> Vec<u64> {
    let counter = Arc::new(AtomicU64::new(0));
    let handles = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                let mut failed = 0;
                loop {
                    let read = counter.load(SeqCst);
                    match counter.compare_exchange(read, read + 1, SeqCst, SeqCst) {
                        Ok(_) => return failed,
                        Err(_) => failed += 1,
                    }
                }
            })
        })
        .collect();
    let failed: u64 = join_all(handles).into_iter().sum();
    vec![counter.load(SeqCst), failed]
}

/// Orderings of a message-passing program (see [`message_passing`]).
#[derive(Clone, Copy)]
pub struct Mp {
    /// The writer's store of the data.
    pub data_store: Ordering,
    /// The writer's store of the flag.
    pub flag_store: Ordering,
    /// The reader's load of the flag.
    pub flag_load: Ordering,
    /// The reader's load of the data.
    pub data_load: Ordering,
}

/// Message passing: `data = 1; flag = 1 | r1 = flag; r2 = data`. Returns `[r1, r2]`;
/// `[1, 0]` is the weak outcome (the flag seen, the data not).
pub fn message_passing(o: Mp) -> Vec<u64> {
    let data = Arc::new(AtomicU64::new(0));
    let flag = Arc::new(AtomicU64::new(0));
    let writer = {
        let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
        thread::spawn(move || {
            data.store(1, o.data_store);
            flag.store(1, o.flag_store);
        })
    };
    let reader = {
        let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
        thread::spawn(move || {
            let r1 = flag.load(o.flag_load);
            let r2 = data.load(o.data_load);
            vec![r1, r2]
        })
    };
    writer.join().expect("no thread panics");
    reader.join().expect("no thread panics")
}

/// Store buffering: `x = 1; r1 = y | y = 1; r2 = x`, stores with `store`, loads with
/// `load`. Returns `[r1, r2]`; `[0, 0]` is the weak outcome (sequential consistency forbids
/// it).
pub fn store_buffering(store: Ordering, load: Ordering) -> Vec<u64> {
    let x = Arc::new(AtomicU64::new(0));
    let y = Arc::new(AtomicU64::new(0));
    let one = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            x.store(1, store);
            y.load(load)
        })
    };
    let two = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            y.store(1, store);
            x.load(load)
        })
    };
    vec![
        one.join().expect("no thread panics"),
        two.join().expect("no thread panics"),
    ]
}

/// Load buffering: `r1 = x; y = 1 | r2 = y; x = 1`. Returns `[r1, r2]`; `[1, 1]` needs a
/// load to read from a store that comes after it in its own thread (RC11 forbids it).
pub fn load_buffering(store: Ordering, load: Ordering) -> Vec<u64> {
    let x = Arc::new(AtomicU64::new(0));
    let y = Arc::new(AtomicU64::new(0));
    let one = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            let r = x.load(load);
            y.store(1, store);
            r
        })
    };
    let two = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            let r = y.load(load);
            x.store(1, store);
            r
        })
    };
    vec![
        one.join().expect("no thread panics"),
        two.join().expect("no thread panics"),
    ]
}

/// Independent reads of independent writes: `x = 1 | y = 1 | r1 = x; r2 = y | r3 = y;
/// r4 = x`. Returns `[r1, r2, r3, r4]`; `[1, 0, 1, 0]` (the readers disagree on the order
/// of the writes) is the weak outcome.
pub fn iriw(store: Ordering, load: Ordering) -> Vec<u64> {
    let x = Arc::new(AtomicU64::new(0));
    let y = Arc::new(AtomicU64::new(0));
    let wx = {
        let x = Arc::clone(&x);
        thread::spawn(move || x.store(1, store))
    };
    let wy = {
        let y = Arc::clone(&y);
        thread::spawn(move || y.store(1, store))
    };
    let r_xy = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || vec![x.load(load), y.load(load)])
    };
    let r_yx = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || vec![y.load(load), x.load(load)])
    };
    wx.join().expect("no thread panics");
    wy.join().expect("no thread panics");
    let mut out = r_xy.join().expect("no thread panics");
    out.extend(r_yx.join().expect("no thread panics"));
    out
}

/// 2+2W: `x = 1; y = 2 | y = 1; x = 2`. Returns the final `[x, y]`, read by main after both
/// joins; `[1, 1]` (each thread's first store last in its location's order) is the weak
/// outcome.
pub fn two_plus_two_w(store: Ordering, load: Ordering) -> Vec<u64> {
    let x = Arc::new(AtomicU64::new(0));
    let y = Arc::new(AtomicU64::new(0));
    let one = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            x.store(1, store);
            y.store(2, store);
        })
    };
    let two = {
        let (x, y) = (Arc::clone(&x), Arc::clone(&y));
        thread::spawn(move || {
            y.store(1, store);
            x.store(2, store);
        })
    };
    one.join().expect("no thread panics");
    two.join().expect("no thread panics");
    vec![x.load(load), y.load(load)]
}

/// A learner's bounded task queue (capacity 1): one mutex, two condition variables.
struct Queue {
    /// The items, and whether the producer is done.
    state: Mutex<(VecDeque<u64>, bool)>,
    /// Signalled when an item is put or the queue is closed.
    not_empty: Condvar,
    /// Signalled when an item is taken.
    not_full: Condvar,
    /// The consumer waits with `while` (right) or with `if` (the bug).
    while_wait: bool,
}

/// The queue's capacity.
const CAPACITY: usize = 1;

impl Queue {
    /// Puts `item`, waiting while the queue is full.
    fn put(&self, item: u64) {
        let mut state = self.state.lock().expect("no thread panics");
        while state.0.len() == CAPACITY {
            state = self.not_full.wait(state).expect("no thread panics");
        }
        state.0.push_back(item);
        self.not_empty.notify_one();
    }

    /// No more items will come: wakes every waiting consumer.
    fn close(&self) {
        let mut state = self.state.lock().expect("no thread panics");
        state.1 = true;
        self.not_empty.notify_all();
    }

    /// The next item, or `Closed` once the queue is closed and empty. With `while_wait`
    /// false, a consumer that wakes up does not check again, and may find the queue empty
    /// and open (another consumer took the item it was woken for).
    fn get(&self) -> Got {
        let mut state = self.state.lock().expect("no thread panics");
        if self.while_wait {
            while state.0.is_empty() && !state.1 {
                state = self.not_empty.wait(state).expect("no thread panics");
            }
        } else if state.0.is_empty() && !state.1 {
            state = self.not_empty.wait(state).expect("no thread panics");
        }
        match state.0.pop_front() {
            Some(item) => {
                self.not_full.notify_one();
                Got::Item(item)
            }
            None if state.1 => Got::Closed,
            None => Got::Empty,
        }
    }
}

/// What a consumer's [`Queue::get`] gave.
enum Got {
    /// An item.
    Item(u64),
    /// The queue is closed and empty.
    Closed,
    /// The queue is empty and open after a wait: where a learner's `pop_front().unwrap()`
    /// panics. (Only the `if` wait gets here.)
    Empty,
}

/// What a consumer records, and then stops, when [`Got::Empty`] happens (instead of
/// panicking: loom aborts the process when a thread panics while another is blocked).
pub const WOKE_TO_EMPTY: u64 = 99;

/// A producer puts `workers * items` numbered items (from 1) into a [`Queue`] of capacity
/// 1, then closes it; `workers` consumers take items until the queue says it is closed.
/// With `while_wait` false the consumers wait with `if` instead of `while`, and a consumer
/// that wakes to an empty open queue records [`WOKE_TO_EMPTY`] and stops (where the
/// learner's `unwrap` panics). Returns what each consumer got, each list followed by a 0,
/// then the items left in the queue.
pub fn task_queue(workers: usize, items: usize, while_wait: bool) -> Vec<u64> {
    let queue = Arc::new(Queue {
        state: Mutex::new((VecDeque::new(), false)),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
        while_wait,
    });
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            for item in 1..=(workers * items) as u64 {
                queue.put(item);
            }
            queue.close();
        })
    };
    let consumers = (0..workers)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                let mut got = Vec::new();
                loop {
                    match queue.get() {
                        Got::Item(item) => got.push(item),
                        Got::Closed => return got,
                        Got::Empty => {
                            got.push(WOKE_TO_EMPTY);
                            return got;
                        }
                    }
                }
            })
        })
        .collect();
    producer.join().expect("no thread panics");
    let mut out = Vec::new();
    for got in join_all(consumers) {
        out.extend(got);
        out.push(0);
    }
    let left = queue.state.lock().expect("no thread panics").0.clone();
    out.extend(left);
    out
}
