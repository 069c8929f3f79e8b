//! A check with its outcome type erased (see `report::erased`): [`run`] turns a
//! `Check<O>` into a `Check<Erased>`, runs that — the one instance of a check's machinery —
//! and gives the report its type back.

use std::sync::Arc;

use super::{Check, Explainer, Outcome, Predicate, Required};
use crate::check::report::Report;
use crate::check::report::erased::{Erased, typed, typed_ending};

/// Runs `check` as a `Check<Erased>` and gives the report its outcome type back.
pub(crate) fn run<O: Outcome>(check: Check<O>) -> Report<O> {
    typed(run_erased(erase(check)))
}

/// The one instance of the machinery.
fn run_erased(check: Check<Erased>) -> Report<Erased> {
    check.run_typed()
}

fn erase<O: Outcome>(check: Check<O>) -> Check<Erased> {
    let Check {
        body,
        name,
        acceptable,
        forbidden,
        explain,
        allow_deadlock,
        allow_left_blocked,
        required,
        stop_at_first_bug,
        search,
        max_executions,
        time_limit,
        max_steps,
        stall_limit,
        spurious,
        seed,
        sample,
        count_traces,
        list_schedules,
        memory_model,
        jobs,
        shard,
        checkpoint,
        progress,
    } = check;
    let predicate = |p: Predicate<O>| -> Predicate<Erased> { Arc::new(move |o| p(o.get::<O>())) };
    let required = required
        .into_iter()
        .map(|(text, reached)| -> Required<Erased> {
            (text, Arc::new(move |e| reached(&typed_ending(e.clone()))))
        })
        .collect();
    Check {
        body: Arc::new(move || Erased::new(body())),
        name,
        acceptable: acceptable.map(predicate),
        forbidden: forbidden.map(predicate),
        explain: explain
            .map(|explain| Arc::new(move |o: &Erased| explain(o.get::<O>())) as Explainer<Erased>),
        allow_deadlock,
        allow_left_blocked,
        required,
        stop_at_first_bug,
        search,
        max_executions,
        time_limit,
        max_steps,
        stall_limit,
        spurious,
        seed,
        sample,
        count_traces,
        list_schedules,
        memory_model,
        jobs,
        shard,
        checkpoint,
        progress,
    }
}
