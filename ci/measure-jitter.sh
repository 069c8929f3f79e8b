#!/usr/bin/env bash
# How often `racelab stress counter-unlocked` loses an update on real threads, with and
# without --jitter, on an idle machine and beside CPU hogs (the README's table).
# Usage: bash ci/measure-jitter.sh [hogs]   (hogs: busy loops to start, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
hogs=${1:-3}
cargo build --release -q
racelab=target/release/racelab

lost() {
    "$racelab" stress counter-unlocked --format json "$@" | python3 -c '
import json, sys
j = json.load(sys.stdin)
lost = sum(o["runs"] for o in j["outcomes"] if o["verdict"] == "forbidden")
print(lost, "of", j["trials"])'
}

table() {
    echo "  1 increment each, no jitter:        $(lost --trials 2000)"
    echo "  100,000 increments each, no jitter: $(lost --increments 100000 --trials 20)"
    echo "  1 increment each, --jitter (1ms):   $(lost --jitter --trials 1000)"
    echo "  1 increment each, --jitter 100us:   $(lost --jitter 100us --trials 1000)"
}

echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores"
echo "idle:"
table
pids=()
for _ in $(seq "$hogs"); do
    sh -c 'while :; do :; done' &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
sleep 1
echo "beside $hogs busy loops:"
table
