//! The RC11 oracle: every candidate execution of a litmus program, kept when it is
//! consistent under RC11 as defined in Lahav, Vafeiadis, Kang, Hur and Dreyer,
//! "Repairing Sequential Consistency in C/C++11", PLDI 2017, §3 (the model without
//! non-atomics: every access here is atomic, so there are no data races to define).
//!
//! **Candidate executions.** An execution graph is its events (one per load, store and
//! fence; a read and a write related by `rmw` for every read-modify-write that writes; a
//! read alone for a compare-exchange that fails), `sb` (sequenced-before), `rf`
//! (reads-from) and `mo` (modification order). The programs are straight-line and store
//! constants, so a graph is determined by the choice of `rf` and `mo`: we enumerate every
//! writer (or the initial value) for every read, compute the values this choice gives
//! (which fixes which compare-exchanges write and what each fetch-add writes), and then
//! every strict total order of the writes to each location. Each (rf, mo) pair is one
//! candidate, so the number of consistent candidates is the number of distinct
//! consistent executions: what GenMC reports under RC11 with explicit coherence
//! (`expected.rc11.mo.in`) and what racelab's `count_traces` counts under RC11.
//!
//! **Values.** A choice of `rf` whose `sb ∪ rf` has a cycle has no well-founded values;
//! every such candidate violates NO-THIN-AIR (`sb ∪ rf` acyclic) whatever values it
//! carries, so it is dropped before its values are computed. A choice that makes a read
//! take its value from a compare-exchange that fails is not a graph at all (that write
//! does not exist) and is dropped too. Both are detected on partial choices already
//! ([`evaluate`]), so the sources are chosen depth first and such prefixes abandoned.
//!
//! **Consistency** ([`check`]) is computed literally from the definitions, on
//! bit-matrices ([`Rel`]); each relation sits next to the paper's definition.
//!
//! **Pruning.** [`explore`] skips `rf` choices where two writing RMWs read the same
//! write, and enumerates `mo` only among the orders that coherence and atomicity do not
//! rule out outright (each rule is proved from the axioms where it is applied); it still
//! checks every remaining candidate with [`check`]. [`explore_literal`] prunes nothing
//! (every rf choice that is a graph, every permutation of every location's writes, the
//! initial write included); a test checks the two agree.

use std::collections::BTreeSet;

use super::program::{Loc, Mode, Op, Outcome, Program, Reg};
use super::relation::{Rel, Set};

/// Which consistency predicate [`explore`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// RC11 (Lahav et al. 2017, §3): COHERENCE, ATOMICITY, SC, NO-THIN-AIR.
    Rc11,
    /// Sequential consistency, axiomatically: `sb ∪ rf ∪ mo ∪ rb` acyclic (Shasha and
    /// Snir's condition, as herd7 states SC) and RMWs atomic. A cross-check for the
    /// operational SC oracle in `sc.rs`.
    Sc,
    /// RC11 as GenMC 0.10 and later implement it (Kater's `kat/rc11-genmc.kat`), which
    /// differs from the paper in two places: release sequences are C++20's
    /// (`rs ≜ [W] ; (rf ; rmw)*`, without the paper's `sb|loc?` continuation), and
    /// `psc ≜ [SC];sb;hb;sb;[SC] ∪ [SC];([F];hb)?;(sb ∪ rf ∪ mo ∪ rb);(hb;[F])?;[SC] ∪
    /// [F^sc];(hb ∪ hb;eco;hb);[F^sc]` (no `≠loc` restriction on `sb;hb;sb`, no `hb|loc`).
    /// Used only to explain where GenMC's recorded counts differ from the paper's model.
    GenmcRc11,
}

/// An event's access mode (Lahav et al. 2017, §3): `na ⊏ rlx ⊏ acq, rel ⊏ acqrel ⊏ sc`.
/// Only the initial writes are non-atomic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvMode {
    /// Non-atomic (the initialisation writes).
    Na,
    /// `rlx`.
    Rlx,
    /// `acq` (reads, fences).
    Acq,
    /// `rel` (writes, fences).
    Rel,
    /// `acqrel` (fences).
    AcqRel,
    /// `sc`.
    Sc,
}

