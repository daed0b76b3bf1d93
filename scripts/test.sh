#!/usr/bin/env bash
# The project's test command (README "Test"): formatting, lints, docs, then every test.
# CI runs it through .ci/run on a clean checkout; it needs the Rust toolchain and python3 (3.11+,
# standard library only) for the derived-rules check.
set -euo pipefail
cd "$(dirname "$0")/.."

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
