#!/bin/sh
# Regenerate real hyperfine (1.15.0, Debian bookworm) exports.
#
# Needs: apt-get install -y hyperfine
#
# Usage: hyperfine.sh [OUTDIR]   (default: ./out/hyperfine)
# Writes into OUTDIR:
#   long-short.json / .csv / .md / .txt
#       one command longer than 300 characters + one short command, --runs 5,
#       no names (the JSON "command" is the literal command line)
#   named.json / named.txt
#       the same two commands with -n/--command-name
#   params.json / params.txt
#       a -L parameter list run (the JSON results then carry "parameters")
#   params-scan.json / params-scan.txt
#       a -P parameter scan run (ditto)
#   long-command.txt   the exact long command string and its length
set -eu

OUTDIR=${1:-./out/hyperfine}
HF=${HYPERFINE:-hyperfine}
if ! command -v "$HF" >/dev/null 2>&1; then
  echo "missing hyperfine: apt-get install -y hyperfine" >&2
  exit 1
fi
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"

# Build a long shell command: a small pipeline plus 60 "true;" no-ops.
pad=""
i=0
while [ "$i" -lt 60 ]; do
  pad="${pad}true; "
  i=$((i + 1))
done
LONG="sh -c '${pad}printf \"%s\\n\" alpha beta gamma beta alpha alpha | sort | uniq -c | sort -rn | awk \"{ total += \\\$1 } END { print total }\" > /dev/null'"
SHORT="sleep 0.01"
printf '%s\n' "$LONG" > "$OUTDIR/long-command.txt"
printf 'length: %s\n' "${#LONG}" >> "$OUTDIR/long-command.txt"

"$HF" --runs 5 --warmup 1 \
  --export-json "$OUTDIR/long-short.json" \
  --export-csv "$OUTDIR/long-short.csv" \
  --export-markdown "$OUTDIR/long-short.md" \
  "$LONG" "$SHORT" > "$OUTDIR/long-short.txt" 2>&1

"$HF" --runs 5 --warmup 1 \
  --export-json "$OUTDIR/named.json" \
  -n "long pipeline" "$LONG" \
  -n "short sleep" "$SHORT" > "$OUTDIR/named.txt" 2>&1

"$HF" --runs 5 -L secs 0.005,0.02 \
  --export-json "$OUTDIR/params.json" \
  "sleep {secs}" > "$OUTDIR/params.txt" 2>&1

"$HF" --runs 5 -P ms 2 4 -D 2 \
  --export-json "$OUTDIR/params-scan.json" \
  "sleep 0.00{ms}" > "$OUTDIR/params-scan.txt" 2>&1

"$HF" --version > "$OUTDIR/version.txt"
echo "wrote $OUTDIR"
