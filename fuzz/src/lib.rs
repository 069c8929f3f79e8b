//! The logic of racelab's fuzz targets, shared by the targets (`fuzz_targets/`) and by the
//! main crate's `tests/teach/fuzz_corpus.rs`, which includes this file with `#[path]` and runs
//! every committed corpus input as an ordinary test.
//!
//! Every function returns `Err(description)` when the input breaks an invariant; the fuzz
//! targets turn that into a panic (a crash for libFuzzer).

use std::collections::VecDeque;

use arbitrary::{Arbitrary, Unstructured};
use racelab::checked::ChoiceScheduler;
use racelab::checked::counter::Increment;
use racelab::checked::scenario::{self, run};
use racelab::checked::trace::Recorder;
use racelab::error::QueueError;
use racelab::queue::TaskQueue;
use racelab::teach::{Kind, Params, Scenario, parse_schedule, replay};

/// Fuzz bytes as a workload and a schedule for the counter: the first byte picks the
/// threads (2–4) and increments (1–3), the rest are [`ChoiceScheduler`] choices. The
/// total must be exact.
pub fn schedule_counter(data: &[u8], strategy: Increment) -> Result<(), String> {
    let (threads, increments, choices) = match data {
        [] => (2, 1, &[][..]),
        [first, rest @ ..] => (
            2 + usize::from(first % 3),
            1 + usize::from(first / 3 % 3),
            rest,
        ),
    };
    let choices = &choices[..choices.len().min(256)];
    let value = run(ChoiceScheduler::new(choices), move || {
        scenario::counter(threads, increments, strategy, &Recorder::new())
    })
    .remove(0);
    if value == threads * increments {
        Ok(())
    } else {
        Err(format!(
            "{strategy:?}: {threads} threads × {increments} increment(s) ended at {value}, not {} (lost update)",
            threads * increments
        ))
    }
}

/// Fuzz bytes as a pool workload (1–2 producers, 1–3 workers, 1–4 items, maxsize 0–2)
/// and a schedule: every item handled exactly once, `join` only after the last task.
pub fn schedule_pool(data: &[u8]) -> Result<(), String> {
    let (shape, choices) = match data {
        [] => (0, &[][..]),
        [first, rest @ ..] => (*first, rest),
    };
    let producers = 1 + usize::from(shape % 2);
    let workers = 1 + usize::from(shape / 2 % 3);
    let items = 1 + usize::from(shape / 6 % 4);
    let maxsize = isize::from(shape / 24 % 3);
    let choices = &choices[..choices.len().min(512)];
    let outcome = run(ChoiceScheduler::new(choices), move || {
        scenario::pool(producers, workers, items, maxsize)
    })
    .remove(0);
    if outcome.is_correct() {
        Ok(())
    } else {
        Err(format!(
            "pool {producers}P/{workers}W/{items} items/maxsize {maxsize}: {outcome:?}"
        ))
    }
}

/// A timeout as the fuzzer gives it: `None` is no timeout, `Some(t)` is `t / 100` seconds.
/// A positive timeout on a call that would have to wait is skipped (it would only sleep);
/// zero and negative ones are kept: they are where the interesting rules are.
type Timeout = Option<i8>;

/// One single-threaded queue operation.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Op {
    /// `put` (skipped when it would block).
    Put(u8),
    /// `put_nowait`.
    PutNowait(u8),
    /// `put_with(item, block, timeout)`.
    PutWith(u8, bool, Timeout),
    /// `get` (skipped when it would block).
    Get,
    /// `get_nowait`.
    GetNowait,
    /// `get_with(block, timeout)`.
    GetWith(bool, Timeout),
    /// `task_done`.
    TaskDone,
    /// `shutdown(immediate)`.
    Shutdown(bool),
    /// `join` (skipped when it would block).
    Join,
    /// `qsize`, `empty`, `full`, `unfinished_tasks`, `is_shutdown`.
    Inspect,
}

