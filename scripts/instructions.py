#!/usr/bin/env python3
"""Gates redline's own speed by the instructions it executes, which CI's noise cannot move.

Runs each benchmark case of redline under valgrind's callgrind (with Swift's hashing made
deterministic), then gates the callgrind.out files with redline itself against
bench/instructions.json under bench/instructions-budgets.json (1% per case). Wall-clock
figures stay with scripts/bench.py, judged by the window; this is the measure that is the same
on every run of the same binary.

    python3 scripts/instructions.py --binary .build/release/redline           # the gate: exit 0/1
    python3 scripts/instructions.py --binary ... --record                      # record the baseline
    python3 scripts/instructions.py --binary ... --inflate gate-2000:5         # the self-test

--inflate CASE:PCT makes CASE do PCT% more work (its generated input gets PCT% more metrics),
the deliberate slowdown; the script then passes only when the gate fails on `CASE Ir` and on no
other case. The baseline is recorded with the release build that .ci/run makes; another
toolchain or a code change that moves a case by more than 1% needs `--record` in the same pull
request, where reviewers see the new counts in the diff.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "bench", "instructions.json")
BUDGETS = os.path.join(ROOT, "bench", "instructions-budgets.json")
RECORDED_RUNS = 5


def write_metrics(path, count, seed, scale):
    """`count` metrics with 10 samples each, the same for the same seed."""
    rng = random.Random(seed)
    metrics = []
    for index in range(count):
        centre = 1000.0 + index
        samples = [round(centre * scale * (1 + rng.gauss(0, 0.02)), 3) for _ in range(10)]
        metrics.append({"name": "suite/case_%d" % index, "unit": "ns", "value": sorted(samples)[5], "samples": samples})
    with open(path, "w") as handle:
        json.dump({"schema": "redline.metrics.v1", "metrics": metrics}, handle)


def cases(binary, work, inflate):
    """Each case: a name and redline's arguments, run from the repository root."""
    grow = lambda name: 1 + inflate.get(name, 0) / 100
    metrics = int(2000 * grow("gate-2000"))
    write_metrics(os.path.join(work, "base-run.json"), metrics, 1, 1.0)
    subprocess.run([binary, "baseline", "update", "--current", os.path.join(work, "base-run.json"),
                    "--baseline", os.path.join(work, "base.json")], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1764000000"))
    write_metrics(os.path.join(work, "current.json"), metrics, 2, 1.0)
    update_metrics = int(2000 * grow("baseline-update"))
    write_metrics(os.path.join(work, "update.json"), update_metrics, 3, 1.0)
    hey = os.path.join(ROOT, "Tests", "Corpus", "hey-0.1.4", "clean.txt")
    return [
        ("small-gate", ["check", "--current", "examples/current.json"]),
        ("gate-2000", ["check", "--current", os.path.join(work, "current.json"),
                       "--baseline", os.path.join(work, "base.json"), "--json", os.path.join(work, "result.json")]),
        ("convert-hey", ["convert", "--current", hey]),
        ("baseline-update", ["baseline", "update", "--current", os.path.join(work, "update.json"),
                             "--baseline", os.path.join(work, "updated.json")]),
    ]


def measure(binary, work, out, inflate):
    """Runs every case under callgrind; returns the callgrind.out files."""
    environment = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1", SOURCE_DATE_EPOCH="1764000000")
    environment.pop("GITHUB_ACTIONS", None)
    files = []
    fresh = tempfile.mkdtemp(dir=work)  # every measurement starts from the same files
    for name, arguments in cases(binary, fresh, inflate):
        target = os.path.join(out, "callgrind.out." + name)
        result = subprocess.run(["valgrind", "-q", "--tool=callgrind", "--callgrind-out-file=" + target, binary] + arguments,
                                cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode not in (0, 1) or not os.path.exists(target):
            sys.exit("instructions.py: case %s: redline exited %d under valgrind: %s" % (name, result.returncode, result.stderr.strip()))
        with open(target) as handle:
            total = next((line.split()[1] for line in handle if line.startswith("totals:")), "?")
        print("%-16s %14s instructions" % (name, total))
        files.append(target)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "redline"))
    parser.add_argument("--record", action="store_true", help="write bench/instructions.json instead of gating")
    parser.add_argument("--inflate", metavar="CASE:PCT", help="the self-test: CASE does PCT%% more work and must fail")
    parser.add_argument("--out", help="keep the callgrind files and the report here")
    arguments = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py: valgrind is not installed (apt-get install valgrind)")
    binary = os.path.abspath(arguments.binary)
    inflate = {}
    if arguments.inflate:
        name, _, pct = arguments.inflate.partition(":")
        inflate[name] = float(pct)
    with tempfile.TemporaryDirectory(prefix="redline-instructions-") as work:
        out = arguments.out or os.path.join(work, "out")
        os.makedirs(out, exist_ok=True)
        # Named relative to `out`, so that the baseline's provenance is the same on every machine.
        currents = [part for path in measure(binary, work, out, inflate) for part in ("--current", os.path.basename(path))]
        if arguments.record:
            # Five runs, a full window, so that reports do not call the baseline young; a fresh
            # window, not appended to the old one: counts are exact, so the old runs would only
            # blur the new level (the old counts stay in git's history).
            if os.path.exists(BASELINE):
                os.remove(BASELINE)
            for run in range(RECORDED_RUNS):
                if run:
                    measure(binary, work, out, inflate)
                subprocess.run([binary, "baseline", "update", *currents, "--budgets", BUDGETS, "--baseline", BASELINE,
                                "--reason", "instruction counts recorded by scripts/instructions.py --record"],
                               cwd=out, check=True, env=dict(os.environ, SOURCE_DATE_EPOCH=str(1764000000 + run)))
            return 0
        result_path = os.path.join(out, "result.json")
        status = subprocess.run([binary, "check", *currents, "--baseline", BASELINE, "--budgets", BUDGETS,
                                 "--json", result_path, "--report", os.path.join(out, "report.md")], cwd=out).returncode
        if not inflate:
            return status
        with open(result_path) as handle:
            failed = sorted(row["name"] for row in json.load(handle)["metrics"]
                            if row.get("verdict") in ("regressed", "failed") or row.get("budget") == "error")
        wanted = ["%s Ir" % name for name in inflate]
        ok = status == 1 and failed == wanted
        print("%s  --inflate %s: exit %d, failing %s (expected exit 1, failing %s)"
              % ("PASS" if ok else "FAIL", arguments.inflate, status, failed, wanted))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
