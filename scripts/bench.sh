#!/usr/bin/env bash
# End-to-end benchmark of `contact-audit audit`, side by side in one interleaved run: the floor
# (examples/csv_scan.rs, a plain single-threaded CSV scan touching every byte of the same file),
# the audit with every output, `--outputs summary`, `-j1`, with a call history, history only,
# and the Python peer (csv + phonenumbers, scripts/peer/audit.py, in a virtual environment).
#
# Usage: scripts/bench.sh [--runs N] [--big] [--no-peer] [--no-build] [--write]
#   --runs N    rounds (default 3); every command runs once per round, in turn, and the table
#               gives the median wall and CPU time and the largest peak RSS
#   --big       also 3M and 10M contact rows, 30M attempts history-only, and 10M customers
#               with 30M attempts (one round each; about 3 GB of generated data)
#   --no-peer   skip the Python peer (it needs `pip install phonenumbers` once, from PyPI)
#   --no-build  use the binaries already built
#   --write     also put the table into BENCHMARKS.md, between its bench.sh markers
#
# From a fresh clone this needs only the Rust toolchain and python3; it installs GNU time and the
# Python venv module with apt-get when missing and running as root. Data are generated with fixed
# seeds (scripts/gen_contacts.py, gen_calls.py, gen_attempts.py). Everything it writes stays under
# target/bench/. Timing: /usr/bin/time -v per run (wall, user + system CPU, peak RSS).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=3 BIG=0 PEER=1 BUILD=1 WRITE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=${2:?--runs needs a number}; shift ;;
        --runs=*) RUNS=${1#--runs=} ;;
        --big) BIG=1 ;;
        --no-peer) PEER=0 ;;
        --no-build) BUILD=0 ;;
        --write) WRITE=1 ;;
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
mkdir -p "$BENCH"
log() { printf '== %s\n' "$*" >&2; }
apt_install() { # package: quietly, refreshing the package lists once if needed (root only)
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >"$BENCH/apt-$1.log" 2>&1 ||
        { apt-get update -q >>"$BENCH/apt-$1.log" 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >>"$BENCH/apt-$1.log" 2>&1; }
}

# --- tools and binaries ------------------------------------------------------------------------
/usr/bin/time -v true >/dev/null 2>&1 || apt_install time ||
    { echo "bench.sh: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
if [ "$BUILD" -eq 1 ]; then
    log "build (release)"
    cargo build --release --locked --bin contact-audit --example csv_scan
fi
for bin in "$AUDIT" "$FLOOR"; do
    [ -x "$bin" ] || { echo "bench.sh: $bin is missing; build it (or drop --no-build)" >&2; exit 1; }
done
PY=""
if [ "$PEER" -eq 1 ]; then
    VENV="$BENCH/venv"
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; } || true
    fi
    if [ -x "$VENV/bin/python" ] && { "$VENV/bin/python" -c 'import phonenumbers' 2>/dev/null ||
        "$VENV/bin/pip" install -q 'phonenumbers==9.0.43' >"$BENCH/pip.log" 2>&1; }; then
        PY="$VENV/bin/python"
    else
        echo "bench.sh: no Python peer (venv or pip install phonenumbers failed; see $BENCH/pip.log)" >&2
    fi
fi

# --- data (seeded, generated once) -------------------------------------------------------------
gen() { # path command...: run the generator into path.tmp, then move it into place
    local path=$1; shift
    [ -s "$path" ] && return
    log "generate ${path#"$ROOT"/}"
    "$@" --out "$path.tmp" >/dev/null
    mv "$path.tmp" "$path"
}
C50K="$BENCH/contacts-50k.csv" C1M="$BENCH/contacts-1m.csv" CALLS1M="$BENCH/calls-1m.csv"
A3M="$BENCH/attempts-3m.csv" ONE="$BENCH/one.csv"
gen "$C50K" python3 scripts/gen_contacts.py --rows 50000 --seed 1
gen "$C1M" python3 scripts/gen_contacts.py --rows 1000000 --seed 1
gen "$CALLS1M" python3 scripts/gen_calls.py --contacts "$C1M" --seed 1
gen "$A3M" python3 scripts/gen_attempts.py --rows 3000000 --numbers 1000000 --seed 1
printf '客户编号,手机\nKH1,13900000000\n' >"$ONE"
if [ "$BIG" -eq 1 ]; then
    C3M="$BENCH/contacts-3m.csv" C10M="$BENCH/contacts-10m.csv" A30M="$BENCH/attempts-30m.csv"
    gen "$C3M" python3 scripts/gen_contacts.py --rows 3000000 --seed 1
    gen "$C10M" python3 scripts/gen_contacts.py --rows 10000000 --seed 1
    gen "$A30M" python3 scripts/gen_attempts.py --rows 30000000 --numbers 10000000 --seed 1
fi
lines() { echo $(($(wc -l <"$1") - 1)); }

