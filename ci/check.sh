#!/usr/bin/env bash
# The full check, as CI runs it and as anyone can run it: `bash ci/check.sh`.
#
# Required steps fail the run. Optional tools (see ci/optional.sh) are skipped with a
# printed reason when they cannot be installed; they never fail the run for being absent.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

step "toolchain"
cargo --version
rustup component add rustfmt clippy >/dev/null 2>&1 || echo "(rustup could not add rustfmt/clippy; using what is installed)"

step "format: cargo fmt --check"
cargo fmt --all -- --check

step "lint: cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "tests: cargo test (real threads, shuttle, proptest, docs)"
cargo test

step "browser: the HTML pages in headless Chromium (tests/browser/)"
bash ci/browser.sh

step "loom: RUSTFLAGS=\"--cfg loom\" cargo test --release"
bash ci/loom.sh

if [ -f ci/optional.sh ]; then
    step "optional tools"
    bash ci/optional.sh
fi

printf '\nci/check.sh: all required steps passed in %ss\n' "$((SECONDS - started))"