/// The reference model of `queue.Queue`, written from the oracle's `conformance.md`.
#[derive(Debug, Default)]
pub struct Model {
    maxsize: usize,
    items: VecDeque<u8>,
    unfinished: usize,
    shutdown: bool,
}

/// How long a call may wait, in the model.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    No,
    Forever,
    Seconds(f64),
}

fn wait_of(block: bool, timeout: Timeout) -> Wait {
    match (block, timeout) {
        (false, _) => Wait::No,
        (true, None) => Wait::Forever,
        (true, Some(t)) => Wait::Seconds(f64::from(t) / 100.0),
    }
}

/// What the model says a call does: a result, or "would block" (then the harness skips it).
#[derive(Debug, Clone, PartialEq)]
enum Expect<T> {
    Done(Result<T, QueueError>),
    WouldBlock,
}

impl Model {
    fn full(&self) -> bool {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }

    fn put(&mut self, item: u8, wait: Wait) -> Expect<()> {
        if self.shutdown {
            return Expect::Done(Err(QueueError::ShutDown)); // §F 25–26: before anything else
        }
        if self.maxsize > 0 {
            if let Wait::Seconds(t) = wait {
                if t < 0.0 {
                    return Expect::Done(Err(QueueError::NegativeTimeout)); // §C 13
                }
            }
            if self.full() {
                return match wait {
                    Wait::No => Expect::Done(Err(QueueError::Full)),
                    Wait::Seconds(t) if t <= 0.0 => Expect::Done(Err(QueueError::Full)),
                    _ => Expect::WouldBlock,
                };
            }
        }
        self.items.push_back(item);
        self.unfinished += 1;
        Expect::Done(Ok(()))
    }

    fn get(&mut self, wait: Wait) -> Expect<u8> {
        if self.shutdown && self.items.is_empty() {
            return Expect::Done(Err(QueueError::ShutDown)); // §F 25, 27
        }
        if let Wait::Seconds(t) = wait {
            if t < 0.0 {
                return Expect::Done(Err(QueueError::NegativeTimeout)); // §C 14
            }
        }
        match self.items.pop_front() {
            Some(item) => Expect::Done(Ok(item)),
            None => match wait {
                Wait::No => Expect::Done(Err(QueueError::Empty)),
                Wait::Seconds(t) if t <= 0.0 => Expect::Done(Err(QueueError::Empty)),
                _ => Expect::WouldBlock,
            },
        }
    }

    fn task_done(&mut self) -> Result<(), QueueError> {
        if self.unfinished == 0 {
            return Err(QueueError::TaskDoneTooManyTimes); // §E 18
        }
        self.unfinished -= 1;
        Ok(())
    }

    fn shutdown(&mut self, immediate: bool) {
        self.shutdown = true;
        if immediate {
            let drained = self.items.len();
            self.items.clear();
            self.unfinished = self.unfinished.saturating_sub(drained); // §F 29–30
        }
    }
}

fn timeout_duration(t: Timeout) -> Option<f64> {
    t.map(|t| f64::from(t) / 100.0)
}

/// The `maxsize` (-4..=4) and the operations that `data` stands for.
pub fn decode_ops(data: &[u8]) -> (i8, Vec<Op>) {
    let mut u = Unstructured::new(data);
    let maxsize = i8::arbitrary(&mut u).unwrap_or(0) % 5;
    // Operations until the input runs out (arbitrary's own collections stop at the first
    // clear "keep going" bit, so random bytes would mostly give one or two operations).
    let mut ops = Vec::new();
    while !u.is_empty() {
        match Op::arbitrary(&mut u) {
            Ok(op) => ops.push(op),
            Err(_) => break,
        }
    }
    (maxsize, ops)
}