impl EvMode {
    /// `⊒ rlx`: atomic.
    fn atomic(self) -> bool {
        self != EvMode::Na
    }
    /// `⊒ acq`.
    fn acquire(self) -> bool {
        matches!(self, EvMode::Acq | EvMode::AcqRel | EvMode::Sc)
    }
    /// `⊒ rel`.
    fn release(self) -> bool {
        matches!(self, EvMode::Rel | EvMode::AcqRel | EvMode::Sc)
    }
}

/// A load's (or a read half's) mode: the paper's modes for `R` are `na, rlx, acq, sc`.
fn read_mode(m: Mode) -> EvMode {
    match m {
        Mode::Relaxed | Mode::Release => EvMode::Rlx,
        Mode::Acquire | Mode::AcqRel => EvMode::Acq,
        Mode::SeqCst => EvMode::Sc,
    }
}

/// A store's (or a write half's) mode: the paper's modes for `W` are `na, rlx, rel, sc`.
/// An RMW of mode `o` is a read and a write with modes (rlx, rlx) for relaxed, (acq, rlx)
/// for acquire, (rlx, rel) for release, (acq, rel) for acq_rel and (sc, sc) for seq_cst
/// (Lahav et al. 2017, §3).
fn write_mode(m: Mode) -> EvMode {
    match m {
        Mode::Relaxed | Mode::Acquire => EvMode::Rlx,
        Mode::Release | Mode::AcqRel => EvMode::Rel,
        Mode::SeqCst => EvMode::Sc,
    }
}

/// A fence's mode: the paper's modes for `F` are `acq, rel, acqrel, sc`.
fn fence_mode(m: Mode) -> EvMode {
    match m {
        Mode::Acquire => EvMode::Acq,
        Mode::Release => EvMode::Rel,
        Mode::AcqRel => EvMode::AcqRel,
        Mode::SeqCst => EvMode::Sc,
        Mode::Relaxed => panic!("a Relaxed fence is not an operation (std panics)"),
    }
}

/// What kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `R`.
    Read,
    /// `W`.
    Write,
    /// `F`.
    Fence,
}

/// One event of an execution graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// The thread, or `None` for an initialisation write.
    pub thread: Option<usize>,
    /// Read, write or fence.
    pub kind: Kind,
    /// The location (none for a fence).
    pub loc: Option<usize>,
    /// The access mode.
    pub mode: EvMode,
    /// The value read or written.
    pub value: u64,
}

/// Where a read takes its value from: the initial write of its location, or the write of
/// operation `op` of thread `thread`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The initialisation write (value 0).
    Init,
    /// The write of `threads[thread][op]`.
    Op {
        /// The writing thread.
        thread: usize,
        /// The writing operation's index in its thread.
        op: usize,
    },
}

/// An execution graph: events, `sb`, `rf`, `mo`, `rmw` (Lahav et al. 2017, §3).
#[derive(Clone, Debug)]
pub struct Graph {
    /// The events; the first three are the initialisation writes of x, y, z.
    pub events: Vec<Event>,
    /// Sequenced-before: a strict partial order; the initialisation writes are before
    /// every other event, and each thread's events are totally ordered.
    pub sb: Rel,
    /// Reads-from: from a write to a read of the same location and value.
    pub rf: Rel,
    /// Modification order: a strict total order on each location's writes.
    pub mo: Rel,
    /// From the read half to the write half of each read-modify-write that wrote.
    pub rmw: Rel,
}

/// The axiom a candidate violates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axiom {
    /// `hb ; eco?` is irreflexive.
    Coherence,
    /// `rmw ∩ (rbe ; moe) = ∅`.
    Atomicity,
    /// `psc_base ∪ psc_F` is acyclic.
    Sc,
    /// `sb ∪ rf` is acyclic.
    NoThinAir,
    /// (SC model) `sb ∪ rf ∪ mo ∪ rb` is acyclic.
    SeqConsistency,
}

/// The derived relations of a model (the paper's, unless stated), for one graph.
pub struct Derived {
    /// `rb ≜ rf⁻¹ ; mo` (from-read).
    pub rb: Rel,
    /// `eco ≜ (rf ∪ mo ∪ rb)⁺` (extended coherence order).
    pub eco: Rel,
    /// `hb ≜ (sb ∪ sw)⁺`.
    pub hb: Rel,
    /// `psc ≜ psc_base ∪ psc_F`.
    pub psc: Rel,
}

impl Graph {
    /// The number of events.
    pub fn n(&self) -> usize {
        self.events.len()
    }

