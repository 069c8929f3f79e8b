#!/usr/bin/env bash
# The full check, as CI runs it and as anyone can run it: `bash ci/check.sh`.
#
# Required steps fail the run. Optional tools (see ci/optional.sh) are skipped with a
# printed reason when they cannot be installed; they never fail the run for being absent.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
# Each step says when it starts, in seconds since the run began (the log then shows what
# each step cost).
step() { printf '\n==> [%ss] %s\n' "$((SECONDS - started))" "$*"; }

step "toolchain"
cargo --version
rustup component add rustfmt clippy >/dev/null 2>&1 || echo "(rustup could not add rustfmt/clippy; using what is installed)"

step "format: cargo fmt --check"
cargo fmt --all -- --check

step "lint: cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "docs: cargo doc --no-deps, warnings are errors (broken and private links)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

step "library without the CLI: --no-default-features builds, lints, and pulls no CLI dependency"
cargo clippy --no-default-features --all-targets -- -D warnings
if cargo tree --no-default-features -e normal --prefix none | grep -E '^(clap|serde|serde_json|crossbeam-channel|indicatif) '; then
    echo "a CLI-only dependency is compiled for library users (see [features] in Cargo.toml)"
    exit 1
fi

step "benchmarks compile (benches/ is its own package: cargo test never builds criterion)"
cargo clippy --manifest-path benches/Cargo.toml --benches -- -D warnings

step "GenMC's litmus tests (their recorded execution counts are re-read by tests/oracles/litmus)"
# The commit the catalogue's counts were ported from (tests/oracles/litmus/catalogue.rs).
genmc_commit=b03f01ed0f34a873f7b8b960313a5279a6c9ab45
genmc_dir=target/genmc-$genmc_commit
# From github.com, else from a local mirror of the repository (the sandbox keeps one next to
# the work tree), else the re-reading is skipped with a message (CI machines may have no
# network; the counts stay in the catalogue and the RC11 oracle still checks them).
genmc_fetch() {
    rm -rf "$genmc_dir" && mkdir -p "$genmc_dir"
    git -C "$genmc_dir" init -q
    git -C "$genmc_dir" fetch -q --depth 1 "$1" "$genmc_commit" 2>/dev/null &&
        git -C "$genmc_dir" checkout -q FETCH_HEAD -- tests/correct/litmus
}
if [ ! -d "$genmc_dir/tests/correct/litmus" ]; then
    genmc_fetch https://github.com/MPI-SWS/genmc ||
        { [ -d ../.mirror/MPI-SWS+genmc/repo ] && genmc_fetch "$(cd ../.mirror/MPI-SWS+genmc/repo && pwd)"; } ||
        rm -rf "$genmc_dir"
fi
if [ -d "$genmc_dir/tests/correct/litmus" ]; then
    RACELAB_GENMC_DIR="$(pwd)/$genmc_dir"
    export RACELAB_GENMC_DIR
else
    echo "SKIPPED re-reading GenMC's files: neither github.com nor a local mirror has commit $genmc_commit"
    export RACELAB_GENMC_UNREACHABLE=1
fi

step "tests: cargo test (real threads, shuttle, proptest, the checker's oracles, docs)"
cargo test

step "drop-in: examples/drop_in built with --cfg racelab_check checks the shipped source"
# Only the example gets the flag (cargo rustc), so no dependency is rebuilt.
cargo rustc -q --example drop_in -- --cfg racelab_check
NO_COLOR=1 target/debug/examples/drop_in > target/drop_in.txt
grep -q "forbidden" target/drop_in.txt || { cat target/drop_in.txt; echo "the drop-in example did not find the bug"; exit 1; }

step "guard: clippy's disallowed-types (examples/guard/checked/clippy.toml) rejects std::sync in the checked build"
(
    cd examples/guard
    export CLIPPY_CONF_DIR=checked RUSTFLAGS="--cfg racelab_check" CARGO_TARGET_DIR=../../target/guard
    cargo clippy -q -- -D warnings
    if cargo clippy -q --features mistake -- -D warnings 2> ../../target/guard.txt; then
        echo "clippy accepted std::sync::Mutex in the checked build"; exit 1
    fi
    grep -q "use racelab::check::sync::Mutex in checked code" ../../target/guard.txt \
        || { cat ../../target/guard.txt; echo "clippy rejected the mistake for another reason"; exit 1; }
)

