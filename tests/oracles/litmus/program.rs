//! The litmus language: a few threads of straight-line atomic operations on up to three
//! locations (`x`, `y`, `z`, all initially 0), and the outcome of running them.
//!
//! A program has no control flow and stores only constants, so every thread's operations
//! are fixed in advance: an execution differs from another only in the values its reads
//! return (and hence in whether a compare-exchange writes, and what a fetch-add writes).
//!
//! `Debug` prints a program as a Rust expression that can be pasted back into a test
//! (with `use program::{Loc::*, Mode::*, Op::*}`); `Display` prints it as Rust-like code.

use std::fmt;

use proptest::prelude::*;

/// One of the (at most three) shared locations; all start at 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Loc {
    /// Location `x` (index 0).
    X,
    /// Location `y` (index 1).
    Y,
    /// Location `z` (index 2).
    Z,
}

impl Loc {
    /// Every location, in index order.
    pub const ALL: [Loc; 3] = [Loc::X, Loc::Y, Loc::Z];

    /// The location's index: x = 0, y = 1, z = 2.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The location's name in printed programs.
    pub fn name(self) -> &'static str {
        ["x", "y", "z"][self.index()]
    }
}

/// A memory ordering, named as in `std::sync::atomic::Ordering`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// `Ordering::Relaxed`.
    Relaxed,
    /// `Ordering::Acquire`.
    Acquire,
    /// `Ordering::Release`.
    Release,
    /// `Ordering::AcqRel`.
    AcqRel,
    /// `Ordering::SeqCst`.
    SeqCst,
}

impl Mode {
    /// Every ordering.
    pub const ALL: [Mode; 5] = [
        Mode::Relaxed,
        Mode::Acquire,
        Mode::Release,
        Mode::AcqRel,
        Mode::SeqCst,
    ];
    /// The orderings std accepts for a load (and for a compare-exchange's failure).
    pub const LOAD: [Mode; 3] = [Mode::Relaxed, Mode::Acquire, Mode::SeqCst];
    /// The orderings std accepts for a store.
    pub const STORE: [Mode; 3] = [Mode::Relaxed, Mode::Release, Mode::SeqCst];
    /// The orderings std accepts for a fence (a `Relaxed` fence panics).
    pub const FENCE: [Mode; 4] = [Mode::Acquire, Mode::Release, Mode::AcqRel, Mode::SeqCst];
}

/// One operation of a thread.
///
/// Every operation that reads (a load, and the read half of every read-modify-write)
/// records what it read in the thread's next register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `let r = loc.load(mode)`: records the value read.
    Load(Loc, Mode),
    /// `loc.store(value, mode)`.
    Store(Loc, u64, Mode),
    /// `let r = loc.fetch_add(addend, mode)`: records the value read (the generator
    /// always adds 1; ported tests keep their own addend).
    FetchAdd(Loc, u64, Mode),
    /// `let r = loc.swap(value, mode)`: records the value read.
    Swap(Loc, u64, Mode),
    /// `let r = loc.compare_exchange(expected, new, success, failure)`: records
    /// `Ok(read)` or `Err(read)`.
    Cas(Loc, u64, u64, Mode, Mode),
    /// `fence(mode)`.
    Fence(Mode),
}

impl Op {
    /// The location the operation accesses (none for a fence).
    pub fn loc(&self) -> Option<Loc> {
        match *self {
            Op::Load(l, _)
            | Op::Store(l, _, _)
            | Op::FetchAdd(l, _, _)
            | Op::Swap(l, _, _)
            | Op::Cas(l, _, _, _, _) => Some(l),
            Op::Fence(_) => None,
        }
    }

    /// Whether the operation reads (and so fills a register).
    pub fn reads(&self) -> bool {
        !matches!(self, Op::Store(..) | Op::Fence(_))
    }

    /// Whether the operation may write (a compare-exchange writes only when it succeeds).
    pub fn may_write(&self) -> bool {
        !matches!(self, Op::Load(..) | Op::Fence(_))
    }

    /// Every ordering the operation uses.
    pub fn modes(&self) -> Vec<Mode> {
        match *self {
            Op::Load(_, m)
            | Op::Store(_, _, m)
            | Op::FetchAdd(_, _, m)
            | Op::Swap(_, _, m)
            | Op::Fence(m) => vec![m],
            Op::Cas(_, _, _, s, f) => vec![s, f],
        }
    }

