//! `racelab measure` for people: each measurement as a table, CPython beside Rust, and one
//! sentence on what the numbers say. (`--format json` prints the measurement itself.)

use std::fmt::Write as _;

use crate::measure::Python;
use crate::measure::cpu::{Cpu, Scaling};
use crate::measure::queue::QueueRun;
use crate::measure::scale::Point;
use crate::measure::spawn::Spawn;
use crate::measure::stats::{Summary, human, human_seconds};

fn spread(s: &Summary) -> String {
    format!(
        "{} (p10 {}, p90 {}, {} runs)",
        human(s.median_ns),
        human(s.p10_ns),
        human(s.p90_ns),
        s.runs
    )
}

/// Thread vs process.
pub fn spawn_text(m: &Spawn) -> String {
    let mut out = String::from("Creating and joining a thread vs a process (median, spread):\n\n");
    let _ = writeln!(out, "  Rust     thread   {}", spread(&m.thread));
    let _ = writeln!(out, "  Rust     process  {}", spread(&m.process));
    let _ = writeln!(
        out,
        "           a process takes {:.0}× as long as a thread",
        m.ratio
    );
    match &m.python {
        Python::Measured(p) => {
            let _ = writeln!(out, "  CPython  thread   {}", spread(&p.thread));
            let _ = writeln!(
                out,
                "  CPython  process  {} (start method: {})",
                spread(&p.process),
                p.start_method
            );
            let _ = writeln!(
                out,
                "           a process takes {:.0}× as long as a thread",
                p.ratio
            );
        }
        Python::NotMeasured { not_measured } => {
            let _ = writeln!(out, "  CPython  not measured: {}", not_measured);
        }
    }
    out.push_str(
        "\nA process here is this binary started again (as `racelab demo processes` does); the\n\
         tutorial's claim — starting a process is slower than starting a thread — is the ratio.\n",
    );
    out
}

fn scaling_table(out: &mut String, rows: &[Scaling]) {
    let _ = writeln!(
        out,
        "  {:>7}  {:>10}  {:>8}  {:>10}  {:>8}",
        "workers", "threads", "speed-up", "processes", "speed-up"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "  {:>7}  {:>10}  {:>7.2}×  {:>10}  {:>7.2}×",
            r.workers,
            human(r.threads_ns),
            r.thread_speedup,
            human(r.processes_ns),
            r.process_speedup
        );
    }
}

/// CPU-bound work on threads and processes.
pub fn cpu_text(m: &Cpu) -> String {
    let mut out = format!(
        "CPU-bound work (squares of 0..n, {} in all) split over 1..{} threads and processes\n\
         ({} cores; median of 3 runs):\n\nRust:\n",
        crate::words::group(m.work as usize),
        m.cores,
        m.cores
    );
    scaling_table(&mut out, &m.rows);
    match &m.python {
        Python::Measured(p) => {
            let _ = writeln!(
                out,
                "\nCPython ({} squares in all):",
                crate::words::group(p.work as usize)
            );
            scaling_table(&mut out, &p.rows);
        }
        Python::NotMeasured { not_measured } => {
            let _ = writeln!(out, "\nCPython: not measured: {}", not_measured);
        }
    }
    out.push_str(
        "\nCPython's GIL lets one thread run Python code at a time: its threads do not speed\n\
         CPU-bound work up, its processes do. Rust has no GIL: its threads scale like processes\n\
         (and start faster). A speed-up is one worker's time divided by this row's.\n",
    );
    out
}

