//! `mpsc`: arrival orders, rendezvous, `try_recv`, `recv_timeout`, disconnection, and the
//! forgotten `drop(tx)`.

use super::{conforms, deadlock, waits_for_notify, waits_to_join};
use racelab::check::{Ending, check};

both! {
    use std::time::Duration;
    use sync::atomic::{AtomicBool, Ordering::SeqCst};
    use sync::mpsc::{self, SendError, TrySendError};
    use sync::Arc;

    /// Two senders (a clone each, the original dropped): both messages, in either order,
    /// then the end of `iter`.
    pub fn two_senders() -> Vec<u32> {
        let (tx, rx) = mpsc::channel();
        let handles: Vec<_> = [1, 2]
            .into_iter()
            .map(|id| {
                let tx = tx.clone();
                thread::spawn(move || tx.send(id).unwrap())
            })
            .collect();
        drop(tx);
        let got: Vec<u32> = rx.iter().collect();
        for h in handles {
            h.join().unwrap();
        }
        got
    }

    /// A sender that says it has sent, and a receiver that looks before receiving:
    /// whether it saw "sent" before its `recv`, and what it received.
    pub fn handoff(capacity: usize) -> (bool, u32) {
        let (tx, rx) = mpsc::sync_channel(capacity);
        let sent = Arc::new(AtomicBool::new(false));
        let sender = {
            let sent = Arc::clone(&sent);
            thread::spawn(move || {
                tx.send(7).unwrap();
                sent.store(true, SeqCst);
            })
        };
        let before = sent.load(SeqCst);
        let got = rx.recv().unwrap();
        sender.join().unwrap();
        (before, got)
    }

    pub fn rendezvous() -> (bool, u32) {
        handoff(0)
    }

    pub fn buffered() -> (bool, u32) {
        handoff(1)
    }

    /// `try_recv` racing with a send, then `try_iter` and `try_recv` once the sender is gone.
    pub fn try_recv_race() -> (String, String) {
        let (tx, rx) = mpsc::channel();
        let sender = thread::spawn(move || tx.send(1).unwrap());
        let first = format!("{:?}", rx.try_recv());
        sender.join().unwrap();
        let rest: Vec<u32> = rx.try_iter().collect();
        (format!("{first} then {rest:?}"), format!("{:?}", rx.try_recv()))
    }

    /// `recv_timeout` racing with a send, then again once the sender is gone.
    pub fn recv_timeout_race() -> String {
        let (tx, rx) = mpsc::channel();
        let sender = thread::spawn(move || tx.send(1).unwrap());
        let first = rx.recv_timeout(Duration::from_secs(60));
        sender.join().unwrap();
        let then = rx.recv_timeout(Duration::from_secs(60));
        format!("{first:?}, {then:?}")
    }

    /// A rendezvous `try_send`, which succeeds only while the receiver waits, racing with a
    /// `recv_timeout`: what each got.
    pub fn try_send_meets_recv_timeout() -> (String, String) {
        let (tx, rx) = mpsc::sync_channel::<u32>(0);
        let sender = thread::spawn(move || match tx.try_send(1) {
            Ok(()) => "sent".to_string(),
            Err(TrySendError::Full(_)) => "full".to_string(),
            Err(TrySendError::Disconnected(_)) => "disconnected".to_string(),
        });
        let got = format!("{:?}", rx.recv_timeout(Duration::from_secs(60)));
        (sender.join().unwrap(), got)
    }

    /// A receiver polling with `recv_timeout` for a message sent later: the message, and
    /// how many timeouts it saw (at most 2 counted).
    pub fn poll_with_recv_timeout() -> (u32, u32) {
        let (tx, rx) = mpsc::channel();
        let sender = thread::spawn(move || tx.send(5).unwrap());
        let mut timeouts = 0;
        let got = loop {
            match rx.recv_timeout(Duration::from_millis(1)) {
                Ok(v) => break v,
                Err(mpsc::RecvTimeoutError::Timeout) => timeouts += 1,
                Err(mpsc::RecvTimeoutError::Disconnected) => break 0,
            }
        };
        sender.join().unwrap();
        (got, timeouts.min(2))
    }

    /// The same poll, but `main` holds the only sender and never sends: it polls forever.
    pub fn poll_for_a_message_nobody_sends() {
        let (tx, rx) = mpsc::channel::<u32>();
        while let Err(mpsc::RecvTimeoutError::Timeout) =
            rx.recv_timeout(Duration::from_millis(1))
        {}
        drop(tx);
    }

    /// A rendezvous sender and a receiver that only tries once, then goes: either it took
    /// the message (the send succeeds) or not (the send gives the value back).
    pub fn receiver_tries_once_and_leaves() -> (Result<(), u32>, Option<u32>) {
        let (tx, rx) = mpsc::sync_channel::<u32>(0);
        let receiver = thread::spawn(move || rx.try_recv().ok());
        let sent = tx.send(9).map_err(|SendError(v)| v);
        (sent, receiver.join().unwrap())
    }

    /// Every error on a disconnected channel, in one thread.
    pub fn disconnected() -> Vec<String> {
        let (tx, rx) = mpsc::channel::<u32>();
        drop(rx);
        let send = tx.send(5).map_err(|SendError(v)| v);
        let (stx, srx) = mpsc::sync_channel::<u32>(0);
        drop(srx);
        let sync_send = stx.send(6).map_err(|SendError(v)| v);
        let try_send = match stx.try_send(7) {
            Err(TrySendError::Disconnected(v)) => format!("Disconnected({v})"),
            other => format!("{other:?}"),
        };
        let (tx, rx) = mpsc::channel::<u32>();
        tx.send(8).unwrap();
        drop(tx);
        vec![
            format!("{send:?}"),
            format!("{sync_send:?}"),
            try_send,
            format!("{:?}", rx.recv()),
            format!("{:?}", rx.recv()),
            format!("{:?}", rx.try_recv()),
            format!("{:?}", rx.recv_timeout(Duration::from_secs(60))),
        ]
    }

    /// A full `sync_channel(1)` and `try_send`, then `into_iter`.
    pub fn full() -> (String, Vec<u32>) {
        let (tx, rx) = mpsc::sync_channel::<u32>(1);
        tx.try_send(1).unwrap();
        let second = match tx.try_send(2) {
            Err(TrySendError::Full(v)) => format!("Full({v})"),
            other => format!("{other:?}"),
        };
        drop(tx);
        (second, rx.into_iter().collect())
    }

    /// Two workers send; `main` forgets (or not) to drop its own sender before summing
    /// everything received.
    pub fn sum_of_workers(drop_own_sender: bool) -> u32 {
        let (tx, rx) = mpsc::channel();
        let workers: Vec<_> = [1, 2]
            .into_iter()
            .map(|id| {
                let tx = tx.clone();
                thread::spawn(move || tx.send(id).unwrap())
            })
            .collect();
        if drop_own_sender {
            drop(tx);
        }
        let sum = rx.iter().sum();
        for w in workers {
            w.join().unwrap();
        }
        sum
    }

    /// A producer of three messages into `sync_channel(1)`; `main` receives one, then
    /// joins the producer before receiving the others (which need two places).
    pub fn join_before_draining() -> u32 {
        let (tx, rx) = mpsc::sync_channel(1);
        let producer = thread::spawn(move || {
            for i in 1..=3 {
                tx.send(i).unwrap();
            }
        });
        let first = rx.recv().unwrap();
        producer.join().unwrap();
        first + rx.iter().sum::<u32>()
    }
}

