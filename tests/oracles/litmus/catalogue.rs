//! The litmus catalogue: classic tests with their RC11 verdicts, and GenMC's litmus tests
//! ported to the litmus language with GenMC's recorded execution counts.
//!
//! **Classic tests.** Each row is a program, an outcome of interest and whether RC11
//! allows it, with a one-line reason in the terms of Lahav et al., "Repairing Sequential
//! Consistency in C/C++11", PLDI 2017 (RC11), §3: the axioms COHERENCE (`hb;eco?`
//! irreflexive), ATOMICITY, SC (`psc` acyclic) and NO-THIN-AIR (`sb ∪ rf` acyclic). The
//! test shapes and names are the standard ones (herd7's naming, Alglave, Maranget and
//! Tautschnig, "Herding Cats", TOPLAS 2014); the C11 examples are those of Batty, Owens,
//! Sarkar, Sewell and Weber, "Mathematizing C++ Concurrency", POPL 2011; the verdicts
//! were worked out by hand from the RC11 axioms (each reason names the axiom), and agree
//! with GenMC's counts where GenMC has the same test.
//!
//! **GenMC's tests** (`/work/ref/genmc/tests/correct/litmus/<name>/`): each port keeps
//! the test's threads in creation order (the first variant's `main`), its orderings
//! (C's plain `_Atomic` accesses and the non-`_explicit` functions are `seq_cst`) and its
//! values; the locations are renamed x, y, z in declaration order. Its counts are the
//! first line of `expected.rc11.mo.in` (RC11 with explicit coherence) and of
//! `expected.sc.mo.in` (SC), the number of complete executions GenMC explores. Tests
//! outside the language were skipped (52 of 111): control flow or `assume` (LB+ctrl,
//! LB+ctrl+rel, MP+rel+acq, MPU*, S+rel+acq, RMWFix, ori, TC1, TC2, assume-ctrl, psc-*,
//! WWR+2WR, W+JW), stores of a register's value (IRIWish, WRC+dep, cumul-release, detour,
//! po-loc, rfi-preserved, rel-B-cumul-acq, casdep, LB+dep, LB+addr*), non-atomic
//! locations (MP+rel*, S+rel*), more than three locations (MP2, LB+incMPs) or more than
//! four threads (inc+inc+RR+W+RR), and malloc (malloc-dep).

use super::program::{Loc, Loc::*, Mode::*, Op::*, Outcome, Program, Reg};

/// An outcome of interest: some registers' values and some final values.
#[derive(Clone, Debug)]
pub struct Cond {
    /// `(thread, register, value)`.
    pub regs: Vec<(usize, usize, Reg)>,
    /// `(location, final value)`.
    pub finals: Vec<(Loc, u64)>,
}

impl Cond {
    /// Whether `o` has every value the condition names.
    pub fn holds(&self, o: &Outcome) -> bool {
        self.regs
            .iter()
            .all(|&(t, r, v)| o.regs.get(t).and_then(|regs| regs.get(r)) == Some(&v))
            && self.finals.iter().all(|&(l, v)| o.finals[l.index()] == v)
    }
}

