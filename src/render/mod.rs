//! Rendering for people (text tables, HTML pages) and programs (JSON).
//!
//! * [`text`]: the report of any check: coverage, outcome table, witnesses, requirements;
//! * [`teach`]: the teaching views: explorations and replays of the scenarios;
//! * [`stress`]: real-thread runs; [`challenge`]: challenges; [`measure`]: measurements;
//! * [`json`]: the same as JSON; [`merge`]: the JSON reports of a search's shards added up;
//! * [`html`]: self-contained pages with pictures and a be-the-scheduler;
//! * [`tour`]: what `racelab` runs with no arguments.
//!
//! Outcome tables follow jcstress (outcome, how often, share, verdict); traces follow
//! Lincheck (one column per thread, one row per step, then what went wrong).

pub mod challenge;
#[cfg(not(loom))]
pub mod engines;
pub mod html;
pub mod json;
#[cfg(not(loom))]
pub mod measure;
pub mod merge;
mod report_json;
pub mod stress;
pub mod teach;
pub mod text;
pub mod tour;

use std::io::IsTerminal;

use crate::check::Verdict;

/// How to print a view: whether to colour it (only on a terminal, and never when `NO_COLOR`
/// is set) and whether traces show the tutorial's Python line beside each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Show each step's line of the tutorial's Python program (see `teach::python`).
    pub python: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
            python: false,
        }
    }

    /// No colour.
    pub fn plain() -> Self {
        Style {
            color: false,
            python: false,
        }
    }

    /// This style, with the Python column on or off.
    pub fn with_python(self, python: bool) -> Self {
        Style { python, ..self }
    }

    /// A verdict, coloured when asked.
    pub fn verdict(&self, verdict: Verdict) -> String {
        crate::check::report::text::verdict(verdict, self.color)
    }
}

pub use crate::words::plural;
