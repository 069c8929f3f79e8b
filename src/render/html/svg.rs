//! The pictures, as inline SVG: an outcome chart and a swimlane of steps.
//!
//! Both are drawn in Rust so that a page read without JavaScript still shows them; the
//! be-the-scheduler's growing swimlane (`page.js`) draws with the same classes and sizes.
//! Colour is never the only carrier of a verdict: forbidden bars are hatched and every bar
//! says its verdict in words; each picture has a `<title>` and a `<desc>` in words.

use std::fmt::Write as _;

use super::esc;
use crate::check::Verdict;

/// One bar of an outcome chart.
pub(crate) struct Bar {
    /// The outcome as the JSON and text views write it (`data-outcome`).
    pub outcome: String,
    /// The outcome in words, as the bar's label.
    pub label: String,
    /// How many interleavings (or executions) ended with it.
    pub count: usize,
    /// Its verdict.
    pub verdict: Verdict,
}

const CHART_W: usize = 640;
const BAR_MAX: usize = 400;
const ROW_H: usize = 46;

/// "66.7%" of `total`.
pub(crate) fn share(count: usize, total: usize) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    format!("{:.1}%", count as f64 * 100.0 / total as f64)
}

/// "✓ acceptable" or "✗ forbidden".
pub(crate) fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Acceptable => "✓ acceptable",
        Verdict::Forbidden => "✗ forbidden",
    }
}

pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Acceptable => "ok",
        Verdict::Forbidden => "bad",
    }
}

