//! Threads inside a check, shaped like `std::thread`: [`spawn`], [`Builder`],
//! [`JoinHandle`], [`yield_now`], [`sleep`].
//!
//! Threads are numbered as they are spawned: the body runs as `main` (thread 0), the first
//! thread it spawns is `Thread1`, and so on; [`Builder::name`] gives a thread another name
//! for the reports. Spawning, joining, yielding and a thread's end are switch points.
//! `sleep` does not sleep: time does not pass under a checker, so it is a yield.
//!
//! A spawned thread that panics finishes, as in std, and [`JoinHandle::join`] returns the
//! panic as `Err`: a program may handle a worker's failure and pass. The execution ends
//! with a `panicked: <message>` row when the panic is not handled: `main` panics (a panic
//! after a joined one reports the first: `join().unwrap()` names the worker's), no `join`
//! returned it by the end, or the thread panicked while it held a channel's receiver or
//! waited at a barrier (std would tell the other threads; racelab cannot take those steps
//! while the thread unwinds, so it stops there instead of going on wrongly). A `Mutex` or
//! `RwLock` guard or a channel's sender dropped on the way is released (and a lock
//! poisoned) as in std.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use super::rt;
use super::rt::op::Op;
use super::rt::spawn::{self, Job};

mod handle;
mod scope;

pub use handle::{Thread, ThreadId, current, park, park_timeout};
pub use scope::{Scope, ScopedJoinHandle, scope};
pub use std::thread::panicking;

pub use super::rt::spawn::STACK_SIZE;

/// Spawns a thread running `f` (like `std::thread::spawn`).
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new()
        .spawn(f)
        .expect("spawning a thread under a checker cannot fail")
}

/// Configures a thread before spawning it (like `std::thread::Builder`).
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
}

impl Builder {
    /// A builder with no name set (the thread gets `ThreadN`).
    pub fn new() -> Self {
        Builder::default()
    }

    /// Names the thread in reports and traces.
    pub fn name(mut self, name: String) -> Self {
        self.name = Some(name);
        self
    }

    /// The thread's stack size in bytes, as with `std`. Without it a checked thread gets
    /// [`STACK_SIZE`] (std's default for spawned threads), so a recursion that works on a
    /// std thread works in a check.
    pub fn stack_size(mut self, size: usize) -> Self {
        self.stack_size = Some(size);
        self
    }

    /// Spawns the thread. Never fails under a checker; the `Result` mirrors `std`.
    #[track_caller]
    pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        rt::require_execution("thread::spawn");
        Ok(spawn_named(self.name, self.stack_size, f))
    }
}

/// Where a thread leaves what its function returned, for `join`.
type Slot<T> = Arc<std::sync::Mutex<Option<T>>>;

fn spawn_named<F, T>(name: Option<String>, stack_size: Option<usize>, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // The function's result goes through a slot, so that what is below is not generic (see
    // `Job`).
    let result: Slot<T> = Arc::new(std::sync::Mutex::new(None));
    let slot = Arc::clone(&result);
    let job: Job = Box::new(move || {
        let value = f();
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
    });
    let (inner, thread) = spawn_job(name, stack_size, job);
    JoinHandle {
        inner,
        thread,
        result,
    }
}

/// Spawns `job` as a checked thread: under racelab's engine, or a plain shuttle scheduler.
fn spawn_job(name: Option<String>, stack_size: Option<usize>, job: Job) -> (Inner, Thread) {
    if !rt::has_engine() {
        let mut builder = shuttle::thread::Builder::new();
        if let Some(name) = &name {
            builder = builder.name(name.clone());
        }
        if let Some(size) = stack_size {
            builder = builder.stack_size(size);
        }
        // One `Thread` for the handle and the thread itself (its token, its finished flag),
        // numbered once shuttle has numbered the thread.
        let thread = Thread::new(0, name.clone());
        let own = thread.clone();
        let handle = builder
            .spawn(move || {
                /// Sets the flag as the function returns, or as its panic unwinds.
                struct Finished(Thread);
                impl Drop for Finished {
                    fn drop(&mut self) {
                        self.0.set_finished_plain();
                    }
                }
                own.set_number(usize::from(shuttle::thread::current().id()));
                handle::set_current(own.clone());
                let _finished = Finished(own);
                job()
            })
            .expect("shuttle spawns never fail");
        thread.set_number(usize::from(handle.thread().id()));
        return (Inner::Plain(handle), thread);
    }
    let name: Option<Arc<str>> = name.map(Into::into);
    let done = rt::op(Op::Spawn { name: name.clone() });
    let child = done.map_or(0, |d| d.child);
    let stack_size = stack_size.unwrap_or(STACK_SIZE);
    let thread = Thread::new(child, name.as_deref().map(str::to_string));
    let own = thread.clone();
    let body = Box::new(move || {
        handle::set_current(own);
        job()
    });
    let flag = Some(thread.finished_flag());
    let handle = spawn::start(
        child,
        name,
        stack_size,
        done.and_then(|d| d.event),
        flag,
        body,
    );
    let inner = Inner::Engine {
        handle,
        thread: child,
    };
    (inner, thread)
}

