//! Check your own counter with racelab: `cargo run --release --example check_your_counter`.
//!
//! Two implementations a learner might write. The first reads and then writes with two
//! atomic operations — it compiles, it passes every single-threaded test, and racelab
//! finds the interleavings that lose an update. The second holds a mutex across both
//! steps, and racelab finds no forbidden outcome in any interleaving.
//!
//! (`tests/explore.rs` includes this file and checks both results.)

use racelab::explore::shuttle::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::explore::shuttle::sync::Mutex;
use racelab::explore::yours::{check_counter, SharedCounter, Steps};
use racelab::report::{exploration_text, Style};
use racelab::step::Step;

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

/// The same two steps while holding a mutex. Taking and releasing the mutex are marked as
/// steps too, so that racelab may switch threads around them.
#[derive(Default)]
pub struct MutexHeld(Mutex<usize>);

impl SharedCounter for MutexHeld {
    fn increment(&self, steps: &Steps) {
        let mut value = steps.step(|| (self.0.lock().unwrap(), Step::Acquire("mutex")));
        let v = steps.read(|| *value);
        steps.write(v + 1, || *value = v + 1);
        steps.step(|| (drop(value), Step::Release("mutex")));
    }
    fn value(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let style = Style::detect();
    println!("== load, then store");
    print!(
        "{}",
        exploration_text(&check_counter(LoadThenStore::default, 2, 2)?, style)
    );
    println!("\n== inside a mutex");
    print!(
        "{}",
        exploration_text(&check_counter(MutexHeld::default, 2, 2)?, style)
    );
    Ok(())
}
