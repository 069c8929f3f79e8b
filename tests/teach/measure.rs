//! `racelab measure`: each measurement runs and prints the shape it promises. Timings are
//! never checked here (they live in the command's output and in `cargo bench`).
#![cfg(not(loom))]

use std::process::Command;

use serde_json::Value;

fn measure(args: &[&str], path: Option<&str>) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_racelab"));
    cmd.arg("measure").args(args);
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str], path: Option<&str>) -> Value {
    let (code, out, err) = measure(args, path);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn has_python() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn positive(v: &Value) -> bool {
    v.as_f64().is_some_and(|x| x > 0.0)
}

#[test]
fn spawn_times_threads_and_processes_and_their_ratio() {
    let v = json(&["spawn", "--runs", "5", "--format", "json"], None);
    for who in ["thread", "process"] {
        assert_eq!(v[who]["runs"], 5, "{v}");
        assert!(positive(&v[who]["median_ns"]), "{v}");
        assert!(
            v[who]["p10_ns"].as_u64() <= v[who]["p90_ns"].as_u64(),
            "{v}"
        );
    }
    assert!(positive(&v["ratio"]), "{v}");
    if has_python() {
        assert!(positive(&v["python"]["thread"]["median_ns"]), "{v}");
        assert!(v["python"]["start_method"].is_string(), "{v}");
    } else {
        assert!(v["python"]["not_measured"].is_string(), "{v}");
    }
}

#[test]
fn without_python_the_cpython_columns_say_not_measured() {
    // No python3 on an empty PATH.
    let v = json(&["spawn", "--runs", "2", "--format", "json"], Some(""));
    assert_eq!(
        v["python"]["not_measured"],
        "python3 is not on this machine"
    );
    let v = json(
        &[
            "queue",
            "--items",
            "100",
            "--runs",
            "1",
            "--no-python",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(v["python"]["not_measured"], "not measured (--no-python)");
    let (_, text, _) = measure(&["spawn", "--runs", "2"], Some(""));
    assert!(
        text.contains("CPython  not measured: python3 is not on this machine"),
        "{text}"
    );
}

#[test]
fn cpu_has_a_row_per_worker_count_with_speed_ups() {
    let v = json(&["cpu", "--work", "100000", "--format", "json"], None);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), v["cores"].as_u64().unwrap() as usize);
    assert_eq!(rows[0]["thread_speedup"], 1.0);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["workers"], i + 1);
        assert!(
            positive(&row["threads_ns"]) && positive(&row["processes_ns"]),
            "{row}"
        );
    }
    if has_python() {
        assert_eq!(
            v["python"]["rows"].as_array().unwrap().len(),
            rows.len(),
            "{v}"
        );
    }
}

#[test]
fn queue_compares_racelab_with_crossbeam_and_mpsc() {
    let v = json(
        &[
            "queue", "--items", "2000", "--runs", "1", "--format", "json",
        ],
        None,
    );
    let rows = v["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["queue"].as_str().unwrap()).collect();
    assert!(
        names[0].starts_with("racelab") && names[1].starts_with("crossbeam"),
        "{names:?}"
    );
    assert!(names[2].starts_with("std::sync::mpsc"), "{names:?}");
    assert_eq!(rows[0]["vs_racelab"], 1.0);
    assert!(rows.iter().all(|r| positive(&r["items_per_s"])), "{v}");
    let (_, text, _) = measure(
        &["queue", "--items", "2000", "--runs", "1", "--no-python"],
        None,
    );
    assert!(
        text.contains("M items/s") && text.contains("× racelab"),
        "{text}"
    );
}

#[test]
fn bad_sizes_and_foreign_flags_are_usage_errors() {
    for args in [
        &["cpu", "--work", "5"][..],
        &["spawn", "--items", "5"],
        &["queue", "--runs", "0"],
        &["frobnicate"],
    ] {
        let (code, out, err) = measure(args, None);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(
            out.is_empty() && err.starts_with("error: "),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn scale_lists_every_accepted_size_with_its_cost() {
    let v = json(
        &[
            "scale",
            "counter-atomic",
            "if-not-while",
            "--format",
            "json",
        ],
        None,
    );
    let points = v.as_array().unwrap();
    // counter-atomic: 14 sizes explore accepts (1-4 × 1-4, at most 100,000 interleavings);
    // if-not-while: its one fixed size.
    assert_eq!(points.len(), 15, "{v}");
    for p in points {
        let (i, e) = (
            p["interleavings"].as_u64().unwrap(),
            p["executions"].as_u64().unwrap(),
        );
        assert!(i >= 1 && e >= i, "{p}");
        assert!(p["seconds"].as_f64().is_some_and(|s| s >= 0.0), "{p}");
    }
    assert_eq!(points[14]["scenario"], "if-not-while");
    assert_eq!(points[14]["size"], "");
    let (code, _, err) = measure(&["scale", "nothing"], None);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn jobs_has_a_row_per_number_of_jobs_each_with_the_same_report() {
    let v = json(
        &[
            "jobs",
            "queue",
            "--max-jobs",
            "3",
            "--runs",
            "1",
            "--format",
            "json",
        ],
        None,
    );
    let points = v.as_array().unwrap();
    assert_eq!(points.len(), 3, "{v}");
    let executions = points[0]["executions"].as_u64().unwrap();
    assert!(executions > 100, "{v}");
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["jobs"].as_u64(), Some(i as u64 + 1), "{p}");
        assert_eq!(p["executions"].as_u64(), Some(executions), "{p}");
        assert_eq!(p["same_report"], true, "{p}");
        assert!(positive(&p["seconds"]) && positive(&p["speedup"]), "{p}");
    }
    let (code, _, err) = measure(&["jobs", "queue", "--max-jobs", "0"], None);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn shards_has_a_row_per_number_of_shards_whose_executions_add_up() {
    let v = json(
        &["shards", "queue", "--counts", "1,3", "--format", "json"],
        None,
    );
    let points = v.as_array().unwrap();
    assert_eq!(points.len(), 2, "{v}");
    let whole: u64 = points[0]["executions"].as_array().unwrap()[0]
        .as_u64()
        .unwrap();
    assert!(whole > 100, "{v}");
    for (p, count) in points.iter().zip([1, 3]) {
        assert_eq!(p["shards"].as_u64(), Some(count), "{p}");
        let executions: Vec<u64> = p["executions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_u64().unwrap())
            .collect();
        assert_eq!(executions.len() as u64, count, "{p}");
        assert_eq!(executions.iter().sum::<u64>(), whole, "{p}");
        assert_eq!(p["same_report"], true, "{p}");
        assert!(positive(&p["speedup"]) && positive(&p["total_cost"]), "{p}");
    }
    let (code, _, err) = measure(&["shards", "queue", "--counts", "0"], None);
    assert_eq!(code, Some(2), "{err}");
}