    /// The events satisfying `pred`.
    fn set(&self, pred: impl Fn(&Event) -> bool) -> Set {
        self.events
            .iter()
            .enumerate()
            .filter(|(_, e)| pred(e))
            .fold(Set::EMPTY, |s, (i, _)| s.with(i))
    }

    /// `loc`: pairs of accesses (not fences) to the same location (the paper's `R|loc`
    /// keeps the pairs of `R` in this relation).
    pub fn same_loc(&self) -> Rel {
        let n = self.n();
        let mut r = Rel::empty(n);
        for a in 0..n {
            for b in 0..n {
                if self.events[a].loc.is_some() && self.events[a].loc == self.events[b].loc {
                    r.add(a, b);
                }
            }
        }
        r
    }

    /// Pairs of events of different threads (`ext`; the initialisation writes belong to
    /// no thread, so they are external to every event).
    pub fn external(&self) -> Rel {
        let n = self.n();
        let mut r = Rel::empty(n);
        for a in 0..n {
            for b in 0..n {
                let (ta, tb) = (self.events[a].thread, self.events[b].thread);
                if ta.is_none() || tb.is_none() || ta != tb {
                    r.add(a, b);
                }
            }
        }
        r
    }

    /// The derived relations of RC11 (Lahav et al. 2017, §3), or of GenMC's variant for
    /// [`Model::GenmcRc11`].
    pub fn derive(&self, model: Model) -> Derived {
        let genmc = model == Model::GenmcRc11;
        let n = self.n();
        let (sb, rf, mo, rmw) = (&self.sb, &self.rf, &self.mo, &self.rmw);
        let loc = self.same_loc();
        let reads = self.set(|e| e.kind == Kind::Read);
        let writes = self.set(|e| e.kind == Kind::Write);
        let fences = self.set(|e| e.kind == Kind::Fence);
        let at_least_rlx = self.set(|e| e.mode.atomic());
        let at_least_rel = self.set(|e| e.mode.release());
        let at_least_acq = self.set(|e| e.mode.acquire());
        let sc = self.set(|e| e.mode == EvMode::Sc);
        let sc_fences = sc.inter(fences);
        let id_e = Rel::id(n, Set::all(n));

        // rb ≜ rf⁻¹ ; mo. (herd's rc11.cat also removes the identity, which matters only
        // when an RMW is one event; here it is a read and a write, and rb goes from reads
        // to writes.)
        let rb = rf.inverse().seq(mo);
        // eco ≜ (rf ∪ mo ∪ rb)⁺.
        let eco = rf.union(mo).union(&rb).plus();

        // rs ≜ [W] ; sb|loc? ; [W⊒rlx] ; (rf ; rmw)*.
        // (GenMC: rs ≜ [W] ; (rf ; rmw)*, C++20's release sequence.)
        let rs = if genmc {
            Rel::id(n, writes).seq(&rf.seq(rmw).star())
        } else {
            Rel::id(n, writes)
                .seq(&sb.inter(&loc).opt())
                .seq(&Rel::id(n, writes.inter(at_least_rlx)))
                .seq(&rf.seq(rmw).star())
        };

        // sw ≜ [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R⊒rlx] ; (sb ; [F])? ; [E⊒acq].
        let sw = Rel::id(n, at_least_rel)
            .seq(&Rel::id(n, fences).seq(sb).opt())
            .seq(&rs)
            .seq(rf)
            .seq(&Rel::id(n, reads.inter(at_least_rlx)))
            .seq(&sb.seq(&Rel::id(n, fences)).opt())
            .seq(&Rel::id(n, at_least_acq));

        // hb ≜ (sb ∪ sw)⁺.
        let hb = sb.union(&sw).plus();

        // sb|≠loc ≜ sb \ sb|loc; hb|loc ≜ hb ∩ loc.
        let sb_neq_loc = sb.minus(&loc);
        let hb_loc = hb.inter(&loc);
        // scb ≜ sb ∪ sb|≠loc ; hb ; sb|≠loc ∪ hb|loc ∪ mo ∪ rb.
        let scb = sb
            .union(&sb_neq_loc.seq(&hb).seq(&sb_neq_loc))
            .union(&hb_loc)
            .union(mo)
            .union(&rb);
        // psc_base ≜ ([E^sc] ∪ [F^sc] ; hb?) ; scb ; ([E^sc] ∪ hb? ; [F^sc]).
        let hb_opt = hb.union(&id_e);
        let left = Rel::id(n, sc).union(&Rel::id(n, sc_fences).seq(&hb_opt));
        let right = Rel::id(n, sc).union(&hb_opt.seq(&Rel::id(n, sc_fences)));
        let psc_base = left.seq(&scb).seq(&right);
        // psc_F ≜ [F^sc] ; (hb ∪ hb ; eco ; hb) ; [F^sc].
        let psc_f = Rel::id(n, sc_fences)
            .seq(&hb.union(&hb.seq(&eco).seq(&hb)))
            .seq(&Rel::id(n, sc_fences));
        // psc ≜ psc_base ∪ psc_F.
        let mut psc = psc_base.union(&psc_f);
        if genmc {
            // GenMC: [SC];sb;hb;sb;[SC] ∪ [SC];([F];hb)?;scb';(hb;[F])?;[SC] ∪ psc_F, with
            // scb' ≜ sb ∪ rf ∪ mo ∪ rb.
            let scb2 = sb.union(rf).union(mo).union(&rb);
            let fhb = Rel::id(n, fences).seq(&hb).union(&id_e);
            let hbf = hb.seq(&Rel::id(n, fences)).union(&id_e);
            psc = Rel::id(n, sc)
                .seq(&sb.seq(&hb).seq(sb).union(&fhb.seq(&scb2).seq(&hbf)))
                .seq(&Rel::id(n, sc))
                .union(&psc_f);
        }

        Derived { rb, eco, hb, psc }
    }
}