impl Cond {
    /// Whether every register the condition names exists, and every value it names is
    /// one the program can produce there (0, a value some operation writes to that
    /// location, or anything on a location with a fetch-add).
    pub fn well_formed(&self, p: &Program) -> Result<(), String> {
        let possible = |l: Loc, v: u64| {
            v == 0
                || p.ops().any(|(_, _, op)| match op {
                    super::program::Op::Store(m, w, _) | super::program::Op::Swap(m, w, _) => {
                        m == l && w == v
                    }
                    super::program::Op::Cas(m, _, n, _, _) => m == l && n == v,
                    super::program::Op::FetchAdd(m, _, _) => m == l,
                    _ => false,
                })
        };
        for &(t, r, reg) in &self.regs {
            let op = p
                .threads
                .get(t)
                .and_then(|ops| ops.iter().filter(|op| op.reads()).nth(r))
                .ok_or(format!("thread {t} has no register {r}"))?;
            let v = match reg {
                Reg::Val(v) | Reg::Ok(v) | Reg::Err(v) => v,
            };
            if !possible(op.loc().unwrap(), v) {
                return Err(format!("r{t}_{r} cannot be {v}"));
            }
        }
        for &(l, v) in &self.finals {
            if !possible(l, v) {
                return Err(format!("{} cannot end as {v}", l.name()));
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Cond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self
            .regs
            .iter()
            .map(|&(t, r, v)| format!("r{t}_{r}={v:?}"))
            .collect();
        parts.extend(
            self.finals
                .iter()
                .map(|&(l, v)| format!("{}={v}", l.name())),
        );
        write!(f, "{}", parts.join(" ∧ "))
    }
}

/// Registers holding plain values: `(thread, register, value)`.
fn regs(values: &[(usize, usize, u64)]) -> Cond {
    Cond {
        regs: values
            .iter()
            .map(|&(t, r, v)| (t, r, Reg::Val(v)))
            .collect(),
        finals: Vec::new(),
    }
}

impl Cond {
    /// The condition with the final value of `l` required too.
    fn and_final(mut self, l: Loc, v: u64) -> Cond {
        self.finals.push((l, v));
        self
    }
}

/// One classic test: a program, an outcome, and RC11's verdict on it.
#[derive(Clone, Debug)]
pub struct Row {
    /// The test's name (shape + orderings).
    pub name: &'static str,
    /// The program.
    pub program: Program,
    /// The outcome of interest.
    pub outcome: Cond,
    /// Whether RC11 allows it.
    pub allowed: bool,
    /// Why, in one line.
    pub why: &'static str,
    /// Where the test (and its verdict) comes from.
    pub source: &'static str,
}

/// RC11 allows the outcome.
const ALLOWED: bool = true;
/// RC11 forbids the outcome.
const FORBIDDEN: bool = false;

/// Citation: the test shapes' standard names.
const HERD: &str = "herd7 litmus naming (Alglave et al., TOPLAS 2014)";
/// Citation: the C11 formalisation and its examples.
const BATTY: &str = "Batty et al., Mathematizing C++ Concurrency, POPL 2011";
/// Citation: the RC11 model's definitions (the verdict follows from its axioms).
const RC11: &str = "Lahav et al., Repairing SC in C/C++11, PLDI 2017, §3";
/// Citation: the RC11 paper's motivating examples.
const RC11_EX: &str = "Lahav et al., Repairing SC in C/C++11, PLDI 2017, §2 (examples)";

/// A classic row from its parts.
fn row(
    name: &'static str,
    threads: Vec<Vec<super::program::Op>>,
    outcome: Cond,
    allowed: bool,
    why: &'static str,
    source: &'static str,
) -> Row {
    Row {
        name,
        program: Program::new(threads),
        outcome,
        allowed,
        why,
        source,
    }
}

/// The classic litmus tests with their RC11 verdicts.
pub fn classic() -> Vec<Row> {
    // MP: T0 writes data then flag; T1 reads flag then data. Outcome: flag seen, data not.
    let mp = regs(&[(1, 0, 1), (1, 1, 0)]);
    // SB: each thread writes its location then reads the other's. Outcome: both read 0.
    let sb = regs(&[(0, 0, 0), (1, 0, 0)]);
    // LB: each thread reads then writes. Outcome: both read the other's (later) write.
    let lb = regs(&[(0, 0, 1), (1, 0, 1)]);
    // IRIW: two writers, two readers disagreeing on the order of the writes.
    let iriw = regs(&[(2, 0, 1), (2, 1, 0), (3, 0, 1), (3, 1, 0)]);
    // WRC: T1 sees x=1 and writes y; T2 sees y=1 but not x=1.
    let wrc = regs(&[(1, 0, 1), (2, 0, 1), (2, 1, 0)]);
    // 2+2W: both locations end with the value written first in program order.
    let w22 = regs(&[]).and_final(X, 1).and_final(Y, 1);
    // R: T1's y write is mo-after T0's, yet T1 misses T0's x.
    let r = regs(&[(1, 0, 0)]).and_final(Y, 2);
    // S: T1 sees T0's y, yet T1's x write is mo-before T0's.
    let s = regs(&[(1, 0, 1)]).and_final(X, 2);

    vec![
        // ---- MP
        row(
            "MP+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Load(X, Relaxed)],
            ],
            mp.clone(),
            ALLOWED,
            "no release/acquire: nothing makes W x hb R x",
            BATTY,
        ),
        row(
            "MP+rel+acq",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Load(X, Relaxed)],
            ],
            mp.clone(),
            FORBIDDEN,
            "COHERENCE: W y sw R y, so W x hb R x, and R x rb W x",
            BATTY,
        ),
        row(
            "MP+rel+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Relaxed), Load(X, Relaxed)],
            ],
            mp.clone(),
            ALLOWED,
            "sw needs an acquire read or fence on T1's side",
            RC11,
        ),
        row(
            "MP+rlx+acq",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Acquire), Load(X, Relaxed)],
            ],
            mp.clone(),
            ALLOWED,
            "sw needs a release write or fence on T0's side",
            RC11,
        ),
        row(
            "MP+sc",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 1, SeqCst)],
                vec![Load(Y, SeqCst), Load(X, SeqCst)],
            ],
            mp.clone(),
            FORBIDDEN,
            "COHERENCE: SC accesses synchronise like release/acquire",
            BATTY,
        ),
        row(
            "MP+fences",
            vec![
                vec![Store(X, 1, Relaxed), Fence(Release), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Fence(Acquire), Load(X, Relaxed)],
            ],
            mp.clone(),
            FORBIDDEN,
            "COHERENCE: fence sw ([F];sb;rs;rf;sb;[F]) makes W x hb R x",
            RC11,
        ),
        row(
            "MP+relfence+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Fence(Release), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Load(X, Relaxed)],
            ],
            mp.clone(),
            ALLOWED,
            "a release fence alone synchronises with no one",
            RC11,
        ),
        row(
            "MP+rels",
            vec![
                vec![
                    Store(X, 1, Relaxed),
                    Store(Y, 1, Release),
                    Store(Y, 2, Relaxed),
                ],
                vec![Load(Y, Acquire), Load(X, Relaxed)],
            ],
            regs(&[(1, 0, 2), (1, 1, 0)]),
            FORBIDDEN,
            "COHERENCE: rs includes the releasing thread's later writes to y (sb|loc)",
            RC11,
        ),
        row(
            "MP+relseq-rmw",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Release)],
                vec![FetchAdd(Y, 1, Relaxed)],
                vec![Load(Y, Acquire), Load(X, Relaxed)],
            ],
            regs(&[(1, 0, 1), (2, 0, 2), (2, 1, 0)]),
            FORBIDDEN,
            "COHERENCE: rs continues through rf;rmw, so W y1 sw R y2",
            RC11,
        ),
        // ---- SB
        row(
            "SB+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Load(X, Relaxed)],
            ],
            sb.clone(),
            ALLOWED,
            "no axiom orders a write before a later read of another location",
            BATTY,
        ),
        row(
            "SB+rel+acq",
            vec![
                vec![Store(X, 1, Release), Load(Y, Acquire)],
                vec![Store(Y, 1, Release), Load(X, Acquire)],
            ],
            sb.clone(),
            ALLOWED,
            "release/acquire gives no hb here: no read sees the other thread",
            BATTY,
        ),
        row(
            "SB+sc",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, SeqCst)],
            ],
            sb.clone(),
            FORBIDDEN,
            "SC: W x sb R y rb W y sb R x rb W x is a psc_base cycle",
            BATTY,
        ),
        row(
            "SB+scfences",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            sb.clone(),
            FORBIDDEN,
            "SC: F0 (sb;rb;sb) F1 and back, a psc_F cycle",
            RC11,
        ),
        row(
            "SB+scfence+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Load(X, Relaxed)],
            ],
            sb.clone(),
            ALLOWED,
            "one SC fence has no other SC event to form a psc cycle with",
            RC11,
        ),
        row(
            "SB+3sc+acq",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, Acquire)],
            ],
            sb.clone(),
            ALLOWED,
            "psc_base edges need SC ends: the acquire read breaks the cycle",
            RC11,
        ),
        row(
            "SB+2sc+scf",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            sb.clone(),
            FORBIDDEN,
            "SC: R y rb W y sb F and F sb R x rb W x sb R y: psc_base cycle through the fence",
            RC11,
        ),
        // ---- LB
        row(
            "LB+rlx",
            vec![
                vec![Load(X, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Store(X, 1, Relaxed)],
            ],
            lb.clone(),
            FORBIDDEN,
            "NO-THIN-AIR: sb ∪ rf cycle (C11 allows it; RC11 forbids)",
            RC11,
        ),
        row(
            "LB+acq+rel",
            vec![
                vec![Load(X, Acquire), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Store(X, 1, Release)],
            ],
            lb.clone(),
            FORBIDDEN,
            "COHERENCE: each read is hb-before the write it reads from",
            BATTY,
        ),
        row(
            "LB+sc",
            vec![
                vec![Load(X, SeqCst), Store(Y, 1, SeqCst)],
                vec![Load(Y, SeqCst), Store(X, 1, SeqCst)],
            ],
            lb.clone(),
            FORBIDDEN,
            "COHERENCE: hb cycle through sw",
            BATTY,
        ),
        row(
            "LB+fences",
            vec![
                vec![Load(X, Relaxed), Fence(AcqRel), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Fence(AcqRel), Store(X, 1, Relaxed)],
            ],
            lb.clone(),
            FORBIDDEN,
            "COHERENCE: fence sw both ways gives an hb cycle",
            RC11,
        ),
        // ---- IRIW
        row(
            "IRIW+rlx",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Store(Y, 1, Relaxed)],
                vec![Load(X, Relaxed), Load(Y, Relaxed)],
                vec![Load(Y, Relaxed), Load(X, Relaxed)],
            ],
            iriw.clone(),
            ALLOWED,
            "relaxed reads of different locations are unordered",
            BATTY,
        ),
        row(
            "IRIW+rel+acq",
            vec![
                vec![Store(X, 1, Release)],
                vec![Store(Y, 1, Release)],
                vec![Load(X, Acquire), Load(Y, Acquire)],
                vec![Load(Y, Acquire), Load(X, Acquire)],
            ],
            iriw.clone(),
            ALLOWED,
            "release/acquire is not multi-copy atomic: no psc without SC events",
            BATTY,
        ),
        row(
            "IRIW+sc",
            vec![
                vec![Store(X, 1, SeqCst)],
                vec![Store(Y, 1, SeqCst)],
                vec![Load(X, SeqCst), Load(Y, SeqCst)],
                vec![Load(Y, SeqCst), Load(X, SeqCst)],
            ],
            iriw.clone(),
            FORBIDDEN,
            "SC: R x sb R y rb W y (hb) R y sb R x rb W x (hb) R x: psc_base cycle",
            BATTY,
        ),
        row(
            "IRIW+scfences",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Store(Y, 1, Relaxed)],
                vec![Load(X, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Load(Y, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            iriw.clone(),
            FORBIDDEN,
            "SC: F2 (sb;rb;rf;sb) F3 and back, a psc_F cycle (RC11's stronger fences)",
            RC11,
        ),
        row(
            "IRIW-acq-sc",
            vec![
                vec![Store(X, 1, SeqCst)],
                vec![Store(Y, 1, SeqCst)],
                vec![Load(X, Acquire), Load(Y, SeqCst)],
                vec![Load(Y, Acquire), Load(X, SeqCst)],
            ],
            iriw.clone(),
            ALLOWED,
            "scb has no edge from the acquire reads: C11 forbade it, Power allows it, RC11 allows it",
            RC11_EX,
        ),
        // ---- WRC
        row(
            "WRC+rlx",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Load(X, Relaxed)],
            ],
            wrc.clone(),
            ALLOWED,
            "no hb from T1's read of x to T2's",
            BATTY,
        ),
        row(
            "WRC+rel+acq",
            vec![
                vec![Store(X, 1, Release)],
                vec![Load(X, Acquire), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Load(X, Acquire)],
            ],
            wrc.clone(),
            FORBIDDEN,
            "COHERENCE: hb is transitive (W x hb R x of T2), and R x rb W x",
            BATTY,
        ),
        row(
            "WRC+rlx+rel+acq",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Load(X, Relaxed)],
            ],
            wrc.clone(),
            FORBIDDEN,
            "COHERENCE: T1's R x hb T2's R x (sb;sw;sb), so T2 cannot read older (CoRR)",
            RC11,
        ),
        row(
            "WRC+sc",
            vec![
                vec![Store(X, 1, SeqCst)],
                vec![Load(X, SeqCst), Store(Y, 1, SeqCst)],
                vec![Load(Y, SeqCst), Load(X, SeqCst)],
            ],
            wrc.clone(),
            FORBIDDEN,
            "COHERENCE: as with release/acquire",
            BATTY,
        ),
        row(
            "WRC+fences",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Fence(AcqRel), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Fence(Acquire), Load(X, Relaxed)],
            ],
            wrc.clone(),
            FORBIDDEN,
            "COHERENCE: fence sw makes T1's R x hb T2's R x (CoRR)",
            RC11,
        ),
        // ---- 2+2W
        row(
            "2+2W+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 2, Relaxed)],
                vec![Store(Y, 1, Relaxed), Store(X, 2, Relaxed)],
            ],
            w22.clone(),
            ALLOWED,
            "sb ∪ mo cycles are not forbidden without SC events",
            HERD,
        ),
        row(
            "2+2W+rel",
            vec![
                vec![Store(X, 1, Release), Store(Y, 2, Release)],
                vec![Store(Y, 1, Release), Store(X, 2, Release)],
            ],
            w22.clone(),
            ALLOWED,
            "release writes alone create no sw (no reads)",
            RC11,
        ),
        row(
            "2+2W+sc",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 2, SeqCst)],
                vec![Store(Y, 1, SeqCst), Store(X, 2, SeqCst)],
            ],
            w22.clone(),
            FORBIDDEN,
            "SC: sb ∪ mo cycle among SC writes is a psc_base cycle",
            RC11,
        ),
        row(
            "2+2W+scfences",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Store(Y, 2, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Store(X, 2, Relaxed)],
            ],
            w22.clone(),
            FORBIDDEN,
            "SC: F0 (sb;mo;sb) F1 and back, a psc_F cycle",
            RC11,
        ),
        // ---- R
        row(
            "R+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Relaxed)],
                vec![Store(Y, 2, Relaxed), Load(X, Relaxed)],
            ],
            r.clone(),
            ALLOWED,
            "mo between the y writes creates no hb",
            HERD,
        ),
        row(
            "R+rel+acq",
            vec![
                vec![Store(X, 1, Release), Store(Y, 1, Release)],
                vec![Store(Y, 2, Release), Load(X, Acquire)],
            ],
            r.clone(),
            ALLOWED,
            "no read sees another thread, so no sw",
            HERD,
        ),
        row(
            "R+sc",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 1, SeqCst)],
                vec![Store(Y, 2, SeqCst), Load(X, SeqCst)],
            ],
            r.clone(),
            FORBIDDEN,
            "SC: W x sb W y mo W y sb R x rb W x: psc_base cycle",
            RC11,
        ),
        row(
            "R+scfences",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Store(Y, 1, Relaxed)],
                vec![Store(Y, 2, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            r.clone(),
            FORBIDDEN,
            "SC: F0 (sb;mo;sb) F1 (sb;rb;sb) F0, a psc_F cycle",
            RC11,
        ),
        // ---- S
        row(
            "S+rlx",
            vec![
                vec![Store(X, 2, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Store(X, 1, Relaxed)],
            ],
            s.clone(),
            ALLOWED,
            "rf of a relaxed write creates no hb",
            HERD,
        ),
        row(
            "S+rel+acq",
            vec![
                vec![Store(X, 2, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Store(X, 1, Relaxed)],
            ],
            s.clone(),
            FORBIDDEN,
            "COHERENCE: W x2 hb W x1 (sb;sw;sb) but W x1 mo W x2",
            HERD,
        ),
        row(
            "S+sc",
            vec![
                vec![Store(X, 2, SeqCst), Store(Y, 1, SeqCst)],
                vec![Load(Y, SeqCst), Store(X, 1, SeqCst)],
            ],
            s.clone(),
            FORBIDDEN,
            "COHERENCE: as with release/acquire",
            HERD,
        ),
        row(
            "S+fences",
            vec![
                vec![Store(X, 2, Relaxed), Fence(Release), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Fence(Acquire), Store(X, 1, Relaxed)],
            ],
            s.clone(),
            FORBIDDEN,
            "COHERENCE: fence sw makes W x2 hb W x1",
            RC11,
        ),
        // ---- Coherence
        row(
            "CoRR+rlx",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Load(X, Relaxed)],
            ],
            regs(&[(1, 0, 1), (1, 1, 0)]),
            FORBIDDEN,
            "COHERENCE: R1 sb R2, R2 rb W rf R1 (hb;eco cycle)",
            BATTY,
        ),
        row(
            "CoRR+rlx/allowed",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Load(X, Relaxed)],
            ],
            regs(&[(1, 0, 0), (1, 1, 1)]),
            ALLOWED,
            "reads may move forward in mo",
            BATTY,
        ),
        row(
            "CoRR+sc",
            vec![
                vec![Store(X, 1, SeqCst)],
                vec![Load(X, SeqCst), Load(X, SeqCst)],
            ],
            regs(&[(1, 0, 1), (1, 1, 0)]),
            FORBIDDEN,
            "COHERENCE, as relaxed",
            BATTY,
        ),
        row(
            "CoRR2+rlx",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Store(X, 2, Relaxed)],
                vec![Load(X, Relaxed), Load(X, Relaxed)],
                vec![Load(X, Relaxed), Load(X, Relaxed)],
            ],
            regs(&[(2, 0, 1), (2, 1, 2), (3, 0, 2), (3, 1, 1)]),
            FORBIDDEN,
            "COHERENCE: the readers would need W1 mo W2 and W2 mo W1",
            HERD,
        ),
        row(
            "CoRW+rlx",
            vec![
                vec![Load(X, Relaxed), Store(X, 1, Relaxed)],
                vec![Store(X, 2, Relaxed)],
            ],
            regs(&[(0, 0, 2)]).and_final(X, 2),
            FORBIDDEN,
            "COHERENCE: R sb W1 mo W2 rf R",
            BATTY,
        ),
        row(
            "CoRW+sc",
            vec![
                vec![Load(X, SeqCst), Store(X, 1, SeqCst)],
                vec![Store(X, 2, SeqCst)],
            ],
            regs(&[(0, 0, 2)]).and_final(X, 2),
            FORBIDDEN,
            "COHERENCE, as relaxed",
            BATTY,
        ),
        row(
            "CoRW1+rlx",
            vec![
                vec![Load(X, Relaxed), Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed)],
            ],
            regs(&[(0, 0, 1)]),
            FORBIDDEN,
            "COHERENCE and NO-THIN-AIR: a read cannot see its thread's later write",
            BATTY,
        ),
        row(
            "CoWR+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Load(X, Relaxed)],
                vec![Store(X, 2, Relaxed)],
            ],
            regs(&[(0, 0, 2)]).and_final(X, 1),
            FORBIDDEN,
            "COHERENCE: W1 sb R, R rb W1 (R reads W2 mo-before W1)",
            BATTY,
        ),
        row(
            "CoWR+rlx/init",
            vec![
                vec![Store(X, 1, Relaxed), Load(X, Relaxed)],
                vec![Store(X, 2, Relaxed)],
            ],
            regs(&[(0, 0, 0)]),
            FORBIDDEN,
            "COHERENCE: the read is hb-after W1, which is mo-after the initial write",
            BATTY,
        ),
        row(
            "CoWR+rlx/allowed",
            vec![
                vec![Store(X, 1, Relaxed), Load(X, Relaxed)],
                vec![Store(X, 2, Relaxed)],
            ],
            regs(&[(0, 0, 2)]).and_final(X, 2),
            ALLOWED,
            "W2 mo-after W1 may be read",
            BATTY,
        ),
        row(
            "CoWR+sc",
            vec![
                vec![Store(X, 1, SeqCst), Load(X, SeqCst)],
                vec![Store(X, 2, SeqCst)],
            ],
            regs(&[(0, 0, 2)]).and_final(X, 1),
            FORBIDDEN,
            "COHERENCE, as relaxed",
            BATTY,
        ),
        row(
            "CoWW+rlx",
            vec![
                vec![Store(X, 1, Relaxed), Store(X, 2, Relaxed)],
                vec![Load(X, Relaxed)],
            ],
            regs(&[]).and_final(X, 1),
            FORBIDDEN,
            "COHERENCE: W1 sb W2 so W1 mo W2 (else W1 hb W2 mo W1)",
            BATTY,
        ),
        row(
            "CoWW+sc",
            vec![
                vec![Store(X, 1, SeqCst), Store(X, 2, SeqCst)],
                vec![Load(X, SeqCst)],
            ],
            regs(&[]).and_final(X, 1),
            FORBIDDEN,
            "COHERENCE, as relaxed",
            BATTY,
        ),
        // ---- Read-modify-writes
        row(
            "2xFAI+rlx",
            vec![vec![FetchAdd(X, 1, Relaxed)], vec![FetchAdd(X, 1, Relaxed)]],
            regs(&[(0, 0, 0), (1, 0, 0)]),
            FORBIDDEN,
            "ATOMICITY: one RMW's write would fall between the other's read and write",
            RC11,
        ),
        row(
            "2xCAS+rlx",
            vec![
                vec![Cas(X, 0, 1, Relaxed, Relaxed)],
                vec![Cas(X, 0, 2, Relaxed, Relaxed)],
            ],
            Cond {
                regs: vec![(0, 0, Reg::Ok(0)), (1, 0, Reg::Ok(0))],
                finals: vec![],
            },
            FORBIDDEN,
            "ATOMICITY: both CASes would read the initial write",
            RC11,
        ),
        row(
            "Z6.U",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 1, Release)],
                vec![FetchAdd(Y, 1, SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 3, SeqCst), Load(X, SeqCst)],
            ],
            regs(&[(1, 0, 1), (1, 1, 3), (2, 0, 0)]).and_final(Y, 3),
            ALLOWED,
            "W x hb the FAI but scb has no edge from W x to T1 (no sb|≠loc before the FAI): C11 forbade it",
            RC11_EX,
        ),
        row(
            "RWC+scfences",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            regs(&[(1, 0, 1), (1, 1, 0), (2, 0, 0)]),
            FORBIDDEN,
            "SC: F1 (sb;rb;sb) F2 (sb;rb;rf;sb) F1, a psc_F cycle",
            RC11,
        ),
    ]
}

