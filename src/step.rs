//! Steps: what the core reports to an observer as it runs.
//!
//! The core calls its [`Observer`] (if any; none by default, which costs one branch)
//! after each step that matters to a learner: a read or write of `database_value`, an
//! acquire or release of a lock, a put or get. Under racelab's step-level explorer, the
//! condition variables' waits, notifies and wake-ups are steps too (the engine reports
//! them itself: see `crate::check::rt`). Under shuttle only one thread runs at a time, so the order
//! in which steps are reported *is* the interleaving; [`crate::checked`] uses this both to
//! draw traces and to decide where to switch threads.

use std::fmt;
use std::sync::Arc;

/// One visible step of the core (or of a scenario built on it).
///
/// Queue items are identified by their *ticket*: the n-th item ever put has ticket n, and
/// since the queue is FIFO the n-th successful get returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Read `database_value` into a local copy; the value read.
    Read(usize),
    /// Wrote the local copy back to `database_value`; the value written.
    Write(usize),
    /// Atomically added one (`fetch_add`); the value before.
    FetchAdd(usize),
    /// Acquired the named lock.
    Acquire(&'static str),
    /// Released the named lock.
    Release(&'static str),
    /// Put the item with this ticket on the queue.
    Put(usize),
    /// Got the item with this ticket from the queue.
    Get(usize),
    /// Marked one task done.
    TaskDone,
    /// Handled (did the work for) the item with this ticket.
    Handle(usize),
    /// `join` returned.
    Joined,
    /// Woke up, found the queue empty and took nothing (the `if`-instead-of-`while` bug).
    GotNothing,
    /// Started waiting on the named condition variable (releasing its mutex).
    Wait(&'static str),
    /// Notified one waiter of the named condition variable (`nobody` when none waited).
    Notify(&'static str),
    /// Notified every waiter of the named condition variable.
    NotifyAll(&'static str),
    /// Woke up from waiting on the named condition variable (it then takes the mutex again).
    Wake(&'static str),
    /// Stored this value in the named atomic (the message-passing scenarios).
    Store(&'static str, usize),
    /// Loaded this value from the named atomic (the message-passing scenarios).
    Load(&'static str, usize),
    /// Ran the one-time initialisation (`once-by-hand`).
    Initialise,
    /// Sent the message with this number on a channel.
    Send(usize),
    /// Received the message with this number from a channel.
    Recv(usize),
}

impl Step {
    /// A short name for the kind of step (`"read"`, `"acquire"`, ...), as used in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Read(_) => "read",
            Step::Write(_) => "write",
            Step::FetchAdd(_) => "fetch_add",
            Step::Acquire(_) => "acquire",
            Step::Release(_) => "release",
            Step::Put(_) => "put",
            Step::Get(_) => "get",
            Step::TaskDone => "task_done",
            Step::Handle(_) => "handle",
            Step::Joined => "join_returned",
            Step::GotNothing => "got_nothing",
            Step::Wait(_) => "wait",
            Step::Notify(_) => "notify",
            Step::NotifyAll(_) => "notify_all",
            Step::Wake(_) => "wake",
            Step::Store(..) => "store",
            Step::Load(..) => "load",
            Step::Initialise => "initialise",
            Step::Send(_) => "send",
            Step::Recv(_) => "recv",
        }
    }

    /// The number the step carries (value read or written, ticket), if any.
    pub fn value(&self) -> Option<usize> {
        match *self {
            Step::Read(v) | Step::Write(v) | Step::FetchAdd(v) => Some(v),
            Step::Store(_, v) | Step::Load(_, v) => Some(v),
            Step::Send(t) | Step::Recv(t) => Some(t),
            Step::Put(t) | Step::Get(t) | Step::Handle(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Read(v) => write!(f, "read {v}"),
            Step::Write(v) => write!(f, "write {v}"),
            Step::FetchAdd(v) => write!(f, "fetch_add {v}->{}", v + 1),
            Step::Acquire(lock) => write!(f, "acquire {lock}"),
            Step::Release(lock) => write!(f, "release {lock}"),
            Step::Put(t) => write!(f, "put #{t}"),
            Step::Get(t) => write!(f, "get #{t}"),
            Step::TaskDone => f.write_str("task_done"),
            Step::Handle(t) => write!(f, "handle #{t}"),
            Step::Joined => f.write_str("join returns"),
            Step::GotNothing => f.write_str("got nothing!"),
            Step::Wait(cv) => write!(f, "wait {cv}"),
            Step::Notify(cv) => write!(f, "notify {cv}"),
            Step::NotifyAll(cv) => write!(f, "notify_all {cv}"),
            Step::Wake(cv) => write!(f, "wake {cv}"),
            Step::Store(name, v) => write!(f, "store {name} = {v}"),
            Step::Load(name, v) => write!(f, "load {name} -> {v}"),
            Step::Initialise => f.write_str("initialise"),
            Step::Send(t) => write!(f, "send #{t}"),
            Step::Recv(t) => write!(f, "recv #{t}"),
        }
    }
}

/// Watches the steps of the objects it is attached to.
///
/// `before_step` is called right before each operation that may become a step (a load,
/// a store, an acquire, a put, ...), `step` right after it with what happened. A model
/// checker's observer yields in `before_step`: switching threads *before* operations, never
/// between an operation and its report, keeps recorded traces exact.
pub trait Observe: Send + Sync {
    /// About to take a step.
    fn before_step(&self) {}
    /// About to take a step that waits for as long as the lock numbered `lock` is held,
    /// then acquires it (a blocking acquire). An explorer may use it to know, before
    /// running the thread, that it would wait. By default, `before_step`.
    fn before_acquire(&self, _lock: u64) {
        self.before_step();
    }
    /// About to release the lock numbered `lock`. By default, `before_step`.
    fn before_release(&self, _lock: u64) {
        self.before_step();
    }
    /// Took `step`.
    fn step(&self, step: Step);
}

/// Any `Fn(Step)` closure observes steps (and does nothing before them).
impl<F: Fn(Step) + Send + Sync> Observe for F {
    fn step(&self, step: Step) {
        self(step)
    }
}

/// What the core holds to report its steps.
pub type Observer = Arc<dyn Observe>;

/// How the core reports through its optional observer (nothing happens without one).
pub(crate) trait Report {
    /// Calls the observer's `before_step`, if there is an observer.
    fn before_step(&self);
    /// Calls the observer's `before_acquire`, if there is an observer.
    fn before_acquire(&self, lock: u64);
    /// Calls the observer's `before_release`, if there is an observer.
    fn before_release(&self, lock: u64);
    /// Reports `step`, if there is an observer.
    fn report(&self, step: Step);
}

impl Report for Option<Observer> {
    fn before_step(&self) {
        if let Some(observer) = self {
            observer.before_step();
        }
    }

    fn before_acquire(&self, lock: u64) {
        if let Some(observer) = self {
            observer.before_acquire(lock);
        }
    }

    fn before_release(&self, lock: u64) {
        if let Some(observer) = self {
            observer.before_release(lock);
        }
    }

    fn report(&self, step: Step) {
        if let Some(observer) = self {
            observer.step(step);
        }
    }
}
