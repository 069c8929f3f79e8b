#!/usr/bin/env bash
# The loom suite: the core rebuilt on loom's primitives, every test exhaustively explored.
# A separate target dir keeps the loom build from invalidating the normal one.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg loom"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/loom"
cargo test --release "$@"