    /// Whether std accepts the orderings (std panics for, e.g., a `Release` load).
    pub fn is_legal(&self) -> bool {
        match *self {
            Op::Load(_, m) => Mode::LOAD.contains(&m),
            Op::Store(_, _, m) => Mode::STORE.contains(&m),
            Op::FetchAdd(..) | Op::Swap(..) => true,
            Op::Cas(_, _, _, _, f) => Mode::LOAD.contains(&f),
            Op::Fence(m) => Mode::FENCE.contains(&m),
        }
    }

    /// The same operation with every ordering replaced by the strongest legal one
    /// (`SeqCst`).
    pub fn to_seq_cst(self) -> Op {
        use Mode::SeqCst;
        match self {
            Op::Load(l, _) => Op::Load(l, SeqCst),
            Op::Store(l, v, _) => Op::Store(l, v, SeqCst),
            Op::FetchAdd(l, a, _) => Op::FetchAdd(l, a, SeqCst),
            Op::Swap(l, v, _) => Op::Swap(l, v, SeqCst),
            Op::Cas(l, e, n, _, _) => Op::Cas(l, e, n, SeqCst, SeqCst),
            Op::Fence(_) => Op::Fence(SeqCst),
        }
    }
}

/// A litmus program: the threads' operations (thread `i` is `threads[i]`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Program {
    /// Each thread's operations, in program order.
    pub threads: Vec<Vec<Op>>,
}

impl Program {
    /// A program from its threads' operations.
    pub fn new(threads: Vec<Vec<Op>>) -> Program {
        Program { threads }
    }

    /// Every operation, with its thread and its index in the thread.
    pub fn ops(&self) -> impl Iterator<Item = (usize, usize, Op)> + '_ {
        self.threads
            .iter()
            .enumerate()
            .flat_map(|(t, ops)| ops.iter().enumerate().map(move |(i, &op)| (t, i, op)))
    }

    /// Whether every operation uses `SeqCst` only (then racelab's default model is SC).
    pub fn all_seq_cst(&self) -> bool {
        self.ops()
            .all(|(_, _, op)| op.modes().iter().all(|&m| m == Mode::SeqCst))
    }

    /// The same program with every ordering made `SeqCst`.
    pub fn to_seq_cst(&self) -> Program {
        Program::new(
            self.threads
                .iter()
                .map(|ops| ops.iter().map(|op| op.to_seq_cst()).collect())
                .collect(),
        )
    }

    /// Whether every operation's orderings are legal for std.
    pub fn is_legal(&self) -> bool {
        self.ops().all(|(_, _, op)| op.is_legal())
    }

    /// The number of operations.
    pub fn op_count(&self) -> usize {
        self.threads.iter().map(Vec::len).sum()
    }

    /// How many `rf` choices the oracle considers at most: the product, over the reads,
    /// of the number of writes each may read from (the initial one included).
    pub fn rf_space(&self) -> u64 {
        self.ops()
            .filter(|(_, _, op)| op.reads())
            .map(|(_, _, op)| {
                let writers = self
                    .ops()
                    .filter(|(_, _, w)| w.may_write() && w.loc() == op.loc())
                    .count();
                1 + writers as u64
            })
            .product()
    }
}

/// What a read recorded in its register.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reg {
    /// A load's, swap's or fetch-add's value.
    Val(u64),
    /// A compare-exchange that succeeded (it read the expected value).
    Ok(u64),
    /// A compare-exchange that failed, with the value it read.
    Err(u64),
}

impl fmt::Debug for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reg::Val(v) => write!(f, "{v}"),
            Reg::Ok(v) => write!(f, "Ok({v})"),
            Reg::Err(v) => write!(f, "Err({v})"),
        }
    }
}

/// The outcome of one run: each thread's registers, and each location's final value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome {
    /// `regs[t]` is thread `t`'s registers, in program order.
    pub regs: Vec<Vec<Reg>>,
    /// The final values of x, y, z.
    pub finals: [u64; 3],
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, regs) in self.regs.iter().enumerate() {
            write!(f, "T{t}:{regs:?} ")?;
        }
        write!(
            f,
            "x={} y={} z={}",
            self.finals[0], self.finals[1], self.finals[2]
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl fmt::Debug for Program {
    /// A Rust expression that rebuilds the program (with `Loc::*, Mode::*, Op::*` in
    /// scope).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Program::new(vec![")?;
        for (t, ops) in self.threads.iter().enumerate() {
            if t > 0 {
                write!(f, ", ")?;
            }
            write!(f, "vec![")?;
            for (i, op) in ops.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{op:?}")?;
            }
            write!(f, "]")?;
        }
        write!(f, "])")
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Op::Load(l, m) => write!(f, "{}.load({m:?})", l.name()),
            Op::Store(l, v, m) => write!(f, "{}.store({v}, {m:?})", l.name()),
            Op::FetchAdd(l, a, m) => write!(f, "{}.fetch_add({a}, {m:?})", l.name()),
            Op::Swap(l, v, m) => write!(f, "{}.swap({v}, {m:?})", l.name()),
            Op::Cas(l, e, n, s, fl) => {
                write!(f, "{}.compare_exchange({e}, {n}, {s:?}, {fl:?})", l.name())
            }
            Op::Fence(m) => write!(f, "fence({m:?})"),
        }
    }
}

