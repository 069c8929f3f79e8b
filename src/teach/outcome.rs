//! What one execution of a scenario ended with.

use std::fmt;

use crate::words::plural;

/// What one execution of a scenario ended with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The final `database_value`.
    Value(usize),
    /// A described end state (queue scenarios).
    Label(String),
    /// Every thread was blocked: the program could never finish.
    Deadlock,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Value(v) => write!(f, "{v}"),
            Outcome::Label(label) => f.write_str(label),
            Outcome::Deadlock => f.write_str("deadlock"),
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
pub fn join_outcome(handled_at_join: usize, items: usize) -> Outcome {
    if handled_at_join == items {
        Outcome::Label(all_handled(items))
    } else {
        Outcome::Label(format!(
            "join returned with {} of {items} not yet handled",
            plural(items - handled_at_join, "item")
        ))
    }
}
