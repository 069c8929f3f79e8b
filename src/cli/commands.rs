//! What each subcommand does, once its arguments are parsed.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use racelab::render::stress::StressRun;
use racelab::render::{
    Style, challenge as challenge_text, html, json, stress as stress_text, teach as text,
};
use racelab::teach::challenge::{CHALLENGES, Challenge, Judgement};
use racelab::teach::sizes::Purpose;
use racelab::teach::stress::{Jitter, stress};
use racelab::teach::{Kind, Scenario, explore, parse_schedule, replay};

use racelab::check::{Search, Verdict, check};
use racelab::checked::trace::Recorder;

use super::Failure;
use super::args::{Format, SearchArg, Size, StressKind, TableFormat};

fn scenario(kind: Kind, size: &Size, purpose: Purpose) -> Result<Scenario, Failure> {
    let params = size.params(kind, purpose).map_err(Failure::usage)?;
    Scenario::sized(kind, params, purpose).map_err(|e| Failure::usage(e.to_string()))
}

pub fn explore_cmd(
    kind: Kind,
    size: &Size,
    style: Style,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let scenario = scenario(kind, size, Purpose::Explore)?;
    let exploration = explore(scenario).map_err(|e| Failure::Other(e.to_string()))?;
    match format {
        Format::Human => write!(out, "{}", text::exploration_text(&exploration, style))?,
        Format::Json => write!(out, "{}", json::exploration_json(&exploration))?,
        Format::Html => write!(out, "{}", html::exploration_page(&exploration).html)?,
    }
    Ok(())
}

/// What `racelab check` runs.
pub struct CheckArgs {
    pub search: SearchArg,
    pub schedules: Option<u64>,
    pub budget: u64,
    pub jobs: Option<u64>,
    pub shard: Option<(usize, usize)>,
    pub checkpoint: Option<std::path::PathBuf>,
    pub spurious_wakeups: bool,
    pub wakeups_without_notify: Option<u32>,
}

pub fn check_cmd(
    kind: Kind,
    size: &Size,
    args: CheckArgs,
    style: Style,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let scenario = scenario(kind, size, Purpose::Explore)?;
    let search = match args.search {
        SearchArg::Exhaustive => Search::Exhaustive,
        SearchArg::Auto => Search::Auto,
        SearchArg::EveryOrder => Search::EveryOrder,
    };
    let checked =
        check(move || scenario.run(&Recorder::new())).spurious_wakeups(args.spurious_wakeups);
    let checked = match args.wakeups_without_notify {
        Some(n) => checked.wakeups_without_notify(n),
        None => checked,
    };
    let checked = match args.jobs {
        Some(n) => checked.jobs(usize::try_from(n).unwrap_or(usize::MAX)),
        None => checked,
    };
    let checked = match args.shard {
        Some((index, count)) => checked.shard(index, count),
        None => checked,
    };
    if args.shard.is_some() && args.checkpoint.is_some() {
        return Err(Failure::usage(
            "--shard and --checkpoint cannot be used together yet",
        ));
    }
    if let Some(path) = &args.checkpoint {
        if !matches!(args.search, SearchArg::Exhaustive | SearchArg::Auto) {
            return Err(Failure::usage(
                "--checkpoint saves the place of the exhaustive search: use --search \
                 exhaustive or auto",
            ));
        }
        // A file that is not a checkpoint of this check: say so before running.
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.starts_with("racelab checkpoint") {
                return Err(Failure::usage(format!(
                    "{} is not a racelab checkpoint: delete it to start the search over",
                    path.display()
                )));
            }
            let name = scenario.describe();
            if !text.lines().any(|l| l == format!("check: {name}")) {
                return Err(Failure::usage(format!(
                    "{} is the checkpoint of another check than {name:?}: give each check a \
                     file of its own",
                    path.display()
                )));
            }
            let model: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("model:"))
                .flat_map(str::split_whitespace)
                .collect();
            let saved_spurious = model.contains(&"spurious-wakeups");
            if saved_spurious != args.spurious_wakeups {
                return Err(Failure::usage(format!(
                    "{} was saved by a search {} --spurious-wakeups: run it as before, or \
                     delete the file to start over",
                    path.display(),
                    if saved_spurious { "with" } else { "without" }
                )));
            }
            let saved_limit = model
                .iter()
                .find_map(|w| w.strip_prefix("wakeups-without-notify="))
                .and_then(|n| n.parse::<u32>().ok());
            if saved_limit != args.wakeups_without_notify {
                return Err(Failure::usage(format!(
                    "{} was saved by a search {}: run it as before, or delete the file to \
                     start over",
                    path.display(),
                    match saved_limit {
                        Some(n) => format!("with --wakeups-without-notify {n}"),
                        None => "without --wakeups-without-notify".to_string(),
                    }
                )));
            }
        }
    }
    let checked = match &args.checkpoint {
        Some(path) => checked.checkpoint(path),
        None => checked,
    };
    // A bar only for someone watching: its estimate costs a few executions (random walks).
    let checked = if std::io::stderr().is_terminal() {
        let bar = bar("[{bar:24}] {msg}");
        checked.progress(move |p| {
            if let Some(estimate) = p.estimate {
                bar.set_length(estimate.max(p.searched) as u64);
                bar.set_position(p.searched as u64);
            }
            bar.set_message(p.to_string());
            if p.done {
                bar.finish_and_clear();
            }
        })
    } else {
        checked
    };
    let report = checked
        .name(scenario.describe())
        .expect(move |o| scenario.verdict(o) == Verdict::Acceptable)
        .search(search)
        .max_executions(usize::try_from(args.budget).unwrap_or(usize::MAX))
        .list_schedules(
            args.schedules
                .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        )
        .run();
    match format {
        Format::Human => write!(out, "{}", racelab::render::text::report(&report, style))?,
        Format::Json => write!(out, "{}", json::report(&report))?,
        Format::Html => write!(out, "{}", html::report_page(&report).html)?,
    }
    Ok(())
}

