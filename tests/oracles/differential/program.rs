//! A small concurrent program language for differential testing of racelab's checker.
//!
//! A [`Program`] is a list of threads. Main spawns `threads[0..n]` in order, does nothing
//! else, joins them in order, and then reads the final value of every atomic and of every
//! mutex-protected integer. Shared state is fixed:
//!
//! * two atomics `a0`, `a1` (`u64`, start at 0), every operation `SeqCst`;
//! * two mutexes `m0`, `m1`, each guarding one `u64` (start at 0);
//! * one condition variable `c0`, always used with `m0`.
//!
//! Each thread keeps a record (`Vec<u64>`) of what it observed and returns it through
//! `join`. A run of a program ends in an [`Outcome`]: what every top-level thread recorded
//! and the final shared values, or [`Outcome::Stuck`] when no thread can ever move again
//! (or, only under a limit on wake-ups without a notify, [`Outcome::WakeupLimit`]).
//!
//! This module knows nothing of racelab: the oracle (`oracle.rs`) interprets programs on
//! its own, and `run.rs` translates them onto racelab's primitives.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};
use proptest::collection::vec;
use proptest::prelude::*;

/// Number of atomics (`a0`, `a1`).
pub const ATOMICS: usize = 2;
/// Number of mutexes (`m0`, `m1`); `m0` is the one the condition variable `c0` goes with.
pub const MUTEXES: usize = 2;
/// The mutex the condition variable `c0` is used with.
pub const CONDVAR_MUTEX: usize = 0;
/// A failed compare-exchange records `CAS_FAILED + found`; a successful one records `old`.
pub const CAS_FAILED: u64 = 100;
/// A `Locked` or `TryLocked` that got a mutex a thread panicked while holding (std's
/// `PoisonError`) records this (after `TryLocked`'s 1).
pub const POISONED: u64 = 200;
/// Joining a thread that panicked gives `Err`: its parent records this instead of the
/// child's record, and a top-level thread's whole record is then `[PANICKED]`.
pub const PANICKED: u64 = 201;
/// Generated threads hold 1 to this many instructions, nested ones included.
pub const MAX_INSTRS_PER_THREAD: usize = 5;
/// The most `WaitTimeoutOnce` one thread runs. A third timed-out wait whose turn repeats
/// the one before, reading nothing new, is racelab's polling assumption (`rt::timeout`):
/// it is not explored, so programs stay within the range where racelab explores every
/// order and the oracle needs no such assumption.
pub const MAX_TIMED_WAITS_PER_THREAD: usize = 2;
/// Generated programs have this many threads at least…
pub const MIN_THREADS: usize = 2;
/// …and at most.
pub const MAX_THREADS: usize = 4;
/// Constants stored, swapped, compared and awaited are `0..=MAX_VALUE`.
pub const MAX_VALUE: u64 = 2;

/// One instruction. Atomic operations are `SeqCst`; "records" means the value is pushed on
/// the executing thread's record.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Instr {
    /// `a.load()`; records the value.
    Load(usize),
    /// `a.store(v)`.
    Store(usize, u64),
    /// `a.fetch_add(1)`; records the old value.
    FetchAdd(usize),
    /// `a.swap(v)`; records the old value.
    Swap(usize, u64),
    /// `a.compare_exchange(expected, new)`; records `old` on success, `CAS_FAILED + found`
    /// on failure.
    Cas(usize, u64, u64),
    /// Lock mutex `m`, run the body, unlock.
    Locked(usize, Vec<Instr>),
    /// `m.try_lock()`: records 1 and runs the body (then unlocks) if the mutex was free,
    /// records 0 and skips the body if it was held.
    TryLocked(usize, Vec<Instr>),
    /// Inside a lock: records the value the innermost held mutex guards.
    ReadData,
    /// Inside a lock: sets the value the innermost held mutex guards.
    WriteData(u64),
    /// Inside a lock: adds 1 to the value the innermost held mutex guards.
    AddData,
    /// Directly inside `m0`'s lock: `while *guard == 0 { guard = c0.wait(guard) }`.
    WaitWhileZero,
    /// Directly inside `m0`'s lock: one `guard = c0.wait(guard)`, no loop (blocks forever if
    /// no notify comes after it).
    WaitOnce,
    /// Directly inside `m0`'s lock: one `let (g, r) = c0.wait_timeout(guard,
    /// Duration::from_secs(1)).unwrap(); guard = g;`, no loop; records `r.timed_out()` (1 if
    /// the wait timed out, 0 if a notify woke it). Time is abstracted away: the timeout may
    /// fire at any moment after the wait began, so it never blocks forever by itself.
    WaitTimeoutOnce,
    /// `c0.notify_one()`.
    NotifyOne,
    /// `c0.notify_all()`.
    NotifyAll,
    /// `while a.load() != v { yield_now() }`.
    SpinUntil(usize, u64),
    /// At a top-level thread's top level: spawn a child thread running the body.
    Spawn(Vec<Instr>),
    /// At a top-level thread's top level: join every child this thread spawned and has not
    /// joined yet, in spawn order, appending each child's record to this thread's record.
    /// Children still unjoined when the thread's body ends are joined then, the same way.
    JoinChildren,
    /// `panic!()`: the thread unwinds, dropping the guards of the locks it holds on the
    /// way (innermost first), each of which releases its mutex and poisons it, as in std;
    /// whoever joins the thread gets `Err` (see [`PANICKED`]). Not in a top-level thread
    /// that spawns (its unjoined children would outlive it). Only [`panicking_program`]
    /// generates it.
    Panic,
}

