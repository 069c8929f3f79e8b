//! Execution counts of racelab's exhaustive search side by side with loom 0.7 and
//! shuttle's DFS scheduler, on the same programs (see `README.md`).
//!
//! `cargo run --release --manifest-path compare/Cargo.toml -- [--cases N] [--seed S]
//! [--format markdown|text]`
//!
//! Every check runs in a child process of this binary (`--worker`): loom can abort the
//! process, and only a process can be stopped from outside when a checker overruns its
//! time budget.

// `interp.rs` and `programs.rs` are compiled twice on purpose, once on racelab's primitives
// (`on_racelab`) and once on loom's (`on_loom`): one source, so the two cannot drift.
#![allow(clippy::duplicate_mod)]

#[path = "../../tests/oracles/differential/program.rs"]
#[allow(dead_code)]
mod program;
#[path = "../../tests/oracles/differential/run.rs"]
#[allow(dead_code)]
mod run;

mod subjects;
mod table;
mod worker;

mod on_loom;
mod on_racelab;

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use subjects::{Section, Subject, NAMED};
use table::{Format, Row};
use worker::{Budget, Checker, Found, Status};

/// The seed of the generated programs unless `--seed` says otherwise (the differential
/// tests' default seed).
const DEFAULT_SEED: u64 = 0x0dd5_eed5;
/// Generated programs unless `--cases` says otherwise.
const DEFAULT_CASES: usize = 200;
/// Each checker's time on one named program unless `--secs` says otherwise.
const DEFAULT_SECS: f64 = 120.0;
/// Each checker's time on one generated program unless `--gen-secs` says otherwise.
const DEFAULT_GEN_SECS: f64 = 10.0;
/// Each checker's executions on one program unless `--executions` says otherwise.
const DEFAULT_EXECUTIONS: usize = 10_000_000;

/// The command line.
struct Options {
    /// Generated programs to compare.
    cases: usize,
    /// Their seed.
    seed: u64,
    /// Output format.
    format: Format,
    /// Time budget per checker on a named program.
    secs: f64,
    /// Time budget per checker on a generated program.
    gen_secs: f64,
    /// Execution budget per checker on any program.
    executions: usize,
    /// Only the named programs whose name contains this (and no generated ones), if set.
    only: Option<String>,
    /// Print a row for every generated program, not only the summary and the notable ones.
    rows: bool,
    /// Only the generated programs, no named ones.
    generated_only: bool,
}

/// What `--help` prints.
const USAGE: &str = "\
usage: racelab-compare [--cases N] [--seed S] [--format markdown|text]
                       [--secs T] [--gen-secs T] [--executions N] [--only NAME] [--rows]
                       [--generated-only]
       racelab-compare --show INDEX|gen:SEED:INDEX   (prints a generated program)

  --cases N        generated programs to compare (default 200; 0 for none)
  --seed S         their seed, decimal or 0x hex (default 0x0dd5eed5)
  --format F       markdown or text (default text)
  --secs T         each checker's time budget on a named program (default 120)
  --gen-secs T     each checker's time budget on a generated program (default 10)
  --executions N   each checker's execution budget on any program (default 10000000)
  --only NAME      only the named programs whose name contains NAME, no generated ones
  --rows           a table row for every generated program
  --generated-only only the generated programs, no named ones";

/// Parses the command line (after the program name); `Err` is the message to print.
fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        cases: DEFAULT_CASES,
        seed: DEFAULT_SEED,
        format: Format::Text,
        secs: DEFAULT_SECS,
        gen_secs: DEFAULT_GEN_SECS,
        executions: DEFAULT_EXECUTIONS,
        only: None,
        rows: false,
        generated_only: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, v: String| -> Result<u64, String> {
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.replace('_', "").parse(),
            }
            .map_err(|_| format!("{name}: {v:?} is not a number"))
        };
        let seconds = |name: &str, v: String| -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|s| *s > 0.0)
                .ok_or_else(|| format!("{name}: {v:?} is not a positive number of seconds"))
        };
        match arg.as_str() {
            "--cases" => options.cases = number("--cases", value("--cases")?)? as usize,
            "--seed" => options.seed = number("--seed", value("--seed")?)?,
            "--format" => {
                options.format = match value("--format")?.as_str() {
                    "markdown" | "md" => Format::Markdown,
                    "text" => Format::Text,
                    other => return Err(format!("--format: {other:?} is not markdown or text")),
                }
            }
            "--secs" => options.secs = seconds("--secs", value("--secs")?)?,
            "--gen-secs" => options.gen_secs = seconds("--gen-secs", value("--gen-secs")?)?,
            "--executions" => {
                options.executions = number("--executions", value("--executions")?)? as usize
            }
            "--only" => options.only = Some(value("--only")?),
            "--rows" => options.rows = true,
            "--generated-only" => options.generated_only = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(options)
}

/// Runs the comparison, or one check when started as a worker.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--worker") {
        worker_main(&args[1..]);
        return;
    }
    if let [flag, index] = args.as_slice() {
        if flag == "--show" {
            show(index);
            return;
        }
    }
    let options = match parse(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    compare(&options);
}