impl fmt::Display for Program {
    /// Rust-like code: one line per thread, registers named `r<thread>_<n>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (t, ops) in self.threads.iter().enumerate() {
            write!(f, "T{t}: ")?;
            let mut reg = 0;
            for op in ops {
                if op.reads() {
                    write!(f, "let r{t}_{reg} = {op}; ")?;
                    reg += 1;
                } else {
                    write!(f, "{op}; ")?;
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The proptest strategy for one ordering legal for `kind` (0 load, 1 store, 2 rmw,
/// 3 fence), or `SeqCst` only when `seq_cst` is set.
fn mode_for(kind: usize, seq_cst: bool) -> BoxedStrategy<Mode> {
    if seq_cst {
        return Just(Mode::SeqCst).boxed();
    }
    let modes: &'static [Mode] = match kind {
        0 => &Mode::LOAD,
        1 => &Mode::STORE,
        2 => &Mode::ALL,
        _ => &Mode::FENCE,
    };
    // Uniform among the legal orderings.
    proptest::sample::select(modes).boxed()
}

/// The strategy for one operation on the first `locs` locations.
fn op_strategy(locs: usize, seq_cst: bool) -> BoxedStrategy<Op> {
    let loc = proptest::sample::select(&Loc::ALL[..locs]);
    let load = (loc.clone(), mode_for(0, seq_cst)).prop_map(|(l, m)| Op::Load(l, m));
    let store =
        (loc.clone(), 1u64..=2, mode_for(1, seq_cst)).prop_map(|(l, v, m)| Op::Store(l, v, m));
    let fetch_add = (loc.clone(), mode_for(2, seq_cst)).prop_map(|(l, m)| Op::FetchAdd(l, 1, m));
    let swap =
        (loc.clone(), 1u64..=2, mode_for(2, seq_cst)).prop_map(|(l, v, m)| Op::Swap(l, v, m));
    let cas = (
        loc,
        0u64..=2,
        1u64..=3,
        mode_for(2, seq_cst),
        mode_for(0, seq_cst),
    )
        .prop_map(|(l, e, n, s, f)| Op::Cas(l, e, n, s, f));
    let fence = mode_for(3, seq_cst).prop_map(Op::Fence);
    prop_oneof![
        35 => load,
        30 => store,
        8 => fetch_add,
        6 => swap,
        10 => cas,
        11 => fence,
    ]
    .boxed()
}

/// The largest [`Program::rf_space`] a generated program may have: about one program in
/// a hundred is larger (many reads and writes of one location), and the largest take
/// the oracle (and racelab) minutes.
pub const MAX_RF_SPACE: u64 = 100_000;

/// Small programs: 2–4 threads (mostly 2–3) of 1–4 operations (mostly 1–3) on 1–3
/// locations; one program in five uses `SeqCst` only; at most [`MAX_RF_SPACE`] `rf`
/// choices.
pub fn program_strategy() -> impl Strategy<Value = Program> {
    let threads = prop_oneof![50 => Just(2usize), 42 => Just(3usize), 8 => Just(4usize)];
    let locs = prop_oneof![20 => Just(1usize), 50 => Just(2usize), 30 => Just(3usize)];
    let seq_cst = prop_oneof![80 => Just(false), 20 => Just(true)];
    (threads, locs, seq_cst).prop_flat_map(|(threads, locs, seq_cst)| {
        let len = prop_oneof![25 => Just(1usize), 40 => Just(2usize), 25 => Just(3usize), 10 => Just(4usize)];
        let thread = len.prop_flat_map(move |n| proptest::collection::vec(op_strategy(locs, seq_cst), n));
        proptest::collection::vec(thread, threads).prop_map(Program::new)
    })
    .prop_filter("too many rf choices for the oracle", |p| {
        p.rf_space() <= MAX_RF_SPACE
    })
}
