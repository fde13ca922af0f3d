#!/usr/bin/env python3
"""Checks the GitHub workflows and the composite action, offline.

- every workflow against the GitHub workflow schema and the action against the action schema
  (check-jsonschema's vendored schemas);
- every `run:` script with shellcheck (as bash);
- no `${{ }}` expression inside a `run:` script: values reach scripts through `env:` only,
  so no input can become shell code;
- the workflows to copy (examples/workflows/) reference nothing but GitHub's own actions, the
  published redline action and the files they ship (perf/load.sh is examples/workflows/load.sh),
  and perf-comment.yml is redline's own comment.yml but for the workflow it follows.

Exits non-zero with one line per problem.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def steps_of(document):
    """Every step of every job (workflows) or of a composite action."""
    for job in (document.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            yield step
    for step in (document.get("runs") or {}).get("steps") or []:
        yield step


# What a copied workflow may use: GitHub's own actions and the published redline action.
COPYABLE_USES = re.compile(r"^(actions/[a-z-]+@v[0-9]+|OWNER/redline/\.github/actions/redline@v[0-9]+)$")
# What a copied workflow's scripts must not name: redline's own repository layout and toolchain.
REDLINE_ONLY = re.compile(r"(\bscripts/|\.build/|\bswift |\./\.github/)")
# Files the copied workflows call, and where they are shipped.
SHIPPED = {"perf/load.sh": "examples/workflows/load.sh", "perf/ab-side.sh": "examples/workflows/ab-side.sh"}


def copyable_problems(path, document):
    """Why a workflow of examples/workflows would fail or mislead in a team's repository."""
    problems = []
    for job_name, job in (document.get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue  # the schema check reports it
        for index, step in enumerate(job.get("steps") or []):
            where = "%s: job %s step %d (%s)" % (path, job_name, index + 1, step.get("name") or step.get("uses"))
            uses = step.get("uses")
            if uses is not None and not COPYABLE_USES.match(uses):
                problems.append("%s: uses %s, which a team's repository does not have" % (where, uses))
            texts = [step.get("run") or ""] + [str(value) for value in (step.get("with") or {}).values()]
            for text in texts:
                found = REDLINE_ONLY.search(text)
                if found:
                    problems.append("%s: names %r of redline's own repository" % (where, found.group(0)))
                for called, shipped in SHIPPED.items():
                    if called in text and not os.path.exists(shipped):
                        problems.append("%s: calls %s but %s is not shipped" % (where, called, shipped))
    return problems


def same_but_for(copy, original, allowed):
    """The lines in which two files differ, other than the lines matching `allowed`."""
    with open(copy) as one, open(original) as two:
        first, second = one.read().splitlines(), two.read().splitlines()
    strip = lambda lines: [line for line in lines if not re.match(allowed, line)]
    return strip(first) == strip(second)


def main():
    os.chdir(ROOT)
    copyable = sorted(glob.glob("examples/workflows/*.yml"))
    workflows = sorted(glob.glob(".github/workflows/*.yml")) + copyable
    actions = sorted(glob.glob(".github/actions/*/action.yml"))
    problems = []
    for schema, files in [("vendor.github-workflows", workflows), ("vendor.github-actions", actions)]:
        if not files:
            continue
        result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema] + files,
                                capture_output=True, text=True)
        if result.returncode != 0:
            problems.append("schema %s: %s" % (schema, (result.stdout + result.stderr).strip()))
    scripts = 0
    for path in workflows + actions:
        with open(path) as handle:
            document = yaml.safe_load(handle)
        if path in copyable:
            problems += copyable_problems(path, document)
        for index, step in enumerate(steps_of(document)):
            script = step.get("run")
            if script is None:
                continue
            name = "%s: step %d (%s)" % (path, index + 1, step.get("name") or step.get("id") or "unnamed")
            if "${{" in script:
                problems.append("%s: a ${{ }} expression inside run: pass it through env: instead" % name)
            with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as handle:
                handle.write("#!/usr/bin/env bash\n" + script)
            result = subprocess.run(["shellcheck", "-s", "bash", handle.name], capture_output=True, text=True)
            os.unlink(handle.name)
            scripts += 1
            if result.returncode != 0:
                problems.append("%s: shellcheck:\n%s" % (name, result.stdout.strip()))
    comment_copy = "examples/workflows/perf-comment.yml"
    if os.path.exists(comment_copy) and not same_but_for(comment_copy, ".github/workflows/comment.yml",
                                                         r"^(#|name:|    workflows:)"):
        problems.append("%s: differs from .github/workflows/comment.yml beyond its comments, name and "
                        "the workflow it follows; change both" % comment_copy)
    for script in sorted(glob.glob("examples/workflows/*.sh")):
        result = subprocess.run(["shellcheck", "-s", "sh", script], capture_output=True, text=True)
        scripts += 1
        if result.returncode != 0:
            problems.append("%s: shellcheck:\n%s" % (script, result.stdout.strip()))
    for problem in problems:
        print(problem)
    print("workflows: %d files, %d run scripts checked, %d problems" % (len(workflows) + len(actions), scripts, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