/// A progress bar on stderr in the style `template`, drawn only when stderr is a terminal
/// (indicatif hides it otherwise).
fn bar(template: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// `racelab merge`: adds up the shards' JSON reports.
pub fn merge_cmd(
    files: &[std::path::PathBuf],
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
        inputs.push((file.display().to_string(), text));
    }
    let merged = racelab::render::merge::merge(&inputs)
        .map_err(|e| Failure::usage(e.strip_prefix("racelab: ").unwrap_or(&e).to_string()))?;
    match format {
        TableFormat::Human => write!(out, "{}", merged.text())?,
        TableFormat::Json => write!(out, "{}", merged.json())?,
    }
    if merged.passed() {
        Ok(())
    } else {
        Err(Failure::NotYet)
    }
}

pub fn replay_cmd(
    kind: Kind,
    schedule: &str,
    size: &Size,
    style: Style,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let scenario = scenario(kind, size, Purpose::Replay)?;
    let schedule = parse_schedule(schedule).map_err(|e| Failure::usage(e.to_string()))?;
    let replayed = replay(scenario, &schedule);
    match format {
        Format::Human => write!(out, "{}", text::replay_text(&scenario, &replayed, style))?,
        Format::Json => write!(out, "{}", json::replay_json(&scenario, &replayed))?,
        Format::Html => write!(
            out,
            "{}",
            html::replay_page(scenario, &schedule, &replayed).html
        )?,
    }
    match &replayed.refusal {
        None => Ok(()),
        // The human report on stdout already says why; JSON and HTML readers get it on
        // stderr too.
        Some(refusal) => Err(Failure::Refused(
            (format != Format::Human).then(|| text::refusal_text(&scenario, refusal)),
        )),
    }
}

pub struct StressArgs {
    pub kind: StressKind,
    pub trials: u64,
    pub jitter: Option<Duration>,
    pub seed: Option<u64>,
}

