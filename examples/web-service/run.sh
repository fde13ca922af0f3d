#!/bin/sh
# Load-test the example web service (Node.js on PostgreSQL and Redis) and gate
# the result with redline.
#
# usage: run.sh [SWITCH]... [--stack DIR] [--no-check] OUTDIR [REDLINE_BINARY]
#
# Switches, each undoing one piece of the performance guide:
#   --no-index       no idx_users_email            (hurts databaseQueryTime)
#   --no-pg-pool     a new pg Client per request   (hurts pgConnectionAcquire)
#   --no-redis-pool  a new Redis connection per use (hurts redisConnectionAcquire)
#   --no-cache       no Redis cache for /summary and /orders (hurts cacheHitRatio)
#   --no-batching    the batch scenario calls /users/ID once per item instead
#                    of /batch once per 10 items          (hurts apiCallsPerBatch)
#   --slowdown PCT   every request waits PCT% of its own work time more
#                    (hurts apiResponseTime)
# Other options:
#   --stack DIR      use the PostgreSQL and Redis that `stack.sh up DIR` started
#                    (and seeded) instead of starting, seeding and stopping a
#                    pair of its own: scripts/web-service-e2e.sh pays the
#                    seeding once this way. Without it each run starts its own
#                    in a temporary directory (about 7 s more).
#   --no-check       write the metrics files only, do not run redline: for
#                    `redline baseline update --rerun` (see README.md)
#
# What it does: starts the service on a free port of 127.0.0.1, warms it up,
# then loads it (every load bounded both in requests and in seconds):
#   load.txt          hey, 100 workers, GET /users?email=…  (the gated latency)
#   load-orders.txt   hey, GET /orders?status=…&user=…
#   load-summary.txt  hey, GET /summary
#   batch-ab.txt      ab, 300 × GET /batch?ids=<10 ids> (--no-batching:
#                     3000 × GET /users/ID, one call per item)
#   metrics.prom      a scrape of /metrics after those loads
#   stress-*.txt      hey bursts at 32, 64, … 2048 workers until p95 > 500 ms
#   extra.json        native redline.metrics.v1: `api calls per batch`,
#                     `stress concurrency` and the batch scenario's figures
# and runs
#   redline check --current load.txt --current metrics.prom --current extra.json
#                 --budgets budgets.json --baseline baseline.json
#                 --report report.md --comment comment.md --json result.json
# (budgets.json and baseline.json beside this script, outputs in OUTDIR).
# Exits with redline's exit code: 0 passed, 1 the gate failed, 2 nothing was
# judged; 2 as well when the load test itself could not run. REDLINE_BINARY
# defaults to redline on PATH, else .build/release/redline of this repository.
#
# Needs node (18+) with node-pg and node-redis, PostgreSQL (the newest of
# /usr/lib/postgresql/*/bin, or PGBIN), redis-server, psql, redis-cli, hey, ab, curl,
# python3, timeout (Debian: apt-get install nodejs node-pg node-redis
# postgresql redis-server hey apache2-utils curl python3).
set -eu

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
ROOT=$(CDPATH='' cd -- "$HERE/../.." && pwd)

usage() {
    echo "usage: $0 [--no-index] [--no-pg-pool] [--no-redis-pool] [--no-cache] [--no-batching] [--slowdown PCT] [--stack DIR] [--no-check] OUTDIR [REDLINE_BINARY]" >&2
    exit 2
}

# Anything that goes wrong before redline runs exits 2, like redline's "nothing
# was judged", never 1, which means the gate failed.
die() {
    echo "run.sh: $*" >&2
    exit 2
}

log() {
    echo "run.sh: [$(($(date +%s) - T0)) s] $*" >&2
}
T0=$(date +%s)

