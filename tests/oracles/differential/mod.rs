//! Differential tests of racelab's checker against an independent oracle.
//!
//! `program.rs` is a small concurrent program language (atomics, two mutexes, a condition
//! variable, spins, nested spawns) with a proptest generator; `oracle.rs` enumerates every
//! reachable state of a program under sequential consistency, std only, sharing nothing
//! with racelab's search; `run.rs` runs the same program with racelab's primitives through
//! its public API. Both must reach exactly the same set of endings.
//!
//! * `every_order_matches_the_oracle` compares racelab's brute-force `Search::EveryOrder`
//!   (believed correct) with the oracle, on the programs small enough for it.
//! * `exhaustive_matches_the_oracle` (and `..._from_a_second_seed`, on other programs) and
//!   `auto_matches_the_oracle` compare the exhaustive search (`Search::Exhaustive`,
//!   `Search::Auto`) on generated programs of 2–4 threads;
//! * `exhaustive_matches_the_oracle_when_a_thread_panics` does the same on programs with one
//!   `panic!()` (`program::panicking_program`): the releases of the guards a thread drops
//!   as it unwinds, poisoning, and `join` returning the panic;
//! * `regressions.rs`: every program on which the search ever disagreed, by name.
//!
//! `RACELAB_DIFF_CASES` overrides the number of generated programs (for a long CI run),
//! `RACELAB_DIFF_SEED` the seed (decimal or `0x` hex), and `RACELAB_DIFF_WORKERS` the
//! number of programs checked at once (default 1; see `generated.rs`: the same programs,
//! and the same results in the same order, whatever the number). Everything else is
//! deterministic.
#![cfg(not(loom))]

mod generated;
mod oracle;
mod parallel;
mod program;
mod regressions;
mod run;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngSeed, TestRunner};
use racelab::check::Search;

use program::{Instr::*, Outcome, Program};

/// Executions `Search::EveryOrder` may run on one program; larger programs are skipped.
const EVERY_ORDER_BUDGET: usize = 2_000;
/// `Search::EveryOrder` runs only on programs with at most this many states…
const EVERY_ORDER_MAX_STATES: usize = 400;
/// …and at most this many of the oracle's executions (racelab's steps are finer than the
/// oracle's, so it runs several times more): the others would only burn the budget.
const EVERY_ORDER_MAX_PATHS: u64 = 500;
/// Executions the exhaustive searches may run on one program; larger programs are skipped.
const EXHAUSTIVE_BUDGET: usize = 20_000;
/// Generated programs for the comparison with `Search::EveryOrder`, unless
/// `RACELAB_DIFF_CASES` says otherwise (about a sixth are small enough for it; CI's long
/// run takes 4,000).
const EVERY_ORDER_CASES: u32 = 400;
/// Generated programs for the comparison with `Search::Exhaustive`, unless
/// `RACELAB_DIFF_CASES` says otherwise (CI's long run takes 10,000): in each of two tests,
/// from two seeds, which `cargo test` runs side by side.
const EXHAUSTIVE_CASES: u32 = 75;
/// Generated programs for the comparison with `Search::Auto`, unless `RACELAB_DIFF_CASES`
/// says otherwise (CI's long run takes 2,000).
const AUTO_CASES: u32 = 50;
/// The seed, unless `RACELAB_DIFF_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x0dd5_eed5;
/// Generated programs for the check of random schedules against the oracle, unless
/// `RACELAB_DIFF_CASES` says otherwise.
const RANDOM_CASES: u32 = 80;
/// Random schedules per program in that check.
const RANDOM_SCHEDULES: usize = 100;
/// Disagreeing programs shrunk and printed when a comparison fails.
const SHOWN: usize = 3;

/// The number of generated programs: `RACELAB_DIFF_CASES`, or `default`.
fn cases(default: u32) -> u32 {
    match std::env::var("RACELAB_DIFF_CASES") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("RACELAB_DIFF_CASES={s:?} is not a number of cases")),
        Err(_) => default,
    }
}

/// The generator's seed: `RACELAB_DIFF_SEED` (decimal or `0x` hex), or `DEFAULT_SEED`.
fn seed() -> u64 {
    match std::env::var("RACELAB_DIFF_SEED") {
        Ok(s) => {
            let s = s.trim();
            let parsed = match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("RACELAB_DIFF_SEED={s:?} is not a u64"))
        }
        Err(_) => DEFAULT_SEED,
    }
}

/// A program on which racelab and the oracle reached different sets of endings.
struct Disagreement {
    program: Program,
    oracle: BTreeSet<Outcome>,
    racelab: BTreeSet<Outcome>,
}

