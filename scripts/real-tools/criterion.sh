#!/bin/sh
# Regenerate real Criterion.rs (0.3.6, Debian bookworm) output, fully offline.
#
# Needs (Debian bookworm): apt-get install -y librust-criterion-dev cargo
# Uses Debian's /usr/bin/cargo + /usr/bin/rustc and the vendored crates in
# /usr/share/cargo/registry; no network is touched (--offline).
#
# Usage: criterion.sh [OUTDIR]   (default: ./out/criterion)
# Writes into OUTDIR:
#   run1-base.txt      console output (stdout+stderr, not a TTY) of run 1
#   run2-change.txt    console output of run 2 (slowed down -> change: blocks)
#   build.txt          cold build log + wall-clock seconds
#   criterion-after-run1/  the target/criterion tree right after run 1
#   criterion/         the whole target/criterion tree after both runs
#   timings.txt        wall-clock seconds of the build and of each run
# Note: Criterion 0.3 copies new/ over base/ at the end of every run, so after
# run 2 base/ holds run 2's data; run 1's numbers survive only in the
# criterion-after-run1/ snapshot (and in change/, relative to run 1).
set -eu

OUTDIR=${1:-./out/criterion}
CARGO=${CARGO:-/usr/bin/cargo}
RUSTC=${RUSTC:-/usr/bin/rustc}
REGISTRY=${DEBIAN_CARGO_REGISTRY:-/usr/share/cargo/registry}
export RUSTC

for f in "$CARGO" "$RUSTC"; do
  if [ ! -x "$f" ]; then
    echo "missing $f: apt-get install -y cargo librust-criterion-dev" >&2
    exit 1
  fi
done
if [ ! -d "$REGISTRY/criterion-0.3.6" ]; then
  echo "missing $REGISTRY/criterion-0.3.6: apt-get install -y librust-criterion-dev" >&2
  exit 1
fi

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# A private CARGO_HOME so that no user-level config/registry is consulted.
export CARGO_HOME="$WORK/cargo-home"
mkdir -p "$CARGO_HOME" "$WORK/crate/.cargo" "$WORK/crate/src" "$WORK/crate/benches"
cd "$WORK/crate"

cat > .cargo/config.toml <<TOML
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$REGISTRY"

[net]
offline = true
TOML

cat > Cargo.toml <<'TOML'
[package]
name = "redline_crit_sample"
version = "0.1.0"
edition = "2018"
publish = false

[dev-dependencies]
criterion = "0.3"

[[bench]]
name = "sample"
harness = false
TOML

cat > src/lib.rs <<'RS'
//! Tiny workloads for a Criterion sample. `factor` repeats the work so a
//! second run can be made deliberately slower without changing the input.

/// Rolling 32-bit checksum over `data`, repeated `factor` times.
pub fn checksum(data: &[u8], factor: u32) -> u32 {
    let mut acc: u32 = 0x811c_9dc5;
    for _ in 0..factor {
        for &b in data {
            acc ^= u32::from(b);
            acc = acc.wrapping_mul(0x0100_0193);
        }
    }
    acc
}

/// Insertion-sort a copy of `items`, repeated `factor` times.
pub fn sort_copy(items: &[u32], factor: u32) -> u32 {
    let mut last = 0;
    for _ in 0..factor {
        let mut v = items.to_vec();
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1] > v[j] {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        last = v[v.len() / 2];
    }
    last
}

/// Naive recursive Fibonacci.
pub fn fib(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1) + fib(n - 2)
    }
}
RS

cat > benches/sample.rs <<'RS'
use criterion::{
    black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use redline_crit_sample::{checksum, fib, sort_copy};
use std::time::Duration;

/// REDLINE_SLOWDOWN=N repeats the work N times (default 1).
fn factor() -> u32 {
    std::env::var("REDLINE_SLOWDOWN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

fn bench_checksum(c: &mut Criterion) {
    let f = factor();
    let mut group = c.benchmark_group("checksum");
    for size in [1024usize, 16384] {
        let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("fnv", size), &data, |b, d| {
            b.iter(|| checksum(black_box(d), f))
        });
    }
    group.finish();
}

fn bench_flat(c: &mut Criterion) {
    let f = factor();
    let items: Vec<u32> = (0..256u32).map(|i| i.wrapping_mul(2_654_435_761) >> 7).collect();
    let mut group = c.benchmark_group("flat");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(items.len() as u64));
    group.bench_function("insertion_sort_256", |b| {
        b.iter(|| sort_copy(black_box(&items), f))
    });
    group.finish();
}

fn bench_plain(c: &mut Criterion) {
    let f = factor();
    c.bench_function("fib_18", |b| b.iter(|| fib(black_box(18 + (f - 1)))));
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(500))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_checksum, bench_flat, bench_plain
}
criterion_main!(benches);
RS

elapsed() {
  echo "$1 $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}'
}

# Cold build (fresh CARGO_HOME and target dir), timed.
start=$(date +%s.%N)
"$CARGO" bench --offline --bench sample --no-run > "$OUTDIR/build.txt" 2>&1 || {
  cat "$OUTDIR/build.txt" >&2
  exit 1
}
build_s=$(elapsed "$start")
{
  echo "---"
  "$CARGO" --version
  "$RUSTC" --version
  echo "cold build wall-clock seconds: $build_s"
  echo "cpus: $(nproc)"
} >> "$OUTDIR/build.txt"

# Run 1: baseline. Run 2: same benchmarks, 2x work -> Criterion compares
# against the previous run ("change:" blocks, "Performance has regressed.").
start=$(date +%s.%N)
REDLINE_SLOWDOWN=1 "$CARGO" bench --offline --bench sample \
  > "$OUTDIR/run1-base.txt" 2>&1
run1_s=$(elapsed "$start")
rm -rf "$OUTDIR/criterion-after-run1"
cp -R target/criterion "$OUTDIR/criterion-after-run1"

start=$(date +%s.%N)
REDLINE_SLOWDOWN=2 "$CARGO" bench --offline --bench sample \
  > "$OUTDIR/run2-change.txt" 2>&1
run2_s=$(elapsed "$start")
rm -rf "$OUTDIR/criterion"
cp -R target/criterion "$OUTDIR/criterion"

{
  echo "cold_build_seconds=$build_s"
  echo "run1_seconds=$run1_s"
  echo "run2_seconds=$run2_s"
  echo "cpus=$(nproc)"
  echo "loadavg_at_end=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUTDIR/timings.txt"
echo "wrote $OUTDIR"
