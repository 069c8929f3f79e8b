//! The step-granularity explorer, checked against an independent enumeration.
//!
//! For the counter scenarios the distinct interleavings can be enumerated without running
//! any code: every way to merge the threads' step sequences, simulated on a plain integer.
//! The explorer (which runs the real core under shuttle) must find exactly the same number
//! of interleavings and the same outcome histogram, for every size the tool accepts.
//!
//! Under plain `cargo test` the sizes over [`QUICK`] interleavings are skipped (they take
//! most of the time: about 20 s of a debug-assertion build); `RACELAB_FULL=1` (set by
//! `ci/check.sh`) explores every accepted size.
#![cfg(not(loom))]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use racelab::check::{Pruning, Verdict};
use racelab::step::Step;
use racelab::teach::explore::{Exploration, explore, explore_with, switches};
use racelab::teach::replay::{Refusal, replay};
use racelab::teach::sizes::interleavings;
use racelab::teach::{EndState, Kind, Params, Scenario};

/// Every size of `kind` that explore accepts (flags tried from 0 to 8).
fn accepted_sizes(kind: Kind) -> Vec<Scenario> {
    let mut sizes = vec![kind.default_params()];
    for &flag in kind.flags() {
        sizes = sizes
            .into_iter()
            .flat_map(|p| {
                (0..=8).map(move |v| {
                    let mut p: Params = p;
                    flag.set(&mut p, v);
                    p
                })
            })
            .collect();
    }
    sizes
        .into_iter()
        .filter_map(|p| Scenario::new(kind, p).ok())
        .collect()
}

/// The most interleavings a size may have to be explored under plain `cargo test`.
const QUICK: u128 = 5_000;

/// Whether every accepted size is explored (`RACELAB_FULL=1`), not only the quick ones.
fn full() -> bool {
    std::env::var_os("RACELAB_FULL").is_some_and(|v| v == "1")
}

/// Whether `s` is explored under plain `cargo test`: at most [`QUICK`] interleavings (the
/// counters' are counted exactly; the queue kinds' grow with workers × items, and 2 × 2 is
/// over 20,000), or `RACELAB_FULL=1`.
fn explored_here(s: &Scenario) -> bool {
    let p = s.params();
    let quick = match s.kind() {
        Kind::Queue | Kind::TaskDoneEarly | Kind::IfNotWhile => p.workers * p.items <= 3,
        Kind::MessageRelaxed | Kind::MessageReleaseAcquire | Kind::OnceByHand => true,
        Kind::SenderKept => p.items <= 3,
        Kind::ReadThenWriteLock => interleavings(p.threads, 2 * p.increments).unwrap() <= QUICK,
        Kind::CounterUnlocked => interleavings(p.threads, 2 * p.increments).unwrap() <= QUICK,
        Kind::CounterLocked | Kind::CounterAtomic => {
            interleavings(p.threads, p.increments).unwrap() <= QUICK
        }
        Kind::InsufficientLock | Kind::TwoLocks | Kind::NeverReleased => {
            interleavings(p.threads, 4 * p.increments).unwrap() <= QUICK
        }
    };
    quick || full()
}

/// The exploration of every scenario at every accepted size that [`explored_here`], computed
/// once for all the tests of this file, on every core.
fn explored() -> &'static [Exploration] {
    static ALL: OnceLock<Vec<Exploration>> = OnceLock::new();
    ALL.get_or_init(|| {
        let scenarios: Vec<Scenario> = Kind::ALL
            .into_iter()
            .flat_map(accepted_sizes)
            .filter(explored_here)
            .collect();
        let next = AtomicUsize::new(0);
        let done = Mutex::new(Vec::new());
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&scenario) = scenarios.get(i) else {
                            break;
                        };
                        let e = explore(scenario).expect("accepted sizes finish");
                        done.lock().unwrap().push((i, e));
                    }
                });
            }
        });
        let mut done = done.into_inner().unwrap();
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, e)| e).collect()
    })
}

#[derive(Clone, Copy)]
enum Op {
    Read,
    Write,
    Section,
}

/// Every merge of `threads` copies of `per_thread`, simulated: outcome → interleavings.
fn enumerate(threads: usize, per_thread: &[Op]) -> BTreeMap<usize, usize> {
    fn go(
        pos: &mut [usize],
        locals: &mut [usize],
        value: usize,
        ops: &[Op],
        out: &mut BTreeMap<usize, usize>,
    ) {
        let mut moved = false;
        for t in 0..pos.len() {
            if pos[t] == ops.len() {
                continue;
            }
            moved = true;
            let (saved_local, op) = (locals[t], ops[pos[t]]);
            let next_value = match op {
                Op::Read => {
                    locals[t] = value;
                    value
                }
                Op::Write => locals[t] + 1,
                Op::Section => value + 1,
            };
            pos[t] += 1;
            go(pos, locals, next_value, ops, out);
            pos[t] -= 1;
            locals[t] = saved_local;
        }
        if !moved {
            *out.entry(value).or_default() += 1;
        }
    }
    let mut out = BTreeMap::new();
    go(
        &mut vec![0; threads],
        &mut vec![0; threads],
        0,
        per_thread,
        &mut out,
    );
    out
}

