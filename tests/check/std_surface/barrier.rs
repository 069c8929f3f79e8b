//! `Barrier`: one leader per generation, reuse, and a barrier for one thread too many.

use super::{conforms, deadlock, waits_for_notify};
use racelab::check::check;

both! {
    use sync::{Arc, Barrier, Mutex};

    /// Three parties: how many leaders, and which thread led.
    pub fn one_leader() -> (usize, Option<usize>) {
        let barrier = Arc::new(Barrier::new(3));
        let others: Vec<_> = [1, 2]
            .into_iter()
            .map(|id| {
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || barrier.wait().is_leader().then_some(id))
            })
            .collect();
        let mine = barrier.wait().is_leader().then_some(0);
        let leaders: Vec<usize> = std::iter::once(mine)
            .chain(others.into_iter().map(|t| t.join().unwrap()))
            .flatten()
            .collect();
        (leaders.len(), leaders.first().copied())
    }

    /// Two generations of two parties: leaders in all (one per generation), and what each
    /// side saw of the other's write before the barrier between them.
    pub fn two_generations() -> (usize, u32, u32) {
        let barrier = Arc::new(Barrier::new(2));
        let value = Arc::new(Mutex::new(0));
        let other = {
            let (barrier, value) = (Arc::clone(&barrier), Arc::clone(&value));
            thread::spawn(move || {
                *value.lock().unwrap() = 1;
                let first = barrier.wait().is_leader();
                let second = barrier.wait().is_leader();
                let seen = *value.lock().unwrap();
                (usize::from(first) + usize::from(second), seen)
            })
        };
        let first = barrier.wait().is_leader();
        let seen = *value.lock().unwrap();
        *value.lock().unwrap() = 2;
        let second = barrier.wait().is_leader();
        let (leaders, other_saw) = other.join().unwrap();
        (leaders + usize::from(first) + usize::from(second), seen, other_saw)
    }

    /// A barrier for three that only two threads reach.
    pub fn one_party_short() {
        let barrier = Arc::new(Barrier::new(3));
        let other = {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
            })
        };
        barrier.wait();
        other.join().unwrap();
    }
}

#[test]
fn exactly_one_leader_and_any_thread_may_lead() {
    conforms(
        real::one_leader,
        model::one_leader,
        &[(1, Some(0)), (1, Some(1)), (1, Some(2))],
    );
}

#[test]
fn a_barrier_is_reused_and_orders_writes_before_it() {
    conforms(real::two_generations, model::two_generations, &[(2, 1, 2)]);
}

/// Not run under `std`: it would hang. Both threads wait at the barrier for a third.
#[test]
fn a_barrier_for_one_thread_too_many_deadlocks() {
    let report = check(model::one_party_short).run();
    assert!(report.has_bug(), "{report}");
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 0), "{report}");
    assert!(waits_for_notify(&blocked, 1), "{report}");
}
