//! A search spread over several runs with a checkpoint file (issue 23): each run goes on
//! where the last stopped, and the merge of every run's report is the report of one run —
//! the same rows, counts, witnesses — with no execution run twice or missed (the stretches'
//! executions add up to the whole search's, each run reporting exactly its budget). The
//! same on generated programs is in `oracles`' `differential::parallel`.
#![cfg(not(loom))]

use std::path::PathBuf;

use racelab::check::{CoverageKind, Report, Search, check};

fn lost_updates() -> usize {
    super::engine::load_store_counter(3)
}

fn file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("racelab-{name}-{}", std::process::id()))
}

fn stretch(path: &PathBuf, budget: usize) -> Report<usize> {
    check(lost_updates)
        .name("lost updates")
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .max_executions(budget)
        .checkpoint(path)
        .run()
}

#[test]
fn stop_and_resume_reports_what_one_run_reports() {
    let whole = check(lost_updates)
        .name("lost updates")
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .run();
    assert!(whole.executions > 20, "{whole}");
    for budget in [1, 7, 50] {
        let path = file(&format!("resume-{budget}"));
        let mut stretches = Vec::new();
        while stretches.is_empty() || path.exists() {
            stretches.push(stretch(&path, budget));
            assert!(
                stretches.len() <= whole.executions + 1,
                "the search makes no progress"
            );
        }
        for (i, s) in stretches.iter().enumerate() {
            let last = i + 1 == stretches.len();
            assert_eq!(
                s.executions,
                if last { s.executions } else { budget },
                "{s}"
            );
            let kind = match (i, last) {
                (0, true) => CoverageKind::Exhaustive,
                (_, false) => CoverageKind::Bounded,
                (_, true) => CoverageKind::Partial,
            };
            assert_eq!(s.coverage.kind(), kind, "stretch {i}: {}", s.coverage);
        }
        // A run cannot tell the search is over until it tries for more: when the budget
        // divides the executions, one last run finds nothing left.
        assert_eq!(
            stretches.len(),
            whole.executions / budget + 1,
            "budget {budget}"
        );
        let merged = Report::merge(stretches).expect("the stretches of one search");
        assert!(merged.coverage.is_exhaustive(), "{}", merged.coverage);
        assert!(
            merged.same_findings(&whole),
            "budget {budget}:\n{merged}\nwhole:\n{whole}"
        );
    }
}

#[test]
fn each_stretch_says_where_it_starts_and_stops() {
    let path = file("says");
    let first = stretch(&path, 5);
    assert!(path.exists());
    let text = first.coverage.to_string();
    assert!(
        text.starts_with("bounded: from the start to checkpoint "),
        "{text}"
    );
    assert!(
        first
            .notes
            .iter()
            .any(|n| n.contains("saved its place as checkpoint")),
        "{:?}",
        first.notes
    );
    let rest = stretch(&path, usize::MAX);
    assert!(
        !path.exists(),
        "a search that ran to its end removes its checkpoint"
    );
    let text = rest.coverage.to_string();
    assert!(text.starts_with("partial: from checkpoint "), "{text}");
    assert!(text.contains("to the end"), "{text}");
    let missing = Report::merge([rest]).expect("one stretch");
    assert_eq!(
        missing.coverage.kind(),
        CoverageKind::Partial,
        "the first is missing"
    );
}

#[test]
#[should_panic(expected = "is of the check \"lost updates\", not \"another\"")]
fn a_checkpoint_of_another_check_is_refused() {
    let path = file("other");
    let _ = stretch(&path, 3);
    let _ = check(lost_updates)
        .name("another")
        .search(Search::Exhaustive)
        .checkpoint(&path)
        .run();
}

#[test]
#[should_panic(expected = "cannot be checkpointed yet")]
fn shards_cannot_be_checkpointed_yet() {
    let _ = check(lost_updates)
        .shard(1, 2)
        .checkpoint(file("sharded"))
        .run();
}

#[test]
#[should_panic(
    expected = "saved by a search with no spurious wake-ups or failures, and this check has spurious wake-ups"
)]
fn a_checkpoint_of_a_search_without_spurious_wakeups_resumes_only_one() {
    let path = file("spurious");
    let _ = stretch(&path, 3);
    let _ = check(lost_updates)
        .name("lost updates")
        .search(Search::Exhaustive)
        .spurious_wakeups(true)
        .checkpoint(&path)
        .run();
}

#[test]
#[should_panic(
    expected = "saved by a search with no spurious wake-ups or failures, and this check has no spurious wake-ups or failures, at most 2 wake-ups without a notify per thread"
)]
fn a_checkpoint_of_a_search_without_a_wakeup_limit_resumes_only_one() {
    let path = file("wakeup-limit");
    let _ = stretch(&path, 3);
    let _ = check(lost_updates)
        .name("lost updates")
        .search(Search::Exhaustive)
        .wakeups_without_notify(2)
        .checkpoint(&path)
        .run();
}