/// What a differential run over generated programs found.
struct Summary {
    generated: usize,
    /// Programs the cheap size check ruled out before racelab ran.
    too_big: usize,
    /// Programs racelab did not explore exhaustively within its budget.
    not_exhaustive: usize,
    compared: usize,
    /// Compared programs by their number of threads.
    compared_by_threads: BTreeMap<usize, usize>,
    /// racelab's executions on the compared programs.
    executions: usize,
    /// The oracle's states on the compared programs.
    states: usize,
    disagreements: Vec<Disagreement>,
    elapsed: Duration,
}

/// Which programs a comparison runs racelab on.
#[derive(Clone, Copy)]
struct Plan {
    search: Search,
    /// racelab's execution budget per program.
    budget: usize,
    /// Programs to generate, unless `RACELAB_DIFF_CASES` says otherwise.
    cases: u32,
    /// If set, `(max_states, max_paths)`: run racelab only on programs with at most that
    /// many oracle states and oracle executions (for the search without reduction).
    small_only: Option<(usize, u64)>,
    /// Mixed into the seed (`RACELAB_DIFF_SEED` or the default) to draw other programs.
    salt: u64,
    /// Draw programs with a panic (`program::panicking_program`).
    panics: bool,
    /// What racelab and the oracle alike may let happen.
    options: Options,
}

/// What a comparison lets happen, in racelab and in the oracle alike.
#[derive(Clone, Copy, Default)]
struct Options {
    /// If not 0, every `Cas` is a `compare_exchange_weak` that may fail spuriously at most
    /// this many times in each thread (`Check::spurious_failures`).
    spurious_failures: u32,
    /// If set, each thread's timed waits time out at most this many times
    /// (`Check::wakeups_without_notify`); an execution cut there is
    /// `Outcome::WakeupLimit`.
    wakeup_limit: Option<u32>,
    /// Whether `Condvar::wait` may wake spuriously, or never (`Check::spurious_wakeups`).
    spurious_wakeups: bool,
}

/// What comparing racelab with the oracle on one program gave.
enum Compared {
    /// Ruled out by the plan's size check.
    TooBig,
    /// racelab's search was not exhaustive within the budget.
    NotExhaustive,
    /// Both explored everything: racelab's executions, the oracle's states, and the
    /// disagreement if any.
    Done(usize, usize, Option<Disagreement>),
}

/// Compares racelab (as `plan` says) with the oracle on `program`.
fn compare_planned(program: &Program, plan: Plan) -> Compared {
    if let Some((max_states, max_paths)) = plan.small_only {
        match oracle::executions_if_small(program, max_states) {
            Some(paths) if paths <= max_paths => {}
            _ => return Compared::TooBig,
        }
    }
    let Options {
        spurious_failures,
        wakeup_limit,
        spurious_wakeups,
    } = plan.options;
    let run = run::run_with(
        program,
        plan.search,
        plan.budget,
        spurious_failures,
        wakeup_limit,
        spurious_wakeups,
    );
    let Some(run) = run else {
        return Compared::NotExhaustive;
    };
    let oracle = match (spurious_failures, wakeup_limit) {
        (0, None) if spurious_wakeups => {
            oracle::explore_within_with_spurious_wakeups(program, usize::MAX)
                .expect("no bound on the states")
        }
        (0, None) => oracle::explore(program),
        (n, None) => oracle::explore_within_with_spurious_failures(program, usize::MAX, n)
            .expect("no bound on the states"),
        (0, Some(n)) => oracle::explore_within_with_wakeup_limit(program, usize::MAX, n)
            .expect("no bound on the states"),
        _ => unimplemented!("spurious failures and a wake-up limit together"),
    };
    let disagreement = (run.outcomes != oracle.outcomes).then(|| Disagreement {
        program: program.clone(),
        oracle: oracle.outcomes,
        racelab: run.outcomes,
    });
    Compared::Done(run.executions, oracle.states, disagreement)
}

/// Compares racelab's `search` (with an execution budget) with the oracle on `program`,
/// both with `options` (see [`Plan`]).
fn compare_with(program: &Program, search: Search, budget: usize, options: Options) -> Compared {
    let plan = Plan {
        search,
        budget,
        cases: 1,
        small_only: None,
        salt: 0,
        panics: false,
        options,
    };
    compare_planned(program, plan)
}

