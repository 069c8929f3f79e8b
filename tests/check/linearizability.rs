//! Linearizability: racelab's own queue and lock against their Python semantics, and a
//! learner's queue that is not linearizable, shrunk to the smallest scenario.
#![cfg(not(loom))]

use std::collections::VecDeque;

use racelab::check::linearizability::check_linearizable;
use racelab::check::sync::Mutex;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::checked::lock::Lock;
use racelab::checked::queue::TaskQueue;
use racelab::checked::specs::{LockOp, QueueOp};
use racelab::checked::specs::{LockSpec, QueueRet, QueueSpec};
use racelab::error::QueueError;

#[test]
fn racelabs_task_queue_is_linearizable() {
    let report = check_linearizable(
        QueueSpec::default(),
        || TaskQueue::<u8>::new(0),
        |q, op| op.apply_to(q),
        QueueOp::strategy(),
    )
    .cases(48)
    .run();
    assert!(report.failure.is_none(), "{:?}", report.failure);
    assert_eq!(report.scenarios, 48);
    assert_eq!(report.not_exhaustive, 0);
}

#[test]
fn racelabs_lock_is_linearizable() {
    let report = check_linearizable(
        LockSpec::default(),
        Lock::new,
        |l, op| op.apply_to(l),
        LockOp::strategy(),
    )
    .cases(48)
    .run();
    assert!(report.failure.is_none(), "{:?}", report.failure);
    assert_eq!(report.not_exhaustive, 0);
}

/// A learner's queue that counts its items in an atomic, increased *before* the item is in:
/// `qsize` can say 1 while `get_nowait` finds nothing.
#[derive(Default)]
struct CountFirst {
    len: AtomicUsize,
    items: Mutex<VecDeque<u8>>,
}

impl CountFirst {
    fn apply(&self, op: &QueueOp) -> QueueRet {
        match *op {
            QueueOp::Put(v) => {
                self.len.fetch_add(1, SeqCst);
                self.items.lock().unwrap().push_back(v);
                QueueRet::Put(Ok(()))
            }
            QueueOp::GetNowait => {
                let got = self.items.lock().unwrap().pop_front();
                match got {
                    Some(v) => {
                        self.len.fetch_sub(1, SeqCst);
                        QueueRet::Got(Ok(v))
                    }
                    None => QueueRet::Got(Err(QueueError::Empty)),
                }
            }
            QueueOp::Qsize => QueueRet::Size(self.len.load(SeqCst)),
            QueueOp::TaskDone => QueueRet::Done(Err(QueueError::TaskDoneTooManyTimes)),
        }
    }
}

#[test]
fn a_queue_that_counts_before_it_stores_is_not_linearizable_and_shrinks() {
    let report = check_linearizable(
        QueueSpec::default(),
        CountFirst::default,
        |q, op| q.apply(op),
        QueueOp::strategy().prop_filter("no task_done", |op| *op != QueueOp::TaskDone),
    )
    .cases(64)
    .run();
    let failure_text = report.to_string();
    println!("{failure_text}");
    assert!(failure_text.contains("NOT linearizable"), "{failure_text}");
    let failure = report.failure.expect("counting before storing is caught");
    let ops: usize = failure.scenario.iter().map(Vec::len).sum();
    assert!(
        ops <= 3,
        "shrunk to {ops} operations: {:?}",
        failure.scenario
    );
    let history = failure.history().expect("the witness returned a history");
    assert!(!history.linearizable(&QueueSpec::default()));
}

use proptest::strategy::Strategy;
