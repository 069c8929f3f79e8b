//! The classic mistakes with std's other primitives (`once-by-hand`, `sender-kept`; the
//! `RwLock` one, `read-then-write-lock`, is held to the counters' enumeration in
//! `explore.rs`): each found, with its witness and the lesson, and `once-by-hand`'s table
//! against an independent enumeration.
#![cfg(not(loom))]

use std::collections::BTreeMap;

use racelab::check::Verdict;
use racelab::step::Step;
use racelab::teach::{EndState, Kind, Params, Scenario, explore};

use super::cli::stdout;

/// Every interleaving of `threads` threads each running `if !initialised { initialise;
/// initialised = true }` as three steps (load, initialise, store; one step when the load
/// sees the flag set): how many interleavings end with each number of initialisations.
fn once_by_hand_enumerated(threads: usize) -> BTreeMap<usize, usize> {
    // Per thread: 0 = before its load; 1 = saw 0, before initialising; 2 = initialised,
    // before storing; 3 = done.
    fn go(pc: &mut [u8], flag: bool, runs: usize, out: &mut BTreeMap<usize, usize>) {
        let mut moved = false;
        for t in 0..pc.len() {
            let saved = pc[t];
            let (next, flag2, runs2) = match saved {
                0 if flag => (3, flag, runs),
                0 => (1, flag, runs),
                1 => (2, flag, runs + 1),
                2 => (3, true, runs),
                _ => continue,
            };
            moved = true;
            pc[t] = next;
            go(pc, flag2, runs2, out);
            pc[t] = saved;
        }
        if !moved {
            *out.entry(runs).or_default() += 1;
        }
    }
    let mut out = BTreeMap::new();
    go(&mut vec![0; threads], false, 0, &mut out);
    out
}

#[test]
fn once_by_hand_matches_an_independent_enumeration_and_says_to_use_once() {
    for threads in 2..=3 {
        let scenario = Scenario::new(
            Kind::OnceByHand,
            Params {
                threads,
                ..Params::default()
            },
        )
        .unwrap();
        let e = explore(scenario).unwrap();
        let expected = once_by_hand_enumerated(threads);
        let found: BTreeMap<usize, usize> = e
            .rows
            .iter()
            .map(|r| {
                let runs = match r.outcome.to_string().as_str() {
                    "initialised once" => 1,
                    other => other
                        .strip_prefix("initialised ")
                        .and_then(|s| s.strip_suffix(" times"))
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("{other}")),
                };
                let verdict = if runs == 1 {
                    Verdict::Acceptable
                } else {
                    Verdict::Forbidden
                };
                assert_eq!(r.verdict, verdict, "{}", r.outcome);
                (runs, r.interleavings)
            })
            .collect();
        assert_eq!(found, expected, "{threads} threads");
        let w = &e.witnesses[0];
        assert!(
            w.explanation.contains("Once::call_once"),
            "{}",
            w.explanation
        );
        // The fewest switches: both load 0 before either stores.
        let loads = w
            .trace
            .iter()
            .filter(|ev| ev.step == Step::Load("initialised", 0))
            .count();
        assert!(loads >= 2, "{:?}", w.trace);
    }
    // 2 threads: only running one whole thread before the other initialises once.
    assert_eq!(
        once_by_hand_enumerated(2),
        BTreeMap::from([(1, 2), (2, 18)])
    );
}

#[test]
fn a_kept_sender_deadlocks_in_every_interleaving_and_the_witness_shows_the_wait() {
    for items in 1..=3 {
        let scenario = Scenario::new(
            Kind::SenderKept,
            Params {
                items,
                ..Params::default()
            },
        )
        .unwrap();
        let e = explore(scenario).unwrap();
        assert_eq!(e.rows.len(), 1, "{items}");
        assert_eq!(e.rows[0].outcome, EndState::Deadlock);
        assert_eq!(e.rows[0].verdict, Verdict::Forbidden);
        let w = &e.witnesses[0];
        let received: Vec<Step> = w
            .trace
            .iter()
            .map(|ev| ev.step)
            .filter(|s| matches!(s, Step::Recv(_)))
            .collect();
        assert_eq!(received, (0..items).map(Step::Recv).collect::<Vec<_>>());
        assert_eq!(
            w.trace.last().map(|ev| (ev.thread, ev.step)),
            Some((1, Step::Wait("channel: a message"))),
            "Thread1 ends waiting for a message"
        );
        assert!(w.explanation.contains("drop(tx)"), "{}", w.explanation);
    }
    let (code, out, _) = stdout(&["explore", "sender-kept", "--python"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("message = q.get()"), "{out}");
}
