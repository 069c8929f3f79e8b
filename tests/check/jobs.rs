//! The exhaustive search in several parallel jobs (issue 23): the same report as in one,
//! budgets shared, racelab objects that outlive an execution found (they would be shared by
//! the jobs' OS threads), errors carried out of the job that met them. The equality of
//! reports on generated programs and on the corpus is in `oracles`' `differential::parallel` and
//! `corpus`.
#![cfg(not(loom))]

use racelab::check::sync::Mutex;
use racelab::check::{Search, StopReason, check, thread};

/// Three threads that each add to a counter with a load and a store: many executions.
fn lost_updates() -> usize {
    super::engine::load_store_counter(3)
}

#[test]
fn several_jobs_find_what_one_finds() {
    let one = check(lost_updates).expect(|&n| n == 3).jobs(1).run();
    let two = check(lost_updates).expect(|&n| n == 3).jobs(2).run();
    assert!(one.coverage.is_exhaustive() && two.coverage.is_exhaustive());
    assert_eq!(one.rows, two.rows);
    assert_eq!(one.executions, two.executions);
    assert_eq!(
        one.witnesses.iter().map(|w| &w.trace).collect::<Vec<_>>(),
        two.witnesses.iter().map(|w| &w.trace).collect::<Vec<_>>()
    );
    assert_eq!(two.coverage.phases[0].jobs, 2);
    assert!(
        two.coverage.to_string().contains("in 2 parallel jobs"),
        "{}",
        two.coverage
    );
}

#[test]
fn the_execution_budget_is_shared_by_the_jobs() {
    let report = check(lost_updates)
        .search(Search::Exhaustive)
        .max_executions(7)
        .jobs(3)
        .run();
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::Executions(7))
    );
    assert!(report.executions <= 7, "{} executions", report.executions);
    let whole = check(lost_updates).search(Search::Exhaustive).jobs(3).run();
    assert!(whole.same_findings(&check(lost_updates).search(Search::Exhaustive).jobs(1).run()));
    assert!(
        !report.same_findings(&whole),
        "a bounded search did not find what the whole search found"
    );
}

#[test]
fn stopping_at_the_first_bug_stops_every_job() {
    let report = check(lost_updates)
        .expect(|&n| n == 3)
        .search(Search::Exhaustive)
        .stop_at_first_bug(true)
        .jobs(2)
        .run();
    assert!(report.has_bug());
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::FirstBug)
    );
}

static SHARED: Mutex<usize> = Mutex::new(0);

/// Two threads add to a counter in a `static`: its value is kept between executions.
fn static_counter() -> bool {
    let t = thread::spawn(|| *SHARED.lock().unwrap() += 1);
    *SHARED.lock().unwrap() += 1;
    t.join().unwrap();
    true
}

#[test]
fn an_object_that_outlives_an_execution_is_named_and_searched_as_one_job() {
    let report = check(static_counter).jobs(2).run();
    // The counter's value is kept between executions: short of exhaustive (`statics`).
    assert_eq!(
        report.coverage.phases[0].stopped,
        Some(StopReason::KeptState)
    );
    assert_eq!(report.coverage.phases[0].jobs, 1, "{}", report.coverage);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("outlives one execution") && n.contains("one job")),
        "{:?}",
        report.notes
    );
    let serial = check(static_counter).jobs(1).run();
    assert_eq!(serial.rows, report.rows);
}

/// A shuttle primitive (racelab cannot see it) in a parallel job: the check fails with
/// racelab's message, as in one job.
#[test]
#[should_panic(expected = "does not model")]
fn a_misuse_in_a_job_ends_the_check_with_its_message() {
    check(|| {
        let value = shuttle::sync::Arc::new(shuttle::sync::Mutex::new(0));
        let v = shuttle::sync::Arc::clone(&value);
        shuttle::thread::spawn(move || *v.lock().unwrap() += 1)
            .join()
            .unwrap();
        *value.lock().unwrap()
    })
    .jobs(2)
    .run();
}
