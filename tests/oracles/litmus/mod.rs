//! Litmus tests for racelab's weak-memory checking, against an independent RC11 oracle.
//!
//! * `program`: the litmus language and its proptest generator;
//! * `relation`: bit-matrix relation algebra;
//! * `rc11`: the oracle (every candidate execution, RC11 consistency from the paper);
//! * `sc`: an operational SC oracle (every interleaving) to cross-check it;
//! * `catalogue`: classic tests with RC11 verdicts, and GenMC's tests with its counts;
//! * `run`: the same programs through racelab's public API.
//!
//! The tests check the oracle first (catalogue verdicts, GenMC's counts, pruning against
//! the literal enumeration, SC ⊆ RC11), then racelab against it (outcome sets, and
//! executions == distinct executions == the oracle's consistent executions).
//!
//! GenMC 0.10 and later check a variant of RC11 (C++20 release sequences, and `sb;hb;sb`
//! without the paper's `≠loc` in `psc`): on three ported tests its recorded counts are
//! not the paper's. The oracle implements that variant too (`Model::GenmcRc11`) to show it
//! reproduces every recorded count; racelab is held to the paper.
//!
//! `RACELAB_LITMUS_CASES` (default 300) and `RACELAB_LITMUS_SEED` (default below) set the
//! number of generated programs and the seed they are generated from.

/// The litmus catalogue.
mod catalogue;
/// The litmus language.
mod program;
/// The RC11 oracle.
mod rc11;
/// Bit-matrix relations.
mod relation;
/// Litmus programs through racelab's public API (`racelab.rs`; not named `racelab`,
/// which is the crate's name).
mod run;
/// The operational SC oracle.
mod sc;

use std::collections::BTreeSet;

use ::racelab::check::MemoryModel;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use program::{Mode, Op, Outcome, Program};
use rc11::{Model, Verdict};

/// The seed generated programs come from unless `RACELAB_LITMUS_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x11_2017_0614;
/// How many programs are generated unless `RACELAB_LITMUS_CASES` says otherwise.
const DEFAULT_CASES: usize = 300;

/// A number from the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(s) => {
            let s = s.trim();
            let parsed = match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name}={s:?} is not a number"))
        }
        Err(_) => default,
    }
}

/// `count` generated programs (distinct), deterministic for a seed.
fn generated(count: usize, seed: u64) -> Vec<Program> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let strategy = program::program_strategy();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < count {
        let p = strategy.new_tree(&mut runner).unwrap().current();
        if seen.insert(format!("{p:?}")) {
            out.push(p);
        }
    }
    out
}

/// The generated programs of this run (`RACELAB_LITMUS_CASES`, `RACELAB_LITMUS_SEED`).
fn generated_from_env() -> (Vec<Program>, u64) {
    let cases = env_number("RACELAB_LITMUS_CASES", DEFAULT_CASES as u64) as usize;
    let seed = env_number("RACELAB_LITMUS_SEED", DEFAULT_SEED);
    (generated(cases, seed), seed)
}

/// Greedily shrinks `p` while `fails` holds: drops threads and operations, weakens
/// orderings to `Relaxed`, simplifies values, and renames locations downwards.
fn shrink(p: &Program, fails: &dyn Fn(&Program) -> bool) -> Program {
    let mut best = p.clone();
    loop {
        let smaller = candidates(&best)
            .into_iter()
            .find(|c| c.is_legal() && fails(c));
        match smaller {
            Some(c) => best = c,
            None => return best,
        }
    }
}

/// One-step simplifications of `p`, simplest first.
fn candidates(p: &Program) -> Vec<Program> {
    let mut out = Vec::new();
    for t in 0..p.threads.len() {
        if p.threads.len() > 1 {
            let mut q = p.clone();
            q.threads.remove(t);
            out.push(q);
        }
    }
    for t in 0..p.threads.len() {
        for i in 0..p.threads[t].len() {
            let mut q = p.clone();
            q.threads[t].remove(i);
            if !q.threads[t].is_empty() {
                out.push(q);
            }
        }
    }
    for t in 0..p.threads.len() {
        for i in 0..p.threads[t].len() {
            for op in simpler_ops(p.threads[t][i]) {
                let mut q = p.clone();
                q.threads[t][i] = op;
                out.push(q);
            }
        }
    }
    out
}

