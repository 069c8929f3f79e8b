//! Runs a [`Program`] on racelab's real primitives, through its public API only, and maps
//! the report's endings onto the oracle's [`Outcome`]s.
//!
//! The translation is literal: the shared state is two `AtomicU64`, two `Mutex<u64>` and
//! one `Condvar` in an `Arc`; each thread is a `thread::spawn`ed closure that interprets
//! its instructions and returns its record; main spawns the threads in order, joins them
//! in order, then loads both atomics and locks both mutexes to read their values. A timed
//! wait is racelab's `Condvar::wait_timeout` with one second, recording `timed_out()`.

use std::collections::BTreeSet;
use std::sync::{PoisonError, TryLockError};
use std::time::Duration;

use racelab::check::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::check::sync::{Arc, Condvar, Mutex, MutexGuard};
use racelab::check::{Check, Ending, MemoryModel, Report, Search, check, thread};

use super::program::{ATOMICS, CAS_FAILED, Instr, MUTEXES, Outcome, PANICKED, POISONED, Program};

/// What an `Instr::Panic` panics with.
const GENERATED_PANIC: &str = "a generated panic";

/// The program's shared state, built afresh in every execution.
struct Shared {
    atomics: [AtomicU64; ATOMICS],
    mutexes: [Mutex<u64>; MUTEXES],
    condvar: Condvar,
    /// Whether `Instr::Cas` is `compare_exchange_weak` (see [`run_with_spurious_failures`]).
    weak: bool,
}

impl Shared {
    fn new(weak: bool) -> Shared {
        Shared {
            atomics: [AtomicU64::new(0), AtomicU64::new(0)],
            mutexes: [Mutex::new(0).named("m0"), Mutex::new(0).named("m1")],
            condvar: Condvar::new().named("c0"),
            weak,
        }
    }
}

/// One thread's own state: what it observed, and the children it has not joined yet.
struct Local {
    record: Vec<u64>,
    children: Vec<thread::JoinHandle<Vec<u64>>>,
}

impl Local {
    /// Joins every unjoined child in spawn order, appending its record.
    fn join_children(&mut self) {
        for child in self.children.drain(..) {
            match child.join() {
                Ok(record) => self.record.extend(record),
                Err(_) => self.record.push(PANICKED),
            }
        }
    }
}

/// A thread's body: its instructions, then the join of the children left, then its record.
fn run_thread(shared: &Arc<Shared>, body: &[Instr]) -> Vec<u64> {
    let mut local = Local {
        record: Vec::new(),
        children: Vec::new(),
    };
    for instr in body {
        exec(shared, &mut local, instr);
    }
    local.join_children();
    local.record
}

/// Runs one instruction outside any lock body (or one that does not touch the guard).
fn exec(shared: &Arc<Shared>, local: &mut Local, instr: &Instr) {
    match instr {
        Instr::Load(a) => local.record.push(shared.atomics[*a].load(SeqCst)),
        Instr::Store(a, v) => shared.atomics[*a].store(*v, SeqCst),
        Instr::FetchAdd(a) => local.record.push(shared.atomics[*a].fetch_add(1, SeqCst)),
        Instr::Swap(a, v) => local.record.push(shared.atomics[*a].swap(*v, SeqCst)),
        Instr::Cas(a, expected, new) => {
            let atomic = &shared.atomics[*a];
            let result = if shared.weak {
                atomic.compare_exchange_weak(*expected, *new, SeqCst, SeqCst)
            } else {
                atomic.compare_exchange(*expected, *new, SeqCst, SeqCst)
            };
            local.record.push(match result {
                Ok(old) => old,
                Err(found) => CAS_FAILED + found,
            });
        }
        Instr::Locked(m, body) => {
            let guard = shared.mutexes[*m].lock().unwrap_or_else(|poisoned| {
                local.record.push(POISONED);
                poisoned.into_inner()
            });
            exec_locked(shared, local, guard, body);
        }
        Instr::TryLocked(m, body) => match shared.mutexes[*m].try_lock() {
            Ok(guard) => {
                local.record.push(1);
                exec_locked(shared, local, guard, body);
            }
            Err(TryLockError::Poisoned(poisoned)) => {
                local.record.extend([1, POISONED]);
                exec_locked(shared, local, poisoned.into_inner(), body);
            }
            Err(TryLockError::WouldBlock) => local.record.push(0),
        },
        Instr::Panic => panic!("{GENERATED_PANIC}"),
        Instr::NotifyOne => shared.condvar.notify_one(),
        Instr::NotifyAll => shared.condvar.notify_all(),
        Instr::SpinUntil(a, v) => {
            while shared.atomics[*a].load(SeqCst) != *v {
                thread::yield_now();
            }
        }
        Instr::Spawn(body) => {
            let shared = Arc::clone(shared);
            let body = body.clone();
            local
                .children
                .push(thread::spawn(move || run_thread(&shared, &body)));
        }
        Instr::JoinChildren => local.join_children(),
        Instr::ReadData
        | Instr::WriteData(_)
        | Instr::AddData
        | Instr::WaitWhileZero
        | Instr::WaitOnce
        | Instr::WaitTimeoutOnce => {
            panic!("{instr:?} outside a lock: the program is not well formed")
        }
    }
}