/// A GenMC litmus test ported to the litmus language, with GenMC's recorded counts.
#[derive(Clone, Debug)]
pub struct Port {
    /// The test's directory under `/work/ref/genmc/tests/correct/litmus/`.
    pub name: &'static str,
    /// The program (threads in creation order, locations renamed x, y, z).
    pub program: Program,
    /// The first line of `expected.rc11.mo.in`: executions under RC11.
    pub rc11: usize,
    /// The first line of `expected.sc.mo.in`: executions under SC.
    pub sc: usize,
}

/// A GenMC test whose recorded RC11 count is not the paper's RC11 count: GenMC 0.10 and
/// later check a variant of RC11 (Kater's `kat/rc11-genmc.kat`; see
/// `rc11::Model::GenmcRc11`). GenMC 0.3 to 0.9 recorded the paper's count for each of
/// these tests (`git log` of `expected.rc11.mo.in`: changed in v0.10.0, eab70f8).
#[derive(Clone, Debug)]
pub struct Difference {
    /// The test's directory name.
    pub name: &'static str,
    /// The number of executions under the paper's RC11 (GenMC ≤ 0.9's record).
    pub paper_rc11: usize,
    /// Which executions the two models disagree on, and why.
    pub why: &'static str,
}

/// The GenMC tests whose recorded RC11 counts come from GenMC's variant of RC11.
pub fn genmc_model_differences() -> Vec<Difference> {
    vec![
        Difference {
            name: "relseq",
            paper_rc11: 16,
            why: "GenMC's release sequences are C++20's ([W];(rf;rmw)*): T2 reading W y2 (or the \
                  swap after it) does not synchronise with W y1, so it may then read x=0 (4 \
                  more executions); the paper's rs continues from W y1 to W y2 by sb|loc",
        },
        Difference {
            name: "WWmerge1",
            paper_rc11: 18,
            why: "GenMC's psc has [SC];sb;hb;sb;[SC] where the paper has sb|≠loc;hb;sb|≠loc: \
                  W x1 sb W x2 sw R x (acq) sb R y gives W x1 → R y, which forbids \
                  T0:[2, 0] T2:[0]; W x1 and W x2 are the same location, so the paper has no \
                  such edge",
        },
        Difference {
            name: "Z6.U",
            paper_rc11: 24,
            why: "same psc difference: W x1 sb W y1 sw R_fai sb W_fai (the FAI's write) gives \
                  W x1 → W_fai in GenMC, forbidding the two executions where the FAI reads \
                  W y1, W y3 is mo-last and T2 reads x=0, among them the paper's own Z6.U \
                  outcome (§2: allowed, as on Power); the paper has no such edge, the FAI's \
                  read and write being the same location",
        },
    ]
}

