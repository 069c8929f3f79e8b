//! racelab's bug corpus: learners' counters, locks, queues and pools, written with the
//! public API only (`tests/check/corpus/`). Every buggy one must be caught with a witness; every
//! correct one must pass, exhaustively.
//!
//! `cargo test --release --test check corpus:: -- --ignored --nocapture` prints the comparison with
//! plain shuttle's random scheduler on the same programs (the table in the README).
#![cfg(not(loom))]

#[path = "corpus/counters.rs"]
mod counters;
#[path = "corpus/locks.rs"]
mod locks;
#[path = "corpus/pools.rs"]
mod pools;
#[path = "corpus/queues.rs"]
mod queues;

use racelab::check::Outcome;
use racelab::check::contracts::Contract;
use racelab::check::contracts::counter::check_counter;
use racelab::check::contracts::lock::check_lock;
use racelab::check::contracts::pool::{PoolUnderTest, check_pool};
use racelab::check::contracts::queue::check_queue;
use shuttle::scheduler::RandomScheduler;

/// What racelab found in one entry.
struct Found {
    /// The first check that found a forbidden outcome, if one did.
    part: Option<usize>,
    /// Executions that check ran until it stopped at the first forbidden outcome.
    executions: usize,
    /// Thread switches of its witness.
    switches: usize,
    /// Every check was exhaustive (for a correct entry).
    exhaustive: bool,
    /// The rendered report, to show on failure.
    rendered: String,
}

/// Plain shuttle random with a seed on check `part`: the first execution that reached a
/// forbidden outcome, and its schedule's switches.
type ShuttleRun = Box<dyn Fn(usize, u64) -> Option<(usize, usize)>>;
/// racelab with a given search and seed on check `part`: executions until the bug.
type RacelabRun = Box<dyn Fn(usize, racelab::check::Search, u64) -> Option<usize>>;

/// How a search is split: into parallel jobs, or into shards whose reports are merged.
#[derive(Debug, Clone, Copy)]
enum Split {
    Jobs(usize),
    Shards(usize),
}

/// Runs every check of an entry exhaustively whole, in one job, and split, and says where
/// the reports differ (checks not exhaustive within the budget are left out).
type JobsRun = Box<dyn Fn(Split) -> Result<usize, String>>;

struct Entry {
    name: &'static str,
    buggy: bool,
    jobs: JobsRun,
    racelab: Box<dyn Fn() -> Found>,
    shuttle: ShuttleRun,
    run_part: RacelabRun,
}

fn entry<O: Outcome>(
    name: &'static str,
    buggy: bool,
    contract: impl Fn() -> Contract<O> + Clone + 'static,
) -> Entry {
    let make = contract.clone();
    let again = contract.clone();
    let shared = contract.clone();
    Entry {
        jobs: Box::new(move |split| {
            let mut compared = 0;
            let parts = shared().into_parts().len();
            for part in 0..parts {
                let run = |jobs: usize, shard: Option<(usize, usize)>| {
                    let check = shared()
                        .into_parts()
                        .swap_remove(part)
                        .search(racelab::check::Search::Exhaustive)
                        .max_executions(JOBS_BUDGET)
                        // Livelocks run to the step limit, and graphs that long are slow
                        // to search: a low limit keeps the comparison quick.
                        .max_steps(JOBS_MAX_STEPS)
                        .jobs(jobs);
                    match shard {
                        Some((index, count)) => check.shard(index, count),
                        None => check,
                    }
                    .run()
                };
                let serial = run(1, None);
                if !serial.coverage.is_exhaustive() {
                    continue;
                }
                let other = match split {
                    Split::Jobs(n) => run(n, None),
                    Split::Shards(n) => {
                        racelab::check::Report::merge((1..=n).map(|i| run(1, Some((i, n)))))
                            .map_err(|e| format!("check {part}: {e}"))?
                    }
                };
                if !other.same_findings(&serial) || !other.coverage.is_exhaustive() {
                    return Err(format!(
                        "check {part}: one job:\n{serial}\n{split:?}:\n{other}"
                    ));
                }
                compared += 1;
            }
            Ok(compared)
        }),
        run_part: Box::new(move |part, search, seed| {
            let checks = again().each(move |c| c.stop_at_first_bug(true).search(search).seed(seed));
            let r = checks.into_parts().swap_remove(part).run();
            r.has_bug().then_some(r.executions)
        }),
        name,
        buggy,
        racelab: Box::new(move || {
            let report = make().each(|c| c.stop_at_first_bug(true)).run();
            let part = report.parts.iter().position(|p| p.has_bug());
            let (executions, switches) = part.map_or((0, 0), |i| {
                let p = &report.parts[i];
                (p.executions, p.witnesses[0].switches())
            });
            Found {
                part,
                executions,
                switches,
                exhaustive: report.parts.iter().all(|p| p.coverage.is_exhaustive()),
                rendered: report.to_string(),
            }
        }),
        shuttle: Box::new(move |part, seed| {
            let contract = contract();
            contract.checks()[part]
                .first_bug_under(
                    RandomScheduler::new_from_seed(seed, SHUTTLE_MAX),
                    SHUTTLE_MAX,
                )
                .map(|b| (b.execution, b.switches))
        }),
    }
}

