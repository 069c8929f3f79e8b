//! The loom backend is wired: under `--cfg loom` the core's primitives are loom's.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use racelab::counter::Counter;
use racelab::pause::Pause;

#[test]
fn loom_runs_the_locked_counter() {
    let mut executions = 0;
    let executions_ref = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&executions_ref);
    loom::model(move || {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let counter = Arc::new(Counter::with_pause(Pause::Yield));
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment_locked())
        };
        counter.increment_locked();
        other.join().unwrap();
        assert_eq!(counter.value(), 2);
    });
    executions += executions_ref.load(std::sync::atomic::Ordering::SeqCst);
    assert!(executions > 1, "loom explored {executions} executions");
}
