//! Challenges as text: the list, a challenge's goal, a try's verdict, a solution.

use std::fmt::Write as _;

use super::{Style, teach};
use crate::checked::trace::Event;
use crate::teach::challenge::{Attempt, Challenge, Judgement};
use crate::teach::explore::Exploration;

/// Every challenge with its goal, and how to play (`racelab` is how to run racelab: see
/// [`crate::render::tour::invocation`]).
pub fn challenge_list(challenges: &[Challenge], racelab: &str) -> String {
    let width = challenges.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from("Challenges: reach the goal by typing a schedule.\n\n");
    for c in challenges {
        let _ = writeln!(out, "  {:<width$}  {}", c.name, c.goal_text);
    }
    let _ = writeln!(
        out,
        "\nPlay: {racelab} challenge <name> \"<schedule>\", e.g. {racelab} challenge \
         lose-an-update \"1 1 2 2\"\nStuck: --hint 1, --hint 2; give up: --solution"
    );
    out
}

/// A challenge's goal, scenario and threads, before any try.
pub fn challenge_intro(c: &Challenge, racelab: &str) -> String {
    let scenario = c.scenario();
    let threads: Vec<String> = scenario
        .stepping_threads()
        .iter()
        .map(|&t| {
            format!(
                "{} ({})",
                scenario.schedule_token(t),
                scenario.thread_name(t)
            )
        })
        .collect();
    format!(
        "{}: {}\nscenario: {}\nthreads: {}\n\nPlay: {racelab} challenge {} \"<schedule>\"\n",
        c.name,
        c.goal_text,
        teach::title(&scenario),
        threads.join(", "),
        c.name
    )
}

/// The run along the learner's schedule, whether it met the goal, and what next: a hint,
/// or for an impossible goal the exploration that proves no schedule meets it.
pub fn challenge_attempt(
    c: &Challenge,
    attempt: &Attempt,
    proof: Option<&Exploration>,
    style: Style,
    racelab: &str,
) -> String {
    let mut out = format!("challenge {}: {}\n\n", c.name, c.goal_text);
    out.push_str(&teach::replay_text(
        &attempt.scenario,
        &attempt.replayed,
        style,
    ));
    out.push('\n');
    match (&attempt.judgement, proof) {
        (Judgement::Met, _) => out.push_str("Goal met!\n"),
        (Judgement::NotMet { outcome }, None) => {
            let _ = writeln!(
                out,
                "Not yet: this schedule ends with {outcome}.\nHint: {}\n(more: {racelab} \
                 challenge {} --hint 2)",
                c.hints[0], c.name
            );
        }
        (Judgement::NotMet { outcome }, Some(exploration)) => {
            let _ = writeln!(
                out,
                "Not met: this schedule ends with {outcome}, and so does every other. racelab \
                 explored every interleaving:\n"
            );
            out.push_str(&teach::exploration_text(exploration, style));
            if let Some(why) = c.why_impossible() {
                let _ = writeln!(out, "No schedule meets this goal: {why}");
            }
        }
        (Judgement::Refused, _) => {
            let _ = writeln!(
                out,
                "That schedule could not be followed (see above). Hint: {}",
                c.hints[0]
            );
        }
    }
    out
}

/// A schedule that meets the goal, or the exploration that shows none does.
pub fn challenge_solution(
    c: &Challenge,
    solution: Option<&[Event]>,
    exploration: &Exploration,
    style: Style,
    racelab: &str,
) -> String {
    let scenario = exploration.scenario;
    match solution {
        Some(trace) => {
            let mut out = format!(
                "challenge {}: {}\n\nA solution (the fewest thread switches): {racelab} \
                 challenge {} \"{}\"\n\n",
                c.name,
                c.goal_text,
                c.name,
                scenario.schedule_of(trace)
            );
            out.push_str(&teach::trace_table(&scenario, trace, style));
            out
        }
        None => format!(
            "challenge {}: {}\n\nNo schedule meets this goal. racelab explored every \
             interleaving:\n\n{}{}",
            c.name,
            c.goal_text,
            teach::exploration_text(exploration, style),
            c.why_impossible()
                .filter(|_| exploration.scenario.interleavings_note().is_none())
                .map_or(String::new(), |why| format!("\nWhy: {why}\n"))
        ),
    }
}
