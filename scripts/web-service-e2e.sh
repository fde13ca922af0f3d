#!/bin/sh
# End-to-end check of examples/web-service: a real service, a real load test,
# a real gate.
#
# usage: scripts/web-service-e2e.sh [REDLINE_BINARY]
#
# Runs examples/web-service/run.sh twice, one variant after the other, into
# temporary directories, and asserts:
#   - with idx_users_email: redline exits 0 and the outcome is "passed";
#   - with --no-index: redline exits 1, the outcome is "failed", and
#     databaseQueryTime is "regressed" against the committed baseline.
# Prints a short summary with the gated figures of both runs. It takes about
# 25 s. Needs python3, curl, hey and the committed
# examples/web-service/baseline.json. REDLINE_BINARY defaults to
# .build/release/redline, else redline on PATH.
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
EXAMPLE=$ROOT/examples/web-service

if [ $# -ge 1 ]; then
    REDLINE=$1
elif [ -x "$ROOT/.build/release/redline" ]; then
    REDLINE=$ROOT/.build/release/redline
else
    REDLINE=redline
fi
case $REDLINE in
    /*) ;;
    */*) REDLINE=$(pwd)/$REDLINE ;;
esac
if ! command -v "$REDLINE" >/dev/null 2>&1; then
    echo "web-service-e2e: no redline binary ($REDLINE); run 'swift build -c release' or pass its path" >&2
    exit 2
fi
if [ ! -f "$EXAMPLE/baseline.json" ]; then
    echo "web-service-e2e: $EXAMPLE/baseline.json is missing; record it with" >&2
    echo "  examples/web-service/run.sh OUT && $REDLINE baseline update --current OUT/load.txt --current OUT/metrics.prom --budgets examples/web-service/budgets.json --baseline examples/web-service/baseline.json" >&2
    exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/redline-web-service-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0

# check VARIANT RC EXPECTED_RC EXPECTED_OUTCOME [METRIC VERDICT]
# Prints the gated figures of one run and whether it matched expectations.
check() {
    variant=$1
    rc=$2
    dir=$TMP/$variant
    ok=0
    python3 - "$dir/result.json" "$@" <<'PY' || ok=$?
import json
import sys

path, variant, rc, expected_rc, expected_outcome = sys.argv[1:6]
wanted = sys.argv[6:8]
gated = ["apiResponseTime", "databaseQueryTime", "memoryUsage", "throughput", "errorRate"]
problems = []
if rc != expected_rc:
    problems.append("redline exited %s, expected %s" % (rc, expected_rc))
try:
    with open(path) as handle:
        doc = json.load(handle)
except (OSError, ValueError) as error:
    print("%-9s exit %s, no result.json (%s)" % (variant, rc, error))
    sys.exit(1)
rows = {row["name"]: row for row in doc.get("metrics", [])}
if doc.get("outcome") != expected_outcome:
    problems.append("outcome %r, expected %r" % (doc.get("outcome"), expected_outcome))
if wanted:
    name, verdict = wanted
    got = rows.get(name, {}).get("verdict")
    if got != verdict:
        problems.append("%s is %r, expected %r" % (name, got, verdict))


def number(value):
    return "-" if value is None else "%.4g" % value


print("%-9s exit %s, outcome %s" % (variant, rc, doc.get("outcome")))
for name in gated:
    row = rows.get(name)
    if row is None:
        print("    %-18s absent from result.json" % name)
        continue
    change = row.get("change")
    print("    %-18s %10s -> %-10s %-6s %-10s %-13s %s" % (
        name, number(row.get("baseline")), number(row.get("current")), row.get("unit") or "",
        row.get("verdict"), row.get("budgetLevel") or "",
        "" if change is None else "%+.0f%%" % (100 * change)))
for problem in problems:
    print("    FAILED: " + problem)
sys.exit(1 if problems else 0)
PY
    if [ "$ok" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "---- $variant: run.sh output" >&2
        cat "$dir.log" >&2
        if [ -f "$dir/report.md" ]; then
            echo "---- $variant: report.md" >&2
            cat "$dir/report.md" >&2
        fi
    fi
}

echo "web-service-e2e: $REDLINE, baseline examples/web-service/baseline.json"

rc=0
sh "$EXAMPLE/run.sh" "$TMP/indexed" "$REDLINE" >"$TMP/indexed.log" 2>&1 || rc=$?
check indexed "$rc" 0 passed

rc=0
sh "$EXAMPLE/run.sh" --no-index "$TMP/no-index" "$REDLINE" >"$TMP/no-index.log" 2>&1 || rc=$?
check no-index "$rc" 1 failed databaseQueryTime regressed

echo "web-service-e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
