//! The page of a scenario: what it runs, the Python it mirrors, the outcome chart, each
//! witness as a swimlane, a replayed schedule, and — driven by the tree of schedules the
//! engine recorded ([`Tree`]) — the be-the-scheduler and the tree itself.

use std::fmt::Write as _;

use super::data::outcome_words;
use super::svg::{self, Bar, Cell, Lanes};
use super::{Page, esc, page};
use crate::check::Verdict;
use crate::checked::trace::Event;
use crate::render::teach::{refusal_reason, refusal_text, title};
use crate::teach::Scenario;
use crate::teach::explore::{Exploration, explore_bounded};
use crate::teach::replay::{PRODUCER, Refusal, Replayed};
use crate::teach::tree::{MAX_LEAVES, TooLarge, Tree, first_run, waits_along};

/// The most executions a replay page spends exploring its scenario for the chart and the tree.
const REPLAY_EXPLORE_BUDGET: usize = 20_000;

/// The page of an exploration.
pub fn exploration_page(e: &Exploration) -> Page {
    scenario_page(e.scenario, Some(e), None)
}

/// The page of a replay: the schedule's run as a swimlane and its result; the outcome chart,
/// witnesses and be-the-scheduler too where the size can be explored (the scheduler then
/// starts where the schedule led).
pub fn replay_page(scenario: Scenario, schedule: &[usize], r: &Replayed) -> Page {
    let exploration = explore_bounded(scenario, REPLAY_EXPLORE_BUDGET).ok();
    let resolved = scenario.resolve(schedule);
    let schedule = resolved.as_deref().unwrap_or(schedule);
    scenario_page(scenario, exploration.as_ref(), Some((schedule, r)))
}

fn lanes_of(s: &Scenario, trace: &[Event], waits: &[Vec<(usize, Refusal)>]) -> Lanes {
    let threads = s.stepping_threads();
    let lane = |t: usize| threads.iter().position(|&x| x == t).unwrap_or(0);
    Lanes {
        names: threads.iter().map(|&t| s.thread_name(t)).collect(),
        cells: trace
            .iter()
            .map(|e| Cell {
                lane: lane(e.thread),
                text: e.step.to_string(),
                detail: s.python_line(&e.step),
            })
            .collect(),
        waits: waits
            .iter()
            .map(|w| {
                w.iter()
                    .map(|(t, r)| (lane(*t), refusal_reason(s, r)))
                    .collect()
            })
            .collect(),
    }
}

/// A trace as a table (the swimlane's text alternative).
fn trace_table(s: &Scenario, trace: &[Event]) -> String {
    let mut t = String::from(
        "<details><summary>As a table</summary><table><tr><th>#</th><th>thread</th><th>step</th><th>Python</th></tr>",
    );
    for (i, e) in trace.iter().enumerate() {
        let _ = write!(
            t,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
            i + 1,
            esc(&s.thread_name(e.thread)),
            esc(&e.step.to_string()),
            esc(&s.python_line(&e.step))
        );
    }
    t.push_str("</table></details>");
    t
}

fn python_section(s: &Scenario) -> String {
    let run = first_run(*s);
    let mut out = String::from(
        "<section id=\"python\"><h2>The Python it mirrors</h2><p>Each step is one line of the \
         tutorial's program (or of CPython's <code>queue.py</code>), per thread:</p><div class=\"programs\">",
    );
    for t in s.stepping_threads() {
        let lines: Vec<String> = run
            .iter()
            .filter(|e| e.thread == t)
            .map(|e| esc(&s.python_line(&e.step)))
            .collect();
        let _ = write!(
            out,
            "<div><h3>{}</h3><pre>{}</pre></div>",
            esc(&s.thread_name(t)),
            lines.join("\n")
        );
    }
    out.push_str("</div></section>");
    out
}