/// Whether `g` is consistent under `model`; otherwise the first axiom it violates.
pub fn check(g: &Graph, model: Model) -> Result<(), Axiom> {
    let d = g.derive(model);
    let ext = g.external();
    match model {
        Model::Rc11 | Model::GenmcRc11 => {
            // (COHERENCE) hb ; eco? is irreflexive.
            if !d.hb.seq(&d.eco.opt()).is_irreflexive() {
                return Err(Axiom::Coherence);
            }
            // (ATOMICITY) rmw ∩ (rbe ; moe) = ∅, with rbe ≜ rb \ sb-internal and
            // moe ≜ mo \ sb-internal (external: different threads). Under COHERENCE this
            // is the same as rmw ∩ (rb ; mo) = ∅ (herd's rc11.cat): an intervening write
            // of the RMW's own thread is sb-before the read (then rb ; hb is a coherence
            // cycle) or sb-after the write (then it is mo-after the write).
            let rbe = d.rb.inter(&ext);
            let moe = g.mo.inter(&ext);
            if !g.rmw.inter(&rbe.seq(&moe)).is_empty() {
                return Err(Axiom::Atomicity);
            }
            // (SC) psc_base ∪ psc_F is acyclic.
            if !d.psc.is_acyclic() {
                return Err(Axiom::Sc);
            }
            // (NO-THIN-AIR) sb ∪ rf is acyclic.
            if !g.sb.union(&g.rf).is_acyclic() {
                return Err(Axiom::NoThinAir);
            }
            Ok(())
        }
        Model::Sc => {
            // SC: sb ∪ rf ∪ mo ∪ rb acyclic, and RMWs atomic (no write between the
            // write an RMW reads and the RMW's own write).
            if !g.sb.union(&g.rf).union(&g.mo).union(&d.rb).is_acyclic() {
                return Err(Axiom::SeqConsistency);
            }
            if !g.rmw.inter(&d.rb.seq(&g.mo)).is_empty() {
                return Err(Axiom::Atomicity);
            }
            Ok(())
        }
    }
}

/// What an oracle found: the outcomes of the consistent executions, and how many
/// distinct consistent executions (distinct (rf, mo) graphs) there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The outcome of every consistent execution.
    pub outcomes: BTreeSet<Outcome>,
    /// The number of consistent executions.
    pub executions: usize,
    /// The number of candidate executions checked (an effort measure only).
    pub candidates: usize,
}

/// The program's read operations (one register each) and, for each, the writes it may
/// read from.
struct Skeleton {
    /// `(thread, op)` of every read, in thread then program order (register order).
    reads: Vec<(usize, usize)>,
    /// For each read, every write to its location: the initial one, then every operation
    /// that may write there (its own included: such choices form `sb ∪ rf` cycles and are
    /// dropped when the values are computed).
    sources: Vec<Vec<Source>>,
}

