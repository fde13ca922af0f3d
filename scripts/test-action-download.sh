#!/usr/bin/env bash
# Tests the download path of the action and of laptops (scripts/install.sh) against a stand-in
# release served on loopback: a good release installs and runs; a tampered binary fails with
# the checksum message and installs nothing (an existing install stays); a missing version,
# a release without this platform and a binary that does not run fail with their own messages
# and statuses; both curl and wget (when installed) are exercised.
#
#   scripts/test-action-download.sh
#
# It also runs the action's download step (from action.yml) as pinned to an exact tag, a
# moving tag, a release commit, a branch and so on, against a stand-in git repository, and
# the action's baseline-branch step (redline baseline fetch) against a stand-in origin, with the
# redline binary REDLINE (default .build/debug/redline).
#
# The stand-in binary is a shell script printing its version; with REDLINE_TEST_BINARY=FILE
# (a real build, e.g. from scripts/release-build.sh) and REDLINE_TEST_VERSION=X.Y.Z it
# serves that file too. Needs python3 (with PyYAML for the action's step), git, sha256sum or shasum. Exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
install="$root/scripts/install.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/redline-download-test.XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
flunk() { failed=$((failed + 1)); echo "FAILED: $*"; }

sha256() {
  if command -v sha256sum > /dev/null 2>&1; then sha256sum "$1" | cut -d ' ' -f 1; else shasum -a 256 "$1" | cut -d ' ' -f 1; fi
}

# This machine's platform, worked out independently of install.sh (which must agree).
case "$(uname -s)" in Linux) os=linux ;; Darwin) os=macos ;; *) echo "unsupported OS $(uname -s)"; exit 1 ;; esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) if [ "$os" = linux ]; then arch=aarch64; else arch=arm64; fi ;;
  *) echo "unsupported machine $(uname -m)"; exit 1 ;;
esac
platform="$os-$arch"
other="linux-riscv64"

# release TAG BODY [--tamper] [--platform P]: a stand-in release directory www/TAG.
release() {
  local tag="$1" body="$2" tamper="" on="$platform"
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in --tamper) tamper=1 ;; --platform) on="$2"; shift ;; esac
    shift
  done
  local number="${tag#v}" dir="$work/www/$tag"
  mkdir -p "$dir"
  local asset="redline-$number-$on"
  printf '%s\n' "$body" > "$dir/$asset"
  chmod 755 "$dir/$asset"
  # A second platform's file, so SHA256SUMS has more than one line, as a real release does.
  printf '#!/bin/sh\necho "redline %s"\n' "$number" > "$dir/redline-$number-$other"
  (cd "$dir" && for file in redline-*; do printf '%s  %s\n' "$(sha256 "$file")" "$file"; done > SHA256SUMS)
  if [ -n "$tamper" ]; then printf '# tampered\n' >> "$dir/$asset"; fi
}

