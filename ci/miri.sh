#!/usr/bin/env bash
# Miri over the real-thread tests of the core, the worker pool included (no processes,
# which Miri cannot spawn).
# Skipped with a message when a nightly toolchain with Miri cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup toolchain list | grep -q nightly; then
    echo "SKIPPED Miri: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1; then
    echo "SKIPPED Miri: the nightly toolchain has no Miri component today"
    exit 0
fi
if ! cargo +nightly miri setup >/dev/null 2>&1; then
    echo "SKIPPED Miri: cargo +nightly miri setup failed"
    exit 0
fi
# The core's real-thread tests (the barrier-forced lost update, the locked and atomic
# counters, the pool: its panics reported, every item once), then the queue and lock
# conformance tests (c06..c40).
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-disable-isolation}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/miri"
cargo +nightly miri test --test tutorial -- threads::
items=(c06 c07 c08 c09 c10 c13 c14 c15 c16 c18 c19 c20 c21 c24 c25 c26 c27 c28 c30 c33 c35 c37 c38 c39)
cargo +nightly miri test --test tutorial -- "${items[@]/#/conformance::}"