impl Skeleton {
    fn new(p: &Program) -> Skeleton {
        let reads: Vec<(usize, usize)> = p
            .ops()
            .filter(|(_, _, op)| op.reads())
            .map(|(t, i, _)| (t, i))
            .collect();
        let sources = reads
            .iter()
            .map(|&(t, i)| {
                let loc = p.threads[t][i].loc();
                std::iter::once(Source::Init)
                    .chain(
                        p.ops()
                            .filter(|(_, _, op)| op.may_write() && op.loc() == loc)
                            .map(|(thread, op, _)| Source::Op { thread, op }),
                    )
                    .collect()
            })
            .collect();
        Skeleton { reads, sources }
    }
}

/// The values an `rf` choice gives: what each read reads and what each operation writes.
struct Values {
    /// `read[t][i]`: what operation `i` of thread `t` read (if it reads).
    read: Vec<Vec<Option<u64>>>,
    /// `written[t][i]`: what it wrote (`None`: it does not write, e.g. a failed CAS).
    written: Vec<Vec<Option<u64>>>,
}

/// What evaluating a (possibly partial) `rf` choice gives.
enum Eval {
    /// Every read has a source and every value is computed.
    Done(Values),
    /// Some read has no source yet, and nothing rules the choice out so far.
    Pending,
    /// No completion of the choice is a consistent graph: a read takes its value from a
    /// compare-exchange that does not write (not a graph at all), the chosen edges close
    /// an `sb ∪ rf` cycle (NO-THIN-AIR; no value can be computed along it), or (only when
    /// pruning) two RMWs that write read the same write (ATOMICITY, see
    /// `linear_extensions`' `immediate`).
    Invalid,
}

