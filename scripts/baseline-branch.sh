#!/bin/sh
# Keeps redline's accepted baselines on a data branch instead of the default branch: the
# branch holds one parentless commit, which every update replaces (never appends to), so it
# never grows and the default branch's history never sees a baseline change.
#
#   baseline-branch.sh fetch  BRANCH PATH
#   baseline-branch.sh update BRANCH PATH [-- ARGS...]
#
# fetch   copies PATH from the remote's BRANCH to PATH here, for `redline check`. A missing
#         branch (the first run ever) or a branch without PATH is no error: a note, and PATH is
#         left as it is (the checked-out file, or none: no baseline yet, every metric is new).
#         It never pushes. An unreachable remote is an error: a gate must not pass because it
#         could not read its baseline.
# update  takes PATH from BRANCH (else the checked-out PATH, which moves a committed baseline
#         onto the branch, else none), runs `redline baseline update --baseline FILE ARGS...`
#         on it, and replaces the branch with one parentless commit holding the result, pushed
#         with --force-with-lease against the commit it read (create-only when there was no
#         branch). A lost race (the branch moved meanwhile) is retried from a fresh fetch, with
#         the update re-run on the fresh file; after the last attempt it fails, never silently.
#         Like `redline baseline update`, it refuses pull_request, pull_request_target and
#         workflow_run events unless --allow-pr-update is among ARGS.
#
# PATH is the file's path from the top of the branch and from the current directory here:
# run it from the top of the checkout. The working tree, index, HEAD and local branches are
# never touched: the file is read with cat-file, the commit is built in a temporary index with
# commit-tree, and only refs/remotes/REMOTE/BRANCH is written. No hooks run.
#
# Environment:
#   REDLINE_REMOTE        the remote's name (origin)
#   REDLINE               the redline executable (redline, found on PATH)
#   REDLINE_COMMIT_NAME   author and committer of the commit (redline)
#   REDLINE_COMMIT_EMAIL  (redline@users.noreply.github.com)
#   REDLINE_ATTEMPTS      how many times update tries to push (5)
#   REDLINE_BACKOFF       seconds: after failed attempt n, update waits n times this (2)
#   REDLINE_GIT_TOKEN     a token for an https remote when the checkout kept no credentials
#                         (actions/checkout with persist-credentials: false); read-only is
#                         enough for fetch. Ignored when git already has an auth header.
#
# Exit status: 0 done (or nothing to do), 1 git or the remote failed, 2 bad arguments or a
# refused event, else the status of a failed redline.
set -u

program=baseline-branch.sh
message='Update the redline baselines [skip ci]'
remote=${REDLINE_REMOTE:-origin}
redline=${REDLINE:-redline}

note() {
  printf '%s: %s\n' "$program" "$*"
}

warn() {
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    printf '::warning::%s\n' "$*"
  else
    printf '%s: warning: %s\n' "$program" "$*" >&2
  fi
}

fail() {
  status=$1
  shift
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    printf '::error::%s\n' "$*"
  else
    printf '%s: error: %s\n' "$program" "$*" >&2
  fi
  exit "$status"
}

usage() {
  fail 2 "$1 (usage: $program fetch BRANCH PATH | $program update BRANCH PATH [-- REDLINE_ARGS...])"
}

# git without the repository's hooks: a user's pre-push or reference-transaction hook has no
# business running on the bot's push, and in a gate a pull request may have planted one.
g() {
  git -c core.hooksPath=/dev/null "$@"
}

check_arguments() {
  case "$branch" in
    '' | -* | @*) usage "'$branch' is not a branch name" ;;
  esac
  git check-ref-format "refs/heads/$branch" || usage "'$branch' is not a branch name"
  case "/$path/" in
    //) usage "PATH is empty" ;;
    //* | */../* | */./* | *//* | /-*) usage "$path must be a plain relative path inside the repository, such as baselines/main.json" ;;
  esac
}

# Lets git send REDLINE_GIT_TOKEN to the server, through the environment (never the command
# line, where other processes could read it), unless the checkout already authenticates.
use_token() {
  [ -n "${REDLINE_GIT_TOKEN:-}" ] || return 0
  if git config --get-regexp '^http\..*\.extraheader$' > /dev/null 2>&1; then return 0; fi
  n=${GIT_CONFIG_COUNT:-0}
  header=$(printf 'x-access-token:%s' "$REDLINE_GIT_TOKEN" | base64 | tr -d '\n')
  export "GIT_CONFIG_KEY_$n=http.${GITHUB_SERVER_URL:-https://github.com}/.extraheader"
  export "GIT_CONFIG_VALUE_$n=AUTHORIZATION: basic $header"
  export "GIT_CONFIG_COUNT=$((n + 1))"
}

