//! Each step beside the line of the tutorial's Python program it corresponds to, so a learner
//! can map a trace back to the tutorial (`racelab explore --python`, `replay --python`).
//!
//! The counter lines are the tutorial's `increase` function; the queue lines are its worker
//! pool, and the waits and wake-ups inside `q.get()`, `q.put()`, `q.task_done()` and
//! `q.join()` are the lines of CPython's `queue.py` that take them (`self.not_empty.wait()`,
//! ...). `if-not-while` is not in the tutorial: its lines are the hand-made queue it models,
//! `with cond: if not items: cond.wait()` then `items.pop(0)`.

use super::{Kind, Scenario};
use crate::step::Step;

impl Scenario {
    /// The Python line of the tutorial (or of CPython's `queue.py`) that takes `step`.
    pub fn python_line(&self, step: &Step) -> String {
        python_line(self.kind(), step)
    }
}

fn python_line(kind: Kind, step: &Step) -> String {
    let hand_made = kind == Kind::IfNotWhile;
    let line = match *step {
        Step::Read(_) => "local_copy = database_value",
        Step::Write(_) => "database_value = local_copy",
        Step::FetchAdd(_) => "database_value += 1  # one indivisible step here; not in CPython",
        Step::Acquire(lock) => return format!("{}.acquire()", python_name(lock)),
        Step::Release(lock) => return format!("{}.release()", python_name(lock)),
        Step::Put(_) if hand_made => "items.append(item)",
        Step::Put(_) => "q.put(x)",
        Step::Get(_) if hand_made => "item = items.pop(0)",
        Step::Get(_) => "value = q.get()",
        Step::GotNothing => "item = items.pop(0)  # IndexError: the list is empty",
        Step::Handle(_) => "print(f\"in {current_thread().name} got {value}\")",
        Step::TaskDone => "q.task_done()",
        Step::Joined => "q.join()  # returns",
        Step::Wait(cv) => match cv {
            "not_empty" if hand_made => "if not items: cond.wait()  # releases the lock",
            "not_empty" => "q.get(): self.not_empty.wait()  # queue.py, releases q.mutex",
            "not_full" => "q.put(x): self.not_full.wait()  # queue.py, releases q.mutex",
            "all_tasks_done" => "q.join(): self.all_tasks_done.wait()  # queue.py",
            "channel: a message" => "q.get(): self.not_empty.wait()  # nothing to receive",
            other => return format!("{other}.wait()"),
        },
        Step::Wake(cv) => match cv {
            "not_empty" if hand_made => "cond.wait() returns  # holds the lock again",
            "not_empty" => "q.get(): self.not_empty.wait() returns  # holds q.mutex again",
            "not_full" => "q.put(x): self.not_full.wait() returns  # holds q.mutex again",
            "all_tasks_done" => "q.join(): self.all_tasks_done.wait() returns",
            "channel: a message" => "q.get(): self.not_empty.wait() returns",
            other => return format!("{other}.wait() returns"),
        },
        Step::Notify(cv) => match cv {
            "not_empty" if hand_made => "cond.notify()",
            "not_empty" => "q.put(x): self.not_empty.notify()  # queue.py",
            "not_full" => "q.get(): self.not_full.notify()  # queue.py",
            other => return format!("{other}.notify()"),
        },
        Step::Store("initialised", _) => "initialised = True",
        Step::Load("initialised", _) => "if not initialised:",
        Step::Initialise => "initialise()",
        Step::Send(_) => "q.put(message)  # queue.Queue: Python's channel",
        Step::Recv(_) => "message = q.get()",
        Step::Store("flag", _) => "flag = True",
        Step::Store(_, _) => "data = 42",
        Step::Load("flag", _) => "if flag:  # with the GIL, every thread sees every store in order",
        Step::Load(_, _) => "print(data)",
        Step::NotifyAll(cv) => match cv {
            "all_tasks_done" => "q.task_done(): self.all_tasks_done.notify_all()  # queue.py",
            other => return format!("{other}.notify_all()"),
        },
    };
    line.to_string()
}

/// `lock` for the tutorial's lock, `lock_a` for "lock A".
fn python_name(lock: &str) -> String {
    lock.to_ascii_lowercase().replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_steps_are_the_tutorials_lines() {
        assert_eq!(
            python_line(Kind::CounterUnlocked, &Step::Read(0)),
            "local_copy = database_value"
        );
        assert_eq!(
            python_line(Kind::CounterLocked, &Step::Write(1)),
            "database_value = local_copy"
        );
        assert_eq!(
            python_line(Kind::CounterLocked, &Step::Acquire("lock")),
            "lock.acquire()"
        );
        assert_eq!(
            python_line(Kind::TwoLocks, &Step::Release("lock B")),
            "lock_b.release()"
        );
    }

    #[test]
    fn waits_name_the_queue_py_line_that_takes_them() {
        assert!(python_line(Kind::Queue, &Step::Wait("not_empty")).starts_with("q.get()"));
        assert!(python_line(Kind::Queue, &Step::Wait("all_tasks_done")).starts_with("q.join()"));
        assert!(python_line(Kind::IfNotWhile, &Step::Wait("not_empty")).starts_with("if not"));
    }
}