pub fn stress_cmd(
    args: StressArgs,
    size: &Size,
    style: Style,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let kind = args.kind.kind();
    let scenario = scenario(kind, size, Purpose::Stress)?;
    let jitter = args.jitter.map(|max| Jitter {
        max,
        seed: args.seed.unwrap_or(0),
    });
    let trials = usize::try_from(args.trials).unwrap_or(usize::MAX);
    let show_progress = std::io::stderr().is_terminal() && trials >= 1_000;
    let rows = stress(&scenario, trials, jitter, |done| {
        if show_progress {
            let filled = done * 30 / trials;
            eprint!(
                "\r[{}{}] {done}/{trials}",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            if done == trials {
                eprintln!();
            }
        }
    })
    .map_err(|e| Failure::usage(e.to_string()))?;
    // The exhaustive set, when the size is small enough to explore.
    let reachable = Scenario::new(kind, scenario.params())
        .ok()
        .and_then(|s| explore(s).ok())
        .map(|e| e.outcomes());
    let run = StressRun {
        scenario: &scenario,
        trials,
        jitter,
        rows: &rows,
        reachable: reachable.as_deref(),
    };
    match format {
        TableFormat::Json => write!(out, "{}", json::stress_json(&run))?,
        TableFormat::Human => write!(out, "{}", stress_text::stress_text(&run, style))?,
    }
    Ok(())
}

pub struct ChallengeArgs {
    pub name: Option<String>,
    pub schedule: Option<String>,
    pub hint: Option<u64>,
    pub solution: bool,
}

pub fn challenge_cmd(
    args: ChallengeArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let racelab = racelab::render::tour::invocation(&super::exe());
    let Some(name) = args.name else {
        write!(
            out,
            "{}",
            challenge_text::challenge_list(&CHALLENGES, racelab)
        )?;
        return Ok(());
    };
    let challenge = Challenge::find(&name).expect("clap checked the name");
    if let Some(n) = args.hint {
        let hints = challenge.hints;
        let hint = usize::try_from(n - 1)
            .ok()
            .and_then(|i| hints.get(i))
            .ok_or_else(|| {
                Failure::usage(format!(
                    "{} has {}; ask for 1 to {}",
                    challenge.name,
                    racelab::render::plural(hints.len(), "hint"),
                    hints.len()
                ))
            })?;
        writeln!(out, "hint {n} of {}: {hint}", hints.len())?;
        return Ok(());
    }
    if args.solution {
        let (solution, exploration) = challenge
            .solve()
            .map_err(|e| Failure::Other(e.to_string()))?;
        write!(
            out,
            "{}",
            challenge_text::challenge_solution(
                challenge,
                solution.as_deref(),
                &exploration,
                style,
                racelab
            )
        )?;
        return Ok(());
    }
    let Some(schedule) = args.schedule else {
        write!(
            out,
            "{}",
            challenge_text::challenge_intro(challenge, racelab)
        )?;
        return Ok(());
    };
    let attempt = challenge
        .attempt(&schedule)
        .map_err(|e| Failure::usage(e.to_string()))?;
    // After a failed try at an impossible goal, the proof: no interleaving reaches it.
    let proof = match attempt.judgement {
        Judgement::NotMet { .. } if !challenge.possible => match challenge.solve() {
            Ok((None, exploration)) => Some(exploration),
            _ => None,
        },
        _ => None,
    };
    write!(
        out,
        "{}",
        challenge_text::challenge_attempt(challenge, &attempt, proof.as_ref(), style, racelab)
    )?;
    match attempt.judgement {
        Judgement::Met => Ok(()),
        Judgement::NotMet { .. } => Err(Failure::NotYet),
        Judgement::Refused => Err(Failure::Refused(None)),
    }
}

/// A progress bar for `what`, counted `done` of `total`: "[====>     ] what 3/10".
fn progress_bar(what: &'static str) -> impl FnMut(usize, usize) {
    let bar = bar(&format!("[{{bar:30}}] {what} {{pos}}/{{len}}"));
    move |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if done == total {
            bar.finish_and_clear();
        }
    }
}

/// Set in the environment of the child process that runs `racelab engines` for its parent.
const ENGINES_CHILD: &str = "RACELAB_ENGINES_CHILD";

