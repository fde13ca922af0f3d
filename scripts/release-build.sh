#!/usr/bin/env bash
# Builds the release binary of redline for this machine's platform, exactly as
# .github/workflows/release.yml does on each runner:
#
#   scripts/release-build.sh VERSION OUTDIR      e.g. scripts/release-build.sh v1.2.3 dist
#
# - builds the committed tree (HEAD, through `git archive`) in a temporary copy, so the
#   working tree is never touched, not even for the version: the copy's
#   Sources/RedlineCore/Model/Version.swift gets VERSION (without its leading v), which is
#   what `redline --version` prints and what baselines record;
# - Linux: `swift build -c release --product redline --static-swift-stdlib`, with libstdc++
#   and libgcc linked statically too, so the binary needs only the C library (libc, libm,
#   ld-linux) of a glibc as old as the build machine's; macOS: a plain release build (the
#   Swift runtime is part of the OS);
# - strips it, checks its dynamic dependencies and that it prints `redline VERSION`;
# - writes OUTDIR/redline-VERSION-OS-ARCH (OS-ARCH: linux-x86_64, linux-aarch64,
#   macos-arm64, macos-x86_64) and adds its line to OUTDIR/SHA256SUMS (replacing an older
#   line for the same file).
#
# Environment: REDLINE_SCRATCH_PATH, the build directory (default: a temporary one, removed
# afterwards); SWIFT, the swift command (default: swift on PATH).
# Runs with bash 3.2 (macOS) and later.
set -euo pipefail

die() { printf 'release-build: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'release-build: %s\n' "$*" >&2; }

[ $# -eq 2 ] || { echo "usage: scripts/release-build.sh VERSION OUTDIR   (VERSION: v1.2.3 or 1.2.3)" >&2; exit 2; }
version="${1#v}"
outdir="$2"
# Digits and dots, then an optional pre-release of letters, digits, dots and hyphens: nothing
# that could break out of the Swift string literal or the file names.
if ! printf '%s\n' "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$'; then
  die "VERSION must look like v1.2.3 or v1.2.3-rc.1, not '$1'"
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
swift="${SWIFT:-swift}"
command -v "$swift" >/dev/null 2>&1 || die "no swift on PATH"
command -v git >/dev/null 2>&1 || die "git is needed (the release is built from the committed tree)"

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  *) die "no release build for $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) if [ "$os" = linux ]; then arch=aarch64; else arch=arm64; fi ;;
  *) die "no release build for $(uname -m)" ;;
esac
name="redline-$version-$os-$arch"

work="$(mktemp -d "${TMPDIR:-/tmp}/redline-release.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
scratch="${REDLINE_SCRATCH_PATH:-$work/build}"

