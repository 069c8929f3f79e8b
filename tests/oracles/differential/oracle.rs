//! The reference: an explicit-state model checker of [`Program`]s, std only, sharing no
//! code with racelab.
//!
//! Semantics: sequential consistency with interleaving semantics. A state is the shared
//! memory (atomics, guarded data, mutex owners) plus every thread's program counter,
//! status, record, unjoined children, count of spurious failures (see `Cas`) and count of
//! timed-out waits (see `wait_timeout`). A step is one indivisible operation of one
//! runnable thread:
//!
//! * every atomic operation is one step;
//! * `Cas(a, expected, new)` is std's strong `compare_exchange`: if `a` holds `expected` it
//!   writes `new` and records the old value, else it records `CAS_FAILED + found`. Under
//!   the option of [`explore_within_with_spurious_failures`] with `n > 0`, every `Cas` is
//!   a `compare_exchange_weak` instead: when `a` holds `expected` and the thread has failed
//!   spuriously fewer than `n` times so far, the step has a second successor, the spurious
//!   failure, which leaves `a` unchanged, records `CAS_FAILED + expected` (as a failure
//!   records what it found) and adds one to that thread's count. Each modelled thread (a
//!   top-level thread or a spawned child) has its own count, from 0, which is part of the
//!   state; a `Cas` that finds another value fails as before, and that is not spurious and
//!   does not count. With `n == 0`, the strong `compare_exchange`: no second successor;
//! * `lock` is one step, enabled only when the mutex is free; `unlock` is one step;
//!   `try_lock` is one step that never blocks;
//! * `wait` is one step that releases `m0` and puts the thread in `c0`'s waiter set; a
//!   waiting thread runs again only after a notify picks it, and then needs one more step,
//!   enabled only when `m0` is free, to take `m0` back before `wait` returns;
//! * `wait_timeout` (time abstracted away) begins like `wait`: one step that releases `m0`
//!   and puts the thread in `c0`'s waiter set. But the thread stays able to move: its next
//!   step, always enabled, ends the wait, "timed out" (records 1) if it is still a waiter
//!   then (it leaves the waiter set), "woken" (records 0) if a notify picked it meanwhile;
//!   then one more step, enabled only when `m0` is free, takes `m0` back, as after `wait`.
//!   Under the option of [`explore_within_with_wakeup_limit`] with limit `n` (each thread
//!   wakes without a notify at most `n` times), the end "timed out" (the thread still a
//!   waiter) is enabled only while that thread's count of timed-out waits is below `n`, and
//!   adds one to it; each modelled thread (top-level or spawned child) has its own count,
//!   from 0, which is part of the state. The end "woken" is always enabled and does not
//!   count, and a notify may still pick a waiter held at the limit (it is still a waiter).
//!   Without the option there is no limit and no count;
//! * `notify_one` picks any one of the threads waiting at that moment (each choice is a
//!   different successor state; a timed wait that already ended is not waiting) and is a
//!   no-op if none waits; `notify_all` picks them all; no spurious wake-ups, except under
//!   the option below;
//! * under the option of [`explore_within_with_spurious_wakeups`], a thread in a plain wait
//!   (`WaitOnce`, or any wait of `WaitWhileZero`) that is still in `c0`'s waiter set may
//!   also wake spuriously, as std's `Condvar::wait` may: one step of that thread alone,
//!   always enabled while it waits, that takes it out of the waiter set exactly as if a
//!   notify had picked it, so that it then needs its step that takes `m0` back (and
//!   `WaitWhileZero` tests its condition again, and may wait again). `wait_timeout` is
//!   unchanged: it can already end at any moment. Without the option, no wake-up without
//!   a notify but a timeout;
//! * `SpinUntil(a, v)` is one step, enabled only when `a == v`;
//! * `spawn` is one step that makes the child runnable; a join is one step, enabled once
//!   the child has finished, that appends the child's record to the joiner's; a thread's
//!   end is one step (after the implicit join of its children left unjoined);
//! * main spawns the top-level threads in order and joins them in order (one step each);
//!   once it has joined the last one nothing else can run, so the final values of the
//!   atomics and the guarded data are read straight from that state;
//! * `panic!()` ends its thread: the guards it holds are dropped as it unwinds, innermost
//!   first, each one step that releases its mutex and poisons it (std's `PoisonError`:
//!   every later `lock` or `try_lock` that gets the mutex records [`POISONED`]); what the
//!   thread recorded is lost with it, and its join records [`PANICKED`] (a top-level
//!   thread's record is then `[PANICKED]`);
//! * operations that touch only what their thread alone can see (the value a mutex it
//!   holds guards, the loop test of `WaitWhileZero`, jumps, a join with no child left) are
//!   run as part of the thread's previous step: they are always enabled and commute with
//!   every step of every other thread, so this changes no set of final states; it only
//!   spares the search the interleavings of invisible steps.
//!
//! Every state reachable from the initial one is visited once (a depth-first search with a
//! visited set over hashed states, not over interleavings). A state where main has
//! finished gives its [`Outcome::Finished`]. A state where no thread can move and main has
//! not finished (a dead end) gives [`Outcome::Stuck`], unless the execution is cut there
//! at the limit of wake-ups without a notify, [`Outcome::WakeupLimit`], which is when a
//! held thread could still matter:
//!
//! 1. let H be the threads in a timed wait, still waiters (no notify picked them), held at
//!    the limit (they have timed out `n` times or more: they would time out but for the
//!    limit). If H is empty (always so without the option), the dead end is stuck;
//! 2. let U, the threads that might move again if those of H went on (with a clock, each
//!    would time out and could then do anything: unlock what it holds, store, notify,
//!    finish), start as H, and grow by every thread not finished and not in U yet that
//!    waits to lock a mutex (or to take `m0` back after a wait) whose owner is in U, waits
//!    to join a thread in U (main's joins, `JoinChildren`, the implicit join at a thread's
//!    end), waits in a plain wait for a notify (a thread of U could notify), or spins in a
//!    `SpinUntil` whose value is not there (a thread of U could store), until none is
//!    added. A thread waiting for a mutex whose owner is not in U (in a lock cycle, say)
//!    is not added: nothing a held thread does can free it;
//! 3. the dead end is cut if every thread that has not finished, main included, is in U
//!    (a child not spawned yet is not counted: only its parent, itself not finished, can
//!    spawn it), and stuck otherwise: some threads are stuck whatever the held ones do.
//!
//! Under the option of spurious wake-ups, a spurious wake-up is allowed, never required:
//! a thread in a plain wait may as well stay in the waiter set for ever. So a state where
//! main has not finished and the only moves left are spurious wake-ups (every other thread
//! is finished, not spawned or blocked; a timed wait that can still time out is a move,
//! not a wake-up) is final too, and gives [`Outcome::Stuck`], the waiters staying for
//! ever; the states its spurious wake-ups lead to are explored as well. A state with no
//! move at all is a dead end as above. The option is not combined with the other two
//! (spurious failures, a limit on wake-ups): the search refuses such a combination.
//!
//! To keep the interpreter flat, each thread's instructions are first compiled into a list
//! of operations with jumps ([`Op`]); a `Spawn` gets a thread slot of its own at compile
//! time (a `Spawn` runs at most once: no loop ever contains one), so the same state always
//! has the same thread numbering whatever order the threads were spawned in.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::program::{
    ATOMICS, CAS_FAILED, CONDVAR_MUTEX, Instr, MUTEXES, Outcome, PANICKED, POISONED, Program,
};

/// A thread's index into [`State::threads`]: 0 is main, `1..=n` the top-level threads,
/// then one slot per `Spawn` instruction of the program.
type Slot = usize;

/// One indivisible step of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Load(usize),
    Store(usize, u64),
    FetchAdd(usize),
    Swap(usize, u64),
    Cas(usize, u64, u64),
    /// Enabled when the mutex is free; takes it.
    Lock(usize),
    Unlock(usize),
    /// Takes the mutex and records 1 if it is free; otherwise records 0 and jumps to
    /// `skip_to` (past the body and its unlock).
    TryLock {
        m: usize,
        skip_to: usize,
    },
    ReadData(usize),
    WriteData(usize, u64),
    AddData(usize),
    /// The test of `while data != 0`: jumps to `to` (out of the loop) when the data is not 0.
    JumpIfDataNonZero {
        m: usize,
        to: usize,
    },
    Jump(usize),
    /// Releases `m0` and joins `c0`'s waiter set.
    Wait,
    /// After a notify picked the thread: enabled when `m0` is free; takes it.
    Reacquire,
    /// Releases `m0` and joins `c0`'s waiter set, the thread staying able to move (its
    /// timeout may fire at any moment): `wait_timeout`'s first step.
    WaitTimed,
    /// The end of a timed wait, always enabled: leaves the waiter set and records 1 (timed
    /// out) if the thread is still in it, records 0 (woken) if a notify picked it. Then
    /// [`Op::Reacquire`].
    EndTimedWait,
    NotifyOne,
    NotifyAll,
    /// Enabled when the atomic holds the value.
    SpinUntil(usize, u64),
    /// Makes the child in this slot runnable and remembers it as unjoined.
    Spawn(Slot),
    /// Joins the first unjoined child (enabled when it has finished), appending its record;
    /// with no child left, moves on.
    JoinChildren,
    /// The thread's end.
    Finish,
    /// A panicking thread drops the guard of `m` as it unwinds: std releases the mutex and
    /// poisons it. One step per guard, innermost first: other threads may run in between.
    PoisonUnlock(usize),
    /// The end of a thread that panicked: whoever joins it gets `Err`.
    Panicked,
}

/// Where a thread is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Status {
    NotSpawned,
    Runnable,
    /// In `c0`'s waiter set; its next operation is [`Op::Reacquire`].
    Waiting,
    /// In `c0`'s waiter set after [`Op::WaitTimed`], and able to move: its next operation is
    /// [`Op::EndTimedWait`] (the timeout). A notify that picks it makes it
    /// [`Status::Runnable`], at the same operation.
    TimedWaiting,
    Finished,
}

impl Status {
    /// Whether the thread is in `c0`'s waiter set (what a notify may pick).
    fn is_waiter(self) -> bool {
        matches!(self, Status::Waiting | Status::TimedWaiting)
    }
}

/// What a thread that cannot move waits for, in a state where no thread can move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blocked {
    /// Its timed wait would time out but for the limit on wake-ups without a notify.
    HeldAtLimit,
    /// A notify: a plain wait (`WaitOnce`, `WaitWhileZero`).
    Notify,
    /// A store: a `SpinUntil` whose value is not there.
    Store,
    /// The release of a mutex by this owner: a lock, or the retake of `m0` after a wait.
    Owner(Slot),
    /// The end of this thread: a join (main's, `JoinChildren`, the implicit one at the end).
    Join(Slot),
}

/// The most values one thread's record holds here (generated programs record at most
/// `MAX_INSTRS_PER_THREAD` values per top-level thread, children's included).
const RECORD_CAP: usize = 23;

/// What a thread observed, in order, kept inline (no allocation) so that states are cheap
/// to copy and hash: at most [`RECORD_CAP`] values, each below 256 (recorded values are
/// small: constants up to 2, counts of increments, `CAS_FAILED + found`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Record {
    len: u8,
    values: [u8; RECORD_CAP],
}

impl Record {
    const EMPTY: Record = Record {
        len: 0,
        values: [0; RECORD_CAP],
    };

    fn push(&mut self, value: u64) {
        let len = usize::from(self.len);
        assert!(
            len < RECORD_CAP,
            "the oracle records at most {RECORD_CAP} values per thread"
        );
        self.values[len] = u8::try_from(value)
            .unwrap_or_else(|_| panic!("the oracle records values below 256, not {value}"));
        self.len += 1;
    }

    fn extend(&mut self, other: &Record) {
        for v in other.to_vec() {
            self.push(v);
        }
    }

    fn to_vec(self) -> Vec<u64> {
        self.values[..usize::from(self.len)]
            .iter()
            .map(|&v| u64::from(v))
            .collect()
    }
}