fn outcomes_section(e: &Exploration) -> String {
    let bars: Vec<Bar> = e
        .rows
        .iter()
        .map(|r| Bar {
            outcome: r.outcome.to_string(),
            label: outcome_words(&r.outcome),
            count: r.interleavings,
            verdict: r.verdict,
        })
        .collect();
    let total: usize = bars.iter().map(|b| b.count).sum();
    let mut out = format!(
        "<section id=\"outcomes\"><h2>Outcomes</h2><p class=\"coverage\"><strong>Exhaustive:</strong> \
         every interleaving of the steps was run — {} in {}.</p><div class=\"scroll\">{}</div>\
         <details><summary>As a table</summary><table><tr><th>outcome</th><th>interleavings</th><th>share</th><th>verdict</th></tr>",
        crate::words::plural(e.interleavings, "interleaving"),
        crate::words::plural(e.executions, "execution"),
        svg::chart("chart", &bars, "interleavings")
    );
    for b in &bars {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
            esc(&b.label),
            b.count,
            svg::share(b.count, total),
            svg::verdict_class(b.verdict),
            svg::verdict_words(b.verdict)
        );
    }
    out.push_str("</table></details></section>");
    out
}

fn witnesses_section(e: &Exploration) -> String {
    let s = &e.scenario;
    let mut out = String::from("<section id=\"witnesses\"><h2>Witnesses</h2>");
    if e.witnesses.is_empty() {
        out.push_str("<p>No interleaving reaches a forbidden outcome: every one was run.</p>");
    }
    if let Some(note) = s.interleavings_note() {
        let _ = write!(out, "<p class=\"note\">{}</p>", esc(&note));
    }
    for (i, w) in e.witnesses.iter().enumerate() {
        let schedule = s.schedule_of(&w.trace);
        let lanes = lanes_of(s, &w.trace, &waits_along(*s, &w.trace));
        let _ = write!(
            out,
            "<figure><h3>Witness for <span class=\"bad\">{} (✗ forbidden)</span>, with the fewest thread switches</h3>\
             <div class=\"scroll\">{}</div><figcaption><p>{}</p><p>Schedule <code>{}</code> — replay it: \
             <code>racelab replay {}{} \"{}\"</code></p></figcaption>{}</figure>",
            esc(&outcome_words(&w.outcome)),
            svg::swimlane(
                &format!("witness-{i}"),
                &lanes,
                &format!("Witness for {}: {}", w.outcome, schedule)
            ),
            esc(&w.explanation),
            esc(&schedule),
            s.kind().name(),
            s.size_args(),
            esc(&schedule),
            trace_table(s, &w.trace)
        );
    }
    out.push_str("</section>");
    out
}

fn replay_section(s: &Scenario, schedule: &[usize], r: &Replayed) -> String {
    let typed: Vec<String> = schedule
        .iter()
        .map(|&t| match t {
            PRODUCER => "P".to_string(),
            t => s.schedule_token(t),
        })
        .collect();
    let typed = typed.join(" ");
    let lanes = lanes_of(s, &r.trace, &waits_along(*s, &r.trace));
    let result = match (&r.outcome, &r.refusal) {
        (Some(o), _) => {
            let verdict = s.verdict(o);
            let mut line = format!(
                "<p class=\"verdict-line {}\">{} ({})</p>",
                svg::verdict_class(verdict),
                esc(&outcome_words(o)),
                svg::verdict_words(verdict)
            );
            if verdict == Verdict::Forbidden {
                let _ = write!(line, "<p>{}</p>", esc(&s.explain(o)));
            }
            line
        }
        (None, Some(refusal)) => {
            format!("<p class=\"reason\">{}</p>", esc(&refusal_text(s, refusal)))
        }
        (None, None) => String::new(),
    };
    format!(
        "<section id=\"replay\"><h2>Your schedule: <code>{}</code></h2><div class=\"scroll\">{}</div>{}{}</section>",
        esc(&typed),
        svg::swimlane("replay-lanes", &lanes, &format!("The run along {typed}")),
        result,
        trace_table(s, &r.trace)
    )
}