/// `--show <index>` (a program of the default seed) or `--show gen:<seed>:<index>`:
/// prints a generated program as code and as a constructor.
fn show(which: &str) {
    let id = if which.contains(':') {
        which.to_string()
    } else {
        format!("gen:{DEFAULT_SEED}:{which}")
    };
    match Subject::parse(&id) {
        Some(Subject::Generated { program, .. }) => println!("{program}{program:?}"),
        Some(Subject::Named(named)) => println!("{} (see src/programs.rs)", named.name),
        None => {
            eprintln!("no program {which:?} (an index, or an id such as gen:<seed>:<index>)");
            std::process::exit(2);
        }
    }
}

/// `--worker <checker> <subject id> <executions> <seconds>`: one check, printed.
fn worker_main(args: &[String]) {
    let [checker, id, executions, seconds] = args else {
        eprintln!("usage: --worker <checker> <subject id> <executions> <seconds>");
        std::process::exit(2);
    };
    let checker = Checker::parse(checker).expect("a known checker");
    let subject = Subject::parse(id).expect("a known subject");
    let budget = Budget {
        executions: executions.parse().expect("a number of executions"),
        time: Duration::from_secs_f64(seconds.parse().expect("a number of seconds")),
    };
    worker::work(checker, &subject, budget);
}

/// Runs `checker` on `subject` in a child process and reads what it found. The child is
/// killed if it overruns its budget by far (the checkers stop themselves at the budget;
/// this is for one execution that never ends).
fn run_worker(checker: Checker, subject: &Subject, budget: Budget) -> Found {
    let exe = std::env::current_exe().expect("the path of this binary");
    let mut child = Command::new(exe)
        .arg("--worker")
        .arg(checker.name())
        .arg(subject.id())
        .arg(budget.executions.to_string())
        .arg(budget.time.as_secs_f64().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a worker process starts");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let limit = budget.time * 2 + Duration::from_secs(30);
    let mut killed = false;
    let status = loop {
        match child.try_wait().expect("waiting for a worker") {
            Some(status) => break status,
            None if started.elapsed() > limit => {
                // Our own child, by its handle.
                let _ = child.kill();
                killed = true;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let last_err = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    match Found::parse(&out) {
        Some(mut found) => {
            if !status.success() {
                found
                    .notes
                    .push(format!("the worker then ended with {status}: {last_err}"));
            }
            found
        }
        None if killed => Found::empty(Status::Crashed(format!(
            "killed after {:.0} s",
            started.elapsed().as_secs_f64()
        ))),
        None => Found::empty(Status::Crashed(format!("{status}: {last_err}"))),
    }
}

/// Runs every checker on `subject`, printing progress on stderr.
fn row(subject: &Subject, budget: Budget, progress: &str) -> Row {
    let mut found = Vec::new();
    for checker in Checker::ALL {
        eprint!(
            "\r{progress} {} — {}…\x1b[K",
            subject.name(),
            checker.name()
        );
        found.push(run_worker(checker, subject, budget));
    }
    let [racelab, every_order, loom, shuttle] = <[Found; 4]>::try_from(found).expect("4");
    Row {
        name: subject.name(),
        racelab,
        every_order,
        loom,
        shuttle,
    }
}

/// The whole comparison: the named programs' tables, then the generated programs.
fn compare(options: &Options) {
    let named_budget = Budget {
        executions: options.executions,
        time: Duration::from_secs_f64(options.secs),
    };
    let gen_budget = Budget {
        executions: options.executions,
        time: Duration::from_secs_f64(options.gen_secs),
    };
    let started = Instant::now();
    println!(
        "{}",
        table::heading(
            options.format,
            1,
            "racelab vs loom 0.7 vs shuttle DFS: executions to explore every behaviour"
        )
    );
    println!(
        "Budgets per checker and program: {} executions; {} s on a named program, {} s on a \
         generated one. loom: no preemption bound, at most {} branches per execution.\n",
        table::count(options.executions),
        options.secs,
        options.gen_secs,
        table::count(worker::LOOM_MAX_BRANCHES),
    );
    for (section, title) in [
        (Section::Hand, "Hand-picked programs"),
        (Section::Litmus, "Weak-memory litmus programs"),
    ] {
        let chosen: Vec<Subject> = NAMED
            .iter()
            .filter(|_| !options.generated_only)
            .filter(|n| n.section == section)
            .filter(|n| {
                options
                    .only
                    .as_ref()
                    .is_none_or(|o| n.name.contains(o.as_str()))
            })
            .map(Subject::Named)
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let rows: Vec<Row> = chosen
            .iter()
            .enumerate()
            .map(|(i, s)| row(s, named_budget, &format!("[{}/{}]", i + 1, chosen.len())))
            .collect();
        eprintln!();
        println!("{}", table::heading(options.format, 2, title));
        println!("{}", table::render(options.format, &rows));
        println!("{}", table::differences(options.format, &rows));
    }
    if options.only.is_none() && options.cases > 0 {
        let chosen = subjects::sample(options.seed, options.cases);
        let rows: Vec<Row> = chosen
            .iter()
            .enumerate()
            .map(|(i, s)| row(s, gen_budget, &format!("[{}/{}]", i + 1, chosen.len())))
            .collect();
        eprintln!();
        println!(
            "{}",
            table::heading(options.format, 2, "Generated programs (tests/differential)")
        );
        println!(
            "{}",
            table::generated_summary(options.format, options.seed, &chosen, &rows, options.rows)
        );
    }
    println!(
        "Whole run: {:.0} s (wall time, this machine shared with other work).",
        started.elapsed().as_secs_f64()
    );
}
