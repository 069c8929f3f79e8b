#!/usr/bin/env bash
# The loom suite: the core rebuilt on loom's primitives, every test exhaustively explored.
# A separate target dir keeps the loom build from invalidating the normal one.
#
# With arguments, they are passed to `cargo test --release` as they are. Without, only what
# `--cfg loom` changes is built: the library's unit tests, tests/tutorial (the loom models)
# and the doctests, without the CLI (the check, oracles and teach binaries have no loom
# tests: built with `--cfg loom` they ran 0 tests, and building them cost about 13 s:
# 72 s against 59 s on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg loom"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/loom"
if [ "$#" -gt 0 ]; then
    exec cargo test --release "$@"
fi
cargo test --release --no-default-features --lib --test tutorial
cargo test --release --no-default-features --doc