step "every size the explorer accepts (RACELAB_FULL=1: sizes over 5,000 interleavings too)"
RACELAB_FULL=1 cargo test --test teach -- explore::

step "differential: the exhaustive search against the independent oracle, 10,000 generated programs"
# cargo test compares 150 (75 from each of two seeds; 50 under the default search, 400 with
# every interleaving);
# this long run compares 10,000 (2-4 threads, about two thirds with 3 or 4) with a fixed
# seed, 1,000 more under the default search (Auto: the same exhaustive search within its
# budget, so these check the path that picks it), and 4,000 against every interleaving
# (about 760 of them small enough for it; 14 s).
# One program per core at a time, each searched in one job (RACELAB_JOBS=1): on 2 cores
# 1.2x faster than one program at a time searched in two jobs (31.7 s against 38.5 s for
# 1,000 programs). The jobs are held to the one-job search in the next steps, and to the
# oracle by cargo test's differential tests, which run in one job per core.
workers="$(nproc 2>/dev/null || echo 2)"
export RACELAB_DIFF_WORKERS="$workers"
RACELAB_JOBS=1 RACELAB_DIFF_CASES=10000 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=1000 RACELAB_DIFF_SEED=0x5eed2 cargo test --release --test oracles -- --exact differential::auto_matches_the_oracle --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=4000 RACELAB_DIFF_SEED=0xe0e0 cargo test --release --test oracles -- --exact differential::every_order_matches_the_oracle --nocapture
# Programs in which one thread panics (cargo test compares 60): the guards it drops as it
# unwinds release and poison their mutexes, racelab taking each release once the thread
# stops unwinding; about 60 s.
RACELAB_JOBS=1 RACELAB_DIFF_CASES=2000 RACELAB_DIFF_SEED=0xdead5 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle_when_a_thread_panics --nocapture
# Programs whose compare_exchange is weak and may fail spuriously (Check::spurious_failures;
# cargo test compares 40 with each search): 1,000 with the exhaustive search (at most 2
# failures per thread; about 80 s), 3,000 drawn for the search without reduction (about 400
# small enough; 16 s).
RACELAB_JOBS=1 RACELAB_DIFF_CASES=1000 RACELAB_DIFF_SEED=0x5b1 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle_with_spurious_failures --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=3000 RACELAB_DIFF_SEED=0x5b2 cargo test --release --test oracles -- --exact differential::every_order_matches_the_oracle_with_spurious_failures --nocapture
# Programs with a timed wait under a limit of wake-ups without a notify
# (Check::wakeups_without_notify; cargo test compares 25 with each limit): 1,000 with a
# limit of 1 and 1,000 with 0 (a timed wait nobody notifies is cut); about 70 s each.
RACELAB_JOBS=1 RACELAB_DIFF_CASES=1000 RACELAB_DIFF_SEED=0x11b1 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle_with_a_wakeup_limit --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=1000 RACELAB_DIFF_SEED=0x11b0 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle_with_no_wakeup_without_a_notify --nocapture
# Programs with a plain wait under spurious wake-ups (Check::spurious_wakeups: a wait may
# wake at any moment without a notify, or never; cargo test compares 12 with each search):
# 600 with the exhaustive search (about 460 exhaustive within its budget; 45 s), 2,000
# drawn for the search without reduction (about 240 small enough; 45 s), and each
# execution run once on 400 (35 s).
RACELAB_JOBS=1 RACELAB_DIFF_CASES=600 RACELAB_DIFF_SEED=0x5a11 cargo test --release --test oracles -- --exact differential::exhaustive_matches_the_oracle_with_spurious_wakeups --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=2000 RACELAB_DIFF_SEED=0x5a12 cargo test --release --test oracles -- --exact differential::every_order_matches_the_oracle_with_spurious_wakeups --nocapture
RACELAB_JOBS=1 RACELAB_DIFF_CASES=400 RACELAB_DIFF_SEED=0x5a13 cargo test --release --test oracles -- --exact differential::the_exhaustive_search_runs_each_execution_once_with_spurious_wakeups --nocapture
# Optimality: each execution run once (Check::count_traces) on 1,500 generated programs,
# condition variables included (cargo test checks 80); about 60 s.
RACELAB_JOBS=1 RACELAB_DIFF_CASES=1500 RACELAB_DIFF_SEED=0x0b72 cargo test --release --test oracles -- --exact differential::the_exhaustive_search_runs_each_execution_once --nocapture

