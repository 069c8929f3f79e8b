#!/usr/bin/env bash
# Mutation testing of the core with cargo-mutants: would the tests notice if the code were
# wrong? Fails when a mutant survives (is "missed"); a mutant that is truly equivalent is
# listed with its reason in .cargo/mutants.toml (exclude_re), not left to fail.
#
#   bash ci/mutants.sh              # the core: counter.rs, lock.rs, queue.rs, pool.rs
#   bash ci/mutants.sh --changed    # only mutants in lines changed since origin/main
#   MUTANTS_MINUTES=20 bash ci/mutants.sh   # stop after 20 minutes (reported, not failed)
#   bash ci/mutants.sh --file src/queue.rs  # one file (any cargo-mutants --file filter)
#   bash ci/mutants.sh --diff FILE          # only lines changed in a diff (git diff REV -- src/)
#
# The tests run per mutant are the fast ones that exercise the core: conformance, real
# threads, the checkers' contracts on racelab's own lock and queue, shuttle, proptest and
# the explorer. A mutant whose tests run past 90 s counts as a timeout; one that hangs a
# real-thread binary fails sooner, by the tests' watchdog (RACELAB_WATCHDOG_SECS below).
# Skipped with a message when cargo-mutants cannot be installed.
set -uo pipefail
cd "$(dirname "$0")/.."
minutes="${MUTANTS_MINUTES:-0}"

args=(--no-shuffle -j 1 --timeout 90 --output target/mutants
      --file src/counter.rs --file src/lock.rs --file src/queue.rs --file src/pool.rs)
if [ "${1:-}" = "--diff" ] && [ -s "${2:-}" ]; then
    # Only the mutants in the lines a diff (git diff REV -- src/...) changed.
    args+=(--in-diff "$2")
elif [ "${1:-}" = "--file" ] && [ -n "${2:-}" ]; then
    args=(--no-shuffle -j 1 --timeout 90 --output target/mutants --file "$2")
elif [ "${1:-}" = "--changed" ]; then
    base=$(git merge-base HEAD origin/main 2>/dev/null || echo "")
    if [ -z "$base" ]; then
        echo "SKIPPED mutants --changed: no origin/main to compare with"
        exit 0
    fi
    mkdir -p target
    git diff "$base" -- src/counter.rs src/lock.rs src/queue.rs src/pool.rs >target/mutants.diff
    if [ ! -s target/mutants.diff ]; then
        echo "mutants --changed: the core did not change since origin/main; nothing to mutate"
        exit 0
    fi
    args+=(--in-diff target/mutants.diff)
fi
if ! command -v cargo-mutants >/dev/null 2>&1; then
    echo "installing cargo-mutants (cargo install cargo-mutants --locked, ~5 min)"
    if ! cargo install cargo-mutants --locked >/tmp/racelab-cargo-mutants-install.log 2>&1; then
        echo "SKIPPED mutants: cargo-mutants could not be installed (see /tmp/racelab-cargo-mutants-install.log)"
        exit 0
    fi
fi

# The core's test binary (real threads, conformance, shuttle, proptest schedules) and the
# explorer's and contracts' tests in the other two.
tests=(--test tutorial --test check --test oracles --test teach)

# The real-thread test binaries end themselves after this long (tests/tutorial/watchdog.rs):
# a mutant that loses a wake-up fails there, by name, instead of timing out. Not less: 10 s
# once ended threads_core's contention test on a machine loaded by three builds, which
# counted an equivalent mutant as caught.
export RACELAB_WATCHDOG_SECS="${RACELAB_WATCHDOG_SECS:-60}"
mkdir -p target
# -C passes the test targets to every cargo command, the build included: without it each
# mutant also rebuilds the unit tests, the doc tests and the examples.
cargo_args=()
for t in "${tests[@]}"; do [ "$t" = --test ] || cargo_args+=(-C "--test=$t"); done
runner=(cargo mutants "${args[@]}" "${cargo_args[@]}")
if [ "$minutes" != 0 ]; then runner=(timeout "$((minutes * 60))" "${runner[@]}"); fi
"${runner[@]}"
status=$?
outcomes=target/mutants/mutants.out/outcomes.json
if [ -f "$outcomes" ]; then
    python3 - "$outcomes" <<'PY' || true
import json, sys
o = json.load(open(sys.argv[1]))
counts = {}
for m in o.get("outcomes", []):
    s = m.get("summary", "?")
    counts[s] = counts.get(s, 0) + 1
print("mutants:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
PY
fi
if [ -s target/mutants/mutants.out/missed.txt ]; then
    echo "missed mutants (the tests did not notice these changes):"
    sed 's/^/  /' target/mutants/mutants.out/missed.txt
fi
case $status in
    0) echo "mutants: none missed" ;;
    124) echo "mutants: stopped after ${minutes} min (time cap); see the counts above"; exit 0 ;;
    *) exit $status ;;
esac
