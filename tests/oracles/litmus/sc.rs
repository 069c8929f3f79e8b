//! The SC oracle, operationally: every interleaving of the threads' operations, each
//! operation atomic (a read-modify-write included), every read seeing the latest write
//! to its location (Lamport's sequential consistency).
//!
//! An interleaving's execution graph is its reads-from (which write each read saw) and
//! its modification order (the order the writes to each location happened in); several
//! interleavings give the same graph. The oracle explores interleavings depth first and
//! skips a state it has seen: a state is the threads' positions with the graph so far
//! (which determines memory and registers), so two interleavings reaching the same state
//! have the same continuations. The number of distinct complete graphs is what GenMC
//! counts under SC (`expected.sc.mo.in`), and what racelab counts with `count_traces`
//! when every access is `SeqCst`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::program::{Op, Outcome, Program, Reg};
use super::rc11::{Source, Verdict};

/// An execution graph: what each read read from, and each location's writes in order.
type GraphKey = (BTreeMap<(usize, usize), Source>, [Vec<Source>; 3]);

/// A state: each thread's next operation, what each read so far read from (by thread and
/// operation), and each location's writes so far, in order.
#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    pc: Vec<usize>,
    rf: BTreeMap<(usize, usize), Source>,
    mo: [Vec<Source>; 3],
}

/// The outcomes and the number of distinct executions (rf, mo) of `p` under SC.
pub fn explore(p: &Program) -> Verdict {
    let mut seen: HashSet<State> = HashSet::new();
    let mut graphs: HashSet<GraphKey> = HashSet::new();
    let mut outcomes = BTreeSet::new();
    let start = State {
        pc: vec![0; p.threads.len()],
        rf: BTreeMap::new(),
        mo: [Vec::new(), Vec::new(), Vec::new()],
    };
    let mut stack = vec![start];
    let mut states = 0;
    while let Some(s) = stack.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        states += 1;
        if s.pc
            .iter()
            .zip(&p.threads)
            .all(|(&pc, ops)| pc == ops.len())
        {
            outcomes.insert(outcome_of(p, &s));
            graphs.insert((s.rf.clone(), s.mo.clone()));
            continue;
        }
        for t in 0..p.threads.len() {
            if s.pc[t] < p.threads[t].len() {
                stack.push(step(p, &s, t));
            }
        }
    }
    Verdict {
        outcomes,
        executions: graphs.len(),
        candidates: states,
    }
}

/// The value of a write.
fn value_of(p: &Program, s: &State, w: Source) -> u64 {
    match w {
        Source::Init => 0,
        Source::Op { thread, op } => match p.threads[thread][op] {
            Op::Store(_, v, _) | Op::Swap(_, v, _) => v,
            Op::Cas(_, _, n, _, _) => n,
            Op::FetchAdd(_, a, _) => read_value(p, s, thread, op) + a,
            other => unreachable!("{other:?} does not write"),
        },
    }
}

/// What operation `op` of `thread` read (it has run).
fn read_value(p: &Program, s: &State, thread: usize, op: usize) -> u64 {
    value_of(p, s, s.rf[&(thread, op)])
}

/// The state after thread `t` runs its next operation.
fn step(p: &Program, s: &State, t: usize) -> State {
    let mut next = s.clone();
    let i = s.pc[t];
    let op = p.threads[t][i];
    next.pc[t] += 1;
    let me = Source::Op { thread: t, op: i };
    if let Some(loc) = op.loc() {
        let l = loc.index();
        let latest = s.mo[l].last().copied().unwrap_or(Source::Init);
        if op.reads() {
            next.rf.insert((t, i), latest);
        }
        let writes = match op {
            Op::Cas(_, e, _, _, _) => value_of(p, s, latest) == e,
            _ => op.may_write(),
        };
        if writes {
            next.mo[l].push(me);
        }
    }
    next
}

/// The registers and final values of a complete run.
fn outcome_of(p: &Program, s: &State) -> Outcome {
    let regs = p
        .threads
        .iter()
        .enumerate()
        .map(|(t, ops)| {
            ops.iter()
                .enumerate()
                .filter(|(_, op)| op.reads())
                .map(|(i, op)| {
                    let v = read_value(p, s, t, i);
                    match op {
                        Op::Cas(_, e, _, _, _) if v == *e => Reg::Ok(v),
                        Op::Cas(..) => Reg::Err(v),
                        _ => Reg::Val(v),
                    }
                })
                .collect()
        })
        .collect();
    let mut finals = [0; 3];
    for (l, writes) in s.mo.iter().enumerate() {
        finals[l] = writes.last().map_or(0, |&w| value_of(p, s, w));
    }
    Outcome { regs, finals }
}