/// A program: the bodies of the threads main spawns (see the module docs).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Program {
    /// The top-level threads, spawned by main in this order and joined in this order.
    pub threads: Vec<Vec<Instr>>,
}

/// How a run of a program ended.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Main returned.
    Finished {
        /// Per top-level thread, what it recorded (its children's records appended when
        /// it joined them).
        records: Vec<Vec<u64>>,
        /// The final values of `a0`, `a1`.
        atomics: [u64; ATOMICS],
        /// The final values guarded by `m0`, `m1`.
        data: [u64; MUTEXES],
    },
    /// No thread can ever move again and main has not returned: a deadlock, a wait that is
    /// never notified, or a spin whose condition never holds.
    Stuck,
    /// Only under a limit on wake-ups without a notify (the oracle's
    /// `explore_within_with_wakeup_limit`): nothing can move and main has not returned, but
    /// some thread in a `WaitTimeoutOnce` that no notify picked would time out if the limit
    /// let it, and every thread that has not finished might move again were such threads
    /// let go on (it is one of them, or waits for a notify, a store, a mutex whose owner
    /// might move again or the end of a thread that might; see the oracle's module docs).
    /// The execution was cut at the limit; nothing is claimed about how it would go on.
    /// Where some thread is stuck whatever the held ones do (in a lock cycle, say), the
    /// outcome is [`Outcome::Stuck`].
    WakeupLimit,
}

/// Where an instruction sits, which decides what it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    /// Which mutexes the thread holds here.
    held: [bool; MUTEXES],
    /// The mutex whose lock body this is, directly (data operations refer to it).
    innermost: Option<usize>,
    /// Whether this is a top-level thread's top level (where `Spawn` and `JoinChildren` go).
    spawner_top: bool,
}

impl Place {
    /// The top level of a top-level thread.
    const TOP: Place = Place {
        held: [false; MUTEXES],
        innermost: None,
        spawner_top: true,
    };
    /// The top level of a spawned child.
    const CHILD: Place = Place {
        held: [false; MUTEXES],
        innermost: None,
        spawner_top: false,
    };

    /// The body of a lock of `m` taken here.
    fn locking(self, m: usize) -> Place {
        let mut held = self.held;
        held[m] = true;
        Place {
            held,
            innermost: Some(m),
            spawner_top: false,
        }
    }
}

impl Instr {
    /// This instruction plus every instruction nested in it.
    pub fn size(&self) -> usize {
        1 + self.body().map_or(0, body_size)
    }

    /// The nested body, for instructions that have one.
    pub fn body(&self) -> Option<&[Instr]> {
        match self {
            Instr::Locked(_, b) | Instr::TryLocked(_, b) | Instr::Spawn(b) => Some(b),
            _ => None,
        }
    }

    fn body_mut(&mut self) -> Option<&mut Vec<Instr>> {
        match self {
            Instr::Locked(_, b) | Instr::TryLocked(_, b) | Instr::Spawn(b) => Some(b),
            _ => None,
        }
    }
}

/// The number of instructions in `body`, nested ones included.
pub fn body_size(body: &[Instr]) -> usize {
    body.iter().map(Instr::size).sum()
}

impl Program {
    /// Instructions in all threads, nested ones included.
    pub fn size(&self) -> usize {
        self.threads.iter().map(|t| body_size(t)).sum()
    }

    /// Checks that the program is well formed: indices in range, data operations only
    /// inside a lock, waits only directly inside `m0`'s lock, no mutex locked (or
    /// try-locked) by a thread that already holds it, `Spawn` and `JoinChildren` only at a
    /// top-level thread's top level. Thread and instruction counts are not limited here.
    pub fn validate(&self) -> Result<(), String> {
        if self.threads.is_empty() {
            return Err("a program needs at least one thread".into());
        }
        for (t, body) in self.threads.iter().enumerate() {
            validate_body(body, Place::TOP).map_err(|e| format!("thread {}: {e}", t + 1))?;
            if body.iter().any(|i| matches!(i, Instr::Spawn(_))) && panics(body) {
                return Err(format!("thread {}: a thread that spawns panics", t + 1));
            }
        }
        Ok(())
    }

