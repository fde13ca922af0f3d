#!/usr/bin/env python3
"""Speed and memory of `redline check` against a baseline with a 20-run window, for one or two builds.

Not a test: it asserts nothing, it prints figures. Two cases, each a current file judged against
a baseline that the binary itself recorded from `--window` earlier runs (`baseline update`, one
run at a time, as the pushes to main would):

  gb      Google Benchmark JSON, 20,000 benchmarks x 10 repetitions (about 97 MB)
  native  dense native JSON: 133,333 metrics with 10 samples each (about 20 MB)

    python3 scripts/window_speed.py --binary .build/release/redline [--before OLD_BINARY] [--runs 5]
    python3 scripts/window_speed.py --binary B --cases native --native-metrics 1000,10000,100000   # growth

`--gb-benchmarks` and `--native-metrics` take a list of sizes (each a case of its own), for the
growth of time and memory with the number of metrics.

With --before, the two binaries run one right after the other, alternating, and the ratio
after/before of the medians is printed: the figure to quote on a shared machine. "MB/s cur" is over
the current file, "MB/s all" over the current file and the baseline; "vs cat" is the median over
`cat FILE > /dev/null` of the current file, timed in the same runs.

For each case it also times `baseline update` of the current file into the baseline of a full
window (the oldest run drops out, as on a push to main), with its peak RSS, and prints the size of
the baseline in bytes per metric per run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess

from bench import run_once, write_metrics
from speed import google_benchmark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def record_window(binary, runs, baseline, budgets):
    """Records `runs` runs into `baseline` with `binary`, one `baseline update` per run."""
    if os.path.exists(baseline):
        os.remove(baseline)
    for path in runs:
        subprocess.run([binary, "baseline", "update", "--current", path, "--baseline", baseline, "--budgets", budgets],
                       check=True, stdout=subprocess.DEVNULL)


def metric_count(baseline):
    """How many metrics a baseline holds (its `metrics` array)."""
    with open(baseline) as source:
        return len(json.load(source)["metrics"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the redline executable to time")
    parser.add_argument("--before", default=None, help="an earlier redline executable, timed in turn with --binary")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per binary and case (default 5)")
    parser.add_argument("--window", type=int, default=20, help="runs in the baseline's window (default 20)")
    parser.add_argument("--cases", default="gb,native", help="gb, native or both (default)")
    parser.add_argument("--gb-benchmarks", default="20000", help="benchmarks of the gb case, a list (default 20000)")
    parser.add_argument("--native-metrics", default="133333", help="metrics of the native case, a list (default 133333)")
    parser.add_argument("--workdir", default=os.path.join(ROOT, "bench-out", "window"))
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    binaries = [("after", os.path.abspath(args.binary))]
    if args.before:
        binaries.insert(0, ("before", os.path.abspath(args.before)))

    budgets = os.path.join(args.workdir, "budgets.json")
    with open(budgets, "w") as out:
        out.write('{"metrics": {"*": {"maxRegression": "10%"}}}\n')
    # Four earlier runs recorded in turn make the window (generating 20 files of 97 MB would take
    # longer than everything else); the current run is a fifth, 1% slower.
    variants = 4
    cases = []
    for case in args.cases.split(","):
        sizes = args.gb_benchmarks if case == "gb" else args.native_metrics
        for size in [int(text) for text in sizes.split(",")]:
            files = []
            for seed in range(variants + 1):
                path = os.path.join(args.workdir, "%s-%d-%d.json" % (case, size, seed))
                scale = 1.01 if seed == variants else 1.0
                if not os.path.exists(path):
                    if case == "gb":
                        google_benchmark(path, size, 10, seed=seed + 1, scale=scale)
                    else:
                        write_metrics(path, size, seed=seed + 1, scale=scale)
                files.append(path)
            earlier = [files[i % variants] for i in range(args.window)]
            cases.append(("%s-%d" % (case, size), earlier, files[variants]))

    print("%-13s %-7s %10s %9s %9s %10s %10s %6s %10s %10s %9s" % (
        "case", "binary", "median", "MB/s cur", "MB/s all", "peak RSS", "vs cat", "runs", "update", "upd RSS",
        "B/metric/run"))
    for case, earlier, current in cases:
        size = os.path.getsize(current)
        argvs = {}
        for label, binary in binaries:
            baseline = os.path.join(args.workdir, "%s-%s-baseline.json" % (case, label))
            record_window(binary, earlier, baseline, budgets)
            argvs[label] = [binary, "check", "--current", current, "--baseline", baseline, "--budgets", budgets]
        cat = ["cat", current]
        times = {label: [] for label, _ in binaries}
        peaks = {label: 0 for label, _ in binaries}
        cats = []
        updates = {label: [] for label, _ in binaries}
        update_peaks = {label: 0 for label, _ in binaries}
        for label, _ in binaries:
            run_once(argvs[label], args.workdir)  # warm-up: page cache
        for _ in range(args.runs):
            for label, _ in binaries:
                elapsed, peak, code = run_once(argvs[label], args.workdir)
                if code not in (0, 1):
                    raise SystemExit("%s exited %d on %s" % (label, code, case))
                times[label].append(elapsed)
                peaks[label] = max(peaks[label], peak)
                # The update writes a copy, so that every run starts from the same window.
                baseline = argvs[label][5]
                copy = baseline + ".update"
                shutil.copyfile(baseline, copy)
                elapsed, peak, code = run_once(
                    [argvs[label][0], "baseline", "update", "--current", current, "--baseline", copy,
                     "--budgets", budgets], args.workdir)
                if code != 0:
                    raise SystemExit("%s: baseline update exited %d on %s" % (label, code, case))
                updates[label].append(elapsed)
                update_peaks[label] = max(update_peaks[label], peak)
            cats.append(run_once(cat, args.workdir)[0])
        cat_median = statistics.median(cats)
        medians = {}
        for label, _ in binaries:
            median = statistics.median(times[label])
            medians[label] = median
            baseline_size = os.path.getsize(argvs[label][5])
            read = size + baseline_size
            metrics = metric_count(argvs[label][5])
            print("%-13s %-7s %8.0f ms %9.1f %9.1f %7.0f MB %9.0fx %6d %7.0f ms %7.0f MB %9.1f" % (
                case, label, median * 1000, size / 1e6 / median, read / 1e6 / median, peaks[label] / 1e6,
                median / cat_median, args.runs, statistics.median(updates[label]) * 1000,
                update_peaks[label] / 1e6, baseline_size / metrics / args.window))
        if "before" in medians:
            print("%-13s after/before: %.2fx time, %.2fx peak RSS (file %.1f MB, window of %d)" % (
                case, medians["after"] / medians["before"], peaks["after"] / peaks["before"], size / 1e6, args.window))


if __name__ == "__main__":
    main()
