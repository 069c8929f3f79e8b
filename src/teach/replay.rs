//! Be the scheduler: run a scenario along a schedule a learner types.
//!
//! A schedule is a list of thread numbers, one per step: `"1 2 1 2"` means Thread1 takes
//! the first step, Thread2 the second, and so on (`0` or `main` is the main thread, which
//! takes steps in the queue scenarios). A step that cannot be taken is refused with the
//! reason; a schedule that ends while threads still have steps says which.

use super::catalogue::Scenario;
use super::explore::{outcome_of, steps_of};
use super::outcome::Outcome;
use crate::check::run::executions;
use crate::check::strategy::follow::{Follow, Refused};
use crate::check::strategy::steps::Steps;
use crate::check::{Blocked, Ending};
use crate::explore::trace::{Event, Recorder};
use crate::step::Step;

/// A schedule string that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A token is not a thread number.
    #[error("schedule item {position} is {token:?}, not a thread number; write thread numbers like \"1 2 1 2\" (0 or main for the main thread)")]
    NotANumber {
        /// 1-based position of the token.
        position: usize,
        /// The token.
        token: String,
    },
    /// The schedule is empty.
    #[error("the schedule is empty; give one thread number per step, like \"1 2 1 2\"")]
    Empty,
    /// Longer than any scenario could use.
    #[error("the schedule has {0} steps; racelab accepts at most {max}", max = MAX_SCHEDULE)]
    TooLong(usize),
}

/// The longest schedule accepted.
pub const MAX_SCHEDULE: usize = 1_000;

/// Reads a schedule: thread numbers separated by spaces or commas; `ThreadN`, `TN` and
/// `main` are accepted too.
pub fn parse_schedule(text: &str) -> Result<Vec<usize>, ScheduleError> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err(ScheduleError::Empty);
    }
    if tokens.len() > MAX_SCHEDULE {
        return Err(ScheduleError::TooLong(tokens.len()));
    }
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let lower = token.to_ascii_lowercase();
            let digits = lower
                .strip_prefix("thread")
                .or_else(|| lower.strip_prefix('t'))
                .unwrap_or(&lower);
            if lower == "main" {
                return Ok(0);
            }
            match digits.parse::<usize>() {
                Ok(n) if digits.chars().all(|c| c.is_ascii_digit()) => Ok(n),
                _ => Err(ScheduleError::NotANumber {
                    position: i + 1,
                    token: (*token).to_string(),
                }),
            }
        })
        .collect()
}

/// Why a replay could not follow the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such thread in this scenario.
    NoSuchThread {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        thread: usize,
        /// The scenario's threads.
        threads: usize,
    },
    /// The thread cannot take a step now.
    Blocked {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        thread: usize,
        /// Who holds the lock it waits for, and that lock's name, when the trace tells.
        holder: Option<(usize, &'static str)>,
    },
    /// The thread has taken all its steps.
    NoStepsLeft {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        thread: usize,
    },
    /// The schedule ended while these threads still had steps to take.
    StoppedEarly {
        /// The threads with steps left.
        threads: Vec<usize>,
    },
    /// Every thread is blocked: nobody can take the next step. Who waits for what.
    Deadlock(Vec<Blocked>),
}

/// The result of a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// The steps taken, in order.
    pub trace: Vec<Event>,
    /// How the program ended, if the schedule took it to the end.
    pub outcome: Option<Outcome>,
    /// Why the replay stopped short, if it did.
    pub refusal: Option<Refusal>,
}

/// A thread other than `thread` that acquired a lock and has not released it (with the
/// lock's name); `None` when the trace does not tell.
fn lock_holder(trace: &[Event], thread: usize) -> Option<(usize, &'static str)> {
    let mut holders: Vec<(usize, &'static str)> = Vec::new();
    for event in trace {
        match event.step {
            Step::Acquire(lock) => holders.push((event.thread, lock)),
            Step::Release(lock) => holders.retain(|(_, l)| *l != lock),
            _ => {}
        }
    }
    holders.into_iter().find(|(holder, _)| *holder != thread)
}

/// Runs `scenario` along `schedule` (see the module docs).
pub fn replay(scenario: Scenario, schedule: &[usize]) -> Replayed {
    let max = scenario.thread_count();
    if let Some((i, &thread)) = schedule
        .iter()
        .enumerate()
        .find(|(_, &t)| t > max || (t == 0 && !scenario.main_has_steps()))
    {
        return Replayed {
            trace: Vec::new(),
            outcome: None,
            refusal: Some(Refusal::NoSuchThread {
                step: i + 1,
                thread,
                threads: max,
            }),
        };
    }
    let strategy = Steps::new(Follow::new(schedule), scenario.main_has_steps());
    let (mut runs, strategy) = executions(move || scenario.run(&Recorder::new()), strategy, 1);
    let follow = strategy.chooser;
    let run = runs.pop().expect("one execution ran");
    let trace = steps_of(&run.trace);
    if let Some(refused) = follow.refused {
        let refusal = match refused {
            Refused::NoStepsLeft { position, thread } => Refusal::NoStepsLeft {
                step: position,
                thread,
            },
            Refused::Blocked { position, thread } => Refusal::Blocked {
                step: position,
                thread,
                holder: lock_holder(&trace, thread),
            },
        };
        return Replayed {
            trace,
            outcome: None,
            refusal: Some(refusal),
        };
    }
    let exhausted = follow.exhausted_at.filter(|&at| at < trace.len());
    match (run.ending, exhausted) {
        (_, Some(at)) => Replayed {
            refusal: Some(stopped_early(&trace[at..])),
            trace: trace[..at].to_vec(),
            outcome: None,
        },
        (Some(Ending::Deadlock), None) => Replayed {
            trace,
            outcome: None,
            refusal: Some(Refusal::Deadlock(run.blocked)),
        },
        (Some(ending), None) => Replayed {
            trace,
            outcome: Some(outcome_of(&ending)),
            refusal: None,
        },
        (None, None) => unreachable!("a replay is stopped only by a refusal"),
    }
}

fn stopped_early(rest: &[Event]) -> Refusal {
    let mut threads: Vec<usize> = rest.iter().map(|e| e.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    Refusal::StoppedEarly { threads }
}
