#!/bin/sh
# Regenerate real benchmark.js (2.1.4, Debian bookworm node-benchmark) output:
# several suites that reuse the same benchmark names, printed the way
# benchmark.js users usually do (String(event.target) per cycle, a header per
# suite, and "Fastest is ...").
#
# Needs: apt-get install -y node-benchmark   (and a `node` on PATH)
# Debian installs the module under /usr/share/nodejs/benchmark; a node that is
# not Debian's (e.g. nodesource) does not search there, so NODE_PATH is set.
#
# Usage: benchmarkjs.sh [OUTDIR]   (default: ./out/benchmarkjs)
# Writes: OUTDIR/console.txt (stdout+stderr), OUTDIR/bench.js (the program),
#         OUTDIR/results.json (this script's own side dump, not a tool format)
set -eu

OUTDIR=${1:-./out/benchmarkjs}
NODE=${NODE:-node}
MODDIR=${BENCHMARKJS_DIR:-/usr/share/nodejs}
if [ ! -f "$MODDIR/benchmark/benchmark.js" ]; then
  echo "missing $MODDIR/benchmark: apt-get install -y node-benchmark" >&2
  exit 1
fi
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bjs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# The program is the one committed beside its output, so the two cannot drift apart.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cp "$ROOT/Tests/Corpus/benchmarkjs-2.1.4/bench.js" "$WORK/bench.js"

cp "$WORK/bench.js" "$OUTDIR/bench.js"
cd "$WORK"
NODE_PATH="$MODDIR${NODE_PATH:+:$NODE_PATH}" BENCH_DUMP="$OUTDIR/results.json" \
  "$NODE" bench.js > "$OUTDIR/console.txt" 2>&1
{
  echo "node $("$NODE" --version)"
  echo "benchmark.js $(NODE_PATH="$MODDIR" "$NODE" -e 'process.stdout.write(require("benchmark").version)')"
} > "$OUTDIR/versions.txt"
echo "wrote $OUTDIR"