impl Port {
    /// The citation: the test's directory in GenMC's repository
    /// (<https://github.com/MPI-SWS/genmc>, commit [`GENMC_COMMIT`]).
    pub fn path(&self) -> String {
        format!("{GENMC_LITMUS}/{}", self.name)
    }
}

/// Where GenMC's litmus tests are, inside its repository.
pub const GENMC_LITMUS: &str = "tests/correct/litmus";

/// The commit of GenMC whose counts were ported (2025-04-05).
pub const GENMC_COMMIT: &str = "b03f01ed0f34a873f7b8b960313a5279a6c9ab45";

/// A GenMC port from its parts.
fn port(name: &'static str, threads: Vec<Vec<super::program::Op>>, rc11: usize, sc: usize) -> Port {
    Port {
        name,
        program: Program::new(threads),
        rc11,
        sc,
    }
}

/// GenMC's litmus tests that fit the language, with their recorded execution counts
/// (RC11 and SC, explicit coherence). Comments note what a port changed.
pub fn genmc() -> Vec<Port> {
    vec![
        port(
            "2+2W",
            vec![
                vec![Store(X, 1, Release), Store(Y, 2, Release)],
                vec![Store(Y, 1, Release), Store(X, 2, Release)],
            ],
            4,
            3,
        ),
        port(
            "2+2W+2sc+scf",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 2, SeqCst)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Store(X, 2, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "2+2W+3sc+rel1",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 2, SeqCst)],
                vec![Store(Y, 1, Release), Store(X, 2, SeqCst)],
            ],
            4,
            3,
        ),
        port(
            "2+2W+3sc+rel2",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 2, SeqCst)],
                vec![Store(Y, 1, SeqCst), Store(X, 2, Release)],
            ],
            4,
            3,
        ),
        port(
            "2+2W+4sc",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 2, SeqCst)],
                vec![Store(Y, 1, SeqCst), Store(X, 2, SeqCst)],
            ],
            3,
            3,
        ),
        port(
            "2+2W+scfs",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Store(Y, 2, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Store(X, 2, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "2CoWR",
            vec![
                vec![Load(Y, Acquire)],
                vec![Load(X, Acquire)],
                vec![Store(X, 1, Release)],
                vec![Store(Y, 1, Release)],
            ],
            4,
            4,
        ),
        port(
            "CoRR",
            vec![
                vec![Store(X, 1, Release), Store(X, 2, Release)],
                vec![Load(X, Acquire), Load(X, Acquire)],
            ],
            6,
            6,
        ),
        port(
            "CoRR0",
            vec![
                vec![Store(X, 1, Release)],
                vec![Load(X, Acquire)],
                vec![Load(X, Acquire)],
            ],
            4,
            4,
        ),
        port(
            "CoRR1",
            vec![
                vec![Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
                vec![Load(X, Acquire), Load(X, Acquire)],
                vec![Load(X, Acquire)],
            ],
            36,
            36,
        ),
        port(
            "CoRR2",
            vec![
                vec![Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
                vec![Load(X, Acquire), Load(X, Acquire)],
                vec![Load(X, Acquire), Load(X, Acquire)],
            ],
            72,
            72,
        ),
        port(
            "CoRW",
            vec![
                vec![Load(X, Acquire), Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
            ],
            3,
            3,
        ),
        port(
            "CoWR",
            vec![
                vec![Store(X, 1, Release), Load(X, Acquire)],
                vec![Store(X, 2, Release)],
            ],
            3,
            3,
        ),
        port(
            "IRIW-acq-sc",
            vec![
                vec![Store(X, 1, SeqCst)],
                vec![Load(X, Acquire), Load(Y, SeqCst)],
                vec![Load(Y, Acquire), Load(X, SeqCst)],
                vec![Store(Y, 1, SeqCst)],
            ],
            16,
            15,
        ),
        port(
            "JLT",
            vec![
                vec![Store(X, 1, Release), Load(Y, Acquire), Load(X, Acquire)],
                vec![Store(X, 2, Release), Load(X, Acquire)],
                vec![Store(Y, 3, Release)],
            ],
            8,
            8,
        ),
        port(
            "LB",
            vec![
                vec![Load(Y, Acquire), Store(X, 1, Release)],
                vec![Load(X, Acquire), Store(Y, 1, Release)],
            ],
            3,
            3,
        ),
        port(
            "LB+acq",
            vec![
                vec![Load(X, Acquire), Store(Y, 1, Relaxed)],
                vec![Load(Y, Acquire), Store(X, 1, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "LB+rel",
            vec![
                vec![Load(X, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Relaxed), Store(X, 1, Release)],
            ],
            3,
            3,
        ),
        port(
            "LB2",
            vec![
                vec![Load(X, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Store(X, 1, Relaxed)],
            ],
            3,
            3,
        ),
        // a, b, c renamed x, y, z.
        port(
            "LB3",
            vec![
                vec![Load(X, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Store(Z, 1, Relaxed)],
                vec![Load(Z, Relaxed), Store(X, 1, Relaxed)],
            ],
            7,
            7,
        ),
        // The stores' values `1 + (r ^ r)` are always 1 (RC11 has no dependencies).
        port(
            "LB+fr-fr-data+data",
            vec![
                vec![Load(X, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Load(Y, Relaxed), Store(X, 1, Relaxed)],
                vec![Store(Y, 2, Relaxed)],
            ],
            18,
            16,
        ),
        port(
            "MCP-rrw",
            vec![
                vec![Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
                vec![Load(X, Acquire)],
            ],
            6,
            6,
        ),
        port(
            "MP",
            vec![
                vec![Store(X, 1, Release), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Load(X, Acquire)],
            ],
            3,
            3,
        ),
        port(
            "MP+incMP",
            vec![
                vec![Load(Y, Acquire), FetchAdd(Z, 1, AcqRel)],
                vec![FetchAdd(Z, 1, AcqRel), Load(X, Acquire)],
                vec![Store(X, 1, Release), Store(Y, 1, Release)],
            ],
            7,
            7,
        ),
        port(
            "RWC+syncs",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            7,
            7,
        ),
        port(
            "S",
            vec![
                vec![Store(X, 2, Relaxed), Store(Y, 1, Relaxed)],
                vec![Load(Y, Relaxed), Store(X, 1, Relaxed)],
            ],
            4,
            3,
        ),
        port(
            "SB",
            vec![
                vec![Store(X, 1, Release), Load(Y, Acquire)],
                vec![Store(Y, 1, Release), Load(X, Acquire)],
            ],
            4,
            3,
        ),
        port(
            "SB+2sc+scf",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "SB+3sc+acq",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, Acquire)],
            ],
            4,
            3,
        ),
        port(
            "SB+3sc+rel",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, Release), Load(X, SeqCst)],
            ],
            4,
            3,
        ),
        port(
            "SB+4sc",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, SeqCst)],
            ],
            3,
            3,
        ),
        // Plain accesses to `atomic_int` are seq_cst; the registers are main's r_x, r_y.
        port(
            "SB+assert",
            vec![
                vec![Store(X, 1, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, SeqCst)],
            ],
            3,
            3,
        ),
        port(
            "SB+rfis",
            vec![
                vec![Store(X, 1, Release), Load(X, SeqCst), Load(Y, SeqCst)],
                vec![Store(Y, 1, Release), Load(Y, SeqCst), Load(X, SeqCst)],
            ],
            4,
            3,
        ),
        port(
            "SB+scfs",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "W+RRR+W",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Load(X, Relaxed), Load(X, Relaxed), Load(X, Relaxed)],
                vec![Store(X, 2, Relaxed)],
            ],
            20,
            20,
        ),
        port(
            "W+RWC",
            vec![
                vec![Store(X, 1, Relaxed), Store(Z, 1, Release)],
                vec![Load(Z, Acquire), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            7,
            7,
        ),
        port(
            "WWmerge1",
            vec![
                vec![Load(X, Acquire), Load(Y, SeqCst)],
                vec![Store(X, 1, SeqCst), Store(X, 2, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, SeqCst)],
            ],
            17,
            15,
        ),
        port(
            "WWmerge2",
            vec![
                vec![Load(X, Acquire), Load(Y, SeqCst)],
                vec![Store(X, 2, SeqCst)],
                vec![Store(Y, 1, SeqCst), Load(X, SeqCst)],
            ],
            8,
            7,
        ),
        // a, b, c renamed x, y, z.
        port(
            "Z6+acq",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Store(Y, 1, Relaxed)],
                vec![Load(Y, Acquire), Store(Z, 1, Relaxed)],
                vec![Store(Z, 2, Relaxed), Fence(SeqCst), Load(X, Relaxed)],
            ],
            7,
            7,
        ),
        // atomic_store / atomic_fetch_add / atomic_load without _explicit are seq_cst.
        port(
            "Z6.U",
            vec![
                vec![Store(X, 1, SeqCst), Store(Y, 1, Release)],
                vec![FetchAdd(Y, 1, SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 3, SeqCst), Load(X, SeqCst)],
            ],
            22,
            18,
        ),
        port(
            "atomicpo",
            vec![
                vec![Store(Y, 1, Relaxed), Fence(AcqRel), Store(X, 1, Relaxed)],
                vec![Swap(X, 1, Relaxed), Swap(Y, 1, Relaxed)],
            ],
            4,
            3,
        ),
        port(
            "ccr",
            vec![
                vec![Cas(X, 0, 42, Relaxed, Relaxed)],
                vec![Cas(X, 0, 17, Relaxed, Relaxed), Load(X, Relaxed)],
            ],
            2,
            2,
        ),
        port(
            "cii",
            vec![
                vec![Cas(X, 1, 2, Relaxed, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed)],
            ],
            6,
            6,
        ),
        port(
            "default",
            vec![
                vec![Load(X, Acquire), Load(X, Acquire)],
                vec![Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
            ],
            12,
            12,
        ),
        port(
            "fr+w+w+w+reads",
            vec![
                vec![Store(X, 1, Relaxed)],
                vec![Store(X, 2, Relaxed)],
                vec![Store(X, 3, Relaxed)],
                vec![
                    Load(X, Relaxed),
                    Load(X, Relaxed),
                    Load(X, Relaxed),
                    Load(X, Relaxed),
                ],
            ],
            210,
            210,
        ),
        // Keeps its `fetch_add(2)`.
        port(
            "inc2w",
            vec![
                vec![FetchAdd(X, 1, Relaxed)],
                vec![Store(X, 4, Release)],
                vec![FetchAdd(X, 2, Relaxed)],
            ],
            6,
            6,
        ),
        // a, b, c renamed x, y, z.
        port(
            "isa2",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Store(Z, 1, Release)],
                vec![Load(Z, Acquire), Load(X, Relaxed)],
            ],
            7,
            7,
        ),
        port(
            "peterZ",
            vec![
                vec![Store(X, 1, Relaxed), Fence(SeqCst), Load(Y, Relaxed)],
                vec![Store(Y, 1, Relaxed), Store(Z, 1, Release)],
                vec![Load(Z, Acquire), Fence(SeqCst), Load(X, Relaxed)],
            ],
            7,
            7,
        ),
        // The first line of args.rc11.mo.in compiles with -DUSE_STORE: a release store.
        port(
            "rel-pporf",
            vec![
                vec![Load(X, Relaxed), Store(Z, 1, Release), Store(Y, 1, Release)],
                vec![Load(Y, Relaxed), Store(X, 1, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "relacq-B-cumul",
            vec![
                vec![Store(X, 1, Relaxed), Store(Y, 1, Release)],
                vec![Load(Y, Acquire), Store(Z, 1, Relaxed)],
                vec![Load(Z, Relaxed), Fence(AcqRel), Load(X, Relaxed)],
            ],
            8,
            7,
        ),
        port(
            "relseq",
            vec![
                vec![
                    Store(X, 1, Relaxed),
                    Store(Y, 1, Release),
                    Store(Y, 2, Relaxed),
                ],
                vec![Swap(Y, 3, Relaxed)],
                vec![Load(Y, Relaxed), Fence(AcqRel), Load(X, Relaxed)],
            ],
            20,
            16,
        ),
        port(
            "rii",
            vec![
                vec![Load(X, Relaxed), FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "rinc+wr",
            vec![
                vec![FetchAdd(X, 1, Relaxed)],
                vec![Store(X, 2, Relaxed), Load(X, Relaxed)],
            ],
            3,
            3,
        ),
        port(
            "riwi",
            vec![
                vec![Load(Y, Relaxed), FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed), Store(Y, 1, Release)],
            ],
            3,
            3,
        ),
        port(
            "small0",
            vec![
                vec![Load(X, Acquire)],
                vec![Load(X, Acquire), Store(X, 1, Release)],
                vec![Store(X, 2, Release)],
            ],
            9,
            9,
        ),
        port(
            "small1",
            vec![
                vec![Load(Y, Acquire), Load(Z, Acquire), Load(X, Acquire)],
                vec![Store(X, 1, Release)],
                vec![Store(Y, 1, Release), Store(Z, 1, Release)],
            ],
            8,
            8,
        ),
        // Threads in creation order: threadR, threadRa, threadRr, threadRs; `lock` is x.
        port(
            "viktor-relseq",
            vec![
                vec![FetchAdd(X, 1, Relaxed), FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Acquire), FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Release)],
                vec![FetchAdd(X, 1, Relaxed)],
            ],
            180,
            180,
        ),
        port(
            "wcii",
            vec![
                vec![Store(X, 5, Release)],
                vec![Cas(X, 1, 2, Relaxed, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed)],
                vec![FetchAdd(X, 1, Relaxed)],
            ],
            24,
            24,
        ),
        // The first line of args.rc11.mo.in: -DN=2; thread_n(i) stores i.
        port(
            "wrw",
            vec![
                vec![Store(X, 1, Release)],
                vec![Load(X, Relaxed), Store(X, 0, Release)],
                vec![Load(X, Relaxed), Store(X, 1, Release)],
            ],
            22,
            22,
        ),
    ]
}
