//! A check split into shards (issue 23): each shard's report covers a part of the search
//! and says so, the merge of every shard's is the whole search's report, and whatever
//! cannot be merged or split is refused with a clear message. The equality on generated
//! programs (1, 2, 3 and 7 shards) is in `oracles`' `differential::parallel`, on the corpus
//! in `corpus.rs`.
#![cfg(not(loom))]

use racelab::check::{CoverageKind, Report, Search, check};

/// Three threads that each add to a counter with a load and a store: many executions, a
/// lost update among them.
fn lost_updates() -> usize {
    super::engine::load_store_counter(3)
}

fn shard(index: usize, count: usize) -> Report<usize> {
    check(lost_updates)
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .shard(index, count)
        .run()
}

#[test]
fn merged_shards_are_the_whole_search() {
    let whole = check(lost_updates)
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .run();
    for count in [1, 2, 3, 7] {
        let parts: Vec<_> = (1..=count).map(|i| shard(i, count)).collect();
        for part in &parts {
            let expected = if count == 1 {
                CoverageKind::Exhaustive
            } else {
                CoverageKind::Partial
            };
            assert_eq!(part.coverage.kind(), expected, "{part}");
            assert!(part.executions < whole.executions || count == 1, "{part}");
        }
        let merged = Report::merge(parts).expect("the shards of one check");
        assert!(
            merged.same_findings(&whole),
            "{count} shards:\n{merged}\nwhole:\n{whole}"
        );
        assert!(merged.coverage.is_exhaustive(), "{}", merged.coverage);
        assert_eq!(merged.witnesses.len(), whole.witnesses.len());
    }
}

#[test]
fn a_shard_says_it_is_one_and_a_merge_of_some_shards_is_partial() {
    let part = shard(2, 3);
    let text = part.coverage.to_string();
    assert!(text.starts_with("partial: shard 2 of 3"), "{text}");
    assert!(text.contains("the others not included here"), "{text}");
    assert!(
        part.notes
            .iter()
            .any(|n| n.contains("shards split the search at depth")),
        "{:?}",
        part.notes
    );
    let some = Report::merge([shard(1, 3), shard(3, 3)]).expect("two shards of one check");
    assert_eq!(some.coverage.kind(), CoverageKind::Partial);
    assert!(
        some.coverage.to_string().contains("shards 1, 3 of 3"),
        "{}",
        some.coverage
    );
}

#[test]
fn what_cannot_be_merged_is_refused_with_the_reason() {
    let duplicate = Report::merge([shard(1, 2), shard(1, 2)]).unwrap_err();
    assert!(
        duplicate
            .to_string()
            .contains("shard 1 of 2 is there twice"),
        "{duplicate}"
    );
    let counts = Report::merge([shard(1, 2), shard(2, 3)]).unwrap_err();
    assert!(
        counts.to_string().contains("split the search differently"),
        "{counts}"
    );
    let whole = check(lost_updates).search(Search::Exhaustive).run();
    let unsplit = Report::merge([whole]).unwrap_err();
    assert!(
        unsplit.to_string().contains("is neither a shard's"),
        "{unsplit}"
    );
    let spurious = check(lost_updates)
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .spurious_wakeups(true)
        .shard(2, 2)
        .run();
    let mixed = Report::merge([shard(1, 2), spurious]).unwrap_err();
    assert!(
        mixed
            .to_string()
            .contains("differ in Check::spurious_wakeups"),
        "{mixed}"
    );
    let limited = check(lost_updates)
        .expect(|&n| n == 3)
        .stop_at_first_bug(false)
        .search(Search::Exhaustive)
        .wakeups_without_notify(1)
        .shard(2, 2)
        .run();
    let mixed = Report::merge([shard(1, 2), limited]).unwrap_err();
    assert!(
        mixed
            .to_string()
            .contains("differ in Check::wakeups_without_notify (no limit and 1)"),
        "{mixed}"
    );
    let none = Report::<usize>::merge([]).unwrap_err();
    assert!(none.to_string().contains("no report"), "{none}");
}

#[test]
#[should_panic(expected = "there is no shard 4 of 3")]
fn a_shard_out_of_range_is_refused() {
    let _ = check(lost_updates).shard(4, 3);
}

#[test]
#[should_panic(expected = "cannot be split")]
fn only_the_exhaustive_search_can_be_split() {
    let _ = check(lost_updates)
        .search(Search::Random(10))
        .shard(1, 2)
        .run();
}