/// Runs the comparison `plan` on generated programs (seed `seed()`), on
/// [`generated::workers`] threads.
fn compare_generated(plan: Plan) -> Summary {
    let start = Instant::now();
    let draw = if plan.panics {
        generated::panicking_programs
    } else {
        generated::programs
    };
    // Only programs with a compare_exchange say anything about spurious failures, and
    // only those with a timed wait about a limit of wake-ups: draw more (about a third of
    // the programs have the one, a fourteenth the other), keep the first with one.
    let needs = match plan.options {
        Options {
            spurious_failures: 1..,
            ..
        } => Some((&["Cas("][..], 3)),
        Options {
            wakeup_limit: Some(_),
            ..
        } => Some((&["WaitTimeoutOnce"][..], 25)),
        Options {
            spurious_wakeups: true,
            ..
        } => Some((&["WaitOnce", "WaitWhileZero"][..], 6)),
        _ => None,
    };
    let programs = match needs {
        Some((instr, more)) => {
            let wanted = cases(plan.cases) as usize;
            let mut drawn = draw(cases(plan.cases).saturating_mul(more), seed() ^ plan.salt);
            drawn.retain(|p| {
                let p = format!("{p:?}");
                instr.iter().any(|i| p.contains(i))
            });
            drawn.truncate(wanted);
            drawn
        }
        None => draw(cases(plan.cases), seed() ^ plan.salt),
    };
    let compared = generated::map(&programs, |program| compare_planned(program, plan));
    let mut s = Summary {
        generated: 0,
        too_big: 0,
        not_exhaustive: 0,
        compared: 0,
        compared_by_threads: BTreeMap::new(),
        executions: 0,
        states: 0,
        disagreements: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for (program, found) in programs.iter().zip(compared) {
        s.generated += 1;
        match found {
            Compared::TooBig => s.too_big += 1,
            Compared::NotExhaustive => s.not_exhaustive += 1,
            Compared::Done(executions, states, disagreement) => {
                s.compared += 1;
                *s.compared_by_threads
                    .entry(program.threads.len())
                    .or_default() += 1;
                s.executions += executions;
                s.states += states;
                s.disagreements.extend(disagreement);
            }
        }
    }
    s.elapsed = start.elapsed();
    s
}

/// Greedily shrinks a disagreeing program: the smallest candidate that still disagrees
/// (and that racelab still explores exhaustively; see [`generated::shrink`]).
fn shrink(found: Disagreement, plan: Plan) -> Disagreement {
    let program = found.program.clone();
    let (search, budget, options) = (plan.search, plan.budget, plan.options);
    let disagrees = |p: &Program| match compare_with(p, search, budget, options) {
        Compared::Done(_, _, disagreement) => disagreement,
        _ => None,
    };
    generated::shrink(program, found, disagrees).1
}

/// A compact rendering of a set of outcomes.
fn show_outcomes(set: &BTreeSet<Outcome>) -> String {
    let mut out = String::new();
    for o in set {
        match o {
            Outcome::Finished {
                records,
                atomics,
                data,
            } => writeln!(
                out,
                "    records {records:?}, a = {atomics:?}, data = {data:?}"
            ),
            Outcome::Stuck => writeln!(out, "    Stuck"),
            Outcome::WakeupLimit => writeln!(out, "    WakeupLimit"),
        }
        .expect("writing to a String");
    }
    out
}

/// A disagreement, printed for a human: the program as code and as a constructor, what
/// only the oracle reached, what only racelab reached.
fn show(d: &Disagreement, search: Search) -> String {
    let only_oracle: BTreeSet<Outcome> = d.oracle.difference(&d.racelab).cloned().collect();
    let only_racelab: BTreeSet<Outcome> = d.racelab.difference(&d.oracle).cloned().collect();
    format!(
        "{program}{program:?}\n  reached by the oracle only (racelab {search:?} misses them):\n{}  \
         reached by racelab {search:?} only (the oracle says unreachable):\n{}  \
         reached by both: {}\n",
        show_outcomes(&only_oracle),
        show_outcomes(&only_racelab),
        d.oracle.intersection(&d.racelab).count(),
        program = d.program,
    )
}

/// What the brute-force baseline says about a program the exhaustive search disagreed on; when it
/// is too slow to say, how many of the outcomes only the oracle reached random schedules
/// reach (each one they reach is certainly reachable, whatever the oracle).
fn every_order_verdict(d: &Disagreement, options: Options) -> String {
    const BUDGET: usize = 100_000;
    const SCHEDULES: usize = 20_000;
    match compare_with(&d.program, Search::EveryOrder, BUDGET, options) {
        Compared::TooBig | Compared::NotExhaustive => {
            let sampled = run::sample(&d.program, SCHEDULES).outcomes;
            let missed: BTreeSet<&Outcome> = d.oracle.difference(&d.racelab).collect();
            let confirmed = missed.iter().filter(|o| sampled.contains(o)).count();
            let unknown: BTreeSet<&Outcome> = sampled.difference(&d.oracle).collect();
            format!(
                "EveryOrder: not exhaustive within {BUDGET} executions; {SCHEDULES} random \
                 schedules reach {confirmed} of the {} outcomes only the oracle reached{}",
                missed.len(),
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!(", and {} the oracle does not: {unknown:?}", unknown.len())
                }
            )
        }
        Compared::Done(_, _, None) => "EveryOrder: agrees with the oracle".to_string(),
        Compared::Done(_, _, Some(d)) => format!(
            "EveryOrder disagrees with the oracle too:\n{}",
            show(&d, Search::EveryOrder)
        ),
    }
}

