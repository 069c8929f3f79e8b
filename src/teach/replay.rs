//! Be the scheduler: run a scenario along a schedule a learner types.
//!
//! A schedule names a thread per step: `"1 2 1 2"` means Thread1 takes the first step,
//! Thread2 the second, and so on. Threads are numbered as they are named everywhere: `main`
//! is 0, `Thread1`.. `ThreadN` are 1..N (the workers, in the queue scenarios), and the
//! queue scenarios' `Producer` is N+1. Names work too: `"P P 1 2 main"`, `T1`, `Thread1`.
//!
//! One rule for every schedule: each step of the run takes one entry, including a step that
//! follows its thread's previous one at once (a `wait` right after the check that failed,
//! a `notify` after the `put`), whose entry must name the same thread. A thread that cannot
//! take its step is refused with what it waits for; an entry past the end of the run is
//! refused ("everyone has finished"); a schedule that ends while threads still have steps
//! says which.

use super::catalogue::Scenario;
use super::explore::{outcome_of, steps_of};
use super::outcome::EndState;
use crate::check::Blocked;
use crate::check::run::RawExecution;
use crate::check::run::executions;
use crate::check::strategy::follow::{Follow, FollowEach, Refused};
use crate::check::strategy::steps::Steps;
use crate::checked::trace::{Event, Recorder};
use crate::step::Step;

/// The entry that stands for the queue scenarios' Producer before it is resolved (see
/// [`Scenario::resolve`]).
pub const PRODUCER: usize = usize::MAX;

/// A schedule string that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A token is not a thread.
    #[error(
        "schedule item {position} is {token:?}, not a thread; write thread numbers or names, \
         like \"1 2 1 2\", \"T1 T2\", \"main\" or \"P\" (the Producer)"
    )]
    NotAThread {
        /// 1-based position of the token.
        position: usize,
        /// The token.
        token: String,
    },
    /// The schedule is empty.
    #[error("the schedule is empty; give one thread per step, like \"1 2 1 2\"")]
    Empty,
    /// Longer than any run could use.
    #[error("the schedule has {0} steps; racelab accepts at most {max}", max = MAX_SCHEDULE)]
    TooLong(usize),
}

/// The longest schedule accepted.
pub const MAX_SCHEDULE: usize = 1_000;

/// Reads a schedule: thread numbers or names (`main`, `T1`, `Thread1`, `P`, `Producer`),
/// separated by spaces or commas. The Producer is [`PRODUCER`] until
/// [`Scenario::resolve`] gives it its number.
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
            match lower.as_str() {
                "main" => return Ok(0),
                "p" | "producer" => return Ok(PRODUCER),
                _ => {}
            }
            let digits = lower
                .strip_prefix("thread")
                .or_else(|| lower.strip_prefix('t'))
                .unwrap_or(&lower);
            match digits.parse::<usize>() {
                Ok(n) if digits.chars().all(|c| c.is_ascii_digit()) && n < PRODUCER => Ok(n),
                _ => Err(ScheduleError::NotAThread {
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
    /// No such thread takes steps in this scenario.
    NoSuchThread {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for ([`PRODUCER`] for a Producer the scenario does not have).
        thread: usize,
    },
    /// The thread cannot take a step now.
    Blocked {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        thread: usize,
        /// Who holds the lock it waits for, and that lock's name, when the steps tell.
        holder: Option<(usize, &'static str)>,
        /// What it waits for.
        waits_for: Option<Box<Blocked>>,
    },
    /// The thread has taken all its steps.
    NoStepsLeft {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        thread: usize,
    },
    /// The step at `step` follows thread `follows`'s previous step at once; the schedule
    /// names `asked`.
    FollowsAtOnce {
        /// Position in the schedule (1-based).
        step: usize,
        /// The thread asked for.
        asked: usize,
        /// The thread whose step it is.
        follows: usize,
        /// That step.
        what: Step,
    },
    /// The run was over before the schedule: every thread had taken its last step.
    Over {
        /// Position in the schedule of the first entry left over (1-based).
        step: usize,
    },
    /// The schedule ended while these threads still had steps to take.
    StoppedEarly {
        /// The threads with steps left.
        threads: Vec<usize>,
    },
}

/// The result of a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// The steps taken, in order.
    pub trace: Vec<Event>,
    /// How the program ended, if the schedule took it to the end (a deadlock is an end:
    /// every thread blocked).
    pub outcome: Option<EndState>,
    /// In a deadlock, who waits for what.
    pub blocked: Vec<Blocked>,
    /// Why the replay stopped short, if it did.
    pub refusal: Option<Refusal>,
}

impl Scenario {
    /// Gives the Producer in `schedule` its number in this scenario (an error names the
    /// first entry that is not one of its threads that take steps).
    pub fn resolve(&self, schedule: &[usize]) -> Result<Vec<usize>, Refusal> {
        let producer = self.producer();
        schedule
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let t = match (t, producer) {
                    (PRODUCER, Some(p)) => p,
                    (t, _) => t,
                };
                if self.takes_steps(t) {
                    Ok(t)
                } else {
                    Err(Refusal::NoSuchThread {
                        step: i + 1,
                        thread: t,
                    })
                }
            })
            .collect()
    }

    /// How a schedule names thread `thread`: `main`, `P` for the Producer, else its number.
    pub fn schedule_token(&self, thread: usize) -> String {
        match thread {
            0 => "main".to_string(),
            t if Some(t) == self.producer() => "P".to_string(),
            t => t.to_string(),
        }
    }

    /// A trace's schedule as a learner types it: "1 2 1 2", "P 1 main".
    pub fn schedule_of(&self, trace: &[Event]) -> String {
        let tokens: Vec<String> = trace
            .iter()
            .map(|e| self.schedule_token(e.thread))
            .collect();
        tokens.join(" ")
    }

    /// The threads that take steps, in order (main first where it does).
    pub fn stepping_threads(&self) -> Vec<usize> {
        (0..=self.thread_count())
            .filter(|&t| self.takes_steps(t))
            .collect()
    }

    fn takes_steps(&self, thread: usize) -> bool {
        match thread {
            0 => self.main_has_steps(),
            t => t <= self.thread_count(),
        }
    }
}

