#!/usr/bin/env python3
"""Checks the GitHub workflows and the composite action, offline.

- every workflow against the GitHub workflow schema and the action against the action schema
  (check-jsonschema's vendored schemas);
- every `run:` script with shellcheck (as bash);
- no `${{ }}` expression inside a `run:` script: values reach scripts through `env:` only,
  so no input can become shell code.

Exits non-zero with one line per problem.
"""
import glob
import os
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


def main():
    os.chdir(ROOT)
    workflows = sorted(glob.glob(".github/workflows/*.yml"))
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
    for problem in problems:
        print(problem)
    print("workflows: %d files, %d run scripts checked, %d problems" % (len(workflows) + len(actions), scripts, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
