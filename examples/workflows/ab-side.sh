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

url=${PERF_URL:-http://127.0.0.1:3000}
# A service still answering is the other side's, not yet stopped: measuring it would compare
# a build with itself.
if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
    echo "perf/ab-side.sh: $url already answers before this side's service started" >&2
    exit 2
fi

# ADAPT: how the service starts (it must listen on PORT and serve /metrics). It runs in a
# process group of its own, so that the whole group (npm and the node it starts) is stopped.
setsid sh -c "${PERF_START:-npm start}" > "$out/service.log" 2>&1 &
service=$!
stop() {
    kill -TERM -- "-$service" 2>/dev/null || true
    i=0
    while kill -0 -- "-$service" 2>/dev/null && [ "$i" -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL -- "-$service" 2>/dev/null || true
}
trap stop EXIT

# The metrics of this side are hey's report: redline ab reads one file per run.
PERF_METRICS='' sh "$here/load.sh" "$out" >&2
kill -0 "$service" 2>/dev/null || { echo "perf/ab-side.sh: the service stopped during the load (service.log)" >&2; exit 1; }