    /// Smaller programs derived from this one, all well formed: one thread fewer (keeping
    /// two), one instruction fewer, a block replaced by its body, a constant lowered. For
    /// shrinking a failing program by hand-rolled greedy search.
    pub fn shrink_candidates(&self) -> Vec<Program> {
        let mut out = Vec::new();
        if self.threads.len() > MIN_THREADS {
            for t in 0..self.threads.len() {
                let mut p = self.clone();
                p.threads.remove(t);
                out.push(p);
            }
        }
        for t in 0..self.threads.len() {
            for body in shrink_body(&self.threads[t]) {
                let mut p = self.clone();
                p.threads[t] = body;
                out.push(p);
            }
        }
        out.retain(|p| p.validate().is_ok() && p.threads.iter().all(|t| !t.is_empty()));
        out
    }
}

/// Smaller versions of `body` (not necessarily well formed in every place).
fn shrink_body(body: &[Instr]) -> Vec<Vec<Instr>> {
    let mut out = Vec::new();
    for i in 0..body.len() {
        // Drop instruction i.
        let mut b = body.to_vec();
        b.remove(i);
        out.push(b);
        // Replace a block by its body.
        if let Some(inner) = body[i].body() {
            let mut b = body.to_vec();
            b.splice(i..=i, inner.iter().cloned());
            out.push(b);
            for smaller in shrink_body(inner) {
                let mut b = body.to_vec();
                if let Some(slot) = b[i].body_mut() {
                    *slot = smaller;
                }
                out.push(b);
            }
        }
        // Lower a constant, or use atomic 0.
        for lowered in lower(&body[i]) {
            let mut b = body.to_vec();
            b[i] = lowered;
            out.push(b);
        }
    }
    out
}

/// `instr` with one constant or index made smaller.
fn lower(instr: &Instr) -> Vec<Instr> {
    use Instr::*;
    let dec = |v: u64| v.checked_sub(1);
    let mut out = Vec::new();
    match *instr {
        Load(a) if a > 0 => out.push(Load(0)),
        FetchAdd(a) if a > 0 => out.push(FetchAdd(0)),
        Store(a, v) => {
            out.extend(dec(v).map(|v| Store(a, v)));
            if a > 0 {
                out.push(Store(0, v));
            }
        }
        Swap(a, v) => {
            out.extend(dec(v).map(|v| Swap(a, v)));
            if a > 0 {
                out.push(Swap(0, v));
            }
        }
        Cas(a, e, n) => {
            out.extend(dec(e).map(|e| Cas(a, e, n)));
            out.extend(dec(n).map(|n| Cas(a, e, n)));
            if a > 0 {
                out.push(Cas(0, e, n));
            }
        }
        SpinUntil(a, v) => {
            out.extend(dec(v).map(|v| SpinUntil(a, v)));
            if a > 0 {
                out.push(SpinUntil(0, v));
            }
        }
        WriteData(v) => out.extend(dec(v).map(WriteData)),
        NotifyAll => out.push(NotifyOne),
        WaitWhileZero => out.push(WaitOnce),
        // The plain wait: whether a disagreement needs the timeout at all.
        WaitTimeoutOnce => out.push(WaitOnce),
        _ => {}
    }
    out
}

fn validate_body(body: &[Instr], place: Place) -> Result<(), String> {
    if place.innermost.is_none() && timed_waits(body) > MAX_TIMED_WAITS_PER_THREAD {
        return Err(format!(
            "more than {MAX_TIMED_WAITS_PER_THREAD} WaitTimeoutOnce in one thread"
        ));
    }
    for instr in body {
        validate_instr(instr, place)?;
    }
    Ok(())
}

fn validate_instr(instr: &Instr, place: Place) -> Result<(), String> {
    use Instr::*;
    let atomic = |a: usize| {
        if a < ATOMICS {
            Ok(())
        } else {
            Err(format!("no atomic a{a}"))
        }
    };
    match instr {
        Load(a) | Store(a, _) | FetchAdd(a) | Swap(a, _) | Cas(a, _, _) | SpinUntil(a, _) => {
            atomic(*a)
        }
        Locked(m, body) | TryLocked(m, body) => {
            if *m >= MUTEXES {
                return Err(format!("no mutex m{m}"));
            }
            if place.held[*m] {
                return Err(format!("m{m} locked by a thread that holds it"));
            }
            validate_body(body, place.locking(*m))
        }
        ReadData | WriteData(_) | AddData => match place.innermost {
            Some(_) => Ok(()),
            None => Err(format!("{instr:?} outside a lock")),
        },
        WaitWhileZero | WaitOnce | WaitTimeoutOnce => match place.innermost {
            Some(CONDVAR_MUTEX) => Ok(()),
            _ => Err(format!(
                "{instr:?} not directly inside m{CONDVAR_MUTEX}'s lock"
            )),
        },
        NotifyOne | NotifyAll | Panic => Ok(()),
        Spawn(body) => {
            if !place.spawner_top {
                return Err("Spawn not at a top-level thread's top level".into());
            }
            validate_body(body, Place::CHILD)
        }
        JoinChildren => {
            if place.spawner_top {
                Ok(())
            } else {
                Err("JoinChildren not at a top-level thread's top level".into())
            }
        }
    }
}

