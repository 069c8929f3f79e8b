//! CPython's side of each measurement: the tutorial's programs (threads vs processes,
//! `queue.Queue`), timed by a small script that racelab runs with `python3` as a child
//! process and reads back as JSON. Without `python3`, every CPython column is "not
//! measured".

use std::process::{Command, Stdio};

/// The script: `spawn RUNS`, `cpu WORK CORES` or `queue ITEMS WORKERS`; prints JSON.
const SCRIPT: &str = r#"
import json, sys, time, threading, multiprocessing, queue

def squares(count):
    for i in range(count):
        result = i * i

def nothing():
    pass

def timed(f):
    start = time.perf_counter_ns()
    f()
    return time.perf_counter_ns() - start

def start_join(kind, target, args=()):
    def run():
        w = kind(target=target, args=args)
        w.start()
        w.join()
    return run

def together(kind, k, work):
    def run():
        ws = [kind(target=squares, args=(work // k,)) for _ in range(k)]
        for w in ws: w.start()
        for w in ws: w.join()
    return run

def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]

if __name__ == "__main__":
    what = sys.argv[1]
    if what == "spawn":
        runs = int(sys.argv[2])
        threads = [timed(start_join(threading.Thread, nothing)) for _ in range(runs)]
        processes = [timed(start_join(multiprocessing.Process, nothing)) for _ in range(max(1, min(runs, 30)))]
        print(json.dumps({"thread_ns": threads, "process_ns": processes,
                          "start_method": multiprocessing.get_start_method()}))
    elif what == "cpu":
        work, cores = int(sys.argv[2]), int(sys.argv[3])
        rows = []
        for k in range(1, cores + 1):
            t = median([timed(together(threading.Thread, k, work)) for _ in range(3)])
            p = median([timed(together(multiprocessing.Process, k, work)) for _ in range(3)])
            rows.append({"workers": k, "threads_ns": t, "processes_ns": p})
        print(json.dumps({"rows": rows}))
    elif what == "queue":
        items, workers = int(sys.argv[2]), int(sys.argv[3])
        q = queue.Queue()
        def worker():
            while True:
                item = q.get()
                if item is None:
                    q.task_done()
                    return
                q.task_done()
        ts = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
        for t in ts: t.start()
        def produce():
            for i in range(items):
                q.put(i)
        start = time.perf_counter_ns()
        p = threading.Thread(target=produce)
        p.start()
        p.join()
        q.join()
        ns = time.perf_counter_ns() - start
        for _ in ts: q.put(None)
        for t in ts: t.join()
        print(json.dumps({"ns": ns}))
"#;

/// `python3 --version`, or `None` when there is no `python3`.
pub fn version() -> Option<String> {
    let out = Command::new("python3")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs the script with `args`; `Err` says why there is no measurement.
pub fn run(args: &[String]) -> Result<serde_json::Value, String> {
    if version().is_none() {
        return Err("python3 is not on this machine".to_string());
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("python3 could not be started: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "python3 failed: {}",
            err.lines().last().unwrap_or("no message")
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("python3 printed no JSON: {e}"))
}