/// Runs the comparison `plan` and fails, showing up to `SHOWN` shrunk disagreements,
/// unless none was found; also fails unless at least `min_compared` of every 100 generated
/// programs could be compared.
fn assert_matches_the_oracle(plan: Plan, min_compared: usize) {
    let search = plan.search;
    let summary = compare_generated(plan);
    println!(
        "{search:?}: compared {} of {} generated programs with the oracle (by threads: {}; \
         {} ruled out as too big, {} not exhaustive within {} executions; {} racelab \
         executions, {} oracle states) in {:.1?}: {} disagreed",
        summary.compared,
        summary.generated,
        summary
            .compared_by_threads
            .iter()
            .map(|(threads, n)| format!("{n} with {threads} threads"))
            .collect::<Vec<_>>()
            .join(", "),
        summary.too_big,
        summary.not_exhaustive,
        plan.budget,
        summary.executions,
        summary.states,
        summary.elapsed,
        summary.disagreements.len(),
    );
    if !summary.disagreements.is_empty() {
        let count = summary.disagreements.len();
        let mut found = summary.disagreements;
        found.sort_by_key(|d| (d.program.size(), d.program.threads.len()));
        let mut shown: Vec<Disagreement> = Vec::new();
        for d in found {
            if shown.len() == SHOWN {
                break;
            }
            let small = shrink(d, plan);
            if shown.iter().all(|s| s.program != small.program) {
                shown.push(small);
            }
        }
        let mut text = String::new();
        for (i, d) in shown.iter().enumerate() {
            writeln!(
                text,
                "--- disagreement {} (shrunk) ---\n{}",
                i + 1,
                show(d, search)
            )
            .expect("writing to a String");
            if search != Search::EveryOrder {
                writeln!(text, "  {}\n", every_order_verdict(d, plan.options))
                    .expect("writing to a String");
            }
        }
        panic!(
            "racelab {search:?} disagreed with the oracle on {count} of {} programs; \
             the smallest, shrunk:\n{text}",
            summary.compared
        );
    }
    let needed = summary.generated * min_compared / 100;
    assert!(
        summary.compared >= needed,
        "only {} of {} programs could be compared (at least {needed} needed)",
        summary.compared,
        summary.generated
    );
}

/// racelab's search without reduction, believed correct, reaches exactly the oracle's
/// outcomes on every generated program small enough for it: this checks the oracle and the
/// translation as much as racelab.
#[test]
fn every_order_matches_the_oracle() {
    let plan = Plan {
        search: Search::EveryOrder,
        budget: EVERY_ORDER_BUDGET,
        cases: EVERY_ORDER_CASES,
        small_only: Some((EVERY_ORDER_MAX_STATES, EVERY_ORDER_MAX_PATHS)),
        salt: 0,
        panics: false,
        options: Options::default(),
    };
    // Only programs of 2 threads, or of 3 tiny ones, are small enough: about a sixth.
    assert_matches_the_oracle(plan, 12);
}

/// Every ending racelab's random schedules reach, the oracle reaches too, on generated
/// programs of every size (most too big for `Search::EveryOrder`): the oracle never misses
/// a reachable outcome of 3 or 4 threads either. (Random schedules reach only some
/// outcomes, so this is one direction only.)
#[test]
fn random_schedules_stay_within_the_oracle() {
    let mut runner = TestRunner::new(Config {
        cases: cases(RANDOM_CASES),
        rng_seed: RngSeed::Fixed(seed()),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&program::program(), |program| {
        let sampled = run::sample(&program, RANDOM_SCHEDULES).outcomes;
        let oracle = oracle::outcomes(&program);
        let beyond: BTreeSet<Outcome> = sampled.difference(&oracle).cloned().collect();
        proptest::prop_assert!(
            beyond.is_empty(),
            "random schedules of racelab reach outcomes the oracle says are unreachable:\n\
             {program}{program:?}\n{}",
            show_outcomes(&beyond)
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// racelab's exhaustive search reaches exactly the oracle's outcomes on generated programs.
#[test]
fn exhaustive_matches_the_oracle() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: EXHAUSTIVE_CASES,
        small_only: None,
        salt: 0,
        panics: false,
        options: Options::default(),
    };
    assert_matches_the_oracle(plan, 45);
}

/// The same on other programs (another seed), so that `cargo test` compares twice as many
/// programs in the same time on two cores. CI's long run goes through the test above.
#[test]
fn exhaustive_matches_the_oracle_from_a_second_seed() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: EXHAUSTIVE_CASES,
        small_only: None,
        salt: 0x5eed_0002,
        panics: false,
        options: Options::default(),
    };
    assert_matches_the_oracle(plan, 45);
}

/// Generated programs with a panic for the comparison with `Search::Exhaustive`, unless
/// `RACELAB_DIFF_CASES` says otherwise (CI's long run takes 2,000).
const PANIC_CASES: u32 = 60;
/// Generated programs with a compare_exchange for the comparisons with spurious failures,
/// unless `RACELAB_DIFF_CASES` says otherwise (CI's long run takes 2,000).
const SPURIOUS_CASES: u32 = 40;

/// racelab's exhaustive search reaches exactly the oracle's outcomes on generated programs
/// in which one thread panics: the guards it holds are dropped as it unwinds (releasing and
/// poisoning their mutexes, racelab taking each release once the thread stops unwinding),
/// and whoever joins it gets `Err`.
#[test]
fn exhaustive_matches_the_oracle_when_a_thread_panics() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: PANIC_CASES,
        small_only: None,
        salt: 0x9a41c,
        panics: true,
        options: Options::default(),
    };
    assert_matches_the_oracle(plan, 45);
}

