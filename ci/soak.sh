#!/usr/bin/env bash
# Soak: run the whole test suite N times in a row (default 20) and report runs, failures and
# wall time (min / median / max). Any failure is a bug to fix, never a reason to retry: the
# log of each failed run is kept and named.
#
#   bash ci/soak.sh 20            # cargo test, then the loom suite, 20 times
#   SOAK_LOOM=0 bash ci/soak.sh 5 # cargo test only
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
loom="${SOAK_LOOM:-1}"
case "$runs" in
    '' | *[!0-9]*) echo "error: the number of runs must be a positive integer, got '$runs'" >&2; exit 2 ;;
esac
[ "$runs" -ge 1 ] || { echo "error: the number of runs must be at least 1" >&2; exit 2; }

logs=$(mktemp -d /tmp/racelab-soak.XXXXXX)
echo "building once (cargo test --no-run$([ "$loom" = 1 ] && echo '; ci/loom.sh --no-run'))"
cargo test --no-run -q >"$logs/build.log" 2>&1 || { cat "$logs/build.log"; exit 1; }
if [ "$loom" = 1 ]; then
    bash ci/loom.sh --no-run -q >>"$logs/build.log" 2>&1 || { cat "$logs/build.log"; exit 1; }
fi

failures=0
times=()
for i in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    ok=1
    cargo test -q >"$logs/run-$i.log" 2>&1 || ok=0
    if [ "$loom" = 1 ] && [ "$ok" = 1 ]; then
        bash ci/loom.sh -q >>"$logs/run-$i.log" 2>&1 || ok=0
    fi
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    times+=("$secs")
    if [ "$ok" = 1 ]; then
        printf 'run %2d/%d: ok     %6.1f s\n' "$i" "$runs" "$secs"
        rm -f "$logs/run-$i.log"
    else
        failures=$((failures + 1))
        printf 'run %2d/%d: FAILED %6.1f s  (log: %s)\n' "$i" "$runs" "$secs" "$logs/run-$i.log"
        grep -E "^test .* FAILED|panicked at" "$logs/run-$i.log" | head -5 | sed 's/^/    /'
    fi
done

sorted=$(printf '%s\n' "${times[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
max=$(echo "$sorted" | tail -1)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
printf '\nsoak: %d runs, %d failed; wall time per run min %.1f s, median %.1f s, max %.1f s%s\n' \
    "$runs" "$failures" "$min" "$median" "$max" "$([ "$loom" = 1 ] && echo ' (cargo test + loom suite)' || echo ' (cargo test)')"
[ "$failures" = 0 ]
