#!/usr/bin/env bash
# Browser tests: racelab's HTML pages (`--format html`) driven in headless Chromium through
# ChromeDriver (tests/browser/, a separate crate so `cargo test` needs no browser).
#
# In CI (CI=true) Chromium and ChromeDriver are installed from Debian's packages when
# missing, and a failed install fails the run. Elsewhere a missing browser skips the tests
# with the reason. The screenshot the tests take is left in target/browser/ (CI artifact);
# `UPDATE_SCREENSHOT=1 bash ci/browser.sh` also copies it to the README's picture.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
    command -v chromedriver >/dev/null 2>&1 &&
        { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
}

if ! have_browser; then
    if [ "${CI:-}" = "true" ]; then
        echo "installing chromium and chromium-driver (apt-get)"
        sudo_cmd=""
        if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
        have_browser || { echo "FAILED: chromium/chromedriver still missing after apt-get"; exit 1; }
    else
        echo "SKIPPED browser tests: chromium and chromedriver are not installed"
        echo "  (Debian: apt-get install chromium chromium-driver; CI installs them)"
        exit 0
    fi
fi
chromium --version 2>/dev/null || chromium-browser --version
chromedriver --version

manifest=tests/browser/Cargo.toml
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo fmt --manifest-path "$manifest" -- --check
cargo clippy --manifest-path "$manifest" --all-targets -- -D warnings
cargo test --manifest-path "$manifest"
echo "screenshot: $CARGO_TARGET_DIR/browser/counter-unlocked.png"
if [ "${UPDATE_SCREENSHOT:-}" = "1" ]; then
    cp "$CARGO_TARGET_DIR/browser/counter-unlocked.png" tests/browser/counter-unlocked.png
    echo "copied to tests/browser/counter-unlocked.png (the README's picture)"
fi
