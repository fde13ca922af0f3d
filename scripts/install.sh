#!/bin/sh
# Installs a released redline binary for this machine, checked against the release's SHA256SUMS.
# Used by the GitHub action (.github/actions/redline) and on laptops:
#
#   sh install.sh [--version vX.Y.Z] [--dir DIR] [--base-url URL] [--repo OWNER/NAME]
#
#   --version   the release (tag) to install; default: the latest release of --repo
#   --dir       where to put the `redline` executable; default: $HOME/.local/bin
#   --base-url  where releases are downloaded from; default:
#               https://github.com/OWNER/NAME/releases/download (files are BASE/vX.Y.Z/FILE)
#   --repo      the GitHub repository, for the default base URL and "latest"
#
# The same settings can come from REDLINE_VERSION, REDLINE_INSTALL_DIR, REDLINE_BASE_URL and
# REDLINE_REPO (flags win). REDLINE_PLATFORM (e.g. linux-x86_64) overrides the detected
# platform; REDLINE_DOWNLOADER=curl|wget picks the download tool.
#
# Exit status: 0 installed; 2 bad arguments; 3 no such release, or no build of it for this
# platform; 4 checksum mismatch; 5 the downloaded binary does not run here; 1 anything else
# (download failure, missing tools). On any failure nothing is installed and an existing
# DIR/redline is left as it was.
set -eu

# The repository releases come from (used only without --base-url).
DEFAULT_REPO="OWNER/redline"

say() { printf 'redline install: %s\n' "$*" >&2; }
fail() {
  status=$1
  shift
  say "error: $*"
  exit "$status"
}
usage() {
  if [ -f "$0" ]; then sed -n '2,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p;}' "$0" >&2
  else say "usage: install.sh [--version vX.Y.Z] [--dir DIR] [--base-url URL] [--repo OWNER/NAME]"
  fi
}

version="${REDLINE_VERSION:-}"
dir="${REDLINE_INSTALL_DIR:-}"
base_url="${REDLINE_BASE_URL:-}"
repo="${REDLINE_REPO:-$DEFAULT_REPO}"
while [ $# -gt 0 ]; do
  case "$1" in
    --version | --dir | --base-url | --repo)
      [ $# -ge 2 ] || fail 2 "$1 needs a value"
      case "$1" in
        --version) version=$2 ;;
        --dir) dir=$2 ;;
        --base-url) base_url=$2 ;;
        --repo) repo=$2 ;;
      esac
      shift 2
      ;;
    --version=*) version=${1#*=}; shift ;;
    --dir=*) dir=${1#*=}; shift ;;
    --base-url=*) base_url=${1#*=}; shift ;;
    --repo=*) repo=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail 2 "unknown argument '$1' (see --help)" ;;
  esac
done
if [ -z "$dir" ]; then
  [ -n "${HOME:-}" ] || fail 2 "no --dir and no HOME"
  dir="$HOME/.local/bin"
fi

# The tools.
downloader="${REDLINE_DOWNLOADER:-}"
if [ -z "$downloader" ]; then
  if command -v curl > /dev/null 2>&1; then downloader=curl
  elif command -v wget > /dev/null 2>&1; then downloader=wget
  else fail 1 "curl or wget is needed"
  fi
fi
case "$downloader" in
  curl | wget) command -v "$downloader" > /dev/null 2>&1 || fail 1 "$downloader is not installed" ;;
  *) fail 2 "REDLINE_DOWNLOADER must be curl or wget" ;;
esac
if command -v sha256sum > /dev/null 2>&1; then hasher="sha256sum"
elif command -v shasum > /dev/null 2>&1; then hasher="shasum -a 256"
elif command -v openssl > /dev/null 2>&1; then hasher="openssl"
else fail 1 "sha256sum, shasum or openssl is needed to verify the download"
fi
sha256() {
  if [ "$hasher" = openssl ]; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    $hasher "$1" | cut -d ' ' -f 1
  fi
}

