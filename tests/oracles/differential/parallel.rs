//! The exhaustive search shared by several parallel jobs, or split into shards whose
//! reports are merged, gives the serial search's report (issue 23): the same outcome table
//! with the same counts, the same witnesses, the same number of executions — on generated
//! programs of this language, each run as 1, 2 and 3 jobs, and as 2, 3 and 7 shards. (The
//! corpus's entries are compared in `check`'s `corpus.rs`.) `RACELAB_DIFF_WORKERS` checks
//! several programs at once (see `generated`).

use std::sync::atomic::{AtomicUsize, Ordering};

use racelab::check::{Report, Search};

use super::program::{Outcome, Program};
use super::{cases, generated, run, seed};

/// Generated programs, unless `RACELAB_DIFF_CASES` says otherwise (CI's long run takes
/// 3,000).
const CASES: u32 = 30;
/// Executions per program; larger programs are left out (the shared search's report is
/// the serial one only when both run to their end).
const BUDGET: usize = 5_000;

fn reports(program: &Program, jobs: usize) -> Report<Outcome> {
    run::report(program, Search::Exhaustive, BUDGET, None, Some(jobs))
}

#[test]
fn shared_search_reports_what_the_serial_search_reports() {
    let programs = generated::programs(cases(CASES), seed());
    let handed = generated::check_all(&programs, |program| {
        let serial = reports(program, 1);
        if !serial.coverage.is_exhaustive() {
            return Ok(None);
        }
        let mut handed = 0;
        for jobs in [2, 3] {
            let shared = reports(program, jobs);
            if !shared.same_findings(&serial) {
                return Err(format!(
                    "{jobs} jobs and one disagree on:\n{program}\n{program:?}\none job:\n{serial}\n{jobs} jobs:\n{shared}"
                ));
            }
            handed += shared
                .coverage
                .phases
                .iter()
                .map(|p| p.handed_over)
                .sum::<usize>();
        }
        Ok(Some(handed))
    });
    assert!(
        handed.len() * 10 >= programs.len() * 8,
        "only {} programs compared",
        handed.len()
    );
    assert!(
        handed.iter().sum::<usize>() > 0,
        "no job ever handed a subtree to another: the comparison compared nothing shared"
    );
}

/// Generated programs split into shards, unless `RACELAB_DIFF_CASES` says otherwise (each
/// runs 13 times: as 1, 2, 3 and 7 shards).
const SHARD_CASES: u32 = 6;

#[test]
fn merged_shards_report_what_the_whole_search_reports() {
    let programs = generated::programs(cases(SHARD_CASES), seed() ^ 0x5ba2d5);
    let splits = generated::check_all(&programs, |program| {
        let whole = reports(program, 1);
        if !whole.coverage.is_exhaustive() {
            return Ok(None);
        }
        let mut splits = 0;
        for count in [1, 2, 3, 7] {
            let parts: Vec<Report<Outcome>> = (1..=count)
                .map(|index| {
                    run::check_of(program, Search::Exhaustive, BUDGET, None)
                        .shard(index, count)
                        .jobs(1 + index % 2)
                        .run()
                })
                .collect();
            if let Some(part) = parts
                .iter()
                .find(|part| part.coverage.is_exhaustive() != (count == 1))
            {
                return Err(format!(
                    "a shard of {count} says it is {}exhaustive:\n{program}\n{part}",
                    if count == 1 { "not " } else { "" }
                ));
            }
            if parts.iter().filter(|p| p.executions > 0).count() > 1 {
                splits += 1;
            }
            let merged = Report::merge(parts).expect("the shards of one check");
            if !(same_findings_split(&merged, &whole) && merged.coverage.is_exhaustive()) {
                return Err(format!(
                    "{count} shards merged and the whole search disagree on:\n{program}\n{program:?}\nwhole:\n{whole}\nmerged:\n{merged}"
                ));
            }
        }
        Ok(Some(splits))
    });
    let compared = splits.len();
    assert!(
        compared * 10 >= programs.len() * 8,
        "only {compared} programs compared"
    );
    let split = splits.iter().filter(|&&n| n > 0).count();
    assert!(
        split * 2 >= compared,
        "the shards split only {split} of {compared} searches: most were run by one shard alone"
    );
}