/// Cuts `body` down to at most `*budget` instructions, nested ones included (the first
/// instructions, in program order), and takes them from the budget.
fn truncate(body: Vec<Instr>, budget: &mut usize) -> Vec<Instr> {
    let mut out = Vec::new();
    for mut instr in body {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        if let Some(inner) = instr.body_mut() {
            let taken = std::mem::take(inner);
            *inner = truncate(taken, budget);
        }
        out.push(instr);
    }
    out
}

/// Fits a generated thread body to `MAX_INSTRS_PER_THREAD` instructions and
/// `MAX_TIMED_WAITS_PER_THREAD` timed waits (a third becomes a plain `WaitOnce`).
fn fit(body: Vec<Instr>) -> Vec<Instr> {
    let mut budget = MAX_INSTRS_PER_THREAD;
    let mut body = truncate(body, &mut budget);
    let mut left = MAX_TIMED_WAITS_PER_THREAD;
    cap_timed_waits(&mut body, &mut left);
    body
}

/// Turns the timed waits of one thread's `body` past the first `left` into `WaitOnce`
/// (a spawned thread's body has its own allowance).
fn cap_timed_waits(body: &mut [Instr], left: &mut usize) {
    for instr in body {
        match instr {
            Instr::WaitTimeoutOnce if *left == 0 => *instr = Instr::WaitOnce,
            Instr::WaitTimeoutOnce => *left -= 1,
            Instr::Spawn(child) => {
                let mut own = MAX_TIMED_WAITS_PER_THREAD;
                cap_timed_waits(child, &mut own);
            }
            other => {
                if let Some(b) = other.body_mut() {
                    cap_timed_waits(b, left);
                }
            }
        }
    }
}

/// Whether the thread running `body` may panic (not the threads it spawns).
fn panics(body: &[Instr]) -> bool {
    body.iter().any(|i| match i {
        Instr::Panic => true,
        Instr::Spawn(_) => false,
        other => other.body().is_some_and(panics),
    })
}

/// The timed waits one thread runs in `body` (not those of threads it spawns).
fn timed_waits(body: &[Instr]) -> usize {
    body.iter()
        .map(|i| match i {
            Instr::WaitTimeoutOnce => 1,
            Instr::Spawn(_) => 0,
            other => other.body().map_or(0, timed_waits),
        })
        .sum()
}

// ---------------------------------------------------------------------------------------
// proptest generator

fn atomic_op() -> BoxedStrategy<Instr> {
    let a = 0..ATOMICS;
    let v = 0..=MAX_VALUE;
    prop_oneof![
        a.clone().prop_map(Instr::Load),
        (a.clone(), v.clone()).prop_map(|(a, v)| Instr::Store(a, v)),
        a.clone().prop_map(Instr::FetchAdd),
        (a.clone(), v.clone()).prop_map(|(a, v)| Instr::Swap(a, v)),
        (a, v.clone(), v).prop_map(|(a, e, n)| Instr::Cas(a, e, n)),
    ]
    .boxed()
}