pub fn engines_cmd(
    kind: Kind,
    size: &Size,
    budget: racelab::measure::engines::Budget,
    format: TableFormat,
    exe: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if kind.weak_memory() {
        return Err(Failure::usage(format!(
            "{name} is a weak-memory scenario: the engines compared here read the latest store \
             (interleavings), so they cannot judge it; run `racelab check {name}` (RC11)",
            name = kind.name()
        )));
    }
    let scenario = scenario(kind, size, Purpose::Explore)?;
    if std::env::var_os(ENGINES_CHILD).is_none() {
        // shuttle prints a line on stderr for every deadlock its schedulers meet (dozens on
        // the deadlocking scenarios), which racelab reports in the table itself: the
        // engines run in a child process whose stderr is shown only if it fails.
        if std::io::stderr().is_terminal() {
            let engines = racelab::measure::engines::Engine::ALL.len();
            eprintln!("running {engines} engines on {}…", kind.name());
        }
        let format = match format {
            TableFormat::Human => "human",
            TableFormat::Json => "json",
        };
        let mut args = vec![
            "engines".to_string(),
            kind.name().to_string(),
            "--seeds".into(),
            budget.seeds.to_string(),
            "--budget".into(),
            budget.executions.to_string(),
            "--trials".into(),
            budget.trials.to_string(),
            "--format".into(),
            format.into(),
        ];
        args.extend(scenario.size_args().split_whitespace().map(str::to_string));
        let child = std::process::Command::new(exe)
            .args(&args)
            .env(ENGINES_CHILD, "1")
            .output()
            .map_err(|e| Failure::Other(format!("could not start {}: {e}", exe.display())))?;
        if !child.status.success() {
            return Err(Failure::Other(format!(
                "the engines failed: {}",
                String::from_utf8_lossy(&child.stderr).trim()
            )));
        }
        out.write_all(&child.stdout)?;
        return Ok(());
    }
    let comparison = racelab::measure::engines::compare(scenario, budget, &mut |_, _| {})
        .map_err(|e| Failure::Other(e.to_string()))?;
    match format {
        TableFormat::Human => write!(
            out,
            "{}",
            racelab::render::engines::engines_text(&comparison)
        )?,
        TableFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&comparison).map_err(|e| Failure::Other(e.to_string()))?
        )?,
    }
    Ok(())
}

pub fn measure_cmd(
    what: super::args::Measure,
    exe: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use super::args::Measure;
    use racelab::measure::{cores, cpu, queue, spawn};
    use racelab::render::measure as m;
    fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
        serde_json::to_string_pretty(value)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Other(e.to_string()))
    }
    let text = match what {
        Measure::Spawn { runs, common } => {
            let runs = usize::try_from(runs).unwrap_or(usize::MAX);
            let r = spawn::measure(exe, runs, !common.no_python, &mut progress_bar("runs"))?;
            match common.format {
                TableFormat::Human => m::spawn_text(&r),
                TableFormat::Json => json(&r)?,
            }
        }
        Measure::Cpu { work, common } => {
            let python = (!common.no_python).then_some((work / 50).max(1_000));
            let r = cpu::measure(
                exe,
                work,
                cores(),
                python,
                &mut progress_bar("worker counts"),
            )?;
            match common.format {
                TableFormat::Human => m::cpu_text(&r),
                TableFormat::Json => json(&r)?,
            }
        }
        Measure::Jobs {
            scenario: kind,
            size,
            max_jobs,
            runs,
            format,
        } => {
            let scenario = scenario(kind, &size, Purpose::Explore)?;
            let max = max_jobs.map_or_else(cores, |n| usize::try_from(n).unwrap_or(1));
            let runs = usize::try_from(runs).unwrap_or(1);
            let points =
                racelab::measure::jobs::measure(scenario, max, runs, &mut progress_bar("runs"));
            match format {
                TableFormat::Human => m::jobs_text(&points),
                TableFormat::Json => json(&points)?,
            }
        }
        Measure::Shards {
            scenario: kind,
            size,
            counts,
            format,
        } => {
            let scenario = scenario(kind, &size, Purpose::Explore)?;
            let counts: Vec<usize> = counts
                .iter()
                .map(|&n| usize::try_from(n).unwrap_or(1))
                .collect();
            let points =
                racelab::measure::shards::measure(scenario, &counts, &mut progress_bar("runs"));
            match format {
                TableFormat::Human => m::shards_text(&points),
                TableFormat::Json => json(&points)?,
            }
        }
        Measure::Scale { scenarios, format } => {
            let kinds = if scenarios.is_empty() {
                Kind::ALL.to_vec()
            } else {
                scenarios
            };
            let points = racelab::measure::scale::measure(&kinds, &mut progress_bar("sizes"))
                .map_err(|e| Failure::Other(e.to_string()))?;
            match format {
                TableFormat::Human => m::scale_text(&points),
                TableFormat::Json => json(&points)?,
            }
        }
        Measure::Queue {
            items,
            runs,
            common,
        } => {
            let python = (!common.no_python).then_some((items / 10).max(1));
            let runs = usize::try_from(runs).unwrap_or(1);
            let r = queue::measure(items, 10, runs, python, &mut progress_bar("runs"));
            match common.format {
                TableFormat::Human => m::queue_text(&r),
                TableFormat::Json => json(&r)?,
            }
        }
    };
    write!(out, "{text}")?;
    Ok(())
}
