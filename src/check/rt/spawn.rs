//! Starting the shuttle task of a modelled thread, and its life: its function, then its
//! `Finish` step; a panic ends the execution with that outcome.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::engine::{Engine, RawEnding};
use super::graph::Ev;
use super::op::Op;
use super::panics::take_last_panic;
use crate::words::panic_message;

/// The stack size of a checked thread (`main` included) spawned without
/// `Builder::stack_size`, in bytes: std's default for spawned threads (2 MiB). Stacks are
/// reserved, not touched, so a large size costs address space, not memory.
pub const STACK_SIZE: usize = 2 << 20;

/// Starts the shuttle task of thread number `child` (spawned by event `spawn`), named
/// `name` (or `ThreadN`), on a stack of `stack_size` bytes; returns shuttle's handle of it.
pub(crate) fn start<F, T>(
    child: usize,
    name: Option<Arc<str>>,
    stack_size: usize,
    spawn: Option<Ev>,
    f: F,
) -> shuttle::thread::JoinHandle<std::thread::Result<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let name: Arc<str> = name.unwrap_or_else(|| Engine::default_name(child).into());
    let handle = super::internal(|| {
        shuttle::thread::Builder::new()
            .name(name.to_string())
            .stack_size(stack_size)
            .spawn(move || run_thread(f))
            .expect("shuttle spawns never fail")
    });
    let task = usize::from(handle.thread().id());
    super::with_engine(|e| e.register_thread(child, task, name, spawn));
    handle
}

/// A thread's life under the engine (see the module docs).
fn run_thread<F, T>(f: F) -> std::thread::Result<T>
where
    F: FnOnce() -> T,
{
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => {
            super::op(Op::Finish);
            Ok(value)
        }
        Err(payload) => {
            panicked(&*payload);
            Err(payload)
        }
    }
}

/// The running thread panicked: the execution ends with that outcome.
fn panicked(payload: &(dyn Any + Send)) {
    let message = take_last_panic().unwrap_or_else(|| panic_message(payload));
    super::with_engine(|e| {
        let thread = e.running.unwrap_or(0);
        e.ending = Some(RawEnding::Panicked { thread, message });
    });
    shuttle_engine::runtime::thread::switch();
}