# The committed tree, in a copy: the working tree is only read.
mkdir "$work/src"
git -C "$root" archive --format=tar HEAD | tar -x -C "$work/src"
if [ -n "$(git -C "$root" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  note "warning: the working tree has uncommitted changes; they are NOT in this build (it builds HEAD, $(git -C "$root" rev-parse --short HEAD))"
fi

# The version, from the tag, into the copy's Version.swift.
version_file="$work/src/Sources/RedlineCore/Model/Version.swift"
pattern='^([[:space:]]*public static let current = )"[^"]*"[[:space:]]*$'
[ -f "$version_file" ] || die "Sources/RedlineCore/Model/Version.swift is missing"
[ "$(grep -Ec "$pattern" "$version_file")" = 1 ] ||
  die "Version.swift must have exactly one line 'public static let current = \"...\"' (the line this script stamps)"
sed -E "s/$pattern/\\1\"$version\"/" "$version_file" > "$version_file.new"
mv "$version_file.new" "$version_file"
grep -q "public static let current = \"$version\"" "$version_file" || die "could not stamp the version"

flags=()
if [ "$os" = linux ]; then
  # --static-swift-stdlib links the Swift runtime, Foundation and Dispatch statically but
  # still asks for -lstdc++ (the runtime is C++) and clang adds -lgcc_s. A directory that
  # holds only libstdc++.a, searched before the system's, makes -lstdc++ resolve to the
  # archive; clang's -static-libgcc swaps libgcc_s for libgcc_eh.
  clang="$(dirname "$(command -v "$swift")")/clang"
  [ -x "$clang" ] || clang="$(command -v clang || command -v cc || true)"
  [ -n "$clang" ] || die "no clang or cc to find libstdc++.a with"
  libstdcxx="$("$clang" -print-file-name=libstdc++.a)"
  case "$libstdcxx" in
    /*) [ -f "$libstdcxx" ] || die "libstdc++.a not found ($libstdcxx); install libstdc++-N-dev" ;;
    *) die "libstdc++.a not found; install libstdc++-N-dev (the static C++ library of the system GCC)" ;;
  esac
  mkdir "$work/static-cxx"
  ln -s "$libstdcxx" "$work/static-cxx/libstdc++.a"
  flags=(--static-swift-stdlib -Xlinker "-L$work/static-cxx" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
fi

"$swift" --version >&2
note "building $name (scratch path $scratch)"
started=$(date +%s)
"$swift" build -c release --product redline --package-path "$work/src" --scratch-path "$scratch" ${flags[@]+"${flags[@]}"}
built="$("$swift" build -c release --product redline --package-path "$work/src" --scratch-path "$scratch" ${flags[@]+"${flags[@]}"} --show-bin-path)/redline"
note "build took $(( $(date +%s) - started )) s"
[ -x "$built" ] || die "the build produced no $built"

mkdir -p "$outdir"
out="$outdir/$name"
rm -f "$out"
if [ "$os" = linux ]; then
  strip --strip-all -o "$out" "$built"
else
  cp "$built" "$out"
  strip -S -x "$out"
  codesign --force --sign - "$out" # stripping invalidates the linker's ad-hoc signature
fi
chmod 755 "$out"

# Dynamic dependencies: the C library only.
if [ "$os" = linux ]; then
  echo "== ldd $name"
  ldd "$out" || true
  if ldd "$out" 2>&1 | grep -q "not found"; then die "$name has a dependency that is not found (above)"; fi
  needed="$(readelf -d "$out" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
  echo "== NEEDED: $(echo "$needed" | tr '\n' ' ')"
  for library in $needed; do
    case "$library" in
      libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | libutil.so.1 | ld-linux-*.so.*) ;;
      *) die "$name needs $library; a release binary may need only the C library (libc, libm, ld-linux)" ;;
    esac
  done
  glibc="$(objdump -T "$out" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V | tail -n 1)"
  echo "== newest glibc symbol version needed: ${glibc:-none}"
else
  echo "== otool -L $name"
  otool -L "$out"
  otool -L "$out" | tail -n +2 | while read -r library _; do
    case "$library" in
      /usr/lib/* | /System/Library/*) ;;
      *) die "$name needs $library; a release binary may need only the system's libraries" ;;
    esac
  done
fi

printed="$("$out" --version)"
[ "$printed" = "redline $version" ] || die "$name --version printed '$printed', not 'redline $version'"
echo "== $name --version: $printed"

if command -v sha256sum >/dev/null 2>&1; then
  hash="$(sha256sum "$out" | cut -d ' ' -f 1)"
else
  hash="$(shasum -a 256 "$out" | cut -d ' ' -f 1)"
fi
sums="$outdir/SHA256SUMS"
if [ -f "$sums" ]; then
  awk -v n="$name" '$2 != n && $2 != "*" n' "$sums" > "$sums.new"
  mv "$sums.new" "$sums"
fi
printf '%s  %s\n' "$hash" "$name" >> "$sums"
size="$(wc -c < "$out" | tr -d ' ')"
echo "== $out: $size bytes ($(( size / 1048576 )) MiB), sha256 $hash"