/// The executions a check may take in the comparison of one job with several.
const JOBS_BUDGET: usize = 3_000;
/// The steps an execution may take in that comparison.
const JOBS_MAX_STEPS: usize = 400;

/// The most executions plain shuttle random gets per seed.
const SHUTTLE_MAX: usize = 100_000;

fn counter<C: racelab::check::contracts::counter::SharedCounter + Default>() -> Contract<usize> {
    Contract::new(
        "counter",
        vec![
            check_counter(C::default, 2, 1),
            check_counter(C::default, 2, 2),
            check_counter(C::default, 3, 1),
        ],
    )
}

fn lock<L: racelab::check::contracts::lock::LockUnderTest + Default>()
-> Contract<racelab::check::contracts::lock::LockOutcome> {
    check_lock(L::default)
}

fn queue<Q: racelab::check::contracts::queue::QueueUnderTest>(
    make: fn(usize) -> Q,
) -> impl Fn() -> Contract<racelab::check::contracts::queue::QueueOutcome> + Clone {
    move || check_queue(make)
}

fn pool<P: PoolUnderTest>() -> Contract<racelab::check::contracts::pool::PoolOutcome> {
    check_pool::<P>()
}

fn corpus() -> Vec<Entry> {
    use queues::Base;
    vec![
        entry(
            "counter: load, then store",
            true,
            counter::<counters::LoadThenStore>,
        ),
        entry(
            "counter: relock to write (own unmarked mutex)",
            true,
            counter::<counters::RelockToWrite>,
        ),
        entry(
            "counter: compare_exchange without retry",
            true,
            counter::<counters::CasWithoutRetry>,
        ),
        entry(
            "counter: check-then-set flag around it",
            true,
            counter::<counters::FlagGuarded>,
        ),
        entry(
            "counter: alternating between two locks",
            true,
            counter::<counters::AlternatingLocks>,
        ),
        entry(
            "counter: Peterson's lock used by 3 threads",
            true,
            counter::<counters::PetersonForThree>,
        ),
        entry(
            "counter: mutex held across read and write",
            false,
            counter::<counters::MutexHeld>,
        ),
        entry("counter: fetch_add", false, counter::<counters::FetchAdd>),
        entry(
            "counter: compare_exchange loop",
            false,
            counter::<counters::CasLoop>,
        ),
        entry(
            "counter: RwLock read to load, write to store",
            true,
            counter::<counters::ReadLockThenWriteLock>,
        ),
        entry(
            "counter: load and store under a read lock",
            true,
            counter::<counters::IncrementUnderReadLock>,
        ),
        entry(
            "counter: RwLock write held across read and write",
            false,
            counter::<counters::WriteLockHeld>,
        ),
        entry("lock: check, then set", true, lock::<locks::CheckThenSet>),
        entry(
            "lock: check and set in two critical sections",
            true,
            lock::<locks::TwoCriticalSections>,
        ),
        entry(
            "lock: release without notify",
            true,
            lock::<locks::ReleaseWithoutNotify>,
        ),
        entry(
            "lock: notify before clearing the flag",
            true,
            lock::<locks::NotifyBeforeClearing>,
        ),
        entry(
            "lock: wait with if, not while (3 threads)",
            true,
            lock::<locks::IfInsteadOfWhile>,
        ),
        entry(
            "lock: flag outside the mutex (lost wake-up)",
            true,
            lock::<locks::FlagOutsideTheMutex>,
        ),
        entry(
            "lock: release of an unlocked lock accepted",
            true,
            lock::<locks::ReleaseNeverFails>,
        ),
        entry(
            "lock: notifies only once (second acquire)",
            true,
            lock::<locks::NotifiesOnce>,
        ),
        entry(
            "lock: flag and condvar",
            false,
            lock::<locks::FlagAndCondvar>,
        ),
        entry(
            "lock: compare_exchange spin lock",
            false,
            lock::<locks::CasSpinLock>,
        ),
        entry("lock: racelab's Lock", false, || {
            check_lock(racelab::checked::lock::Lock::new)
        }),
        entry(
            "queue: get waits with if, not while",
            true,
            queue(|m| queues::IfNotWhile(Base::new(m))),
        ),
        entry(
            "queue: put without notify",
            true,
            queue(|m| queues::PutWithoutNotify(Base::new(m))),
        ),
        entry(
            "queue: notify before push",
            true,
            queue(|m| queues::NotifyBeforePush(Base::new(m))),
        ),
        entry(
            "queue: a stack (LIFO)",
            true,
            queue(|m| queues::Stack(Base::new(m))),
        ),
        entry(
            "queue: join waits with if",
            true,
            queue(|m| queues::JoinWithIf(Base::new(m))),
        ),
        entry(
            "queue: unfinished count outside the lock",
            true,
            queue(queues::UnfinishedOutsideTheLock::new),
        ),
        entry(
            "queue: shutdown wakes one getter",
            true,
            queue(|m| queues::ShutdownWakesOne(Base::new(m))),
        ),
        entry(
            "queue: get does not notify not_full",
            true,
            queue(|m| queues::GetWithoutNotFull(Base::new(m))),
        ),
        entry(
            "queue: join returns when empty",
            true,
            queue(|m| queues::JoinWhenEmpty(Base::new(m))),
        ),
        entry(
            "queue: mutex and three condvars",
            false,
            queue(|m| queues::Correct(Base::new(m))),
        ),
        entry(
            "queue: racelab's TaskQueue",
            false,
            queue(|m| racelab::checked::queue::TaskQueue::new(m as isize)),
        ),
        entry(
            "pool: task_done before the work",
            true,
            pool::<pools::TaskDoneFirst>,
        ),
        entry(
            "pool: a worker stops after one task",
            true,
            pool::<pools::OneTaskPerWorker>,
        ),
        entry(
            "pool: shutdown by a flag only",
            true,
            pool::<pools::StopFlagOnly>,
        ),
        entry(
            "pool: join polls until the queue is empty",
            true,
            pool::<pools::JoinWhenEmpty>,
        ),
        entry(
            "pool: get, handle, task_done",
            false,
            pool::<pools::Correct>,
        ),
        entry(
            "pool: racelab's WorkerPool",
            false,
            pool::<racelab::checked::pool::WorkerPool<usize>>,
        ),
    ]
}

