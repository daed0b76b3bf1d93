#!/usr/bin/env bash
# The project's test command (README "Test"): formatting, lints, docs, then every test.
# CI runs it through .ci/run on a clean checkout; it needs the Rust toolchain and python3 (3.11+,
# standard library only) for the derived-rules check, and headless Chromium for the browser test
# of report.html (tests/integration/browser.rs), which it installs from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's chromium (and CJK fonts, so the Chinese labels render as text, not boxes) for the
# browser test: only as root with apt-get, quietly, the log in target/. Under CI the test fails
# without a browser; elsewhere it says it skipped.
have_browser() { command -v chromium || command -v chromium-browser || command -v google-chrome; } >/dev/null
if ! have_browser && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "== installing chromium and fonts-noto-cjk for the browser test (log: target/apt-chromium.log)"
    mkdir -p target
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; }
    } >target/apt-chromium.log 2>&1 || echo "test.sh: installing chromium failed; see target/apt-chromium.log" >&2
fi

echo "== derived rules match rules/sources (scripts/derive_rules.py --check)"
python3 scripts/derive_rules.py --check

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy (warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings
echo "== cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --document-private-items --quiet
echo "== cargo test"
cargo test --locked
echo "== rules check and the README's run command on the bundled examples"
cargo run --locked --quiet -- rules check
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --locked --quiet -- audit examples/contacts.csv --history examples/calls.csv --out "$out" --quiet --exit-zero
test -s "$out/summary.json"
test -s "$out/report.html"
