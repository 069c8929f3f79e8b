//! What each scenario is meant to do, and what went wrong when it did not.

use super::catalogue::{Kind, Scenario};
use super::outcome::{Outcome, all_handled};
use crate::check::Verdict;
use crate::words::plural;

impl Scenario {
    /// The outcome a correct program always has.
    pub fn expected(&self) -> Outcome {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => Outcome::Label(all_handled(self.params.items)),
            Kind::IfNotWhile => Outcome::Label("each consumer got an item".to_string()),
            Kind::NeverReleased => Outcome::Value(self.params.threads),
            _ => Outcome::Value(self.params.threads * self.params.increments),
        }
    }

    /// Acceptable or forbidden.
    pub fn verdict(&self, outcome: &Outcome) -> Verdict {
        if *outcome == self.expected() {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// The last line under a witness: what went wrong, in words.
    pub fn explain(&self, outcome: &Outcome) -> String {
        match (outcome, self.expected()) {
            (Outcome::Deadlock, _) => "deadlock: every thread is blocked, waiting for a lock \
                                       that its holder never released"
                .to_string(),
            (Outcome::Value(v), Outcome::Value(expected)) if *v < expected => format!(
                "End value: {v}, expected {expected}: {} lost — a thread wrote back a value it \
                 had read before another thread's write, overwriting that write",
                plural(expected - v, "update")
            ),
            (Outcome::Label(label), _) => format!("{label}: {}", self.lesson()),
            (other, expected) => format!("{other}, expected {expected}"),
        }
    }

    fn lesson(&self) -> &'static str {
        match self.kind {
            Kind::TaskDoneEarly => "task_done() told join the work was finished before it was done",
            Kind::IfNotWhile => {
                "another consumer took the item between the notify and this consumer's \
                 wake-up; `while` would have checked again"
            }
            _ => "not what the program is meant to do",
        }
    }
}
