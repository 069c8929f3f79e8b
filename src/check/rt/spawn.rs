//! Starting the shuttle task of a modelled thread, and its life: its function, then its
//! `Finish` step.
//!
//! A panic in a spawned thread is std's: the thread finishes, and `join` returns the panic
//! as `Err`, so a program can handle a worker's failure (and a `Mutex` it held is
//! poisoned). The execution ends with the panic instead (a `Panicked` row) when the panic
//! is not handled: it is `main`'s, or no `join` returned it by the end (the first such
//! panic is reported), or the thread skipped an operation of the model while it unwound (an
//! atomic load or read-modify-write, a cell access: a thread cannot switch while it
//! unwinds, so the model would no longer match the program; the row says so). A panic that
//! follows a joined one reports the first: the root cause (`join().unwrap()` panics with
//! the worker's panic inside).
//!
//! A `MutexGuard`, an `RwLock` guard or a channel's end dropped while unwinding, or an
//! atomic store taken then, is not skipped: the release or store is deferred
//! ([`super::defer_unlock`], [`super::defer_action`], [`super::defer_op`]) and taken as the thread's
//! next steps once it stops unwinding, before its `Finish` or anything else it does. No
//! other thread runs while it unwinds (it does not switch); others may run before each
//! release is taken, as they could had the thread unwound more slowly. So every order the
//! model explores is one std allows, and the lock is poisoned, as in std.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::engine::{Engine, RawEnding, ThreadPanic};
use super::graph::Ev;
use super::objects::ObjMeta;
use super::op::{Obj, Op};
use super::panics::take_last_panic;
use super::thread::Deferred;
use crate::words::panic_message;

/// The stack size of a checked thread (`main` included) spawned without
/// `Builder::stack_size`, in bytes: std's default for spawned threads (2 MiB). Stacks are
/// reserved, not touched, so a large size costs address space, not memory.
pub const STACK_SIZE: usize = 2 << 20;

/// A thread's function with its result erased (the caller's closure leaves it where the
/// caller wants it). Spawning is generic only above this, so the machinery below (shuttle's
/// tasks, the engine's thread start) is compiled once, not once per closure a program
/// spawns: that was a third of the code of a test binary full of checks.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// Starts the shuttle task of thread number `child` (spawned by event `spawn`), named
/// `name` (or `ThreadN`), on a stack of `stack_size` bytes; returns shuttle's handle of it.
/// The thread sets `finished` (its flag for `JoinHandle::is_finished`) as it finishes.
pub(crate) fn start(
    child: usize,
    name: Option<Arc<str>>,
    stack_size: usize,
    spawn: Option<Ev>,
    finished: Option<Arc<ObjMeta>>,
    f: Job,
) -> shuttle::thread::JoinHandle<std::thread::Result<()>> {
    let name: Arc<str> = name.unwrap_or_else(|| Engine::default_name(child).into());
    let handle = super::internal(|| {
        shuttle::thread::Builder::new()
            .name(name.to_string())
            .stack_size(stack_size)
            .spawn(move || run_thread(finished, f))
            .expect("shuttle spawns never fail")
    });
    let task = usize::from(handle.thread().id());
    super::with_engine(|e| e.register_thread(child, task, name, spawn));
    handle
}

/// A thread's life under the engine (see the module docs).
fn run_thread(finished: Option<Arc<ObjMeta>>, f: Job) -> std::thread::Result<()> {
    let finish = || Op::Finish {
        flag: finished.as_deref().map(Obj::new),
    };
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => {
            super::op(finish());
            Ok(value)
        }
        Err(payload) => {
            if panicked(&*payload) {
                super::op(finish());
            } else {
                shuttle_engine::runtime::thread::switch();
            }
            Err(payload)
        }
    }
}

/// The running thread panicked: whether it finishes and the execution goes on (see the
/// module docs); if not, the execution ends with the panic.
fn panicked(payload: &(dyn Any + Send)) -> bool {
    let message = take_last_panic().unwrap_or_else(|| panic_message(payload));
    super::with_engine(|e| {
        let thread = e.running.unwrap_or(0);
        if thread != 0 && !e.thread(thread).skipped_unwinding {
            e.panics.push(ThreadPanic {
                thread,
                message,
                observed: false,
            });
            return true;
        }
        let root = e.panics.first().map(|p| (p.thread, p.message.clone()));
        let (thread, message) = match root {
            Some(root) => root,
            None if thread != 0 => (
                thread,
                format!(
                    "{message} (ending the execution: while it unwound, the thread used a \
                     racelab primitive, which cannot be modelled then)"
                ),
            ),
            None => (thread, message),
        };
        e.ending = Some(RawEnding::Panicked { thread, message });
        false
    })
    .unwrap_or(false)
}

impl Engine {
    /// The running thread skipped an operation of the model while it unwound a panic.
    pub(crate) fn skipped_while_unwinding(&mut self) {
        if let Some(t) = self.running {
            if let Some(Some(rt)) = self.threads.get_mut(t) {
                rt.skipped_unwinding = true;
            }
        }
    }

    /// The running thread dropped a guard of the mutex with `meta` while it unwound a panic:
    /// the release is its next step once it stops unwinding.
    pub(crate) fn defer_unlock(&mut self, meta: &ObjMeta) {
        self.defer(Deferred::Unlock(Box::new(meta.detached())));
    }

    /// The running thread dropped a guard of a primitive built on racelab's `Mutex` while
    /// it unwound a panic: `run` (the release, on the object at `owner`) is taken once it
    /// stops unwinding, unless the object is dropped first ([`Engine::cancel_deferred`]).
    pub(crate) fn defer_action(&mut self, owner: usize, run: Box<dyn FnOnce()>) {
        self.defer(Deferred::Action { owner, run });
    }

    fn defer(&mut self, deferred: Deferred) {
        if let Some(t) = self.running {
            if let Some(Some(rt)) = self.threads.get_mut(t) {
                rt.deferred.push(deferred);
            }
        }
    }

    /// The object at `owner` is being dropped: actions deferred on it are cancelled. (The
    /// unwinding thread's own frames, or another thread before a release is taken, may drop
    /// it: an action never runs on an object that is gone.)
    pub(crate) fn cancel_deferred(&mut self, owner: usize) {
        for rt in self.threads.iter_mut().flatten() {
            rt.deferred
                .retain(|d| !matches!(d, Deferred::Action { owner: o, .. } if *o == owner));
        }
    }

    /// The releases the running thread deferred while it unwound, if there are any.
    pub(crate) fn take_deferred(&mut self) -> Option<Vec<Deferred>> {
        let t = self.running?;
        let rt = self.threads.get_mut(t)?.as_mut()?;
        (!rt.deferred.is_empty()).then(|| std::mem::take(&mut rt.deferred))
    }

    /// A `join` of thread `thread` returned its panic.
    pub(crate) fn panic_observed(&mut self, thread: usize) {
        for p in self.panics.iter_mut().filter(|p| p.thread == thread) {
            p.observed = true;
        }
    }

    /// The ending of an execution in which a spawned thread's panic was never joined: the
    /// first such panic.
    pub(crate) fn unhandled_panic(&self) -> Option<RawEnding> {
        self.panics
            .iter()
            .find(|p| !p.observed)
            .map(|p| RawEnding::Panicked {
                thread: p.thread,
                message: p.message.clone(),
            })
    }
}