/// A bar chart of outcomes: a label line, then a bar with its count and share. Each bar's
/// group carries `data-outcome` and `data-count` for programs (and the browser tests).
pub(crate) fn chart(id: &str, bars: &[Bar], unit: &str) -> String {
    let total: usize = bars.iter().map(|b| b.count).sum();
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let height = ROW_H * bars.len() + 8;
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {} {unit}, {}, {}",
                b.label,
                b.count,
                share(b.count, total),
                verdict_words(b.verdict)
            )
        })
        .collect();
    let mut svg = format!(
        r#"<svg class="chart" id="{id}" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">Outcomes, {total} {unit} in all</title><desc id="{id}-d">{}</desc>"#,
        esc(&desc.join("; "))
    );
    let _ = write!(
        svg,
        r#"<defs><pattern id="{id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" class="hatch-bg"/><rect width="3" height="8" class="hatch-fg"/></pattern></defs>"#
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW_H;
        let w = (b.count * BAR_MAX).div_ceil(max).max(2);
        let class = verdict_class(b.verdict);
        let fill = match b.verdict {
            Verdict::Acceptable => String::new(),
            Verdict::Forbidden => format!(r#" fill="url(#{id}-hatch)""#),
        };
        let _ = write!(
            svg,
            r#"<g class="bar {class}" data-outcome="{}" data-count="{}" data-verdict="{}"><text x="0" y="{}" class="label">{} <tspan class="verdict">{}</tspan></text><rect x="0" y="{}" width="{w}" height="16" rx="3"{fill}/><text x="{}" y="{}" class="count">{} · {}</text></g>"#,
            esc(&b.outcome),
            b.count,
            b.verdict,
            y + 14,
            esc(&b.label),
            verdict_words(b.verdict),
            y + 20,
            w + 8,
            y + 33,
            b.count,
            share(b.count, total),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One step in a swimlane.
pub(crate) struct Cell {
    /// The lane (index into [`Lanes::names`]).
    pub lane: usize,
    /// The step's text ("read 0").
    pub text: String,
    /// More about it, shown on hover (the Python line).
    pub detail: String,
}

/// A run as lanes: one lane per thread, one column per step.
pub(crate) struct Lanes {
    /// The lanes' names.
    pub names: Vec<String>,
    /// The steps, in order.
    pub cells: Vec<Cell>,
    /// Before each step (and after the last), the lanes that wait, each with what for.
    pub waits: Vec<Vec<(usize, String)>>,
}

const LABEL_W: usize = 96;
const LANE_H: usize = 46;
const TOP: usize = 22;

/// A swimlane: boxes for steps, arrows where the running thread switches, dashed boxes for
/// threads that wait (with what they wait for, on hover and in the description).
pub(crate) fn swimlane(id: &str, lanes: &Lanes, title: &str) -> String {
    let longest = lanes
        .cells
        .iter()
        .map(|c| c.text.chars().count())
        .max()
        .unwrap_or(4)
        .max(7);
    let col_w = longest * 8 + 22;
    let end_waits = lanes
        .waits
        .get(lanes.cells.len())
        .is_some_and(|w| !w.is_empty());
    let columns = lanes.cells.len() + usize::from(end_waits);
    let width = LABEL_W + col_w * columns.max(1) + 8;
    let height = TOP + LANE_H * lanes.names.len() + 4;
    let mut desc: Vec<String> = Vec::new();
    for (i, c) in lanes.cells.iter().enumerate() {
        for (lane, why) in lanes.waits.get(i).into_iter().flatten() {
            desc.push(format!("{} waits ({why})", lanes.names[*lane]));
        }
        desc.push(format!(
            "step {}: {} {}",
            i + 1,
            lanes.names[c.lane],
            c.text
        ));
    }
    if end_waits {
        for (lane, why) in &lanes.waits[lanes.cells.len()] {
            desc.push(format!("at the end {} waits ({why})", lanes.names[*lane]));
        }
    }
    let mut svg = format!(
        r#"<svg class="lanes" id="{id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>"#,
        esc(title),
        esc(&desc.join("; "))
    );
    for (lane, name) in lanes.names.iter().enumerate() {
        let y = TOP + lane * LANE_H + LANE_H / 2;
        let _ = write!(
            svg,
            r#"<line x1="{LABEL_W}" y1="{y}" x2="{}" y2="{y}" class="lane"/><text x="4" y="{}" class="name">{}</text>"#,
            width - 4,
            y + 4,
            esc(name)
        );
    }
    let box_x = |col: usize| LABEL_W + col * col_w + 5;
    let box_y = |lane: usize| TOP + lane * LANE_H + 8;
    let box_w = col_w - 10;
    for col in 0..columns {
        let _ = write!(
            svg,
            r#"<text x="{}" y="14" class="colnum">{}</text>"#,
            box_x(col) + box_w / 2,
            if col < lanes.cells.len() {
                (col + 1).to_string()
            } else {
                "end".to_string()
            }
        );
        for (lane, why) in lanes.waits.get(col).into_iter().flatten() {
            let _ = write!(
                svg,
                r#"<g class="wait"><title>{}</title><rect x="{}" y="{}" width="{box_w}" height="30" rx="4"/><text x="{}" y="{}">waits</text></g>"#,
                esc(why),
                box_x(col),
                box_y(*lane),
                box_x(col) + box_w / 2,
                box_y(*lane) + 19
            );
        }
    }
    for (i, c) in lanes.cells.iter().enumerate() {
        if i > 0 && lanes.cells[i - 1].lane != c.lane {
            let prev = lanes.cells[i - 1].lane;
            let (x1, y1) = (box_x(i - 1) + box_w, box_y(prev) + 15);
            let (x2, y2) = (box_x(i), box_y(c.lane) + 15);
            let mid = (x1 + x2) / 2;
            let _ = write!(
                svg,
                r#"<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" class="switch" marker-end="url(#{id}-arrow)"/>"#
            );
        }
        let _ = write!(
            svg,
            r#"<g class="step"><title>{}</title><rect x="{}" y="{}" width="{box_w}" height="30" rx="4"/><text x="{}" y="{}">{}</text></g>"#,
            esc(&c.detail),
            box_x(i),
            box_y(c.lane),
            box_x(i) + box_w / 2,
            box_y(c.lane) + 19,
            esc(&c.text)
        );
    }
    svg.push_str("</svg>");
    svg
}