/// One thread's part of a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Thread {
    status: Status,
    /// Index of its next operation.
    pc: usize,
    /// What it observed, children's records appended when joined.
    record: Record,
    /// Children spawned and not joined yet: one bit per slot. A thread's children have
    /// increasing slots in spawn order (slots are numbered in program order and a `Spawn`
    /// runs at most once), so the lowest bit is the first child to join.
    unjoined: u32,
    /// It ended by panicking (its record is lost with it: a join gets `Err`).
    panicked: bool,
    /// How many times its `Cas` failed spuriously so far (always 0 unless
    /// [`Compiled::spurious_failures`] is above 0).
    spurious: u32,
    /// How many of its timed waits timed out so far (always 0 unless
    /// [`Compiled::wakeup_limit`] is set).
    timeouts: u32,
}

/// A global state of the program.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct State {
    threads: Vec<Thread>,
    atomics: [u64; ATOMICS],
    data: [u64; MUTEXES],
    owner: [Option<Slot>; MUTEXES],
    /// A thread panicked while holding it (std's poisoning: every later lock sees it).
    poisoned: [bool; MUTEXES],
}

/// The program compiled: the operations of every thread slot.
struct Compiled {
    code: Vec<Vec<Op>>,
    /// Number of top-level threads (slots `1..=top_level`).
    top_level: usize,
    /// Whether private operations run as part of the step before them (always, except in
    /// the test that checks this changes nothing).
    merge_private: bool,
    /// The most times each thread's `Cas` may fail spuriously (`compare_exchange_weak`); 0
    /// for std's strong `compare_exchange`, which never does.
    spurious_failures: u32,
    /// The most times each thread may wake without a notify (a timed wait that times out);
    /// `None` for no limit, and then no thread counts its timeouts.
    wakeup_limit: Option<u32>,
    /// Whether a thread in a plain wait may wake spuriously, without a notify (std allows
    /// it, never requires it; see the module docs). Never set with `spurious_failures`
    /// above 0 or a `wakeup_limit`.
    spurious_wakeups: bool,
}

impl Compiled {
    /// Compiles a program, after checking it is well formed.
    fn checked(program: &Program) -> Compiled {
        if let Err(e) = program.validate() {
            panic!("the oracle needs a well-formed program: {e}\n{program}");
        }
        Compiled::new(program)
    }

    fn new(program: &Program) -> Compiled {
        let n = program.threads.len();
        let mut compiled = Compiled {
            code: vec![Vec::new(); n + 1],
            top_level: n,
            merge_private: true,
            spurious_failures: 0,
            wakeup_limit: None,
            spurious_wakeups: false,
        };
        // Main: spawn every thread in order, join them in order, finish.
        compiled.code[0] = (1..=n)
            .map(Op::Spawn)
            .chain([Op::JoinChildren, Op::Finish])
            .collect();
        for (t, body) in program.threads.iter().enumerate() {
            compiled.thread(t + 1, body);
        }
        assert!(
            compiled.code.len() <= 32,
            "the oracle handles at most 32 threads, main and children included"
        );
        compiled
    }

    /// Compiles a thread body into `slot`: the body, then the implicit join of the children
    /// still unjoined, then the end.
    fn thread(&mut self, slot: Slot, body: &[Instr]) {
        let mut ops = Vec::new();
        self.body(&mut ops, body, &[]);
        ops.push(Op::JoinChildren);
        ops.push(Op::Finish);
        self.code[slot] = ops;
    }

    /// Appends the operations of `body` to `ops`; `held` are the mutexes whose lock bodies
    /// this is in, outermost first (the last one is what data operations refer to).
    fn body(&mut self, ops: &mut Vec<Op>, body: &[Instr], held: &[usize]) {
        let innermost = held.last().copied();
        let data = || innermost.expect("data operation outside a lock (validate first)");
        let locking = |m: usize| -> Vec<usize> { held.iter().copied().chain([m]).collect() };
        for instr in body {
            match instr {
                Instr::Load(a) => ops.push(Op::Load(*a)),
                Instr::Store(a, v) => ops.push(Op::Store(*a, *v)),
                Instr::FetchAdd(a) => ops.push(Op::FetchAdd(*a)),
                Instr::Swap(a, v) => ops.push(Op::Swap(*a, *v)),
                Instr::Cas(a, e, n) => ops.push(Op::Cas(*a, *e, *n)),
                Instr::Locked(m, inner) => {
                    ops.push(Op::Lock(*m));
                    self.body(ops, inner, &locking(*m));
                    ops.push(Op::Unlock(*m));
                }
                Instr::TryLocked(m, inner) => {
                    let at = ops.len();
                    ops.push(Op::TryLock { m: *m, skip_to: 0 });
                    self.body(ops, inner, &locking(*m));
                    ops.push(Op::Unlock(*m));
                    ops[at] = Op::TryLock {
                        m: *m,
                        skip_to: ops.len(),
                    };
                }
                Instr::ReadData => ops.push(Op::ReadData(data())),
                Instr::WriteData(v) => ops.push(Op::WriteData(data(), *v)),
                Instr::AddData => ops.push(Op::AddData(data())),
                Instr::WaitWhileZero => {
                    // test: if data != 0 goto end; wait; reacquire; goto test; end:
                    let test = ops.len();
                    ops.push(Op::JumpIfDataNonZero {
                        m: CONDVAR_MUTEX,
                        to: 0,
                    });
                    ops.push(Op::Wait);
                    ops.push(Op::Reacquire);
                    ops.push(Op::Jump(test));
                    ops[test] = Op::JumpIfDataNonZero {
                        m: CONDVAR_MUTEX,
                        to: ops.len(),
                    };
                }
                Instr::WaitOnce => {
                    ops.push(Op::Wait);
                    ops.push(Op::Reacquire);
                }
                Instr::WaitTimeoutOnce => {
                    ops.push(Op::WaitTimed);
                    ops.push(Op::EndTimedWait);
                    ops.push(Op::Reacquire);
                }
                Instr::NotifyOne => ops.push(Op::NotifyOne),
                Instr::NotifyAll => ops.push(Op::NotifyAll),
                Instr::SpinUntil(a, v) => ops.push(Op::SpinUntil(*a, *v)),
                Instr::Spawn(inner) => {
                    let child = self.code.len();
                    self.code.push(Vec::new());
                    self.thread(child, inner);
                    ops.push(Op::Spawn(child));
                }
                Instr::JoinChildren => ops.push(Op::JoinChildren),
                Instr::Panic => {
                    // The guards go innermost first; what follows never runs.
                    ops.extend(held.iter().rev().map(|&m| Op::PoisonUnlock(m)));
                    ops.push(Op::Panicked);
                }
            }
        }
    }

    fn initial(&self) -> State {
        let thread = |status| Thread {
            status,
            pc: 0,
            record: Record::EMPTY,
            unjoined: 0,
            panicked: false,
            spurious: 0,
            timeouts: 0,
        };
        let mut threads = vec![thread(Status::NotSpawned); self.code.len()];
        threads[0].status = Status::Runnable;
        State {
            threads,
            atomics: [0; ATOMICS],
            data: [0; MUTEXES],
            owner: [None; MUTEXES],
            poisoned: [false; MUTEXES],
        }
    }

    /// Every state one step of one thread leads to from `s` (each step followed by that
    /// thread's private operations, see [`Compiled::is_private`]). Spurious wake-ups are
    /// not among them: see [`Compiled::spurious_wakeup_successors`].
    fn successors(&self, s: &State) -> Vec<State> {
        let mut out = Vec::new();
        for t in 0..s.threads.len() {
            // A thread in a timed wait can always move: its timeout.
            if matches!(s.threads[t].status, Status::Runnable | Status::TimedWaiting) {
                let from = out.len();
                self.step(s, t, &mut out);
                if self.merge_private {
                    for n in &mut out[from..] {
                        self.run_private(n, t);
                    }
                }
            }
        }
        out
    }

