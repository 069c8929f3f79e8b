//! `LazyLock`: one initialisation for racing first users, and the lazy value whose
//! initialiser takes a lock its first user holds.

use super::{conforms, deadlock, waits_for_notify};
use racelab::check::sync::{Arc, LazyLock, Mutex};
use racelab::check::{WaitsFor, check, thread};

both! {
    use sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use sync::{Arc, LazyLock};

    /// Two threads use a lazy value first (one with `force`, one through `Deref`): what
    /// each got, and how many times it was computed.
    pub fn first_use_race() -> (u32, u32, usize) {
        let runs = Arc::new(AtomicUsize::new(0));
        let lazy = Arc::new(LazyLock::new({
            let runs = Arc::clone(&runs);
            move || {
                runs.fetch_add(1, SeqCst);
                42
            }
        }));
        let forced = {
            let lazy = Arc::clone(&lazy);
            thread::spawn(move || *LazyLock::force(&lazy))
        };
        let derefed = {
            let lazy = Arc::clone(&lazy);
            thread::spawn(move || **lazy)
        };
        (
            forced.join().unwrap(),
            derefed.join().unwrap(),
            runs.load(SeqCst),
        )
    }
}

#[test]
fn racing_first_uses_compute_once() {
    conforms(real::first_use_race, model::first_use_race, &[(42, 42, 1)]);
}

/// Thread1 holds `config` and uses the lazy value; the lazy value's initialiser, run by
/// whichever thread comes first, takes `config`. Unless `main` computes it before Thread1
/// takes `config`, someone waits for `config` while another waits for the value.
#[test]
fn an_initialiser_that_takes_a_held_lock_deadlocks() {
    let report = check(|| {
        let config = Arc::new(Mutex::new(1).named("config"));
        let lazy = Arc::new(LazyLock::new({
            let config = Arc::clone(&config);
            move || *config.lock().unwrap() * 10
        }));
        let t = {
            let (config, lazy) = (Arc::clone(&config), Arc::clone(&lazy));
            thread::spawn(move || {
                let held = config.lock().unwrap();
                **lazy + *held
            })
        };
        let mine = **lazy;
        mine + t.join().unwrap()
    })
    .run();
    let returned: Vec<u32> = report
        .endings()
        .filter_map(|e| e.returned().copied())
        .collect();
    assert_eq!(returned, [21], "{report}");
    let blocked = deadlock(&report);
    assert!(
        blocked
            .iter()
            .any(|b| matches!(&b.waits_for, WaitsFor::Lock { object, .. } if object == "config")),
        "{report}"
    );
    assert!(
        waits_for_notify(&blocked, 0) || waits_for_notify(&blocked, 1),
        "{report}"
    );
}