# Sets `sha` to the remote branch's commit, fetched into refs/remotes/REMOTE/BRANCH, or to ''
# when the remote has no such branch. Returns 1 when the remote cannot be read.
read_branch() {
  sha=
  heads=$(GIT_TERMINAL_PROMPT=0 g ls-remote --heads "$remote" "refs/heads/$branch") || return 1
  line=$(printf '%s\n' "$heads" | awk -v ref="refs/heads/$branch" '$2 == ref { print $1 }')
  [ -n "$line" ] || return 0
  set -- --no-tags --quiet
  if g fetch -h 2>&1 | grep -q -- --no-write-fetch-head; then set -- "$@" --no-write-fetch-head; fi
  if [ "$(git rev-parse --is-shallow-repository 2> /dev/null)" = true ]; then set -- "$@" --depth=1; fi
  GIT_TERMINAL_PROMPT=0 g fetch "$@" "$remote" "+refs/heads/$branch:refs/remotes/$remote/$branch" || return 1
  sha=$(git rev-parse --verify --quiet "refs/remotes/$remote/$branch^{commit}") || return 1
}

# Whether commit $1 holds a file at path $2.
is_file() {
  [ "$(git cat-file -t "$1:$2" 2> /dev/null)" = blob ]
}

# Refuses PATH when it or a folder on its way is a symbolic link: the checkout may come from a
# pull request, and the baseline must not be written anywhere else on the machine.
refuse_links() {
  prefix=
  rest=$path
  while :; do
    part=${rest%%/*}
    prefix=${prefix:+$prefix/}$part
    if [ -L "$prefix" ]; then fail 1 "$prefix is a symbolic link; $path is not written through it"; fi
    [ "$rest" != "$part" ] || break
    rest=${rest#*/}
  done
}

fetch() {
  if ! git rev-parse --git-dir > /dev/null 2>&1; then
    warn "not in a git repository: no baseline is read from branch $branch"
    exit 0
  fi
  if ! git remote get-url "$remote" > /dev/null 2>&1; then
    warn "no remote $remote: no baseline is read from branch $branch"
    exit 0
  fi
  read_branch || fail 1 "cannot read branch $branch from $remote (above); the gate needs its baseline"
  if [ -f "$path" ]; then here="the checked-out $path is used"; else here="no baseline yet: every metric is new"; fi
  if [ -z "$sha" ]; then
    note "no branch $branch on $remote: $here."
    exit 0
  fi
  short=$(git rev-parse --short "$sha")
  if ! is_file "$sha" "$path"; then
    note "$remote/$branch ($short) has no $path: $here."
    exit 0
  fi
  refuse_links
  if [ -d "$path" ]; then fail 1 "$path is a directory here; the baseline is a file"; fi
  directory=$(dirname "$path")
  mkdir -p "$directory" || fail 1 "cannot create $directory"
  temporary="$directory/.redline-branch-$$.tmp"
  if ! git cat-file blob "$sha:$path" > "$temporary"; then
    rm -f "$temporary"
    fail 1 "cannot write $path"
  fi
  mv -f "$temporary" "$path" || { rm -f "$temporary"; fail 1 "cannot write $path"; }
  note "baseline $path from $remote/$branch ($short)."
}