/// racelab's exhaustive search reaches exactly the oracle's outcomes on generated programs
/// (with a compare_exchange) in which every compare_exchange is weak and may fail
/// spuriously, at most twice in each thread (`Check::spurious_failures(2)`): a spurious
/// failure is one more way for the search to add the read, also when a backward revisit
/// makes it read a later write.
#[test]
fn exhaustive_matches_the_oracle_with_spurious_failures() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: SPURIOUS_CASES,
        small_only: None,
        salt: 0x5f41,
        panics: false,
        options: Options {
            spurious_failures: 2,
            wakeup_limit: None,
            spurious_wakeups: false,
        },
    };
    assert_matches_the_oracle(plan, 45);
}

/// The same with racelab's search without reduction, on the programs small enough for it:
/// the strategies' way of choosing a spurious failure.
#[test]
fn every_order_matches_the_oracle_with_spurious_failures() {
    let plan = Plan {
        search: Search::EveryOrder,
        budget: EVERY_ORDER_BUDGET,
        cases: SPURIOUS_CASES,
        small_only: Some((EVERY_ORDER_MAX_STATES, EVERY_ORDER_MAX_PATHS)),
        salt: 0x5f42,
        panics: false,
        options: Options {
            spurious_failures: 1,
            wakeup_limit: None,
            spurious_wakeups: false,
        },
    };
    assert_matches_the_oracle(plan, 5);
}

/// Generated programs with a timed wait for the comparisons with a limit of wake-ups
/// without a notify, unless `RACELAB_DIFF_CASES` says otherwise.
const WAKEUP_LIMIT_CASES: u32 = 25;

/// racelab's exhaustive search reaches exactly the oracle's outcomes on generated programs
/// (with a timed wait) in which each thread's timed waits time out at most once
/// (`Check::wakeups_without_notify(1)`): a thread at its limit waits for a notify, and an
/// execution in which nothing else can run then is cut (`Outcome::WakeupLimit`).
#[test]
fn exhaustive_matches_the_oracle_with_a_wakeup_limit() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: WAKEUP_LIMIT_CASES,
        small_only: None,
        salt: 0x11a1,
        panics: false,
        options: Options {
            spurious_failures: 0,
            wakeup_limit: Some(1),
            spurious_wakeups: false,
        },
    };
    assert_matches_the_oracle(plan, 45);
}

/// The same with a limit of 0: a timed wait never times out, so every one nobody notifies
/// is cut.
#[test]
fn exhaustive_matches_the_oracle_with_no_wakeup_without_a_notify() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: EXHAUSTIVE_BUDGET,
        cases: WAKEUP_LIMIT_CASES,
        small_only: None,
        salt: 0x11a2,
        panics: false,
        options: Options {
            spurious_failures: 0,
            wakeup_limit: Some(0),
            spurious_wakeups: false,
        },
    };
    assert_matches_the_oracle(plan, 45);
}

/// Generated programs with a plain wait compared with spurious wake-ups, unless
/// `RACELAB_DIFF_CASES` says otherwise.
const SPURIOUS_WAKEUP_CASES: u32 = 12;

/// The execution budget with spurious wake-ups. Two threads that wait in a loop on one
/// mutex never repeat a turn (each re-locks after the other's wake-up), so such a search
/// runs into any budget, and its executions grow longer as it goes (in release, about 1 s
/// for 2,000 executions, 20 s for 8,000): those programs are skipped sooner.
const SPURIOUS_WAKEUP_BUDGET: usize = 1_000;

/// With spurious wake-ups (`Check::spurious_wakeups`), on programs with a plain wait
/// (`WaitOnce`, `WaitWhileZero`): a wait may wake at any moment without a notify, or never
/// (std allows both; the oracle's rule: a state where only spurious wake-ups could move is
/// also an end, stuck).
#[test]
fn exhaustive_matches_the_oracle_with_spurious_wakeups() {
    let plan = Plan {
        search: Search::Exhaustive,
        budget: SPURIOUS_WAKEUP_BUDGET,
        cases: SPURIOUS_WAKEUP_CASES,
        small_only: None,
        salt: 0x5a1e,
        panics: false,
        options: Options {
            spurious_wakeups: true,
            ..Options::default()
        },
    };
    assert_matches_the_oracle(plan, 45);
}

