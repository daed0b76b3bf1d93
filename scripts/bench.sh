#!/usr/bin/env bash
# End-to-end benchmark of `contact-audit audit` against the floor (examples/csv_scan.rs: a plain
# single-threaded CSV scan of the same file).
#
# Usage: scripts/bench.sh [--big] [--runs N] [--floor-only] [--no-build]
#   --big         also generate a 10M-row file (about 850 MB, a couple of minutes of Python) and
#                 measure the audit's wall time and peak RSS on it
#   --runs N      timed runs per command (default 5, after one warm-up run)
#   --floor-only  time only the floor (for builds without the audit subcommand)
#   --no-build    use the binaries already built
#
# Builds `cargo build --release --bin contact-audit --example csv_scan` (binaries go to
# $CARGO_TARGET_DIR/release, default target/release). Generates target/bench/contacts-1m.csv
# (1M rows, UTF-8, scripts/gen_contacts.py --seed 1) when missing. Times with hyperfine, which it
# installs with apt-get when missing and running as root; otherwise it falls back to timing with
# bash (mean of the runs). Peak RSS comes from GNU time (/usr/bin/time -v; package `time`).
# Everything this script writes (data, audit outputs, timing files) stays under target/bench/.
#
# The audit is run as:
#   contact-audit audit INPUT --out target/bench/out --quiet --exit-zero --threads N
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BIG=0
RUNS=5
FLOOR_ONLY=0
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --big) BIG=1 ;;
        --runs) RUNS=${2:?--runs needs a number}; shift ;;
        --runs=*) RUNS=${1#--runs=} ;;
        --floor-only) FLOOR_ONLY=1 ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "bench.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

BENCH="$ROOT/target/bench"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
AUDIT="$TARGET_DIR/release/contact-audit"
FLOOR="$TARGET_DIR/release/examples/csv_scan"
DATA_1M="$BENCH/contacts-1m.csv"
DATA_10M="$BENCH/contacts-10m.csv"
OUT="$BENCH/out"
mkdir -p "$BENCH"

log() { printf '\n== %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }
apt_install() { # package: install quietly, refreshing the package lists once if needed
    command -v apt-get >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >"$BENCH/apt-$1.log" 2>&1 && return 0
    apt-get update -q >>"$BENCH/apt-$1.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >>"$BENCH/apt-$1.log" 2>&1
}

# --- build -------------------------------------------------------------------------------------
if [ "$BUILD" -eq 1 ]; then
    log "build (release)"
    if [ "$FLOOR_ONLY" -eq 1 ]; then
        cargo build --release --example csv_scan
    else
        cargo build --release --bin contact-audit --example csv_scan
    fi
fi
for bin in "$FLOOR" $([ "$FLOOR_ONLY" -eq 1 ] || echo "$AUDIT"); do
    [ -x "$bin" ] || { echo "bench.sh: $bin is missing; build it first (or drop --no-build)" >&2; exit 1; }
done

# --- data --------------------------------------------------------------------------------------
gen_data() { # rows path
    if [ ! -s "$2" ]; then
        log "generate $2 ($1 rows)"
        python3 scripts/gen_contacts.py --rows "$1" --seed 1 --out "$2.tmp"
        mv "$2.tmp" "$2"
    fi
}
gen_data 1000000 "$DATA_1M"
[ "$BIG" -eq 1 ] && gen_data 10000000 "$DATA_10M"

# --- tools -------------------------------------------------------------------------------------
HAVE_HF=0
if command -v hyperfine >/dev/null; then
    HAVE_HF=1
elif is_root; then
    log "install hyperfine"
    if apt_install hyperfine && command -v hyperfine >/dev/null; then HAVE_HF=1; fi
fi
[ "$HAVE_HF" -eq 1 ] || echo "bench.sh: hyperfine not available; timing with bash (mean of $RUNS runs)" >&2

GNU_TIME=""
if ! /usr/bin/time -v true >/dev/null 2>&1 && is_root; then
    log "install time"
    apt_install time || true
fi
if /usr/bin/time -v true >/dev/null 2>&1; then GNU_TIME=/usr/bin/time; fi
[ -n "$GNU_TIME" ] || echo "bench.sh: GNU time not available; peak RSS not measured" >&2

# --- measuring ---------------------------------------------------------------------------------
declare -A WALL SD RSS ROWS
NAMES=()

now_ns() { date +%s%N; }

time_cmd() { # name cmd...: mean wall seconds of $RUNS runs -> WALL[name], SD[name]
    local name=$1; shift
    NAMES+=("$name")
    if [ "$HAVE_HF" -eq 1 ]; then
        local cmd
        cmd=$(printf '%q ' "$@")
        hyperfine --warmup 1 --runs "$RUNS" --style basic --command-name "$name" \
            --export-json "$BENCH/hyperfine-$name.json" "$cmd" >&2
        read -r "WALL[$name]" "SD[$name]" < <(python3 - "$BENCH/hyperfine-$name.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']:.4f} {r.get('stddev') or 0:.4f}")
EOF
)
    else
        "$@" >/dev/null # warm-up
        local i t0 t1 times=()
        for ((i = 0; i < RUNS; i++)); do
            t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns)
            times+=("$((t1 - t0))")
        done
        read -r "WALL[$name]" "SD[$name]" < <(printf '%s\n' "${times[@]}" | awk '
            { s += $1; q += $1 * $1; n++ }
            END { m = s / n; v = q / n - m * m; if (v < 0) v = 0; printf "%.4f %.4f\n", m / 1e9, sqrt(v) / 1e9 }')
        echo "$name: mean ${WALL[$name]} s (sd ${SD[$name]} s, $RUNS runs)" >&2
    fi
}