    /// Under [`Compiled::spurious_wakeups`], every state a spurious wake-up leads to from
    /// `s`: one per thread in a plain wait ([`Status::Waiting`]: still in `c0`'s waiter set
    /// after [`Op::Wait`]), which leaves the waiter set as if a notify had picked it; its
    /// next operation is [`Op::Reacquire`], as after a notify. None without the option.
    /// They are kept apart from [`Compiled::successors`] because a state whose only moves
    /// are these is also final (the waiters may stay for ever; see the module docs).
    fn spurious_wakeup_successors(&self, s: &State) -> Vec<State> {
        if !self.spurious_wakeups {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (t, thread) in s.threads.iter().enumerate() {
            if thread.status == Status::Waiting {
                let mut n = s.clone();
                n.threads[t].status = Status::Runnable;
                if self.merge_private {
                    self.run_private(&mut n, t); // nothing: its next step is the retake
                }
                out.push(n);
            }
        }
        out
    }

    /// Whether thread `t`'s next operation in `s` touches nothing another thread can see or
    /// change: the data of a mutex `t` holds, a jump, the test of a wait loop (on the data
    /// of `m0`, which `t` holds there), or a join with no child left to join. Such an
    /// operation is always enabled and commutes with every step of every other thread, so
    /// running it right after `t`'s previous step, as part of that step, reaches exactly
    /// the same final states: it only spares the search the interleavings of invisible
    /// steps.
    fn is_private(&self, s: &State, t: Slot) -> bool {
        let thread = &s.threads[t];
        thread.status == Status::Runnable
            && match self.code[t][thread.pc] {
                Op::ReadData(_)
                | Op::WriteData(..)
                | Op::AddData(_)
                | Op::JumpIfDataNonZero { .. }
                | Op::Jump(_) => true,
                Op::JoinChildren => thread.unjoined == 0,
                _ => false,
            }
    }

    /// Runs thread `t`'s private operations from `s` on, one at a time.
    fn run_private(&self, s: &mut State, t: Slot) {
        while self.is_private(s, t) {
            let mut next = Vec::with_capacity(1);
            self.step(s, t, &mut next);
            assert_eq!(next.len(), 1, "a private operation has one successor");
            *s = next.pop().expect("one successor");
        }
    }

    /// Appends to `out` every state thread `t`'s next operation can lead to from `s` (none
    /// if it is not enabled; several for a `notify_one` with several waiters, two for a
    /// `Cas` that may fail spuriously).
    fn step(&self, s: &State, t: Slot, out: &mut Vec<State>) {
        let op = self.code[t][s.threads[t].pc];
        let mut n = s.clone();
        // By default an operation moves on to the next one.
        n.threads[t].pc += 1;
        match op {
            Op::Load(a) => n.threads[t].record.push(s.atomics[a]),
            Op::Store(a, v) => n.atomics[a] = v,
            Op::FetchAdd(a) => {
                n.threads[t].record.push(s.atomics[a]);
                n.atomics[a] = s.atomics[a] + 1;
            }
            Op::Swap(a, v) => {
                n.threads[t].record.push(s.atomics[a]);
                n.atomics[a] = v;
            }
            Op::Cas(a, expected, new) => {
                let old = s.atomics[a];
                if old == expected {
                    if s.threads[t].spurious < self.spurious_failures {
                        // compare_exchange_weak: it may fail although the value is there.
                        let mut failed = n.clone();
                        failed.threads[t].record.push(CAS_FAILED + old);
                        failed.threads[t].spurious += 1;
                        out.push(failed);
                    }
                    n.atomics[a] = new;
                    n.threads[t].record.push(old);
                } else {
                    n.threads[t].record.push(CAS_FAILED + old);
                }
            }
            Op::Lock(m) => {
                if s.owner[m].is_some() {
                    return; // blocked
                }
                n.owner[m] = Some(t);
                if s.poisoned[m] {
                    n.threads[t].record.push(POISONED);
                }
            }
            Op::Unlock(m) => {
                assert_eq!(s.owner[m], Some(t), "unlock of a mutex not held");
                n.owner[m] = None;
            }
            Op::TryLock { m, skip_to } => {
                if s.owner[m].is_none() {
                    n.owner[m] = Some(t);
                    n.threads[t].record.push(1);
                    if s.poisoned[m] {
                        n.threads[t].record.push(POISONED);
                    }
                } else {
                    n.threads[t].record.push(0);
                    n.threads[t].pc = skip_to;
                }
            }
            Op::ReadData(m) => {
                assert_eq!(s.owner[m], Some(t), "data read without its lock");
                n.threads[t].record.push(s.data[m]);
            }
            Op::WriteData(m, v) => {
                assert_eq!(s.owner[m], Some(t), "data written without its lock");
                n.data[m] = v;
            }
            Op::AddData(m) => {
                assert_eq!(s.owner[m], Some(t), "data written without its lock");
                n.data[m] = s.data[m] + 1;
            }
            Op::JumpIfDataNonZero { m, to } => {
                assert_eq!(s.owner[m], Some(t), "data read without its lock");
                if s.data[m] != 0 {
                    n.threads[t].pc = to;
                }
            }
            Op::Jump(to) => n.threads[t].pc = to,
            Op::Wait => {
                assert_eq!(s.owner[CONDVAR_MUTEX], Some(t), "wait without m0");
                n.owner[CONDVAR_MUTEX] = None;
                n.threads[t].status = Status::Waiting;
            }
            Op::WaitTimed => {
                assert_eq!(s.owner[CONDVAR_MUTEX], Some(t), "wait_timeout without m0");
                n.owner[CONDVAR_MUTEX] = None;
                n.threads[t].status = Status::TimedWaiting;
            }
            Op::EndTimedWait => {
                let timed_out = match s.threads[t].status {
                    Status::TimedWaiting => true, // still a waiter: the timeout fired
                    Status::Runnable => false,    // a notify picked it
                    other => panic!("the end of a timed wait in status {other:?}"),
                };
                if timed_out && self.wakeup_limit.is_some() {
                    if self.held_at_limit(s, t) {
                        return; // it would time out, but the limit holds it
                    }
                    n.threads[t].timeouts += 1;
                }
                n.threads[t].status = Status::Runnable;
                n.threads[t].record.push(u64::from(timed_out));
            }
            Op::Reacquire => {
                if s.owner[CONDVAR_MUTEX].is_some() {
                    return; // woken, but m0 is held
                }
                n.owner[CONDVAR_MUTEX] = Some(t);
            }
            Op::NotifyOne => {
                let waiters: Vec<Slot> = (0..s.threads.len())
                    .filter(|&w| s.threads[w].status.is_waiter())
                    .collect();
                if waiters.is_empty() {
                    out.push(n); // nobody waits: a no-op
                } else {
                    for w in waiters {
                        let mut picked = n.clone();
                        picked.threads[w].status = Status::Runnable;
                        out.push(picked);
                    }
                }
                return;
            }
            Op::NotifyAll => {
                for w in &mut n.threads {
                    if w.status.is_waiter() {
                        w.status = Status::Runnable;
                    }
                }
            }
            Op::SpinUntil(a, v) => {
                if s.atomics[a] != v {
                    return; // spins: no step changes anything until someone writes `a`
                }
            }
            Op::Spawn(child) => {
                assert_eq!(s.threads[child].status, Status::NotSpawned);
                n.threads[child].status = Status::Runnable;
                n.threads[t].unjoined |= 1 << child;
            }
            Op::JoinChildren => {
                let unjoined = s.threads[t].unjoined;
                if unjoined != 0 {
                    let child = unjoined.trailing_zeros() as Slot; // the first spawned
                    if s.threads[child].status != Status::Finished {
                        return; // blocked on the join
                    }
                    if s.threads[child].panicked {
                        n.threads[t].record.push(PANICKED);
                    } else {
                        n.threads[t].record.extend(&s.threads[child].record);
                    }
                    n.threads[t].unjoined &= !(1 << child);
                    n.threads[t].pc -= 1; // join the next one, if any, in another step
                }
            }
            Op::Finish => {
                assert!(!s.owner.contains(&Some(t)), "a thread ended holding a lock");
                n.threads[t].status = Status::Finished;
            }
            Op::PoisonUnlock(m) => {
                assert_eq!(s.owner[m], Some(t), "a guard of a mutex not held");
                n.owner[m] = None;
                n.poisoned[m] = true;
            }
            Op::Panicked => {
                assert!(
                    !s.owner.contains(&Some(t)),
                    "a thread unwound holding a lock"
                );
                assert_eq!(s.threads[t].unjoined, 0, "a thread that spawns panicked");
                n.threads[t].status = Status::Finished;
                n.threads[t].panicked = true;
            }
        }
        out.push(n);
    }

    /// Whether thread `t` is in a timed wait that no notify picked (still a waiter) and has
    /// timed out as many times as the limit on wake-ups without a notify allows: its timeout
    /// would be its next step, but the limit holds it. Never, without a limit.
    fn held_at_limit(&self, s: &State, t: Slot) -> bool {
        let thread = &s.threads[t];
        thread.status == Status::TimedWaiting
            && self
                .wakeup_limit
                .is_some_and(|limit| thread.timeouts >= limit)
    }

    /// What thread `t` waits for in `s`, a state where no thread can move; `None` if it is
    /// not spawned yet or has finished.
    fn blocked_on(&self, s: &State, t: Slot) -> Option<Blocked> {
        let thread = &s.threads[t];
        let owner = |m: usize| {
            let owner = s.owner[m].unwrap_or_else(|| panic!("thread {t} blocked on m{m}, free"));
            Blocked::Owner(owner)
        };
        Some(match thread.status {
            Status::NotSpawned | Status::Finished => return None,
            Status::TimedWaiting => {
                assert!(
                    self.held_at_limit(s, t),
                    "thread {t} could time out in a dead end"
                );
                Blocked::HeldAtLimit
            }
            Status::Waiting => Blocked::Notify,
            Status::Runnable => match self.code[t][thread.pc] {
                Op::Lock(m) => owner(m),
                Op::Reacquire => owner(CONDVAR_MUTEX),
                Op::SpinUntil(..) => Blocked::Store,
                Op::JoinChildren => Blocked::Join(thread.unjoined.trailing_zeros() as Slot),
                op => panic!("thread {t} cannot be blocked at {op:?}"),
            },
        })
    }

    /// The outcome of a state where main has not finished and no thread can move (see the
    /// module docs): cut at the limit on wake-ups without a notify if some thread is held
    /// there and every thread left might move again were the held ones let go on, else
    /// stuck.
    fn dead_end(&self, s: &State) -> Outcome {
        // H: the threads held at the limit. None (always, without a limit): stuck.
        if !(0..s.threads.len()).any(|t| self.held_at_limit(s, t)) {
            return Outcome::Stuck;
        }
        // The threads that have not finished (nor a child not spawned yet: only its parent,
        // itself not finished, can spawn it), each with what it waits for.
        let left: Vec<(Slot, Blocked)> = (0..s.threads.len())
            .filter_map(|t| Some((t, self.blocked_on(s, t)?)))
            .collect();
        // U: H, then every thread whose wait a thread of U could end, until none is added.
        // A held thread, let go on, could run anything: unlock, store, notify, finish.
        let mut could_move = vec![false; s.threads.len()];
        loop {
            let mut added = false;
            for &(t, blocked) in &left {
                let moves = match blocked {
                    Blocked::HeldAtLimit | Blocked::Notify | Blocked::Store => true,
                    Blocked::Owner(u) | Blocked::Join(u) => could_move[u],
                };
                if moves && !could_move[t] {
                    could_move[t] = true;
                    added = true;
                }
            }
            if !added {
                break;
            }
        }
        if left.iter().all(|&(t, _)| could_move[t]) {
            Outcome::WakeupLimit
        } else {
            Outcome::Stuck
        }
    }

    /// The outcome of a state where main has finished.
    fn outcome(&self, s: &State) -> Outcome {
        Outcome::Finished {
            records: (1..=self.top_level)
                .map(|t| {
                    if s.threads[t].panicked {
                        vec![PANICKED]
                    } else {
                        s.threads[t].record.to_vec()
                    }
                })
                .collect(),
            atomics: s.atomics,
            data: s.data,
        }
    }
}

/// What the oracle found.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// Every way the program can end.
    pub outcomes: BTreeSet<Outcome>,
    /// Distinct states visited.
    pub states: usize,
}

/// Explores every reachable state of `program` and returns the set of its outcomes.
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn explore(program: &Program) -> Exploration {
    explore_within(program, usize::MAX).expect("no limit on states")
}

/// [`explore`], or `None` if `program` has more than `max_states` reachable states (for
/// fuzzing, where a huge program is better skipped than waited for).
pub fn explore_within(program: &Program, max_states: usize) -> Option<Exploration> {
    explore_within_with_spurious_failures(program, max_states, 0)
}

/// [`explore_within`] with every `Cas` of `program` a `compare_exchange_weak` that may fail
/// spuriously at most `n` times in each thread (top-level thread or spawned child, each
/// with its own count; see the module docs). A spurious failure leaves the atomic unchanged
/// and records `CAS_FAILED + expected`, as a failure records what it found. With `n == 0`,
/// exactly [`explore_within`] (the same states and outcomes).
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn explore_within_with_spurious_failures(
    program: &Program,
    max_states: usize,
    n: u32,
) -> Option<Exploration> {
    let mut compiled = Compiled::checked(program);
    compiled.spurious_failures = n;
    explore_compiled(&compiled, max_states)
}

/// [`explore_within`] with each thread (top-level thread or spawned child, each with its
/// own count; see the module docs) waking without a notify at most `n` times: a
/// `WaitTimeoutOnce` that no notify picked may time out only while its thread has timed
/// out fewer than `n` times, and a wait a notify ended does not count. A state where
/// nothing can move, some thread is held in such a wait at the limit and every thread left
/// might move again were the held ones let go on (see the module docs for the rule) gives
/// [`Outcome::WakeupLimit`] (the execution is cut there), not [`Outcome::Stuck`]; with a
/// thread that is stuck whatever the held ones do (in a lock cycle, say), it stays
/// [`Outcome::Stuck`].
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn explore_within_with_wakeup_limit(
    program: &Program,
    max_states: usize,
    n: u32,
) -> Option<Exploration> {
    let mut compiled = Compiled::checked(program);
    compiled.wakeup_limit = Some(n);
    explore_compiled(&compiled, max_states)
}

/// [`explore_within`] with spurious wake-ups: every plain wait of `program` (the wait of a
/// `WaitOnce`, each wait of a `WaitWhileZero`) may end without a notify at any moment while
/// its thread is in `c0`'s waiter set, the thread going on as if a notify had picked it
/// (it takes `m0` back; `WaitWhileZero` tests its condition again and may wait again). A
/// wake-up is allowed, never required: a state where main has not finished and the only
/// moves left are spurious wake-ups also gives [`Outcome::Stuck`] (the waiters stay for
/// ever), and the states those wake-ups lead to are explored too (see the module docs).
/// `WaitTimeoutOnce` is unchanged. Without a plain wait in `program`, exactly
/// [`explore_within`] (the same states and outcomes).
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn explore_within_with_spurious_wakeups(
    program: &Program,
    max_states: usize,
) -> Option<Exploration> {
    let mut compiled = Compiled::checked(program);
    compiled.spurious_wakeups = true;
    explore_compiled(&compiled, max_states)
}

/// The search of a compiled program with its options, as an [`Exploration`].
fn explore_compiled(compiled: &Compiled, max_states: usize) -> Option<Exploration> {
    let (outcomes, seen) = search(compiled, max_states)?;
    Some(Exploration {
        outcomes,
        states: seen.len(),
    })
}

/// The set of outcomes of `program` (see [`explore`]).
pub fn outcomes(program: &Program) -> BTreeSet<Outcome> {
    explore(program).outcomes
}

/// The set of outcomes of `program` with every `Cas` a `compare_exchange_weak` that may fail
/// spuriously at most `n` times in each thread (see
/// [`explore_within_with_spurious_failures`]); with `n == 0`, exactly [`outcomes`].
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn outcomes_with_spurious_failures(program: &Program, n: u32) -> BTreeSet<Outcome> {
    explore_within_with_spurious_failures(program, usize::MAX, n)
        .expect("no limit on states")
        .outcomes
}