/// Generated programs whose search is spread over runs with a checkpoint, unless
/// `RACELAB_DIFF_CASES` says otherwise.
const RESUME_CASES: u32 = 30;

#[test]
fn a_search_resumed_from_checkpoints_reports_what_one_run_reports() {
    let programs = generated::programs(cases(RESUME_CASES), seed() ^ 0xc4e5);
    // One checkpoint file per program checked (workers check several at once).
    let files = AtomicUsize::new(0);
    let resumed = generated::check_all(&programs, |program| {
        let whole = reports(program, 1);
        if !whole.coverage.is_exhaustive() {
            return Ok(None);
        }
        let file = std::env::temp_dir().join(format!(
            "racelab-resume-{}-{}",
            std::process::id(),
            files.fetch_add(1, Ordering::Relaxed)
        ));
        let budget = (whole.executions / 3).max(1);
        let _ = std::fs::remove_file(&file);
        let mut stretches = Vec::new();
        while stretches.is_empty() || file.exists() {
            stretches.push(
                run::check_of(program, Search::Exhaustive, budget, None)
                    .checkpoint(&file)
                    .run(),
            );
            assert!(
                stretches.len() <= whole.executions + 1,
                "no progress on\n{program}"
            );
        }
        let _ = std::fs::remove_file(&file);
        if stretches.len() != whole.executions / budget + 1 {
            return Err(format!(
                "{} stretches of {budget} executions for a search of {}:\n{program}",
                stretches.len(),
                whole.executions
            ));
        }
        let merged = Report::merge(stretches).expect("the stretches of one search");
        if !(same_findings_split(&merged, &whole) && merged.coverage.is_exhaustive()) {
            return Err(format!(
                "resumed and whole disagree on:\n{program}\n{program:?}\nwhole:\n{whole}\nmerged:\n{merged}"
            ));
        }
        Ok(Some(()))
    });
    assert!(
        resumed.len() * 10 >= programs.len() * 8,
        "only {} programs compared",
        resumed.len()
    );
}

/// Whether `merged`, the merge of the parts of one split search (shards, or the stretches
/// of a search resumed from checkpoints), reports what the `whole` search reports.
///
/// Everything is equal but one count: a row counts distinct *traces*, and two execution
/// graphs can have one trace (which waiter a `notify_one` picked, a lock read that blocks:
/// the trace does not show them; see `regressions::a_timed_wait_gives_two_graphs_one_trace`,
/// and a program with two waiters and one `notify_one` that hit this in the checkpoint test
/// on the engine of stop 29 too). The whole search counts such a trace once; two parts that
/// each explored one of the graphs count it once each. So each row's merged count is at
/// least the whole's, and the counts add up to at most the executions.
fn same_findings_split(merged: &Report<Outcome>, whole: &Report<Outcome>) -> bool {
    let rows_agree = merged.rows.len() == whole.rows.len()
        && whole.rows.iter().all(|w| {
            merged.rows.iter().any(|m| {
                m.ending == w.ending && m.verdict == w.verdict && m.executions >= w.executions
            })
        })
        && merged.rows.iter().map(|r| r.executions).sum::<usize>() <= merged.executions;
    let witnesses_agree = merged.witnesses.len() == whole.witnesses.len()
        && whole.witnesses.iter().all(|w| {
            merged
                .witnesses
                .iter()
                .any(|m| m.ending == w.ending && m.trace == w.trace)
        });
    let phases = |r: &Report<Outcome>| -> Vec<_> {
        r.coverage
            .phases
            .iter()
            .map(|p| (p.method, p.executions, p.abandoned, p.stopped))
            .collect()
    };
    rows_agree
        && witnesses_agree
        && merged.executions == whole.executions
        && phases(merged) == phases(whole)
}
