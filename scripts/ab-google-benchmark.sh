#!/bin/sh
# End to end: `redline ab` on a real Google Benchmark program, built twice from
# one source (Tests/RedlineEndToEndTests/RealTools/bench.cpp), on a quiet machine.
#
# usage: scripts/ab-google-benchmark.sh [--aa N] [REDLINE_BINARY]
#
# Prints, then asserts:
#   1. A/A: N interleaved runs of up to 10 pairs (default 10), each with its
#      own seed, the two identical binaries as base and head: at most one run
#      of N fails (a false alarm needs a change past the 10% limit at the test's
#      level; at the measured 2% rate for a 10% spread, two of ten happen in
#      under 2% of CI runs, and a quiet machine's spread is far below 10%);
#   2. a head 20% slower (REDLINE_EXTRA_PERCENT=20) fails on
#      BM_Sort/8192 [cpu_time] within 20 pairs.
# Gated: BM_Sort's CPU times; every other series is reported only.
# A timing check, so it runs alone in .ci/run (not beside the other tests,
# whose load once moved an A/A pair's CPU time by 13%). Needs g++ and
# libbenchmark-dev. REDLINE_BINARY defaults to .build/release/redline.
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
AA=10
while [ $# -gt 0 ]; do
  case $1 in
    --aa) AA=$2; shift 2 ;;
    -*) echo "ab-google-benchmark.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
REDLINE=${1:-$ROOT/.build/release/redline}
[ -x "$REDLINE" ] || { echo "ab-google-benchmark.sh: no redline binary at $REDLINE" >&2; exit 2; }
case $REDLINE in /*) ;; *) REDLINE=$PWD/$REDLINE ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/redline-ab-gb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"
for side in bench-base bench-head; do
  g++ -O2 -std=c++17 "$ROOT/Tests/RedlineEndToEndTests/RealTools/bench.cpp" -o "$side" -lbenchmark -lpthread
done
# `[` starts a character class in a budgets key: escaped, each key is one exact name.
cat > budgets.json <<'EOF'
{"metrics": {"BM_Sort/1024 \\[cpu_time]": {}, "BM_Sort/8192 \\[cpu_time]": {}, "*": {"gate": false}}}
EOF
FLAGS="--benchmark_filter=BM_Sort --benchmark_repetitions=3 --benchmark_min_time=0.05 --benchmark_out=out.json --benchmark_out_format=json"

alarms=0
n=1
while [ "$n" -le "$AA" ]; do
  status=0
  "$REDLINE" ab --base "./bench-base $FLAGS >/dev/null" --head "./bench-head $FLAGS >/dev/null" \
    --out out.json --pairs 10 --seed "$n" > aa.txt 2> aa.err || status=$?
  summary=$(grep '^redline:' aa.txt | tail -n 1)
  echo "A/A run $n: exit $status: $summary"
  case $status in
    0) ;;
    1) alarms=$((alarms + 1)); cat aa.txt ;;
    *) cat aa.txt aa.err; exit 1 ;;
  esac
  n=$((n + 1))
done
echo "A/A: $alarms false alarm(s) in $AA runs"

status=0
"$REDLINE" ab --base "./bench-base $FLAGS >/dev/null" --head "REDLINE_EXTRA_PERCENT=20 ./bench-head $FLAGS >/dev/null" \
  --out out.json --pairs 20 --json result.json > slower.txt 2> slower.err || status=$?
grep -E '^ *(FAIL|ok) +BM_Sort/[0-9]+ \[cpu_time\]|^redline:' slower.txt || true
verdict=$(python3 -c '
import json, sys
metrics = json.load(open("result.json"))["metrics"]
print(next((m["verdict"] for m in metrics if m["name"] == "BM_Sort/8192 [cpu_time]"), "absent"))')
echo "20% slower head: exit $status, BM_Sort/8192 [cpu_time] $verdict"

[ "$alarms" -le 1 ] || { echo "A/A failed $alarms of $AA runs (at most 1 expected)"; exit 1; }
if [ "$status" -ne 1 ] || [ "$verdict" != regressed ]; then
  cat slower.txt slower.err
  echo "the 20% slower head was not caught"
  exit 1
fi