release v9.8.7 '#!/bin/sh
echo "redline 9.8.7"'
release v9.8.8 '#!/bin/sh
echo "redline 9.8.8"' --tamper
release v9.8.9 '#!/bin/sh
echo "redline 9.8.9"' --platform linux-sparc
release v9.9.0 '#!/bin/sh
echo "this build is for another machine" >&2
exit 126'
if [ -n "${REDLINE_TEST_BINARY:-}" ]; then
  real="v${REDLINE_TEST_VERSION:?set REDLINE_TEST_VERSION with REDLINE_TEST_BINARY}"
  mkdir -p "$work/www/$real"
  cp "$REDLINE_TEST_BINARY" "$work/www/$real/redline-${real#v}-$platform"
  (cd "$work/www/$real" && printf '%s  %s\n' "$(sha256 "redline-${real#v}-$platform")" "redline-${real#v}-$platform" > SHA256SUMS)
fi

# The server, on a free loopback port chosen by the kernel.
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/www" > "$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -n 1)"
  [ -n "$port" ] && break
  kill -0 "$server" 2> /dev/null || { cat "$work/server.log"; echo "the server did not start"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the server printed no port"; exit 1; }
base="http://127.0.0.1:$port"
echo "stand-in release at $base ($platform)"

# run NAME EXPECTED_STATUS MESSAGE_FRAGMENT -- install.sh arguments...
run() {
  local name="$1" want="$2" fragment="$3"
  shift 4
  local got=0
  sh "$install" "$@" > "$work/out" 2> "$work/err" || got=$?
  if [ "$got" != "$want" ]; then
    flunk "$name: exit status $got, expected $want"; sed 's/^/    /' "$work/err"; return 1
  fi
  if [ -n "$fragment" ] && ! grep -qF -- "$fragment" "$work/err"; then
    flunk "$name: stderr lacks '$fragment'"; sed 's/^/    /' "$work/err"; return 1
  fi
  return 0
}
# nothing_in DIR: no file at all was left in DIR (no binary, no staged copy).
nothing_in() { [ ! -e "$1" ] || [ -z "$(ls -A "$1")" ]; }
# verdict DESCRIPTION COMMAND...: pass when COMMAND succeeds, fail otherwise.
verdict() {
  local description="$1"
  shift
  if "$@"; then pass "$description"; else flunk "$description (check failed: $*)"; fi
}
version_is() { [ -x "$1" ] && [ "$("$1" --version)" = "redline $2" ]; }
printed_path_and_runs() { [ "$(cat "$work/out")" = "$1" ] && version_is "$1" "$2"; }
only_redline_in() { [ "$(ls -A "$1")" = "redline" ]; }

downloaders=(curl)
if command -v wget > /dev/null 2>&1; then downloaders+=(wget); else echo "wget is not installed: only curl is tested"; fi
for downloader in "${downloaders[@]}"; do
  export REDLINE_DOWNLOADER="$downloader"
  bin="$work/$downloader/bin"

  run "$downloader: good release" 0 "installed redline 9.8.7 ($platform)" -- --version v9.8.7 --dir "$bin" --base-url "$base" &&
    verdict "$downloader: good release installs, prints where on stdout, and the installed binary runs" \
      printed_path_and_runs "$bin/redline" 9.8.7

  run "$downloader: version without v, base URL with a slash" 0 "" -- --version 9.8.7 --dir "$work/$downloader/bin2" --base-url "$base/" &&
    verdict "$downloader: 9.8.7 (no v) and a trailing slash work too" version_is "$work/$downloader/bin2/redline" 9.8.7

  run "$downloader: tampered binary" 4 "checksum mismatch for redline-9.8.8-$platform" -- --version v9.8.8 --dir "$work/$downloader/fresh" --base-url "$base" &&
    verdict "$downloader: a tampered binary fails with the checksum message and installs nothing" nothing_in "$work/$downloader/fresh"

  run "$downloader: tampered over an install" 4 "Nothing was installed" -- --version v9.8.8 --dir "$bin" --base-url "$base" &&
    verdict "$downloader: a tampered upgrade leaves the existing install as it was" version_is "$bin/redline" 9.8.7 &&
    verdict "$downloader: ... and leaves no staged copy beside it" only_redline_in "$bin"

  run "$downloader: missing version" 3 "no release v0.0.404 at $base" -- --version v0.0.404 --dir "$work/$downloader/missing" --base-url "$base" &&
    verdict "$downloader: a missing version fails with 'no release' (status 3) and installs nothing" nothing_in "$work/$downloader/missing"

  run "$downloader: no build for this platform" 3 "release v9.8.9 has no build for $platform (it has: " \
    -- --version v9.8.9 --dir "$work/$downloader/platform" --base-url "$base" &&
    verdict "$downloader: a release without this platform fails with the list of builds (status 3)" nothing_in "$work/$downloader/platform"

  run "$downloader: binary that does not run" 5 "does not run on this machine" -- --version v9.9.0 --dir "$work/$downloader/norun" --base-url "$base" &&
    verdict "$downloader: a binary that does not run is not installed (status 5)" nothing_in "$work/$downloader/norun"
done
unset REDLINE_DOWNLOADER

run "bad version" 2 "--version must look like v1.2.3" -- --version 'latest;rm' --dir "$work/bad" --base-url "$base" &&
  verdict "a malformed version is refused (status 2)" nothing_in "$work/bad"
run "unknown argument" 2 "unknown argument '--frobnicate'" -- --frobnicate &&
  pass "an unknown argument is refused (status 2)"
run "base URL without version" 2 "--base-url needs --version" -- --dir "$work/bad" --base-url "$base" &&
  pass "--base-url without --version is refused (status 2)"
REDLINE_PLATFORM="$other" run "platform override" 0 "installed redline 9.8.7 ($other)" -- --version v9.8.7 --dir "$work/override" --base-url "$base" &&
  verdict "REDLINE_PLATFORM picks another build" version_is "$work/override/redline" 9.8.7
REDLINE_VERSION=v9.8.7 REDLINE_INSTALL_DIR="$work/env" REDLINE_BASE_URL="$base" run "settings from the environment" 0 "installed redline 9.8.7" -- &&
  verdict "REDLINE_VERSION, REDLINE_INSTALL_DIR and REDLINE_BASE_URL work" version_is "$work/env/redline" 9.8.7

if [ -n "${REDLINE_TEST_BINARY:-}" ]; then
  run "real binary" 0 "installed redline ${real#v}" -- --version "$real" --dir "$work/real" --base-url "$base" &&
    verdict "the real binary $REDLINE_TEST_BINARY installs and prints redline ${real#v}" version_is "$work/real/redline" "${real#v}"
fi

# The action's own step (id: get), taken from action.yml and run as the runner runs it: which
# pin downloads which release, and which builds from source.
action="$root/.github/actions/redline/action.yml"
if python3 -c "import yaml" 2> /dev/null; then
  python3 - "$action" > "$work/get-step.sh" << 'PYTHON'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(step["run"] for step in steps if step.get("id") == "get"))
PYTHON
  # A stand-in of the action's repository, served to git ls-remote from a file:// URL: a
  # commit tagged v9.8.7 (lightweight) and v1 (annotated, as a moving major tag), one tagged
  # v9.8.8, and an untagged one.
  git_root="$work/git"
  repository="$git_root/acme/redline.git"
  git init -q "$repository"
  git -C "$repository" -c user.name=test -c user.email=test@example.com commit -q --allow-empty -m release
  git -C "$repository" tag v9.8.7
  git -C "$repository" -c user.name=test -c user.email=test@example.com tag -a v1 -m "moving major tag"
  commit="$(git -C "$repository" rev-parse HEAD)"
  git -C "$repository" -c user.name=test -c user.email=test@example.com commit -q --allow-empty -m later
  git -C "$repository" tag v9.8.8
  git -C "$repository" -c user.name=test -c user.email=test@example.com commit -q --allow-empty -m unreleased
  other_commit="$(git -C "$repository" rev-parse HEAD)"

  # get_step NAME REF [VARIABLE=VALUE...]: runs the step as if the action were pinned to REF.
  get_step() {
    local name="$1" ref="$2"
    shift 2
    local runner="$work/runner-$name"
    local action_path="$runner/_actions/acme/redline/$ref/.github/actions/redline"
    mkdir -p "$action_path" "$runner/_actions/acme/redline/$ref/scripts" "$runner/temp"
    cp "$install" "$runner/_actions/acme/redline/$ref/scripts/install.sh"
    : > "$runner/output"
    step_status=0
    env ACTION_PATH="$action_path" ACTION_REF="" ACTION_REPOSITORY="" SERVER_URL="file://$git_root" \
      BUILD_FROM_SOURCE=false RELEASE_URL="$base" RUNNER_TEMP="$runner/temp" GITHUB_OUTPUT="$runner/output" "$@" \
      bash --noprofile --norc -eo pipefail "$work/get-step.sh" > "$work/out" 2> "$work/err" || step_status=$?
    step_mode="$(sed -n 's/^mode=//p' "$runner/output")"
    step_binary="$(sed -n 's/^binary=//p' "$runner/output")"
  }
  expect_release() {
    local name="$1" ref="$2" number="$3"
    shift 3
    get_step "$name" "$ref" "$@"
    if [ "$step_status" = 0 ] && [ "$step_mode" = release ] && version_is "$step_binary" "$number"; then
      pass "action pinned to $ref ($name): downloads and verifies release $number"
    else
      flunk "action pinned to $ref ($name): status $step_status, mode '$step_mode', binary '$step_binary'"
      sed 's/^/    /' "$work/out" "$work/err"
    fi
  }
  expect_source() {
    local name="$1" ref="$2"
    shift 2
    get_step "$name" "$ref" "$@"
    if [ "$step_status" = 0 ] && [ "$step_mode" = source ] && [ -z "$step_binary" ]; then
      pass "action pinned to ${ref:-a local path} ($name): builds from source ($(head -n 1 "$work/out"))"
    else
      flunk "action pinned to ${ref:-a local path} ($name): status $step_status, mode '$step_mode'"
      sed 's/^/    /' "$work/out" "$work/err"
    fi
  }
  expect_release "exact tag" v9.8.7 9.8.7
  expect_release "moving tag" v1 9.8.7
  expect_release "release commit" "$commit" 9.8.7
  expect_source "other commit" "$other_commit"
  expect_source "branch" main
  expect_source "missing release" v0.0.404
  expect_source "no build for this runner" v9.8.9
  expect_source "binary does not run" v9.9.0
  expect_source "build-from-source" v9.8.7 BUILD_FROM_SOURCE=true
  get_step "tampered" v9.8.8
  if [ "$step_status" != 0 ] && [ -z "$step_mode" ] && grep -q "checksum mismatch" "$work/err" && grep -q "::error::" "$work/out"; then
    pass "action pinned to v9.8.8 (tampered): the step fails with the checksum message, no fallback"
  else
    flunk "action pinned to v9.8.8 (tampered): status $step_status, mode '$step_mode'"
    sed 's/^/    /' "$work/out" "$work/err"
  fi
  # A local action (uses: ./.github/actions/redline) has no _actions path and no action_ref.
  step_status=0
  : > "$work/local-output"
  env ACTION_PATH="$root/.github/actions/redline" ACTION_REF="" ACTION_REPOSITORY="" SERVER_URL="file://$git_root" \
    BUILD_FROM_SOURCE=false RELEASE_URL="$base" RUNNER_TEMP="$work" GITHUB_OUTPUT="$work/local-output" \
    bash --noprofile --norc -eo pipefail "$work/get-step.sh" > "$work/out" 2> "$work/err" || step_status=$?
  if [ "$step_status" = 0 ] && grep -qx "mode=source" "$work/local-output"; then
    pass "a local action builds from source"
  else
    flunk "a local action: status $step_status, $(cat "$work/local-output")"
  fi

  # The action's baseline step: origin's baseline branch replaces the checked-out baseline,
  # read-only; without the branch or the file, the checked-out baseline stays.
  python3 - "$action" > "$work/baseline-step.sh" << 'PYTHON'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(step["run"] for step in steps if step.get("name") == "Fetch the baseline from its branch"))