/// The same with racelab's search without reduction, on the programs small enough for it:
/// the strategies' way of choosing that a wait never wakes.
#[test]
fn every_order_matches_the_oracle_with_spurious_wakeups() {
    let plan = Plan {
        search: Search::EveryOrder,
        budget: EVERY_ORDER_BUDGET,
        cases: SPURIOUS_WAKEUP_CASES,
        small_only: Some((EVERY_ORDER_MAX_STATES, EVERY_ORDER_MAX_PATHS)),
        salt: 0x5a1f,
        panics: false,
        options: Options {
            spurious_wakeups: true,
            ..Options::default()
        },
    };
    assert_matches_the_oracle(plan, 3);
}

/// Generated programs for the optimality check, unless `RACELAB_DIFF_CASES` says otherwise.
const OPTIMALITY_CASES: u32 = 80;

/// The exhaustive search runs each execution once (TruSt is optimal: `Check::count_traces`
/// finds no repeat) on generated programs, condition variables included.
#[test]
fn the_exhaustive_search_runs_each_execution_once() {
    let programs = generated::programs(cases(OPTIMALITY_CASES), seed() ^ 0x0b71);
    assert_each_execution_runs_once(&programs, EXHAUSTIVE_BUDGET, false, 90);
}

/// The same with spurious wake-ups, on programs with a plain wait: a wait that never wakes
/// is one more alternative of its wake, and never runs twice either.
#[test]
fn the_exhaustive_search_runs_each_execution_once_with_spurious_wakeups() {
    let mut programs = generated::programs(cases(SPURIOUS_WAKEUP_CASES) * 6, seed() ^ 0x0b73);
    programs.retain(|p| {
        let p = format!("{p:?}");
        p.contains("WaitOnce") || p.contains("WaitWhileZero")
    });
    programs.truncate(cases(SPURIOUS_WAKEUP_CASES) as usize);
    // About three in four fit the smaller budget (two threads waiting in a loop do not).
    assert_each_execution_runs_once(&programs, SPURIOUS_WAKEUP_BUDGET, true, 60);
}

/// Fails if the exhaustive search runs some execution of `programs` twice, or if fewer
/// than `min_percent` of them are explored exhaustively within `budget`.
fn assert_each_execution_runs_once(
    programs: &[Program],
    budget: usize,
    spurious_wakeups: bool,
    min_percent: usize,
) {
    let repeats = generated::map(programs, |p| run::repeated(p, budget, spurious_wakeups));
    let checked = repeats.iter().flatten().count();
    let repeating: Vec<String> = programs
        .iter()
        .zip(&repeats)
        .filter(|(_, r)| r.is_some_and(|n| n > 0))
        .map(|(p, r)| format!("{} repeated:\n{p}{p:?}", r.unwrap_or(0)))
        .collect();
    assert!(repeating.is_empty(), "{}", repeating.join("\n"));
    assert!(
        checked * 100 >= programs.len() * min_percent,
        "only {checked} of {} programs explored exhaustively",
        programs.len()
    );
}

/// Found on 1,991 generated programs (seed 0x9191): 6 ran some execution twice, each with
/// the condition variable. A `notify_one` that took another waiter than the first
/// (`Item::Choice`) left its write marked maximal, so a backward revisit could delete it
/// and its re-addition pushed the same choice again. Two of them, the smallest with
/// `notify_one` alone, and the minimal case (two waiters, two `notify_one`s, 8 of 62
/// executions repeated).
#[test]
fn a_notify_one_that_took_another_waiter_runs_once() {
    let programs = [
        vec![
            vec![NotifyOne],
            vec![NotifyOne],
            vec![Locked(0, vec![WaitOnce])],
            vec![Locked(0, vec![WaitOnce])],
        ],
        vec![
            vec![NotifyOne, Cas(1, 1, 0), Store(1, 0)],
            vec![
                TryLocked(1, vec![Store(1, 0), NotifyOne, NotifyOne]),
                TryLocked(0, vec![]),
            ],
            vec![
                JoinChildren,
                Spawn(vec![NotifyOne, Locked(0, vec![WaitOnce])]),
            ],
            vec![
                Locked(0, vec![Load(1), WaitOnce]),
                TryLocked(1, vec![Load(1)]),
            ],
        ],
        vec![
            vec![
                TryLocked(0, vec![WaitWhileZero, Load(1)]),
                TryLocked(1, vec![]),
                TryLocked(1, vec![]),
            ],
            vec![Load(1), NotifyOne, Swap(1, 0)],
            vec![
                Locked(1, vec![Load(1)]),
                Locked(1, vec![]),
                TryLocked(0, vec![WaitOnce]),
            ],
            vec![NotifyOne],
        ],
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![NotifyOne],
            vec![Locked(0, vec![WaitTimeoutOnce])],
        ],
    ];
    for (i, threads) in programs.into_iter().enumerate() {
        let p = Program { threads };
        assert_eq!(run::repeated(&p, EXHAUSTIVE_BUDGET, false), Some(0), "{p}");
        // And it still reaches what the oracle reaches (the large second one is left to
        // the differential tests, for time).
        if i != 1 {
            let run = run::run(&p, Search::Exhaustive, EXHAUSTIVE_BUDGET).expect("exhaustive");
            assert_eq!(run.outcomes, oracle::outcomes(&p), "{p}");
        }
    }
}

