#!/bin/sh
# Regenerate real callgrind and cachegrind output (valgrind 3.19.0, Debian bookworm) of a small
# C program (Tests/Corpus/valgrind-3.19.0/fib.c, a recursive Fibonacci).
#
# Needs: apt-get install -y valgrind gcc
#
# Usage: valgrind.sh [OUTDIR]   (default: ./out/valgrind)
# Writes into OUTDIR:
#   callgrind.out.fib20      callgrind, fib(20), named by --callgrind-out-file
#   cachegrind.out.fib20     cachegrind with its default cache simulation, fib(20)
#   cachegrind.out.branches  cachegrind --branch-sim=yes, fib(18): the branch events too
#   callgrind.out.PID        callgrind's default file name, fib(16): the benchmark is its cmd:
set -eu

OUTDIR=${1:-./out/valgrind}
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "missing valgrind: apt-get install -y valgrind" >&2; exit 1; }
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/valgrind.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"

gcc -O1 -g "$ROOT/Tests/Corpus/valgrind-3.19.0/fib.c" -o fib
valgrind -q --tool=callgrind --callgrind-out-file="$OUTDIR/callgrind.out.fib20" ./fib 20 > /dev/null
valgrind -q --tool=cachegrind --cachegrind-out-file="$OUTDIR/cachegrind.out.fib20" ./fib 20 > /dev/null
valgrind -q --tool=cachegrind --branch-sim=yes --cachegrind-out-file="$OUTDIR/cachegrind.out.branches" ./fib 18 > /dev/null
valgrind -q --tool=callgrind ./fib 16 > /dev/null
mv callgrind.out.* "$OUTDIR/"
