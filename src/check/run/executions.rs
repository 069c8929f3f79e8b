//! Every execution of a strategy, as it ended: for callers that drive their own strategy
//! (a replay, shrinking a witness).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::{MAX_STEPS, Outcome};
use crate::check::report::{Blocked, Ending};
use crate::check::rt::engine::{Finished, RawEnding};
use crate::check::rt::scheduler::{self, Control};
use crate::check::rt::spurious::Spurious;
use crate::check::rt::trace::Event;
use crate::check::strategy::Strategy;

/// One execution, as a caller that drives its own strategy sees it (a replay).
pub(crate) struct RawExecution<O> {
    /// How it ended; `None` when the strategy stopped it.
    pub(crate) ending: Option<Ending<O>>,
    pub(crate) trace: Vec<Event>,
    pub(crate) blocked: Vec<Blocked>,
}

/// Runs `body` under `strategy` (at most `max_executions` executions) and returns every
/// execution as it ended, with the strategy; `spurious` as [`Check::spurious_wakeups`] and
/// [`Check::spurious_failures`] say.
///
/// [`Check::spurious_wakeups`]: super::Check::spurious_wakeups
/// [`Check::spurious_failures`]: super::Check::spurious_failures
pub(crate) fn executions<O: Outcome, S: Strategy + 'static>(
    body: impl Fn() -> O + Send + Sync + 'static,
    strategy: S,
    max_executions: usize,
    spurious: Spurious,
) -> (Vec<RawExecution<O>>, S) {
    let runs = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&runs);
    let control = Rc::new(RefCell::new(Control::new(
        max_executions,
        None,
        move |finished: Finished| {
            let (ending, blocked) = match finished.ending {
                RawEnding::Abandoned => (None, Vec::new()),
                RawEnding::Returned(value) => match value.downcast::<O>() {
                    Ok(o) => (Some(Ending::Returned(*o)), Vec::new()),
                    Err(_) => unreachable!("the body returns O"),
                },
                RawEnding::Deadlock(blocked) => (Some(Ending::Deadlock), blocked),
                RawEnding::LeftBlocked(value, blocked) => match value.downcast::<O>() {
                    Ok(o) => (Some(Ending::LeftBlocked(*o)), blocked),
                    Err(_) => unreachable!("the body returns O"),
                },
                RawEnding::Panicked { message, .. } => {
                    (Some(Ending::Panicked(message)), Vec::new())
                }
                RawEnding::DataRace { message, .. } => {
                    (Some(Ending::DataRace(message)), Vec::new())
                }
                RawEnding::StepLimit(n) => (Some(Ending::StepLimit(n)), Vec::new()),
                RawEnding::WakeupLimit(n) => (Some(Ending::WakeupLimit(n)), Vec::new()),
            };
            sink.borrow_mut().push(RawExecution {
                ending,
                trace: finished.trace,
                blocked,
            });
            true
        },
    )));
    control.borrow_mut().spurious = spurious;
    let strategy = Rc::new(RefCell::new(strategy));
    scheduler::run(
        Rc::<RefCell<S>>::clone(&strategy),
        MAX_STEPS,
        control,
        Arc::new(move || Box::new(body()) as Box<dyn Any + Send>),
    );
    let strategy = Rc::try_unwrap(strategy)
        .ok()
        .expect("the run is over")
        .into_inner();
    let runs = std::mem::take(&mut *runs.borrow_mut());
    (runs, strategy)
}
