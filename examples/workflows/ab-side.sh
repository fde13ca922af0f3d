#!/bin/sh
# One side of an A/B run (perf-ab.yml): starts the service of the checkout it runs in, puts it
# under load with perf/load.sh, and stops it. redline's action runs it once per side and pair, in
# the pull request's checkout and in a worktree of its merge-base; both sides use this script and
# load.sh of the pull request (its $GITHUB_WORKSPACE), so only the service differs. Copy it to
# perf/ab-side.sh.
#
# usage: sh "$GITHUB_WORKSPACE/perf/ab-side.sh" OUTDIR     (writes OUTDIR/load.txt)
# environment: PORT and PERF_URL as for perf/load.sh; PERF_START, the command that starts the
# service (default: npm start).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: perf/ab-side.sh OUTDIR" >&2
    exit 2
fi
out=$1
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
mkdir -p "$out"

# ADAPT: how the service starts (it must listen on PORT and serve /metrics).
sh -c "${PERF_START:-npm start}" > "$out/service.log" 2>&1 &
service=$!
trap 'pkill -TERM -P "$service" 2>/dev/null || true; kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true' EXIT

# The metrics of this side are hey's report: redline ab reads one file per run.
PERF_METRICS='' sh "$here/load.sh" "$out" >&2
