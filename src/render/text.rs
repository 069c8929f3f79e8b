//! Text: the report of any check (rendered by the checker itself, see
//! [`crate::check::Report`]'s `Display`), with colour when the style asks for it.

use std::fmt::Debug;

use super::Style;
use crate::check::contracts::ContractReport;
use crate::check::linearizability::{LinearizabilityReport, Spec};
use crate::check::{Report, Verdict};

pub use crate::check::report::text::{columns, columns_noted, trace_table};

/// An outcome table: `header` names the four columns (outcome, count, share, verdict).
pub fn outcome_table(header: [&str; 4], rows: &[(String, usize, Verdict)], style: Style) -> String {
    crate::check::report::text::outcome_table(header, rows, style.color)
}

/// The whole report of a check: what was covered, the outcome table, a witness per
/// forbidden outcome, and the required outcomes.
pub fn report<O: Debug>(r: &Report<O>, style: Style) -> String {
    crate::check::report::text::report(r, style.color)
}

/// The report of a contract: a line for the verdict, then every check's report.
pub fn contract<O: Debug>(r: &ContractReport<O>, style: Style) -> String {
    crate::check::contracts::text(r, style.color)
}

/// The report of a linearizability check: the verdict, and for a failure the smallest
/// scenario as a table of operations per thread with their results, then the execution.
pub fn linearizability<S: Spec>(r: &LinearizabilityReport<S>, style: Style) -> String {
    let _ = style;
    r.to_string()
}
