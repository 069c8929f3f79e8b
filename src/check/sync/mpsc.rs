//! Channels, shaped like `std::sync::mpsc`: [`channel`] (unbounded), [`sync_channel`]
//! (bounded, and with capacity 0 a rendezvous), [`Sender`], [`SyncSender`], [`Receiver`],
//! and `std`'s own error types.
//!
//! **Built on racelab's [`Mutex`] and [`Condvar`]**, not known
//! to the engine natively: the queue, the count of senders and whether the receiver lives
//! are data under one modelled mutex, and a blocked `recv` or bounded `send` waits on a
//! modelled condition variable. Every send, receive, clone and drop of an end is therefore a
//! few modelled operations (lock, unlock, and a notify when someone waits), and a check of a
//! program with channels may take more executions than one whose primitives the engine knew
//! natively. A thread blocked on a channel in a deadlock is shown waiting on `channel: a
//! message` (the receiver) or `channel: room` (a bounded sender), having released `channel`.
//!
//! **What `std` does and this does too.** Messages arrive in the order they were sent; a
//! `send` fails with [`SendError`] (giving the value back) once the receiver is gone; a
//! `recv` returns every message still queued and then fails with [`RecvError`] once every
//! sender is gone; `sync_channel(n)` blocks a sender while `n` messages wait, and
//! `sync_channel(0)` blocks it until the receiver has taken its message (a sender whose
//! message was not taken when the receiver went away gets it back in its `SendError`);
//! `try_send` on a capacity-0 channel succeeds only while the receiver waits in `recv`.
//! Messages still queued when the receiver goes are dropped then, as in `std`.
//!
//! **What it does not.** There is no clock: [`Receiver::recv_timeout`] waits, and its
//! timeout may fire at any moment of the wait, before or after a send (both are explored);
//! a loop that retries on `Timeout` is cut as a polling loop, as a loop around
//! [`Condvar::wait_timeout`] is. Waits wake spuriously only in a check with
//! `Check::spurious_wakeups`; who of several blocked senders goes first is
//! explored, not fair. An end dropped while its thread unwinds a panic goes as in `std`:
//! a sender's going disconnects the channel once no sender is left, a receiver's drops
//! the queued messages there and then and makes later sends fail. A thread cannot take
//! operations while it unwinds, so racelab takes the release (the channel's lock, the
//! count or flag, the notify) as the thread's next steps once it stops unwinding, and
//! cancels it if the channel goes first. Until then a sender finds the queue as full as it
//! was: the receiver keeps the places of the messages it dropped. (Should another thread
//! be inside the channel's critical section at that moment, which racelab's own channel
//! code never leaves a thread in while another runs, the receiver's drop ends the
//! execution as a panic row instead.)

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

use super::composite::{lock, may_operate, unwinding_in_check, wait, wait_timeout};
use super::condvar::Condvar;
use super::mutex::{Mutex, MutexGuard};
use crate::check::rt;

/// The channel's state, under its mutex.
struct State<T> {
    /// The messages, oldest first. `None`: a message dropped while the receiver's thread
    /// unwound a panic, its place kept until the receiver's release is taken (see
    /// [`Receiver`]'s destructor).
    queue: VecDeque<Option<T>>,
    /// Live `Sender`s and `SyncSender`s.
    senders: usize,
    /// Whether the `Receiver` lives.
    receiver: bool,
    /// Whether the receiver waits in `recv`.
    receiver_waiting: bool,
    /// Bounded senders waiting.
    senders_waiting: usize,
    /// Messages sent so far (a rendezvous sender's message is number `sent` when it is put).
    sent: u64,
    /// Messages received so far.
    received: u64,
}

/// What both ends share.
struct Chan<T> {
    /// `None`: unbounded.
    bound: Option<usize>,
    state: Mutex<State<T>>,
    /// Where the receiver waits for a message or for the last sender to go.
    readable: Condvar,
    /// Where bounded senders wait for room, for their message to be taken (capacity 0), or
    /// for the receiver to go.
    writable: Condvar,
}

impl<T> Chan<T> {
    fn new(bound: Option<usize>) -> Arc<Self> {
        Arc::new(Chan {
            bound,
            state: Mutex::new(State {
                queue: VecDeque::new(),
                senders: 1,
                receiver: true,
                receiver_waiting: false,
                senders_waiting: 0,
                sent: 0,
                received: 0,
            })
            .named("channel"),
            readable: Condvar::new().named("channel: a message"),
            writable: Condvar::new().named("channel: room"),
        })
    }

