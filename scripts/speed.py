#!/usr/bin/env python3
"""Speed and memory of `redline check` against Google Benchmark's compare.py and a plain read.

Generates Google Benchmark JSON (and the same runs as native JSON) for 10, 1,000, 10,000 and
100,000 benchmarks x 10 repetitions, then times, per size, as the median of several runs:
redline check end to end (current against a baseline made from an earlier generated run),
compare.py on the same pair, and `cat FILE > /dev/null`; with the peak RSS of each. Prints
ratios, not only times. Not a test: it asserts nothing.

    python3 scripts/speed.py [--sizes 10,1000,10000,100000] [--runs 5] [--no-compare] [--json FILE]

With --json, the figures are also written as redline metrics (speed/...), which the repository's
own budgets.json gates (throughput, the ratio to compare.py and to a plain read, peak RSS per input byte).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

from bench import measure, release_binary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARE = "/usr/share/benchmark/compare.py"


def google_benchmark(path, count, repetitions, seed, scale=1.0):
    """Writes Google Benchmark JSON as the library does: iterations, then the aggregates."""
    rng = random.Random(seed)
    with open(path, "w") as out:
        out.write('{\n  "context": {\n    "date": "2026-11-24T10:00:00+00:00",\n    "host_name": "bench",\n'
                  '    "executable": "./bench",\n    "num_cpus": 2,\n    "mhz_per_cpu": 2400,\n'
                  '    "cpu_scaling_enabled": false,\n    "library_build_type": "release"\n  },\n  "benchmarks": [\n')
        first = True
        for family in range(count):
            name = "BM_Family%d/%d" % (family // 100, family % 100)
            base = 100.0 + (family % 997)
            times = []
            for repetition in range(repetitions):
                real = base * scale * rng.uniform(0.97, 1.03)
                times.append(real)
                entry = ('    {\n      "name": "%s",\n      "family_index": %d,\n      "per_family_instance_index": 0,\n'
                         '      "run_name": "%s",\n      "run_type": "iteration",\n      "repetitions": %d,\n'
                         '      "repetition_index": %d,\n      "threads": 1,\n      "iterations": %d,\n'
                         '      "real_time": %.10e,\n      "cpu_time": %.10e,\n      "time_unit": "ns"\n    }'
                         % (name, family, name, repetitions, repetition, 1000000, real, real * 0.98))
                out.write(("" if first else ",\n") + entry)
                first = False
            for aggregate, value in [("mean", statistics.mean(times)), ("median", statistics.median(times)),
                                     ("stddev", statistics.pstdev(times))]:
                entry = ('    {\n      "name": "%s_%s",\n      "family_index": %d,\n      "per_family_instance_index": 0,\n'
                         '      "run_name": "%s",\n      "run_type": "aggregate",\n      "repetitions": %d,\n'
                         '      "threads": 1,\n      "aggregate_name": "%s",\n      "aggregate_unit": "time",\n'
                         '      "iterations": %d,\n      "real_time": %.10e,\n      "cpu_time": %.10e,\n      "time_unit": "ns"\n    }'
                         % (name, aggregate, family, name, repetitions, aggregate, repetitions, value, value * 0.98))
                out.write(",\n" + entry)
        out.write("\n  ]\n}\n")
    return os.path.getsize(path)


def sh(command):
    return ["/bin/sh", "-c", command]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,1000,10000,100000")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-compare", action="store_true", help="skip compare.py (it is slow on large inputs)")
    parser.add_argument("--compare-max", type=int, default=10000, help="largest size compare.py is run on")
    parser.add_argument("--binary", default=None)
    parser.add_argument("--json", default=None, help="also write the figures as redline native metrics")
    parser.add_argument("--workdir", default=os.path.join(ROOT, "bench-out", "speed"))
    args = parser.parse_args()
    binary = release_binary(args.binary)
    os.makedirs(args.workdir, exist_ok=True)
    python = sys.executable
    rows = []
    print("%-13s %9s | %10s %7s %9s | %12s %7s %9s | %12s %9s | %9s | %10s %7s" % (
        "benchmarks", "file", "check", "MB/s", "peak RSS", "check --json", "MB/s", "peak RSS", "compare.py",
        "peak RSS", "cat", "vs compare", "vs cat"), flush=True)
    for count in [int(size) for size in args.sizes.split(",")]:
        current = os.path.join(args.workdir, "gb-%d-current.json" % count)
        earlier = os.path.join(args.workdir, "gb-%d-baseline.json" % count)
        baseline = os.path.join(args.workdir, "gb-%d-baseline.redline.json" % count)
        size = google_benchmark(current, count, args.repetitions, seed=1)
        google_benchmark(earlier, count, args.repetitions, seed=2, scale=0.99)
        subprocess.run([binary, "baseline", "update", "--current", earlier, "--baseline", baseline, "--prune"],
                       check=True, stdout=subprocess.DEVNULL, cwd=args.workdir)
        runs = args.runs if count <= 10000 else max(3, args.runs // 2)
        check = [binary, "check", "--current", current, "--baseline", baseline]
        redline = measure(check, args.workdir, runs)
        with_json = measure(check + ["--json", os.path.join(args.workdir, "r.json")], args.workdir, runs)
        cat = measure(sh("cat '%s' > /dev/null" % current), args.workdir, runs)
        compare = None
        if not args.no_compare and os.path.exists(COMPARE) and count <= args.compare_max:
            compare = measure([python, COMPARE, "--no-color", "benchmarks", earlier, current], args.workdir,
                              max(1, runs // 2), warmup=False)  # compare.py is quadratic: no warm-up run
        rows.append((count, size, redline, with_json, cat, compare))
        line = "%-13s %7.1fMB | %7.1f ms %7.1f %6.1f MB | %9.1f ms %7.1f %6.1f MB | " % (
            "%d x %d" % (count, args.repetitions), size / 1e6, redline[0] * 1000, size / 1e6 / redline[0], redline[1] / 1e6,
            with_json[0] * 1000, size / 1e6 / with_json[0], with_json[1] / 1e6)
        if compare:
            line += "%10.0f ms %6.1f MB | " % (compare[0] * 1000, compare[1] / 1e6)
        else:
            line += "%12s %9s | " % ("–", "–")
        line += "%6.1f ms | " % (cat[0] * 1000)
        line += "%10s " % ("%.0fx" % (compare[0] / redline[0]) if compare else "–")
        line += "%6.1fx" % (redline[0] / cat[0])
        print(line, flush=True)
    print("(medians; 'vs compare' = compare.py time / check time; 'vs cat' = check time / plain read time;"
          " peak RSS goal: 2 x input + 20 MB)")
    if args.json:
        metrics = []
        for count, size, redline, with_json, cat, compare in rows:
            prefix = "speed/gb-%dx%d" % (count, args.repetitions)
            metrics.append({"name": prefix + "/check-time", "value": round(redline[0] * 1000, 3), "unit": "ms"})
            metrics.append({"name": prefix + "/check-throughput", "value": round(size / 1e6 / redline[0], 3), "unit": "MB/s"})
            metrics.append({"name": prefix + "/check-json-throughput", "value": round(size / 1e6 / with_json[0], 3), "unit": "MB/s"})
            metrics.append({"name": prefix + "/peak-rss-per-input", "value": round(with_json[1] / size, 3), "direction": "lower"})
            metrics.append({"name": prefix + "/vs-cat", "value": round(redline[0] / cat[0], 3), "direction": "lower"})
            if compare:
                metrics.append({"name": prefix + "/speedup-vs-compare-py", "value": round(compare[0] / redline[0], 3),
                                "direction": "higher"})
        with open(args.json, "w") as out:
            json.dump({"schema": "redline.metrics.v1", "metrics": metrics}, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