/// The outcome histogram, interleavings and executions of an accepted size, or `None` if
/// it is refused or not [`explored_here`].
fn explored_histogram(
    kind: Kind,
    threads: usize,
    increments: usize,
) -> Option<(BTreeMap<usize, usize>, usize, usize)> {
    let scenario = Scenario::new(
        kind,
        Params {
            threads,
            increments,
            ..Params::default()
        },
    )
    .ok()?;
    let e = explored().iter().find(|e| e.scenario == scenario)?;
    let hist = e
        .rows
        .iter()
        .map(|r| match r.outcome {
            EndState::Value(v) => (v, r.interleavings),
            ref other => panic!("a counter ends with a value, got {other}"),
        })
        .collect();
    Some((hist, e.interleavings, e.executions))
}

/// Checks every accepted size of `kind` explored here against [`enumerate`]; returns how
/// many sizes were accepted (checked, or skipped as not quick).
fn matches_enumeration(kind: Kind, ops: &[Op]) -> usize {
    let mut checked = 0;
    let mut skipped = 0;
    for threads in 1..=4 {
        for increments in 1..=4 {
            let size = Params {
                threads,
                increments,
                ..Params::default()
            };
            let Ok(scenario) = Scenario::new(kind, size) else {
                continue; // refused as too large
            };
            let Some((hist, interleavings, executions)) =
                explored_histogram(kind, threads, increments)
            else {
                assert!(!explored_here(&scenario), "{kind:?} {threads}×{increments}");
                skipped += 1;
                continue;
            };
            let per_thread: Vec<Op> = (0..increments).flat_map(|_| ops.to_vec()).collect();
            let expected = enumerate(threads, &per_thread);
            assert_eq!(hist, expected, "{kind:?} {threads}×{increments}");
            assert_eq!(interleavings, expected.values().sum::<usize>());
            if kind != Kind::CounterLocked {
                assert_eq!(executions, interleavings, "one execution per interleaving");
            }
            checked += 1;
        }
    }
    if skipped > 0 {
        println!("{kind:?}: {skipped} sizes over {QUICK} interleavings skipped (RACELAB_FULL=1)");
    }
    checked + skipped
}

#[test]
fn unlocked_counter_matches_an_independent_enumeration_for_every_accepted_size() {
    assert_eq!(
        matches_enumeration(Kind::CounterUnlocked, &[Op::Read, Op::Write]),
        11
    );
}

#[test]
fn read_then_write_lock_matches_an_independent_enumeration_for_every_accepted_size() {
    // A read under the read lock, then a write under the write lock: the unlocked
    // counter's interleavings, with the same accepted sizes.
    assert_eq!(
        matches_enumeration(Kind::ReadThenWriteLock, &[Op::Read, Op::Write]),
        11
    );
}

#[test]
fn locked_counter_matches_an_independent_enumeration_for_every_accepted_size() {
    assert_eq!(matches_enumeration(Kind::CounterLocked, &[Op::Section]), 13);
}

#[test]
fn atomic_counter_matches_an_independent_enumeration_for_every_accepted_size() {
    assert_eq!(matches_enumeration(Kind::CounterAtomic, &[Op::Section]), 14);
}

#[test]
fn the_tutorials_race_has_six_interleavings_four_of_which_lose_the_update() {
    let scenario = Scenario::new(Kind::CounterUnlocked, Params::default()).unwrap();
    let e = explore(scenario).unwrap();
    assert_eq!(e.interleavings, 6);
    assert_eq!(e.rows.len(), 2);
    assert_eq!(
        (
            &e.rows[0].outcome,
            e.rows[0].interleavings,
            e.rows[0].verdict
        ),
        (&EndState::Value(2), 2, Verdict::Acceptable)
    );
    assert_eq!(
        (
            &e.rows[1].outcome,
            e.rows[1].interleavings,
            e.rows[1].verdict
        ),
        (&EndState::Value(1), 4, Verdict::Forbidden)
    );
    let witness = &e.witnesses[0];
    let steps: Vec<Step> = witness.trace.iter().map(|e| e.step).collect();
    assert_eq!(
        steps,
        [Step::Read(0), Step::Read(0), Step::Write(1), Step::Write(1)]
    );
    assert_eq!(
        switches(&witness.trace),
        2,
        "the fewest switches that lose an update"
    );
    assert!(
        witness.explanation.contains("1 update lost"),
        "{}",
        witness.explanation
    );
}