fn scheduler_sections(s: &Scenario, tree: &Result<Tree, TooLarge>) -> String {
    let name = s.kind().name();
    let args = s.size_args();
    match tree {
        Ok(tree) => format!(
            "<section id=\"play\"><h2>Be the scheduler</h2><p>Pick the thread that takes the next step \
             (keys: the thread's number{}; <kbd>Backspace</kbd> undoes). Every answer was recorded \
             by running the real code.</p>\
             <noscript><p>This part needs JavaScript. Without it, replay a schedule in a terminal: \
             <code>racelab replay {name}{args} \"1 2 1 2\"</code>.</p></noscript>\
             <div id=\"game\" hidden><div class=\"threads\" id=\"buttons\"></div><div class=\"controls\">\
             <button id=\"undo\" type=\"button\">Undo</button><button id=\"restart\" type=\"button\">Start again</button></div>\
             <div class=\"scroll\" id=\"game-lanes\"></div><div id=\"game-status\" aria-live=\"polite\"></div>\
             <p class=\"muted\">Schedule <code id=\"game-schedule\"></code> — the same run in a terminal: \
             <code id=\"game-command\"></code></p></div></section>\
             <section id=\"schedules\"><h2>Every schedule</h2><p>{} complete runs. Open a choice to see what \
             can follow it; pick a run's end to play it above.</p><noscript><p>The tree needs JavaScript.</p></noscript>\
             <ul class=\"tree\" id=\"tree\"></ul></section>",
            if s.producer().is_some() {
                ", <kbd>p</kbd> for the Producer"
            } else {
                ""
            },
            crate::words::group(tree.leaves().count()),
        ),
        Err(too_large) => format!(
            "<section id=\"play\"><h2>Be the scheduler</h2><p>{}: too many to embed in a page, so it shows the \
             witnesses only. Try a smaller size, or be the scheduler in a terminal: \
             <code>racelab replay {name}{args} \"…\"</code>.</p></section>",
            esc(&too_large.to_string())
        ),
    }
}

fn scenario_page(
    s: Scenario,
    e: Option<&Exploration>,
    replayed: Option<(&[usize], &Replayed)>,
) -> Page {
    let tree = match e {
        Some(e) if e.interleavings <= MAX_LEAVES => Tree::build(s, MAX_LEAVES),
        _ => Err(TooLarge {
            scenario: s.kind().name(),
            limit: MAX_LEAVES,
        }),
    };
    let name = s.kind().name();
    let mut body = format!(
        "<header><h1>racelab · {}</h1><p>{}</p><p class=\"muted\">Made with <code>racelab {} {name}{} --format html</code></p></header>",
        esc(name),
        esc(&s.describe()),
        if replayed.is_some() {
            "replay"
        } else {
            "explore"
        },
        s.size_args(),
    );
    body.push_str(&python_section(&s));
    if let Some((schedule, r)) = replayed {
        body.push_str(&replay_section(&s, schedule, r));
    }
    match e {
        Some(e) => {
            body.push_str(&outcomes_section(e));
            body.push_str(&witnesses_section(e));
        }
        None => body.push_str(
            "<section id=\"outcomes\"><h2>Outcomes</h2><p>Not explored: this size has too many \
             interleavings to run them all for a page. <code>racelab explore</code> takes smaller sizes.</p></section>",
        ),
    }
    body.push_str(&scheduler_sections(&s, &tree));
    let data = tree.as_ref().ok().map(|tree| {
        let start = replayed.map(|(schedule, _)| schedule).unwrap_or(&[]);
        serde_json::to_string(&super::data::data(&s, tree, start, e))
            .expect("plain data always serialises")
    });
    let playable = data.is_some();
    page(&title(&s), &body, data.as_deref(), playable)
}
