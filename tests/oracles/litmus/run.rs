//! Runs a litmus program under racelab's exhaustive search, through the public API only
//! (`racelab::check`): one racelab thread per litmus thread, joined by the main thread,
//! which then loads every location (`SeqCst`: after the joins each load can only see the
//! last write in `mo`, so it adds no executions, and it keeps an all-`SeqCst` program
//! all-`SeqCst`).

use std::collections::BTreeSet;
use std::sync::Arc as StdArc;

use ::racelab::check::sync::Arc;
use ::racelab::check::sync::atomic::{AtomicU64, Ordering, fence};
use ::racelab::check::{Ending, MemoryModel, Search, check, thread};

use super::program::{Mode, Op, Outcome, Program, Reg};

/// The most executions one check may run before it gives up (and is not exhaustive).
pub const MAX_EXECUTIONS: usize = 200_000;

/// What racelab found for one program.
#[derive(Clone, Debug)]
pub struct Found {
    /// The outcomes of the runs that returned.
    pub outcomes: BTreeSet<Outcome>,
    /// Every ending that is not a returned outcome (a panic, a deadlock...), as text.
    pub other_endings: Vec<String>,
    /// Executions run (`coverage.phases[0].executions`).
    pub executions: usize,
    /// Distinct executions (`coverage.phases[0].distinct`, from `count_traces`).
    pub distinct: usize,
    /// Whether racelab says it explored everything.
    pub exhaustive: bool,
}

/// The `std`-style ordering for a litmus ordering.
fn ordering(m: Mode) -> Ordering {
    match m {
        Mode::Relaxed => Ordering::Relaxed,
        Mode::Acquire => Ordering::Acquire,
        Mode::Release => Ordering::Release,
        Mode::AcqRel => Ordering::AcqRel,
        Mode::SeqCst => Ordering::SeqCst,
    }
}

/// Runs one thread's operations on `locs`, returning its registers.
fn run_thread(ops: &[Op], locs: &[Arc<AtomicU64>]) -> Vec<Reg> {
    let mut regs = Vec::new();
    for &op in ops {
        match op {
            Op::Load(l, m) => regs.push(Reg::Val(locs[l.index()].load(ordering(m)))),
            Op::Store(l, v, m) => locs[l.index()].store(v, ordering(m)),
            Op::FetchAdd(l, a, m) => regs.push(Reg::Val(locs[l.index()].fetch_add(a, ordering(m)))),
            Op::Swap(l, v, m) => regs.push(Reg::Val(locs[l.index()].swap(v, ordering(m)))),
            Op::Cas(l, e, n, s, f) => regs.push(
                match locs[l.index()].compare_exchange(e, n, ordering(s), ordering(f)) {
                    Ok(v) => Reg::Ok(v),
                    Err(v) => Reg::Err(v),
                },
            ),
            Op::Fence(m) => fence(ordering(m)),
        }
    }
    regs
}

/// Checks `p` exhaustively with racelab, under `model` (`None`: racelab's default, SC
/// while every ordering is `SeqCst` and RC11 otherwise).
pub fn run(p: &Program, model: Option<MemoryModel>) -> Found {
    let program = StdArc::new(p.clone());
    let body = move || {
        let locs: Vec<Arc<AtomicU64>> = (0..3).map(|_| Arc::new(AtomicU64::new(0))).collect();
        let handles: Vec<_> = (0..program.threads.len())
            .map(|t| {
                let locs = locs.clone();
                let program = StdArc::clone(&program);
                thread::spawn(move || run_thread(&program.threads[t], &locs))
            })
            .collect();
        let regs = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let finals = [0, 1, 2].map(|l| locs[l].load(Ordering::SeqCst));
        Outcome { regs, finals }
    };
    let mut builder = check(body)
        .search(Search::Exhaustive)
        .count_traces(true)
        .max_executions(MAX_EXECUTIONS);
    if let Some(model) = model {
        builder = builder.memory_model(model);
    }
    let report = builder.run();
    let mut outcomes = BTreeSet::new();
    let mut other_endings = Vec::new();
    for ending in report.endings() {
        match ending {
            Ending::Returned(o) => {
                outcomes.insert(o.clone());
            }
            other => other_endings.push(format!("{other:?}")),
        }
    }
    let phase = &report.coverage.phases[0];
    Found {
        outcomes,
        other_endings,
        executions: phase.executions as usize,
        distinct: phase.distinct.unwrap_or(0),
        exhaustive: report.coverage.is_exhaustive(),
    }
}
