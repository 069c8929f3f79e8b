//! Contracts: a trait you implement for your own counter, lock, queue or pool, and one
//! function that checks it against what such a thing must do, over every schedule that can
//! make a difference.
//!
//! * [`counter`]: N threads × K increments end at N·K;
//! * [`lock`]: mutual exclusion, no deadlock or lost wake-up, release of an unlocked lock
//!   is an error;
//! * [`queue`]: `queue.Queue`'s contract: every item got exactly once, in order, `join`
//!   only after the last `task_done`, no lost wake-up, blocked getters woken by `shutdown`;
//! * [`pool`]: every task handled exactly once before `join` returns, and a clean stop.
//!
//! A contract is a few small programs, each checked like any [`crate::check::check`]: the
//! [`ContractReport`] holds one [`Report`] per program, each with its coverage.

pub mod counter;
pub mod lock;
pub mod pool;
pub mod queue;

use std::fmt::Write as _;
use std::fmt::{self, Debug};

use super::{Check, Outcome, Report};

/// The checks of one contract (see the module docs).
pub struct Contract<O: Outcome> {
    name: String,
    checks: Vec<Check<O>>,
}

impl<O: Outcome> Contract<O> {
    /// A contract made of `checks` (the contracts here are built this way; so can yours).
    pub fn new(name: impl Into<String>, checks: Vec<Check<O>>) -> Self {
        Contract {
            name: name.into(),
            checks,
        }
    }

    /// The checks, in order.
    pub fn checks(&self) -> &[Check<O>] {
        &self.checks
    }

    /// The checks, to run one by one.
    pub fn into_parts(self) -> Vec<Check<O>> {
        self.checks
    }

    /// Applies `f` to every check (to set a budget, a seed, a time limit, ...).
    pub fn each(mut self, f: impl Fn(Check<O>) -> Check<O>) -> Self {
        self.checks = self.checks.into_iter().map(f).collect();
        self
    }

    /// Runs every check.
    pub fn run(self) -> ContractReport<O> {
        ContractReport {
            name: self.name,
            parts: self.checks.into_iter().map(Check::run).collect(),
        }
    }

    /// Runs the checks, each stopping at its first forbidden outcome, and panics with the
    /// rendered report unless every one passes. For `cargo test`.
    #[track_caller]
    pub fn assert_passes(self) -> ContractReport<O> {
        let report = self.each(|c| c.stop_at_first_bug(true)).run();
        report.assert_passed();
        report
    }

    /// Runs the checks, each stopping at its first forbidden outcome, and panics with the
    /// rendered report unless one of them finds a bug. For tests that show a bug is found.
    #[track_caller]
    pub fn assert_finds_bug(self) -> ContractReport<O> {
        let report = self.each(|c| c.stop_at_first_bug(true)).run();
        if report.passed() {
            panic!(
                "expected the contract to be broken, it held\n{}",
                text(&report, false)
            );
        }
        report
    }
}

/// What a contract's checks found: one report per check.
#[derive(Debug, Clone)]
pub struct ContractReport<O> {
    /// The contract.
    pub name: String,
    /// One report per check, in order.
    pub parts: Vec<Report<O>>,
}

impl<O> ContractReport<O> {
    /// Every check passed.
    pub fn passed(&self) -> bool {
        self.parts.iter().all(Report::passed)
    }

    /// The first check that found a forbidden outcome.
    pub fn first_bug(&self) -> Option<&Report<O>> {
        self.parts.iter().find(|r| r.has_bug())
    }
}

impl<O: Debug> ContractReport<O> {
    /// Panics with the rendered report unless every check passed.
    #[track_caller]
    pub fn assert_passed(&self) {
        if !self.passed() {
            panic!("\n{}", text(self, false));
        }
    }
}

/// A line for the verdict, then every check's report.
impl<O: Debug> fmt::Display for ContractReport<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text(self, false))
    }
}

/// The report of a contract: a line for the verdict, then every check's report (coloured
/// when `color`).
pub(crate) fn text<O: Debug>(r: &ContractReport<O>, color: bool) -> String {
    let broken = r.parts.iter().filter(|p| !p.passed()).count();
    let mut out = match broken {
        0 => format!("{}: holds in every check\n", r.name),
        n => format!("{}: BROKEN in {n} of {} checks\n", r.name, r.parts.len()),
    };
    for (i, part) in r.parts.iter().enumerate() {
        let _ = write!(out, "\n[{}/{}] ", i + 1, r.parts.len());
        out.push_str(&crate::check::report::text::report(part, color));
    }
    out
}
