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

step "differential: the exhaustive search against the independent oracle, 10,000 generated programs"
# cargo test compares a few hundred; this long run compares 10,000 (2-4 threads, about
# two thirds with 3 or 4) with a fixed seed, and 2,000 more under the default search.
RACELAB_DIFF_CASES=10000 cargo test --release --test differential -- --exact exhaustive_matches_the_oracle --nocapture
RACELAB_DIFF_CASES=2000 RACELAB_DIFF_SEED=0x5eed2 cargo test --release --test differential -- --exact auto_matches_the_oracle --nocapture

step "browser: the HTML pages in headless Chromium (tests/browser/)"
bash ci/browser.sh

step "loom: RUSTFLAGS=\"--cfg loom\" cargo test --release"
bash ci/loom.sh

if [ -f ci/optional.sh ]; then
    step "optional tools"
    bash ci/optional.sh
fi

printf '\nci/check.sh: all required steps passed in %ss\n' "$((SECONDS - started))"