/// Evaluates the choice `rf` (a source, or `None` if not chosen yet, per read in
/// [`Skeleton`] order). An operation is evaluated once every operation sequenced before
/// it is, and the write its read takes its value from is: with every source chosen, this
/// evaluates everything exactly when `sb ∪ rf` is acyclic.
fn evaluate(p: &Program, sk: &Skeleton, rf: &[Option<Source>], atomicity: bool) -> Eval {
    let mut read: Vec<Vec<Option<u64>>> = p.threads.iter().map(|o| vec![None; o.len()]).collect();
    let mut written = read.clone();
    // source_of[t][i]: None for an operation that does not read; Some(None) for a read
    // whose source is not chosen yet.
    let mut source_of: Vec<Vec<Option<Option<Source>>>> =
        p.threads.iter().map(|o| vec![None; o.len()]).collect();
    for (k, &(t, i)) in sk.reads.iter().enumerate() {
        source_of[t][i] = Some(rf[k]);
    }
    let mut pc = vec![0usize; p.threads.len()];
    loop {
        let mut progress = false;
        for t in 0..p.threads.len() {
            while pc[t] < p.threads[t].len() {
                let i = pc[t];
                let op = p.threads[t][i];
                let value = match source_of[t][i] {
                    None => None,
                    Some(None) => break, // the source is not chosen yet
                    Some(Some(Source::Init)) => Some(0),
                    Some(Some(Source::Op { thread, op: j })) => {
                        if pc[thread] <= j {
                            break; // the write is not evaluated yet
                        }
                        match written[thread][j] {
                            Some(v) => Some(v),
                            None => return Eval::Invalid, // a CAS that failed
                        }
                    }
                };
                read[t][i] = value;
                written[t][i] = match op {
                    Op::Load(..) | Op::Fence(_) => None,
                    Op::Store(_, v, _) | Op::Swap(_, v, _) => Some(v),
                    Op::FetchAdd(_, a, _) => Some(value.unwrap() + a),
                    Op::Cas(_, e, n, _, _) => (value.unwrap() == e).then_some(n),
                };
                pc[t] += 1;
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    if atomicity {
        // Two evaluated RMWs that write and read the same write of the same location.
        let mut seen = Vec::new();
        for (k, &(t, i)) in sk.reads.iter().enumerate() {
            if written[t][i].is_some() {
                let key = (p.threads[t][i].loc(), rf[k]);
                if seen.contains(&key) {
                    return Eval::Invalid;
                }
                seen.push(key);
            }
        }
    }
    if pc.iter().zip(&p.threads).all(|(&c, ops)| c == ops.len()) {
        return Eval::Done(Values { read, written });
    }
    // A thread stuck at a read waits for the thread of its source; a chain of such waits
    // that only goes through chosen sources and comes back is an sb ∪ rf cycle.
    for start in 0..p.threads.len() {
        let mut t = start;
        for _ in 0..=p.threads.len() {
            match p.threads[t].get(pc[t]).and(source_of[t].get(pc[t])) {
                Some(Some(Some(Source::Op { thread, .. }))) => t = *thread,
                _ => break,
            }
            if t == start {
                return Eval::Invalid;
            }
        }
    }
    Eval::Pending
}

/// A graph without its `mo`, and where each operation's events are.
struct Events {
    graph: Graph,
    /// `read_event[t][i]`: the read event of operation `i` of thread `t`.
    read_event: Vec<Vec<Option<usize>>>,
    /// `write_event[t][i]`: its write event, if it writes.
    write_event: Vec<Vec<Option<usize>>>,
    /// Each location's write events, the initial one first.
    writes_to: [Vec<usize>; 3],
}

/// The events, `sb`, `rf` and `rmw` of an `rf` choice whose values are `v`.
fn build(p: &Program, sk: &Skeleton, rf_choice: &[Source], v: &Values) -> Events {
    let mut events: Vec<Event> = Loc::ALL
        .iter()
        .map(|l| Event {
            thread: None,
            kind: Kind::Write,
            loc: Some(l.index()),
            mode: EvMode::Na,
            value: 0,
        })
        .collect();
    let mut writes_to: [Vec<usize>; 3] = [vec![0], vec![1], vec![2]];
    let mut read_event: Vec<Vec<Option<usize>>> =
        p.threads.iter().map(|o| vec![None; o.len()]).collect();
    let mut write_event = read_event.clone();
    let mut thread_events: Vec<Vec<usize>> = vec![Vec::new(); p.threads.len()];
    let mut rmw_pairs = Vec::new();
    for (t, ops) in p.threads.iter().enumerate() {
        for (i, &op) in ops.iter().enumerate() {
            let mut push = |events: &mut Vec<Event>, kind, loc: Option<Loc>, mode, value| {
                events.push(Event {
                    thread: Some(t),
                    kind,
                    loc: loc.map(Loc::index),
                    mode,
                    value,
                });
                thread_events[t].push(events.len() - 1);
                events.len() - 1
            };
            let loc = op.loc();
            let (rmode, wmode) = match op {
                Op::Load(_, m) => (Some(read_mode(m)), None),
                Op::Store(_, _, m) => (None, Some(write_mode(m))),
                Op::FetchAdd(_, _, m) | Op::Swap(_, _, m) => {
                    (Some(read_mode(m)), Some(write_mode(m)))
                }
                Op::Cas(_, _, _, s, f) => {
                    if v.written[t][i].is_some() {
                        (Some(read_mode(s)), Some(write_mode(s)))
                    } else {
                        (Some(read_mode(f)), None)
                    }
                }
                Op::Fence(m) => {
                    push(&mut events, Kind::Fence, None, fence_mode(m), 0);
                    continue;
                }
            };
            if let Some(m) = rmode {
                let e = push(&mut events, Kind::Read, loc, m, v.read[t][i].unwrap());
                read_event[t][i] = Some(e);
            }
            if let Some(m) = wmode {
                let e = push(&mut events, Kind::Write, loc, m, v.written[t][i].unwrap());
                write_event[t][i] = Some(e);
                writes_to[loc.unwrap().index()].push(e);
                if let Some(r) = read_event[t][i] {
                    rmw_pairs.push((r, e));
                }
            }
        }
    }
    let n = events.len();
    // sb: the initialisation writes before everything else; program order in a thread.
    let mut sb = Rel::empty(n);
    for a in 0..3 {
        for b in 3..n {
            sb.add(a, b);
        }
    }
    for evs in &thread_events {
        for (k, &a) in evs.iter().enumerate() {
            for &b in &evs[k + 1..] {
                sb.add(a, b);
            }
        }
    }
    let mut rf = Rel::empty(n);
    for (k, &(t, i)) in sk.reads.iter().enumerate() {
        let r = read_event[t][i].unwrap();
        let w = match rf_choice[k] {
            Source::Init => p.threads[t][i].loc().unwrap().index(),
            Source::Op { thread, op } => write_event[thread][op].unwrap(),
        };
        rf.add(w, r);
    }
    let rmw = Rel::from_pairs(n, rmw_pairs);
    Events {
        graph: Graph {
            events,
            sb,
            rf,
            mo: Rel::empty(n),
            rmw,
        },
        read_event,
        write_event,
        writes_to,
    }
}

/// The outcome of `g` (built as `ev` with `mo` given by `mo_orders`): the registers,
/// and each location's `mo`-last value.
fn outcome(p: &Program, ev: &Events, g: &Graph, mo_orders: &[Vec<usize>]) -> Outcome {
    let regs = p
        .threads
        .iter()
        .enumerate()
        .map(|(t, ops)| {
            ops.iter()
                .enumerate()
                .filter(|(_, op)| op.reads())
                .map(|(i, op)| {
                    let value = g.events[ev.read_event[t][i].unwrap()].value;
                    match op {
                        Op::Cas(..) if ev.write_event[t][i].is_some() => Reg::Ok(value),
                        Op::Cas(..) => Reg::Err(value),
                        _ => Reg::Val(value),
                    }
                })
                .collect()
        })
        .collect();
    let mut finals = [0; 3];
    for (l, order) in mo_orders.iter().enumerate() {
        finals[l] = g.events[*order.last().unwrap()].value;
    }
    Outcome { regs, finals }
}

/// Every strict total order (as a list, first to last) of `writes` in which every
/// `forced` edge between them goes forward and, for each `(w', w)` in `immediate`, `w`
/// comes right after `w'`.
fn linear_extensions(
    writes: &[usize],
    forced: &Rel,
    immediate: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    /// Extends `order` with every arrangement of `left`.
    fn go(
        left: &mut Vec<usize>,
        order: &mut Vec<usize>,
        forced: &Rel,
        immediate: &[(usize, usize)],
        out: &mut Vec<Vec<usize>>,
    ) {
        if left.is_empty() {
            out.push(order.clone());
            return;
        }
        for k in 0..left.len() {
            let w = left[k];
            // Every forced predecessor of w is already placed.
            if left.iter().any(|&u| u != w && forced.has(u, w)) {
                continue;
            }
            // An RMW write comes right after the write its read reads; and the write right
            // after one that an RMW reads is that RMW's.
            let last = order.last().copied();
            if immediate.iter().any(|&(from, to)| {
                (to == w && last != Some(from)) || (Some(from) == last && to != w)
            }) {
                continue;
            }
            left.remove(k);
            order.push(w);
            go(left, order, forced, immediate, out);
            order.pop();
            left.insert(k, w);
        }
    }
    let mut out = Vec::new();
    go(
        &mut writes.to_vec(),
        &mut Vec::new(),
        forced,
        immediate,
        &mut out,
    );
    out
}

/// Every permutation of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    linear_extensions(items, &Rel::empty(super::relation::MAX_EVENTS), &[])
}

/// `mo` as a relation: each location's order, transitively.
fn mo_relation(n: usize, orders: &[Vec<usize>]) -> Rel {
    let mut mo = Rel::empty(n);
    for order in orders {
        for (k, &a) in order.iter().enumerate() {
            for &b in &order[k + 1..] {
                mo.add(a, b);
            }
        }
    }
    mo
}

/// Every `rf` choice (one source per read, in [`Skeleton`] order) that [`evaluate`] does
/// not rule out, with its values. Sources are chosen depth first, the reads ordered by
/// their position in their thread (all first operations, then all second ones...) so
/// that partial choices can be evaluated, and ruled out, early.
fn rf_choices(p: &Program, sk: &Skeleton, atomicity: bool, f: &mut dyn FnMut(&[Source], Values)) {
    let mut order: Vec<usize> = (0..sk.reads.len()).collect();
    order.sort_by_key(|&k| (sk.reads[k].1, sk.reads[k].0));
    /// Chooses a source for the read `order[depth]` once the choice so far is pending.
    fn go(
        p: &Program,
        sk: &Skeleton,
        order: &[usize],
        depth: usize,
        choice: &mut Vec<Option<Source>>,
        atomicity: bool,
        f: &mut dyn FnMut(&[Source], Values),
    ) {
        match evaluate(p, sk, choice, atomicity) {
            Eval::Invalid => {}
            Eval::Done(values) => {
                let rf: Vec<Source> = choice.iter().map(|s| s.unwrap()).collect();
                f(&rf, values);
            }
            Eval::Pending => {
                let k = order[depth];
                for &s in &sk.sources[k] {
                    choice[k] = Some(s);
                    go(p, sk, order, depth + 1, choice, atomicity, f);
                }
                choice[k] = None;
            }
        }
    }
    let mut choice = vec![None; sk.reads.len()];
    go(p, sk, &order, 0, &mut choice, atomicity, f);
}

/// The consistent executions of `p` under `model`, enumerating `mo` only among orders
/// coherence and atomicity do not rule out (every remaining candidate is [`check`]ed).
pub fn explore(p: &Program, model: Model) -> Verdict {
    let (mut outcomes, mut executions) = (BTreeSet::new(), 0);
    let candidates = enumerate(p, model, true, &mut |_, o| {
        executions += 1;
        outcomes.insert(o);
    });
    Verdict {
        outcomes,
        executions,
        candidates,
    }
}

/// The consistent executions of `p` under `model`, checking every candidate: every `rf`
/// choice and every permutation of every location's writes (the initial one included).
pub fn explore_literal(p: &Program, model: Model) -> Verdict {
    let (mut outcomes, mut executions) = (BTreeSet::new(), 0);
    let candidates = enumerate(p, model, false, &mut |_, o| {
        executions += 1;
        outcomes.insert(o);
    });
    Verdict {
        outcomes,
        executions,
        candidates,
    }
}

/// Every consistent execution of `p` under `model`, with its outcome (for diagnostics).
pub fn executions(p: &Program, model: Model) -> Vec<(Graph, Outcome)> {
    let mut out = Vec::new();
    enumerate(p, model, true, &mut |g, o| out.push((g.clone(), o)));
    out
}

/// Calls `visit` on every consistent execution of `p` under `model` (with `prune`, `mo`
/// is enumerated among the orders coherence and atomicity allow); returns the number of
/// candidates checked.
fn enumerate(
    p: &Program,
    model: Model,
    prune: bool,
    visit: &mut dyn FnMut(&Graph, Outcome),
) -> usize {
    assert!(p.is_legal(), "{p:?} uses an ordering std rejects");
    let sk = Skeleton::new(p);
    let mut candidates = 0;
    rf_choices(p, &sk, prune, &mut |rf_choice, values| {
        let ev = build(p, &sk, rf_choice, &values);
        let g = &ev.graph;
        let n = g.n();
        // The orders of each location's writes to try.
        let per_loc: Vec<Vec<Vec<usize>>> = if prune {
            // hb does not depend on mo (rs, sw and hb use sb, rf and rmw only). (For SC,
            // RC11's hb ⊆ (sb ∪ rf)⁺, so an SC-consistent graph is RC11-coherent.)
            let hb = g.derive(model).hb;
            // COHERENCE forces w1 mo w2 whenever w1 (rf? ; hb ; rf⁻¹?) w2 and w1 ≠ w2:
            // otherwise w2 mo w1, and the hb edge's target is eco-before its source
            // (by mo, rb = rf⁻¹;mo, mo;rf or rb;rf): a cycle in hb ; eco.
            let forced = g.rf.opt().seq(&hb).seq(&g.rf.inverse().opt());
            (0..3)
                .map(|l| {
                    // ATOMICITY and COHERENCE: an RMW's write w comes right after the
                    // write w' its read r reads. w' mo w (else w mo w' rf r and r sb w is
                    // an hb;eco cycle), and no write u lies in between: if u is of another
                    // thread, r rbe u moe w; if u is of the RMW's thread, it is sb-before r
                    // (then u hb r rb u) or sb-after w (then w mo u).
                    let immediate: Vec<(usize, usize)> = g
                        .rmw
                        .pairs()
                        .filter(|&(_, w)| g.events[w].loc == Some(l))
                        .map(|(r, w)| {
                            let src = (0..n).find(|&s| g.rf.has(s, r)).unwrap();
                            (src, w)
                        })
                        .collect();
                    linear_extensions(&ev.writes_to[l], &forced, &immediate)
                })
                .collect()
        } else {
            (0..3).map(|l| permutations(&ev.writes_to[l])).collect()
        };
        // Every combination of one order per location.
        for x in &per_loc[0] {
            for y in &per_loc[1] {
                for z in &per_loc[2] {
                    let orders = [x.clone(), y.clone(), z.clone()];
                    let mut graph = g.clone();
                    graph.mo = mo_relation(n, &orders);
                    candidates += 1;
                    if check(&graph, model).is_ok() {
                        visit(&graph, outcome(p, &ev, &graph, &orders));
                    }
                }
            }
        }
    });
    candidates
}
