#!/usr/bin/env bash
# Builds the libFuzzer harness over RedlineCore (Fuzz/FuzzMain.swift with the library's sources,
# -sanitize=fuzzer,address) and runs each target for SECONDS on the committed seeds
# (Fuzz/seeds, Fuzz/crashers, and the real files of Tests/Corpus). Prints executions per target
# and in all; exits non-zero on any crash or broken invariant, leaving the input in
# .build-fuzz/findings/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]     targets: json formats budgets render check
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json formats budgets render check)

export PATH="/opt/swift/usr/bin:$PATH"
mkdir -p .build-fuzz/findings .build-fuzz/seeds
binary=.build-fuzz/redline-fuzz
# Rebuild when any source is newer than the binary.
if [ ! -x "$binary" ] || [ -n "$(find Sources/RedlineCore Fuzz -name '*.swift' -newer "$binary" | head -n 1)" ]; then
  echo "== building the fuzzer (swiftc -sanitize=fuzzer,address)"
  # The layers (targets in Package.swift) compiled as one module with the harness: each file
  # without its imports of the layers below it, the RedlineCore umbrella left out.
  flat=.build-fuzz/sources
  rm -rf "$flat"
  mkdir -p "$flat"
  find Sources/RedlineCore -path Sources/RedlineCore/Core -prune -o -name '*.swift' -print | while read -r file; do
    sed '/^import Redline[A-Za-z]*$/d' "$file" > "$flat/$(echo "$file" | tr / _)"
  done
  sources=$(find "$flat" Fuzz -name '*.swift' | sort)
  rm -f "$binary"  # a build that fails must not leave the old fuzzer to run
  # shellcheck disable=SC2086
  swiftc -swift-version 6 -sanitize=fuzzer,address -parse-as-library -O -module-name RedlineFuzz -package-name redline $sources -o "$binary" \
    2>&1 | grep -v "Cannot export local symbol" || true
  [ -x "$binary" ] || { echo "the fuzzer did not build"; exit 1; }
fi
# Real tool output as extra seeds: the peers' corpus and the repository's own real runs.
if [ -d Tests/Corpus ]; then
  find Tests/Corpus -type f \( -name '*.json' -o -name '*.txt' \) -size -64k -exec cp {} .build-fuzz/seeds/ \;
fi

export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
total=0
status=0
for target in "${targets[@]}"; do
  mkdir -p ".build-fuzz/corpus/$target"
  log=".build-fuzz/$target.log"
  if REDLINE_FUZZ_TARGET="$target" "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix=".build-fuzz/findings/$target-" ".build-fuzz/corpus/$target" Fuzz/seeds Fuzz/crashers .build-fuzz/seeds \
       > "$log" 2>&1; then
    runs=$(grep -oE "Done [0-9]+ runs" "$log" | grep -oE "[0-9]+" | tail -n 1)
    echo "fuzz $target: ${runs:-0} executions in ${seconds}s, no crash"
    total=$((total + ${runs:-0}))
  else
    echo "fuzz $target: FAILED (see $log and .build-fuzz/findings/)"
    grep -E "invariant broken|ERROR|SUMMARY" "$log" | head -n 5 || true
    status=1
  fi
done
echo "fuzz: $total executions in all"
exit $status