/// Simpler versions of an operation: weaker orderings, smaller values, a lower location.
fn simpler_ops(op: Op) -> Vec<Op> {
    use program::Loc;
    let weaker = |m: Mode| -> Vec<Mode> {
        match m {
            Mode::Relaxed => vec![],
            Mode::Acquire | Mode::Release => vec![Mode::Relaxed],
            Mode::AcqRel => vec![Mode::Relaxed, Mode::Acquire, Mode::Release],
            Mode::SeqCst => vec![Mode::Relaxed, Mode::Acquire, Mode::Release, Mode::AcqRel],
        }
    };
    let lower = |l: Loc| Loc::ALL[..l.index()].to_vec();
    let mut out = Vec::new();
    match op {
        Op::Load(l, m) => {
            out.extend(weaker(m).into_iter().map(|m| Op::Load(l, m)));
            out.extend(lower(l).into_iter().map(|l| Op::Load(l, m)));
        }
        Op::Store(l, v, m) => {
            out.extend(weaker(m).into_iter().map(|m| Op::Store(l, v, m)));
            out.extend((1..v).map(|v| Op::Store(l, v, m)));
            out.extend(lower(l).into_iter().map(|l| Op::Store(l, v, m)));
        }
        Op::FetchAdd(l, a, m) => {
            out.push(Op::Store(l, 1, Mode::Relaxed));
            out.push(Op::Load(l, Mode::Relaxed));
            out.extend(weaker(m).into_iter().map(|m| Op::FetchAdd(l, a, m)));
            out.extend(lower(l).into_iter().map(|l| Op::FetchAdd(l, a, m)));
        }
        Op::Swap(l, v, m) => {
            out.push(Op::Store(l, v, Mode::Relaxed));
            out.push(Op::Load(l, Mode::Relaxed));
            out.extend(weaker(m).into_iter().map(|m| Op::Swap(l, v, m)));
            out.extend((1..v).map(|v| Op::Swap(l, v, m)));
            out.extend(lower(l).into_iter().map(|l| Op::Swap(l, v, m)));
        }
        Op::Cas(l, e, n, s, f) => {
            out.push(Op::Store(l, n, Mode::Relaxed));
            out.push(Op::Load(l, Mode::Relaxed));
            out.push(Op::Swap(l, n, s));
            out.extend(weaker(s).into_iter().map(|s| Op::Cas(l, e, n, s, f)));
            out.extend(weaker(f).into_iter().map(|f| Op::Cas(l, e, n, s, f)));
            out.extend((0..e).map(|e| Op::Cas(l, e, n, s, f)));
            out.extend((1..n).map(|n| Op::Cas(l, e, n, s, f)));
            out.extend(lower(l).into_iter().map(|l| Op::Cas(l, e, n, s, f)));
        }
        Op::Fence(m) => {
            out.extend(
                weaker(m)
                    .into_iter()
                    .filter(|&m| m != Mode::Relaxed)
                    .map(Op::Fence),
            );
        }
    }
    out
}

/// What the oracle says racelab should find with `model` (`None`: racelab's default,
/// SC when every ordering is `SeqCst`, RC11 otherwise).
fn expected(p: &Program, model: Option<MemoryModel>) -> Verdict {
    if model.is_none() && p.all_seq_cst() {
        sc::explore(p)
    } else {
        rc11::explore(p, Model::Rc11)
    }
}

/// A model's name in reports.
fn model_name(model: Option<MemoryModel>) -> &'static str {
    match model {
        None => "default",
        Some(_) => "Rc11",
    }
}

/// How racelab's results differ from the oracle's on `p` under `model` (empty: they
/// agree): the outcome sets, and the execution counts (executions == distinct == the
/// oracle's consistent executions).
fn disagreements(p: &Program, model: Option<MemoryModel>) -> Vec<String> {
    let want = expected(p, model);
    let got = run::run(p, model);
    let mut out = Vec::new();
    if !got.exhaustive {
        out.push("racelab's search was not exhaustive".to_string());
    }
    if !got.other_endings.is_empty() {
        out.push(format!(
            "endings other than a return: {:?}",
            got.other_endings
        ));
    }
    let missing: Vec<&Outcome> = want.outcomes.difference(&got.outcomes).collect();
    let extra: Vec<&Outcome> = got.outcomes.difference(&want.outcomes).collect();
    if !missing.is_empty() {
        out.push(format!(
            "outcomes the oracle allows that racelab never reached: {missing:?}"
        ));
    }
    if !extra.is_empty() {
        out.push(format!(
            "outcomes racelab reached that the oracle forbids: {extra:?}"
        ));
    }
    if got.executions != got.distinct {
        out.push(format!(
            "racelab ran {} executions but only {} were distinct (not optimal)",
            got.executions, got.distinct
        ));
    }
    if got.distinct != want.executions {
        out.push(format!(
            "racelab found {} distinct executions, the oracle {} consistent ones",
            got.distinct, want.executions
        ));
    }
    out
}

