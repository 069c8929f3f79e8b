//! The scenarios' programs: the tutorial's, on the core compiled for checking, and the
//! learner code of the classic mistakes, written *with* the core's primitives exactly as a
//! learner would write it. Every thread reports its steps to the [`Recorder`] and calls
//! [`Recorder::finish`] when it has taken its last one.

use std::collections::VecDeque;

use super::catalogue::Params;
use super::catalogue::{Kind, Scenario};
use super::lessons::{ALL_RECEIVED, SAW_MESSAGE, STALE, TOO_EARLY, initialised_times};
use super::outcome::{EndState, join_outcome};
use crate::check::sync::atomic::{AtomicUsize, Ordering, Ordering::SeqCst};
use crate::check::sync::{Arc, Condvar, Mutex, RwLock, mpsc};
use crate::check::thread;
use crate::checked::counter::Increment;
use crate::checked::lock::Lock;
use crate::checked::queue::TaskQueue;
use crate::checked::scenario;
use crate::checked::trace::Recorder;
use crate::pause::Pause;
use crate::step::Step;

impl Scenario {
    /// Runs the scenario in the current execution and returns how it ended.
    pub fn run(&self, rec: &Recorder) -> EndState {
        let Params {
            threads,
            increments,
            workers,
            items,
        } = self.params;
        match self.kind {
            Kind::CounterUnlocked => counter(rec, threads, increments, Increment::Unlocked),
            Kind::CounterLocked => counter(rec, threads, increments, Increment::Locked),
            Kind::CounterAtomic => counter(rec, threads, increments, Increment::Atomic),
            Kind::InsufficientLock => {
                learner_counter(rec, threads, increments, Mistake::LockReadOnly)
            }
            Kind::TwoLocks => learner_counter(rec, threads, increments, Mistake::TwoLocks),
            Kind::NeverReleased => learner_counter(rec, threads, 1, Mistake::NeverRelease),
            Kind::Queue => pool(rec, workers, items),
            Kind::TaskDoneEarly => task_done_early(rec, workers, items),
            Kind::IfNotWhile => if_not_while(rec),
            Kind::MessageRelaxed => message(rec, Ordering::Relaxed, Ordering::Relaxed),
            Kind::MessageReleaseAcquire => message(rec, Ordering::Release, Ordering::Acquire),
            Kind::OnceByHand => once_by_hand(rec, threads),
            Kind::ReadThenWriteLock => read_then_write_lock(rec, threads, increments),
            Kind::SenderKept => sender_kept(rec, items),
        }
    }
}

fn join_all(handles: Vec<thread::JoinHandle<()>>) {
    for handle in handles {
        handle.join().expect("a scenario thread does not panic");
    }
}

fn counter(rec: &Recorder, threads: usize, increments: usize, strategy: Increment) -> EndState {
    EndState::Value(scenario::counter_with(
        Pause::None,
        threads,
        increments,
        strategy,
        rec,
    ))
}

#[derive(Clone, Copy)]
enum Mistake {
    LockReadOnly,
    TwoLocks,
    NeverRelease,
}

/// Learner code: the tutorial's increment with the lock used wrongly.
fn learner_counter(
    rec: &Recorder,
    threads: usize,
    increments: usize,
    mistake: Mistake,
) -> EndState {
    let value = Arc::new(AtomicUsize::new(0).named("database_value"));
    let names = match mistake {
        Mistake::TwoLocks => ["lock A", "lock B"],
        _ => ["lock", "unused"],
    };
    let locks = Arc::new(names.map(|name| Lock::observed_as(name, rec.observer())));
    let handles = (1..=threads)
        .map(|t| {
            let (value, locks, rec) = (Arc::clone(&value), Arc::clone(&locks), rec.clone());
            thread::spawn(move || {
                let lock = match mistake {
                    Mistake::TwoLocks => &locks[(t + 1) % 2],
                    _ => &locks[0],
                };
                for _ in 0..increments {
                    lock.acquire();
                    let local = rec.step(|| {
                        let v = value.load(SeqCst);
                        (v, Step::Read(v))
                    });
                    if let Mistake::LockReadOnly = mistake {
                        let _ = lock.release(); // too early: the write is not protected
                    }
                    rec.step(|| {
                        value.store(local + 1, SeqCst);
                        ((), Step::Write(local + 1))
                    });
                    if let Mistake::TwoLocks = mistake {
                        let _ = lock.release();
                    }
                }
                rec.finish();
            })
        })
        .collect();
    join_all(handles);
    EndState::Value(value.load(SeqCst))
}