PYTHON
  redline_bin="${REDLINE:-$root/.build/debug/redline}"
  case "$redline_bin" in /*) ;; *) redline_bin="$(pwd)/$redline_bin" ;; esac
  [ -x "$redline_bin" ] || { echo "no redline binary at $redline_bin for the baseline step: build it first"; exit 2; }
  origin="$work/origin"
  git init -q -b main "$origin"
  mkdir -p "$origin/baselines"
  echo '{"committed": true}' > "$origin/baselines/main.json"
  git -C "$origin" add baselines/main.json
  git -C "$origin" -c user.name=test -c user.email=test@example.com commit -q -m committed
  git -C "$origin" checkout -q -b redline-baselines
  echo '{"from-branch": true}' > "$origin/baselines/main.json"
  git -C "$origin" -c user.name=test -c user.email=test@example.com commit -q -am "accepted baseline"
  git -C "$origin" checkout -q main
  # baseline_step NAME BRANCH BASELINE [--shallow]: a fresh clone of origin runs the step.
  baseline_step() {
    local name="$1" branch="$2" path="$3" clone="$work/clone-$1"
    if [ "${4:-}" = --shallow ]; then
      git clone -q --depth=1 --single-branch -b main "file://$origin" "$clone"
    else
      git clone -q --single-branch -b main "$origin" "$clone"
    fi
    step_status=0
    (cd "$clone" && env REDLINE_BIN="$redline_bin" BRANCH="$branch" INPUT_BASELINE="$path" \
      bash --noprofile --norc -eo pipefail "$work/baseline-step.sh") \
      > "$work/out" 2> "$work/err" || step_status=$?
    step_clone="$clone"
  }
  baseline_is() { [ "$(cat "$step_clone/baselines/main.json")" = "$1" ]; }
  origin_unchanged() { [ "$(git -C "$origin" rev-parse redline-baselines)" = "$branch_head" ] && [ -z "$(git -C "$step_clone" status --porcelain --untracked-files=no -- . ':!baselines/main.json')" ]; }
  branch_head="$(git -C "$origin" rev-parse redline-baselines)"

  baseline_step from-branch redline-baselines baselines/main.json
  if [ "$step_status" = 0 ] && baseline_is '{"from-branch": true}' && origin_unchanged; then
    pass "baseline-branch: the branch's baseline replaces the checked-out one ($(tail -n 1 "$work/out"))"
  else flunk "baseline-branch from the branch: status $step_status, $(cat "$step_clone/baselines/main.json")"; sed 's/^/    /' "$work/out" "$work/err"; fi

  baseline_step shallow redline-baselines baselines/main.json --shallow
  if [ "$step_status" = 0 ] && baseline_is '{"from-branch": true}'; then
    pass "baseline-branch: works in a shallow clone (actions/checkout's default)"
  else flunk "baseline-branch in a shallow clone: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi

  baseline_step no-branch no-such-branch baselines/main.json
  if [ "$step_status" = 0 ] && baseline_is '{"committed": true}' && grep -qi "no branch no-such-branch" "$work/out"; then
    pass "baseline-branch: without the branch, the committed baseline stays"
  else flunk "baseline-branch without the branch: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi

  baseline_step no-file redline-baselines baselines/other.json
  if [ "$step_status" = 0 ] && [ ! -e "$step_clone/baselines/other.json" ] && grep -q "has no baselines/other.json" "$work/out"; then
    pass "baseline-branch: a file the branch lacks is left alone"
  else flunk "baseline-branch, file not on the branch: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi

  baseline_step outside redline-baselines ../outside.json
  if [ "$step_status" != 0 ] && cat "$work/out" "$work/err" | grep -q "inside the repository" && [ ! -e "$work/outside.json" ]; then
    pass "baseline-branch: a baseline path outside the repository is refused"
  else flunk "baseline-branch, path outside: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi

  # The action's A/B step: a worktree of the merge-base beside the pull request's checkout,
  # ab-build in both, redline ab with ab-command run in each; the worktree is gone afterwards.
  python3 - "$action" > "$work/ab-step.sh" << 'PYTHON'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(step["run"] for step in steps if step.get("id") == "ab"))
PYTHON
  abrepo="$work/ab-origin"
  git init -q -b main "$abrepo"
  printf 'echo "{\\"latency\\": {\\"value\\": %s, \\"unit\\": \\"ms\\"}}"\n' 100 > "$abrepo/bench.sh"
  git -C "$abrepo" add bench.sh
  git -C "$abrepo" -c user.name=test -c user.email=test@example.com commit -q -m base
  git -C "$abrepo" checkout -q -b slower
  printf 'echo "{\\"latency\\": {\\"value\\": %s, \\"unit\\": \\"ms\\"}}"\n' 130 > "$abrepo/bench.sh"
  git -C "$abrepo" -c user.name=test -c user.email=test@example.com commit -q -am slower
  git -C "$abrepo" checkout -q -b same main
  echo "# a comment" >> "$abrepo/bench.sh"
  git -C "$abrepo" -c user.name=test -c user.email=test@example.com commit -q -am same
  git -C "$abrepo" checkout -q main
  # ab_step BRANCH: a full clone of the pull request's branch runs the step.
  ab_step() {
    local clone="$work/ab-clone-$1"
    git clone -q -b "$1" "$abrepo" "$clone"
    mkdir -p "$work/runner-$1"
    step_status=0
    # A command as YAML's `|` leaves it: a comment and a line end after it.
    (cd "$clone" && env REDLINE_BIN="$redline_bin" AB_COMMAND="sh bench.sh  # the benchmark
" AB_OUT="" AB_BUILD="echo built > built.txt" \
      INPUT_PAIRS=5 BASE_REF=main INPUT_BUDGETS=budgets.json INPUT_MAX_REGRESSION="" INPUT_FAIL_ON=error INPUT_FORMAT=auto \
      INPUT_HTML="" OUTPUT_DIR=out RUNNER_TEMP="$work/runner-$1" bash --noprofile --norc -eo pipefail "$work/ab-step.sh") \
      > "$work/out" 2> "$work/err" || step_status=$?
    step_clone="$clone"
  }
  ab_step slower
  if [ "$step_status" = 1 ] && grep -q '"pairs": 5' "$step_clone/out/result.json" && grep -q '"verdict": "regressed"' "$step_clone/out/result.json" \
     && [ -f "$step_clone/built.txt" ] && [ ! -e "$work/runner-slower/redline-base" ]; then
    pass "ab: the pull request 30% slower than its merge-base fails after 5 pairs; both sides built; the worktree is removed"
  else flunk "ab, slower: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi
  ab_step same
  if [ "$step_status" = 0 ] && grep -q '"verdict": "unchanged"' "$step_clone/out/result.json"; then
    pass "ab: a pull request that changes nothing measured passes"
  else flunk "ab, same: status $step_status"; sed 's/^/    /' "$work/out" "$work/err"; fi
else
  echo "PyYAML is not installed: the action's step is not tested (pip install pyyaml)"
fi

echo "download: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
