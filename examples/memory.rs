//! Memory over many executions: `cargo run --release --example memory -- N [deadlock]` runs
//! `N` random schedules of two threads taking two mutexes — in the same order, or (with
//! `deadlock`) in opposite orders, so that about half the executions deadlock — and prints
//! the executions run. Measure the peak with `/usr/bin/time -f %M` (KB): finished
//! executions free everything, a deadlocked one keeps its stopped threads' stacks (see the
//! README's "What a check explores").

use racelab::check::sync::{Arc, Mutex};
use racelab::check::{Search, check, thread};
/// Runs the executions the arguments ask for.
fn main() {
    let usage = "usage: memory N [deadlock]";
    let Some(n) = std::env::args()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
    else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let deadlock = std::env::args().nth(2).is_some();
    let report = check(move || {
        let a = Arc::new(Mutex::new(0));
        let b = Arc::new(Mutex::new(0));
        let t = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                let _x = if deadlock {
                    b.lock().unwrap()
                } else {
                    a.lock().unwrap()
                };
                let _y = if deadlock {
                    a.lock().unwrap()
                } else {
                    b.lock().unwrap()
                };
            })
        };
        {
            let _x = a.lock().unwrap();
            let _y = b.lock().unwrap();
        }
        t.join().unwrap();
    })
    .allow_deadlock()
    .search(Search::Random(n))
    .run();
    println!("{} executions", report.executions);
}