# The platform, named as the release names its files.
platform="${REDLINE_PLATFORM:-}"
if [ -z "$platform" ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) fail 3 "no release build for $(uname -s); build from source: swift build -c release --product redline" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) if [ "$os" = linux ]; then arch=aarch64; else arch=arm64; fi ;;
    *) fail 3 "no release build for $(uname -m); build from source: swift build -c release --product redline" ;;
  esac
  # A shell under Rosetta reports x86_64 on Apple silicon: install the native build.
  if [ "$os" = macos ] && [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2> /dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  if [ "$os" = linux ] && ldd --version 2>&1 | grep -qi musl; then
    fail 3 "the Linux builds need glibc and this system uses musl; build from source: swift build -c release --product redline"
  fi
  platform="$os-$arch"
fi

# get URL FILE: 0 downloaded, 3 not found (HTTP 404), 1 any other failure.
get() {
  if [ "$downloader" = curl ]; then
    case "$1" in
      https://*) code=$(curl -sS -L --proto =https --proto-redir =https --retry 3 --connect-timeout 30 -o "$2" -w '%{http_code}' "$1") || return 1 ;;
      *) code=$(curl -sS -L --retry 3 --connect-timeout 30 -o "$2" -w '%{http_code}' "$1") || return 1 ;;
    esac
    case "$code" in
      200) return 0 ;;
      404) return 3 ;;
      *) say "HTTP $code from $1"; return 1 ;;
    esac
  else
    # wget's status 8 is "the server answered with an error" (404 among them).
    wget_status=0
    wget -q --tries=3 --timeout=30 -O "$2" "$1" || wget_status=$?
    case "$wget_status" in
      0) return 0 ;;
      8) return 3 ;;
      *) return 1 ;;
    esac
  fi
}

# download URL FILE NOT_FOUND: get URL, or fail: exit 3 with NOT_FOUND on a 404, exit 1 otherwise.
download() {
  status=0
  get "$1" "$2" || status=$?
  case "$status" in
    0) ;;
    3) fail 3 "$3" ;;
    *) fail 1 "could not download $1" ;;
  esac
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/redline-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The version: given, or the latest release (GitHub redirects .../releases/latest to its tag).
if [ -z "$version" ]; then
  [ -z "$base_url" ] || fail 2 "--base-url needs --version"
  latest="https://github.com/$repo/releases/latest"
  if [ "$downloader" = curl ]; then
    resolved=$(curl -sS -L --proto =https --proto-redir =https -o /dev/null -w '%{url_effective}' "$latest") || resolved=""
  else
    resolved=$(wget -q --max-redirect=5 -S -O /dev/null "$latest" 2>&1 | sed -n 's/^ *[Ll]ocation: *//p' | tail -n 1 | tr -d '\r') || resolved=""
  fi
  version="${resolved##*/}"
  case "$version" in
    v[0-9]*) say "the latest release of $repo is $version" ;;
    *) fail 1 "could not find the latest release of $repo ($latest); give --version" ;;
  esac
fi
if ! printf '%s\n' "$version" | grep -Eq '^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$'; then
  fail 2 "--version must look like v1.2.3 (or v1.2.3-rc.1), not '$version'"
fi
number="${version#v}"
tag="v$number"
asset="redline-$number-$platform"
base_url="${base_url:-https://github.com/$repo/releases/download}"
base_url="${base_url%/}"

# SHA256SUMS first: it says whether the release exists and has this platform.
download "$base_url/$tag/SHA256SUMS" "$tmp/SHA256SUMS" "no release $tag at $base_url ($base_url/$tag/SHA256SUMS: not found)"
expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")
if [ -z "$expected" ]; then
  builds=$(awk '{ sub(/^\*/, "", $2); printf "%s ", $2 }' "$tmp/SHA256SUMS")
  fail 3 "release $tag has no build for $platform (it has: ${builds:-nothing})"
fi
printf '%s\n' "$expected" | grep -Eq '^[0-9a-fA-F]{64}$' || fail 1 "SHA256SUMS of $tag has a malformed line for $asset"

download "$base_url/$tag/$asset" "$tmp/$asset" \
  "release $tag lists $asset in SHA256SUMS but the file is not there ($base_url/$tag/$asset: not found)"

actual=$(sha256 "$tmp/$asset")
expected=$(printf '%s' "$expected" | tr 'A-F' 'a-f')
if [ "$actual" != "$expected" ]; then
  fail 4 "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual. Nothing was installed. The file is corrupt or was tampered with: do not use it."
fi
say "verified $asset (sha256 $actual)"

chmod 755 "$tmp/$asset"
if ! printed=$("$tmp/$asset" --version 2>&1); then
  fail 5 "the downloaded $asset does not run on this machine ($printed); build from source: swift build -c release --product redline"
fi
[ "$printed" = "redline $number" ] || say "warning: $asset --version printed '$printed', not 'redline $number'"

# Into place atomically: a copy beside the target, then a rename over it.
mkdir -p "$dir" || fail 1 "cannot create $dir"
staged="$dir/.redline.install.$$"
cp "$tmp/$asset" "$staged" || { rm -f "$staged"; fail 1 "cannot write to $dir"; }
chmod 755 "$staged"
mv -f "$staged" "$dir/redline" || { rm -f "$staged"; fail 1 "cannot replace $dir/redline"; }
say "installed redline $number ($platform) as $dir/redline"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) say "note: $dir is not on PATH; add it, or run $dir/redline" ;;
esac
printf '%s\n' "$dir/redline"