/// Instructions that may sit at `place`; every kind well formed there has weight > 0.
fn instr_at(place: Place) -> BoxedStrategy<Instr> {
    let mut options: Vec<(u32, BoxedStrategy<Instr>)> = vec![
        (6, atomic_op()),
        (1, Just(Instr::NotifyOne).boxed()),
        (1, Just(Instr::NotifyAll).boxed()),
        (
            1,
            (0..ATOMICS, 0..=MAX_VALUE)
                .prop_map(|(a, v)| Instr::SpinUntil(a, v))
                .boxed(),
        ),
    ];
    for m in 0..MUTEXES {
        if !place.held[m] {
            let body = vec(instr_at(place.locking(m)), 0..=3);
            options.push((
                2,
                body.clone().prop_map(move |b| Instr::Locked(m, b)).boxed(),
            ));
            options.push((1, body.prop_map(move |b| Instr::TryLocked(m, b)).boxed()));
        }
    }
    if place.innermost.is_some() {
        options.push((2, Just(Instr::ReadData).boxed()));
        options.push((1, (0..=MAX_VALUE).prop_map(Instr::WriteData).boxed()));
        options.push((2, Just(Instr::AddData).boxed()));
    }
    if place.innermost == Some(CONDVAR_MUTEX) {
        options.push((1, Just(Instr::WaitWhileZero).boxed()));
        options.push((1, Just(Instr::WaitOnce).boxed()));
        options.push((1, Just(Instr::WaitTimeoutOnce).boxed()));
    }
    if place.spawner_top {
        let body = vec(instr_at(Place::CHILD), 1..=3);
        options.push((1, body.prop_map(Instr::Spawn).boxed()));
        options.push((1, Just(Instr::JoinChildren).boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// Generates well-formed programs: 2–4 threads (uniformly, so two thirds have 3 or 4),
/// each of 1–5 instructions counting nested ones; every instruction kind is reachable.
pub fn program() -> impl Strategy<Value = Program> {
    let thread = vec(instr_at(Place::TOP), 1..=MAX_INSTRS_PER_THREAD).prop_map(fit);
    vec(thread, MIN_THREADS..=MAX_THREADS).prop_map(|threads| Program { threads })
}

/// The places in `body` (of a thread that may panic) where a `Panic` can go: each a path
/// of indices, the last one where the `Panic` is inserted.
fn panic_places(body: &[Instr], path: &mut Vec<usize>, may_panic: bool, out: &mut Vec<Vec<usize>>) {
    for i in 0..=body.len() {
        if may_panic {
            let mut p = path.clone();
            p.push(i);
            out.push(p);
        }
        let Some(instr) = body.get(i) else { break };
        if let Some(inner) = instr.body() {
            // A child may panic even where its spawner may not.
            let inner_may = may_panic || matches!(instr, Instr::Spawn(_));
            path.push(i);
            panic_places(inner, path, inner_may, out);
            path.pop();
        }
    }
}

/// Inserts `Instr::Panic` into `body` at `path` (see [`panic_places`]).
fn insert_panic(body: &mut Vec<Instr>, path: &[usize]) {
    match path {
        [i] => body.insert(*i, Instr::Panic),
        [i, rest @ ..] => insert_panic(
            body[*i].body_mut().expect("the path goes through a block"),
            rest,
        ),
        [] => unreachable!("a place has an index"),
    }
}

/// The programs of [`program`], with one `Panic` inserted at a place `pick` chooses
/// among those where it is well formed (anywhere, but not in a top-level thread that
/// spawns, outside its children). For the differential test of unwinding: the releases a
/// panicking thread's guards make as it unwinds, and `join` returning its panic.
pub fn panicking_program() -> impl Strategy<Value = Program> {
    (program(), any::<u32>()).prop_map(|(mut p, pick)| {
        let mut places = Vec::new();
        for (t, body) in p.threads.iter().enumerate() {
            let spawns = body.iter().any(|i| matches!(i, Instr::Spawn(_)));
            let mut found = Vec::new();
            panic_places(body, &mut Vec::new(), !spawns, &mut found);
            places.extend(found.into_iter().map(|path| (t, path)));
        }
        if !places.is_empty() {
            let (t, path) = &places[pick as usize % places.len()];
            insert_panic(&mut p.threads[*t], path);
        }
        p
    })
}

// ---------------------------------------------------------------------------------------
// arbitrary (for cargo-fuzz): the same language, the same shape

fn arbitrary_instr(u: &mut Unstructured<'_>, place: Place) -> arbitrary::Result<Instr> {
    use Instr::*;
    let a = |u: &mut Unstructured<'_>| u.int_in_range(0..=ATOMICS - 1);
    let v = |u: &mut Unstructured<'_>| u.int_in_range(0..=MAX_VALUE);
    // The kinds well formed at `place`, then one of them.
    let mut kinds: Vec<u8> = vec![0, 1, 2, 3, 4, 5, 6, 7];
    for m in 0..MUTEXES {
        if !place.held[m] {
            kinds.extend([8 + 2 * m as u8, 9 + 2 * m as u8]);
        }
    }
    if place.innermost.is_some() {
        kinds.extend([12, 13, 14]);
    }
    if place.innermost == Some(CONDVAR_MUTEX) {
        // 19 came later than 17 and 18: the numbers keep their meanings.
        kinds.extend([15, 16, 19]);
    }
    if place.spawner_top {
        kinds.extend([17, 18]);
    }
    let kind = *u.choose(&kinds)?;
    let body = |u: &mut Unstructured<'_>, inner: Place, min: usize| {
        let n = u.int_in_range(min..=3)?;
        (0..n)
            .map(|_| arbitrary_instr(u, inner))
            .collect::<arbitrary::Result<Vec<_>>>()
    };
    Ok(match kind {
        0 => Load(a(u)?),
        1 => Store(a(u)?, v(u)?),
        2 => FetchAdd(a(u)?),
        3 => Swap(a(u)?, v(u)?),
        4 => Cas(a(u)?, v(u)?, v(u)?),
        5 => NotifyOne,
        6 => NotifyAll,
        7 => SpinUntil(a(u)?, v(u)?),
        8..=11 => {
            let m = usize::from((kind - 8) / 2);
            let b = body(u, place.locking(m), 0)?;
            if kind % 2 == 0 {
                Locked(m, b)
            } else {
                TryLocked(m, b)
            }
        }
        12 => ReadData,
        13 => WriteData(v(u)?),
        14 => AddData,
        15 => WaitWhileZero,
        16 => WaitOnce,
        17 => Spawn(body(u, Place::CHILD, 1)?),
        18 => JoinChildren,
        19 => WaitTimeoutOnce,
        _ => unreachable!("kind {kind} is not in the list"),
    })
}

impl<'a> Arbitrary<'a> for Program {
    /// The same language and shape as [`program`]: 2–4 threads of 1–5 instructions,
    /// well formed.
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(MIN_THREADS..=MAX_THREADS)?;
        let mut threads = Vec::with_capacity(n);
        for _ in 0..n {
            let len = u.int_in_range(1..=MAX_INSTRS_PER_THREAD)?;
            let body = (0..len)
                .map(|_| arbitrary_instr(u, Place::TOP))
                .collect::<arbitrary::Result<Vec<_>>>()?;
            threads.push(fit(body));
        }
        Ok(Program { threads })
    }
}

// ---------------------------------------------------------------------------------------
// printing

/// `Debug` prints Rust that builds the value (with `use Instr::*`), to paste into a
/// regression test.
impl fmt::Debug for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Instr::*;
        let body = |f: &mut fmt::Formatter<'_>, b: &[Instr]| -> fmt::Result {
            write!(f, "vec![")?;
            for (i, instr) in b.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{instr:?}")?;
            }
            write!(f, "]")
        };
        match self {
            Load(a) => write!(f, "Load({a})"),
            Store(a, v) => write!(f, "Store({a}, {v})"),
            FetchAdd(a) => write!(f, "FetchAdd({a})"),
            Swap(a, v) => write!(f, "Swap({a}, {v})"),
            Cas(a, e, n) => write!(f, "Cas({a}, {e}, {n})"),
            Locked(m, b) => {
                write!(f, "Locked({m}, ")?;
                body(f, b)?;
                write!(f, ")")
            }
            TryLocked(m, b) => {
                write!(f, "TryLocked({m}, ")?;
                body(f, b)?;
                write!(f, ")")
            }
            ReadData => write!(f, "ReadData"),
            WriteData(v) => write!(f, "WriteData({v})"),
            AddData => write!(f, "AddData"),
            WaitWhileZero => write!(f, "WaitWhileZero"),
            WaitOnce => write!(f, "WaitOnce"),
            WaitTimeoutOnce => write!(f, "WaitTimeoutOnce"),
            NotifyOne => write!(f, "NotifyOne"),
            NotifyAll => write!(f, "NotifyAll"),
            SpinUntil(a, v) => write!(f, "SpinUntil({a}, {v})"),
            Spawn(b) => {
                write!(f, "Spawn(")?;
                body(f, b)?;
                write!(f, ")")
            }
            JoinChildren => write!(f, "JoinChildren"),
            Panic => write!(f, "Panic"),
        }
    }
}