SVC_FLAGS=
BATCHING=1
STACK=
CHECK=1
while [ $# -gt 0 ]; do
    case $1 in
        --no-index | --no-pg-pool | --no-redis-pool | --no-cache) SVC_FLAGS="$SVC_FLAGS $1" ;;
        --no-batching) BATCHING=0 ;;
        --slowdown)
            [ $# -ge 2 ] || usage
            case $2 in '' | *[!0-9]*) die "--slowdown needs a whole percentage, got '$2'" ;; esac
            SVC_FLAGS="$SVC_FLAGS --slowdown $2"
            shift
            ;;
        --stack)
            [ $# -ge 2 ] || usage
            STACK=$2
            shift
            ;;
        --no-check) CHECK=0 ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
    shift
done
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
case $1 in -*) usage ;; esac
OUTDIR=$1
if [ $# -eq 2 ]; then
    REDLINE=$2
elif command -v redline >/dev/null 2>&1; then
    REDLINE=redline
else
    REDLINE=$ROOT/.build/release/redline
fi
case $REDLINE in
    /*) ;;
    */*) REDLINE=$(pwd)/$REDLINE ;;
esac

for tool in node curl hey ab python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is not installed (see the header of this script for the Debian packages)"
done
node -e 'require("pg"); require("redis")' 2>/dev/null ||
    die "node cannot load pg and redis (Debian: apt-get install node-pg node-redis)"
command -v "$REDLINE" >/dev/null 2>&1 ||
    die "no redline binary at $REDLINE; build it with 'swift build -c release' or pass its path"

mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"
OUTDIR=$(CDPATH='' cd -- "$OUTDIR" && pwd) || die "cannot enter $OUTDIR"
for f in load.txt load-orders.txt load-summary.txt batch-ab.txt metrics.prom metrics-before-batch.prom \
    extra.json report.md comment.md result.json service.log; do
    rm -f "$OUTDIR/$f" || die "cannot clean $OUTDIR"
done
rm -f "$OUTDIR"/stress-*.txt "$OUTDIR"/warmup-*.txt

# --- the servers: started here, stopped by the trap (only what we started) ---

SVC_PID=
OWN_STACK=
# shellcheck disable=SC2317 # called by the trap and below
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
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    stop_service
    if [ -n "$OWN_STACK" ]; then
        sh "$HERE/stack.sh" down "$OWN_STACK" || true
        rm -rf "$OWN_STACK"
        OWN_STACK=
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "$STACK" ]; then
    OWN_STACK=$(mktemp -d "${TMPDIR:-/tmp}/redline-web-service-stack.XXXXXX") ||
        die "cannot create a temporary directory"
    STACK=$OWN_STACK
    log "starting PostgreSQL and Redis in $STACK and seeding"
    sh "$HERE/stack.sh" up "$STACK" || die "could not start PostgreSQL and Redis"
fi
[ -f "$STACK/stack.env" ] || die "$STACK/stack.env is missing: start the stack with '$HERE/stack.sh up $STACK'"
set -a
# shellcheck disable=SC1091 # written by stack.sh up
. "$STACK/stack.env"
set +a

# With two CPUs or more, the system under test (the service, and PostgreSQL
# and Redis, which stack.sh starts there) runs on CPU 0 and the load
# generator on CPU 1 (this script, so every load tool it starts): a load
# generator that competes with the service for its CPU makes the figures
# measure the scheduler (run to run, p95 moved by ±20% here without it).
# REDLINE_EXAMPLE_PIN=0 turns it off.
PIN=0
if [ "${REDLINE_EXAMPLE_PIN:-1}" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    PIN=1
    taskset -p -c 1 $$ >/dev/null
fi

# shellcheck disable=SC2086 # SVC_FLAGS holds known single-word flags
node "$HERE/server.js" $SVC_FLAGS >"$OUTDIR/service.log" 2>&1 &
SVC_PID=$!
[ "$PIN" -eq 0 ] || taskset -a -p -c 0 "$SVC_PID" >/dev/null

# The service prints its port once it is ready (the index set, Redis flushed).
PORT=
i=0
while [ -z "$PORT" ]; do
    if ! kill -0 "$SVC_PID" 2>/dev/null; then
        cat "$OUTDIR/service.log" >&2
        die "the service exited during start-up (its output is above)"
    fi
    if [ "$i" -ge 300 ]; then
        cat "$OUTDIR/service.log" >&2
        die "the service did not start within 30 s (its output is above)"
    fi
    sleep 0.1
    i=$((i + 1))
    PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\) .*|\1|p' "$OUTDIR/service.log")
