//! One checker on one program, in a process of its own (`compare --worker …`): loom aborts
//! the whole process in some failures and has no time limit that holds inside one long
//! execution, so the parent runs every check in a child it can kill, and reads what the
//! child printed.
//!
//! A worker prints `key value` lines (see [`Found::print`]); the parent parses them with
//! [`Found::parse`]. Every outcome is compared as its `Debug` text, one `outcome` line
//! each.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use racelab::check::{check, Check, Ending, MemoryModel, Outcome, Search};

use crate::subjects::Subject;
use crate::{on_loom, on_racelab, program, run};

/// The checkers, as the parent names them to a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checker {
    /// racelab's `Search::Exhaustive`, counting traces.
    Racelab,
    /// racelab's `Search::EveryOrder` (every order of every operation), counting traces.
    EveryOrder,
    /// loom 0.7's `model::Builder`, no preemption bound.
    Loom,
    /// shuttle's `DfsScheduler` over racelab's primitives (`Check::count_under`).
    Shuttle,
}

impl Checker {
    /// Every checker, in the order the parent runs them.
    pub const ALL: [Checker; 4] = [
        Checker::Racelab,
        Checker::EveryOrder,
        Checker::Loom,
        Checker::Shuttle,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Checker::Racelab => "racelab",
            Checker::EveryOrder => "every-order",
            Checker::Loom => "loom",
            Checker::Shuttle => "shuttle",
        }
    }

    /// The checker of a command-line name.
    pub fn parse(name: &str) -> Option<Checker> {
        Checker::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What a checker may spend on one program.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Executions.
    pub executions: usize,
    /// Wall time.
    pub time: Duration,
}

/// How a checker's run on one program ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// It explored everything it explores.
    Complete,
    /// It ran out of its budget (executions or time): what it says is a lower bound.
    Budget(String),
    /// It stopped at a failure of its own (loom: a deadlock, too many branches; shuttle: a
    /// deadlock or its step limit): it explores no further after one.
    Failed(String),
    /// The worker process died or was killed without saying how it ended.
    Crashed(String),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Complete => f.write_str("complete"),
            Status::Budget(why) => write!(f, "budget {why}"),
            Status::Failed(why) => write!(f, "failed {why}"),
            Status::Crashed(why) => write!(f, "crashed {why}"),
        }
    }
}

/// What one checker found on one program.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Executions it ran (for racelab: those of the search's phase that ended with an
    /// outcome, `coverage.phases[0].executions`).
    pub executions: usize,
    /// racelab only: runs started and dropped without an outcome (the phase's `abandoned`).
    pub abandoned: usize,
    /// racelab only: distinct Mazurkiewicz traces among the executions.
    pub distinct: Option<usize>,
    /// How it ended.
    pub status: Status,
    /// Wall time of the check itself (not of the process).
    pub seconds: f64,
    /// The outcomes reached, as `Debug` text; a deadlock is `Stuck`.
    pub outcomes: BTreeSet<String>,
    /// racelab only: the memory model the search ran under.
    pub model: Option<String>,
    /// Anything else worth saying (the cross-check with `run.rs`, a crash after a failure).
    pub notes: Vec<String>,
}

impl Found {
    /// An empty result with `status`.
    pub fn empty(status: Status) -> Found {
        Found {
            executions: 0,
            abandoned: 0,
            distinct: None,
            status,
            seconds: 0.0,
            outcomes: BTreeSet::new(),
            model: None,
            notes: Vec::new(),
        }
    }

    /// Whether the checker explored everything.
    pub fn complete(&self) -> bool {
        self.status == Status::Complete
    }

    /// The result as `key value` lines, `status` last.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("executions {}\n", self.executions));
        out.push_str(&format!("abandoned {}\n", self.abandoned));
        if let Some(d) = self.distinct {
            out.push_str(&format!("distinct {d}\n"));
        }
        out.push_str(&format!("seconds {}\n", self.seconds));
        if let Some(m) = &self.model {
            out.push_str(&format!("model {m}\n"));
        }
        for o in &self.outcomes {
            out.push_str(&format!("outcome {}\n", o.replace('\n', " ")));
        }
        for n in &self.notes {
            out.push_str(&format!("note {}\n", n.replace('\n', " ")));
        }
        out.push_str(&format!("status {}\n", self.status));
        out
    }

    /// Prints [`Found::to_text`] on stdout, flushed (the parent reads it even if the
    /// process aborts afterwards).
    pub fn print(&self) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(self.to_text().as_bytes());
        let _ = stdout.flush();
    }

    /// Parses what [`Found::to_text`] wrote; `None` if no `status` line came (the worker
    /// died first). When a worker printed twice, the last value of each key wins and the
    /// outcomes add up.
    pub fn parse(text: &str) -> Option<Found> {
        let mut found = Found::empty(Status::Crashed("no status".into()));
        let mut has_status = false;
        for line in text.lines() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "executions" => found.executions = value.parse().ok()?,
                "abandoned" => found.abandoned = value.parse().ok()?,
                "distinct" => found.distinct = Some(value.parse().ok()?),
                "seconds" => found.seconds = value.parse().ok()?,
                "model" => found.model = Some(value.to_string()),
                "outcome" => {
                    found.outcomes.insert(value.to_string());
                }
                "note" => found.notes.push(value.to_string()),
                "status" => {
                    has_status = true;
                    let (kind, why) = value.split_once(' ').unwrap_or((value, ""));
                    found.status = match kind {
                        "complete" => Status::Complete,
                        "budget" => Status::Budget(why.to_string()),
                        "failed" => Status::Failed(why.to_string()),
                        _ => Status::Crashed(why.to_string()),
                    };
                }
                _ => {}
            }
        }
        has_status.then_some(found)
    }
}