/// The tutorial's pool: `workers` workers (Thread1..), a Producer putting `items` items,
/// main joining the producer, then the queue, then noting how many items were handled.
fn pool(rec: &Recorder, workers: usize, items: usize) -> EndState {
    let outcome = scenario::pool_observed(rec, 1, workers, items, 0);
    join_outcome(outcome.finished_at_join, items)
}

fn producer(rec: &Recorder, queue: &Arc<TaskQueue<usize>>, items: usize) -> thread::JoinHandle<()> {
    let (queue, rec) = (Arc::clone(queue), rec.clone());
    thread::spawn(move || {
        for item in 0..items {
            queue.put(item).expect("the queue is open");
        }
        rec.finish();
    })
}

/// Learner code: a worker loop that calls task_done before the work.
fn task_done_early(rec: &Recorder, workers: usize, items: usize) -> EndState {
    // A racelab atomic, not std's: every engine (the exhaustive search and shuttle too, not only the
    // explorer, which switches at the marked step around it) must see the count shared.
    let handled = Arc::new(AtomicUsize::new(0));
    let queue = Arc::new(TaskQueue::observed(0, rec.observer()));
    let handles: Vec<_> = (1..=workers)
        .map(|_| {
            let (queue, rec, handled) = (Arc::clone(&queue), rec.clone(), Arc::clone(&handled));
            thread::spawn(move || {
                while let Ok(item) = queue.get() {
                    let _ = queue.task_done(); // the mistake: done before the work
                    rec.step(|| (handled.fetch_add(1, SeqCst), Step::Handle(item)));
                }
                rec.finish();
            })
        })
        .collect();
    let producer = producer(rec, &queue, items);
    producer.join().expect("the producer does not panic");
    rec.before_step();
    queue.join();
    let handled_at_join = handled.load(SeqCst);
    rec.record(Step::Joined);
    rec.end_of_lesson();
    queue.shutdown(false);
    join_all(handles);
    join_outcome(handled_at_join, items)
}

/// Learner code: a hand-made queue whose consumers wait with `if`.
fn if_not_while(rec: &Recorder) -> EndState {
    let shared = Arc::new((
        Mutex::new(VecDeque::new()).named("items"),
        Condvar::new().named("not_empty"),
    ));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let (shared, rec) = (Arc::clone(&shared), rec.clone());
            thread::spawn(move || {
                let (items, nonempty) = &*shared;
                rec.before_step();
                let mut queue = items
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if queue.is_empty() {
                    // The mistake: `if`. Between the notify and this wake-up another
                    // consumer may have taken the item; `while` would check again.
                    queue = nonempty
                        .wait(queue)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                let got = queue.pop_front();
                drop(queue);
                rec.record(got.map_or(Step::GotNothing, Step::Get));
                rec.finish();
                got.is_some()
            })
        })
        .collect();
    let producer = {
        let (shared, rec) = (Arc::clone(&shared), rec.clone());
        thread::spawn(move || {
            let (items, nonempty) = &*shared;
            for item in 0..2 {
                rec.step(|| {
                    items
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push_back(item);
                    ((), Step::Put(item))
                });
                nonempty.notify_one();
            }
            rec.finish();
        })
    };
    producer.join().expect("the producer does not panic");
    let all_got = consumers
        .into_iter()
        .all(|c| c.join().expect("a consumer does not panic"));
    if all_got {
        EndState::Label("each consumer got an item".to_string())
    } else {
        EndState::Label("a consumer woke up to an empty queue and got nothing".to_string())
    }
}