/// Waits for a thread to finish (like `std::thread::JoinHandle`).
pub struct JoinHandle<T> {
    inner: Inner,
    thread: Thread,
    result: Slot<T>,
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("thread", &self.thread)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
enum Inner {
    /// Under a plain shuttle scheduler.
    Plain(shuttle::thread::JoinHandle<()>),
    /// Under racelab's engine, as thread number `thread`.
    Engine {
        handle: shuttle::thread::JoinHandle<std::thread::Result<()>>,
        thread: usize,
    },
}

impl<T> JoinHandle<T> {
    /// The thread's handle (like `std::thread::JoinHandle::thread`).
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has finished (like `std::thread::JoinHandle::is_finished`): its
    /// function returned or panicked. A switch point: a check explores it both before and
    /// after the thread's finish. Like std, it promises no synchronisation (the check reads
    /// the thread's finished flag with `Relaxed`): what the thread wrote is seen for sure
    /// only after `join`.
    ///
    /// ```
    /// use racelab::check::{check, thread};
    ///
    /// let report = check(|| {
    ///     let worker = thread::spawn(|| {});
    ///     let early = worker.is_finished();
    ///     worker.join().unwrap();
    ///     early
    /// })
    /// .run();
    /// // Both orders of the check and the worker's end are explored.
    /// assert_eq!(report.rows.len(), 2);
    /// ```
    #[track_caller]
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Waits for the thread to finish and returns what it returned, or its panic.
    #[track_caller]
    pub fn join(self) -> Result<T, Box<dyn Any + Send + 'static>> {
        let finished = match self.inner {
            Inner::Plain(handle) => handle.join(),
            Inner::Engine { handle, thread } => {
                rt::op(Op::Join { thread });
                let result = match rt::internal(|| handle.join()) {
                    Ok(result) => result,
                    Err(payload) => Err(payload),
                };
                if result.is_err() {
                    // The program sees the thread's panic: it may handle it.
                    rt::with_engine(|e| e.panic_observed(thread));
                }
                result
            }
        };
        finished.map(|()| {
            self.result
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .expect("a thread whose function returned left its value")
        })
    }
}

/// Yields in a spin loop: "I wait for another thread".
///
/// Under a check, the thread then waits until another thread changes something it touched
/// since its previous yield (a flag it loads, a value it tries to `compare_exchange`, a mutex
/// it locks): running the loop again before that would only read the same values again. So a
/// spin loop takes one turn per change that matters, instead of spinning forever. If nothing
/// else can run, it goes on once anyway (code that yields and then goes on); if it then yields
/// again with nothing changed, it spins forever, and the check reports that (as a deadlock
/// whose waiting thread spins). Use `yield_now` to wait; a thread that yields and then goes on
/// to race with the others, instead of looping back to check, has orders a check skips.
#[track_caller]
pub fn yield_now() {
    rt::require_execution("thread::yield_now");
    if rt::has_engine() {
        rt::op(Op::Yield);
    } else {
        shuttle::thread::yield_now();
    }
}

/// A switch point: time does not pass under a checker, so nothing else happens (a loop that
/// polls with `sleep` spins until the step limit; wait with [`yield_now`] or a condition
/// variable instead).
#[track_caller]
pub fn sleep(_duration: Duration) {
    rt::require_execution("thread::sleep");
    if rt::has_engine() {
        rt::op(Op::Sleep);
    } else {
        shuttle::thread::sleep(Duration::ZERO);
    }
}

/// `std::hint::spin_loop` for spin loops under a checker: a [`yield_now`].
#[track_caller]
pub fn spin_loop() {
    yield_now();
}