/// The text of an outcome: its `Debug`.
fn text<O: fmt::Debug>(o: &O) -> String {
    format!("{o:?}")
}

/// The text of a racelab ending: `Stuck` for a deadlock (as the program language's
/// `Outcome::Stuck`), the outcome's `Debug` for a return.
fn ending_text<O: fmt::Debug>(ending: &Ending<O>) -> String {
    match ending {
        Ending::Returned(o) => text(o),
        Ending::Deadlock => "Stuck".to_string(),
        other => format!("{other}"),
    }
}

/// Runs `checker` on `subject` within `budget` and prints what it found (the worker's
/// whole job).
pub fn work(checker: Checker, subject: &Subject, budget: Budget) {
    let found = match (checker, subject) {
        (Checker::Racelab, Subject::Generated { program, .. }) => {
            let shared = Arc::new(program.clone());
            let body = check(move || on_racelab::interp::main(&shared));
            let mut found = racelab(body, Search::Exhaustive, budget, false);
            if found.complete() {
                found.notes.push(cross_check(program, budget, &found));
            }
            found
        }
        (Checker::Racelab, Subject::Named(named)) => {
            let f = named.racelab;
            racelab(check(f), Search::Exhaustive, budget, named.rc11)
        }
        (Checker::EveryOrder, Subject::Generated { program, .. }) => {
            let shared = Arc::new(program.clone());
            let body = check(move || on_racelab::interp::main(&shared));
            racelab(body, Search::EveryOrder, budget, false)
        }
        (Checker::EveryOrder, Subject::Named(named)) => {
            racelab(check(named.racelab), Search::EveryOrder, budget, named.rc11)
        }
        (Checker::Shuttle, Subject::Generated { program, .. }) => {
            let shared = Arc::new(program.clone());
            shuttle(move || on_racelab::interp::main(&shared), budget)
        }
        (Checker::Shuttle, Subject::Named(named)) => shuttle(named.racelab, budget),
        (Checker::Loom, Subject::Generated { program, .. }) => {
            let shared = Arc::new(program.clone());
            loom(move || on_loom::interp::main(&shared), budget)
        }
        (Checker::Loom, Subject::Named(named)) => loom(named.loom, budget),
    };
    found.print();
}

/// racelab's `search` on `body`, counting traces, deadlocks allowed (a deadlock is an
/// outcome, `Stuck`, and the search goes on); RC11 forced if `rc11`.
fn racelab<O: Outcome>(body: Check<O>, search: Search, budget: Budget, rc11: bool) -> Found {
    let mut body = body
        .search(search)
        .count_traces(true)
        .max_executions(budget.executions)
        .time_limit(budget.time)
        .allow_deadlock();
    if rc11 {
        body = body.memory_model(MemoryModel::Rc11);
    }
    let started = Instant::now();
    let report = body.run();
    let seconds = started.elapsed().as_secs_f64();
    let phase = report.coverage.phases.first();
    let status = if report.coverage.is_exhaustive() {
        Status::Complete
    } else {
        let why = phase
            .and_then(|p| p.stopped)
            .map_or("stopped".to_string(), |s| s.to_string());
        Status::Budget(why)
    };
    let mut notes = Vec::new();
    if report.coverage.phases.len() > 1 {
        notes.push(format!(
            "{} phases: {}",
            report.coverage.phases.len(),
            report.coverage
        ));
    }
    notes.extend(report.notes.iter().cloned());
    Found {
        executions: phase.map_or(0, |p| p.executions),
        abandoned: phase.map_or(0, |p| p.abandoned),
        distinct: phase.and_then(|p| p.distinct),
        status,
        seconds,
        outcomes: report.endings().map(ending_text).collect(),
        model: Some(match report.coverage.model {
            Some((model, forced)) => {
                format!("{model}{}", if forced { " (forced)" } else { "" })
            }
            None => "none".to_string(),
        }),
        notes,
    }
}