/// Learner code: Thread1 publishes `data` by setting `flag` (stored with `store`); Thread2
/// loads `flag` (with `load`) and, if it is set, reads `data`. The data's own accesses are
/// `Relaxed`: only the flag's orderings decide whether the reader can see stale data.
fn message(rec: &Recorder, store: Ordering, load: Ordering) -> EndState {
    use Ordering::Relaxed;
    let data = Arc::new(AtomicUsize::new(0).named("data"));
    let flag = Arc::new(AtomicUsize::new(0).named("flag"));
    let writer = {
        let (data, flag, rec) = (Arc::clone(&data), Arc::clone(&flag), rec.clone());
        thread::spawn(move || {
            rec.step(|| {
                data.store(42, Relaxed);
                ((), Step::Store("data", 42))
            });
            rec.step(|| {
                flag.store(1, store);
                ((), Step::Store("flag", 1))
            });
            rec.finish();
        })
    };
    let reader = {
        let rec = rec.clone();
        thread::spawn(move || {
            let set = rec.step(|| {
                let f = flag.load(load);
                (f, Step::Load("flag", f))
            });
            let seen = (set == 1).then(|| {
                rec.step(|| {
                    let d = data.load(Relaxed);
                    (d, Step::Load("data", d))
                })
            });
            rec.finish();
            seen
        })
    };
    writer.join().expect("the writer does not panic");
    let label = match reader.join().expect("the reader does not panic") {
        None => TOO_EARLY,
        Some(42) => SAW_MESSAGE,
        Some(_) => STALE,
    };
    EndState::Label(label.to_string())
}

/// Learner code: each thread initialises once "unless it was done", with a flag it checks,
/// then sets (instead of `Once::call_once`).
fn once_by_hand(rec: &Recorder, threads: usize) -> EndState {
    let initialised = Arc::new(AtomicUsize::new(0).named("initialised"));
    let runs = Arc::new(AtomicUsize::new(0));
    let handles = (0..threads)
        .map(|_| {
            let (initialised, runs, rec) =
                (Arc::clone(&initialised), Arc::clone(&runs), rec.clone());
            thread::spawn(move || {
                let seen = rec.step(|| {
                    let v = initialised.load(SeqCst);
                    (v, Step::Load("initialised", v))
                });
                if seen == 0 {
                    rec.step(|| (runs.fetch_add(1, SeqCst), Step::Initialise));
                    rec.step(|| {
                        initialised.store(1, SeqCst);
                        ((), Step::Store("initialised", 1))
                    });
                }
                rec.finish();
            })
        })
        .collect();
    join_all(handles);
    EndState::Label(initialised_times(runs.load(SeqCst)))
}

/// Learner code: the tutorial's increment under an `RwLock`, reading under the read lock
/// and writing under the write lock (a read lock cannot be upgraded, so the learner lets
/// go of it first).
fn read_then_write_lock(rec: &Recorder, threads: usize, increments: usize) -> EndState {
    let value = Arc::new(RwLock::new(0usize).named("database_value"));
    let handles = (0..threads)
        .map(|_| {
            let (value, rec) = (Arc::clone(&value), rec.clone());
            thread::spawn(move || {
                for _ in 0..increments {
                    let local = rec.step(|| {
                        let v = *value
                            .read()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        (v, Step::Read(v))
                    });
                    rec.step(|| {
                        *value
                            .write()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = local + 1;
                        ((), Step::Write(local + 1))
                    });
                }
                rec.finish();
            })
        })
        .collect();
    join_all(handles);
    let end = *value
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    EndState::Value(end)
}

/// Learner code: a Producer sends `items` messages on a clone of main's `Sender` to a worker
/// (Thread1) that receives until every `Sender` is dropped; main joins both, still holding
/// the original `Sender`.
fn sender_kept(rec: &Recorder, items: usize) -> EndState {
    let (tx, rx) = mpsc::channel::<usize>();
    let worker = {
        let rec = rec.clone();
        thread::spawn(move || {
            loop {
                rec.before_step();
                match rx.recv() {
                    Ok(message) => rec.record(Step::Recv(message)),
                    Err(_) => break, // every Sender was dropped
                }
            }
            rec.finish();
        })
    };
    let producer = {
        let (tx, rec) = (tx.clone(), rec.clone());
        thread::spawn(move || {
            for message in 0..items {
                rec.step(|| {
                    tx.send(message).expect("the worker receives");
                    ((), Step::Send(message))
                });
            }
            rec.finish();
        }) // the Producer's clone is dropped here
    };
    producer.join().expect("the producer does not panic");
    // The mistake: `drop(tx)` belongs here. The worker waits for more while main waits for
    // the worker.
    worker.join().expect("the worker does not panic");
    drop(tx);
    EndState::Label(ALL_RECEIVED.to_string())
}
