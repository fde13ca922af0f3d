#!/usr/bin/env python3
"""Records every output redline gives on the peers' corpus (Tests/Corpus/peers) and the shipped examples, so that a
refactoring can be shown to change no byte: run it before and after, then `diff -r`.

    python3 scripts/snapshot.py OUTDIR [--redline PATH]

For every corpus file: `convert` (native JSON, stdout, stderr, exit status) and `check` of the file
against what it converts to (report and JSON result). For the examples: `check` with the markdown report, the JSON result, the comment and
the terminal table, and `baseline update` into a fresh baseline. Times are pinned with
SOURCE_DATE_EPOCH; nothing here asserts, it only writes files to compare.
"""
import argparse
import pathlib
import shutil
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Tests" / "Corpus" / "peers"


def run(redline, arguments, cwd, out, name, env=None):
    environment = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1800000000"}
    environment.update(env or {})
    result = subprocess.run([str(redline)] + arguments, cwd=cwd, capture_output=True, env=environment, timeout=600)
    (out / (name + ".stdout")).write_bytes(result.stdout)
    (out / (name + ".stderr")).write_bytes(result.stderr)
    (out / (name + ".status")).write_text(f"{result.returncode}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--redline", default=str(ROOT / ".build" / "release" / "redline"))
    args = parser.parse_args()
    redline = pathlib.Path(args.redline).resolve()
    out = pathlib.Path(args.outdir)
    if out.exists():
        shutil.rmtree(out)
    (out / "corpus").mkdir(parents=True)
    (out / "examples").mkdir(parents=True)
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("README.md", "SOURCES.txt"))
    for path in files:
        relative = str(path.relative_to(CORPUS)).replace("/", "__")
        run(redline, ["convert", "--current", str(path)], CORPUS, out / "corpus", relative + ".convert")
        converted = (out / "corpus" / (relative + ".convert.stdout")).read_bytes()
        if not converted:
            continue
        # The file judged against what it converts to: every metric unchanged, through the whole judge.
        with tempfile.TemporaryDirectory() as work:
            pathlib.Path(work, "base.json").write_bytes(converted.replace(b'"redline.metrics.v1"', b'"redline.baseline.v1"', 1))
            run(redline, ["check", "--current", str(path), "--baseline", "base.json", "--json", "r.json", "--report", "r.md"],
                work, out / "corpus", relative + ".check")
            for produced in ["r.json", "r.md"]:
                if pathlib.Path(work, produced).exists():
                    shutil.copy(pathlib.Path(work, produced), out / "corpus" / (relative + "." + produced))
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        for item in ["examples", "baselines", "budgets.json"]:
            source = ROOT / item
            (shutil.copytree if source.is_dir() else shutil.copy)(source, work / item)
        for example in sorted((ROOT / "examples").glob("*.json")):
            name = example.stem
            run(redline, ["check", "--current", f"examples/{example.name}", "--report", f"{name}.md", "--json", f"{name}.result.json",
                          "--comment", f"{name}.comment.md"], work, out / "examples", name + ".check")
            for produced in [f"{name}.md", f"{name}.result.json", f"{name}.comment.md"]:
                if (work / produced).exists():
                    shutil.copy(work / produced, out / "examples" / produced)
            run(redline, ["baseline", "update", "--current", f"examples/{example.name}", "--baseline", f"fresh-{name}.json",
                          "--reason", "snapshot"], work, out / "examples", name + ".update", env={"GITHUB_SHA": "abc123"})
            if (work / f"fresh-{name}.json").exists():
                shutil.copy(work / f"fresh-{name}.json", out / "examples" / f"fresh-{name}.json")
            run(redline, ["baseline", "show", "--baseline", f"fresh-{name}.json"], work, out / "examples", name + ".show")
    print(f"{len(files)} corpus files and the examples recorded in {out}")


if __name__ == "__main__":
    main()
