//! The contract checkers on racelab's own implementations (which must pass) and on the
//! example's counters.
#![cfg(not(loom))]

use racelab::check::contracts::lock::check_lock;
use racelab::check::contracts::pool::check_pool;
use racelab::check::contracts::queue::check_queue;
use racelab::explore::lock::Lock;
use racelab::explore::pool::WorkerPool;
use racelab::explore::queue::TaskQueue;
use racelab::render::{text, Style};

#[test]
fn racelabs_lock_meets_the_lock_contract_exhaustively() {
    let r = check_lock(Lock::new).run();
    println!("{}", text::contract(&r, Style::plain()));
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}

#[test]
fn racelabs_queue_meets_the_queue_contract_exhaustively() {
    let r = check_queue(|maxsize| TaskQueue::<usize>::new(maxsize as isize)).run();
    println!("{}", text::contract(&r, Style::plain()));
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}

#[test]
fn racelabs_pool_meets_the_pool_contract_exhaustively() {
    let r = check_pool::<WorkerPool<usize>>().run();
    println!("{}", text::contract(&r, Style::plain()));
    assert!(r.passed());
    assert!(r.parts.iter().all(|p| p.coverage.is_exhaustive()));
}