/// Runs `tests/oracles/differential/run.rs`'s own racelab check of `program` (the body this crate
/// cannot reach: `run.rs` keeps it private) and says whether it agrees with `found`, this
/// crate's racelab run of the same program: the same outcomes and the same number of
/// executions.
fn cross_check(program: &program::Program, budget: Budget, found: &Found) -> String {
    let Some(theirs) = run::run(program, Search::Exhaustive, budget.executions) else {
        return "cross-check with run.rs: run.rs's check was not exhaustive".to_string();
    };
    let outcomes: BTreeSet<String> = theirs.outcomes.iter().map(text).collect();
    let total = found.executions + found.abandoned;
    if outcomes == found.outcomes && theirs.executions == total {
        "cross-check with run.rs: same".to_string()
    } else {
        format!(
            "cross-check with run.rs: DIFFERS ({} executions and {} outcomes there, {} and {} here)",
            theirs.executions,
            outcomes.len(),
            total,
            found.outcomes.len()
        )
    }
}

/// Outcomes the shuttle worker's body saw (one shuttle run per process).
static SHUTTLE_SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
/// Set when the shuttle worker's body ended a run for its time budget.
static SHUTTLE_OUT_OF_TIME: AtomicBool = AtomicBool::new(false);

/// shuttle's DFS scheduler over racelab's primitives: `Check::count_under`. The body
/// records its outcome, and panics after an execution that ends past the time budget (the
/// only way to stop a plain shuttle run from inside; the panic is counted as the budget,
/// not as a failure).
fn shuttle<O: Outcome>(body: impl Fn() -> O + Send + Sync + 'static, budget: Budget) -> Found {
    let started = Instant::now();
    let deadline = started + budget.time;
    let recording = check(move || {
        let outcome = body();
        SHUTTLE_SEEN
            .lock()
            .expect("not poisoned")
            .insert(text(&outcome));
        if Instant::now() > deadline {
            SHUTTLE_OUT_OF_TIME.store(true, Ordering::SeqCst);
            panic!("compare: shuttle's time budget is spent");
        }
        outcome
    });
    let scheduler = shuttle::scheduler::DfsScheduler::new(None, false);
    let run = recording.count_under(scheduler, budget.executions);
    let seconds = started.elapsed().as_secs_f64();
    let status = if SHUTTLE_OUT_OF_TIME.load(Ordering::SeqCst) {
        Status::Budget(format!(
            "at its time limit of {:.1} s",
            budget.time.as_secs_f64()
        ))
    } else if run.failed {
        Status::Failed(format!(
            "at execution {} (a deadlock, or shuttle's step limit)",
            run.executions
        ))
    } else if run.finished {
        Status::Complete
    } else {
        Status::Budget(format!("at its budget of {} executions", run.executions))
    };
    let outcomes = SHUTTLE_SEEN.lock().expect("not poisoned").clone();
    Found {
        executions: run.executions,
        status,
        seconds,
        outcomes,
        ..Found::empty(Status::Complete)
    }
}

/// Executions loom started (the counter at the start of each model run).
static LOOM_RUNS: AtomicUsize = AtomicUsize::new(0);
/// Outcomes loom's model runs returned.
static LOOM_SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
/// Why loom stopped early, as the panic hook saw it.
static LOOM_FAILURE: Mutex<Option<String>> = Mutex::new(None);
/// When the loom check started.
static LOOM_STARTED: Mutex<Option<Instant>> = Mutex::new(None);
/// At most this many branches in one loom execution (loom's default is 1,000; it panics
/// past it, which ends the whole check).
pub const LOOM_MAX_BRANCHES: usize = 100_000;

