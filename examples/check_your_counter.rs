//! Check your own counter with racelab: `cargo run --release --example check_your_counter`.
//!
//! Three implementations a learner might write. The first loads and then stores; the second
//! takes its mutex to read and takes it again to write. Both compile, both pass every
//! single-threaded test, and racelab finds the interleavings that lose an update — in the
//! second, inside the learner's own mutex, without anything marked. The third holds the
//! mutex across both steps, and racelab finds no forbidden outcome in any schedule.
//!
//! (`tests/check/contracts.rs` includes this file and checks all three results.)

use racelab::check::contracts::counter::{SharedCounter, Steps, check_counter};
use racelab::check::sync::Mutex;
use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Load, then store: two steps another thread can come between.
#[derive(Default)]
pub struct LoadThenStore(AtomicUsize);

impl SharedCounter for LoadThenStore {
    fn increment(&self, steps: &Steps) {
        let v = steps.read(|| self.0.load(SeqCst));
        steps.write(v + 1, || self.0.store(v + 1, SeqCst));
    }
    fn value(&self) -> usize {
        self.0.load(SeqCst)
    }
}

/// Locks to read, then locks again to write: the mutex is released in between.
#[derive(Default)]
pub struct RelockToWrite(Mutex<usize>);

impl SharedCounter for RelockToWrite {
    fn increment(&self, _steps: &Steps) {
        let v = *self.0.lock().unwrap();
        *self.0.lock().unwrap() = v + 1;
    }
    fn value(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

/// Both steps while holding the mutex.
#[derive(Default)]
pub struct MutexHeld(Mutex<usize>);

impl SharedCounter for MutexHeld {
    fn increment(&self, steps: &Steps) {
        let mut value = self.0.lock().unwrap();
        let v = steps.read(|| *value);
        steps.write(v + 1, || *value = v + 1);
    }
    fn value(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

fn main() {
    println!("== load, then store");
    print!("{}", check_counter(LoadThenStore::default, 2, 1).run());
    println!("\n== lock to read, lock again to write");
    print!("{}", check_counter(RelockToWrite::default, 2, 1).run());
    println!("\n== inside one lock");
    print!("{}", check_counter(MutexHeld::default, 2, 2).run());
}
