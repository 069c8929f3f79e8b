//! `std::thread`'s handles under a check: [`Thread`], [`ThreadId`], [`current`], and parking
//! ([`park`], [`park_timeout`], [`Thread::unpark`]).
//!
//! A thread's park token is a modelled `AtomicBool`, and `park` waits for it on a modelled
//! `Condvar` under a modelled `Mutex`, so parking and unparking are operations of the model
//! and their orders are explored: an `unpark` before the `park` leaves the token and the
//! `park` returns at once, as std promises.
//! `park_timeout` waits with `Condvar::wait_timeout`, so the check explores its timeout
//! at every moment it waits, before and after an `unpark`, and cuts a loop around it as a
//! polling loop (see the coverage's assumptions). `park` returns spuriously (without a
//! token), as std allows, only in a check with
//! [`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups); otherwise it
//! returns only with the token.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::check::rt::graph::LocKind;
use crate::check::rt::objects::ObjMeta;
use crate::check::rt::op::Obj;
use crate::check::rt::{self, op::Op};
use crate::check::sync::atomic::{AtomicBool, Ordering::SeqCst};
use crate::check::sync::{Condvar, Mutex};

/// A checked thread's identifier (like `std::thread::ThreadId`): its number in the check,
/// `main` being 0, the same in every execution.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(u64);

impl fmt::Debug for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ThreadId({})", self.0)
    }
}

/// A handle to a checked thread (like `std::thread::Thread`).
#[derive(Clone)]
pub struct Thread {
    inner: Arc<Inner>,
}

struct Inner {
    /// Its number (set once more under a plain shuttle scheduler, where the handle is made
    /// before shuttle numbers the thread).
    id: std::sync::atomic::AtomicU64,
    name: Option<String>,
    token: AtomicBool,
    lock: Mutex<()>,
    unparked: Condvar,
    /// Set by the thread as it finishes (its last operation, part of `Finish`), read by
    /// `is_finished`.
    finished: Arc<ObjMeta>,
    /// The same under a plain shuttle scheduler (set when the function returns or panics).
    finished_plain: std::sync::atomic::AtomicBool,
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
            .field("id", &self.id())
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl Thread {
    pub(crate) fn new(number: usize, name: Option<String>) -> Thread {
        Thread {
            inner: Arc::new(Inner {
                id: std::sync::atomic::AtomicU64::new(number as u64),
                name,
                token: AtomicBool::new(false).named("park token"),
                lock: Mutex::new(()).named("park lock"),
                unparked: Condvar::new().named("park"),
                finished: Arc::new({
                    let mut meta = ObjMeta::new(LocKind::Atomic);
                    meta.set_name("finished");
                    meta
                }),
                finished_plain: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    /// The flag the thread sets as it finishes (see [`Op::IsFinished`]).
    pub(crate) fn finished_flag(&self) -> Arc<ObjMeta> {
        Arc::clone(&self.inner.finished)
    }

    /// Under a plain shuttle scheduler: the thread's function returned or panicked.
    pub(crate) fn set_finished_plain(&self) {
        self.inner
            .finished_plain
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the thread has finished (`JoinHandle::is_finished`): under the engine a
    /// `Relaxed` load of its finished flag, a switch point whose order against the thread's
    /// finish is explored both ways.
    #[track_caller]
    pub(crate) fn is_finished(&self) -> bool {
        if rt::has_engine() {
            let op = Op::IsFinished {
                flag: Obj::new(&self.inner.finished),
                thread: self.id().0 as usize,
            };
            return rt::op(op).is_some_and(|d| d.value == 1);
        }
        self.inner
            .finished_plain
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The thread's identifier.
    pub fn id(&self) -> ThreadId {
        ThreadId(self.inner.id.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Under a plain shuttle scheduler: the number shuttle gave the thread.
    pub(crate) fn set_number(&self, number: usize) {
        self.inner
            .id
            .store(number as u64, std::sync::atomic::Ordering::Relaxed);
    }

    /// The thread's name: `main` for the body, the `Builder`'s name, or `None`.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// Makes the thread's token available: its next (or current) [`park`] returns.
    #[track_caller]
    pub fn unpark(&self) {
        let _lock = self.inner.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.inner.token.store(true, SeqCst);
        self.inner.unparked.notify_one();
    }
}

shuttle::thread_local! {
    static CURRENT: std::cell::RefCell<Option<Thread>> = const { std::cell::RefCell::new(None) };
}

/// Records `thread` as the running checked thread's handle (called as it starts).
pub(crate) fn set_current(thread: Thread) {
    CURRENT.with(|c| *c.borrow_mut() = Some(thread));
}

/// The running checked thread's handle (like `std::thread::current`).
#[track_caller]
pub fn current() -> Thread {
    rt::require_execution("thread::current");
    CURRENT.with(|c| {
        c.borrow_mut()
            .get_or_insert_with(|| Thread::new(0, Some("main".to_string())))
            .clone()
    })
}

/// Blocks until the running thread's token is available, and takes it (like
/// `std::thread::park`). It may also return spuriously, without the token, when the check
/// explores spurious wake-ups
/// ([`Check::spurious_wakeups`](crate::check::Check::spurious_wakeups)).
#[track_caller]
pub fn park() {
    let me = current();
    let inner = &me.inner;
    let mut lock = inner.lock.lock().unwrap_or_else(|e| e.into_inner());
    while !inner.token.load(SeqCst) {
        lock = inner.unparked.wait(lock).unwrap_or_else(|e| e.into_inner());
        if rt::spurious_wakeups() {
            break;
        }
    }
    inner.token.store(false, SeqCst);
    drop(lock);
}

/// Takes the running thread's token if it is available, or waits for it until a timeout
/// (like `std::thread::park_timeout`). A check has no clock: the timeout may fire at any
/// moment while the thread waits, and the check explores it before and after an `unpark`
/// (the duration is not used).
#[track_caller]
pub fn park_timeout(timeout: Duration) {
    let me = current();
    let inner = &me.inner;
    let mut lock = inner.lock.lock().unwrap_or_else(|e| e.into_inner());
    if !inner.token.load(SeqCst) {
        lock = match inner.unparked.wait_timeout(lock, timeout) {
            Ok((lock, _)) => lock,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    inner.token.store(false, SeqCst);
    drop(lock);
}
