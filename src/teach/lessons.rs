//! What each scenario is meant to do, and what went wrong when it did not.

use super::catalogue::{Kind, Scenario};
use super::outcome::{EndState, all_handled};
use crate::check::Verdict;
use crate::words::plural;

impl Scenario {
    /// The outcome a correct program always has.
    pub fn expected(&self) -> EndState {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => EndState::Label(all_handled(self.params.items)),
            Kind::IfNotWhile => EndState::Label("each consumer got an item".to_string()),
            Kind::NeverReleased => EndState::Value(self.params.threads),
            _ => EndState::Value(self.params.threads * self.params.increments),
        }
    }

    /// Acceptable or forbidden.
    pub fn verdict(&self, outcome: &EndState) -> Verdict {
        if *outcome == self.expected() {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// The last line under a witness: what went wrong, in words.
    pub fn explain(&self, outcome: &EndState) -> String {
        match (outcome, self.expected()) {
            (EndState::Deadlock, _) => "deadlock: every thread is blocked, waiting for a lock \
                                       that its holder never released"
                .to_string(),
            (EndState::Value(v), EndState::Value(expected)) if *v < expected => format!(
                "End value: {v}, expected {expected}: {} lost — a thread wrote back a value it \
                 had read before another thread's write, overwriting that write",
                plural(expected - v, "update")
            ),
            (EndState::Label(label), _) => format!("{label}: {}", self.lesson()),
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