# --- the runs ----------------------------------------------------------------------------------
# name|rows|floor it is compared with|command. Every command runs once per round, in this order.
OUT="$BENCH/out"
A=("$AUDIT" audit --quiet --exit-zero --force --as-of 2026-11-30)
JOBS=(
    "floor-50k|$(lines "$C50K")||$FLOOR $C50K"
    "audit-50k|$(lines "$C50K")|floor-50k|${A[*]} $C50K --out $OUT -j2"
    "floor-1m|$(lines "$C1M")||$FLOOR $C1M"
    "audit-1m|$(lines "$C1M")|floor-1m|${A[*]} $C1M --out $OUT -j2"
    "audit-1m-summary|$(lines "$C1M")|floor-1m|${A[*]} $C1M --out $OUT -j2 --outputs summary"
    "audit-1m-j1|$(lines "$C1M")|floor-1m|${A[*]} $C1M --out $OUT -j1"
    "audit-1m-history|$(lines "$C1M")|floor-1m|${A[*]} $C1M --out $OUT -j2 --history $CALLS1M"
    "history-3m|$(lines "$A3M")||${A[*]} $ONE --out $OUT -j2 --history $A3M"
)
[ -z "$PY" ] || JOBS+=("python-50k|$(lines "$C50K")|floor-50k|$PY scripts/peer/audit.py $C50K $BENCH/peer.csv")
BIG_JOBS=()
if [ "$BIG" -eq 1 ]; then
    BIG_JOBS=(
        "floor-3m|$(lines "$C3M")||$FLOOR $C3M"
        "audit-3m|$(lines "$C3M")|floor-3m|${A[*]} $C3M --out $OUT -j2"
        "floor-10m|$(lines "$C10M")||$FLOOR $C10M"
        "audit-10m|$(lines "$C10M")|floor-10m|${A[*]} $C10M --out $OUT -j2"
        # gen_calls.py holds a whole contact file in memory (3.6 GB at 1M rows): at 10M the
        # history is gen_attempts.py's 30M attempts, whose numbers mostly match no contact.
        "audit-10m-history|$(lines "$C10M")|floor-10m|${A[*]} $C10M --out $OUT -j2 --history $A30M"
        "history-30m|$(lines "$A30M")||${A[*]} $ONE --out $OUT -j2 --history $A30M"
    )
    [ -z "$PY" ] || BIG_JOBS+=("python-1m|$(lines "$C1M")|floor-1m|$PY scripts/peer/audit.py $C1M $BENCH/peer.csv")
fi

TIMES="$BENCH/times.tsv"
: >"$TIMES"
run_job() { # job: one timed run, appended to $TIMES as name, wall, cpu, rss KiB
    local name=${1%%|*} cmd=${1##*|} f="$BENCH/time.txt"
    # Word splitting of $cmd is wanted: the paths under target/bench have no spaces.
    # shellcheck disable=SC2086
    if ! /usr/bin/time -v -o "$f" $cmd >/dev/null 2>"$BENCH/stderr-$name.txt"; then
        echo "bench.sh: $name failed (see $BENCH/stderr-$name.txt)" >&2
        exit 1
    fi
    awk -F': ' -v n="$name" '
        /Elapsed \(wall clock\)/ { k = split($2, p, ":"); w = (k == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
        END { printf "%s\t%.3f\t%.3f\t%d\n", n, w, u + s, r }' "$f" >>"$TIMES"
}
for job in "${JOBS[@]}"; do run_job "$job"; done # warm-up round, not counted
: >"$TIMES"
for ((r = 1; r <= RUNS; r++)); do
    log "round $r of $RUNS"
    for job in "${JOBS[@]}"; do run_job "$job"; done
done
for job in "${BIG_JOBS[@]}"; do log "${job%%|*} (one run)"; run_job "$job"; done

# --- the table ---------------------------------------------------------------------------------
TABLE="$BENCH/results.md"
{
    echo "Taken $(date -u '+%Y-%m-%d %H:%M UTC') by \`scripts/bench.sh --runs $RUNS$([ "$BIG" -eq 1 ] && echo ' --big')\`" \
        "on $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo
    echo "| run | rows | wall s | CPU s | cores used | peak RSS MiB | / floor | rows/s |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for job in "${JOBS[@]}" "${BIG_JOBS[@]}"; do
        IFS='|' read -r name rows floor _ <<<"$job"
        awk -F'\t' -v n="$name" -v f="$floor" -v rows="$rows" '
            function median(a, k,    i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
            $1 == n { w[++k] = $2; c[k] = $3; if ($4 > r) r = $4 }
            $1 == f { fw[++m] = $2 }
            END {
                W = median(w, k); C = median(c, k)
                ratio = (m > 0) ? sprintf("%.1fx", W / median(fw, m)) : "-"
                printf "| %s | %d | %.2f | %.2f | %.2f | %.0f | %s | %.0f |\n", n, rows, W, C, C / W, r / 1024, ratio, rows / W
            }' "$TIMES"
    done
} >"$TABLE"
cat "$TABLE"
ratio() { # name-a name-b: median wall of a over b
    awk -F'\t' -v a="$1" -v b="$2" '$1 == a { x += $2; n++ } $1 == b { y += $2; m++ }
        END { if (n && m) printf "%.1f", (x / n) / (y / m); else printf "-" }' "$TIMES"
}
{
    echo
    echo "- \`-j2\` against \`-j1\` on 1M rows: $(ratio audit-1m-j1 audit-1m)x faster."
    if [ -n "$PY" ]; then
        echo "- Python peer against the audit on 50k rows: the audit is $(ratio python-50k audit-50k)x faster."
        if [ "$BIG" -eq 1 ]; then
            echo "- Python peer against the audit on 1M rows: the audit is $(ratio python-1m audit-1m)x faster."
        fi
    fi
} | tee -a "$TABLE"
echo "(saved to ${TABLE#"$ROOT"/}; raw times in ${TIMES#"$ROOT"/})" >&2

if [ "$WRITE" -eq 1 ]; then
    python3 - "$ROOT/BENCHMARKS.md" "$TABLE" <<'EOF'
import sys
doc, table = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().strip()
text = open(doc, encoding="utf-8").read()
begin, end = "<!-- bench.sh:begin -->", "<!-- bench.sh:end -->"
if begin not in text or end not in text:
    sys.exit(f"bench.sh: {doc} has no {begin} ... {end} block")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w", encoding="utf-8").write(f"{head}{begin}\n{table}\n{end}{tail}")
EOF
    echo "(table written into BENCHMARKS.md)" >&2
fi
