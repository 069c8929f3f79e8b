//! `Condvar::wait_timeout_while` and `Mutex::clear_poison`, with std's signatures.

use super::conforms;

both! {
    use sync::{Arc, Condvar, Mutex};

    /// A waiter with a timeout long enough never to fire on std; under a check time does
    /// not pass, so it never fires either. Returns whether it timed out and what it saw.
    pub fn wait_timeout_while_ready() -> (bool, bool) {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (ready, cv) = &*state;
                *ready.lock().unwrap() = true;
                cv.notify_all();
            })
        };
        let (ready, cv) = &*state;
        let guard = ready.lock().unwrap();
        let (guard, result) = cv
            .wait_timeout_while(guard, std::time::Duration::from_secs(600), |ready| !*ready)
            .unwrap();
        let seen = *guard;
        drop(guard);
        setter.join().unwrap();
        ready.clear_poison();
        (result.timed_out(), seen && !ready.is_poisoned())
    }
}

#[test]
fn wait_timeout_while_returns_once_the_condition_is_false() {
    conforms(
        real::wait_timeout_while_ready,
        model::wait_timeout_while_ready,
        &[(false, true)],
    );
}
