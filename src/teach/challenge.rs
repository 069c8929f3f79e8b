//! Challenges: be the scheduler with a goal (in the spirit of The Deadlock Empire, on
//! racelab's real scenarios). Each names a scenario, a size and an outcome to reach by
//! typing a schedule; one is impossible, and the exhaustive exploration is the proof.
//!
//! ```
//! # if racelab::UNDER_LOOM { return; }
//! use racelab::teach::challenge::{Challenge, Judgement};
//!
//! let challenge = Challenge::find("lose-an-update").unwrap();
//! let attempt = challenge.attempt("1 1 2 2").unwrap();
//! assert!(matches!(attempt.judgement, Judgement::NotMet { .. }));
//! let attempt = challenge.attempt("1 2 1 2").unwrap();
//! assert_eq!(attempt.judgement, Judgement::Met);
//! ```

use super::catalogue::Params;
use super::catalogue::{Kind, Scenario};
use super::explore::{Exploration, Unfinished, explore};
use super::outcome::EndState;
use super::replay::{Replayed, ScheduleError, parse_schedule, replay};
use crate::check::Verdict;
use crate::checked::trace::Event;

/// What a challenge asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The counter ends at this value.
    EndAt(usize),
    /// Every thread ends up blocked.
    Deadlock,
    /// Any outcome the scenario forbids.
    Forbidden,
}

impl Goal {
    /// Whether `outcome` of `scenario` meets the goal.
    pub fn met_by(self, scenario: &Scenario, outcome: &EndState) -> bool {
        match self {
            Goal::EndAt(v) => *outcome == EndState::Value(v),
            Goal::Deadlock => *outcome == EndState::Deadlock,
            Goal::Forbidden => scenario.verdict(outcome) == Verdict::Forbidden,
        }
    }
}

/// One challenge (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    /// Its name on the command line.
    pub name: &'static str,
    /// The goal, in words.
    pub goal_text: &'static str,
    /// The scenario it is played on.
    pub kind: Kind,
    /// The scenario's sizes.
    pub params: Params,
    /// What meets it.
    pub goal: Goal,
    /// Whether some schedule meets it (checked by exploring, in `tests/teach/challenges.rs`).
    pub possible: bool,
    /// Hints, from gentle to nearly the answer; one more is shown after each failed try
    /// (the CLI shows the first; `--hint N` the others).
    pub hints: &'static [&'static str],
}

const fn params(threads: usize, increments: usize, workers: usize, items: usize) -> Params {
    Params {
        threads,
        increments,
        workers,
        items,
    }
}

/// Every challenge, easiest first.
pub const CHALLENGES: [Challenge; 11] = [
    Challenge {
        name: "lose-an-update",
        goal_text: "make the unlocked counter end at 1 (2 threads, 1 increment each)",
        kind: Kind::CounterUnlocked,
        params: params(2, 1, 2, 1),
        goal: Goal::EndAt(1),
        possible: true,
        hints: &[
            "an update is lost when a thread writes back a value that is already out of date",
            "let both threads read 0 before either of them writes",
        ],
    },
    Challenge {
        name: "three-threads-end-at-1",
        goal_text: "with 3 threads of 1 increment each, make the counter end at 1",
        kind: Kind::CounterUnlocked,
        params: params(3, 1, 2, 1),
        goal: Goal::EndAt(1),
        possible: true,
        hints: &[
            "every thread must write 1, so every thread must read 0",
            "three reads first, then the three writes",
        ],
    },
    Challenge {
        name: "lose-two-of-four",
        goal_text: "with 2 threads of 2 increments each, make the counter end at 2",
        kind: Kind::CounterUnlocked,
        params: params(2, 2, 2, 1),
        goal: Goal::EndAt(2),
        possible: true,
        hints: &[
            "one thread's late write can undo several of the other's increments",
            "let Thread1 read 0, let Thread2 do both its increments, then Thread1 writes 1",
        ],
    },
    Challenge {
        name: "insufficient-lock",
        goal_text: "the lock is held around the read only: make the counter end at 1 anyway",
        kind: Kind::InsufficientLock,
        params: params(2, 1, 2, 1),
        goal: Goal::EndAt(1),
        possible: true,
        hints: &[
            "the lock protects the read, but the write happens after the release",
            "let Thread1 take the lock, read and release it; then Thread2 does the same",
        ],
    },
    Challenge {
        name: "two-locks",
        goal_text: "each thread locks a different lock: make two-locks lose an update",
        kind: Kind::TwoLocks,
        params: params(2, 1, 2, 1),
        goal: Goal::EndAt(1),
        possible: true,
        hints: &[
            "a lock only excludes threads that take the same lock",
            "both threads can be inside their critical sections at once: read, read, then write",
        ],
    },
    Challenge {
        name: "deadlock",
        goal_text: "a thread takes the lock and never releases it: deadlock never-released",
        kind: Kind::NeverReleased,
        params: params(2, 1, 2, 1),
        goal: Goal::Deadlock,
        possible: true,
        hints: &[
            "whoever takes the lock first keeps it forever",
            "let Thread1 finish, then see whether Thread2 can take any step",
        ],
    },
    Challenge {
        name: "join-too-early",
        goal_text: "task_done is called before the work: make join return before an item \
                    is handled",
        kind: Kind::TaskDoneEarly,
        params: params(2, 1, 1, 1),
        goal: Goal::Forbidden,
        possible: true,
        hints: &[
            "join returns as soon as every item got its task_done",
            "let the Producer put, let Thread1 get and call task_done, then let main's join \
             return before Thread1 handles the item",
        ],
    },
    Challenge {
        name: "empty-handed",
        goal_text: "a consumer waits with `if` instead of `while`: make it wake up to an \
                    empty queue",
        kind: Kind::IfNotWhile,
        params: params(2, 1, 2, 1),
        goal: Goal::Forbidden,
        possible: true,
        hints: &[
            "a woken consumer does not check again whether the queue still has an item",
            "let Thread1 wait on the empty queue; let the Producer put and notify; let \
             Thread2 take the item before Thread1 wakes",
        ],
    },
    Challenge {
        name: "initialise-twice",
        goal_text: "initialisation guarded by a hand-made flag: make it run twice",
        kind: Kind::OnceByHand,
        params: params(2, 1, 2, 1),
        goal: Goal::Forbidden,
        possible: true,
        hints: &[
            "a thread initialises when it sees the flag not set yet",
            "let both threads load the flag before either of them sets it",
        ],
    },
    Challenge {
        name: "locked-counter",
        goal_text: "make the locked counter end at 1 (2 threads, 1 increment each)",
        kind: Kind::CounterLocked,
        params: params(2, 1, 2, 1),
        goal: Goal::EndAt(1),
        possible: false,
        hints: &[
            "try to get both threads to read 0, as in lose-an-update",
            "this one is impossible: racelab explored every interleaving, and every one ends \
             at 2 (`racelab explore counter-locked`)",
        ],
    },
    Challenge {
        name: "stale-data",
        goal_text: "the flag is Relaxed: make the reader see the flag set but read the old \
                    data",
        kind: Kind::MessageRelaxed,
        params: params(2, 1, 2, 1),
        goal: Goal::Forbidden,
        possible: false,
        hints: &[
            "the reader reads data only after it has seen the flag, and the flag is stored \
             after the data",
            "no schedule can: in every interleaving the data is stored before the flag. The \
             bug is not in the order of the steps but in what each load may read: `racelab \
             check message-relaxed` finds it under weak memory, and `racelab check \
             message-release-acquire` shows the fix",
        ],
    },
];