/// racelab's default search (`Auto`: the exhaustive search, sampling past its budget)
/// reaches exactly the oracle's outcomes on generated programs.
#[test]
fn auto_matches_the_oracle() {
    let plan = Plan {
        search: Search::Auto,
        budget: EXHAUSTIVE_BUDGET,
        cases: AUTO_CASES,
        small_only: None,
        salt: 0,
        panics: false,
        options: Options::default(),
    };
    assert_matches_the_oracle(plan, 90);
}

/// Small hand-written programs (the oracle's examples among them): 2 threads, or 3 of
/// one or two steps, small enough for `Search::EveryOrder`.
fn hand_written_small() -> Vec<Program> {
    let programs = vec![
        vec![vec![Store(0, 1)], vec![Load(0)], vec![Load(0)]],
        vec![
            vec![Locked(0, vec![Locked(1, vec![])])],
            vec![Locked(1, vec![Locked(0, vec![])])],
        ],
        vec![vec![Load(0), Store(0, 1)], vec![Load(0), Store(0, 1)]],
        vec![vec![FetchAdd(0)], vec![FetchAdd(0)]],
        vec![vec![Locked(0, vec![WaitOnce])], vec![NotifyOne]],
        vec![
            vec![Locked(0, vec![WaitWhileZero, ReadData])],
            vec![Locked(0, vec![WriteData(1)]), NotifyOne],
        ],
        vec![
            vec![Locked(0, vec![WaitWhileZero, ReadData])],
            vec![Locked(0, vec![WriteData(1), NotifyAll, WriteData(2)])],
        ],
        vec![vec![SpinUntil(0, 1)], vec![Store(0, 1), Store(0, 0)]],
        vec![vec![SpinUntil(0, 1)], vec![Store(0, 2)]],
        vec![
            vec![Spawn(vec![Load(0)]), FetchAdd(1), JoinChildren],
            vec![Store(0, 1)],
        ],
        vec![
            vec![Spawn(vec![SpinUntil(0, 1), Load(1)]), Store(1, 2)],
            vec![Store(0, 1)],
        ],
        vec![vec![TryLocked(0, vec![AddData])], vec![Locked(0, vec![])]],
        vec![vec![Cas(0, 0, 1), Swap(0, 2)], vec![Cas(0, 0, 2)]],
    ];
    programs
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
}

/// Hand-written programs of 3 and 4 threads, the oracle's examples: too big for
/// `Search::EveryOrder`, for the exhaustive searches.
fn hand_written_large() -> Vec<Program> {
    let programs = vec![
        // T1's load under m0 can see T2's later store while T3's load does not.
        vec![
            vec![Locked(0, vec![Load(0)])],
            vec![Locked(0, vec![]), Store(0, 1)],
            vec![Load(0)],
        ],
        // WRC
        vec![
            vec![Store(0, 1)],
            vec![Load(0), Store(1, 1)],
            vec![Load(1), Load(0)],
        ],
        // IRIW
        vec![
            vec![Store(0, 1)],
            vec![Store(1, 1)],
            vec![Load(0), Load(1)],
            vec![Load(1), Load(0)],
        ],
        // notify_one with two waiters
        vec![
            vec![Locked(0, vec![WaitOnce])],
            vec![Locked(0, vec![WaitOnce])],
            vec![NotifyOne],
        ],
        // notify_one may pick either waiter
        vec![
            vec![Locked(0, vec![AddData, WaitOnce]), Store(0, 1)],
            vec![Locked(0, vec![AddData, WaitOnce]), Store(1, 1)],
            vec![Locked(0, vec![ReadData]), NotifyOne],
            vec![SpinUntil(0, 1), NotifyOne],
        ],
    ];
    programs
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
}