    #[track_caller]
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        lock(&self.state)
    }

    /// Queues `value` (the caller checked there is room) and wakes the receiver if it waits.
    #[track_caller]
    fn put(&self, state: &mut State<T>, value: T) -> u64 {
        state.queue.push_back(Some(value));
        state.sent += 1;
        if state.receiver_waiting {
            self.readable.notify_one();
        }
        state.sent
    }

    /// Takes the oldest message, waking bounded senders that wait.
    #[track_caller]
    fn take(&self, state: &mut State<T>) -> Option<T> {
        let value = state.queue.pop_front()??;
        state.received += 1;
        if state.senders_waiting > 0 {
            self.writable.notify_all();
        }
        Some(value)
    }

    #[track_caller]
    fn add_sender(&self) {
        self.lock().senders += 1;
    }

    /// A sender goes. While its thread unwinds a panic, that takes several operations a
    /// thread cannot take then, so it is deferred (see [`Chan::defer`]).
    fn drop_sender(&self) {
        if unwinding_in_check() {
            self.defer(Chan::release_sender);
        } else if may_operate() {
            self.release_sender();
        }
    }

    /// Defers `release` (an end's going) to the unwinding thread's next steps once it
    /// stops unwinding, as a `Mutex`'s release is (`rt::defer_action`); cancelled if the
    /// channel itself goes first (`Chan`'s destructor).
    fn defer(&self, release: fn(&Chan<T>)) {
        let chan: *const Chan<T> = self;
        let action: Box<dyn FnOnce() + '_> = Box::new(move || {
            // SAFETY: the action runs before its thread takes any other step, and is
            // cancelled if the channel is dropped before that: the channel is alive.
            release(unsafe { &*chan });
        });
        // SAFETY: only the lifetime is changed, and the action runs or is cancelled before
        // the thread goes on (see above). A sender's release touches the count of senders
        // and the receiver's condition variable, never a message. A receiver's drops the
        // messages other threads queued after its thread started unwinding (it dropped
        // those queued before): they borrow nothing from the frames it unwound, which
        // another thread could reach only as a scoped thread of a scope in them, and a
        // panic that leaves a scope ends the execution (see `check::thread::scope`).
        let action: Box<dyn FnOnce()> = unsafe { std::mem::transmute(action) };
        rt::defer_action(chan as usize, action);
    }

    /// The receiver goes: bounded senders that wait are told, and the messages still
    /// queued are dropped, as in `std` (after the lock is released: a message may be a
    /// channel end). A rendezvous sender takes its message back itself.
    #[track_caller]
    fn release_receiver(&self) {
        let mut state = self.lock();
        state.receiver = false;
        if state.senders_waiting > 0 {
            self.writable.notify_all();
        }
        let dropped = match self.bound {
            Some(0) => VecDeque::new(),
            _ => std::mem::take(&mut state.queue),
        };
        drop(state);
        drop(dropped);
    }

    #[track_caller]
    fn release_sender(&self) {
        let mut state = self.lock();
        state.senders -= 1;
        if state.senders == 0 && state.receiver_waiting {
            self.readable.notify_one();
        }
    }
}

impl<T> Drop for Chan<T> {
    fn drop(&mut self) {
        rt::cancel_deferred(self as *const Chan<T> as usize);
    }
}

/// A new unbounded channel: sending never blocks (like `std::sync::mpsc::channel`).
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Chan::new(None);
    (
        Sender {
            chan: Arc::clone(&chan),
        },
        Receiver::new(chan),
    )
}

/// A new channel holding at most `bound` messages; with `bound` 0 every send waits until
/// the receiver takes its message (like `std::sync::mpsc::sync_channel`).
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let chan = Chan::new(Some(bound));
    (
        SyncSender {
            chan: Arc::clone(&chan),
        },
        Receiver::new(chan),
    )
}

/// The sending end of a [`channel`]; clone it for more senders.
pub struct Sender<T> {
    chan: Arc<Chan<T>>,
}

