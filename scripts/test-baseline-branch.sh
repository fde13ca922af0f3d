#!/bin/sh
# End-to-end test of `redline baseline fetch --branch` and `redline baseline update --branch`
# against a local bare repository: the orphan branch is created with one commit, every update
# replaces that commit, racing updates both land, the gate's fetch reads the file and never
# writes, pull-request events are refused, a lost race fails loudly, and the default branch
# never gets a commit.
#
#   scripts/test-baseline-branch.sh [REDLINE]      # default .build/debug/redline
#
# One line per case; exits 1 when any case fails. Takes a few seconds.
set -u

here=$(cd "$(dirname "$0")" && pwd)
real=${1:-${REDLINE:-$here/../.build/debug/redline}}
case "$real" in /*) ;; *) real="$(pwd)/$real" ;; esac
[ -x "$real" ] || { echo "$real is not an executable; build redline first"; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/redline-branch-test.XXXXXX") || exit 2
tmp=$(cd "$tmp" && pwd -P) || exit 2
trap 'if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi' EXIT
trap 'exit 2' HUP INT TERM

# A clean git and no Actions context from the machine that runs the test.
unset GITHUB_EVENT_NAME GITHUB_ACTIONS REDLINE_GIT_TOKEN REDLINE_REMOTE REDLINE_COMMIT_NAME \
  REDLINE_COMMIT_EMAIL REDLINE_ATTEMPTS GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG_COUNT
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/home/.gitconfig"
export REDLINE_BACKOFF=0 SOURCE_DATE_EPOCH=1764000000 TMPDIR="$tmp"
mkdir -p "$HOME" "$tmp/bin"
git config --global user.name tester
git config --global user.email tester@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# A git that pauses before its first push (marked by the file SLOW_ONCE) for SLOW_SLEEP
# seconds, so that two updates read the same commit and then push one after the other.
REAL_GIT=$(command -v git)
export REAL_GIT
mkdir -p "$tmp/slow-git"
cat > "$tmp/slow-git/git" << 'GIT'
#!/bin/sh
for argument in "$@"; do
  if [ "$argument" = push ] && [ -n "${SLOW_ONCE:-}" ] && [ ! -e "$SLOW_ONCE" ]; then
    : > "$SLOW_ONCE"
    sleep "$SLOW_SLEEP"
  fi
done
exec "$REAL_GIT" "$@"
GIT
chmod +x "$tmp/slow-git/git"
mode="redline $real"

metrics() {  # metrics NAME: a native metrics file with one metric called NAME
  printf '{"metrics":[{"name":"%s","value":1,"unit":"ms"}]}\n' "$1" > "$tmp/$1.json"
}
for name in a b c d race_a race_b pr seed; do metrics "$name"; done

branch=redline-baselines
file=baselines/bench.json
remote="$tmp/remote.git"
git init -q --bare "$remote"
git init -q "$tmp/work"
(
  cd "$tmp/work" &&
    echo "a project" > README &&
    git add README && git commit -q -m "The project" &&
    git remote add origin "$remote" && git push -q origin main
) || { echo "could not set up the repositories"; exit 2; }
main=$(git -C "$remote" rev-parse refs/heads/main)

failures=0
cases=0
gate() {  # gate NAME: `redline check` of metric NAME in the gate clone passes
  (cd "$tmp/gate" && "$real" check --current "$tmp/$1.json" --baseline "$file" --allow-missing-baseline) >> "$tmp/gate.log" 2>&1
}
pass() { cases=$((cases + 1)); echo "ok   $*"; }
flunk() { cases=$((cases + 1)); failures=$((failures + 1)); echo "FAIL $*"; }

at() { git -C "$remote" rev-parse --verify --quiet "refs/heads/$1"; }
commits() { git -C "$remote" rev-list --count "refs/heads/$branch"; }
parents() { git -C "$remote" cat-file -p "refs/heads/$branch" | grep -c '^parent ' || true; }
content() { git -C "$remote" show "refs/heads/$branch:$file"; }
has() { content | grep -q "\"$1\""; }
update() {  # update NAME [ARGS...]: the update for metric NAME, in the working clone
  name=$1
  shift
  (cd "$tmp/work" && "$real" baseline update --branch "$branch" --baseline "$file" --current "$tmp/$name.json" --reason test "$@")
}
single() { [ "$(commits)" = 1 ] && [ "$(parents)" = 0 ]; }
untouched() {  # the working clone: same HEAD, one local branch, clean status and index
  [ "$(git -C "$tmp/work" rev-parse HEAD)" = "$main" ] &&
    [ "$(git -C "$tmp/work" for-each-ref --format='%(refname)' refs/heads)" = refs/heads/main ] &&
    [ -z "$(git -C "$tmp/work" status --porcelain)" ]
}

echo "baselines on a data branch, against a bare repository, with $mode"

# 1. The first update creates the orphan branch: one commit, no parent, the file, the bot.
if update a > "$tmp/1.log" 2>&1 && single && has a &&
  [ "$(git -C "$remote" log -1 --format='%an <%ae>|%s' "refs/heads/$branch")" = \
    "redline <redline@users.noreply.github.com>|Update the redline baselines [skip ci]" ] &&
  [ "$(git -C "$remote" ls-tree -r --name-only "refs/heads/$branch")" = "$file" ] && untouched; then
  pass "first update creates orphan branch $branch: 1 commit, no parent, $file, author redline"
else
  flunk "first update creates the orphan branch"; cat "$tmp/1.log"
fi
first=$(at "$branch")

# 2. A second update replaces the commit: still one, no parent, new content that keeps the old.
if update b > "$tmp/2.log" 2>&1 && single && [ "$(at "$branch")" != "$first" ] && has a && has b && untouched; then
  pass "second update amends: 1 commit, no parent, new content (a and b)"
else
  flunk "second update amends"; cat "$tmp/2.log"
fi

# 3. Two updates race: both read the same commit; A pushes first, so B's push loses its lease
# (a plain --force would silently drop A's run), fetches again, re-runs the update on the
# fresh file and lands. Nothing is lost and the branch stays one commit.
before=$(at "$branch")
PATH="$tmp/slow-git:$PATH" SLOW_SLEEP=1 SLOW_ONCE="$tmp/slow-a" update race_a > "$tmp/3a.log" 2>&1 &
racer_a=$!
PATH="$tmp/slow-git:$PATH" SLOW_SLEEP=2 SLOW_ONCE="$tmp/slow-b" update race_b > "$tmp/3b.log" 2>&1 &
racer_b=$!
status_a=0 status_b=0
wait "$racer_a" || status_a=$?
wait "$racer_b" || status_b=$?
if [ "$status_a" = 0 ] && [ "$status_b" = 0 ] && single && has a && has b && has race_a && has race_b &&
  [ "$(at "$branch")" != "$before" ] && grep -q "attempt 1 of 5 failed" "$tmp/3b.log" && untouched; then
  pass "two racing updates both land (the slower one lost its lease and retried): 1 commit, race_a and race_b"
else
  flunk "two racing updates (status $status_a and $status_b)"; cat "$tmp/3a.log" "$tmp/3b.log"
fi

# 4. The gate's fetch, in a shallow clone like actions/checkout's, under another remote name
# and with no way to push: the file arrives, the remote does not change.
git clone -q --depth=1 --origin upstream "file://$remote" "$tmp/gate" 2> /dev/null
git -C "$tmp/gate" remote set-url --push upstream "$tmp/no-push-rights.git"
before=$(at "$branch")
if (cd "$tmp/gate" && REDLINE_REMOTE=upstream "$real" baseline fetch --branch "$branch" --baseline "$file") > "$tmp/4.log" 2>&1 &&
  [ "$(content)" = "$(cat "$tmp/gate/$file")" ] && [ "$(at "$branch")" = "$before" ] &&
  [ -z "$(git -C "$tmp/gate" status --porcelain --untracked-files=no)" ] && gate a; then
  pass "gate fetch copies $file from $branch in a read-only shallow clone (redline check passes on it); the branch is unchanged"
else
  flunk "gate fetch"; cat "$tmp/4.log" "$tmp/gate.log" 2> /dev/null
fi

# 4b. A path one slip away from the branch's baseline is a typo, not a first run: exit 2 naming it.
if ! (cd "$tmp/gate" && REDLINE_REMOTE=upstream "$real" baseline fetch --branch "$branch" --baseline baselines/bnech.json) > "$tmp/4b.log" 2>&1 &&
  grep -q "did you mean $file?" "$tmp/4b.log" && [ ! -e "$tmp/gate/baselines/bnech.json" ]; then
  pass "gate fetch of a mistyped path fails with the branch's nearest file"
else
  flunk "gate fetch of a mistyped path"; cat "$tmp/4b.log"
fi

# 5. No branch yet (the first run ever): a note, exit 0, no file; no push either.
rm -f "$tmp/gate/$file"
heads=$(git -C "$remote" for-each-ref)
if (cd "$tmp/gate" && "$real" baseline fetch --remote upstream --branch no-such-branch --baseline "$file") > "$tmp/5.log" 2>&1 &&
  grep -q "no baseline yet" "$tmp/5.log" && [ ! -e "$tmp/gate/$file" ] && [ "$(git -C "$remote" for-each-ref)" = "$heads" ] &&
  gate a; then
  pass "gate fetch without the branch: exit 0, no baseline yet (redline check passes: all new), nothing written"
else
  flunk "gate fetch without the branch"; cat "$tmp/5.log" "$tmp/gate.log" 2> /dev/null
fi

# 6. The gate's fetch does not write through a symbolic link planted by a pull request.
mkdir -p "$tmp/elsewhere"
rm -rf "$tmp/gate/baselines"
ln -s "$tmp/elsewhere" "$tmp/gate/baselines"
if ! (cd "$tmp/gate" && REDLINE_REMOTE=upstream "$real" baseline fetch --branch "$branch" --baseline "$file") > "$tmp/6.log" 2>&1 &&
  [ -z "$(ls "$tmp/elsewhere")" ]; then
  pass "gate fetch refuses to write through a symbolic link"
else
  flunk "gate fetch through a symbolic link"; cat "$tmp/6.log"
fi
rm -f "$tmp/gate/baselines"

# 7. A pull request cannot write it: update refuses the event before any git work, unless
# --allow-pr-update is given on purpose (as redline baseline update itself requires).
before=$(at "$branch")
if ! GITHUB_EVENT_NAME=pull_request update pr > "$tmp/7.log" 2>&1 && grep -q "pull_request event" "$tmp/7.log" &&
  [ "$(at "$branch")" = "$before" ] &&
  GITHUB_EVENT_NAME=pull_request update pr --allow-pr-update >> "$tmp/7.log" 2>&1 && has pr && single; then
  pass "update refuses a pull_request event (branch unchanged); --allow-pr-update overrides it"
else
  flunk "update on a pull_request event"; cat "$tmp/7.log"
fi

# 8. A push that keeps failing is never lost silently: the last attempt fails with a message.
before=$(at "$branch")
if ! (cd "$tmp/gate" && REDLINE_REMOTE=upstream REDLINE_ATTEMPTS=2 "$real" baseline update --branch "$branch" --baseline "$file" \
  --current "$tmp/c.json") > "$tmp/8.log" 2>&1 && grep -q "was not updated after 2 attempts" "$tmp/8.log" &&
  [ "$(at "$branch")" = "$before" ] && ! has c; then
  pass "update without push rights fails after 2 attempts with a message; the branch is unchanged"
else
  flunk "update without push rights"; cat "$tmp/8.log"
fi

# 9. Moving a committed baseline onto the branch: the first update starts from the checked-out file.
git clone -q "$remote" "$tmp/seed" 2> /dev/null
mkdir -p "$tmp/seed/baselines"
(cd "$tmp/seed" && "$real" baseline update --baseline "$file" --current "$tmp/seed.json" > /dev/null)
if (cd "$tmp/seed" && "$real" baseline update --branch seeded --baseline "$file" --current "$tmp/d.json") > "$tmp/9.log" 2>&1 &&
  git -C "$remote" show "refs/heads/seeded:$file" | grep -q '"seed"' &&
  git -C "$remote" show "refs/heads/seeded:$file" | grep -q '"d"' &&
  [ "$(git -C "$remote" rev-list --count refs/heads/seeded)" = 1 ]; then
  pass "first update on a new branch starts from the checked-out $file"
else
  flunk "first update from the checked-out file"; cat "$tmp/9.log"
fi

# 10. The default branch never got a commit, and no other branch appeared.
if [ "$(at main)" = "$main" ] &&
  [ "$(git -C "$remote" for-each-ref --format='%(refname)' refs/heads | tr '\n' ' ')" = \
    "refs/heads/main refs/heads/$branch refs/heads/seeded " ]; then
  pass "the default branch main is where it started; the remote has only main, $branch and seeded"
else
  flunk "the default branch"; git -C "$remote" for-each-ref
fi

echo "baseline-branch: $((cases - failures)) of $cases cases passed"
[ "$failures" = 0 ]