step "parallel jobs: the search in 2 and 3 jobs reports what it reports in one, 1,500 generated programs"
# cargo test compares 30 (and half the corpus); about 60 s.
RACELAB_DIFF_CASES=1500 RACELAB_DIFF_SEED=0x70b5 cargo test --release --test oracles -- --exact differential::parallel::shared_search_reports_what_the_serial_search_reports --nocapture

step "the corpus: every entry's checks in several jobs and in merged shards (cargo test does one of the two each)"
cargo test --test check -- --ignored --exact corpus::the_other_half_reports_the_same_in_one_job_and_in_several corpus::half_the_entries_report_the_same_whole_and_in_merged_shards

step "shards: 1, 2, 3 and 7 shards merged report what the whole search reports, 300 generated programs"
# cargo test compares 6 (and the other half of the corpus in 3 shards); about 70 s.
RACELAB_DIFF_CASES=300 RACELAB_DIFF_SEED=0x5ba2 cargo test --release --test oracles -- --exact differential::parallel::merged_shards_report_what_the_whole_search_reports --nocapture

step "checkpoints: a search spread over runs reports what one run reports, 1,000 generated programs"
# cargo test compares 30; each program's search stopped and resumed about three times; about 30 s.
RACELAB_DIFF_CASES=1000 RACELAB_DIFF_SEED=0xabc cargo test --release --test oracles -- --exact differential::parallel::a_search_resumed_from_checkpoints_reports_what_one_run_reports --nocapture

unset RACELAB_DIFF_WORKERS

step "weak memory: racelab against the RC11 oracle, 3,000 generated litmus programs"
# cargo test compares 300; both models (the default and forced RC11), counts included.
RACELAB_LITMUS_CASES=3000 RACELAB_LITMUS_SEED=7 cargo test --release --test oracles -- --exact litmus::racelab_matches_the_oracle_on_generated_programs --nocapture

step "data races: racelab against an enumerator with the adjacency definition, 20,000 generated programs"
# cargo test compares 300.
RACELAB_RACE_CASES=20000 RACELAB_RACE_SEED=3 cargo test --release --test oracles -- --exact races::racelab_finds_exactly_the_races_the_oracle_finds --nocapture

step "peers: racelab against loom 0.7 and shuttle's DFS on two programs (compare/, its own crate)"
# The full comparison (200 generated programs, about an hour) is run by hand; see compare/README.md.
# In the main target directory: the dependencies the differential runs built in release
# (shuttle, proptest, rand, ...) are reused; about 35 s less than compare/target from scratch.
CARGO_TARGET_DIR="$PWD/target" cargo test --release --manifest-path compare/Cargo.toml
CARGO_TARGET_DIR="$PWD/target" cargo run --release --manifest-path compare/Cargo.toml -- --only "lost update" --secs 20 --format markdown

step "browser: the HTML pages in headless Chromium (tests/browser/)"
bash ci/browser.sh

step "loom: RUSTFLAGS=\"--cfg loom\" cargo test --release (the library, tests/tutorial, the doctests; ci/loom.sh)"
bash ci/loom.sh

printf '\nci/check.sh: all required steps passed in %ss\n' "$((SECONDS - started))"

if [ -f ci/optional.sh ]; then
    step "optional tools"
    bash ci/optional.sh
    printf '\nci/check.sh: optional tools done; %ss in all\n' "$((SECONDS - started))"
fi
