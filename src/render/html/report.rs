//! The page of any check of user code: coverage, outcome chart, each witness as a swimlane
//! (with who waited for what in a deadlock), requirements and notes, and the report's JSON
//! embedded for programs. Everything here may carry user text (`Debug` of outcomes, panic
//! messages, step names), so everything is escaped.

use std::fmt::Write as _;

use super::svg::{self, Bar, Cell, Lanes};
use super::{Page, esc, page};
use crate::check::report::deadlock;
use crate::check::{Report, What};
use crate::render::json;

/// The page of a check's report (the HTML counterpart of [`json::report`] and the text
/// report).
///
/// ```
/// # if racelab::UNDER_LOOM { return; }
/// use racelab::check::{check, sync::atomic::{AtomicUsize, Ordering}, sync::Arc, thread};
/// let report = check(|| {
///     let n = Arc::new(AtomicUsize::new(0));
///     let m = n.clone();
///     let t = thread::spawn(move || { let v = m.load(Ordering::SeqCst); m.store(v + 1, Ordering::SeqCst); });
///     let v = n.load(Ordering::SeqCst);
///     n.store(v + 1, Ordering::SeqCst);
///     t.join().unwrap();
///     n.load(Ordering::SeqCst)
/// })
/// .expect(|&n| n == 2)
/// .run();
/// let page = racelab::render::html::report_page(&report);
/// assert!(page.html.contains("forbidden"));
/// ```
pub fn report_page<O: std::fmt::Debug + std::hash::Hash>(r: &Report<O>) -> Page {
    let mut body = format!(
        "<header><h1>racelab · {}</h1><p class=\"verdict-line {}\">{}</p><p class=\"coverage\"><strong>Coverage:</strong> {}</p><p class=\"coverage\"><strong>Assuming:</strong> {}</p></header>",
        esc(&r.name),
        if r.passed() { "ok" } else { "bad" },
        if r.passed() {
            "✓ passed: no forbidden outcome in what was covered"
        } else {
            "✗ failed"
        },
        esc(&r.coverage.to_string()),
        esc(&r.coverage.assumptions().join("; "))
    );
    let bars: Vec<Bar> = r
        .rows
        .iter()
        .map(|row| Bar {
            outcome: row.ending.to_string(),
            label: row.ending.to_string(),
            count: row.executions,
            verdict: row.verdict,
        })
        .collect();
    let _ = write!(
        body,
        "<section id=\"outcomes\"><h2>Outcomes</h2><div class=\"scroll\">{}</div></section>",
        svg::chart("chart", &bars, "executions")
    );
    body.push_str("<section id=\"witnesses\"><h2>Witnesses</h2>");
    if r.witnesses.is_empty() {
        body.push_str("<p>None: no execution covered ended in a forbidden outcome.</p>");
    }
    for (i, w) in r.witnesses.iter().enumerate() {
        let steps: Vec<_> = r.witnesses[i]
            .trace
            .iter()
            .filter(|e| !matches!(e.what, What::Op { op: "start", .. }))
            .collect();
        let mut threads: Vec<usize> = steps.iter().map(|e| e.thread).collect();
        threads.extend(w.blocked.iter().map(|b| b.thread));
        threads.sort_unstable();
        threads.dedup();
        let lane = |t: usize| threads.iter().position(|&x| x == t).unwrap_or(0);
        let name = |t: usize| w.thread_name(t).to_string();
        let mut waits = vec![Vec::new(); steps.len()];
        waits.push(
            w.blocked
                .iter()
                .map(|b| (lane(b.thread), deadlock::describe(b, &name)))
                .collect(),
        );
        let lanes = Lanes {
            names: threads.iter().map(|&t| name(t)).collect(),
            cells: steps
                .iter()
                .map(|e| Cell {
                    lane: lane(e.thread),
                    text: e.what.to_string(),
                    detail: format!("{}: {}", name(e.thread), e.what),
                })
                .collect(),
            waits,
        };
        let _ = write!(
            body,
            "<figure><h3>Witness for <span class=\"bad\">{} ✗ forbidden</span> ({} switches)</h3><div class=\"scroll\">{}</div><figcaption>{}</figcaption></figure>",
            esc(&w.ending.to_string()),
            w.switches(),
            svg::swimlane(
                &format!("witness-{i}"),
                &lanes,
                &format!("Witness for {}", w.ending)
            ),
            esc(&w.explanation)
        );
    }
    body.push_str("</section>");
    if !r.requirements.is_empty() {
        body.push_str("<section id=\"requirements\"><h2>Required outcomes</h2><ul>");
        for q in &r.requirements {
            let _ = write!(
                body,
                "<li class=\"{}\">{} {}</li>",
                if q.reached { "ok" } else { "bad" },
                if q.reached {
                    "✓ reached:"
                } else {
                    "✗ never reached:"
                },
                esc(&q.description)
            );
        }
        body.push_str("</ul></section>");
    }
    if !r.notes.is_empty() {
        body.push_str("<section id=\"notes\"><h2>Notes</h2><ul>");
        for note in &r.notes {
            let _ = write!(body, "<li>{}</li>", esc(note));
        }
        body.push_str("</ul></section>");
    }
    page(
        &format!("racelab · {}", r.name),
        &body,
        Some(&json::report(r)),
        false,
    )
}
