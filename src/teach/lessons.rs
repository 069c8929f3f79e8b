//! What each scenario is meant to do, and what went wrong when it did not.

use super::catalogue::{Kind, Scenario};
use super::outcome::{EndState, all_handled};
use crate::check::Verdict;
use crate::words::plural;

/// The message-passing scenarios' outcome when the reader saw the flag and the data.
pub(crate) const SAW_MESSAGE: &str = "the reader saw the flag and data 42";
/// Their outcome when the reader loaded the flag before it was set (acceptable: it did
/// not look at the data).
pub(crate) const TOO_EARLY: &str = "the reader found the flag not set yet";
/// Their forbidden outcome.
pub(crate) const STALE: &str = "the reader saw the flag but data 0, the old value";
/// `once-by-hand`'s outcome: how many times the initialisation ran.
pub(crate) fn initialised_times(runs: usize) -> String {
    match runs {
        1 => "initialised once".to_string(),
        n => format!("initialised {n} times"),
    }
}

/// `sender-kept`'s outcome had main dropped its `Sender` before the join.
pub(crate) const ALL_RECEIVED: &str = "every message received, then the worker ended";

impl Scenario {
    /// The outcome a correct program always has.
    pub fn expected(&self) -> EndState {
        match self.kind {
            Kind::Queue | Kind::TaskDoneEarly => EndState::Label(all_handled(self.params.items)),
            Kind::IfNotWhile => EndState::Label("each consumer got an item".to_string()),
            Kind::MessageRelaxed | Kind::MessageReleaseAcquire => {
                EndState::Label(SAW_MESSAGE.to_string())
            }
            Kind::OnceByHand => EndState::Label(initialised_times(1)),
            Kind::SenderKept => EndState::Label(ALL_RECEIVED.to_string()),
            Kind::NeverReleased => EndState::Value(self.params.threads),
            _ => EndState::Value(self.params.threads * self.params.increments),
        }
    }

    /// Acceptable or forbidden.
    pub fn verdict(&self, outcome: &EndState) -> Verdict {
        let early = self.kind.weak_memory() && *outcome == EndState::Label(TOO_EARLY.to_string());
        if *outcome == self.expected() || early {
            Verdict::Acceptable
        } else {
            Verdict::Forbidden
        }
    }

    /// The last line under a witness: what went wrong, in words.
    pub fn explain(&self, outcome: &EndState) -> String {
        match (outcome, self.expected()) {
            (EndState::Deadlock, _) if self.kind == Kind::SenderKept => {
                "deadlock: Thread1 waits in recv for a message or for every Sender to be \
                 dropped, while main, which still holds the original Sender, waits in join \
                 for Thread1; drop(tx) before the join"
                    .to_string()
            }
            (EndState::Deadlock, _) => "deadlock: every thread is blocked, waiting for a lock \
                                       that its holder never released"
                .to_string(),
            (EndState::Value(v), EndState::Value(expected)) if *v < expected => format!(
                "End value: {v}, expected {expected}: {} lost — a thread wrote back a value it \
                 had read before another thread's write, overwriting that write{}",
                plural(expected - v, "update"),
                if self.kind == Kind::ReadThenWriteLock {
                    " (a read lock cannot be upgraded: hold the write lock for the whole \
                     read-and-write)"
                } else {
                    ""
                }
            ),
            (EndState::Label(label), _) => format!("{label}: {}", self.lesson()),
            (other, expected) => format!("{other}, expected {expected}"),
        }
    }

    /// For the weak-memory scenarios ([`Kind::weak_memory`]): what interleavings cannot
    /// show, and the command that explores RC11 weak memory instead.
    pub fn interleavings_note(&self) -> Option<String> {
        let name = self.kind.name();
        let what = match self.kind {
            Kind::MessageRelaxed => {
                "In every interleaving Thread1 stores data before the flag, and every load \
                 reads the latest store, so a reader that sees the flag sees the data. With \
                 Relaxed, real processors and compilers need not keep that order"
            }
            Kind::MessageReleaseAcquire => {
                "Release/Acquire is what makes this hold beyond interleavings: the reader's \
                 Acquire load that reads the flag's Release store sees everything Thread1 did \
                 before it"
            }
            _ => return None,
        };
        Some(format!(
            "Interleavings are sequentially consistent memory. {what}: `racelab check {name}` \
             explores RC11 weak memory, where each load may read any store the model allows, \
             and shows which store each load read."
        ))
    }

    fn lesson(&self) -> &'static str {
        match self.kind {
            Kind::TaskDoneEarly => "task_done() told join the work was finished before it was done",
            Kind::IfNotWhile => {
                "another consumer took the item between the notify and this consumer's \
                 wake-up; `while` would have checked again"
            }
            Kind::MessageRelaxed => {
                "the flag's store and load are Relaxed, so seeing the flag says nothing about \
                 the stores before it; a Release store read by an Acquire load would have \
                 made data's store visible"
            }
            Kind::OnceByHand => {
                "more than one thread saw `initialised` not set before any set it: the check \
                 and the set are two steps; std::sync::Once::call_once (or OnceLock) runs the \
                 initialisation exactly once"
            }
            _ => "not what the program is meant to do",
        }
    }
}