/// Runs a sequence of operations on a real `TaskQueue` and on the model, step by step:
/// same results, same errors, same sizes and counts.
pub fn queue_ops(data: &[u8]) -> Result<(), String> {
    let (maxsize, ops) = decode_ops(data);
    let queue = TaskQueue::new(isize::from(maxsize));
    let mut model = Model {
        maxsize: usize::try_from(maxsize).unwrap_or(0),
        ..Model::default()
    };
    for (i, op) in ops.iter().take(500).enumerate() {
        let fail = |what: String| Err(format!("op {i} {op:?}: {what}"));
        match *op {
            Op::Put(x) | Op::PutNowait(x) | Op::PutWith(x, _, _) => {
                let (block, timeout) = match *op {
                    Op::Put(_) => (true, None),
                    Op::PutNowait(_) => (false, None),
                    Op::PutWith(_, block, timeout) => (block, timeout),
                    _ => unreachable!(),
                };
                let wait = wait_of(block, timeout);
                let before = (model.items.clone(), model.unfinished);
                let expected = model.put(x, wait);
                let Expect::Done(expected) = expected else {
                    continue;
                };
                let got = match *op {
                    Op::Put(_) => queue.put(x),
                    Op::PutNowait(_) => queue.put_nowait(x),
                    _ => queue.put_with(x, block, timeout_duration(timeout)),
                };
                let got = match got {
                    Ok(()) => Ok(()),
                    Err(rejected) if rejected.item == x => Err(rejected.error),
                    Err(rejected) => {
                        return fail(format!(
                            "a refused put handed back {} instead of {x}",
                            rejected.item
                        ));
                    }
                };
                if got != expected {
                    return fail(format!(
                        "got {got:?}, the model says {expected:?} (state before: {before:?})"
                    ));
                }
            }
            Op::Get | Op::GetNowait | Op::GetWith(_, _) => {
                let (block, timeout) = match *op {
                    Op::Get => (true, None),
                    Op::GetNowait => (false, None),
                    Op::GetWith(block, timeout) => (block, timeout),
                    _ => unreachable!(),
                };
                let Expect::Done(expected) = model.get(wait_of(block, timeout)) else {
                    continue;
                };
                let got = match *op {
                    Op::Get => queue.get(),
                    Op::GetNowait => queue.get_nowait(),
                    _ => queue.get_with(block, timeout_duration(timeout)),
                };
                if got != expected {
                    return fail(format!("got {got:?}, the model says {expected:?}"));
                }
            }
            Op::TaskDone => {
                let (got, expected) = (queue.task_done(), model.task_done());
                if got != expected {
                    return fail(format!("got {got:?}, the model says {expected:?}"));
                }
            }
            Op::Shutdown(immediate) => {
                queue.shutdown(immediate);
                model.shutdown(immediate);
            }
            Op::Join => {
                if model.unfinished == 0 {
                    queue.join(); // returns at once (§E 20–21); a hang is a bug the fuzzer reports
                }
            }
            Op::Inspect => {}
        }
        let got = (
            queue.qsize(),
            queue.empty(),
            queue.full(),
            queue.unfinished_tasks(),
            queue.is_shutdown(),
        );
        let expected = (
            model.items.len(),
            model.items.is_empty(),
            model.full(),
            model.unfinished,
            model.shutdown,
        );
        if got != expected {
            return fail(format!(
                "state (qsize, empty, full, unfinished, shutdown) is {got:?}, the model says {expected:?}"
            ));
        }
    }
    // What is left comes out in FIFO order.
    let rest: Vec<u8> = std::iter::from_fn(|| queue.get_nowait().ok()).collect();
    if !rest.iter().eq(model.items.iter()) {
        return Err(format!(
            "left in the queue: {rest:?}, the model says {:?}",
            model.items
        ));
    }
    Ok(())
}

/// A learner's schedule string: parsing never panics, and replaying whatever it parses to
/// on the unlocked counter either ends with an outcome or is refused with a reason.
pub fn replay_schedule(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(&data[..data.len().min(256)]);
    let Ok(schedule) = parse_schedule(&text) else {
        return Ok(());
    };
    let scenario =
        Scenario::new(Kind::CounterUnlocked, Params::default()).map_err(|e| e.to_string())?;
    let replayed = replay(scenario, &schedule);
    match (&replayed.outcome, &replayed.refusal) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        other => Err(format!("replay of {schedule:?} ended with {other:?}")),
    }
}
