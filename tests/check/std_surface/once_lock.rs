//! `OnceLock`: racing `set`s (exactly one wins), racing `get_or_init`s (one initialiser),
//! `get` never waiting, the owned cell, and a learner's `set(...).unwrap()` from two
//! threads.

use super::conforms;
use racelab::check::sync::{Arc, OnceLock};
use racelab::check::{Ending, check, thread};

both! {
    use sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use sync::{Arc, OnceLock};

    /// Two threads `set` their own value: whether each succeeded, and what the cell holds.
    pub fn set_race() -> (bool, bool, Option<u32>) {
        let cell = Arc::new(OnceLock::new());
        let setters: Vec<_> = [1, 2]
            .into_iter()
            .map(|v| {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.set(v).is_ok())
            })
            .collect();
        let ok: Vec<bool> = setters.into_iter().map(|s| s.join().unwrap()).collect();
        (ok[0], ok[1], cell.get().copied())
    }

    /// Two threads `get_or_init` with their own value: what each got, and how many
    /// initialisers ran.
    pub fn get_or_init_race() -> (u32, u32, usize) {
        let cell = Arc::new(OnceLock::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let users: Vec<_> = [1, 2]
            .into_iter()
            .map(|v| {
                let (cell, runs) = (Arc::clone(&cell), Arc::clone(&runs));
                thread::spawn(move || {
                    *cell.get_or_init(|| {
                        runs.fetch_add(1, SeqCst);
                        v
                    })
                })
            })
            .collect();
        let got: Vec<u32> = users.into_iter().map(|u| u.join().unwrap()).collect();
        (got[0], got[1], runs.load(SeqCst))
    }

    /// A cell filled, then moved into an `Arc` and read by another thread: a value moves
    /// with its cell (racelab keeps a cell used in one execution in the cell itself).
    pub fn moved_after_set() -> (Option<u32>, Option<u32>) {
        let cell = OnceLock::new();
        cell.set(5).unwrap();
        let cell = Arc::new(cell);
        let reader = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.get().copied())
        };
        (reader.join().unwrap(), Arc::into_inner(cell).unwrap().into_inner())
    }

    /// `get` racing with a `set`.
    pub fn get_while_set() -> Option<u32> {
        let cell = Arc::new(OnceLock::new());
        let setter = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || cell.set(3).unwrap())
        };
        let seen = cell.get().copied();
        setter.join().unwrap();
        seen
    }

    /// `get_mut`, `take`, `set` again and `into_inner` in one thread.
    pub fn owned() -> (Option<u32>, Option<u32>, Result<(), u32>, Option<u32>) {
        let mut cell = OnceLock::new();
        cell.set(1).unwrap();
        *cell.get_mut().unwrap() += 1;
        let taken = cell.take();
        let empty = cell.get().copied();
        let again = cell.set(5);
        (taken, empty, again.and(cell.set(6)), cell.into_inner())
    }
}

#[test]
fn a_cell_moved_after_it_was_filled_keeps_its_value() {
    conforms(
        real::moved_after_set,
        model::moved_after_set,
        &[(Some(5), Some(5))],
    );
}

#[test]
fn exactly_one_set_wins() {
    conforms(
        real::set_race,
        model::set_race,
        &[(true, false, Some(1)), (false, true, Some(2))],
    );
}

#[test]
fn get_or_init_runs_one_initialiser() {
    conforms(
        real::get_or_init_race,
        model::get_or_init_race,
        &[(1, 1, 1), (2, 2, 1)],
    );
}

#[test]
fn get_does_not_wait_for_a_set() {
    conforms(real::get_while_set, model::get_while_set, &[None, Some(3)]);
}

#[test]
fn an_owned_cell_can_be_taken_and_set_again() {
    conforms(
        real::owned,
        model::owned,
        &[(Some(2), None, Err(6), Some(5))],
    );
}

/// Both threads think they initialise the cell and unwrap `set`: one of them panics.
#[test]
fn unwrapping_a_racing_set_panics() {
    let report = check(|| {
        let cell = Arc::new(OnceLock::new());
        let threads: Vec<_> = [1, 2]
            .into_iter()
            .map(|v| {
                let cell = Arc::clone(&cell);
                thread::spawn(move || cell.set(v).unwrap())
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    })
    .run();
    assert!(report.has_bug(), "{report}");
    assert!(
        report
            .endings()
            .all(|e| matches!(e, Ending::Panicked(m) if m.contains("unwrap"))),
        "{report}"
    );
}
