#!/usr/bin/env bash
# ThreadSanitizer over the tests that run the core on real threads: the conformance
# checklist (which also runs the tutorial's programs, `racelab demo`, built with the
# sanitizer), the barrier-forced lost update and the pool (threads_core), proptest
# workloads, the core's API, and `racelab stress` and the tour (cli.rs). The standard
# library is rebuilt with the sanitizer (-Zbuild-std), so its Mutex and Condvar are seen
# too. Needs a nightly toolchain with rust-src; skipped with a message without one.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup toolchain list | grep -q nightly; then
    echo "SKIPPED TSan: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! rustup component add --toolchain nightly rust-src >/dev/null 2>&1; then
    echo "SKIPPED TSan: the nightly toolchain has no rust-src component"
    exit 0
fi
target="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Zsanitizer=thread"
export RUSTDOCFLAGS="-Zsanitizer=thread"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/tsan"
# Any report fails the run at once; the threads' stacks say where.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
# Sanitized threads run several times slower: give the watchdog room.
export RACELAB_WATCHDOG_SECS="${RACELAB_WATCHDOG_SECS:-600}"
cargo +nightly test -Zbuild-std --target "$target" --test tutorial -- \
    conformance:: threads:: workloads:: api::
cargo +nightly test -Zbuild-std --target "$target" --test teach -- cli::stress cli::the_tour
echo "TSan: no data race reported"