/// Every entry's checks in `half` (0 or 1: alternate entries, so that the two halves run
/// as two tests, in parallel) give the same report split by `split` as whole (issue 23).
fn same_report_split(split: Split, half: usize) {
    let mut compared = 0;
    for entry in corpus().into_iter().skip(half).step_by(2) {
        match (entry.jobs)(split) {
            Ok(checks) => compared += checks,
            Err(diff) => panic!("{}: {diff}", entry.name),
        }
    }
    assert!(compared >= 10, "only {compared} checks compared");
}

// `cargo test` compares every entry's checks under one split (half of them in several
// jobs, the other half in merged shards); CI's long step runs the ignored tests below too,
// so that every entry is compared under both.

/// Half the entries' checks give the same report in one job and in several (issue 23).
#[test]
fn half_the_entries_report_the_same_in_one_job_and_in_several() {
    same_report_split(Split::Jobs(3), 0);
}

/// The other half of the entries (see [`same_report_split`]).
#[test]
#[ignore = "run by CI's long step (ci/check.sh): cargo test covers these entries in shards"]
fn the_other_half_reports_the_same_in_one_job_and_in_several() {
    same_report_split(Split::Jobs(3), 1);
}

/// The other half of the entries' checks, split into 3 shards whose reports are merged,
/// give the whole search's report (issue 23).
#[test]
fn the_other_half_reports_the_same_whole_and_in_merged_shards() {
    same_report_split(Split::Shards(3), 1);
}