done
BASE=http://127.0.0.1:$PORT
curl -fsS -o /dev/null --max-time 5 "$BASE/health" || die "$BASE/health did not answer"
log "service up on $BASE ($(sed -n 's/^listening.*(\(.*\))$/\1/p' "$OUTDIR/service.log")); batching $BATCHING"

# bounded SECONDS OUT TOOL ARGS...: run a load tool for at most SECONDS (it
# has its own request count too). hey and ab print their summary when
# interrupted, so a run cut short by the time limit still reports.
bounded() {
    secs=$1
    out=$2
    shift 2
    rc=0
    timeout -s INT -k 5 "$secs" "$@" >"$out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
        cat "$out" >&2
        die "$1 failed (exit $rc): $*"
    fi
}

EMAIL_URL="$BASE/users?email=user150000%40example.com"
ORDERS_URL="$BASE/orders?status=cancelled&user=4242"
BATCH_IDS=1001,2002,3003,4004,5005,6006,7007,8008,9009,10010
BATCH_SIZE=10

# --- warm-up: JIT, pool connections, PostgreSQL's buffers; not measured ------
bounded 10 "$OUTDIR/warmup-users.txt" hey -n 6000 -c 100 "$EMAIL_URL"
bounded 5 "$OUTDIR/warmup-orders.txt" hey -n 200 -c 2 "$ORDERS_URL"
bounded 5 "$OUTDIR/warmup-batch.txt" hey -n 200 -c 2 "$BASE/batch?ids=$BATCH_IDS"
log "warmed up"

# --- the gated load: the email lookup, 100 workers (100 users at once) -------
bounded 10 "$OUTDIR/load.txt" hey -n 30000 -c 100 "$EMAIL_URL"
grep -q '95% in' "$OUTDIR/load.txt" || { cat "$OUTDIR/load.txt" >&2; die "hey reported no latencies"; }
# The cached reads (their figures are in /metrics: route and cache series).
bounded 3 "$OUTDIR/load-orders.txt" hey -n 3000 -c 4 "$ORDERS_URL"
bounded 4 "$OUTDIR/load-summary.txt" hey -n 1000 -c 4 "$BASE/summary"
log "load done"

# --- the batch scenario (ab): 3000 user lookups by id -------------------------
# Batched: 300 calls of GET /batch with 10 ids each; --no-batching: the same
# 3000 lookups as 3000 calls of GET /users/ID. The calls are counted by the
# service (api_calls_total, lookup_items_total), scraped before and after.
curl -fsS --max-time 10 -o "$OUTDIR/metrics-before-batch.prom" "$BASE/metrics" || die "could not scrape $BASE/metrics"
batch_start=$(python3 -c 'import time; print(time.time())')
if [ "$BATCHING" -eq 1 ]; then
    bounded 15 "$OUTDIR/batch-ab.txt" ab -q -t 12 -n 300 -c 4 "$BASE/batch?ids=$BATCH_IDS"
else
    bounded 15 "$OUTDIR/batch-ab.txt" ab -q -t 12 -n 3000 -c 4 "$BASE/users/5005"
fi
batch_end=$(python3 -c 'import time; print(time.time())')
curl -fsS --max-time 10 -o "$OUTDIR/metrics.prom" "$BASE/metrics" || die "could not scrape $BASE/metrics"
log "batch scenario done, /metrics scraped"