#[test]
fn two_senders_arrive_in_either_order() {
    conforms(
        real::two_senders,
        model::two_senders,
        &[vec![1, 2], vec![2, 1]],
    );
}

#[test]
fn a_rendezvous_send_returns_only_once_received() {
    conforms(real::rendezvous, model::rendezvous, &[(false, 7)]);
}

#[test]
fn a_buffered_send_returns_before_it_is_received() {
    conforms(real::buffered, model::buffered, &[(false, 7), (true, 7)]);
}

#[test]
fn try_recv_sees_the_message_or_nothing_then_the_end() {
    conforms(
        real::try_recv_race,
        model::try_recv_race,
        &[
            ("Ok(1) then []".into(), "Err(Disconnected)".into()),
            ("Err(Empty) then [1]".into(), "Err(Disconnected)".into()),
        ],
    );
}

/// `recv_timeout` gets the message, or times out, or finds the sender gone.
#[test]
fn recv_timeout_gets_the_message_or_times_out() {
    conforms(
        real::recv_timeout_race,
        model::recv_timeout_race,
        &[
            "Ok(1), Err(Disconnected)".into(),
            "Err(Timeout), Ok(1)".into(),
        ],
    );
}

/// A receiver waiting in `recv_timeout` counts as waiting: a rendezvous `try_send` may meet
/// it. Its timeout fires before the sender tries or after, and the sender's leaving ends the
/// wait too.
#[test]
fn a_rendezvous_try_send_meets_a_receiver_waiting_with_a_timeout() {
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    conforms(
        real::try_send_meets_recv_timeout,
        model::try_send_meets_recv_timeout,
        &[
            s("sent", "Ok(1)"),
            s("full", "Err(Timeout)"),
            s("full", "Err(Disconnected)"),
        ],
    );
}