/// What loom found so far, with `status`.
fn loom_found(status: Status) -> Found {
    let seconds = LOOM_STARTED
        .lock()
        .map(|s| s.map_or(0.0, |t| t.elapsed().as_secs_f64()))
        .unwrap_or(0.0);
    let mut outcomes = LOOM_SEEN
        .lock()
        .map(|s| s.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    if matches!(&status, Status::Failed(why) if why.starts_with("deadlock")) {
        outcomes.insert("Stuck".to_string());
    }
    Found {
        executions: LOOM_RUNS.load(Ordering::SeqCst),
        status,
        seconds,
        outcomes,
        ..Found::empty(Status::Complete)
    }
}

/// loom's `model::Builder` with no preemption bound (exhaustive), a high branch limit,
/// and the budget as `max_permutations` / `max_duration` (checked before every execution).
/// loom stops at its first failure (a deadlock, too many branches) by panicking; the
/// panic hook prints what was found up to there at once, because loom may then abort the
/// process while unwinding its other threads.
fn loom<O: Outcome>(body: impl Fn() -> O + Send + Sync + 'static, budget: Budget) -> Found {
    let reported = Arc::new(AtomicBool::new(false));
    let in_hook = Arc::clone(&reported);
    panic::set_hook(Box::new(move |info| {
        if in_hook.swap(true, Ordering::SeqCst) {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let why = if message.starts_with("deadlock") {
            format!(
                "deadlock at execution {} (loom stops at its first deadlock)",
                LOOM_RUNS.load(Ordering::SeqCst)
            )
        } else if message.contains("maximum number of branches") {
            format!(
                "more than {LOOM_MAX_BRANCHES} branches at execution {}",
                LOOM_RUNS.load(Ordering::SeqCst)
            )
        } else {
            format!(
                "panic at execution {}: {}",
                LOOM_RUNS.load(Ordering::SeqCst),
                message.lines().next().unwrap_or("")
            )
        };
        loom_found(Status::Failed(why.clone())).print();
        if let Ok(mut failure) = LOOM_FAILURE.lock() {
            *failure = Some(why);
        }
    }));
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    builder.max_branches = LOOM_MAX_BRANCHES;
    // loom runs at most max_permutations - 1 executions.
    builder.max_permutations = Some(budget.executions + 1);
    builder.max_duration = Some(budget.time);
    // The limits above are checked every checkpoint_interval executions.
    builder.checkpoint_interval = 1;
    builder.checkpoint_file = None;
    builder.log = false;
    builder.location = false;
    *LOOM_STARTED.lock().expect("not poisoned") = Some(Instant::now());
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            LOOM_RUNS.fetch_add(1, Ordering::SeqCst);
            let outcome = body();
            LOOM_SEEN
                .lock()
                .expect("not poisoned")
                .insert(text(&outcome));
        });
    }));
    // Back to the default hook (for the tests, which run this in their own process).
    drop(panic::take_hook());
    if result.is_err() {
        // The hook printed the failure already; `work` prints it again (the parent keeps
        // the last status).
        let why = LOOM_FAILURE
            .lock()
            .map(|mut w| w.take())
            .unwrap_or(None)
            .unwrap_or_else(|| "a panic".to_string());
        return loom_found(Status::Failed(why));
    }
    let found = loom_found(Status::Complete);
    let runs = found.executions;
    let elapsed = found.seconds;
    let status = if runs >= budget.executions {
        Status::Budget(format!("at its budget of {runs} executions"))
    } else if elapsed >= budget.time.as_secs_f64() {
        Status::Budget(format!(
            "at its time limit of {:.1} s",
            budget.time.as_secs_f64()
        ))
    } else {
        Status::Complete
    };
    Found { status, ..found }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subjects::NAMED;

    #[test]
    fn a_result_survives_printing_and_parsing() {
        let found = Found {
            executions: 1234,
            abandoned: 5,
            distinct: Some(1200),
            status: Status::Budget("at its time limit of 2.0 s".into()),
            seconds: 0.25,
            outcomes: ["[1]".to_string(), "Stuck".to_string()].into(),
            model: Some("RC11 weak memory".into()),
            notes: vec!["a note".into()],
        };
        assert_eq!(Found::parse(&found.to_text()), Some(found));
        assert_eq!(Found::parse("executions 3\n"), None, "no status line");
    }

    #[test]
    fn the_lost_update_under_every_checker() {
        let lost_update = NAMED
            .iter()
            .find(|n| n.name == "lost update, 2 threads")
            .expect("named");
        let budget = Budget {
            executions: 100_000,
            time: Duration::from_secs(60),
        };
        let both: BTreeSet<String> = ["[1]".to_string(), "[2]".to_string()].into();
        let exhaustive = racelab(
            check(lost_update.racelab),
            Search::Exhaustive,
            budget,
            false,
        );
        assert!(exhaustive.complete());
        assert_eq!(exhaustive.outcomes, both);
        assert_eq!(exhaustive.distinct, Some(exhaustive.executions));
        let every = racelab(
            check(lost_update.racelab),
            Search::EveryOrder,
            budget,
            false,
        );
        assert!(every.complete());
        assert_eq!(every.outcomes, both);
        assert_eq!(every.distinct, exhaustive.distinct);
        let dfs = shuttle(lost_update.racelab, budget);
        assert!(dfs.complete(), "{dfs:?}");
        assert_eq!(dfs.outcomes, both);
        let model = loom(lost_update.loom, budget);
        assert!(model.complete(), "{model:?}");
        assert_eq!(model.outcomes, both);
        assert!(model.executions > exhaustive.executions);
    }
}
