//! Creating and joining a thread vs a process: the tutorial says processes take longer to
//! start. A process here is this binary re-running itself (as `demo processes` does), with
//! an argument that makes it exit at once.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::stats::Summary;
use super::{CHILD_ARG, Python, python};

/// Thread vs process, in Rust and (when measured) in CPython.
#[derive(Debug, Clone, Serialize)]
pub struct Spawn {
    /// Spawning and joining a thread that does nothing.
    pub thread: Summary,
    /// Starting and waiting for a process that does nothing.
    pub process: Summary,
    /// How many times longer the median process takes than the median thread.
    pub ratio: f64,
    /// CPython's `threading.Thread` and `multiprocessing.Process`, or why not measured.
    pub python: Python<PythonSpawn>,
}

/// CPython's numbers.
#[derive(Debug, Clone, Serialize)]
pub struct PythonSpawn {
    /// `Thread(target=f).start(); join()`.
    pub thread: Summary,
    /// `Process(target=f).start(); join()`.
    pub process: Summary,
    /// Process median / thread median.
    pub ratio: f64,
    /// multiprocessing's start method (`fork`, `forkserver`, `spawn`).
    pub start_method: String,
}

fn ratio(slow: &Summary, fast: &Summary) -> f64 {
    slow.median_ns as f64 / fast.median_ns.max(1) as f64
}

/// Measures `runs` of each (processes: at most 100), reporting progress as (done, total).
pub fn measure(
    exe: &Path,
    runs: usize,
    with_python: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Spawn> {
    let process_runs = runs.min(100);
    let total = runs + process_runs;
    let mut threads = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        std::thread::spawn(|| {}).join().expect("an empty thread");
        threads.push(start.elapsed());
        progress(i + 1, total);
    }
    let mut processes: Vec<Duration> = Vec::with_capacity(process_runs);
    for i in 0..process_runs {
        let start = Instant::now();
        let status = Command::new(exe)
            .args([CHILD_ARG, "0"])
            .stdin(Stdio::null())
            .status()?;
        processes.push(start.elapsed());
        if !status.success() {
            return Err(io::Error::other(format!(
                "the child process failed: {status}"
            )));
        }
        progress(runs + i + 1, total);
    }
    let (thread, process) = (Summary::of(threads), Summary::of(processes));
    let python = match with_python {
        false => Err("not measured (--no-python)".to_string()),
        true => python::run(&["spawn".to_string(), runs.min(1000).to_string()]).and_then(|v| {
            let list = |key: &str| -> Result<Vec<Duration>, String> {
                v[key]
                    .as_array()
                    .ok_or_else(|| format!("python3 gave no {key}"))?
                    .iter()
                    .map(|n| n.as_u64().map(Duration::from_nanos))
                    .collect::<Option<Vec<_>>>()
                    .filter(|l| !l.is_empty())
                    .ok_or_else(|| format!("python3 gave a bad {key}"))
            };
            let (thread, process) = (
                Summary::of(list("thread_ns")?),
                Summary::of(list("process_ns")?),
            );
            Ok(PythonSpawn {
                ratio: ratio(&process, &thread),
                thread,
                process,
                start_method: v["start_method"].as_str().unwrap_or("?").to_string(),
            })
        }),
    };
    Ok(Spawn {
        ratio: ratio(&process, &thread),
        thread,
        process,
        python: Python::from(python),
    })
}