/// Hand-written programs with a timed wait (`WaitTimeoutOnce`), the oracle's examples, of 2
/// threads: small enough for `Search::EveryOrder`. A timed wait can end by its timeout at
/// any moment, so none of these is ever stuck.
fn hand_written_timed_waits_small() -> Vec<Program> {
    let programs = vec![
        // Alone: it times out (records 1), never stuck.
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce, AddData])],
            vec![Store(0, 1)],
        ],
        // A notify wakes it (0), or comes after its timeout (1).
        vec![vec![Locked(0, vec![WaitTimeoutOnce])], vec![NotifyOne]],
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![NotifyAll])],
        ],
        // Woken, it reads what came before the notify: (0, 1), (1, 0), (1, 1), never (0, 0).
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce, ReadData])],
            vec![Locked(0, vec![WriteData(1), NotifyOne])],
        ],
    ];
    programs
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
}

/// Hand-written programs of 3 threads with a timed wait, the oracle's examples: for the
/// exhaustive searches.
fn hand_written_timed_waits_large() -> Vec<Program> {
    let programs = vec![
        // notify_one wakes at most one of two timed waits: never both 0.
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![NotifyOne],
        ],
        // A timed wait beside a plain one: T1 timed out and T2 woken, or Stuck.
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce])],
            vec![Locked(0, vec![WaitOnce])],
            vec![NotifyOne],
        ],
        // T1's wait has ended (timed out) before T3's notify, which must then pick T2: one
        // outcome, never stuck.
        vec![
            vec![Locked(0, vec![WaitTimeoutOnce]), Store(0, 1)],
            vec![Locked(0, vec![WaitWhileZero])],
            vec![SpinUntil(0, 1), Locked(0, vec![WriteData(1)]), NotifyOne],
        ],
    ];
    programs
        .into_iter()
        .map(|threads| Program { threads })
        .collect()
}

/// Fails with every disagreement between racelab's `search` and the oracle on `programs`.
fn assert_programs_match(programs: Vec<Program>, search: Search, budget: usize) {
    assert_programs_match_with(programs, search, budget, Options::default());
}

/// [`assert_programs_match`] with `options`.
fn assert_programs_match_with(
    programs: Vec<Program>,
    search: Search,
    budget: usize,
    options: Options,
) {
    let mut failures = String::new();
    for program in programs {
        match compare_with(&program, search, budget, options) {
            Compared::TooBig | Compared::NotExhaustive => writeln!(
                failures,
                "{search:?} not exhaustive within {budget} on\n{program}"
            ),
            Compared::Done(_, _, Some(d)) if search == Search::EveryOrder => {
                writeln!(failures, "{}", show(&d, search))
            }
            Compared::Done(_, _, Some(d)) => {
                writeln!(
                    failures,
                    "{}  {}\n",
                    show(&d, search),
                    every_order_verdict(&d, options)
                )
            }
            Compared::Done(_, _, None) => Ok(()),
        }
        .expect("writing to a String");
    }
    assert!(failures.is_empty(), "{failures}");
}

/// The translation (`run.rs`) and racelab's baseline agree with the oracle on small
/// hand-written programs.
#[test]
fn hand_written_programs_match_every_order() {
    assert_programs_match(hand_written_small(), Search::EveryOrder, 30_000);
}

/// The exhaustive search agrees with the oracle on the hand-written programs, large ones
/// included.
#[test]
fn hand_written_programs_match_exhaustive() {
    let mut programs = hand_written_small();
    programs.extend(hand_written_large());
    assert_programs_match(programs, Search::Exhaustive, EXHAUSTIVE_BUDGET);
}

/// The translation of timed waits and racelab's baseline agree with the oracle on small
/// hand-written programs: a timed wait may time out at any moment, and a notify wakes it
/// only while it still waits.
#[test]
fn hand_written_timed_waits_match_every_order() {
    assert_programs_match(hand_written_timed_waits_small(), Search::EveryOrder, 30_000);
}

/// The exhaustive search agrees with the oracle on the hand-written timed waits, large
/// ones included.
#[test]
fn hand_written_timed_waits_match_exhaustive() {
    let mut programs = hand_written_timed_waits_small();
    programs.extend(hand_written_timed_waits_large());
    assert_programs_match(programs, Search::Exhaustive, EXHAUSTIVE_BUDGET);
}

/// Both searches agree with the oracle on the hand-written timed waits under a limit of
/// wake-ups without a notify of 0, 1 and 2 (`Check::wakeups_without_notify`): the search
/// without reduction on the small ones (generated programs with a timed wait are too big
/// for it), the exhaustive one on all.
#[test]
fn hand_written_timed_waits_match_with_a_wakeup_limit() {
    for limit in 0..=2 {
        let options = Options {
            spurious_failures: 0,
            wakeup_limit: Some(limit),
            spurious_wakeups: false,
        };
        let small = hand_written_timed_waits_small();
        assert_programs_match_with(small.clone(), Search::EveryOrder, 30_000, options);
        let mut programs = small;
        programs.extend(hand_written_timed_waits_large());
        assert_programs_match_with(programs, Search::Exhaustive, EXHAUSTIVE_BUDGET, options);
    }
}
