#!/bin/sh
# The load test of the copyable workflows: puts the running service under load with hey and
# scrapes its Prometheus /metrics, writing the two files redline reads. Copy it to
# perf/load.sh in your repository (the workflows call it by that path) and set the routes.
#
# usage: perf/load.sh OUTDIR
# environment (all optional):
#   PERF_URL       the service's base URL             (default http://127.0.0.1:3000)
#   PERF_ROUTE     the route under load, with its query (default /health)
#   PERF_SECONDS   how long the load runs, in seconds  (default 10)
#   PERF_WORKERS   concurrent connections              (default 8)
#   PERF_METRICS   the metrics route, '' for none       (default /metrics)
# Writes OUTDIR/load.txt (hey's report) and OUTDIR/metrics.prom (the scrape after the load).
# Exits non-zero when the service does not answer, so a dead service never passes the gate
# as "no metrics".
set -eu

if [ $# -ne 1 ]; then
    echo "usage: perf/load.sh OUTDIR" >&2
    exit 2
fi
out=$1
url=${PERF_URL:-http://127.0.0.1:3000}
route=${PERF_ROUTE:-/health}
seconds=${PERF_SECONDS:-10}
workers=${PERF_WORKERS:-8}
metrics=${PERF_METRICS-/metrics}

command -v hey >/dev/null 2>&1 || { echo "perf/load.sh: hey is not installed (apt-get install hey)" >&2; exit 2; }
mkdir -p "$out"

# Wait up to 30 s for the service, then warm it up so that the gated load is steady state.
tries=0
until curl -fsS -o /dev/null "$url$route"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "perf/load.sh: $url$route did not answer within 30 s" >&2
        exit 1
    fi
    sleep 0.5
done
hey -z 2s -c "$workers" "$url$route" > /dev/null

# The gated load: bounded in time, and in requests through the timeout of each.
hey -z "${seconds}s" -c "$workers" -t 10 "$url$route" > "$out/load.txt"
if [ -n "$metrics" ]; then
    curl -fsS "$url$metrics" > "$out/metrics.prom"
fi
echo "perf/load.sh: wrote $out/load.txt${metrics:+ and $out/metrics.prom}"
