#!/usr/bin/env python3
"""Times `redline check` end to end on generated native metrics files and prints figures.

Not a test: it prints medians and ratios for a person (and the project's own gate) to read.

    python3 scripts/bench.py                 # builds release, 100 MB and 10-metric gates
    python3 scripts/bench.py --size-mb 20    # a smaller large file
    python3 scripts/bench.py --json out.json # also write the figures as redline metrics

Each case runs the process several times; it reports the median wall time, MB/s over the
bytes redline reads (current + baseline), and the peak RSS of the slowest-memory run.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# GNU time, for the peak RSS of one command (Debian's `time` package); without it, wait4's figure.
TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def write_metrics(path, count, seed, scale=1.0, schema="redline.metrics.v1"):
    """Writes `count` metrics with 10 samples each in the native array shape."""
    rng = random.Random(seed)
    with open(path, "w") as out:
        out.write('{\n  "schema": "%s",\n  "context": {"commit": "bench", "branch": "main"},\n  "metrics": [\n' % schema)
        for index in range(count):
            base = 1000.0 + (index % 997) * 13.0
            samples = ", ".join("%.1f" % (base * scale * rng.uniform(0.97, 1.03)) for _ in range(10))
            sep = ",\n" if index + 1 < count else "\n"
            out.write('    {"name": "suite/group_%d/case_%d", "unit": "ns", "samples": [%s]}%s'
                      % (index // 1000, index, samples, sep))
        out.write("  ]\n}\n")
    return os.path.getsize(path)


def run_once(argv, cwd):
    """Runs argv; returns (seconds, peak RSS in bytes, exit status).

    The peak RSS comes from /usr/bin/time between this script and the command: Linux counts in a
    process's peak the memory of the process it was forked from, so wait4 would report at least
    this script's own size (hundreds of MB after generating a large file), not the command's.
    """
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull, tempfile.NamedTemporaryFile("r") as peak_file:
        wrapped = [TIME, "-f", "%M", "-o", peak_file.name] + argv if TIME else argv
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=devnull, stderr=devnull)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        peak_kb = usage.ru_maxrss
        if TIME:
            # time writes "Command exited with non-zero status N" before the figure when N != 0.
            lines = peak_file.read().split()
            peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else peak_kb
    return elapsed, peak_kb * 1024, os.waitstatus_to_exitcode(status)


def measure(argv, cwd, runs, warmup=True):
    """Median seconds, largest peak RSS and the exit statuses of `runs` runs (after one to warm the page cache)."""
    times, peaks, codes = [], [], set()
    if warmup:
        run_once(argv, cwd)
    for _ in range(runs):
        elapsed, peak, code = run_once(argv, cwd)
        times.append(elapsed)
        peaks.append(peak)
        codes.add(code)
    return statistics.median(times), max(peaks), codes


def release_binary(given):
    """The redline executable to time: `given`, else a release build made now."""
    if given:
        return os.path.abspath(given)
    subprocess.run(["swift", "build", "-c", "release", "--product", "redline"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "redline")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=100, help="size of the large current file (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the large case (default 5)")
    parser.add_argument("--small-runs", type=int, default=30, help="runs of the small case (default 30)")
    parser.add_argument("--binary", default=None, help="redline executable (default: build release)")
    parser.add_argument("--workdir", default=os.path.join(ROOT, "bench-out"))
    parser.add_argument("--json", default=None, help="write the figures as a redline metrics file")
    args = parser.parse_args()

    binary = release_binary(args.binary)
    os.makedirs(args.workdir, exist_ok=True)

    per_metric = 150  # bytes per generated metric line, measured below
    large_count = max(10, int(args.size_mb * 1e6 / per_metric))
    large = os.path.join(args.workdir, "large-current.json")
    large_base = os.path.join(args.workdir, "large-baseline.json")
    small = os.path.join(args.workdir, "small-current.json")
    small_base = os.path.join(args.workdir, "small-baseline.json")
    size_large = write_metrics(large, large_count, seed=1)
    size_large_base = write_metrics(large_base, large_count, seed=2, scale=0.99, schema="redline.baseline.v1")
    size_small = write_metrics(small, 10, seed=3)
    size_small_base = write_metrics(small_base, 10, seed=4, scale=0.99, schema="redline.baseline.v1")
    with open(os.path.join(args.workdir, "budgets.json"), "w") as budgets:
        budgets.write('{"metrics": {"suite/*": {"maxRegression": "10%"}}}\n')

    figures = {}
    rows = []
    for label, current, baseline, size, runs in [
        ("small (10 metrics)", small, small_base, size_small + size_small_base, args.small_runs),
        ("large (%d metrics, %.0f MB)" % (large_count, size_large / 1e6), large, large_base,
         size_large + size_large_base, args.runs),
    ]:
        argv = [binary, "check", "--current", current, "--baseline", baseline, "--budgets",
                os.path.join(args.workdir, "budgets.json"), "--json", os.path.join(args.workdir, "result.json")]
        median, peak, codes = measure(argv, args.workdir, runs)
        if not codes <= {0, 1}:
            sys.exit("redline exited with %s on %s" % (sorted(codes), label))
        rows.append((label, median, size / 1e6 / median, peak, size, runs))
        key = "small" if label.startswith("small") else "large"
        figures[key] = (median, size / 1e6 / median, peak, size)

    print("%-36s %12s %10s %12s %14s" % ("case", "median", "MB/s", "peak RSS", "RSS / input"))
    for label, median, rate, peak, size, runs in rows:
        print("%-36s %9.1f ms %10.1f %9.1f MB %13.2fx   (%d runs)" % (label, median * 1000, rate, peak / 1e6, peak / size, runs))
    large_median = figures["large"][0]
    small_median = figures["small"][0]
    print("large / small median time: %.0fx for %.0fx the bytes" % (large_median / small_median,
                                                                   figures["large"][3] / figures["small"][3]))

    if args.json:
        document = {"schema": "redline.metrics.v1", "metrics": [
            {"name": "bench/small-check-time", "value": round(small_median * 1000, 3), "unit": "ms"},
            {"name": "bench/large-check-throughput", "value": round(figures["large"][1], 3), "unit": "MB/s"},
            {"name": "bench/large-check-peak-rss", "value": round(figures["large"][2] / 1e6, 3), "unit": "MB"},
        ]}
        with open(args.json, "w") as out:
            json.dump(document, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
