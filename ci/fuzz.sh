#!/usr/bin/env bash
# Fuzz smoke: build every target, run each clean target for FUZZ_SECONDS (default 20),
# and show that schedule_unlocked_counter finds the lost update from an empty corpus.
# Runs on stable with `cargo fuzz run -s none`. Exits 0 with a message when cargo-fuzz
# cannot be installed; fails only when a clean target crashes or a target does not build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    if ! cargo install cargo-fuzz --locked >/tmp/racelab-cargo-fuzz-install.log 2>&1; then
        echo "SKIPPED fuzz smoke: cargo-fuzz could not be installed (see /tmp/racelab-cargo-fuzz-install.log)"
        exit 0
    fi
fi

echo "building the fuzz targets (cargo fuzz build -s none)"
cargo fuzz build -s none

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in queue_ops schedule_locked_counter schedule_pool replay_schedule differential; do
    # A copy of the committed corpus: libFuzzer adds to the corpus it is given.
    mkdir -p "$work/corpus-$target" "$work/artifacts-$target"
    cp fuzz/corpus/"$target"/* "$work/corpus-$target/"
    echo "fuzzing $target for ${seconds}s"
    if ! cargo fuzz run -s none "$target" "$work/corpus-$target" -- \
        -max_total_time="$seconds" -seed=1 -artifact_prefix="$work/artifacts-$target/" \
        >"$work/$target.log" 2>&1; then
        tail -n 30 "$work/$target.log"
        echo "FAILED: $target crashed; the input is in the log above (replay: cargo fuzz run -s none $target <file>)"
        exit 1
    fi
    echo "  $(grep -oE '#[0-9]+' "$work/$target.log" | tail -1 | tr -d '#') executions, no crash"
done

# Expected to crash: coverage-guided fuzzing finds the unlocked counter's lost update.
mkdir -p "$work/empty" "$work/artifacts-unlocked"
start=$(date +%s.%N)
if cargo fuzz run -s none schedule_unlocked_counter "$work/empty" -- \
    -max_total_time=60 -seed=1 -artifact_prefix="$work/artifacts-unlocked/" >"$work/unlocked.log" 2>&1; then
    echo "NOTE: schedule_unlocked_counter found no lost update in 60 s (expected to find one within seconds)"
else
    end=$(date +%s.%N)
    echo "schedule_unlocked_counter found the lost update in $(awk "BEGIN { printf \"%.2f\", $end - $start }") s: $(grep -m1 -o 'Unlocked: .*' "$work/unlocked.log")"
fi
