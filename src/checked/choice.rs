//! A shuttle scheduler driven by a list of choices — the bridge to proptest and fuzzing.
//!
//! Each time more than one thread could run, the next choice `c` picks
//! `runnable[c % runnable.len()]`. When the choices run out, a fixed rule takes over: keep
//! the current thread while it can run, else the lowest-numbered runnable one (so an empty
//! list means "run each thread to completion, in order"). Decisions with a single runnable
//! thread consume no choice, so every byte of the list matters, which lets proptest shrink a
//! failing schedule to the few switches that cause the failure.
//!
//! One scheduler runs exactly one execution.

use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};

/// See the module docs.
#[derive(Debug, Clone)]
pub struct ChoiceScheduler {
    choices: Vec<u8>,
    used: usize,
    started: bool,
}

impl ChoiceScheduler {
    /// A scheduler that follows `choices`, then the fixed rule.
    pub fn new(choices: impl Into<Vec<u8>>) -> Self {
        ChoiceScheduler {
            choices: choices.into(),
            used: 0,
            started: false,
        }
    }

    /// How many choices the execution consumed.
    pub fn used(&self) -> usize {
        self.used
    }
}

impl Scheduler for ChoiceScheduler {
    fn new_execution(&mut self) -> Option<Schedule> {
        if std::mem::replace(&mut self.started, true) {
            return None;
        }
        self.used = 0;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        _is_yielding: bool,
    ) -> Option<TaskId> {
        if runnable.len() > 1 {
            if let Some(&choice) = self.choices.get(self.used) {
                self.used += 1;
                return Some(runnable[usize::from(choice) % runnable.len()].id());
            }
        }
        let keep = current.filter(|c| runnable.iter().any(|t| t.id() == *c));
        Some(keep.unwrap_or_else(|| runnable[0].id()))
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
