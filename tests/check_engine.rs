//! The engine on small programs: bugs it must find, correct code it must pass.
#![cfg(not(loom))]

use racelab::check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::check::sync::{Arc, Condvar, Mutex};
use racelab::check::{check, thread, Ending};
use racelab::render::{text, Style};

fn counter_load_store() -> usize {
    let value = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let v = value.load(SeqCst);
                value.store(v + 1, SeqCst);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    value.load(SeqCst)
}

#[test]
fn finds_the_lost_update() {
    let r = check(counter_load_store).expect(|&v| v == 2).run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(r.has_bug());
    assert!(r.coverage.is_exhaustive());
}

#[test]
fn relock_between_read_and_write() {
    let r = check(|| {
        let value = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let value = Arc::clone(&value);
                thread::spawn(move || {
                    let v = *value.lock().unwrap();
                    *value.lock().unwrap() = v + 1;
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = *value.lock().unwrap();
        v
    })
    .expect(|&v| v == 2)
    .run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(r.has_bug());
}

#[test]
fn mutex_counter_passes() {
    let r = check(|| {
        let value = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let value = Arc::clone(&value);
                thread::spawn(move || {
                    let mut g = value.lock().unwrap();
                    *g += 1;
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = *value.lock().unwrap();
        v
    })
    .expect(|&v| v == 3)
    .run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(!r.has_bug());
    assert!(r.coverage.is_exhaustive());
}

#[test]
fn lock_order_deadlock() {
    let r = check(|| {
        let a = Arc::new(Mutex::new(()).named("a"));
        let b = Arc::new(Mutex::new(()).named("b"));
        let t = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                let _x = b.lock().unwrap();
                let _y = a.lock().unwrap();
            })
        };
        {
            let _x = a.lock().unwrap();
            let _y = b.lock().unwrap();
        }
        t.join().unwrap();
    })
    .run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(r.endings().any(|e| *e == Ending::Deadlock));
}

#[test]
fn lost_wakeup_if_not_while() {
    let r = check(|| {
        let shared = Arc::new((
            Mutex::new(Vec::<u32>::new()).named("items"),
            Condvar::new().named("not_empty"),
        ));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let (items, cv) = &*shared;
                    let mut q = items.lock().unwrap();
                    if q.is_empty() {
                        q = cv.wait(q).unwrap();
                    }
                    q.pop().is_some()
                })
            })
            .collect();
        let (items, cv) = &*shared;
        for i in 0..2 {
            items.lock().unwrap().push(i);
            cv.notify_one();
        }
        consumers.into_iter().all(|c| c.join().unwrap())
    })
    .expect(|&all| all)
    .run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(r.has_bug());
}

#[test]
fn panics_are_outcomes() {
    let r = check(|| {
        let t = thread::spawn(|| panic!("boom"));
        let _ = t.join();
    })
    .run();
    println!("{}", text::report(&r, Style::plain()));
    assert!(matches!(r.rows[0].ending, Ending::Panicked(ref m) if m.contains("boom")));
}
