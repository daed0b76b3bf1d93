#!/usr/bin/env bash
# Fuzzes the readers of untrusted input on the stable toolchain: libFuzzer (the libfuzzer-sys
# crate, built from source with the system's C++ compiler) with the coverage instrumentation
# that rustc's stable `-C passes` and `-C llvm-args` give; no nightly sanitizer is needed,
# since the code under test is safe Rust and a panic or failed assertion is the finding.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     (targets: cell records encoding history; default all)
#
# Each target runs SECONDS of wall time on one core, one after another, starting from the
# seeds in fuzz/seeds/TARGET and its corpus in fuzz/corpus/TARGET (kept between runs, not
# committed). A crash is written to fuzz/artifacts/TARGET/ and stops the script with exit 1:
# turn it into a regression test before fixing. A summary line per target goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(cell records encoding history)

export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing"
# With an explicit --target, RUSTFLAGS reach only the fuzzed code, not build scripts.
triple="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --locked --manifest-path fuzz/Cargo.toml --target "$triple" --bins

for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    artifacts="fuzz/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    log="fuzz/artifacts/$target.log"
    echo "== $target: ${seconds}s"
    status=0
    "fuzz/target/$triple/release/$target" "$corpus" "fuzz/seeds/$target" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 2>"$log" || status=$?
    execs="$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')"
    echo "$target: ${seconds}s, ${execs:-?} executions, corpus $(ls "$corpus" | wc -l) inputs, exit $status"
    if [ "$status" -ne 0 ]; then
        grep -m5 -E 'panicked|ERROR|SUMMARY' "$log" >&2 || true
        echo "$target: a finding is in $artifacts/ (log: $log)" >&2
        exit 1
    fi
done