/// Every catalogue program: the classic rows, then GenMC's ports.
fn catalogue_programs() -> Vec<(String, Program)> {
    catalogue::classic()
        .into_iter()
        .map(|r| (r.name.to_string(), r.program))
        .chain(
            catalogue::genmc()
                .into_iter()
                .map(|p| (format!("genmc/{}", p.name), p.program)),
        )
        .collect()
}

// ---------------------------------------------------------------------------------------
// The oracle.

/// Every classic row's verdict holds in the oracle: allowed outcomes are reached,
/// forbidden ones are not (and each outcome names registers and values the program has,
/// so a forbidden one is not vacuously unreachable).
#[test]
fn oracle_agrees_with_the_catalogue_verdicts() {
    let mut wrong = Vec::new();
    for row in catalogue::classic() {
        if let Err(e) = row.outcome.well_formed(&row.program) {
            wrong.push(format!(
                "{}: {} is not an outcome of the program: {e}",
                row.name, row.outcome
            ));
            continue;
        }
        let verdict = rc11::explore(&row.program, Model::Rc11);
        let reached = verdict.outcomes.iter().any(|o| row.outcome.holds(o));
        if reached != row.allowed {
            wrong.push(format!(
                "{}: RC11 should {} {} ({}; {})\n{}",
                row.name,
                if row.allowed { "allow" } else { "forbid" },
                row.outcome,
                row.why,
                row.source,
                row.program
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The oracle counts GenMC's recorded executions: under SC (by interleavings and
/// axiomatically) for every port; under RC11 for every port but the three where GenMC
/// checks its own variant of RC11, where the paper's model gives GenMC ≤ 0.9's counts
/// and the variant (`Model::GenmcRc11`) gives GenMC's current ones, for every port.
#[test]
fn oracle_matches_genmc_counts() {
    let differences = catalogue::genmc_model_differences();
    let mut wrong = Vec::new();
    for port in catalogue::genmc() {
        let paper = rc11::explore(&port.program, Model::Rc11).executions;
        let variant = rc11::explore(&port.program, Model::GenmcRc11).executions;
        let sc_ops = sc::explore(&port.program).executions;
        let sc_ax = rc11::explore(&port.program, Model::Sc).executions;
        let want_paper = differences
            .iter()
            .find(|d| d.name == port.name)
            .map_or(port.rc11, |d| d.paper_rc11);
        if (paper, variant, sc_ops, sc_ax) != (want_paper, port.rc11, port.sc, port.sc) {
            wrong.push(format!(
                "{}: oracle rc11 {paper} (want {want_paper}), GenMC's variant {variant}, sc {sc_ops} \
                 (axiomatic {sc_ax}); GenMC rc11 {}, sc {} ({})",
                port.name,
                port.rc11,
                port.sc,
                port.path()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Where GenMC's variant and the paper's RC11 differ, the executions they disagree on are
/// the ones `genmc_model_differences` describes (printed with `--nocapture`).
#[test]
fn genmc_model_differences_are_explained() {
    for d in catalogue::genmc_model_differences() {
        let port = catalogue::genmc()
            .into_iter()
            .find(|p| p.name == d.name)
            .unwrap();
        let key = |g: &rc11::Graph| format!("{:?} {:?}", g.rf, g.mo);
        let paper: Vec<_> = rc11::executions(&port.program, Model::Rc11);
        let variant: Vec<_> = rc11::executions(&port.program, Model::GenmcRc11);
        let paper_keys: BTreeSet<String> = paper.iter().map(|(g, _)| key(g)).collect();
        let variant_keys: BTreeSet<String> = variant.iter().map(|(g, _)| key(g)).collect();
        println!("{} ({}): {}\n{}", d.name, port.path(), d.why, port.program);
        for (g, o) in &paper {
            if !variant_keys.contains(&key(g)) {
                println!(
                    "  only the paper's RC11 allows: {o:?}  rf {:?} mo {:?}",
                    g.rf, g.mo
                );
            }
        }
        for (g, o) in &variant {
            if !paper_keys.contains(&key(g)) {
                println!(
                    "  only GenMC's variant allows:  {o:?}  rf {:?} mo {:?}",
                    g.rf, g.mo
                );
            }
        }
        assert_eq!(
            (paper.len(), variant.len()),
            (d.paper_rc11, port.rc11),
            "{}",
            d.name
        );
    }
}

/// The counts kept in the catalogue are those of GenMC's files (first line of
/// `expected.rc11.mo.in` and `expected.sc.mo.in`) in a checkout of GenMC named by
/// `RACELAB_GENMC_DIR` (`ci/check.sh` clones it at [`catalogue::GENMC_COMMIT`]). Without
/// the variable the files are not re-read and the test says so; under `CI=true` it fails
/// unless `ci/check.sh` found no way to fetch them (`RACELAB_GENMC_UNREACHABLE`, said in
/// its log).
#[test]
fn genmc_counts_are_those_of_the_files() {
    let Some(root) = std::env::var_os("RACELAB_GENMC_DIR") else {
        assert!(
            std::env::var_os("CI").is_none()
                || std::env::var_os("RACELAB_GENMC_UNREACHABLE").is_some(),
            "CI must set RACELAB_GENMC_DIR to a GenMC checkout (ci/check.sh does)"
        );
        println!(
            "RACELAB_GENMC_DIR is not set: GenMC's counts (commit {}) are not re-read",
            catalogue::GENMC_COMMIT
        );
        return;
    };
    let root = std::path::PathBuf::from(root);
    let first_line = |path: std::path::PathBuf| -> usize {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let line = text.lines().next().unwrap_or_default().trim();
        line.parse()
            .unwrap_or_else(|e| panic!("{}: first line {line:?}: {e}", path.display()))
    };
    for port in catalogue::genmc() {
        let dir = root.join(port.path());
        assert_eq!(
            first_line(dir.join("expected.rc11.mo.in")),
            port.rc11,
            "{}",
            dir.display()
        );
        assert_eq!(
            first_line(dir.join("expected.sc.mo.in")),
            port.sc,
            "{}",
            dir.display()
        );
    }
}

/// The pruned enumeration finds exactly what the literal one does (every rf choice, every
/// permutation of every location's writes), on the catalogue and on generated programs
/// small enough for the literal one.
#[test]
fn oracle_pruning_matches_the_literal_enumeration() {
    let (programs, seed) = generated_from_env();
    let mut checked = 0;
    let small = |p: &Program| {
        (0..3).all(|l| {
            p.ops()
                .filter(|(_, _, op)| op.may_write() && op.loc().map(|l| l.index()) == Some(l))
                .count()
                <= 4
        }) && p.ops().filter(|(_, _, op)| op.reads()).count() <= 6
    };
    let catalogue = catalogue_programs().into_iter().map(|(_, p)| p);
    for p in catalogue.chain(programs.into_iter().take(120)) {
        if !small(&p) {
            continue;
        }
        for model in [Model::Rc11, Model::Sc] {
            let fast = rc11::explore(&p, model);
            let literal = rc11::explore_literal(&p, model);
            assert_eq!(
                (&fast.outcomes, fast.executions),
                (&literal.outcomes, literal.executions),
                "{model:?}, seed {seed:#x}: pruning changed the result of\n{p}{p:?}"
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} programs were small enough");
}

/// On generated programs: SC outcomes ⊆ RC11 outcomes; the operational and axiomatic SC
/// oracles agree; and for all-`SeqCst` programs RC11 is SC (outcomes and executions).
#[test]
fn sc_is_within_rc11_and_equal_for_seq_cst_programs() {
    let (programs, seed) = generated_from_env();
    let mut seq_cst_programs = 0;
    for p in &programs {
        let rc11 = rc11::explore(p, Model::Rc11);
        let sc_ops = sc::explore(p);
        let sc_ax = rc11::explore(p, Model::Sc);
        let ctx = format!("seed {seed:#x}\n{p}{p:?}");
        assert!(
            sc_ops.outcomes.is_subset(&rc11.outcomes),
            "SC ⊄ RC11: {ctx}"
        );
        assert!(
            sc_ops.executions <= rc11.executions,
            "more SC executions than RC11: {ctx}"
        );
        assert_eq!(
            (&sc_ops.outcomes, sc_ops.executions),
            (&sc_ax.outcomes, sc_ax.executions),
            "operational and axiomatic SC differ: {ctx}"
        );
        let all_sc = p.to_seq_cst();
        let rc11_sc = rc11::explore(&all_sc, Model::Rc11);
        let sc_sc = sc::explore(&all_sc);
        assert_eq!(
            (&rc11_sc.outcomes, rc11_sc.executions),
            (&sc_sc.outcomes, sc_sc.executions),
            "RC11 ≠ SC on the all-SeqCst version: seed {seed:#x}\n{all_sc}{all_sc:?}"
        );
        // SC is the same whatever the orderings.
        assert_eq!(sc_sc, sc::explore(p), "SC depends on orderings: {ctx}");
        seq_cst_programs += usize::from(p.all_seq_cst());
    }
    assert!(
        seq_cst_programs > 10,
        "only {seq_cst_programs} all-SeqCst programs"
    );
}

// ---------------------------------------------------------------------------------------
// racelab against the oracle.

/// Every catalogue test, under racelab's default model and with RC11 forced: the same
/// outcomes as the oracle, and racelab's executions == its distinct executions == the
/// oracle's consistent executions.
#[test]
fn racelab_matches_the_oracle_on_the_catalogue() {
    let mut wrong = Vec::new();
    for (name, p) in catalogue_programs() {
        for model in [None, Some(MemoryModel::Rc11)] {
            let problems = disagreements(&p, model);
            if !problems.is_empty() {
                wrong.push(format!(
                    "{name} ({}):\n  {}\n{p}{p:?}",
                    model_name(model),
                    problems.join("\n  ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

/// racelab explores exactly GenMC's recorded number of executions: RC11 forced against
/// `expected.rc11.mo.in`, and the default model (SC, every ordering made `SeqCst`, which
/// SC ignores) against `expected.sc.mo.in`. On the three tests where GenMC checks its own
/// variant of RC11 (`genmc_model_differences`), racelab must give the paper's count.
#[test]
fn racelab_matches_genmc_counts() {
    let differences = catalogue::genmc_model_differences();
    let mut wrong = Vec::new();
    for port in catalogue::genmc() {
        let want = differences
            .iter()
            .find(|d| d.name == port.name)
            .map_or(port.rc11, |d| d.paper_rc11);
        let rc11 = run::run(&port.program, Some(MemoryModel::Rc11));
        if (rc11.executions, rc11.distinct) != (want, want) {
            wrong.push(format!(
                "{} (Rc11): racelab {} executions, {} distinct; want {want} (GenMC {}, {})",
                port.name,
                rc11.executions,
                rc11.distinct,
                port.rc11,
                port.path()
            ));
        }
        let sc = run::run(&port.program.to_seq_cst(), None);
        if (sc.executions, sc.distinct) != (port.sc, port.sc) {
            wrong.push(format!(
                "{} (default, made all SeqCst): racelab {} executions, {} distinct; GenMC sc {} ({})",
                port.name,
                sc.executions,
                sc.distinct,
                port.sc,
                port.path()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Generated programs (fixed seed): racelab reaches exactly the oracle's outcomes, under
/// its default model and with RC11 forced, and its executions == its distinct executions
/// == the oracle's consistent executions. Disagreements are shrunk before reporting.
#[test]
fn racelab_matches_the_oracle_on_generated_programs() {
    let (programs, seed) = generated_from_env();
    let mut wrong = Vec::new();
    for p in &programs {
        for model in [None, Some(MemoryModel::Rc11)] {
            if !disagreements(p, model).is_empty() {
                let small = shrink(p, &|q| !disagreements(q, model).is_empty());
                wrong.push(format!(
                    "({}) shrunk from\n{p}to\n{small}{small:?}\n  {}",
                    model_name(model),
                    disagreements(&small, model).join("\n  ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "seed {seed:#x}: {} disagreements on {} programs:\n{}",
        wrong.len(),
        programs.len(),
        wrong.join("\n\n")
    );
}

/// The shrinker reduces a program to a small, locally minimal witness: here, of "RC11
/// allows an outcome SC does not" (no single shrinking step keeps the property, and the
/// witnesses are shapes like SB, MP, LB, S or WRC: at most 3 threads and 5 operations).
#[test]
fn shrinking_reaches_minimal_witnesses() {
    let weak = |p: &Program| rc11::explore(p, Model::Rc11).outcomes != sc::explore(p).outcomes;
    let mut shrunk = 0;
    for p in generated(200, DEFAULT_SEED)
        .iter()
        .filter(|p| p.op_count() >= 8 && weak(p))
        .take(5)
    {
        let small = shrink(p, &weak);
        assert!(weak(&small));
        assert!(
            candidates(&small).iter().all(|c| !c.is_legal() || !weak(c)),
            "{small}is not locally minimal"
        );
        assert!(
            small.threads.len() <= 3 && small.op_count() <= 5,
            "{p}shrank to\n{small}"
        );
        shrunk += 1;
    }
    assert_eq!(shrunk, 5);
}