#[test]
fn a_poll_with_recv_timeout_ends_once_the_message_is_sent() {
    // 0: sent before the first look; 1: one timeout, then sent; 2: timed out with nothing
    // sent, held back until the sender ran (see the polling assumption), again.
    conforms(
        real::poll_with_recv_timeout,
        model::poll_with_recv_timeout,
        &[(5, 0), (5, 1), (5, 2)],
    );
}

/// Not run under `std`: it would poll forever. The check must end, and say why.
#[test]
fn a_poll_for_a_message_nobody_sends_is_reported_not_run_forever() {
    let report = check(model::poll_for_a_message_nobody_sends).run();
    assert!(report.has_bug(), "{report}");
    assert!(report.coverage.is_exhaustive(), "{report}");
    assert!(
        report
            .to_string()
            .contains("main waits with a timeout in a loop, timing out again and again"),
        "{report}"
    );
}

#[test]
fn a_rendezvous_sender_gets_its_value_back_when_the_receiver_leaves() {
    conforms(
        real::receiver_tries_once_and_leaves,
        model::receiver_tries_once_and_leaves,
        &[(Ok(()), Some(9)), (Err(9), None)],
    );
}

#[test]
fn disconnected_channels_fail_as_in_std() {
    let expected: Vec<String> = [
        "Err(5)",
        "Err(6)",
        "Disconnected(7)",
        "Ok(8)",
        "Err(RecvError)",
        "Err(Disconnected)",
        "Err(Disconnected)",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(real::disconnected(), expected);
    conforms(real::disconnected, model::disconnected, &[expected]);
}

#[test]
fn a_full_sync_channel_refuses_try_send() {
    conforms(real::full, model::full, &[("Full(2)".into(), vec![1])]);
}

/// The forgotten `drop(tx)`: `main` still holds a sender, so `iter` never ends. Every
/// execution deadlocks, with `main` waiting for a message.
#[test]
fn iter_with_a_sender_still_alive_deadlocks() {
    let report = check(|| model::sum_of_workers(false)).run();
    assert!(report.has_bug(), "{report}");
    assert_eq!(report.endings().collect::<Vec<_>>(), [&Ending::Deadlock]);
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 0), "{report}");
    check(|| model::sum_of_workers(true))
        .expect(|&sum| sum == 3)
        .assert_passes();
}

/// A bounded channel whose producer is joined before it is drained: the producer waits for
/// room, `main` waits for it to finish.
#[test]
fn joining_a_blocked_producer_deadlocks() {
    let report = check(model::join_before_draining).run();
    let blocked = deadlock(&report);
    assert!(waits_for_notify(&blocked, 1), "{report}");
    assert!(waits_to_join(&blocked, 0, 1), "{report}");
}
