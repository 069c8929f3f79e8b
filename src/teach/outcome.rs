//! What one execution of a scenario ended with.

use std::fmt;

use crate::words::plural;

/// What one execution of a scenario ended with.
///
/// Its `Debug` is what a learner reads (`End value: 2`, a label, `deadlock`): `racelab
/// check` shows outcomes through the checker's reports, which print them with `Debug`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndState {
    /// The final `database_value`.
    Value(usize),
    /// A described end state (queue scenarios).
    Label(String),
    /// Every thread was blocked: the program could never finish.
    Deadlock,
}

impl fmt::Debug for EndState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndState::Value(v) => write!(f, "End value: {v}"),
            other => write!(f, "{other}"),
        }
    }
}

impl fmt::Display for EndState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndState::Value(v) => write!(f, "{v}"),
            EndState::Label(label) => f.write_str(label),
            EndState::Deadlock => f.write_str("deadlock"),
        }
    }
}

pub(crate) fn all_handled(items: usize) -> String {
    match items {
        1 => "the item handled once, then join returned".to_string(),
        n => format!("all {n} items handled once, then join returned"),
    }
}

/// The queue scenarios' outcome: were all `items` handled when `join` returned?
pub fn join_outcome(handled_at_join: usize, items: usize) -> EndState {
    if handled_at_join == items {
        EndState::Label(all_handled(items))
    } else {
        EndState::Label(format!(
            "join returned with {} of {items} not yet handled",
            plural(items - handled_at_join, "item")
        ))
    }
}