rss_cmd() { # name cmd...: peak RSS in KiB -> RSS[name]; wall of this single run if not timed yet
    local name=$1; shift
    if [ -z "$GNU_TIME" ]; then RSS[$name]=""; return; fi
    local f="$BENCH/time-$name.txt" t0 t1
    t0=$(now_ns)
    "$GNU_TIME" -v -o "$f" "$@" >/dev/null
    t1=$(now_ns)
    RSS[$name]=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$f")
    if [ -z "${WALL[$name]:-}" ]; then
        NAMES+=("$name")
        WALL[$name]=$(awk -v d="$((t1 - t0))" 'BEGIN { printf "%.4f", d / 1e9 }')
        SD[$name]="(1 run)"
    fi
}

count_rows() { # file -> data rows, from the floor's own output
    "$FLOOR" "$1" | sed -n 's/^rows=\([0-9]*\) .*/\1/p'
}

check_audit() {
    if ! "$AUDIT" audit --help >/dev/null 2>&1; then
        echo "bench.sh: $AUDIT has no working 'audit' subcommand; rerun with --floor-only" >&2
        exit 1
    fi
    rm -rf "$OUT"
    if ! "$AUDIT" audit "$DATA_1M" --out "$OUT" --quiet --exit-zero --threads 2 >/dev/null; then
        echo "bench.sh: the audit failed on $DATA_1M (see above)" >&2
        exit 1
    fi
}

ROWS_1M=$(count_rows "$DATA_1M")
log "floor: csv_scan on $ROWS_1M rows"
time_cmd floor-1m "$FLOOR" "$DATA_1M"
ROWS[floor-1m]=$ROWS_1M
rss_cmd floor-1m "$FLOOR" "$DATA_1M"

if [ "$FLOOR_ONLY" -eq 0 ]; then
    check_audit
    for t in 2 1; do
        log "audit --threads $t on $ROWS_1M rows"
        time_cmd "audit-1m-t$t" "$AUDIT" audit "$DATA_1M" --out "$OUT" --quiet --exit-zero --threads "$t"
        ROWS[audit-1m-t$t]=$ROWS_1M
        rss_cmd "audit-1m-t$t" "$AUDIT" audit "$DATA_1M" --out "$OUT" --quiet --exit-zero --threads "$t"
    done
fi

if [ "$BIG" -eq 1 ]; then
    ROWS_10M=$(count_rows "$DATA_10M")
    log "10M rows: floor, then audit --threads 2 (one run each)"
    rss_cmd floor-10m "$FLOOR" "$DATA_10M"
    ROWS[floor-10m]=$ROWS_10M
    if [ "$FLOOR_ONLY" -eq 0 ]; then
        rss_cmd audit-10m-t2 "$AUDIT" audit "$DATA_10M" --out "$OUT" --quiet --exit-zero --threads 2
        ROWS[audit-10m-t2]=$ROWS_10M
    fi
fi

# --- summary -----------------------------------------------------------------------------------
SUMMARY="$BENCH/summary.txt"
{
    printf '\ncontact-audit benchmark  %s  %s, %s CPUs, timing: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        "$(uname -m)" "$(nproc)" "$([ "$HAVE_HF" -eq 1 ] && echo "hyperfine, $RUNS runs" || echo "bash, mean of $RUNS runs")"
    printf '%-14s %10s %10s %9s %12s %10s %12s\n' name rows "wall s" "sd s" rows/s audit/floor "peak RSS MiB"
    for n in "${NAMES[@]}"; do
        floor="floor-${n#*-}"; floor="${floor%-t*}"
        awk -v n="$n" -v rows="${ROWS[$n]}" -v w="${WALL[$n]}" -v sd="${SD[$n]}" \
            -v fw="${WALL[$floor]:-}" -v rss="${RSS[$n]:-}" 'BEGIN {
                ratio = (fw != "" && fw > 0) ? sprintf("%.2fx", w / fw) : "-"
                mib = (rss != "") ? sprintf("%.1f", rss / 1024) : "n/a"
                printf "%-14s %10d %10.3f %9s %12.0f %10s %12s\n", n, rows, w, sd, rows / w, ratio, mib
            }'
    done
} | tee "$SUMMARY"
echo "(summary saved to ${SUMMARY#"$ROOT"/})" >&2
