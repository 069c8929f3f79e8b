//! The tree of schedules (what the HTML page's be-the-scheduler plays) agrees with the
//! explorer: one leaf per interleaving, the same outcomes as often, every witness a leaf.

use std::collections::BTreeMap;

use racelab::teach::replay::Refusal;
use racelab::teach::sizes::Purpose;
use racelab::teach::tree::{MAX_LEAVES, Next, Tree, first_run, waits_along};
use racelab::teach::{EndState, Kind, Scenario, explore};

fn default(kind: Kind) -> Scenario {
    Scenario::sized(kind, kind.default_params(), Purpose::Explore).unwrap()
}

#[test]
fn leaves_are_the_explorers_interleavings_outcome_by_outcome() {
    for kind in Kind::ALL {
        let scenario = default(kind);
        let exploration = explore(scenario).unwrap();
        let tree = Tree::build(scenario, MAX_LEAVES).unwrap();
        let mut leaves: BTreeMap<EndState, usize> = BTreeMap::new();
        for outcome in tree.leaves() {
            *leaves.entry(outcome.clone()).or_default() += 1;
        }
        let table: BTreeMap<EndState, usize> = exploration
            .rows
            .iter()
            .map(|r| (r.outcome.clone(), r.interleavings))
            .collect();
        assert_eq!(leaves, table, "{}", kind.name());
        for w in &exploration.witnesses {
            let schedule: Vec<usize> = w.trace.iter().map(|e| e.thread).collect();
            let leaf = tree.node_of(&schedule).expect("the witness is a path");
            let end = tree.nodes[leaf].end.as_ref().map(|(o, _)| o);
            assert_eq!(end, Some(&w.outcome), "{}", kind.name());
        }
    }
}

#[test]
fn a_tree_too_large_says_so() {
    let err = Tree::build(default(Kind::Queue), 10).unwrap_err();
    assert_eq!(err.limit, 10);
    assert!(err.to_string().contains("more than 10"), "{err}");
}

#[test]
fn a_thread_waiting_for_the_lock_is_refused_with_who_holds_it() {
    let tree = Tree::build(default(Kind::CounterLocked), MAX_LEAVES).unwrap();
    let after_acquire = tree.node_of(&[1]).unwrap();
    let (_, thread2) = &tree.nodes[after_acquire].next[1];
    match thread2 {
        Next::Refused(Refusal::Blocked { thread, holder, .. }) => {
            assert_eq!(*thread, 2);
            assert_eq!(holder.map(|(t, _)| t), Some(1));
        }
        other => panic!("Thread2 should be blocked, got {other:?}"),
    }
    // At a leaf everyone has finished.
    let leaf = tree.node_of(&[1, 1, 1, 1, 2, 2, 2, 2]).unwrap();
    assert!(tree.nodes[leaf].end.is_some());
    assert!(
        tree.nodes[leaf]
            .next
            .iter()
            .all(|(_, n)| matches!(n, Next::Refused(Refusal::Over { .. })))
    );
}

#[test]
fn waits_along_a_witness_show_the_blocked_thread() {
    let scenario = default(Kind::CounterLocked);
    let run = first_run(scenario);
    assert_eq!(run.len(), 8, "{run:?}");
    let waits = waits_along(scenario, &run);
    assert_eq!(waits.len(), run.len() + 1);
    // While Thread1 holds the lock (after its acquire, before its release) Thread2 waits.
    assert!(waits[0].is_empty());
    assert_eq!(waits[1].iter().map(|(t, _)| *t).collect::<Vec<_>>(), [2]);
    assert!(waits[4].is_empty(), "after the release: {:?}", waits[4]);
}