/// `Debug` prints Rust that builds the program (with `use Instr::*`).
impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Program {{ threads: vec![")?;
        for (i, t) in self.threads.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "vec![")?;
            for (j, instr) in t.iter().enumerate() {
                if j > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{instr:?}")?;
            }
            write!(f, "]")?;
        }
        write!(f, "] }}")
    }
}

/// Writes `body` as Rust-like code at `indent`; `guard` names the innermost guard.
fn write_body(
    f: &mut fmt::Formatter<'_>,
    body: &[Instr],
    indent: usize,
    guard: Option<usize>,
) -> fmt::Result {
    use Instr::*;
    let pad = "    ".repeat(indent);
    let g = || format!("g{}", guard.unwrap_or(9));
    for instr in body {
        match instr {
            Load(a) => writeln!(f, "{pad}record(a{a}.load(SeqCst));")?,
            Store(a, v) => writeln!(f, "{pad}a{a}.store({v}, SeqCst);")?,
            FetchAdd(a) => writeln!(f, "{pad}record(a{a}.fetch_add(1, SeqCst));")?,
            Swap(a, v) => writeln!(f, "{pad}record(a{a}.swap({v}, SeqCst));")?,
            Cas(a, e, n) => writeln!(
                f,
                "{pad}record(a{a}.compare_exchange({e}, {n}, SeqCst, SeqCst)); // Err(x) records {CAS_FAILED} + x"
            )?,
            Locked(m, b) => {
                writeln!(f, "{pad}{{")?;
                writeln!(
                    f,
                    "{pad}    let mut g{m} = m{m}.lock().unwrap_or_else(|p| {{ record({POISONED}); p.into_inner() }});"
                )?;
                write_body(f, b, indent + 1, Some(*m))?;
                writeln!(f, "{pad}}}")?;
            }
            TryLocked(m, b) => {
                writeln!(f, "{pad}if let Some(mut g{m}) = got(m{m}.try_lock()) {{")?;
                writeln!(
                    f,
                    "{pad}    record(1); // and {POISONED} if it was poisoned"
                )?;
                write_body(f, b, indent + 1, Some(*m))?;
                writeln!(f, "{pad}}} else {{")?;
                writeln!(f, "{pad}    record(0);")?;
                writeln!(f, "{pad}}}")?;
            }
            ReadData => writeln!(f, "{pad}record(*{});", g())?,
            WriteData(v) => writeln!(f, "{pad}*{} = {v};", g())?,
            AddData => writeln!(f, "{pad}*{} += 1;", g())?,
            WaitWhileZero => writeln!(
                f,
                "{pad}while *{g} == 0 {{ {g} = c0.wait({g}).unwrap_or_else(into_inner); }}",
                g = g()
            )?,
            WaitOnce => writeln!(
                f,
                "{pad}{g} = c0.wait({g}).unwrap_or_else(into_inner);",
                g = g()
            )?,
            WaitTimeoutOnce => writeln!(
                f,
                "{pad}let (g, r) = c0.wait_timeout({g}, Duration::from_secs(1)).unwrap_or_else(into_inner); \
                 {g} = g; record(r.timed_out() as u64);",
                g = g()
            )?,
            NotifyOne => writeln!(f, "{pad}c0.notify_one();")?,
            NotifyAll => writeln!(f, "{pad}c0.notify_all();")?,
            SpinUntil(a, v) => {
                writeln!(f, "{pad}while a{a}.load(SeqCst) != {v} {{ yield_now(); }}")?
            }
            Spawn(b) => {
                writeln!(f, "{pad}children.push(spawn(|| {{")?;
                write_body(f, b, indent + 1, None)?;
                writeln!(f, "{pad}}}));")?;
            }
            JoinChildren => writeln!(
                f,
                "{pad}for child in children.drain(..) {{ record_all(child.join()); }} // Err records {PANICKED}"
            )?,
            Panic => writeln!(
                f,
                "{pad}panic!(); // drops the guards held: release and poison"
            )?,
        }
    }
    Ok(())
}

