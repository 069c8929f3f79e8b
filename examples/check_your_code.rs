//! Check your own concurrent code with racelab: `cargo run --release --example check_your_code`
//! (add `-- --html report.html` for the first report as a page).
//!
//! Three checks a learner might run: a program of their own with `check`, a lock of their
//! own against the lock contract, and a queue of their own for linearizability. (The
//! README's "Check your own code" shows this program's output.)

use std::collections::VecDeque;

use proptest::strategy::Strategy;
use racelab::check::contracts::lock::{LockUnderTest, check_lock};
use racelab::check::linearizability::check_linearizable;
use racelab::check::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Arc, Mutex};
use racelab::check::{check, thread};
use racelab::checked::specs::QueueOp;
use racelab::checked::specs::{QueueRet, QueueSpec};
use racelab::error::QueueError;
use racelab::render::{Style, text};

/// The tutorial's increment, but with a mutex taken to read and taken again to write.
fn relock_to_write() -> usize {
    let value = Arc::new(Mutex::new(0).named("database_value"));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let local_copy = *value.lock().unwrap();
                *value.lock().unwrap() = local_copy + 1;
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    *value.lock().unwrap()
}

/// A spin lock that waits until the flag is clear, then sets it: two steps.
pub struct CheckThenSet(AtomicBool);

impl Default for CheckThenSet {
    fn default() -> Self {
        CheckThenSet(AtomicBool::new(false).named("flag"))
    }
}

impl LockUnderTest for CheckThenSet {
    type ReleaseError = &'static str;
    fn acquire(&self) {
        while self.0.load(SeqCst) {
            thread::yield_now();
        }
        self.0.store(true, SeqCst);
    }
    fn release(&self) -> Result<(), &'static str> {
        if self.0.swap(false, SeqCst) {
            Ok(())
        } else {
            Err("release unlocked lock")
        }
    }
}

/// A queue that counts an item before it is in: `qsize` can say 1 while `get_nowait`
/// finds nothing.
pub struct CountFirst {
    len: AtomicUsize,
    items: Mutex<VecDeque<u8>>,
}

impl Default for CountFirst {
    fn default() -> Self {
        CountFirst {
            len: AtomicUsize::new(0).named("len"),
            items: Mutex::new(VecDeque::new()).named("items"),
        }
    }
}

impl CountFirst {
    /// Runs `op`.
    pub fn apply(&self, op: &QueueOp) -> QueueRet {
        match *op {
            QueueOp::Put(v) => {
                self.len.fetch_add(1, SeqCst);
                self.items.lock().unwrap().push_back(v);
                QueueRet::Put(Ok(()))
            }
            QueueOp::GetNowait => match self.items.lock().unwrap().pop_front() {
                Some(v) => {
                    self.len.fetch_sub(1, SeqCst);
                    QueueRet::Got(Ok(v))
                }
                None => QueueRet::Got(Err(QueueError::Empty)),
            },
            QueueOp::Qsize => QueueRet::Size(self.len.load(SeqCst)),
            QueueOp::TaskDone => QueueRet::Done(Err(QueueError::TaskDoneTooManyTimes)),
        }
    }
}

fn main() {
    let style = Style::detect();
    println!("== 1. check: your own program\n");
    let report = check(relock_to_write)
        .name("two threads: lock, read; lock, write")
        .expect(|&end| end == 2)
        .explain(|end| format!("End value: {end}, expected 2: an update was lost"))
        .run();
    print!("{}", text::report(&report, style));
    // `-- --html FILE`: the same report as a page (chart, witness swimlane).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--html") {
        let Some(path) = args.get(i + 1) else {
            eprintln!("error: --html needs a file name, e.g. --html report.html");
            std::process::exit(2);
        };
        let page = racelab::render::html::report_page(&report);
        if let Err(e) = std::fs::write(path, &page.html) {
            eprintln!("error: cannot write {path}: {e}");
            std::process::exit(2);
        }
        println!(
            "(wrote {path}: {})",
            racelab::render::html::kilobytes(page.weight())
        );
    }

    println!("\n== 2. check_lock: your own lock against the lock contract\n");
    let contract = check_lock(CheckThenSet::default)
        .each(|c| c.stop_at_first_bug(true))
        .run();
    print!("{}", text::contract(&contract, style));

    println!("\n== 3. check_linearizable: your own queue against queue.Queue\n");
    let lin = check_linearizable(
        QueueSpec::default(),
        CountFirst::default,
        |q, op| q.apply(op),
        // This queue does not track tasks: generate puts, gets and sizes only.
        QueueOp::strategy().prop_filter("no task_done", |op| *op != QueueOp::TaskDone),
    )
    .run();
    print!("{}", text::linearizability(&lin, style));
}