fn verdicts(kind: Kind) -> (bool, Vec<EndState>) {
    let e = explore(Scenario::new(kind, Params::default()).unwrap()).unwrap();
    (
        e.has_bug(),
        e.witnesses.iter().map(|w| w.outcome.clone()).collect(),
    )
}

#[test]
fn the_correct_programs_have_no_forbidden_outcome() {
    for kind in [Kind::CounterLocked, Kind::CounterAtomic, Kind::Queue] {
        let (bug, _) = verdicts(kind);
        assert!(!bug, "{kind:?}");
    }
}

#[test]
fn every_classic_mistake_is_caught_with_its_witness() {
    assert_eq!(
        verdicts(Kind::InsufficientLock),
        (true, vec![EndState::Value(1)])
    );
    assert_eq!(verdicts(Kind::TwoLocks), (true, vec![EndState::Value(1)]));
    assert_eq!(
        verdicts(Kind::NeverReleased),
        (true, vec![EndState::Deadlock])
    );
    let (bug, outcomes) = verdicts(Kind::TaskDoneEarly);
    assert!(bug);
    assert!(
        outcomes
            .iter()
            .all(|o| o.to_string().starts_with("join returned with")),
        "{outcomes:?}"
    );
    let (bug, outcomes) = verdicts(Kind::IfNotWhile);
    assert!(bug);
    assert_eq!(
        outcomes,
        [EndState::Label(
            "a consumer woke up to an empty queue and got nothing".into()
        )]
    );
}

#[test]
fn pruning_changes_the_cost_not_the_result() {
    for kind in Kind::ALL {
        let scenario = Scenario::new(kind, Params::default()).unwrap();
        let pruned = explore(scenario).unwrap();
        let full = explore_with(scenario, 1_000_000, Pruning::Off).unwrap();
        assert_eq!(pruned.interleavings, full.interleavings, "{kind:?}");
        assert_eq!(pruned.rows, full.rows, "{kind:?}");
        assert!(pruned.executions <= full.executions, "{kind:?}");
    }
}

#[test]
fn too_large_requests_are_refused_with_advice() {
    let err = Scenario::new(
        Kind::CounterUnlocked,
        Params {
            threads: 4,
            increments: 2,
            ..Params::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("interleavings"), "{err}");
    assert!(err.to_string().contains("try fewer"), "{err}");
    let err = Scenario::new(
        Kind::CounterUnlocked,
        Params {
            threads: 9,
            ..Params::default()
        },
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("--threads must be between 1 and 4"),
        "{err}"
    );
}

/// Replays each witness of `e` (see the test below); returns how many.
fn replay_witnesses(e: &Exploration) -> usize {
    let scenario = e.scenario;
    for w in &e.witnesses {
        let schedule: Vec<usize> = w.trace.iter().map(|e| e.thread).collect();
        let replayed = replay(scenario, &schedule);
        let at = format!(
            "{:?} {:?}: {}",
            scenario.kind(),
            scenario.params(),
            scenario.schedule_of(&w.trace)
        );
        assert_eq!(replayed.refusal, None, "{at}");
        assert_eq!(replayed.trace, w.trace, "{at}");
        assert_eq!(replayed.outcome.as_ref(), Some(&w.outcome), "{at}");
        // One entry more: refused at that entry (the run is over; after a deadlock, that
        // thread has no steps left or is blocked).
        let mut longer = schedule.clone();
        longer.push(schedule[0]);
        let extra = schedule.len() + 1;
        match replay(scenario, &longer).refusal {
            Some(Refusal::Over { step }) => assert_eq!(step, extra, "{at} + one"),
            Some(Refusal::NoStepsLeft { step, .. } | Refusal::Blocked { step, .. })
                if w.outcome == EndState::Deadlock =>
            {
                assert_eq!(step, extra, "{at} + one")
            }
            other => panic!("{at} + one: {other:?}"),
        }
        // One entry less: the last step's thread still had a step to take.
        match replay(scenario, &schedule[..schedule.len() - 1]).refusal {
            Some(Refusal::StoppedEarly { threads }) => {
                assert!(
                    threads.contains(schedule.last().unwrap()),
                    "{at}: {threads:?}"
                )
            }
            other => panic!("{at} - one: {other:?}"),
        }
    }
    e.witnesses.len()
}

/// explore and replay agree: every witness explore prints, for every scenario and every
/// size it accepts, replays step for step to the same outcome; one entry more is refused at
/// that entry, one less says which threads still had steps.
#[test]
fn every_witness_of_every_accepted_size_replays_to_the_same_outcome() {
    let all = explored();
    for kind in Kind::ALL {
        assert!(all.iter().any(|e| e.scenario.kind() == kind), "{kind:?}");
    }
    let witnesses: usize = all.iter().map(replay_witnesses).sum();
    let least = if full() { 60 } else { 50 };
    assert!(all.len() >= least, "{} sizes", all.len());
    assert!(witnesses >= least / 3, "{witnesses} witnesses");
}