/// The judgement on one try (not a check's [`crate::check::Verdict`], acceptable or
/// forbidden: whether the learner's schedule reached the challenge's goal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// The schedule reached the goal.
    Met,
    /// The schedule ran to the end, with another outcome.
    NotMet {
        /// The outcome reached.
        outcome: EndState,
    },
    /// The schedule could not be followed to the end (the replay says why).
    Refused,
}

/// One try at a challenge.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The scenario played.
    pub scenario: Scenario,
    /// The run along the learner's schedule.
    pub replayed: Replayed,
    /// Met, not met, or refused.
    pub judgement: Judgement,
}

impl Challenge {
    /// The challenge called `name`.
    pub fn find(name: &str) -> Option<&'static Challenge> {
        CHALLENGES.iter().find(|c| c.name == name)
    }

    /// The names of every challenge, for error messages.
    pub fn names() -> Vec<&'static str> {
        CHALLENGES.iter().map(|c| c.name).collect()
    }

    /// The scenario it is played on.
    pub fn scenario(&self) -> Scenario {
        Scenario::for_replay(self.kind, self.params).expect("challenge sizes are replayable")
    }

    /// Runs the learner's `schedule` and says whether it meets the goal.
    pub fn attempt(&self, schedule: &str) -> Result<Attempt, ScheduleError> {
        let scenario = self.scenario();
        let replayed = replay(scenario, &parse_schedule(schedule)?);
        let judgement = match &replayed.outcome {
            Some(outcome) if self.goal.met_by(&scenario, outcome) => Judgement::Met,
            Some(outcome) => Judgement::NotMet {
                outcome: outcome.clone(),
            },
            None => Judgement::Refused,
        };
        Ok(Attempt {
            scenario,
            replayed,
            judgement,
        })
    }

    /// For an impossible challenge, why no schedule meets its goal.
    pub fn why_impossible(&self) -> Option<String> {
        if self.possible {
            return None;
        }
        Some(match self.kind {
            Kind::CounterLocked => "the lock makes each read-and-write one step that no other \
                                    thread can split"
                .to_string(),
            Kind::MessageRelaxed => "in every interleaving the data is stored before the flag; \
                                     only weak memory lets the reader see the flag without the \
                                     data, and `racelab check message-relaxed` finds that \
                                     execution"
                .to_string(),
            _ => "every interleaving was run".to_string(),
        })
    }

    /// Explores every interleaving of the challenge's scenario: a schedule that meets the
    /// goal (the witness with the fewest thread switches), or `None` with the exhaustive
    /// exploration that proves none does.
    pub fn solve(&self) -> Result<(Option<Vec<Event>>, Exploration), Unfinished> {
        let scenario = Scenario::new(self.kind, self.params).expect("challenges are explorable");
        let exploration = explore(scenario)?;
        let solution = exploration
            .witnesses
            .iter()
            .find(|w| self.goal.met_by(&scenario, &w.outcome))
            .map(|w| w.trace.clone());
        Ok((solution, exploration))
    }
}