/// Queue throughput.
pub fn queue_text(m: &QueueRun) -> String {
    let mut out = format!(
        "1 producer, {} workers, {} items, until every item is handled (median of {} runs):\n\n",
        m.workers,
        crate::words::group(m.items as usize),
        m.runs
    );
    let width = m
        .rows
        .iter()
        .map(|r| r.queue.len())
        .max()
        .unwrap_or(0)
        .max(24);
    for r in &m.rows {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>10}  {:>7.2} M items/s  {:>5.2}× racelab",
            r.queue,
            human(r.ns),
            r.items_per_s / 1e6,
            r.vs_racelab
        );
    }
    match &m.python {
        Python::Measured(p) => {
            let _ = writeln!(
                out,
                "  {:<width$}  {:>10}  {:>7.2} M items/s  ({} items)",
                "CPython queue.Queue",
                human(p.ns),
                p.items_per_s / 1e6,
                crate::words::group(p.items as usize)
            );
        }
        Python::NotMeasured { not_measured } => {
            let _ = writeln!(out, "  CPython queue.Queue: not measured: {}", not_measured);
        }
    }
    out
}

/// The exhaustive search's speed-up per number of parallel jobs.
pub fn jobs_text(points: &[crate::measure::jobs::Point]) -> String {
    let mut out = String::new();
    if let Some(first) = points.first() {
        let _ = writeln!(
            out,
            "The exhaustive search in 1..={} parallel jobs (release build, this machine, best of \
             the runs):\n{}\n\n  {:>4}  {:>10}  {:>9}  {:>8}  {:>10}  {:>11}  same report",
            points.len(),
            first.scenario,
            "jobs",
            "executions",
            "time",
            "speed-up",
            "of linear",
            "handed over",
        );
    }
    for p in points {
        let _ = writeln!(
            out,
            "  {:>4}  {:>10}  {:>8.2}s  {:>7.2}×  {:>9.0}%  {:>11}  {}",
            p.jobs,
            crate::words::group(p.executions),
            p.seconds,
            p.speedup,
            p.of_linear * 100.0,
            crate::words::group(p.handed_over),
            if p.same_report { "yes" } else { "NO" }
        );
    }
    out
}

/// The exhaustive search split into shards, one row per number of shards.
pub fn shards_text(points: &[crate::measure::shards::Point]) -> String {
    let mut out = String::new();
    if let Some(first) = points.first() {
        let _ = writeln!(
            out,
            "The exhaustive search split into shards, each shard run on its own, one job \
             (release build, this machine):\n{}\n\n  {:>6}  {:>9}  {:>8}  {:>10}  {:>10}  \
             {:<28}  same report",
            first.scenario,
            "shards",
            "slowest",
            "speed-up",
            "of linear",
            "total cost",
            "executions per shard",
        );
    }
    for p in points {
        let slowest = p.seconds.iter().copied().fold(0.0, f64::max);
        let executions: Vec<String> = p
            .executions
            .iter()
            .map(|&e| crate::words::group(e))
            .collect();
        let _ = writeln!(
            out,
            "  {:>6}  {:>8.2}s  {:>7.2}×  {:>9.0}%  {:>9.2}×  {:<28}  {}",
            p.shards,
            slowest,
            p.speedup,
            p.of_linear * 100.0,
            p.total_cost,
            executions.join(" "),
            if p.same_report { "yes" } else { "NO" }
        );
    }
    out
}

/// Exploration cost per size, one table per scenario.
pub fn scale_text(points: &[Point]) -> String {
    let mut out = String::from(
        "Exploring every interleaving, at every size `racelab explore` accepts (release build,\n\
         this machine; executions exceed interleavings where a blocked thread ends a run early):\n",
    );
    let group = crate::words::group;
    let mut last = "";
    for p in points {
        if p.scenario != last {
            last = p.scenario;
            let _ = writeln!(
                out,
                "\n{}\n  {:<28}  {:>13}  {:>10}  {:>9}  {:>10}",
                p.scenario, "size", "interleavings", "executions", "per inter.", "time"
            );
        }
        let size = if p.size.is_empty() {
            "(fixed)"
        } else {
            &p.size
        };
        let _ = writeln!(
            out,
            "  {:<28}  {:>13}  {:>10}  {:>9.2}  {:>10}",
            size,
            group(p.interleavings),
            group(p.executions),
            p.executions as f64 / p.interleavings.max(1) as f64,
            human_seconds(p.seconds)
        );
    }
    out
}
