//! The JSON views: a check's report as a program reads it.

use racelab::check::sync::{Arc, Mutex};
use racelab::check::{check, thread};

#[test]
fn the_json_report_has_the_table_the_witness_and_who_waits() {
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
    let json: serde_json::Value =
        serde_json::from_str(&racelab::render::json::report(&r)).expect("valid JSON");
    assert_eq!(json["coverage"]["kind"], "exhaustive");
    assert_eq!(json["passed"], false);
    let deadlock = json["witnesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["outcome"] == "deadlock")
        .expect("a deadlock witness");
    assert_eq!(
        deadlock["blocked"][0]["text"],
        "main waits to lock b, held by Thread1"
    );
    assert_eq!(deadlock["blocked"][1]["thread_name"], "Thread1");
    assert!(
        deadlock["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "lock" && s["object"] == "a")
    );
}