# --- stress: ramp the workers until p95 crosses 500 ms (apiResponseTime's ---
# error budget) or errors appear; the last level that held is the result.
reached=0
for c in 32 64 128 256 512 1024 2048; do
    bounded 3 "$OUTDIR/stress-$c.txt" hey -n $((c * 20)) -c "$c" "$EMAIL_URL"
    p95=$(sed -n 's/^ *95% in \([0-9.]*\) secs.*/\1/p' "$OUTDIR/stress-$c.txt")
    bad=$(awk '/^Status code distribution:/ {s = 1; next} s && /^ *\[[0-9]+\]/ && $1 != "[200]" {n += $2} /^Error distribution:/ {n += 1} END {print n + 0}' "$OUTDIR/stress-$c.txt")
    if [ -z "$p95" ] || [ "$bad" -gt 0 ] || ! awk -v p="$p95" 'BEGIN {exit !(p <= 0.5)}'; then
        log "stress: $c workers: p95 ${p95:-none} s, $bad errors: over the limit"
        break
    fi
    reached=$c
    log "stress: $c workers: p95 $p95 s"
done
stop_service

# --- extra.json: what no tool reports by itself --------------------------------
python3 - "$OUTDIR/metrics-before-batch.prom" "$OUTDIR/metrics.prom" "$OUTDIR/batch-ab.txt" \
    "$BATCH_SIZE" "$reached" "$batch_start" "$batch_end" >"$OUTDIR/extra.json" <<'PY' ||
import json
import re
import sys

before_path, after_path, ab_path, batch_size, reached, start, end = sys.argv[1:8]


def counters(path):
    # The two counters of the batch scenario, from a Prometheus scrape.
    calls = items = 0.0
    with open(path) as handle:
        for line in handle:
            m = re.match(r'api_calls_total\{route="(/batch|/users/:id)"\} (\S+)$', line.strip())
            if m:
                calls += float(m.group(2))
            m = re.match(r'lookup_items_total (\S+)$', line.strip())
            if m:
                items += float(m.group(1))
    return calls, items


c0, i0 = counters(before_path)
c1, i1 = counters(after_path)
calls, items = c1 - c0, i1 - i0
if items <= 0:
    sys.exit("run.sh: the batch scenario looked up no users")
with open(ab_path) as handle:
    ab = handle.read()
m = re.search(r"Failed requests:\s+(\d+)", ab)
metrics = [
    # API calls the service received per batch of BATCH_SIZE user lookups,
    # counted by the service itself: 1 when batching, BATCH_SIZE without.
    {"name": "api calls per batch", "value": round(calls * int(batch_size) / items, 4),
     "unit": "count", "direction": "lower"},
    {"name": "batch lookups", "value": items, "unit": "count", "direction": "higher"},
    {"name": "batch lookups per second", "value": round(items / max(float(end) - float(start), 1e-6), 1),
     "unit": "/s", "direction": "higher"},
    {"name": "batch failed requests", "value": int(m.group(1)) if m else 0, "unit": "count", "direction": "lower"},
    # The most hey workers /users?email served with p95 <= 500 ms, no errors.
    {"name": "stress concurrency", "value": int(reached), "unit": "count", "direction": "higher"},
]
json.dump({"schema": "redline.metrics.v1", "metrics": metrics}, sys.stdout, indent=2)
print()
PY
    die "could not write extra.json"
log "metrics written to $OUTDIR (stress concurrency $reached)"

[ "$CHECK" -eq 1 ] || exit 0

# --- the gate ----------------------------------------------------------------

rc=0
"$REDLINE" check \
    --current "$OUTDIR/load.txt" \
    --current "$OUTDIR/metrics.prom" \
    --current "$OUTDIR/extra.json" \
    --budgets "$HERE/budgets.json" \
    --baseline "$HERE/baseline.json" \
    --report "$OUTDIR/report.md" \
    --comment "$OUTDIR/comment.md" \
    --json "$OUTDIR/result.json" || rc=$?
log "redline exited $rc"
exit "$rc"