/// Runs a lock body with `guard` held, then drops it (the unlock).
fn exec_locked(
    shared: &Arc<Shared>,
    local: &mut Local,
    mut guard: MutexGuard<'_, u64>,
    body: &[Instr],
) {
    for instr in body {
        match instr {
            Instr::ReadData => local.record.push(*guard),
            Instr::WriteData(v) => *guard = *v,
            Instr::AddData => *guard += 1,
            Instr::WaitWhileZero => {
                while *guard == 0 {
                    guard = shared
                        .condvar
                        .wait(guard)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
            Instr::WaitOnce => {
                guard = shared
                    .condvar
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner)
            }
            Instr::WaitTimeoutOnce => {
                let (g, result) = shared
                    .condvar
                    .wait_timeout(guard, Duration::from_secs(1))
                    .unwrap_or_else(PoisonError::into_inner);
                guard = g;
                local.record.push(u64::from(result.timed_out()));
            }
            other => exec(shared, local, other),
        }
    }
    drop(guard);
}

/// What one racelab run found.
#[derive(Debug, Clone)]
pub struct Run {
    /// The endings, as outcomes.
    pub outcomes: BTreeSet<Outcome>,
    /// Executions racelab ran.
    pub executions: usize,
}

/// Checks `program` with racelab under `search`, with an execution budget of `budget`, and
/// returns the set of its endings as [`Outcome`]s: `Returned(o)` is `o`, `Deadlock` (which
/// includes a spin nobody will end) and a panic row naming an `Instr::Panic` (a deadlock
/// with a panic nobody joined yet) are [`Outcome::Stuck`]. Returns `None` when the search
/// was not exhaustive.
///
/// # Panics
/// If an execution ended otherwise (another panic, the step limit): neither can happen to a
/// program of this language, so either is a bug worth looking at (the program is printed).
pub fn run(program: &Program, search: Search, budget: usize) -> Option<Run> {
    let (exhaustive, run) = check_program(program, search, budget, None);
    exhaustive.then_some(run)
}

/// [`run`] with the memory model forced (`Check::memory_model`).
pub fn run_under(
    program: &Program,
    search: Search,
    budget: usize,
    model: MemoryModel,
) -> Option<Run> {
    let (exhaustive, run) = check_program(program, search, budget, Some(model));
    exhaustive.then_some(run)
}

/// The endings `schedules` seeded random schedules of racelab reach (a sample: for telling
/// whether an outcome a search missed is reachable at all, when the search without
/// reduction is too slow to say).
pub fn sample(program: &Program, schedules: usize) -> Run {
    check_program(program, Search::Random(schedules), schedules, None).1
}

/// [`run`] with every `Instr::Cas` a `compare_exchange_weak` that may fail spuriously at most
/// `spurious_failures` times in each thread if that is not 0 (`Check::spurious_failures`),
/// and each thread's timed waits timing out at most `wakeup_limit` times if set
/// (`Check::wakeups_without_notify`; an execution cut there is [`Outcome::WakeupLimit`]),
/// and waits that may wake spuriously if `spurious_wakeups` (`Check::spurious_wakeups`).
pub fn run_with(
    program: &Program,
    search: Search,
    budget: usize,
    spurious_failures: u32,
    wakeup_limit: Option<u32>,
    spurious_wakeups: bool,
) -> Option<Run> {
    let check = build(program, search, budget, None, spurious_failures);
    let check = match wakeup_limit {
        Some(n) => check.wakeups_without_notify(n),
        None => check,
    };
    let check = check.spurious_wakeups(spurious_wakeups);
    let (exhaustive, run) = endings(program, search, &check.run());
    exhaustive.then_some(run)
}

/// How many of the exhaustive search's executions of `program` repeated one it had run
/// (`Check::count_traces`: 0 when it runs each execution once), or `None` if it was not
/// exhaustive within `budget`; with waits that may wake spuriously if `spurious_wakeups`.
pub fn repeated(program: &Program, budget: usize, spurious_wakeups: bool) -> Option<usize> {
    let report = build(program, Search::Exhaustive, budget, None, 0)
        .spurious_wakeups(spurious_wakeups)
        .count_traces(true)
        .run();
    let repeated = report.coverage.phases.iter().map(|p| p.repeated());
    let repeated: Option<usize> = repeated.sum();
    repeated.filter(|_| report.coverage.is_exhaustive())
}

/// Runs the check; returns whether its coverage was exhaustive, and what it found.
fn check_program(
    program: &Program,
    search: Search,
    budget: usize,
    model: Option<MemoryModel>,
) -> (bool, Run) {
    endings(
        program,
        search,
        &report(program, search, budget, model, None),
    )
}

/// Whether `report`'s coverage was exhaustive, and what it found.
fn endings(program: &Program, search: Search, report: &Report<Outcome>) -> (bool, Run) {
    let outcomes = report
        .endings()
        .map(|ending| match ending {
            Ending::Returned(o) => o.clone(),
            Ending::Deadlock => Outcome::Stuck,
            Ending::WakeupLimit(_) => Outcome::WakeupLimit,
            // Stuck, with a panic no `join` returned yet: racelab names the panic as the
            // cause (every panic is joined in an execution that ends).
            Ending::Panicked(m)
                if m.starts_with(GENERATED_PANIC) && !m.contains("while it unwound") =>
            {
                Outcome::Stuck
            }
            _ => panic!(
                "racelab ({search:?}) reported {ending} for a program that can only \
                 return or get stuck:\n{program}\n{program:?}"
            ),
        })
        .collect();
    let run = Run {
        outcomes,
        executions: report.executions,
    };
    (report.coverage.is_exhaustive(), run)
}

/// racelab's whole report on `program` (`jobs`: as `Check::jobs`, default if `None`).
pub fn report(
    program: &Program,
    search: Search,
    budget: usize,
    model: Option<MemoryModel>,
    jobs: Option<usize>,
) -> Report<Outcome> {
    let check = check_of(program, search, budget, model);
    match jobs {
        Some(n) => check.jobs(n),
        None => check,
    }
    .run()
}

/// The check of `program`, set up but not run (to split it into shards, say).
pub fn check_of(
    program: &Program,
    search: Search,
    budget: usize,
    model: Option<MemoryModel>,
) -> Check<Outcome> {
    build(program, search, budget, model, 0)
}

/// [`check_of`], its `Instr::Cas` weak and failing spuriously at most `spurious_failures`
/// times in each thread if that is not 0.
fn build(
    program: &Program,
    search: Search,
    budget: usize,
    model: Option<MemoryModel>,
    spurious_failures: u32,
) -> Check<Outcome> {
    let body_program = Arc::new(program.clone());
    let weak = spurious_failures > 0;
    let report = check(move || {
        let shared = Arc::new(Shared::new(weak));
        let handles: Vec<_> = body_program
            .threads
            .iter()
            .map(|body| {
                let shared = Arc::clone(&shared);
                let body = body.clone();
                thread::spawn(move || run_thread(&shared, &body))
            })
            .collect();
        let records: Vec<Vec<u64>> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| vec![PANICKED]))
            .collect();
        let atomics = [
            shared.atomics[0].load(SeqCst),
            shared.atomics[1].load(SeqCst),
        ];
        let data = [
            *shared.mutexes[0]
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
            *shared.mutexes[1]
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        ];
        Outcome::Finished {
            records,
            atomics,
            data,
        }
    })
    .search(search)
    .max_executions(budget)
    .spurious_failures(spurious_failures)
    .allow_deadlock();
    match model {
        Some(model) => report.memory_model(model),
        None => report,
    }
}