/// The set of outcomes of `program` with each thread waking without a notify at most `n`
/// times (see [`explore_within_with_wakeup_limit`]).
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn outcomes_with_wakeup_limit(program: &Program, n: u32) -> BTreeSet<Outcome> {
    explore_within_with_wakeup_limit(program, usize::MAX, n)
        .expect("no limit on states")
        .outcomes
}

/// The set of outcomes of `program` with spurious wake-ups of its plain waits (see
/// [`explore_within_with_spurious_wakeups`]).
///
/// # Panics
/// If the program is not well formed ([`Program::validate`]).
pub fn outcomes_with_spurious_wakeups(program: &Program) -> BTreeSet<Outcome> {
    explore_within_with_spurious_wakeups(program, usize::MAX)
        .expect("no limit on states")
        .outcomes
}

/// For choosing programs small enough for a search without reduction: `None` if `program`
/// has more than `max_states` reachable states, else the number of distinct maximal
/// executions (paths from the initial state to a final one, saturated at `u64::MAX`).
/// Only a rough measure of what such a search runs: its steps are not exactly ours.
pub fn executions_if_small(program: &Program, max_states: usize) -> Option<u64> {
    let compiled = Compiled::checked(program);
    search(&compiled, max_states)?;
    Some(count_paths(&compiled, &compiled.initial()))
}

