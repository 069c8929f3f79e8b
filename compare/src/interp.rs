//! The interpreter of the differential tests' program language
//! (`tests/oracles/differential/program.rs`), written once against a facade: the module that
//! includes this file provides `sync` and `thread` (racelab's or loom's, which have the
//! same names and signatures as `std`'s), so the racelab and loom versions are the same
//! code and cannot drift.
//!
//! The translation is the one of `tests/oracles/differential/run.rs`, line for line: two
//! `AtomicU64`, two `Mutex<u64>` and one `Condvar` in an `Arc`; each thread interprets its
//! instructions and returns its record; main spawns the threads in order, joins them in
//! order, then loads both atomics and locks both mutexes to read their values. (racelab's
//! version is checked against `run.rs` itself on every generated program, see
//! `worker::racelab`.)

use super::sync::atomic::{AtomicU64, Ordering::SeqCst};
use super::sync::{Arc, Condvar, Mutex, MutexGuard};
use super::thread;

use crate::program::{Instr, Outcome, Program, ATOMICS, CAS_FAILED, MUTEXES};

/// The program's shared state, built afresh in every execution.
struct Shared {
    /// `a0`, `a1`.
    atomics: [AtomicU64; ATOMICS],
    /// `m0`, `m1`.
    mutexes: [Mutex<u64>; MUTEXES],
    /// `c0`, used with `m0`.
    condvar: Condvar,
}

impl Shared {
    /// Everything at 0.
    fn new() -> Shared {
        Shared {
            atomics: [AtomicU64::new(0), AtomicU64::new(0)],
            mutexes: [Mutex::new(0), Mutex::new(0)],
            condvar: Condvar::new(),
        }
    }
}

/// One thread's own state: what it observed, and the children it has not joined yet.
struct Local {
    /// What the thread recorded.
    record: Vec<u64>,
    /// Children spawned and not joined yet, in spawn order.
    children: Vec<thread::JoinHandle<Vec<u64>>>,
}

impl Local {
    /// Joins every unjoined child in spawn order, appending its record.
    fn join_children(&mut self) {
        for child in self.children.drain(..) {
            let record = child.join().expect("a child thread panicked");
            self.record.extend(record);
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
            let result = shared.atomics[*a].compare_exchange(*expected, *new, SeqCst, SeqCst);
            local.record.push(match result {
                Ok(old) => old,
                Err(found) => CAS_FAILED + found,
            });
        }
        Instr::Locked(m, body) => {
            let guard = shared.mutexes[*m].lock().expect("no thread panics");
            exec_locked(shared, local, guard, body);
        }
        Instr::TryLocked(m, body) => match shared.mutexes[*m].try_lock() {
            Ok(guard) => {
                local.record.push(1);
                exec_locked(shared, local, guard, body);
            }
            Err(_) => local.record.push(0),
        },
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
        // The comparison's programs never panic (`program::program()` draws none; only the
        // oracle's own test of unwinding does): a panic here is a panic in every checker.
        Instr::Panic => panic!("a generated panic"),
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
                    guard = shared.condvar.wait(guard).expect("no thread panics");
                }
            }
            Instr::WaitOnce => guard = shared.condvar.wait(guard).expect("no thread panics"),
            // loom 0.7's `wait_timeout` never times out (it waits like `wait`): the
            // comparison shows what that misses.
            Instr::WaitTimeoutOnce => {
                let (g, result) = shared
                    .condvar
                    .wait_timeout(guard, std::time::Duration::from_secs(1))
                    .expect("no thread panics");
                guard = g;
                local.record.push(u64::from(result.timed_out()));
            }
            other => exec(shared, local, other),
        }
    }
    drop(guard);
}

/// One execution of `program` as its `main`: spawn the threads, join them in order, read
/// the shared values. Never panics for a well-formed program (a stuck one never returns:
/// the checker reports it).
pub fn main(program: &Program) -> Outcome {
    let shared = Arc::new(Shared::new());
    let handles: Vec<_> = program
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
        .map(|h| h.join().expect("a thread panicked"))
        .collect();
    let atomics = [
        shared.atomics[0].load(SeqCst),
        shared.atomics[1].load(SeqCst),
    ];
    let data = [
        *shared.mutexes[0].lock().expect("no thread panics"),
        *shared.mutexes[1].lock().expect("no thread panics"),
    ];
    Outcome::Finished {
        records,
        atomics,
        data,
    }
}
