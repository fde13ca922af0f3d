#!/bin/sh
# Load-test the example web service and gate the result with redline.
#
# usage: run.sh [--no-index] OUTDIR [REDLINE_BINARY]
#
# Starts service.py on a free port of 127.0.0.1 (with --no-index: without
# idx_users_email), puts it under load with hey (5 s on the email lookup,
# then 1 s each on /users/<id> and POST /orders), scrapes /metrics, stops the
# service and runs
#
#   redline check --current OUTDIR/load.txt --current OUTDIR/metrics.prom
#                 --budgets budgets.json --baseline baseline.json
#                 --report OUTDIR/report.md --json OUTDIR/result.json
#
# (budgets.json and baseline.json beside this script). Exits with redline's
# exit code: 0 passed, 1 the gate failed, 2 nothing was judged; 2 as well when
# the load test itself could not run. REDLINE_BINARY defaults to redline on
# PATH, else .build/release/redline of this repository.
#
# Needs python3, curl and hey (Debian/Ubuntu: apt-get install hey;
# macOS: brew install hey).
set -eu

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
ROOT=$(CDPATH='' cd -- "$HERE/../.." && pwd)

usage() {
    echo "usage: $0 [--no-index] OUTDIR [REDLINE_BINARY]" >&2
    exit 2
}

# Anything that goes wrong before redline runs exits 2, like redline's "nothing
# was judged", never 1, which means the gate failed.
die() {
    echo "run.sh: $*" >&2
    exit 2
}

INDEX_FLAG=
if [ "${1:-}" = "--no-index" ]; then
    INDEX_FLAG=--no-index
    shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
case $1 in -*) usage ;; esac
case ${2:-} in -*) usage ;; esac
OUTDIR=$1
if [ $# -eq 2 ]; then
    REDLINE=$2
elif command -v redline >/dev/null 2>&1; then
    REDLINE=redline
else
    REDLINE=$ROOT/.build/release/redline
fi

for tool in python3 curl hey; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is not installed (hey: apt-get install hey, or brew install hey)"
done
command -v "$REDLINE" >/dev/null 2>&1 ||
    die "no redline binary at $REDLINE; build it with 'swift build -c release' or pass its path"

mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"
OUTDIR=$(CDPATH='' cd -- "$OUTDIR" && pwd) || die "cannot enter $OUTDIR"
rm -f "$OUTDIR/load.txt" "$OUTDIR/load-by-id.txt" "$OUTDIR/load-orders.txt" \
    "$OUTDIR/metrics.prom" "$OUTDIR/report.md" "$OUTDIR/result.json" ||
    die "cannot clean $OUTDIR"

# --- the service: started here, stopped by the trap (only this PID) -------

SVC_PID=
stop_service() {
    [ -n "$SVC_PID" ] || return 0
    kill "$SVC_PID" 2>/dev/null || true
    i=0
    while kill -0 "$SVC_PID" 2>/dev/null && [ "$i" -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL "$SVC_PID" 2>/dev/null || true
    wait "$SVC_PID" 2>/dev/null || true
    SVC_PID=
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck disable=SC2086 # INDEX_FLAG is empty or one word
python3 "$HERE/service.py" 0 $INDEX_FLAG >"$OUTDIR/service.log" 2>&1 &
SVC_PID=$!

# The service prints its port once the database is seeded (a few seconds).
PORT=
i=0
while [ -z "$PORT" ]; do
    if ! kill -0 "$SVC_PID" 2>/dev/null; then
        cat "$OUTDIR/service.log" >&2
        die "the service exited during start-up (its output is above)"
    fi
    if [ "$i" -ge 600 ]; then
        cat "$OUTDIR/service.log" >&2
        die "the service did not start within 60 s (its output is above)"
    fi
    sleep 0.1
    i=$((i + 1))
    PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\) .*|\1|p' "$OUTDIR/service.log")
done
BASE=http://127.0.0.1:$PORT
i=0
until curl -fsS -o /dev/null --max-time 2 "$BASE/health" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 50 ] || die "$BASE/health did not answer within 5 s"
    sleep 0.1
done
echo "run.sh: service up on $BASE ($(sed -n 's/.*(\(.*\))$/\1/p' "$OUTDIR/service.log"))" >&2

# --- the load test ---------------------------------------------------------

# hey hits one URL: an email that exists (user N is userN@example.com). The
# gated figures (latency, throughput, error rate) come from this run.
hey -z 5s -c 8 "$BASE/users?email=user150000%40example.com" >"$OUTDIR/load.txt" ||
    die "hey failed on the email lookup"
# Short runs on the other endpoints, so that /metrics has their series too;
# their hey output is kept for reading but not gated.
hey -z 1s -c 4 "$BASE/users/4242" >"$OUTDIR/load-by-id.txt" ||
    die "hey failed on /users/<id>"
hey -z 1s -c 4 -m POST -T application/json \
    -d '{"user_id": 4242, "amount_cents": 1999}' "$BASE/orders" >"$OUTDIR/load-orders.txt" ||
    die "hey failed on POST /orders"

curl -fsS --max-time 10 -o "$OUTDIR/metrics.prom" "$BASE/metrics" ||
    die "could not scrape $BASE/metrics"
stop_service

# --- the gate ----------------------------------------------------------------

rc=0
"$REDLINE" check \
    --current "$OUTDIR/load.txt" \
    --current "$OUTDIR/metrics.prom" \
    --budgets "$HERE/budgets.json" \
    --baseline "$HERE/baseline.json" \
    --report "$OUTDIR/report.md" \
    --json "$OUTDIR/result.json" || rc=$?
exit "$rc"