/// `Display` prints the program as Rust-like code, one spawned closure per thread.
impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, body) in self.threads.iter().enumerate() {
            writeln!(f, "let t{} = spawn(|| {{", t + 1)?;
            write_body(f, body, 1, None)?;
            if body.iter().any(|i| matches!(i, Instr::Spawn(_))) {
                writeln!(f, "    // then: join the children not joined yet")?;
            }
            writeln!(f, "}});")?;
        }
        let joins: Vec<String> = (1..=self.threads.len())
            .map(|t| format!("t{t}.join()"))
            .collect();
        writeln!(
            f,
            "// main: {}; then read a0, a1, *m0, *m1",
            joins.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    /// Tags every instruction kind, to check the generators reach them all.
    fn kind(instr: &Instr) -> usize {
        use Instr::*;
        match instr {
            Load(_) => 0,
            Store(..) => 1,
            FetchAdd(_) => 2,
            Swap(..) => 3,
            Cas(..) => 4,
            Locked(..) => 5,
            TryLocked(..) => 6,
            ReadData => 7,
            WriteData(_) => 8,
            AddData => 9,
            WaitWhileZero => 10,
            WaitOnce => 11,
            NotifyOne => 12,
            NotifyAll => 13,
            SpinUntil(..) => 14,
            Spawn(_) => 15,
            JoinChildren => 16,
            WaitTimeoutOnce => 17,
            Panic => PANIC,
        }
    }
    /// `Panic`'s kind: only `panicking_program` generates it.
    const PANIC: usize = 18;
    const KINDS: usize = 19;

    fn visit(body: &[Instr], seen: &mut [bool; KINDS]) {
        for i in body {
            seen[kind(i)] = true;
            if let Some(b) = i.body() {
                visit(b, seen);
            }
        }
    }

    fn check_shape(p: &Program, seen: &mut [bool; KINDS]) {
        p.validate()
            .unwrap_or_else(|e| panic!("ill-formed program ({e}):\n{p}"));
        assert!((MIN_THREADS..=MAX_THREADS).contains(&p.threads.len()));
        for t in &p.threads {
            let n = body_size(t);
            assert!(
                (1..=MAX_INSTRS_PER_THREAD).contains(&n),
                "{n} instructions:\n{p}"
            );
            visit(t, seen);
        }
    }

    #[test]
    fn the_strategy_makes_well_formed_programs_of_every_kind() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(7),
            ..Config::default()
        });
        let strategy = program();
        let mut seen = [false; KINDS];
        let mut big = 0;
        let n = 2000;
        for _ in 0..n {
            let p = strategy.new_tree(&mut runner).expect("generates").current();
            check_shape(&p, &mut seen);
            big += usize::from(p.threads.len() >= 3);
        }
        assert!(
            seen[..PANIC].iter().all(|&s| s),
            "kinds never generated: {seen:?}"
        );
        assert!(big * 2 >= n, "only {big} of {n} programs have 3–4 threads");
    }

    #[test]
    fn arbitrary_makes_well_formed_programs_of_every_kind() {
        // A fixed pseudo-random byte stream (xorshift), chopped into fuzz-like inputs.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut seen = [false; KINDS];
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let p = Program::arbitrary(&mut Unstructured::new(&bytes)).expect("enough bytes");
            check_shape(&p, &mut seen);
        }
        assert!(
            seen[..PANIC].iter().all(|&s| s),
            "kinds never generated: {seen:?}"
        );
    }

    #[test]
    fn panicking_programs_are_well_formed_and_mostly_panic() {
        let mut runner = TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(11),
            ..Config::default()
        });
        let strategy = panicking_program();
        let (mut panicking, mut in_a_lock, mut in_a_child) = (0, 0, 0);
        for _ in 0..1000 {
            let p = strategy.new_tree(&mut runner).expect("generates").current();
            p.validate()
                .unwrap_or_else(|e| panic!("ill-formed program ({e}):\n{p}"));
            let text = format!("{p:?}");
            panicking += usize::from(text.contains("Panic"));
            in_a_lock += usize::from(text.contains("Panic]") && text.contains("Locked"));
            in_a_child += usize::from(
                p.threads
                    .iter()
                    .flatten()
                    .any(|i| matches!(i, Instr::Spawn(b) if panics(b))),
            );
        }
        assert!(panicking >= 950, "only {panicking} of 1000 panic");
        assert!(in_a_lock >= 50, "only {in_a_lock} panic inside a lock");
        assert!(in_a_child >= 10, "only {in_a_child} panic in a child");
    }

    #[test]
    fn validate_rejects_ill_formed_programs() {
        use Instr::*;
        let bad = [
            vec![ReadData],
            vec![Locked(1, vec![WaitOnce])],
            vec![WaitTimeoutOnce],
            vec![Locked(1, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![Locked(1, vec![WaitTimeoutOnce])])],
            vec![Spawn(vec![WaitTimeoutOnce])],
            vec![Locked(
                0,
                vec![WaitTimeoutOnce, WaitTimeoutOnce, WaitTimeoutOnce],
            )],
            vec![Locked(0, vec![Locked(1, vec![WaitWhileZero])])],
            vec![Locked(0, vec![TryLocked(0, vec![])])],
            vec![Locked(0, vec![Spawn(vec![])])],
            vec![Spawn(vec![Spawn(vec![])])],
            vec![Spawn(vec![JoinChildren])],
            vec![Load(2)],
            vec![Spawn(vec![Panic]), Panic],
            vec![Locked(1, vec![Panic]), Spawn(vec![])],
        ];
        for t in bad {
            let p = Program { threads: vec![t] };
            assert!(p.validate().is_err(), "accepted {p:?}");
        }
    }

    #[test]
    fn shrinking_keeps_programs_well_formed_and_smaller() {
        use Instr::*;
        let p = Program {
            threads: vec![
                vec![Locked(0, vec![Locked(1, vec![ReadData]), WaitOnce])],
                vec![Spawn(vec![Store(1, 2)]), NotifyAll],
                vec![Cas(1, 1, 2)],
            ],
        };
        let candidates = p.shrink_candidates();
        assert!(!candidates.is_empty());
        for c in candidates {
            assert!(c.validate().is_ok(), "{c:?}");
            assert!(c.size() <= p.size(), "{c:?}");
        }
    }

    #[test]
    fn printing() {
        use Instr::*;
        let p = Program {
            threads: vec![
                vec![Locked(0, vec![WaitWhileZero, ReadData])],
                vec![Locked(0, vec![WaitTimeoutOnce])],
                vec![
                    TryLocked(1, vec![AddData]),
                    Spawn(vec![Load(0)]),
                    JoinChildren,
                ],
            ],
        };
        assert_eq!(
            format!("{p:?}"),
            "Program { threads: vec![vec![Locked(0, vec![WaitWhileZero, ReadData])], \
             vec![Locked(0, vec![WaitTimeoutOnce])], \
             vec![TryLocked(1, vec![AddData]), Spawn(vec![Load(0)]), JoinChildren]] }"
        );
        let text = p.to_string();
        assert!(
            text.contains("while *g0 == 0 { g0 = c0.wait(g0).unwrap_or_else(into_inner); }"),
            "{text}"
        );
        assert!(
            text.contains("if let Some(mut g1) = got(m1.try_lock()) {"),
            "{text}"
        );
        assert!(
            text.contains(
                "let (g, r) = c0.wait_timeout(g0, Duration::from_secs(1)).unwrap_or_else(into_inner); g0 = g; \
                 record(r.timed_out() as u64);"
            ),
            "{text}"
        );
    }
}