/// A thread other than `thread` that acquired a lock and has not released it (with the
/// lock's name); `None` when the steps do not tell.
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

/// Runs `scenario` along `schedule` (see the module docs); the schedule's Producer may
/// still be [`PRODUCER`].
pub fn replay(scenario: Scenario, schedule: &[usize]) -> Replayed {
    replay_each(scenario, &[schedule.to_vec()], false)
        .pop()
        .expect("one replay per schedule")
}

/// [`replay`] of many schedules in one run of the engine, each stopped where its schedule
/// ends: the same trace, outcome and refusals, except that a schedule that stops early does
/// not say which threads still had steps ([`Refusal::StoppedEarly`] may name none). The tree
/// of schedules replays every prefix this way.
pub fn replay_prefixes(scenario: Scenario, schedules: &[Vec<usize>]) -> Vec<Replayed> {
    replay_each(scenario, schedules, true)
}

fn replay_each(scenario: Scenario, schedules: &[Vec<usize>], stop_at_end: bool) -> Vec<Replayed> {
    let resolved: Vec<Result<Vec<usize>, Refusal>> =
        schedules.iter().map(|s| scenario.resolve(s)).collect();
    let runnable: Vec<Vec<usize>> = resolved.iter().filter_map(|r| r.clone().ok()).collect();
    let mut followed = Vec::new();
    if !runnable.is_empty() {
        let strategy = Steps::new(
            FollowEach::new(&runnable, stop_at_end),
            scenario.main_has_steps(),
        );
        let (runs, strategy) = executions(
            move || scenario.run(&Recorder::new()),
            strategy,
            runnable.len(),
            Default::default(),
        );
        let follows = strategy.chooser.finish();
        assert_eq!(runs.len(), runnable.len(), "one execution per schedule");
        followed = runs
            .into_iter()
            .zip(follows)
            .zip(&runnable)
            .map(|((run, follow), schedule)| finish(run, follow, schedule))
            .collect();
    }
    let mut followed = followed.into_iter();
    resolved
        .into_iter()
        .map(|r| match r {
            Ok(_) => followed.next().expect("one result per runnable schedule"),
            Err(refusal) => Replayed {
                trace: Vec::new(),
                outcome: None,
                blocked: Vec::new(),
                refusal: Some(refusal),
            },
        })
        .collect()
}

/// What one followed schedule did.
fn finish(run: RawExecution<EndState>, mut follow: Follow, schedule: &[usize]) -> Replayed {
    let trace = steps_of(&run.trace);
    if follow.refused.is_none() && run.ending.is_some() {
        // The steps that followed the last choice at once take their entries too.
        follow.account(trace.len());
    }
    let refused = |refusal: Refusal, trace: Vec<Event>| Replayed {
        trace,
        outcome: None,
        blocked: Vec::new(),
        refusal: Some(refusal),
    };
    if let Some(refused_how) = follow.refused {
        let refusal = match refused_how {
            Refused::NoStepsLeft { position, thread } => Refusal::NoStepsLeft {
                step: position,
                thread,
            },
            Refused::Blocked { position, thread } => Refusal::Blocked {
                step: position,
                thread,
                holder: lock_holder(&trace, thread),
                waits_for: follow.blocked_reason.clone().map(Box::new),
            },
            Refused::FollowsAtOnce {
                position,
                asked,
                follows,
            } => {
                let what = trace[..position.min(trace.len())]
                    .iter()
                    .rev()
                    .find(|e| e.thread == follows)
                    .map_or(Step::GotNothing, |e| e.step);
                return refused(
                    Refusal::FollowsAtOnce {
                        step: position,
                        asked,
                        follows,
                        what,
                    },
                    trace[..position.saturating_sub(1).min(trace.len())].to_vec(),
                );
            }
        };
        return refused(refusal, trace);
    }
    if let Some(at) = follow
        .exhausted_at
        .filter(|&at| at < trace.len() || run.ending.is_none())
    {
        let mut threads: Vec<usize> = trace[at..].iter().map(|e| e.thread).collect();
        threads.sort_unstable();
        threads.dedup();
        return refused(Refusal::StoppedEarly { threads }, trace[..at].to_vec());
    }
    if schedule.len() > trace.len() {
        return refused(
            Refusal::Over {
                step: trace.len() + 1,
            },
            trace,
        );
    }
    match run.ending {
        Some(ending) => Replayed {
            trace,
            outcome: Some(outcome_of(&ending)),
            blocked: run.blocked,
            refusal: None,
        },
        None => unreachable!("a replay is stopped only by a refusal"),
    }
}