/// A fast std-only hasher (FxHash's multiply-rotate), for the visited set.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    /// Eight bytes a round (a record's values are hashed as one slice of bytes).
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.write_u64(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut rest = [0u8; 8];
        let tail = chunks.remainder();
        if !tail.is_empty() {
            rest[..tail.len()].copy_from_slice(tail);
            // The length keeps a short tail apart from the same bytes padded with zeros.
            self.write_u64(u64::from_le_bytes(rest) ^ ((tail.len() as u64) << 61));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Visited = HashSet<State, BuildHasherDefault<Fx>>;

/// Depth-first search over states with a visited set: the outcomes of the final states,
/// and every state seen; `None` past `max_states`.
fn search(compiled: &Compiled, max_states: usize) -> Option<(BTreeSet<Outcome>, Visited)> {
    assert!(
        !compiled.spurious_wakeups
            || (compiled.spurious_failures == 0 && compiled.wakeup_limit.is_none()),
        "spurious wake-ups are not combined with the other options"
    );
    let initial = compiled.initial();
    let mut outcomes = BTreeSet::new();
    let mut seen = Visited::default();
    let mut stack = vec![initial.clone()];
    seen.insert(initial);
    while let Some(s) = stack.pop() {
        if s.threads[0].status == Status::Finished {
            outcomes.insert(compiled.outcome(&s));
            continue;
        }
        let next = compiled.successors(&s);
        let woken = compiled.spurious_wakeup_successors(&s);
        if next.is_empty() {
            if woken.is_empty() {
                outcomes.insert(compiled.dead_end(&s));
                continue;
            }
            // Only spurious wake-ups can happen, and none has to: the waiters may stay for
            // ever (final, stuck), or some of them wake (explored below).
            outcomes.insert(Outcome::Stuck);
        }
        for n in next.into_iter().chain(woken) {
            if !seen.contains(&n) {
                if seen.len() >= max_states {
                    return None;
                }
                seen.insert(n.clone());
                stack.push(n);
            }
        }
    }
    Some((outcomes, seen))
}

/// The number of paths from `initial` to a final state (one where main finished or
/// nothing can move), saturated; only without spurious wake-ups (they are not followed
/// here, and would make cycles). The state graph is acyclic: every step moves a program
/// counter forward, except the jump back of a `WaitWhileZero` loop, whose every turn needs
/// a notify, and notifies never sit in a loop (a cycle would panic here).
fn count_paths(compiled: &Compiled, initial: &State) -> u64 {
    assert!(
        !compiled.spurious_wakeups,
        "paths are counted without spurious wake-ups"
    );
    /// `None` while a state is being counted (seeing it again would mean a cycle).
    type Memo = HashMap<State, Option<u64>, BuildHasherDefault<Fx>>;
    fn paths(compiled: &Compiled, s: &State, memo: &mut Memo) -> u64 {
        match memo.get(s) {
            Some(Some(n)) => return *n,
            Some(None) => panic!("the state graph has a cycle"),
            None => {}
        }
        memo.insert(s.clone(), None);
        let n = if s.threads[0].status == Status::Finished {
            1
        } else {
            let next = compiled.successors(s);
            if next.is_empty() {
                1
            } else {
                next.iter()
                    .fold(0u64, |sum, n| sum.saturating_add(paths(compiled, n, memo)))
            }
        };
        memo.insert(s.clone(), Some(n));
        n
    }
    paths(compiled, initial, &mut Memo::default())
}

#[cfg(test)]
mod tests {
    //! Hand-derived examples: what sequential consistency allows and forbids.
    use super::super::program::Instr::*;
    use super::*;
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    /// Running private operations as part of the step before them changes no outcome:
    /// the same search without that gives the same sets, on generated programs.
    #[test]
    fn merging_private_operations_changes_no_outcome() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(11),
            ..Config::default()
        });
        let strategy = super::super::program::program();
        let mut compared = 0;
        for _ in 0..250 {
            let program = strategy.new_tree(&mut runner).expect("generates").current();
            let mut plain = Compiled::checked(&program);
            plain.merge_private = false;
            let Some((unmerged, _)) = search(&plain, 5_000) else {
                continue;
            };
            compared += 1;
            assert_eq!(outcomes(&program), unmerged, "{program}");
        }
        assert!(compared >= 100, "only {compared} programs compared");
    }

    fn run(threads: Vec<Vec<Instr>>) -> BTreeSet<Outcome> {
        outcomes(&Program { threads })
    }

    /// The records of the finished outcomes.
    fn records(outcomes: &BTreeSet<Outcome>) -> BTreeSet<Vec<Vec<u64>>> {
        outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Finished { records, .. } => Some(records.clone()),
                Outcome::Stuck | Outcome::WakeupLimit => None,
            })
            .collect()
    }

    /// The records flattened into one list of values (first the first thread's, …).
    fn observations(outcomes: &BTreeSet<Outcome>) -> BTreeSet<Vec<u64>> {
        records(outcomes).into_iter().map(|r| r.concat()).collect()
    }

    fn set<T: Ord + Clone>(items: &[T]) -> BTreeSet<T> {
        items.iter().cloned().collect()
    }

    fn stuck(outcomes: &BTreeSet<Outcome>) -> bool {
        outcomes.contains(&Outcome::Stuck)
    }

    #[test]
    fn one_writer_two_readers_see_every_combination() {
        let o = run(vec![vec![Store(0, 1)], vec![Load(0)], vec![Load(0)]]);
        assert_eq!(
            observations(&o),
            set(&[vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]])
        );
        assert!(!stuck(&o));
    }

    #[test]
    fn a_lock_does_not_order_a_later_store_before_an_unlocked_load() {
        // T1: lock m0, x = a0, unlock | T2: lock m0, unlock; a0 = 1 | T3: y = a0
        let o = run(vec![
            vec![Locked(0, vec![Load(0)])],
            vec![Locked(0, vec![]), Store(0, 1)],
            vec![Load(0)],
        ]);
        let seen = observations(&o);
        assert!(seen.contains(&vec![1, 0]), "{seen:?}");
        assert_eq!(seen, set(&[vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]));
    }

    #[test]
    fn wrc_is_causal_under_seqcst() {
        // T1: a0 = 1 | T2: r1 = a0; a1 = 1 | T3: r2 = a1; r3 = a0
        let o = run(vec![
            vec![Store(0, 1)],
            vec![Load(0), Store(1, 1)],
            vec![Load(1), Load(0)],
        ]);
        let seen = observations(&o);
        let mut all = BTreeSet::new();
        for r1 in 0..2 {
            for r2 in 0..2 {
                for r3 in 0..2 {
                    all.insert(vec![r1, r2, r3]);
                }
            }
        }
        all.remove(&vec![1, 1, 0]); // T2 saw T1's write, T3 saw T2's, so T3 sees T1's
        assert_eq!(seen, all);
    }

    #[test]
    fn iriw_readers_agree_on_the_order_of_independent_writes() {
        // T1: a0 = 1 | T2: a1 = 1 | T3: a0; a1 | T4: a1; a0
        let o = run(vec![
            vec![Store(0, 1)],
            vec![Store(1, 1)],
            vec![Load(0), Load(1)],
            vec![Load(1), Load(0)],
        ]);
        let seen = observations(&o);
        let mut all = BTreeSet::new();
        for bits in 0..16u64 {
            all.insert((0..4).map(|i| (bits >> (3 - i)) & 1).collect::<Vec<_>>());
        }
        // T3 saw a0's write but not a1's, T4 saw a1's but not a0's: the two disagree.
        all.remove(&vec![1, 0, 1, 0]);
        assert_eq!(seen, all);
    }

    #[test]
    fn fetch_add_never_loses_an_update() {
        let o = run(vec![vec![FetchAdd(0)], vec![FetchAdd(0)]]);
        assert_eq!(observations(&o), set(&[vec![0, 1], vec![1, 0]]));
        assert!(o.iter().all(|o| matches!(
            o,
            Outcome::Finished {
                atomics: [2, 0],
                ..
            }
        )));
    }

    #[test]
    fn load_then_store_loses_an_update() {
        // Each thread reads a0 and writes back 0 + 1: both can read 0, so one update is lost.
        let o = run(vec![vec![Load(0), Store(0, 1)], vec![Load(0), Store(0, 1)]]);
        assert_eq!(observations(&o), set(&[vec![0, 0], vec![0, 1], vec![1, 0]]));
        // A read of data under the lock, then a write under another lock, loses it too.
        let o = run(vec![
            vec![Locked(0, vec![ReadData]), Locked(0, vec![WriteData(1)])],
            vec![Locked(0, vec![ReadData]), Locked(0, vec![WriteData(1)])],
        ]);
        assert!(observations(&o).contains(&vec![0, 0]));
        // Under one lock, it is not lost.
        let o = run(vec![
            vec![Locked(0, vec![AddData])],
            vec![Locked(0, vec![AddData])],
        ]);
        assert!(
            o.iter()
                .all(|o| matches!(o, Outcome::Finished { data: [2, 0], .. }))
        );
    }

    #[test]
    fn one_compare_exchange_of_two_wins() {
        let o = run(vec![vec![Cas(0, 0, 1)], vec![Cas(0, 0, 2)]]);
        assert_eq!(
            observations(&o),
            set(&[vec![0, CAS_FAILED + 1], vec![CAS_FAILED + 2, 0]])
        );
    }

    #[test]
    fn a_panic_releases_and_poisons_the_locks_its_thread_holds() {
        // Thread 1 panics holding m0 (and m1 inside it); thread 2 takes them in the same
        // order. Both are released as thread 1 unwinds: thread 2 never waits for ever,
        // finds both poisoned whenever it comes after the panic, and main joins thread
        // 1's `Err`.
        let o = run(vec![
            vec![Locked(0, vec![WriteData(1), Locked(1, vec![Panic])])],
            vec![Locked(0, vec![ReadData, Locked(1, vec![])])],
        ]);
        assert!(!stuck(&o), "{o:?}");
        assert_eq!(
            records(&o),
            set(&[
                vec![vec![PANICKED], vec![0]],
                vec![vec![PANICKED], vec![POISONED, 1, POISONED]],
            ])
        );
    }

    #[test]
    fn the_releases_of_a_panic_are_separate_steps() {
        // Between m1's release and m0's, thread 2 can take m1 (poisoned) and find m0 still
        // held.
        let o = run(vec![
            vec![Locked(0, vec![Locked(1, vec![Panic])])],
            vec![TryLocked(1, vec![TryLocked(0, vec![])])],
        ]);
        let seen = records(&o);
        assert!(
            seen.contains(&vec![vec![PANICKED], vec![1, POISONED, 0]]),
            "{seen:?}"
        );
    }

    #[test]
    fn a_child_that_panics_is_joined_as_err() {
        let o = run(vec![vec![
            Spawn(vec![Store(0, 1), Panic]),
            JoinChildren,
            Load(0),
        ]]);
        assert_eq!(records(&o), set(&[vec![vec![PANICKED, 1]]]));
    }

    #[test]
    fn swap_records_the_old_value() {
        let o = run(vec![vec![Swap(0, 2)], vec![Swap(0, 1)]]);
        assert_eq!(observations(&o), set(&[vec![0, 2], vec![1, 0]]));
    }

    #[test]
    fn locks_taken_in_opposite_orders_can_deadlock() {
        let o = run(vec![
            vec![Locked(0, vec![Locked(1, vec![])])],
            vec![Locked(1, vec![Locked(0, vec![])])],
        ]);
        assert!(stuck(&o));
        assert_eq!(o.len(), 2, "{o:?}"); // stuck, or both finish
    }

    #[test]
    fn try_lock_reports_whether_it_got_the_mutex() {
        let o = run(vec![
            vec![TryLocked(0, vec![AddData])],
            vec![Locked(0, vec![])],
        ]);
        assert_eq!(observations(&o), set(&[vec![0], vec![1]]));
        assert!(!stuck(&o));
    }

    #[test]
    fn a_notify_before_the_wait_is_lost() {
        let o = run(vec![vec![Locked(0, vec![WaitOnce])], vec![NotifyOne]]);
        assert!(stuck(&o));
        assert!(o.iter().any(|o| matches!(o, Outcome::Finished { .. })));
    }

    #[test]
    fn waiting_while_zero_for_a_set_then_notify_never_sticks() {
        for notify in [NotifyOne, NotifyAll] {
            let o = run(vec![
                vec![Locked(0, vec![WaitWhileZero, ReadData])],
                vec![Locked(0, vec![WriteData(1)]), notify.clone()],
            ]);
            assert_eq!(observations(&o), set(&[vec![1]]));
            assert!(!stuck(&o));
            // Notifying under the lock works too.
            let o = run(vec![
                vec![Locked(0, vec![WaitWhileZero, ReadData])],
                vec![Locked(0, vec![WriteData(1), notify])],
            ]);
            assert_eq!(observations(&o), set(&[vec![1]]));
            assert!(!stuck(&o));
        }
    }

    #[test]
    fn notify_one_with_two_waiters_wakes_only_one() {
        let o = run(vec![
            vec![Locked(0, vec![WaitOnce])],
            vec![Locked(0, vec![WaitOnce])],
            vec![NotifyOne],
        ]);
        assert_eq!(o, set(&[Outcome::Stuck]));
        // notify_all wakes both (when both wait by then).
        let o = run(vec![
            vec![Locked(0, vec![WaitWhileZero])],
            vec![Locked(0, vec![WaitWhileZero])],
            vec![Locked(0, vec![WriteData(1)]), NotifyAll],
        ]);
        assert!(!stuck(&o));
    }

    #[test]
    fn notify_one_may_pick_either_waiter() {
        // Both add 1 under m0, then wait; T3 reads 2 only once both wait. Its notify picks
        // one; T4 waits for T1 to be past its wait and notifies again. If T3 picked T1, T4
        // wakes T2 and everything ends; if it picked T2, T4 spins forever.
        let o = run(vec![
            vec![Locked(0, vec![AddData, WaitOnce]), Store(0, 1)],
            vec![Locked(0, vec![AddData, WaitOnce]), Store(1, 1)],
            vec![Locked(0, vec![ReadData]), NotifyOne],
            vec![SpinUntil(0, 1), NotifyOne],
        ]);
        assert!(records(&o).contains(&vec![vec![], vec![], vec![2], vec![]]));
        assert!(stuck(&o));
        // With T4 waiting for T2 instead, the symmetric choice finishes too.
        let o = run(vec![
            vec![Locked(0, vec![AddData, WaitOnce]), Store(0, 1)],
            vec![Locked(0, vec![AddData, WaitOnce]), Store(1, 1)],
            vec![Locked(0, vec![ReadData]), NotifyOne],
            vec![SpinUntil(1, 1), NotifyOne],
        ]);
        assert!(records(&o).contains(&vec![vec![], vec![], vec![2], vec![]]));
    }

    #[test]
    fn a_timed_wait_alone_times_out_and_never_sticks() {
        let o = run(vec![vec![Locked(0, vec![WaitTimeoutOnce, AddData])]]);
        assert_eq!(
            o,
            set(&[Outcome::Finished {
                records: vec![vec![1]],
                atomics: [0, 0],
                data: [1, 0],
            }])
        );
        // Another thread that never notifies changes nothing.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![AddData]), Store(0, 1)],
        ]);
        assert_eq!(observations(&o), set(&[vec![1]]));
        assert!(!stuck(&o));
        // It ends even while a plain wait beside it never does.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce]), Store(0, 1)],
            vec![Locked(0, vec![WaitOnce])],
        ]);
        assert_eq!(o, set(&[Outcome::Stuck]));
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce]), Store(0, 1)],
            vec![SpinUntil(0, 1)],
        ]);
        assert_eq!(observations(&o), set(&[vec![1]]));
        assert!(!stuck(&o));
    }

    #[test]
    fn a_notify_may_wake_a_timed_wait_or_come_after_its_timeout() {
        for notifier in [
            vec![NotifyOne],
            vec![NotifyAll],
            vec![Locked(0, vec![NotifyOne])],
        ] {
            let o = run(vec![vec![Locked(0, vec![WaitTimeoutOnce])], notifier]);
            assert_eq!(observations(&o), set(&[vec![0], vec![1]]));
            assert!(!stuck(&o));
        }
    }

    #[test]
    fn a_woken_timed_wait_sees_what_came_before_the_notify() {
        // Woken (0) only by T2's notify, which follows its write of 1 under m0: never (0, 0).
        // Timed out (1), it reads 0 or 1, whichever took m0 first.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce, ReadData])],
            vec![Locked(0, vec![WriteData(1), NotifyOne])],
        ]);
        assert_eq!(observations(&o), set(&[vec![0, 1], vec![1, 0], vec![1, 1]]));
        assert!(!stuck(&o));
    }

    #[test]
    fn one_notify_one_wakes_at_most_one_of_two_timed_waits() {
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![NotifyOne],
        ]);
        assert_eq!(observations(&o), set(&[vec![0, 1], vec![1, 0], vec![1, 1]]));
        assert!(!stuck(&o));
        // notify_all wakes both, if both wait by then.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![NotifyAll],
        ]);
        assert_eq!(
            observations(&o),
            set(&[vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]])
        );
    }

    #[test]
    fn a_timed_out_wait_is_not_picked_by_a_later_notify() {
        // T1's wait ends before T3's notify (T3 spins on T1's store after it), so the notify
        // can only pick T2: T1 always times out and T2, if it waits, is always woken.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce]), Store(0, 1)],
            vec![Locked(0, vec![WaitWhileZero])],
            vec![SpinUntil(0, 1), Locked(0, vec![WriteData(1)]), NotifyOne],
        ]);
        assert_eq!(
            o,
            set(&[Outcome::Finished {
                records: vec![vec![1], vec![], vec![]],
                atomics: [1, 0],
                data: [1, 0],
            }])
        );
        // With a plain wait beside the timed one: the notify wakes T2 after T1 timed out, or
        // picks T1 and leaves T2 waiting forever; T1 woken and T2 ending is unreachable.
        let o = run(vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![WaitOnce])],
            vec![NotifyOne],
        ]);
        assert_eq!(records(&o), set(&[vec![vec![1], vec![], vec![]]]));
        assert!(stuck(&o));
    }

    #[test]
    fn a_woken_waiter_needs_the_mutex_back() {
        // T2 notifies while holding m0 and writes 2 after: T1 reads 2, never 1.
        let o = run(vec![
            vec![Locked(0, vec![WaitWhileZero, ReadData])],
            vec![Locked(0, vec![WriteData(1), NotifyOne, WriteData(2)])],
        ]);
        assert_eq!(observations(&o), set(&[vec![2]]));
    }

    #[test]
    fn a_spin_ends_only_when_its_value_is_there() {
        let o = run(vec![vec![SpinUntil(0, 1)], vec![Store(0, 1)]]);
        assert!(!stuck(&o));
        let o = run(vec![vec![SpinUntil(0, 1)], vec![Store(0, 2)]]);
        assert_eq!(o, set(&[Outcome::Stuck]));
        let o = run(vec![vec![SpinUntil(0, 1)], vec![Store(0, 1), Store(0, 0)]]);
        assert!(stuck(&o));
        assert!(o.iter().any(|o| matches!(o, Outcome::Finished { .. })));
    }

    #[test]
    fn children_are_joined_explicitly_or_at_the_end() {
        // The child's record is appended when joined.
        let o = run(vec![
            vec![Spawn(vec![Load(0)]), FetchAdd(1), JoinChildren],
            vec![Store(0, 1)],
        ]);
        assert_eq!(observations(&o), set(&[vec![0, 0], vec![0, 1]]));
        // Unjoined at the end: joined then, so the parent's record ends with the child's.
        let o = run(vec![
            vec![Spawn(vec![SpinUntil(0, 1), Load(1)]), Store(1, 2)],
            vec![Store(0, 1)],
        ]);
        assert_eq!(observations(&o), set(&[vec![0], vec![2]]));
        assert!(!stuck(&o));
        // A child that never ends keeps its parent, and main, from ending.
        let o = run(vec![
            vec![Spawn(vec![SpinUntil(0, 2)]), Load(1)],
            vec![Store(0, 1)],
        ]);
        assert_eq!(o, set(&[Outcome::Stuck]));
    }

    #[test]
    fn final_values_are_read_after_every_join() {
        let o = run(vec![
            vec![Locked(1, vec![WriteData(2)]), Store(1, 1)],
            vec![Spawn(vec![Locked(0, vec![AddData])])],
        ]);
        assert_eq!(
            o,
            set(&[Outcome::Finished {
                records: vec![vec![], vec![]],
                atomics: [0, 1],
                data: [1, 2],
            }])
        );
    }

    /// The outcomes of `threads` with every `Cas` weak, failing spuriously at most `n`
    /// times per thread.
    fn weak(threads: Vec<Vec<Instr>>, n: u32) -> BTreeSet<Outcome> {
        outcomes_with_spurious_failures(&Program { threads }, n)
    }

    /// A finished outcome with these records and atomics (no data written).
    fn ended(records: &[&[u64]], atomics: [u64; ATOMICS]) -> Outcome {
        Outcome::Finished {
            records: records.iter().map(|r| r.to_vec()).collect(),
            atomics,
            data: [0; MUTEXES],
        }
    }

    const F: u64 = CAS_FAILED;

    #[test]
    fn a_lone_weak_compare_exchange_may_fail_spuriously() {
        let cas = || vec![vec![Cas(0, 0, 1)]];
        assert_eq!(weak(cas(), 0), set(&[ended(&[&[0]], [1, 0])]));
        let either = set(&[ended(&[&[0]], [1, 0]), ended(&[&[F]], [0, 0])]);
        assert_eq!(weak(cas(), 1), either);
        // A larger budget has nothing more to spend it on.
        assert_eq!(weak(cas(), 3), either);
        // The spurious failure records `CAS_FAILED + expected`, what it found, and leaves
        // the atomic (here a1) as it was.
        let o = weak(vec![vec![Store(1, 1), Cas(1, 1, 2)]], 1);
        assert_eq!(
            o,
            set(&[ended(&[&[1]], [0, 2]), ended(&[&[F + 1]], [0, 1])])
        );
    }

    #[test]
    fn a_spurious_failure_takes_from_its_threads_budget() {
        // Two compare_exchanges that leave 0 in place: each may fail spuriously, but with a
        // budget of 1 not both.
        let twice = || vec![vec![Cas(0, 0, 0), Cas(0, 0, 0)]];
        assert_eq!(weak(twice(), 0), set(&[ended(&[&[0, 0]], [0, 0])]));
        assert_eq!(
            weak(twice(), 1),
            set(&[
                ended(&[&[0, 0]], [0, 0]),
                ended(&[&[F, 0]], [0, 0]),
                ended(&[&[0, F]], [0, 0]),
            ])
        );
        assert_eq!(
            weak(twice(), 2),
            set(&[
                ended(&[&[0, 0]], [0, 0]),
                ended(&[&[F, 0]], [0, 0]),
                ended(&[&[0, F]], [0, 0]),
                ended(&[&[F, F]], [0, 0]),
            ])
        );
        // Two `Cas(0, 0, 1)`: after a success the second fails by value (it finds 1); after
        // a spurious failure it finds 0 and succeeds, or fails spuriously too if the budget
        // allows a second one.
        let twice = || vec![vec![Cas(0, 0, 1), Cas(0, 0, 1)]];
        assert_eq!(weak(twice(), 0), set(&[ended(&[&[0, F + 1]], [1, 0])]));
        assert_eq!(
            weak(twice(), 1),
            set(&[ended(&[&[0, F + 1]], [1, 0]), ended(&[&[F, 0]], [1, 0])])
        );
        assert_eq!(
            weak(twice(), 2),
            set(&[
                ended(&[&[0, F + 1]], [1, 0]),
                ended(&[&[F, 0]], [1, 0]),
                ended(&[&[F, F]], [0, 0]),
            ])
        );
    }

    #[test]
    fn each_thread_has_its_own_budget_of_spurious_failures() {
        // T1: Cas(0, 0, 1) | T2: Cas(0, 0, 1). Whoever goes first succeeds (then the other
        // fails by value) or fails spuriously (then the other succeeds or fails spuriously
        // with its own budget).
        let both = || vec![vec![Cas(0, 0, 1)], vec![Cas(0, 0, 1)]];
        assert_eq!(
            weak(both(), 0),
            set(&[
                ended(&[&[0], &[F + 1]], [1, 0]),
                ended(&[&[F + 1], &[0]], [1, 0])
            ])
        );
        assert_eq!(
            weak(both(), 1),
            set(&[
                ended(&[&[0], &[F + 1]], [1, 0]),
                ended(&[&[F + 1], &[0]], [1, 0]),
                ended(&[&[F], &[0]], [1, 0]),
                ended(&[&[0], &[F]], [1, 0]),
                ended(&[&[F], &[F]], [0, 0]),
            ])
        );
        // With different new values, every order shows.
        let o = weak(vec![vec![Cas(0, 0, 1)], vec![Cas(0, 0, 2)]], 1);
        assert_eq!(
            o,
            set(&[
                ended(&[&[0], &[F + 1]], [1, 0]),
                ended(&[&[F], &[0]], [2, 0]),
                ended(&[&[F], &[F]], [0, 0]),
                ended(&[&[F + 2], &[0]], [2, 0]),
                ended(&[&[0], &[F]], [1, 0]),
            ])
        );
        // A spawned child has a budget of its own too: parent and child may both fail
        // spuriously with a budget of 1. (The parent records its own result, then the
        // child's at the implicit join.)
        let spawning = || vec![vec![Spawn(vec![Cas(0, 0, 0)]), Cas(0, 0, 0)]];
        assert_eq!(weak(spawning(), 0), set(&[ended(&[&[0, 0]], [0, 0])]));
        assert_eq!(
            weak(spawning(), 1),
            set(&[
                ended(&[&[0, 0]], [0, 0]),
                ended(&[&[F, 0]], [0, 0]),
                ended(&[&[0, F]], [0, 0]),
                ended(&[&[F, F]], [0, 0]),
            ])
        );
    }

    #[test]
    fn a_failure_by_value_is_not_spurious_and_costs_nothing() {
        // Alone, a compare_exchange that finds another value only fails, whatever the
        // budget.
        for n in [0, 1, 5] {
            assert_eq!(
                weak(vec![vec![Cas(0, 1, 2)]], n),
                set(&[ended(&[&[F]], [0, 0])])
            );
        }
        // The first fails by value; the budget of 1 is still there for the second.
        let o = weak(vec![vec![Cas(0, 1, 2), Cas(0, 0, 1)]], 1);
        assert_eq!(
            o,
            set(&[ended(&[&[F, 0]], [1, 0]), ended(&[&[F, F]], [0, 0])])
        );
    }

    /// Programs of the tests above, with and without compare_exchanges.
    fn examples() -> Vec<Program> {
        [
            vec![vec![Store(0, 1)], vec![Load(0)], vec![Load(0)]],
            vec![vec![FetchAdd(0)], vec![FetchAdd(0)]],
            vec![vec![Cas(0, 0, 1)], vec![Cas(0, 0, 2)]],
            vec![vec![Cas(0, 0, 1), Swap(0, 2)], vec![Cas(0, 0, 2)]],
            vec![vec![Swap(0, 2)], vec![Swap(0, 1)]],
            vec![
                vec![Locked(0, vec![Locked(1, vec![])])],
                vec![Locked(1, vec![Locked(0, vec![])])],
            ],
            vec![
                vec![Locked(0, vec![WaitWhileZero, ReadData])],
                vec![Locked(0, vec![WriteData(1)]), NotifyOne],
            ],
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce, ReadData])],
                vec![Locked(0, vec![WriteData(1), NotifyOne])],
            ],
            vec![vec![SpinUntil(0, 1)], vec![Store(0, 1), Store(0, 0)]],
            vec![
                vec![Spawn(vec![SpinUntil(0, 1), Load(1)]), Store(1, 2)],
                vec![Store(0, 1)],
            ],
            vec![
                vec![Locked(0, vec![WriteData(1), Locked(1, vec![Panic])])],
                vec![Locked(0, vec![ReadData, Locked(1, vec![])])],
            ],
        ]
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
    }

    #[test]
    fn no_spurious_failures_is_the_strong_compare_exchange() {
        for program in examples() {
            let strong = explore(&program);
            let none = explore_within_with_spurious_failures(&program, usize::MAX, 0)
                .expect("no limit on states");
            assert_eq!(none.outcomes, strong.outcomes, "{program}");
            assert_eq!(none.states, strong.states, "{program}");
            assert_eq!(
                outcomes_with_spurious_failures(&program, 0),
                outcomes(&program),
                "{program}"
            );
        }
        // And the strong outcomes are what the test above derived by hand.
        assert_eq!(
            weak(vec![vec![Cas(0, 0, 1)], vec![Cas(0, 0, 2)]], 0),
            set(&[
                ended(&[&[0], &[F + 1]], [1, 0]),
                ended(&[&[F + 2], &[0]], [2, 0])
            ])
        );
    }

    /// On generated programs: without a `Cas`, a budget of spurious failures changes
    /// nothing, not even the states; with one, each unit of budget only adds outcomes, and
    /// on some programs it does add some.
    #[test]
    fn spurious_failures_only_add_outcomes_and_only_with_a_compare_exchange() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(12),
            ..Config::default()
        });
        let strategy = super::super::program::program();
        let (mut without, mut with, mut grew) = (0, 0, 0);
        for _ in 0..100 {
            let program = strategy.new_tree(&mut runner).expect("generates").current();
            let explored: Option<Vec<Exploration>> = (0..3)
                .map(|n| explore_within_with_spurious_failures(&program, 5_000, n))
                .collect();
            let Some(explored) = explored else {
                continue;
            };
            if format!("{program:?}").contains("Cas(") {
                with += 1;
                for pair in explored.windows(2) {
                    assert!(pair[0].outcomes.is_subset(&pair[1].outcomes), "{program}");
                    assert!(pair[0].states <= pair[1].states, "{program}");
                }
                if explored[0].outcomes != explored[2].outcomes {
                    grew += 1;
                }
            } else {
                without += 1;
                for e in &explored[1..] {
                    assert_eq!(e.outcomes, explored[0].outcomes, "{program}");
                    assert_eq!(e.states, explored[0].states, "{program}");
                }
            }
        }
        assert!(
            with >= 15 && without >= 15 && grew >= 5,
            "{with} programs with a Cas ({grew} gained outcomes), {without} without"
        );
    }

    /// The outcomes of `threads` with each thread waking without a notify at most `n`
    /// times.
    fn limited(threads: Vec<Vec<Instr>>, n: u32) -> BTreeSet<Outcome> {
        outcomes_with_wakeup_limit(&Program { threads }, n)
    }

    #[test]
    fn a_lone_timed_wait_is_cut_without_a_wakeup_to_spend() {
        let lone = || vec![vec![Locked(0, vec![WaitTimeoutOnce])]];
        // n = 0: the wait begins and can never end: cut, not stuck.
        assert_eq!(limited(lone(), 0), set(&[Outcome::WakeupLimit]));
        // n = 1: it times out (records 1) and everything ends.
        assert_eq!(limited(lone(), 1), set(&[ended(&[&[1]], [0, 0])]));
        assert_eq!(limited(lone(), 5), set(&[ended(&[&[1]], [0, 0])]));
    }

    #[test]
    fn a_notify_still_wakes_a_timed_wait_held_at_the_limit() {
        for notifier in [
            vec![NotifyOne],
            vec![NotifyAll],
            vec![Locked(0, vec![NotifyOne])],
        ] {
            let program = || vec![vec![Locked(0, vec![WaitTimeoutOnce])], notifier.clone()];
            // n = 0: the notify comes while T1 waits (held at the limit, still a waiter):
            // woken, records 0; or it comes before the wait begins, a no-op, and T1 is
            // then held for ever: cut.
            assert_eq!(
                limited(program(), 0),
                set(&[ended(&[&[0], &[]], [0, 0]), Outcome::WakeupLimit])
            );
            // n = 1: woken or timed out, as without the option.
            let both = set(&[ended(&[&[0], &[]], [0, 0]), ended(&[&[1], &[]], [0, 0])]);
            assert_eq!(limited(program(), 1), both);
            assert_eq!(run(program()), both);
        }
    }

    #[test]
    fn each_timeout_of_a_thread_takes_from_its_limit() {
        // Two timed waits in one lock, or in two: no notifier, so both must time out.
        for twice in [
            vec![vec![Locked(0, vec![WaitTimeoutOnce, WaitTimeoutOnce])]],
            vec![vec![
                Locked(0, vec![WaitTimeoutOnce]),
                Locked(0, vec![WaitTimeoutOnce]),
            ]],
        ] {
            assert_eq!(limited(twice.clone(), 0), set(&[Outcome::WakeupLimit]));
            // The first times out, the second is held.
            assert_eq!(limited(twice.clone(), 1), set(&[Outcome::WakeupLimit]));
            assert_eq!(limited(twice.clone(), 2), set(&[ended(&[&[1, 1]], [0, 0])]));
        }
    }

    #[test]
    fn a_wait_a_notify_ended_does_not_count() {
        // T1: two timed waits | T2: one notify_one. With n = 1: the notify wakes the first
        // wait (0) and the second times out (1), the woken one having cost nothing; or the
        // first times out and the notify wakes the second (1, 0); or the notify finds no
        // waiter (before the first wait, or between the two) and the second wait is held.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce, WaitTimeoutOnce])],
                vec![NotifyOne],
            ]
        };
        // n = 0: only the notify can end a wait, and the second then waits for ever.
        assert_eq!(limited(program(), 0), set(&[Outcome::WakeupLimit]));
        assert_eq!(
            limited(program(), 1),
            set(&[
                ended(&[&[0, 1], &[]], [0, 0]),
                ended(&[&[1, 0], &[]], [0, 0]),
                Outcome::WakeupLimit,
            ])
        );
        let all = set(&[
            ended(&[&[0, 1], &[]], [0, 0]),
            ended(&[&[1, 0], &[]], [0, 0]),
            ended(&[&[1, 1], &[]], [0, 0]),
        ]);
        assert_eq!(limited(program(), 2), all);
        assert_eq!(run(program()), all);
    }

    #[test]
    fn each_thread_has_its_own_limit_of_wakeups() {
        // Two top-level threads, one timed wait each, no notifier: with n = 1 both time out.
        let two = || {
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitTimeoutOnce])],
            ]
        };
        assert_eq!(limited(two(), 0), set(&[Outcome::WakeupLimit]));
        assert_eq!(limited(two(), 1), set(&[ended(&[&[1], &[1]], [0, 0])]));
        // A spawned child has a count of its own too. (The parent records its own timeout,
        // then the child's at the implicit join.)
        let spawning = || {
            vec![vec![
                Spawn(vec![Locked(0, vec![WaitTimeoutOnce])]),
                Locked(0, vec![WaitTimeoutOnce]),
            ]]
        };
        assert_eq!(limited(spawning(), 0), set(&[Outcome::WakeupLimit]));
        assert_eq!(limited(spawning(), 1), set(&[ended(&[&[1, 1]], [0, 0])]));
    }

    #[test]
    fn a_dead_end_is_cut_only_where_a_timed_wait_is_held() {
        // T1 waits with a timeout, T2 without; nobody notifies. With n = 0, T1 is held
        // whenever nothing moves any more: cut. (Unchanged since dead ends are cut only
        // where a held thread could still matter: T2 waits for a notify, and the rule lets
        // a held thread, were it let go on, do anything, notify included; it does not look
        // at what T1 would run next, here nothing.) With n = 1, T1 times out and ends, and
        // only T2 stays waiting: stuck.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitOnce])],
            ]
        };
        assert_eq!(limited(program(), 0), set(&[Outcome::WakeupLimit]));
        assert_eq!(limited(program(), 1), set(&[Outcome::Stuck]));
        assert_eq!(run(program()), set(&[Outcome::Stuck]));
        // A deadlock with no timed wait is stuck under any limit.
        let deadlock = vec![
            vec![Locked(0, vec![Locked(1, vec![])])],
            vec![Locked(1, vec![Locked(0, vec![])])],
        ];
        assert_eq!(
            limited(deadlock.clone(), 0),
            set(&[ended(&[&[], &[]], [0, 0]), Outcome::Stuck])
        );
    }

    /// T1 and T2 take m0 and m1 in opposite orders; T1 first spins until a0 is 1, which
    /// T3 stores under m0 just before its timed wait. So T1 can hold m0 only once T3 is in
    /// its wait: whenever the cycle forms, T3 is held in it (with n = 0), never waiting to
    /// lock m0 behind the cycle.
    fn cycle_beside_a_timed_wait() -> Vec<Vec<Instr>> {
        vec![
            vec![SpinUntil(0, 1), Locked(0, vec![Locked(1, vec![])])],
            vec![Locked(1, vec![Locked(0, vec![])])],
            vec![Locked(0, vec![Store(0, 1), WaitTimeoutOnce])],
        ]
    }

    #[test]
    fn a_lock_cycle_beside_a_held_timed_wait_is_stuck() {
        // n = 0, nobody notifies: T3 never ends its wait, so main never returns, and every
        // dead end has T3 held (before its wait T3 can always move, and it cannot be kept
        // from m0: a0 is still 0, so T1 does not hold it, and T2 holds it only with
        // nothing blocking it). H = {T3}, and then:
        // * the cycle formed (T1 holds m0 and waits for m1, T2 holds m1 and waits for m0):
        //   T1's and T2's mutexes are owned by each other, neither in U, and main waits to
        //   join T1, not in U: U = {T3}, and T1, T2 and main are stuck whatever T3 does:
        //   Stuck (the old rule, cut whenever a thread is held, gave WakeupLimit);
        // * it did not (T1 and T2 finished): main waits to join T3, in U, so U = {T3,
        //   main}, every thread left: WakeupLimit.
        // Both happen: T3 waits, T1 takes m0, T2 m1, each then blocks on the other's; or
        // T3 waits, then T1 and T2 run one after the other.
        assert_eq!(
            limited(cycle_beside_a_timed_wait(), 0),
            set(&[Outcome::Stuck, Outcome::WakeupLimit])
        );
        // With n = 1, T3 times out (records 1) and nothing is cut: the cycle, or the end.
        let free = set(&[ended(&[&[], &[], &[1]], [1, 0]), Outcome::Stuck]);
        assert_eq!(limited(cycle_beside_a_timed_wait(), 1), free);
        assert_eq!(run(cycle_beside_a_timed_wait()), free);
    }

    #[test]
    fn a_wait_for_a_notify_or_a_store_beside_a_held_timed_wait_is_cut() {
        // T1 waits for a notify (or spins on a store) that nobody will ever give; T2 waits
        // with a timeout. With n = 0, the only dead end has T2 held and T1 waiting (or
        // spinning: a0 stays 0), main waiting to join T1. U = {T2}, then T1 (T2 could
        // notify, or store), then main (it joins T1, now in U): everyone left, cut.
        for waiter in [
            vec![Locked(0, vec![WaitOnce])],
            vec![Locked(0, vec![WaitWhileZero])],
            vec![SpinUntil(0, 1)],
        ] {
            let program = || vec![waiter.clone(), vec![Locked(0, vec![WaitTimeoutOnce])]];
            assert_eq!(limited(program(), 0), set(&[Outcome::WakeupLimit]));
            // With n = 1, T2 times out and ends: nobody is held, T1 waits for ever.
            assert_eq!(limited(program(), 1), set(&[Outcome::Stuck]));
            assert_eq!(run(program()), set(&[Outcome::Stuck]));
        }
    }

    #[test]
    fn a_join_of_a_held_thread_is_cut() {
        // n = 0, nobody notifies: the timed wait is held in every dead end (the other
        // threads can always finish what they do), and it is joined, by main, by
        // JoinChildren or by the implicit join at its parent's end. Its joiner waits for a
        // thread of U, so is in U, and main, joining that one (or the held thread itself),
        // too: everyone left, cut.
        for threads in [
            // Main joins T1 (held) then T2.
            vec![vec![Locked(0, vec![WaitTimeoutOnce])], vec![Store(0, 1)]],
            // Main joins T1, which joins its held child explicitly.
            vec![vec![
                Spawn(vec![Locked(0, vec![WaitTimeoutOnce])]),
                JoinChildren,
                Store(0, 1),
            ]],
            // The same at the implicit join at T1's end.
            vec![vec![
                Spawn(vec![Locked(0, vec![WaitTimeoutOnce])]),
                Store(0, 1),
            ]],
        ] {
            let program = Program { threads };
            assert_eq!(
                outcomes_with_wakeup_limit(&program, 0),
                set(&[Outcome::WakeupLimit]),
                "{program}"
            );
        }
    }

    #[test]
    fn a_lock_whose_owner_is_held_is_cut() {
        // T2 holds m1 through its timed wait (m0 inside m1: it releases only m0 to wait);
        // T1 only locks m1. Main joins T1 first. With n = 0, the dead ends have T2 held
        // and either T1 finished (it took m1 before T2): main waits to join T2, in U; or
        // T1 waits for m1, whose owner T2 is in U, so T1 is, and then main, which joins
        // T1. U = {T2, T1, main} (main added only after T1): cut either way.
        let program = || {
            vec![
                vec![Locked(1, vec![])],
                vec![Locked(1, vec![Locked(0, vec![WaitTimeoutOnce])])],
            ]
        };
        assert_eq!(limited(program(), 0), set(&[Outcome::WakeupLimit]));
        assert_eq!(limited(program(), 1), set(&[ended(&[&[], &[1]], [0, 0])]));
    }

    /// The programs of the wake-up limit tests above.
    fn timed_examples() -> Vec<Program> {
        [
            vec![vec![Locked(0, vec![WaitTimeoutOnce])]],
            vec![vec![Locked(0, vec![WaitTimeoutOnce])], vec![NotifyOne]],
            vec![vec![Locked(0, vec![WaitTimeoutOnce, WaitTimeoutOnce])]],
            vec![vec![
                Locked(0, vec![WaitTimeoutOnce]),
                Locked(0, vec![WaitTimeoutOnce]),
            ]],
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce, WaitTimeoutOnce])],
                vec![NotifyOne],
            ],
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitTimeoutOnce])],
            ],
            vec![vec![
                Spawn(vec![Locked(0, vec![WaitTimeoutOnce])]),
                Locked(0, vec![WaitTimeoutOnce]),
            ]],
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitOnce])],
            ],
            cycle_beside_a_timed_wait(),
            vec![
                vec![SpinUntil(0, 1)],
                vec![Locked(0, vec![WaitTimeoutOnce])],
            ],
            vec![vec![
                Spawn(vec![Locked(0, vec![WaitTimeoutOnce])]),
                JoinChildren,
                Store(0, 1),
            ]],
            vec![
                vec![Locked(1, vec![])],
                vec![Locked(1, vec![Locked(0, vec![WaitTimeoutOnce])])],
            ],
        ]
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
    }

    #[test]
    fn without_the_option_no_execution_is_cut() {
        for program in timed_examples().into_iter().chain(examples()) {
            let free = outcomes(&program);
            assert!(!free.contains(&Outcome::WakeupLimit), "{program}");
            // A thread runs at most MAX_TIMED_WAITS_PER_THREAD (2) timed waits, so a limit
            // that high, or none at all in effect, holds nobody.
            for n in [2, 3, u32::MAX] {
                assert_eq!(outcomes_with_wakeup_limit(&program, n), free, "{program}");
            }
        }
        // And the unlimited outcomes are what the tests above derived by hand.
        assert_eq!(
            run(vec![vec![Locked(
                0,
                vec![WaitTimeoutOnce, WaitTimeoutOnce]
            )]]),
            set(&[ended(&[&[1, 1]], [0, 0])])
        );
        assert_eq!(
            run(vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitTimeoutOnce])],
            ]),
            set(&[ended(&[&[1], &[1]], [0, 0])])
        );
    }

    /// On generated programs: without a `WaitTimeoutOnce`, a limit changes nothing, not even
    /// the states; with one, raising the limit only adds outcomes other than
    /// `WakeupLimit`, a limit of `MAX_TIMED_WAITS_PER_THREAD` gives exactly [`outcomes`],
    /// and on some programs a limit of 0 cuts executions.
    #[test]
    fn a_wakeup_limit_only_cuts_and_only_with_a_timed_wait() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(13),
            ..Config::default()
        });
        let strategy = super::super::program::program();
        let (mut without, mut with, mut cut) = (0, 0, 0);
        let uncut = |o: &BTreeSet<Outcome>| -> BTreeSet<Outcome> {
            o.iter()
                .filter(|o| **o != Outcome::WakeupLimit)
                .cloned()
                .collect()
        };
        // Timed waits are rare among generated programs (about 1 in 10).
        for _ in 0..300 {
            let program = strategy.new_tree(&mut runner).expect("generates").current();
            let timed = format!("{program:?}").contains("WaitTimeoutOnce");
            if !timed && without >= 20 {
                // Enough of those: the time goes to the rarer programs with a timed wait.
                continue;
            }
            let Some(free) = explore_within(&program, 5_000) else {
                continue;
            };
            let explored: Option<Vec<Exploration>> = (0..3)
                .map(|n| explore_within_with_wakeup_limit(&program, 5_000, n))
                .collect();
            let Some(explored) = explored else {
                continue;
            };
            if timed {
                with += 1;
                for pair in explored.windows(2) {
                    assert!(
                        uncut(&pair[0].outcomes).is_subset(&uncut(&pair[1].outcomes)),
                        "{program}"
                    );
                }
                assert_eq!(explored[2].outcomes, free.outcomes, "{program}");
                if explored[0].outcomes.contains(&Outcome::WakeupLimit) {
                    cut += 1;
                }
            } else {
                without += 1;
                for e in &explored {
                    assert_eq!(e.outcomes, free.outcomes, "{program}");
                    assert_eq!(e.states, free.states, "{program}");
                }
            }
        }
        assert!(
            with >= 15 && without >= 15 && cut >= 10,
            "{with} programs with a timed wait ({cut} cut at 0), {without} without"
        );
    }

    /// The outcomes of `threads` with spurious wake-ups of plain waits.
    fn woken(threads: Vec<Vec<Instr>>) -> BTreeSet<Outcome> {
        outcomes_with_spurious_wakeups(&Program { threads })
    }

    /// A finished outcome with these records, atomics and guarded data.
    fn ended_with(records: &[&[u64]], atomics: [u64; ATOMICS], data: [u64; MUTEXES]) -> Outcome {
        Outcome::Finished {
            records: records.iter().map(|r| r.to_vec()).collect(),
            atomics,
            data,
        }
    }

    #[test]
    fn a_lone_plain_wait_may_wake_spuriously_or_wait_for_ever() {
        // T1: lock m0, wait, add 1 to m0's data; nobody notifies. Without the option the
        // wait never ends: only Stuck. With it, once T1 waits (main waits to join it) the
        // only move left is T1's spurious wake-up: that state is final, Stuck (rule 2), and
        // the wake-up leads on: T1 retakes m0 (free), adds 1, ends, main joins it.
        let lone = || vec![vec![Locked(0, vec![WaitOnce, AddData])]];
        assert_eq!(run(lone()), set(&[Outcome::Stuck]));
        assert_eq!(
            woken(lone()),
            set(&[Outcome::Stuck, ended_with(&[&[]], [0, 0], [1, 0])])
        );
    }

    #[test]
    fn a_wait_while_zero_whose_condition_never_holds_stays_stuck() {
        // Nobody makes m0's data non-zero: each spurious wake-up retakes m0, finds 0 and
        // waits again (the state before the wake-up, again), so T1 never ends: only Stuck,
        // with the option as without.
        let never = || vec![vec![Locked(0, vec![WaitWhileZero])]];
        assert_eq!(run(never()), set(&[Outcome::Stuck]));
        assert_eq!(woken(never()), set(&[Outcome::Stuck]));
        // Nor with a notifier that writes 0: woken by its notify or spuriously, T1 finds
        // 0 and waits again; T2 ends, T1 does not.
        let zero = || {
            vec![
                vec![Locked(0, vec![WaitWhileZero])],
                vec![Locked(0, vec![WriteData(0)]), NotifyAll],
            ]
        };
        assert_eq!(run(zero()), set(&[Outcome::Stuck]));
        assert_eq!(woken(zero()), set(&[Outcome::Stuck]));
    }

    #[test]
    fn a_spurious_wake_up_lets_wait_while_zero_see_a_write_without_a_notify() {
        // T1 stores a0 = 1 holding m0 and keeps m0 until its wait; T2 spins until a0 is 1,
        // then writes 1 under m0, and nobody notifies. So T1 always waits (finding 0)
        // before T2's write. Without the option T1 waits for ever: only Stuck. With it, T1
        // woken after T2's write (retaking m0 once T2 let it go) finds 1, leaves the loop
        // and reads 1; woken before, it finds 0 and waits again; never woken (T2 ended,
        // main joining T1: only the wake-up is left), Stuck.
        let program = || {
            vec![
                vec![Locked(0, vec![Store(0, 1), WaitWhileZero, ReadData])],
                vec![SpinUntil(0, 1), Locked(0, vec![WriteData(1)])],
            ]
        };
        assert_eq!(run(program()), set(&[Outcome::Stuck]));
        assert_eq!(
            woken(program()),
            set(&[Outcome::Stuck, ended_with(&[&[1], &[]], [1, 0], [1, 0])])
        );
    }

    #[test]
    fn a_spurious_wake_up_makes_up_for_a_notify_lost_before_the_wait() {
        // T1 loads a0 holding m0, then waits; T2 notifies (without m0), then stores a0 = 1.
        // T1 loading 1 means T2's store, so its notify, came before T1's wait: the notify
        // was lost, and without the option T1 waits for ever. So without it, only T1
        // loading 0 finishes (T2's notify picks T1, already waiting); the notify may come
        // between T1's load and wait, lost too: Stuck. With the option the orders whose
        // notify was lost can finish too, through a spurious wake-up: T1 loading 1
        // finishes; and Stuck stays (T1 may never wake).
        let program = || {
            vec![
                vec![Locked(0, vec![Load(0), WaitOnce])],
                vec![NotifyOne, Store(0, 1)],
            ]
        };
        assert_eq!(
            run(program()),
            set(&[Outcome::Stuck, ended(&[&[0], &[]], [1, 0])])
        );
        assert_eq!(
            woken(program()),
            set(&[
                Outcome::Stuck,
                ended(&[&[0], &[]], [1, 0]),
                ended(&[&[1], &[]], [1, 0]),
            ])
        );
        // The same without the load: the notify-first order now finishes, but with the
        // same outcome as the order where the notify woke T1, so the set is unchanged.
        let lost = || vec![vec![Locked(0, vec![WaitOnce])], vec![NotifyOne]];
        let both = set(&[Outcome::Stuck, ended(&[&[], &[]], [0, 0])]);
        assert_eq!(run(lost()), both);
        assert_eq!(woken(lost()), both);
    }

    #[test]
    fn a_spurious_wake_up_retakes_the_mutex() {
        // T2 writes 1, notifies and writes 2, all holding m0. Without the option: T1 waits
        // before T2 takes m0 and is woken by the notify, retaking m0 once T2 lets it go:
        // reads 2; or T2 runs first, its notify is lost: Stuck. With it, T1 may also wake
        // before T2 takes m0 and retake m0 first: reads 0 (T2 then writes 2); or wake after
        // T2: reads 2. Never 1: T1 reads only holding m0, and T2 holds m0 from its write of
        // 1 to its write of 2, so a wake-up, spurious or not, must wait for m0.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitOnce, ReadData])],
                vec![Locked(0, vec![WriteData(1), NotifyOne, WriteData(2)])],
            ]
        };
        assert_eq!(
            run(program()),
            set(&[Outcome::Stuck, ended_with(&[&[2], &[]], [0, 0], [2, 0])])
        );
        assert_eq!(
            woken(program()),
            set(&[
                Outcome::Stuck,
                ended_with(&[&[0], &[]], [0, 0], [2, 0]),
                ended_with(&[&[2], &[]], [0, 0], [2, 0]),
            ])
        );
    }

    #[test]
    fn a_waiter_no_notify_picks_may_stay_for_ever_while_the_other_ends() {
        // Two waiters, each adding 1 to m0's data after its wait, and one notify_one.
        // Without the option the notify wakes at most one, and main joins both: only
        // Stuck. With it, either waiter may wake spuriously, so all can finish, having
        // added 2. No finished outcome has data 1: main returns only after joining both
        // waiters. The run where the notify woke one (or found none) and the other never
        // wakes reaches a state where the woken one and T3 have ended and main waits to
        // join a thread still waiting: the only move left is a spurious wake-up, so the
        // state is final, Stuck (rule 2). Without rule 2 nothing here would be Stuck:
        // every waiter can always wake, and a thread waiting for m0 waits for one that can
        // move, so no state is without a move.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitOnce, AddData])],
                vec![Locked(0, vec![WaitOnce, AddData])],
                vec![NotifyOne],
            ]
        };
        assert_eq!(run(program()), set(&[Outcome::Stuck]));
        assert_eq!(
            woken(program()),
            set(&[Outcome::Stuck, ended_with(&[&[], &[], &[]], [0, 0], [2, 0])])
        );
    }

    #[test]
    fn a_timed_wait_is_unchanged_by_spurious_wake_ups() {
        // T1 waits with a timeout, then writes 1 and notifies all under m0; T2 waits while
        // m0's data is 0. T2 waits only holding m0 after finding 0, so before T1's write,
        // and T1's notify_all (nobody else notifies, so T1 always times out: records 1)
        // wakes it: never stuck. With the option T2's spurious wake-ups only test 0 again.
        // While T1 is in its timed wait and T2 waits, T1's timeout is a move: that state is
        // not final by rule 2, so Stuck does not appear.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce, WriteData(1), NotifyAll])],
                vec![Locked(0, vec![WaitWhileZero])],
            ]
        };
        let done = set(&[ended_with(&[&[1], &[]], [0, 0], [1, 0])]);
        assert_eq!(run(program()), done);
        assert_eq!(woken(program()), done);
        // Beside a plain wait nobody notifies: T1 always times out and ends; T2 waits for
        // ever (Stuck, by rule 2 once T1 has ended, with the option) or, with the option,
        // wakes spuriously and ends.
        let program = || {
            vec![
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![Locked(0, vec![WaitOnce])],
            ]
        };
        assert_eq!(run(program()), set(&[Outcome::Stuck]));
        assert_eq!(
            woken(program()),
            set(&[Outcome::Stuck, ended(&[&[1], &[]], [0, 0])])
        );
    }

    /// Whether `program` has a plain wait (`WaitOnce` or `WaitWhileZero`).
    fn has_plain_wait(program: &Program) -> bool {
        let text = format!("{program:?}");
        text.contains("WaitOnce") || text.contains("WaitWhileZero")
    }

    #[test]
    fn spurious_wake_ups_change_nothing_without_a_plain_wait() {
        // With no thread ever in a plain wait there is no wake-up to take and no state
        // whose only moves are wake-ups: the same states and outcomes. With a plain wait,
        // every old move is still there and every old final state still final (main
        // finished, or nothing but wake-ups left: Stuck either way), so the outcomes and
        // states only grow.
        let (mut without, mut with) = (0, 0);
        let waits = [
            vec![vec![Locked(0, vec![WaitOnce, AddData])]],
            vec![
                vec![Locked(0, vec![Store(0, 1), WaitWhileZero, ReadData])],
                vec![SpinUntil(0, 1), Locked(0, vec![WriteData(1)])],
            ],
            vec![
                vec![Locked(0, vec![Load(0), WaitOnce])],
                vec![NotifyOne, Store(0, 1)],
            ],
            vec![
                vec![Locked(0, vec![WaitOnce, AddData])],
                vec![Locked(0, vec![WaitOnce, AddData])],
                vec![NotifyOne],
            ],
        ]
        .into_iter()
        .map(|threads| Program { threads });
        for program in examples().into_iter().chain(timed_examples()).chain(waits) {
            let plain = explore(&program);
            let spurious = explore_within_with_spurious_wakeups(&program, usize::MAX)
                .expect("no limit on states");
            if has_plain_wait(&program) {
                with += 1;
                assert!(plain.outcomes.is_subset(&spurious.outcomes), "{program}");
                assert!(plain.states <= spurious.states, "{program}");
            } else {
                without += 1;
                assert_eq!(spurious.outcomes, plain.outcomes, "{program}");
                assert_eq!(spurious.states, plain.states, "{program}");
                assert_eq!(
                    outcomes_with_spurious_wakeups(&program),
                    outcomes(&program),
                    "{program}"
                );
            }
        }
        assert!(without >= 15 && with >= 6, "{without} without, {with} with");
    }

    /// On generated programs: without a plain wait, spurious wake-ups change nothing, not
    /// even the states; with one, they only add outcomes and states, and on some programs
    /// they do add outcomes.
    #[test]
    fn spurious_wake_ups_only_add_outcomes_and_only_with_a_plain_wait() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(14),
            ..Config::default()
        });
        let strategy = super::super::program::program();
        let (mut without, mut with, mut grew) = (0, 0, 0);
        for _ in 0..300 {
            let program = strategy.new_tree(&mut runner).expect("generates").current();
            let plain_wait = has_plain_wait(&program);
            if !plain_wait && without >= 30 {
                // Enough of those: the time goes to the programs with a plain wait.
                continue;
            }
            let Some(plain) = explore_within(&program, 5_000) else {
                continue;
            };
            let Some(spurious) = explore_within_with_spurious_wakeups(&program, 5_000) else {
                continue;
            };
            if plain_wait {
                with += 1;
                assert!(plain.outcomes.is_subset(&spurious.outcomes), "{program}");
                assert!(plain.states <= spurious.states, "{program}");
                if plain.outcomes != spurious.outcomes {
                    grew += 1;
                }
            } else {
                without += 1;
                assert_eq!(spurious.outcomes, plain.outcomes, "{program}");
                assert_eq!(spurious.states, plain.states, "{program}");
            }
        }
        assert!(
            with >= 15 && without >= 15 && grew >= 5,
            "{with} programs with a plain wait ({grew} gained outcomes), {without} without"
        );
    }
}