/// The first half of the entries (see [`same_report_split`]).
#[test]
#[ignore = "run by CI's long step (ci/check.sh): cargo test covers these entries in jobs"]
fn half_the_entries_report_the_same_whole_and_in_merged_shards() {
    same_report_split(Split::Shards(3), 0);
}

#[test]
fn every_bug_is_caught_with_a_witness_and_every_correct_implementation_passes() {
    let corpus = corpus();
    let bugs = corpus.iter().filter(|e| e.buggy).count();
    assert!(bugs >= 24, "the corpus has {bugs} bugs");
    assert!(
        corpus.len() - bugs >= 6,
        "the corpus has {} correct ones",
        corpus.len() - bugs
    );
    for e in &corpus {
        let found = (e.racelab)();
        if e.buggy {
            assert!(
                found.part.is_some(),
                "{}: not caught\n{}",
                e.name,
                found.rendered
            );
        } else {
            assert!(
                found.part.is_none(),
                "{}: flagged\n{}",
                e.name,
                found.rendered
            );
            assert!(
                found.exhaustive,
                "{}: not exhaustive\n{}",
                e.name, found.rendered
            );
        }
    }
}

/// racelab against plain shuttle random on the program where racelab finds each bug:
/// executions until the first forbidden outcome — racelab with its default seed, and the
/// median of both over seeds 0..10 — and the thread switches of the witness.
#[test]
#[ignore = "a measurement: run with --ignored --nocapture for the README table"]
fn corpus_against_shuttle_random() {
    use racelab::check::Search;
    let median = |mut v: Vec<usize>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let shown = |n: usize| match n {
        usize::MAX => "not found".to_string(),
        n => n.to_string(),
    };
    println!(
        "| implementation | racelab, seed 0 | racelab, median of 10 seeds | shuttle random, median of 10 seeds | witness switches: racelab / shuttle median |"
    );
    println!("|---|---:|---:|---:|---:|");
    let (mut at_most, mut total) = (0, 0);
    for e in corpus().iter().filter(|e| e.buggy) {
        let found = (e.racelab)();
        let part = found.part.expect("every bug is caught");
        let ours = median(
            (0..10)
                .map(|seed| (e.run_part)(part, Search::Auto, seed).unwrap_or(usize::MAX))
                .collect(),
        );
        let runs: Vec<(usize, usize)> = (0..10)
            .map(|seed| (e.shuttle)(part, seed).unwrap_or((usize::MAX, 0)))
            .collect();
        let theirs = median(runs.iter().map(|r| r.0).collect());
        let switches = median(runs.iter().map(|r| r.1).collect());
        total += 1;
        at_most += usize::from(ours <= theirs);
        println!(
            "| {} | {} | {} | {} | {} / {} |",
            e.name,
            found.executions,
            shown(ours),
            shown(theirs),
            found.switches,
            switches
        );
    }
    println!("\nracelab's median at most shuttle's on {at_most} of {total} bugs");
}