impl<T> Sender<T> {
    /// Queues `value` without waiting; fails, giving it back, if the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let mut state = self.chan.lock();
        if !state.receiver {
            return Err(SendError(value));
        }
        self.chan.put(&mut state, value);
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    /// Another sender (a modelled step: the count of senders is shared state).
    #[track_caller]
    fn clone(&self) -> Self {
        self.chan.add_sender();
        Sender {
            chan: Arc::clone(&self.chan),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

/// The sending end of a [`sync_channel`]; clone it for more senders.
pub struct SyncSender<T> {
    chan: Arc<Chan<T>>,
}

impl<T> SyncSender<T> {
    /// Queues `value`, waiting while the channel is full; with capacity 0, waits until the
    /// receiver has taken it. Fails, giving it back, if the receiver is gone first.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let chan = &*self.chan;
        let bound = chan.bound.unwrap_or(usize::MAX);
        let mut state = chan.lock();
        loop {
            if !state.receiver {
                return Err(SendError(value));
            }
            if state.queue.len() < bound.max(1) {
                break;
            }
            state.senders_waiting += 1;
            state = wait(&chan.writable, state);
            state.senders_waiting -= 1;
        }
        let ticket = chan.put(&mut state, value);
        if bound > 0 {
            return Ok(());
        }
        // A rendezvous: wait until the receiver has taken this message.
        while state.received < ticket && state.receiver {
            state.senders_waiting += 1;
            state = wait(&chan.writable, state);
            state.senders_waiting -= 1;
        }
        if state.received >= ticket {
            return Ok(());
        }
        // The receiver went without taking it; it is the only message queued (a rendezvous
        // channel holds one at a time).
        let value = state
            .queue
            .pop_back()
            .flatten()
            .expect("the message is still queued");
        Err(SendError(value))
    }

    /// Queues `value` if there is room now (with capacity 0: if the receiver waits in
    /// `recv` now); otherwise gives it back as `Full`, or `Disconnected` if the receiver is
    /// gone.
    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let chan = &*self.chan;
        let mut state = chan.lock();
        if !state.receiver {
            return Err(TrySendError::Disconnected(value));
        }
        let room = match chan.bound {
            Some(0) => state.receiver_waiting && state.queue.is_empty(),
            Some(bound) => state.queue.len() < bound,
            None => true,
        };
        if !room {
            return Err(TrySendError::Full(value));
        }
        chan.put(&mut state, value);
        Ok(())
    }
}

impl<T> Clone for SyncSender<T> {
    /// Another sender (a modelled step: the count of senders is shared state).
    #[track_caller]
    fn clone(&self) -> Self {
        self.chan.add_sender();
        SyncSender {
            chan: Arc::clone(&self.chan),
        }
    }
}

impl<T> Drop for SyncSender<T> {
    fn drop(&mut self) {
        self.chan.drop_sender();
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSender").finish_non_exhaustive()
    }
}

/// The receiving end of a channel (one per channel; `Send` but not `Sync`, as in `std`).
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
    /// Not `Sync`, like `std`'s: only one thread receives at a time.
    _not_sync: PhantomData<std::cell::Cell<()>>,
}

impl<T> Receiver<T> {
    fn new(chan: Arc<Chan<T>>) -> Self {
        Receiver {
            chan,
            _not_sync: PhantomData,
        }
    }

    /// The oldest message, waiting for one while some sender lives; fails once the channel
    /// is empty and every sender is gone.
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        let chan = &*self.chan;
        let mut state = chan.lock();
        loop {
            if let Some(value) = chan.take(&mut state) {
                return Ok(value);
            }
            if state.senders == 0 {
                return Err(RecvError);
            }
            state.receiver_waiting = true;
            state = wait(&chan.readable, state);
            state.receiver_waiting = false;
        }
    }

    /// The oldest message if one is queued now: `Empty` if none is and some sender lives,
    /// `Disconnected` if every sender is gone.
    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let chan = &*self.chan;
        let mut state = chan.lock();
        match chan.take(&mut state) {
            Some(value) => Ok(value),
            None if state.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    /// The oldest message, waiting for one until the timeout fires while some sender
    /// lives: `Timeout` if none came, `Disconnected` once the channel is empty and every
    /// sender is gone. A check has no clock: the timeout may fire at any moment of the wait,
    /// before or after a send, and both are explored (the duration is not used). A loop that retries on `Timeout` is cut as
    /// a polling loop (see the coverage's assumptions).
    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        let chan = &*self.chan;
        let mut state = chan.lock();
        let mut timed_out = false;
        loop {
            // As `std` does after its deadline: a message that came is still taken.
            if let Some(value) = chan.take(&mut state) {
                return Ok(value);
            }
            if state.senders == 0 {
                return Err(RecvTimeoutError::Disconnected);
            }
            if timed_out {
                return Err(RecvTimeoutError::Timeout);
            }
            state.receiver_waiting = true;
            (state, timed_out) = wait_timeout(&chan.readable, state, timeout);
            state.receiver_waiting = false;
        }
    }

    /// Receives until every sender is gone (each step a [`recv`](Self::recv)).
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }

    /// Receives what is queued now (each step a [`try_recv`](Self::try_recv)).
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let chan = &*self.chan;
        if unwinding_in_check() {
            // While its thread unwinds a panic, the receiver's release (several operations)
            // is deferred, as a sender's is; the queued messages are dropped now, as in
            // `std`, their places kept so that senders see the same queue until the
            // release. A rendezvous channel's waiting sender takes its message back itself.
            let dropped: Option<Vec<T>> = match chan.bound {
                Some(0) => Some(Vec::new()),
                _ => chan.state.data_unguarded().map(|state| {
                    // SAFETY: no guard of the state exists (a thread suspended inside the
                    // channel's critical section would have one), and this thread does not
                    // switch while it uses the reference (see `Mutex::data_unguarded`).
                    let state = unsafe { &mut *state };
                    state.queue.iter_mut().filter_map(Option::take).collect()
                }),
            };
            if let Some(dropped) = dropped {
                chan.defer(Chan::release_receiver);
                drop(dropped);
                return;
            }
        }
        if may_operate() {
            chan.release_receiver();
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// The messages of a [`Receiver`], waiting for each ([`Receiver::iter`]).
#[derive(Debug)]
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;

    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

/// The messages queued now ([`Receiver::try_iter`]).
#[derive(Debug)]
pub struct TryIter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;

    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

/// The messages of a [`Receiver`] taken by value, waiting for each.
#[derive(Debug)]
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    #[track_caller]
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}