# One attempt: read the branch, run redline on its file, push the replacement commit.
# Returns 0 when pushed (or nothing changed), 3 when the remote could not be read or the push
# was rejected (worth another attempt), and exits with redline's status when redline fails.
attempt() {
  if ! read_branch 2> "$scratch/git.log"; then
    cat "$scratch/git.log" >&2
    return 3
  fi
  rm -rf "$scratch/branch"
  file="$scratch/branch/$path"
  mkdir -p "$(dirname "$file")" || fail 1 "cannot create a folder under $scratch"
  if [ -n "$sha" ] && is_file "$sha" "$path"; then
    git cat-file blob "$sha:$path" > "$file" || fail 1 "cannot read $path from $remote/$branch"
    from="$remote/$branch ($(git rev-parse --short "$sha"))"
  elif [ -f "$path" ] && [ ! -L "$path" ]; then
    cp "$path" "$file" || fail 1 "cannot copy $path"
    from="the checked-out $path (first update on the branch)"
  else
    from="no baseline (first update)"
  fi
  note "attempt $try of $attempts: updating $path from $from."
  status=0
  "$redline" baseline update --baseline "$file" "$@" || status=$?
  if [ "$status" != 0 ]; then fail "$status" "redline baseline update failed (status $status, above); $branch is unchanged"; fi
  [ -f "$file" ] || fail 1 "redline wrote no $path"

  blob=$(git hash-object -w --no-filters "$file") || fail 1 "cannot store $path in the object database"
  index="$scratch/index"
  rm -f "$index"
  if [ -n "$sha" ]; then
    GIT_INDEX_FILE=$index git read-tree "$sha" || fail 1 "cannot read the tree of $sha"
  else
    GIT_INDEX_FILE=$index git read-tree --empty || fail 1 "cannot start an empty tree"
  fi
  GIT_INDEX_FILE=$index git update-index --add --cacheinfo "100644,$blob,$path" || fail 1 "cannot add $path to the tree"
  tree=$(GIT_INDEX_FILE=$index git write-tree) || fail 1 "cannot write the tree"
  if [ -n "$sha" ] && [ "$tree" = "$(git rev-parse "$sha^{tree}")" ] && ! git cat-file -p "$sha" | grep -q '^parent '; then
    note "$path is unchanged: $branch stays at $(git rev-parse --short "$sha")."
    return 0
  fi
  commit=$(GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
    git commit-tree --no-gpg-sign -m "$message" "$tree") || fail 1 "cannot create the commit"
  # The lease: the remote branch must still be the commit read above (or still be absent).
  if GIT_TERMINAL_PROMPT=0 g push --quiet "--force-with-lease=refs/heads/$branch:$sha" \
    "$remote" "$commit:refs/heads/$branch" > "$scratch/push.log" 2>&1; then
    note "pushed $branch at $(git rev-parse --short "$commit"): one commit, no parent."
    return 0
  fi
  sed 's/^/  /' "$scratch/push.log" >&2
  return 3
}

update() {
  for argument in "$@"; do
    case "$argument" in
      --baseline | --baseline=*) usage "the script names the baseline file itself; drop --baseline from the redline arguments" ;;
    esac
  done
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target | workflow_run)
      allowed=false
      for argument in "$@"; do
        if [ "$argument" = --allow-pr-update ]; then allowed=true; fi
      done
      if [ "$allowed" != true ]; then
        fail 2 "not updated: this is a $GITHUB_EVENT_NAME event, and a pull request must not rewrite the baseline on $branch (pass --allow-pr-update on purpose)"
      fi
      ;;
  esac
  git rev-parse --git-dir > /dev/null 2>&1 || fail 1 "not in a git repository"
  git remote get-url "$remote" > /dev/null 2>&1 || fail 1 "no remote $remote (set REDLINE_REMOTE)"
  attempts=${REDLINE_ATTEMPTS:-5}
  backoff=${REDLINE_BACKOFF:-2}
  case "$attempts" in '' | *[!0-9]* | 0) usage "REDLINE_ATTEMPTS must be a positive whole number" ;; esac
  case "$backoff" in '' | *[!0-9]*) usage "REDLINE_BACKOFF must be a whole number of seconds" ;; esac
  name=${REDLINE_COMMIT_NAME:-redline}
  email=${REDLINE_COMMIT_EMAIL:-redline@users.noreply.github.com}

  scratch=$(mktemp -d "${TMPDIR:-/tmp}/redline-branch.XXXXXX") || fail 1 "cannot create a temporary folder"
  # The physical path: redline refuses a baseline reached through a symbolic link (/tmp on macOS).
  scratch=$(cd "$scratch" && pwd -P) || fail 1 "cannot enter the temporary folder"
  trap 'rm -rf "$scratch"' EXIT
  trap 'exit 1' HUP INT TERM

  try=1
  while :; do
    result=0
    attempt "$@" || result=$?
    [ "$result" != 0 ] || exit 0
    if [ "$try" -ge "$attempts" ]; then
      fail 1 "$branch on $remote was not updated after $attempts attempts (the last error is above): the baseline of this run is lost; re-run the workflow"
    fi
    wait=$((try * backoff))
    note "attempt $try of $attempts failed: $branch moved or $remote refused (above); fetching again in ${wait}s."
    sleep "$wait"
    try=$((try + 1))
  done
}

[ $# -ge 1 ] || usage "no subcommand"
command=$1
shift
case "$command" in
  fetch)
    [ $# -eq 2 ] || usage "fetch takes BRANCH PATH"
    branch=$1
    path=$2
    check_arguments
    use_token
    fetch
    ;;
  update)
    [ $# -ge 2 ] || usage "update takes BRANCH PATH"
    branch=$1
    path=$2
    shift 2
    if [ $# -gt 0 ]; then
      [ "$1" = -- ] || usage "put -- before the redline arguments"
      shift
    fi
    check_arguments
    use_token
    update "$@"
    ;;
  -h | --help | help)
    sed -n '2,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'
    ;;
  *) usage "unknown subcommand $command" ;;
esac
