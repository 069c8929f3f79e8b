//! CPU-bound work split over 1..=N threads and over 1..=N processes (N = cores): the
//! tutorial's squares. CPython's GIL lets one thread run Python code at a time, so its
//! threads do not speed CPU-bound work up and its processes do; Rust has no GIL, so its
//! threads scale like its processes.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{CHILD_ARG, Python, python, squares};
use crate::teach::demo::run_children;

/// One row: the same total work on `workers` threads and on `workers` processes.
#[derive(Debug, Clone, Serialize)]
pub struct Scaling {
    /// Threads (or processes) sharing the work.
    pub workers: usize,
    /// Wall time on that many threads (median of 3), in nanoseconds.
    pub threads_ns: u128,
    /// Wall time on that many processes (median of 3), in nanoseconds.
    pub processes_ns: u128,
    /// One thread's time / this time.
    pub thread_speedup: f64,
    /// One process's time / this time.
    pub process_speedup: f64,
}

/// The scaling table, in Rust and (when measured) in CPython.
#[derive(Debug, Clone, Serialize)]
pub struct Cpu {
    /// Squares computed in all (split evenly over the workers).
    pub work: u64,
    /// Cores available.
    pub cores: usize,
    /// One row per worker count.
    pub rows: Vec<Scaling>,
    /// CPython's table (its own, smaller work: it is ~50× slower per square).
    pub python: Python<PythonCpu>,
}

/// CPython's scaling table.
#[derive(Debug, Clone, Serialize)]
pub struct PythonCpu {
    /// Squares computed in all.
    pub work: u64,
    /// One row per worker count.
    pub rows: Vec<Scaling>,
}

fn median_of_3(mut run: impl FnMut() -> io::Result<Duration>) -> io::Result<u128> {
    let mut times = [run()?, run()?, run()?];
    times.sort_unstable();
    Ok(times[1].as_nanos())
}

fn rows(raw: Vec<(usize, u128, u128)>) -> Vec<Scaling> {
    let (t1, p1) = raw.first().map_or((1, 1), |r| (r.1, r.2));
    raw.into_iter()
        .map(|(workers, t, p)| Scaling {
            workers,
            threads_ns: t,
            processes_ns: p,
            thread_speedup: t1 as f64 / t.max(1) as f64,
            process_speedup: p1 as f64 / p.max(1) as f64,
        })
        .collect()
}

/// Measures `work` squares on 1..=`cores` threads and processes (`exe` is this binary);
/// CPython does `python_work` squares. Progress is (done, total).
pub fn measure(
    exe: &Path,
    work: u64,
    cores: usize,
    python_work: Option<u64>,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Cpu> {
    let mut raw = Vec::new();
    for k in 1..=cores {
        let share = work / k as u64;
        let threads = median_of_3(|| {
            let start = Instant::now();
            let handles: Vec<_> = (0..k)
                .map(|_| std::thread::spawn(move || squares(share)))
                .collect();
            for h in handles {
                h.join()
                    .map_err(|_| io::Error::other("a worker panicked"))?;
            }
            Ok(start.elapsed())
        })?;
        let processes = median_of_3(|| {
            let start = Instant::now();
            run_children(exe, &[CHILD_ARG, &share.to_string()], k)?;
            Ok(start.elapsed())
        })?;
        raw.push((k, threads, processes));
        progress(k, cores);
    }
    let python = match python_work {
        None => Err("not measured (--no-python)".to_string()),
        Some(pw) => python::run(&["cpu".into(), pw.to_string(), cores.to_string()]).and_then(|v| {
            let raw = v["rows"]
                .as_array()
                .ok_or("python3 gave no rows")?
                .iter()
                .map(|r| {
                    Some((
                        r["workers"].as_u64()? as usize,
                        u128::from(r["threads_ns"].as_u64()?),
                        u128::from(r["processes_ns"].as_u64()?),
                    ))
                })
                .collect::<Option<Vec<_>>>()
                .ok_or("python3 gave a bad row")?;
            Ok(PythonCpu {
                work: pw,
                rows: rows(raw),
            })
        }),
    };
    Ok(Cpu {
        work,
        cores,
        rows: rows(raw),
        python: Python::from(python),
    })
}
